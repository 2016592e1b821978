"""Turn arbitrary spec strings into safe, stable Python identifiers."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9]|\b|_|$)|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text)).encode("ascii", "ignore").decode()
    return [word for part in re.split(r"[^A-Za-z0-9]+", ascii_text) for word in _WORD.findall(part)]


def snake_case(text: str, *, fallback: str = "value") -> str:
    """``lmsBatchUpsertCourse`` / ``x-account-id`` -> ``lms_batch_upsert_course`` / ``x_account_id``."""
    name = "_".join(word.lower() for word in _words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    # Shadowing a builtin ("id", "type") is harmless for a parameter; a keyword is a syntax error.
    if keyword.iskeyword(name):
        name += "_"
    return name


def pascal_case(text: str, *, fallback: str = "Model") -> str:
    """``lms_batch_upsert_course`` -> ``LmsBatchUpsertCourse``; keeps inner capitals of ``LmsDto``."""
    name = "".join(word[:1].upper() + word[1:] for word in _words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in _RESERVED or name in dir(builtins):
        name += "_"
    return name


def unique(name: str, taken: set[str]) -> str:
    """Return ``name`` or ``name2``, ``name3``... whichever is not in ``taken``; record it."""
    candidate, suffix = name, 2
    while candidate in taken:
        candidate, suffix = f"{name}{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_method_name(operation: dict[str, object], method: str, path: str) -> str:
    """The Python method name of an operation: its ``operationId``, or one derived from method and path."""
    operation_id = operation.get("operationId")
    if isinstance(operation_id, str) and operation_id.strip():
        return snake_case(operation_id, fallback="operation")
    by_params = [f"by_{segment.strip('{}')}" for segment in path.split("/") if segment.startswith("{")]
    plain = [segment for segment in path.split("/") if segment and not segment.startswith("{")]
    return snake_case("_".join([method, *plain, *by_params]), fallback="operation")
