"""What a schema says about its shape: the keywords that hold subschemas (the one table every walk over
schemas reads), those that only annotate it, and the types it declares (the one reading of ``type``
every step uses)."""

from __future__ import annotations

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
