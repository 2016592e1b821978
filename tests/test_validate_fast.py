"""The fast validation path (jsonschema-rs) agrees with the slow one (pure-Python jsonschema).

The slow path is what reports problems, so the fast one must never pass a document the slow one
rejects; on these documents the two give the same verdict.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.loader import LoadedSpec, load_spec, parse_text
from generator.schemacheck import (
    _META_SCHEMA_FORMATS,
    OPENAPI_SPECIFICATIONS,
    _fast_path_passes,
    _spec_validator,
)
from generator.validate import validate_spec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_spec  # noqa: E402
from test_cli_errors import BAD_INPUTS  # noqa: E402


def _minor(document: dict[str, Any]) -> str:
    return str(document["openapi"])[:3]


def _slow_passes(document: dict[str, Any]) -> bool:
    try:
        return next(iter(_spec_validator(document, _minor(document), fast=False).iter_errors()), None) is None
    except Exception:  # raising is rejecting: validate_spec reports it as a problem
        return False


def _assert_agree(document: dict[str, Any]) -> None:
    assert _fast_path_passes(document, _minor(document)) == _slow_passes(document)


def _pets(openapi: str) -> dict[str, Any]:
    return {
        "openapi": openapi,
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets/{petId}": {
                "get": {
                    "operationId": "getPet",
                    "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "A pet",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                }
            }
        },
    }


def _operation(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/pets/{petId}"]["get"]
    return operation


def _pet(document: dict[str, Any]) -> dict[str, Any]:
    pet: dict[str, Any] = document["components"]["schemas"]["Pet"]
    return pet


def _pet_id(document: dict[str, Any]) -> dict[str, Any]:
    pet_id: dict[str, Any] = _pet(document)["properties"]["id"]
    return pet_id


def _second_path(document: dict[str, Any]) -> None:
    document["paths"]["/pets"] = {"get": {"operationId": "getPet", "responses": {"200": {"description": "ok"}}}}


# Each change is applied to a valid document of each OpenAPI version.
CHANGES: dict[str, Callable[[dict[str, Any]], object]] = {
    "none": lambda d: None,
    "bad-schema-type": lambda d: _pet(d).update(type="animal"),
    "bad-nested-schema-type": lambda d: _pet_id(d).update(type="int"),
    "bad-minimum-type": lambda d: _pet_id(d).update(minimum="zero"),
    "float-min-length": lambda d: _pet_id(d).update(minLength=1.0),
    "bad-format-type": lambda d: _pet_id(d).update(format=5),
    "invalid-regex": lambda d: _pet(d)["properties"]["name"].update(pattern="("),
    "python-only-regex": lambda d: _pet(d)["properties"]["name"].update(pattern="(?P<x>a)"),
    "duplicate-enum": lambda d: _pet_id(d).update(enum=[1, 1.0]),
    "boolean-exclusive-minimum": lambda d: _pet_id(d).update(minimum=0, exclusiveMinimum=True),
    "type-list": lambda d: _pet_id(d).update(type=["integer", "null"]),
    "bad-anchor": lambda d: _pet(d).update({"$anchor": "1pet"}),
    "bad-discriminator": lambda d: _pet(d).update(discriminator={"mapping": {"a": "#/components/schemas/Pet"}}),
    "bad-nested-xml": lambda d: _pet_id(d).update(xml={"wrapped": "yes"}),
    "bad-default": lambda d: _pet_id(d).update(default="one"),
    "required-not-defined": lambda d: _pet(d).update(allOf=[{"type": "object"}], required=["ghost"]),
    "schema-not-object": lambda d: d["components"]["schemas"].update(Pet="pet"),
    "other-dialect": lambda d: _pet(d).update({"$schema": "https://json-schema.org/draft/2020-12/schema"}),
    "other-dialect-bad-type": lambda d: _pet(d).update(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "x"}
    ),
    "non-string-dialect": lambda d: _pet(d).update({"$schema": 5}),
    "bad-parameter-in": lambda d: _operation(d)["parameters"][0].update({"in": "body"}),
    "bad-parameter-schema": lambda d: _operation(d)["parameters"][0].update(schema={"type": "strin"}),
    "duplicate-parameter": lambda d: _operation(d)["parameters"].append(dict(_operation(d)["parameters"][0])),
    "duplicate-operation-id": _second_path,
    "missing-path-parameter": lambda d: d["paths"].update({"/pets/{petId}/{toyId}": d["paths"].pop("/pets/{petId}")}),
    "duplicate-tag": lambda d: d.update(tags=[{"name": "pets"}, {"name": "pets"}]),
    "empty-responses": lambda d: _operation(d).update(responses={}),
    "dangling-ref": lambda d: _pet(d)["properties"]["id"].update({"$ref": "#/components/schemas/Missing"}),
    "non-string-ref": lambda d: _pet(d)["properties"].update(id={"$ref": 5}),
    "date-example": lambda d: _pet_id(d).update(example=datetime.date(2024, 1, 1)),
    "date-version": lambda d: d["info"].update(version=datetime.date(2024, 1, 1)),
}


@pytest.mark.parametrize("openapi", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_handmade_documents(openapi: str, change: str) -> None:
    document = _pets(openapi)
    CHANGES[change](document)
    _assert_agree(document)


def test_the_other_dialect_keeps_its_own_meta_schema() -> None:
    document = _pets("3.1.0")
    document["jsonSchemaDialect"] = "https://json-schema.org/draft/2020-12/schema"
    _assert_agree(document)
    _pet(document)["type"] = "animal"
    _assert_agree(document)


def _bad_documents() -> dict[str, dict[str, Any]]:
    """The CLI tests' bad inputs that get as far as schema validation."""
    documents = {}
    for case, text in BAD_INPUTS.items():
        try:
            document = parse_text("spec", text)
        except SpecError:
            continue
        if isinstance(document, dict) and str(document.get("openapi"))[:3] in {"3.0", "3.1"}:
            documents[case] = document
    return documents


BAD_DOCUMENTS = _bad_documents()


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_inputs_of_the_cli_tests(case: str) -> None:
    _assert_agree(BAD_DOCUMENTS[case])


@pytest.mark.parametrize("spec", sorted((ROOT / "tests" / "hostile").glob("*.json")), ids=lambda path: path.stem)
def test_hostile_specs(spec: Path) -> None:
    _assert_agree(json.loads(spec.read_text()))


@pytest.mark.parametrize(
    "spec",
    [ROOT / "specs" / "stackone-lms.yaml", *sorted((ROOT / "tests" / "specs").glob("*.yaml"))],
    ids=lambda path: path.name,
)
def test_valid_specs_pass_the_fast_path(spec: Path) -> None:
    document = load_spec(spec).document
    assert _fast_path_passes(document, _minor(document))


def test_synthetic_spec_passes_the_fast_path() -> None:
    assert _fast_path_passes(make_spec(50), "3.1")


def test_infinities_take_the_slow_path() -> None:
    # jsonschema-rs would pass this enum: it finds two infinities unequal.
    document = _pets("3.0.3")
    _pet_id(document)["enum"] = [float("inf"), float("inf")]
    assert not _fast_path_passes(document, "3.0")
    with pytest.raises(SpecError, match="non-unique"):
        validate_spec(LoadedSpec(Path("spec.yaml"), document))
    document = _pets("3.1.0")
    _pet_id(document)["example"] = float("inf")
    assert not _fast_path_passes(document, "3.1")
    validate_spec(LoadedSpec(Path("spec.yaml"), document))


def _formats(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["format"]} if isinstance(node.get("format"), str) else set()
        return found.union(*(_formats(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_formats(value) for value in node))
    return set()


def test_jsonschema_rs_checks_every_meta_schema_format_as_the_slow_path_does() -> None:
    meta_schemas = (
        "http://json-schema.org/draft-04/",
        "https://json-schema.org/draft/2020-12/",
        "https://spec.openapis.org/oas/3.1/",
    )
    used = set().union(
        *(
            _formats(OPENAPI_SPECIFICATIONS.contents(uri))
            for uri in OPENAPI_SPECIFICATIONS
            if uri.startswith(meta_schemas)
        )
    )
    assert used == set(_META_SCHEMA_FORMATS)
