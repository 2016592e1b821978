"""A document's patterns, read and matched as the generated models match them.

The models' engine, pydantic-core's (Rust's ``regex``), takes time linear in the text. Python's ``re``
backtracks: a repetition inside a repetition, against a text it does not match, runs for minutes
(beezup's URLs, ``([\\/\\w \\.-]*)*``, against its own example). A pattern is as hostile as any string
of a document, so the generator matches none with ``re``.
"""

from __future__ import annotations

import functools

from pydantic_core import SchemaError, SchemaValidator, ValidationError, core_schema


@functools.lru_cache(maxsize=4096)  # documents repeat their patterns (ids, dates, codes)
def _validator(pattern: str) -> SchemaValidator | str:
    """A validator of the strings ``pattern`` matches, or why the models' engine cannot read it."""
    try:
        return SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError as error:  # its last line says what: "error: unclosed group"
        return str(error).splitlines()[-1].strip().removeprefix("SchemaError: ").removeprefix("error: ")


def problem(pattern: str) -> str | None:
    """Why the models cannot use ``pattern``, or ``None`` when they can."""
    validator = _validator(pattern)
    return validator if isinstance(validator, str) else None


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches within ``text`` (as JSON Schema's ``pattern``: anywhere, unanchored).

    Raises ``ValueError`` where the models' engine cannot read ``pattern``."""
    validator = _validator(pattern)
    if isinstance(validator, str):
        raise ValueError(validator)
    try:
        validator.validate_python(text)
    except ValidationError:
        return False
    return True
