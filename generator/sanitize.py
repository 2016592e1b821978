"""Drop schema keywords that would break generated code, with a warning for each.

Runs on the freshly loaded document, before validation: a ``pattern`` that does not compile (in
Python's ``re`` and in pydantic's engine) or a ``default`` of the wrong type is
removed rather than emitted into models that would fail at import or lie about
their defaults.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import pydantic

from generator.errors import Diagnostics, pointer

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def _pattern_problem(pattern: str) -> str | None:
    try:
        re.compile(pattern)
        pydantic.TypeAdapter(Annotated[str, pydantic.StringConstraints(pattern=pattern)])
    except (re.error, pydantic.PydanticSchemaGenerationError, pydantic.ValidationError, ValueError, TypeError) as error:
        return str(error).splitlines()[0]
    except Exception as error:  # pydantic-core raises its own SchemaError type
        return str(error).splitlines()[0]
    return None


def _default_matches(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else list(declared) if isinstance(declared, list) else []
    if schema.get("nullable") is True:
        types.append("null")
    if not types or any(kind not in _JSON_TYPES for kind in types):
        return True
    value = schema["default"]
    for kind in types:
        if isinstance(value, bool) and kind not in ("boolean",):
            continue
        if isinstance(value, _JSON_TYPES[kind]):
            return True
    return False


def sanitize(document: dict[str, Any], diagnostics: Diagnostics) -> None:
    """Remove unusable ``pattern`` and ``default`` keywords from ``document`` in place."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                problem = _pattern_problem(node["pattern"])
                if problem is not None:
                    diagnostics.warn(pointer(*path, "pattern"), f"invalid regular expression dropped ({problem})")
                    del node["pattern"]
            if "default" in node and "type" in node and not _default_matches(node):
                diagnostics.warn(
                    pointer(*path, "default"),
                    f"default {node['default']!r} does not match type {node['type']!r}; dropped",
                )
                del node["default"]
            stack.extend((value, (*path, key)) for key, value in node.items() if isinstance(value, (dict, list)))
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node) if isinstance(value, (dict, list)))
