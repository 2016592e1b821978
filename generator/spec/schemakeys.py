"""What a schema says about its shape: the keywords that hold subschemas (the one table every walk over
schemas reads), those that only annotate it, and the types it declares (the one reading of ``type``
every step uses)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

#: ``one``: the value is a schema; ``list``: a list of schemas; ``map``: schemas by name.
SUBSCHEMA_KEYWORDS: dict[str, Literal["one", "list", "map"]] = {
    **dict.fromkeys(("items", "additionalProperties", "additionalItems", "not", "if", "then", "else"), "one"),
    **dict.fromkeys(("contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"), "one"),
    "contentSchema": "one",
    **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems"), "list"),
    **dict.fromkeys(("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"), "map"),
}

#: Keywords whose values are data, not schemas (a ``$ref`` or an ``$anchor`` there is a value).
DATA_KEYWORDS = frozenset({"example", "examples", "default", "const", "enum"})

#: Keywords that describe values without constraining them (``nullable``: read by normalizing apart; ``xml``
#: and ``externalDocs``: OpenAPI's, as AWS's documents put them beside a reference).
ANNOTATIONS = frozenset(
    {"description", "title", "deprecated", "readOnly", "writeOnly", "example", "examples", "default", "nullable"}
    | {"xml", "externalDocs"}
)


def only_annotates(schema: Any) -> bool:
    """Whether ``schema`` (an ``allOf`` part, say) only describes values: annotations and extensions alone."""
    return isinstance(schema, dict) and all(key in ANNOTATIONS or key.startswith("x-") for key in schema)


def wraps_one(schema: Any) -> bool:
    """Whether ``schema`` is an ``allOf`` of one schema and annotations (a description beside a reference:
    Jira's, AWS's), which reads as that one schema."""
    parts = schema.get("allOf") if isinstance(schema, dict) else None
    return (
        isinstance(parts, list)
        and only_annotates({key: value for key, value in schema.items() if key != "allOf"})
        and sum(not only_annotates(part) for part in parts) == 1
    )


def as_all_of(schema: Any) -> dict[str, Any] | None:
    """A reference with constraints beside it (3.1), as the models read it: an ``allOf`` of the reference and
    the rest (a class extending the one referred to). None for a schema that is no such reference: what only
    annotates a reference leaves it that reference (and 3.0's other siblings are dropped before any reading)."""
    if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
        return None
    beside = {key: value for key, value in schema.items() if key != "$ref"}
    if only_annotates(beside):
        return None
    parts = beside.get("allOf")
    return {**beside, "allOf": [{"$ref": schema["$ref"]}, *(parts if isinstance(parts, list) else ())]}


def declared_types(schema: Any) -> list[str]:
    """The types ``schema``'s ``type`` names, ``null`` included: one string, or a 3.1 list; none otherwise."""
    declared = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(declared, str):
        return [declared]
    return [kind for kind in declared if isinstance(kind, str)] if isinstance(declared, list) else []


def value_types(schema: Any) -> list[str]:
    """The non-null types a value of ``schema`` may have: its declared ones and its ``anyOf`` members'."""
    if not isinstance(schema, dict):
        return []
    types = declared_types(schema)
    for option in schema.get("anyOf") or ():
        types += value_types(option)
    return [kind for kind in types if kind != "null"]


def json_types(schema: Any, resolve: Callable[[Any], Any], seen: frozenset[int] = frozenset()) -> frozenset[str] | None:
    """The JSON types a value of ``schema`` may have, as far as its keywords say (``null`` left out,
    ``number`` with ``integer`` in it); ``None`` when they say nothing. An object's keywords (``properties``
    and the like) say ``object`` without a ``type``, as the models read them; ``resolve`` gives the schema a
    reference refers to, and a schema met again on the way (a cycle) adds no type."""
    schema = resolve(schema)
    if schema is False or id(schema) in seen:
        return frozenset()
    if not isinstance(schema, dict):
        return None
    seen |= {id(schema)}
    said: list[frozenset[str]] = []
    declared = declared_types(schema)
    if declared:
        said.append(_with_integers(declared))
    elif any(key in schema for key in ("properties", "additionalProperties", "patternProperties", "required")):
        said.append(frozenset({"object"}))
    elif "items" in schema or "prefixItems" in schema:
        said.append(frozenset({"array"}))
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if isinstance(values, list):
        said.append(frozenset(kind for value in values if (kind := _type_of(value)) is not None))
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if isinstance(members, list) and members:
            either = [json_types(member, resolve, seen) for member in members]
            if all(types is not None for types in either):
                said.append(frozenset().union(*(types for types in either if types is not None)))
    parts = schema.get("allOf")
    for part in parts if isinstance(parts, list) else ():
        if (types := json_types(part, resolve, seen)) is not None:
            said.append(types)
    return frozenset.intersection(*said) if said else None


def _with_integers(types: list[str]) -> frozenset[str]:
    """``types`` with ``integer`` beside ``number`` (every integer is a number) and without ``null``."""
    found = {kind for kind in types if kind != "null"}
    return frozenset(found | {"integer"} if "number" in found else found)


def _type_of(value: Any) -> str | None:
    """The JSON type of a value (``None``'s is ``null``, left out)."""
    for kind, python in (("boolean", bool), ("integer", int), ("number", float), ("string", str)):
        if isinstance(value, python):
            return kind
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else None
