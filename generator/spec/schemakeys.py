"""Which JSON Schema keywords hold schemas, and how: the one table every walk over schemas reads."""

from __future__ import annotations

from typing import Literal

#: ``one``: the value is a schema; ``list``: a list of schemas; ``map``: schemas by name.
SUBSCHEMA_KEYWORDS: dict[str, Literal["one", "list", "map"]] = {
    **dict.fromkeys(("items", "additionalProperties", "additionalItems", "not", "if", "then", "else"), "one"),
    **dict.fromkeys(("contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"), "one"),
    "contentSchema": "one",
    **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems"), "list"),
    **dict.fromkeys(("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"), "map"),
}
