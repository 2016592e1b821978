"""The base class of every generated model, and the lenient validation of what the server sends."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
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
    gives it alone too. A union's tag that none of its members has (a kind the API added
    later, or a value the base lists and no schema extends: Azure's ``Invalid``), or no tag,
    is read as the members' nearest common base class, where they have one. Requests are still
    validated in full.
    """
    strict = pydantic.TypeAdapter(model)
    strict.rebuild()  # builds the schema that defer_build left for first use
    classes = dict(_model_classes(strict.core_schema))
    # Never the classes' own (strict) validators, which pydantic-core reuses for nested models.
    return pydantic_core.SchemaValidator(_lenient(strict.core_schema, classes), _use_prebuilt=False)


def _lenient(schema: Any, classes: dict[str, type]) -> Any:
    """A copy of the pydantic-core ``schema`` without constraints (see :func:`response_validator`);
    ``classes`` are the model classes of its references."""
    if isinstance(schema, list):
        return [_lenient(item, classes) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    kind = kind if isinstance(kind, str) else None  # a model field may be called "type"
    if kind == "function-after" and _is_constraint(schema.get("function")):
        return _keep_ref(schema, _lenient(schema["schema"], classes))
    dropped = _CONSTRAINTS if kind in _CONSTRAINED else frozenset()
    relaxed = {key: _lenient(value, classes) for key, value in schema.items() if key not in dropped}
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
    if kind in ("tagged-union", "union"):
        choices = relaxed["choices"]
        choices = (
            choices.values() if kind == "tagged-union" else [_unlabelled(each) for each in choices]
        )
        if base := _common_base(choices, classes):
            return _keep_ref(relaxed, _falling_back(relaxed, base, len(choices)))
    return relaxed


def _model_classes(schema: Any) -> Iterator[tuple[str, type]]:
    """The reference and class of each model schema in the pydantic-core ``schema``."""
    if isinstance(schema, list):
        for item in schema:
            yield from _model_classes(item)
    elif isinstance(schema, dict):
        if schema.get("type") == "model" and isinstance(schema.get("ref"), str):
            yield schema["ref"], schema["cls"]
        for value in schema.values():
            yield from _model_classes(value)


def _common_base(choices: Iterable[Any], classes: dict[str, type]) -> type | None:
    """The nearest class below :class:`BaseModel` that the model of every choice extends, if any, and
    that is no choice (whose tag would refuse the value too)."""
    members = []
    for choice in choices:
        member = choice.get("cls") if choice.get("type") == "model" else None
        if choice.get("type") == "definition-ref":
            member = classes.get(choice["schema_ref"])
        if member is None:
            return None
        members.append(member)
    return next(
        (
            base
            for base in members[0].__mro__
            if issubclass(base, BaseModel)
            and base is not BaseModel
            and base not in members
            and all(issubclass(member, base) for member in members)
        ),
        None,
    )


def _unlabelled(choice: Any) -> Any:
    """The schema of a plain union's ``choice``, which may be given with its label."""
    return choice[0] if isinstance(choice, tuple) else choice


def _falling_back(union: dict[str, Any], base: type, members: int) -> dict[str, Any]:
    """``union`` (a pydantic-core union of ``members`` models extending ``base``) reading a value as
    ``base`` where every member refuses its tag: a tagged union's, or a field of one value that
    each member of a plain union has (datamodel-code-generator tags no union of an array's items).
    """

    def validate(
        value: Any, handler: pydantic_core.core_schema.ValidatorFunctionWrapHandler
    ) -> Any:
        try:
            return handler(value)
        except pydantic_core.ValidationError as error:
            if not _refused_by_tag(error.errors(), members):
                raise
        return response_validator(base).validate_python(value)

    function = {"type": "no-info", "function": validate}
    return {"type": "function-wrap", "function": function, "schema": union}


def _refused_by_tag(issues: list[Any], members: int) -> bool:
    """Whether the ``issues`` of a union of ``members`` say that each refused the value by its tag (or
    the lack of one: Azure's bases do not require theirs)."""
    if [issue["type"] for issue in issues] in (["union_tag_invalid"], ["union_tag_not_found"]):
        return True
    refusing = {
        issue["loc"][0]
        for issue in issues
        if issue["type"] == "literal_error" and len(issue["loc"]) == 2
    }
    return len(refusing) == members


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
