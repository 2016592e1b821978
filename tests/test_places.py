"""Where a value sits in a document (generator/spec/places.py): every walk for references reads it so."""

from __future__ import annotations

from typing import Any

from generator.spec.places import place_of, references


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _found(document: dict[str, Any]) -> list[str]:
    return sorted(node["$ref"] for node, _ in references(document))


def test_references_are_found_where_the_description_is_and_never_in_data() -> None:
    media = {
        "schema": _ref("Body"),
        "example": _ref("InExample"),
        "examples": {"a": {"value": _ref("InExampleValue")}, "b": {"$ref": "#/components/examples/B"}},
    }
    operation = {
        "parameters": [{"name": "p", "in": "query", "schema": _ref("Param"), "example": _ref("InParamExample")}],
        "requestBody": {"content": {"application/json": media}},
        "responses": {"200": {"description": "", "links": {"l": {"operationId": "x", "requestBody": _ref("InLink")}}}},
    }
    schema = {
        "type": "object",
        "default": _ref("InDefault"),
        "enum": [_ref("InEnum")],
        "const": _ref("InConst"),
        "examples": [_ref("InSchemaExamples")],
        "x-note": _ref("InExtension"),
        "properties": {
            # Properties named like data keywords are schemas all the same.
            "examples": _ref("PropertyExamples"),
            "default": {"type": "array", "items": _ref("PropertyDefaultItems")},
            "example": {"allOf": [_ref("PropertyExampleMember")]},
        },
    }
    document = {
        "openapi": "3.1.0",
        "paths": {"/a": {"post": operation}},
        # A webhook named like a data keyword is a path item.
        "webhooks": {"example": {"post": {"requestBody": {"content": {"application/json": {"schema": _ref("Hook")}}}}}},
        "components": {"schemas": {"Body": schema}, "parameters": {"example": {"schema": _ref("ComponentParam")}}},
    }
    assert _found(document) == [
        "#/components/examples/B",
        "#/components/schemas/Body",
        "#/components/schemas/ComponentParam",
        "#/components/schemas/Hook",
        "#/components/schemas/Param",
        "#/components/schemas/PropertyDefaultItems",
        "#/components/schemas/PropertyExampleMember",
        "#/components/schemas/PropertyExamples",
    ]


def test_the_place_of_a_value_is_read_from_the_document_down() -> None:
    media = ("paths", "/a", "get", "responses", "200", "content", "application/json")
    assert place_of((*media, "schema")) == "schema"
    assert place_of((*media, "schema", "properties", "meta", "allOf", 0)) == "schema"
    assert place_of((*media, "schema", "example", "x")) is None  # data
    assert place_of(("components", "parameters", "p", "schema")) == "schema"
    assert place_of(("components", "responses", "Text")) == "document"  # a response, not a schema
    assert place_of(("paths", "/a", "get", "parameters", 0, "schema")) == "schema"
