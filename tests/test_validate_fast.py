"""The validation gate (jsonschema-rs) agrees with openapi-spec-validator on pure-Python jsonschema.

Strictly read (any repair or problem is a rejection, as ``--strict`` reads it), the gate must
never pass a document openapi-spec-validator rejects, nor reject one it passes; on these
documents the two give the same verdict.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs
import openapi_schema_validator as oas
import pytest
from openapi_schema_validator._specifications import REGISTRY
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, schemas
from openapi_spec_validator.schemas.backend.jsonschema import create_validator

from generator.errors import Diagnostics, SpecError
from generator.spec.loader import LoadedSpec, load_spec, parse_text
from generator.spec.metaschemas import META_SCHEMA_FORMATS, meta_schemas
from generator.spec.validate import validate_spec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_spec  # noqa: E402
from test_cli_errors import BAD_INPUTS  # noqa: E402


def _minor(document: dict[str, Any]) -> str:
    return str(document["openapi"])[:3]


def _reference_passes(document: dict[str, Any]) -> bool | None:
    """openapi-spec-validator's verdict, on pure-Python jsonschema; ``None`` where it has none."""
    minor = _minor(document)
    validator = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator}[minor](document)
    validator.schema_validator = create_validator({"3.0": schemas.schema_v30, "3.1": schemas.schema_v31}[minor])
    try:
        return next(iter(validator.iter_errors()), None) is None
    except RecursionError:  # the library follows a schema defined by itself for ever
        return None
    except Exception:  # raising is rejecting: the library cannot read the document
        return False


def _gate_passes(document: dict[str, Any]) -> bool:
    """The gate's strict verdict: nothing to repair, nothing to refuse."""
    diagnostics = Diagnostics("spec.yaml")
    try:
        validate_spec(LoadedSpec(Path("spec.yaml"), copy.deepcopy(document)), diagnostics)
    except SpecError:
        return False
    return not diagnostics.warnings


def _assert_agree(document: dict[str, Any]) -> None:
    reference = _reference_passes(document)
    assert reference is None or _gate_passes(document) == reference


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


# Bad inputs the gate refuses on purpose where openapi-spec-validator does not look: a reference
# that leads nowhere (in a request body, which the library does not walk), to another server, or to a
# file whose name no file system takes (too long, or with a NUL).
STRICTER = {"dangling-ref", "external-ref", "file-name-too-long", "nul-in-ref"}


def _bad_documents() -> dict[str, dict[str, Any]]:
    """The CLI tests' bad inputs that get as far as schema validation."""
    documents = {}
    for case, text in BAD_INPUTS.items():
        if case in STRICTER:
            assert not _gate_passes(parse_text("spec", text))
            continue
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


# Hostile specs the gate repairs where openapi-spec-validator finds nothing wrong: a look-ahead, which
# the models' regular expression engine cannot read; keywords the model generator would read as Python.
REPAIRED = {"backtracking", "model_generator_keywords"}


@pytest.mark.parametrize("spec", sorted((ROOT / "tests" / "hostile").glob("*.json")), ids=lambda path: path.stem)
def test_hostile_specs(spec: Path) -> None:
    document = json.loads(spec.read_text())
    if spec.stem in REPAIRED:
        assert _reference_passes(document) and not _gate_passes(document)
    else:
        _assert_agree(document)


@pytest.mark.parametrize(
    "spec",
    [ROOT / "specs" / "stackone-lms.yaml", *sorted((ROOT / "tests" / "specs").glob("*.yaml"))],
    ids=lambda path: path.name,
)
def test_valid_specs_pass_the_gate(spec: Path) -> None:
    assert _gate_passes(load_spec(spec).document)


def test_synthetic_spec_passes_the_gate() -> None:
    assert _gate_passes(make_spec(50))


def test_infinities() -> None:
    # jsonschema-rs finds two infinities unequal: the gate dedupes the enum itself.
    document = _pets("3.0.3")
    _pet_id(document)["enum"] = [float("inf"), float("inf")]
    _assert_agree(document)
    document = _pets("3.1.0")
    _pet_id(document)["example"] = float("inf")
    _assert_agree(document)


def test_a_3_2_xml_namespace_is_not_held_to_an_iri() -> None:
    # openapi-schema-validator leaves 3.2's "format": "iri" unchecked; jsonschema-rs alone would refuse this.
    document = _pets("3.2.0")
    _pet(document)["xml"] = {"namespace": "a relative namespace"}
    assert _gate_passes(document)


def _formats(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["format"]} if isinstance(node.get("format"), str) else set()
        return found.union(*(_formats(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_formats(value) for value in node))
    return set()


def test_jsonschema_rs_checks_every_meta_schema_format_as_the_slow_path_does() -> None:
    prefixes = (  # of the meta-schemas' ids
        "http://json-schema.org/draft-04/",
        "https://json-schema.org/draft/2020-12/",
        "https://spec.openapis.org/oas/3.1/",
        "https://spec.openapis.org/oas/3.2/",
    )
    used = set().union(*(_formats(REGISTRY.contents(uri)) for uri in REGISTRY if uri.startswith(prefixes)))
    assert used == set(META_SCHEMA_FORMATS)
    samples = ["^a+$", "[", "(?P<name>x)", "\\p{L}", "a b", "http://example.com/a b", "#/x", "", "%zz"]
    for validator in (oas.OAS30Validator, oas.OAS31Validator, oas.OAS32Validator):
        for name, check in META_SCHEMA_FORMATS.items():
            assert [check(sample) for sample in samples] == [
                validator.FORMAT_CHECKER.conforms(sample, name) for sample in samples
            ], name


@pytest.mark.parametrize(
    ("minor", "document", "validator"),
    [
        ("3.0", schemas.schema_v30, oas.OAS30Validator),
        ("3.1", schemas.schema_v31, oas.OAS31Validator),
        ("3.2", schemas.schema_v32, oas.OAS32Validator),
    ],
)
def test_the_schemas_read_as_data_are_the_validators_own(minor: str, document: Any, validator: Any) -> None:
    read = meta_schemas(minor)
    assert read.document == dict(document)
    assert read.meta == validator.META_SCHEMA
    assert read.base_dialect == {"3.1": oas.OAS31_BASE_DIALECT_ID, "3.2": oas.OAS32_BASE_DIALECT_ID}.get(minor)
    retrieved: list[str] = []

    def retrieve(uri: str) -> Any:
        retrieved.append(uri)
        return read.vocabularies[uri]

    jsonschema_rs.validator_for(read.meta, retriever=retrieve)
    assert len(retrieved) == (minor != "3.0")  # the OpenAPI vocabulary; jsonschema-rs knows the drafts
    for uri in retrieved:
        assert read.vocabularies[uri] == REGISTRY.contents(uri)


def test_validation_imports_no_validator_library(tmp_path: Path) -> None:
    # In fresh interpreters sharing a cache: the first validation reads the validators' schemas as data,
    # the second is answered from the cache; neither imports the validators (nor pydantic-settings).
    code = (
        "import sys; from generator.errors import Diagnostics; from generator.paths import DEFAULT_SPEC;"
        " from generator.spec.loader import load_spec; from generator.spec.validate import validate_spec;"
        " spec = load_spec(DEFAULT_SPEC); validate_spec(spec, Diagnostics(spec.source));"
        " print(sorted({'openapi_schema_validator', 'openapi_spec_validator', 'pydantic_settings'} & set(sys.modules)))"
    )
    environment = {**os.environ, "OPENAPI_PYCLIENT_CACHE": str(tmp_path)}
    imported = [
        subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert imported == ["[]\n", "[]\n"]
