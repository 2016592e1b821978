"""The base class of every generated model, and the lenient validation of what the server sends."""

from __future__ import annotations

import functools
from typing import Any

import pydantic
import pydantic_core

# Keys of pydantic-core schemas that state a constraint rather than a type, and the schemas that have them.
_CONSTRAINTS = frozenset(
    {"pattern", "min_length", "max_length", "gt", "ge", "lt", "le", "multiple_of"}
)
_CONSTRAINED = frozenset(
    {"str", "bytes", "int", "float", "decimal", "list", "tuple", "set", "frozenset", "dict"}
)
# Types parsed from strings of a given syntax (``format``): a value that does not parse stays a string.
_FORMATS = frozenset({"datetime", "date", "time", "timedelta", "uuid"})


class BaseModel(pydantic.BaseModel):
    """A pydantic model whose validator is built on first use, so importing many models stays fast."""

    # Field names are already kept clear of BaseModel's own members ("model_dump" becomes
    # "model_dump_"), so pydantic's warning about its namespace would only be noise.
    model_config = pydantic.ConfigDict(defer_build=True, protected_namespaces=())


@functools.cache
def response_validator(model: Any) -> pydantic_core.SchemaValidator:
    """A validator of ``model`` (a model class or a type alias) for what the server sends.

    It makes the same classes as the strict one, with the same types, but does not
    enforce the document's ``pattern``, lengths, ranges or ``format`` syntax: a value
    whose format does not parse is kept as the string received, and unknown properties
    are kept even where the document forbids them. A field of one possible value (a
    union's tag, a ``const``) that the body lacks takes that value: a schema a union tells
    apart by a tag it does not require (GitHub's private user) is read where the document
    gives it alone too. Requests are still validated in full.
    """
    strict = pydantic.TypeAdapter(model)
    strict.rebuild()  # builds the schema that defer_build left for first use
    # Never the classes' own (strict) validators, which pydantic-core reuses for nested models.
    return pydantic_core.SchemaValidator(_lenient(strict.core_schema), _use_prebuilt=False)


def _lenient(schema: Any) -> Any:
    """A copy of the pydantic-core ``schema`` without constraints (see :func:`response_validator`)."""
    if isinstance(schema, list):
        return [_lenient(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    kind = kind if isinstance(kind, str) else None  # a model field may be called "type"
    if kind == "function-after" and _is_constraint(schema.get("function")):
        return _keep_ref(schema, _lenient(schema["schema"]))
    dropped = _CONSTRAINTS if kind in _CONSTRAINED else frozenset()
    relaxed = {key: _lenient(value) for key, value in schema.items() if key not in dropped}
    for key in ("extra_behavior", "extra_fields_behavior"):  # a schema's, and a model config's
        if relaxed.get(key) == "forbid":
            relaxed[key] = "allow"
    if kind == "model-field" and _single_literal(relaxed["schema"]):
        relaxed["schema"] = {
            "type": "default",
            "schema": relaxed["schema"],
            "default": relaxed["schema"]["expected"][0],
        }
    if kind in _FORMATS:
        parsed = {key: value for key, value in relaxed.items() if key != "ref"}
        union = {"type": "union", "choices": [parsed, {"type": "str"}], "mode": "left_to_right"}
        return _keep_ref(relaxed, union)
    return relaxed


def _keep_ref(original: dict[str, Any], replacement: dict[str, Any]) -> dict[str, Any]:
    """``replacement`` under the reference name ``original`` had, which other schemas may use."""
    if "ref" not in original:
        return replacement
    if "ref" not in replacement:
        return {**replacement, "ref": original["ref"]}
    return {"type": "chain", "steps": [replacement], "ref": original["ref"]}


def _single_literal(schema: Any) -> bool:
    """Whether ``schema`` (a pydantic-core schema) takes exactly one value."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "literal"
        and len(schema.get("expected", ())) == 1
    )


def _is_constraint(function: Any) -> bool:
    """Whether a validator function is one pydantic made from a constraint (``Field(ge=1)`` on a union)."""
    inner = getattr(function, "get", lambda _: None)("function")
    target = getattr(inner, "func", None)  # functools.partial(greater_than_validator, gt=...)
    return getattr(target, "__module__", "") == "pydantic._internal._validators" and bool(
        _CONSTRAINTS & set(getattr(inner, "keywords", {}))
    )
