"""The validation gate is lenient and complete: common slips generate with a warning (and fail with
``--strict``); what cannot be generated is refused with every problem listed, located, in short lines."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_validate_fast import CHANGES, _pets

from generator.errors import LINE_LIMIT, REPORT_LIMIT, Diagnostics, SpecError
from generator.spec.loader import LoadedSpec
from generator.spec.validate import validate_spec


def _pets_operation(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/pets/{petId}"]["get"]
    return operation


def _pet(document: dict[str, Any]) -> dict[str, Any]:
    pet: dict[str, Any] = document["components"]["schemas"]["Pet"]
    return pet


def _media_less(parameter: dict[str, Any]) -> None:
    """``parameter`` with an empty content map in the place of its schema."""
    del parameter["schema"]
    parameter["content"] = {}


def _name(document: dict[str, Any]) -> dict[str, Any]:
    name: dict[str, Any] = _pet(document)["properties"]["name"]
    return name


# Each slip: the OpenAPI version, the change to a valid document, and where the warning points.
SLIPS: dict[str, tuple[str, Callable[[dict[str, Any]], object], str]] = {
    "const-in-3.0": ("3.0.3", lambda d: _name(d).update(const="rex"), "/components/schemas/Pet/properties/name/const"),
    "title-on-operation": (
        "3.0.3",
        lambda d: _pets_operation(d).update(title="Get"),
        "/paths/~1pets~1{petId}/get/title",
    ),
    "required-false-in-schema": (
        "3.1.0",
        lambda d: _name(d).update(required=False),
        "/components/schemas/Pet/properties/name/required",
    ),
    "required-true-in-schema": (
        "3.0.3",
        lambda d: _name(d).update(required=True),
        "/components/schemas/Pet/properties/name/required",
    ),
    "duplicate-required": (
        "3.1.0",
        lambda d: _pet(d).update(required=["id", "id"]),
        "/components/schemas/Pet/required",
    ),
    "boolean-exclusive-minimum-3.1": (
        "3.1.0",
        lambda d: _pet(d)["properties"]["id"].update(minimum=0, exclusiveMinimum=True),
        "/components/schemas/Pet/properties/id/exclusiveMinimum",
    ),
    "numeric-exclusive-minimum-3.0": (
        "3.0.3",
        lambda d: _pet(d)["properties"]["id"].update(exclusiveMinimum=0),
        "/components/schemas/Pet/properties/id/exclusiveMinimum",
    ),
    "number-version": ("3.0.3", lambda d: d["info"].update(version=1.0), "/info/version"),
    "no-info": ("3.1.0", lambda d: d.pop("info"), "/info"),
    "short-openapi-version": ("3.0.3", lambda d: d.update(openapi=3.0), "/openapi"),
    "duplicate-enum": (
        "3.0.3",
        lambda d: _name(d).update(enum=["a", "a"]),
        "/components/schemas/Pet/properties/name/enum",
    ),
    "type-list-in-3.0": (
        "3.0.3",
        lambda d: _name(d).update(type=["string", "null"]),
        "/components/schemas/Pet/properties/name/type",
    ),
    "path-parameter-not-required": (
        "3.0.3",
        lambda d: _pets_operation(d)["parameters"][0].pop("required"),
        "/paths/~1pets~1{petId}/get/parameters/0/required",
    ),
    "response-without-description": (
        "3.1.0",
        lambda d: _pets_operation(d)["responses"]["200"].pop("description"),
        "/paths/~1pets~1{petId}/get/responses/200",
    ),
    "bad-keyword-in-schema": (
        "3.0.3",
        lambda d: _pet(d)["properties"]["id"].update(minimum="zero"),
        "/components/schemas/Pet/properties/id/minimum",
    ),
    "default-outside-enum": (
        "3.1.0",
        lambda d: _name(d).update(enum=["a", "b"], default="c"),
        "/components/schemas/Pet/properties/name/default",
    ),
    # ShipEngine's insured value: a list for an object. Compiled alone, the schema's reference led nowhere.
    "default-not-of-the-referenced-schema": (
        "3.0.3",
        lambda d: _pets_operation(d)["responses"]["200"]["content"]["application/json"].update(
            schema={"allOf": [{"$ref": "#/components/schemas/Pet"}], "default": [{"id": 1}]}
        ),
        "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/default",
    ),
    # BritBox's PIN check: closed, it required a field it did not declare, and no value could fit.
    "closed-schema-requiring-an-undeclared-field": (
        "3.0.3",
        lambda d: _pet(d).update(additionalProperties=False, required=["id", "status"]),
        "/components/schemas/Pet/required/1",
    ),
    # Jira's screen types: the same, referred to by an allOf that only wraps it beside a description.
    "closed-schema-requiring-an-undeclared-field-wrapped": (
        "3.0.3",
        lambda d: (
            _pet(d).update(additionalProperties=False, required=["id", "status"]),
            _pets_operation(d)["responses"]["200"]["content"]["application/json"].update(
                schema={"allOf": [{"$ref": "#/components/schemas/Pet"}], "description": "A pet."}
            ),
        ),
        "/components/schemas/Pet/required/1",
    ),
    # Gérer mes affaires' profiles: an allOf requiring a File it declares nowhere, which any value fits.
    "open-all-of-requiring-an-undeclared-field": (
        "3.0.3",
        lambda d: _pets_operation(d)["responses"]["200"]["content"]["application/json"].update(
            schema={"allOf": [{"$ref": "#/components/schemas/Pet"}], "required": ["id", "File"]}
        ),
        "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/required/1",
    ),
    # AWS App Runner's service IDs: a 36-character UUID pattern, at most 32 characters.
    "pattern-longer-than-max-length": (
        "3.1.0",
        lambda d: _name(d).update(pattern="[0-9a-f]{8}-[0-9a-f]{4}", maxLength=8),
        "/components/schemas/Pet/properties/name/maxLength",
    ),
    # Xero's files: "id" and "name" required of "Id" and "Name" (the models read "id" as Id's field).
    "required-name-in-another-case": (
        "3.1.0",
        lambda d: _pet(d).update(required=["ID"]),
        "/components/schemas/Pet/required",
    ),
    # BritBox's bodies: a referred object declared a string beside its reference.
    "type-beside-a-reference-in-3.0": (
        "3.0.3",
        lambda d: _pets_operation(d)["responses"]["200"]["content"]["application/json"]["schema"].update(type="string"),
        "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/type",
    ),
    # What 3.0 ignores beside a reference: additionalProperties false refused the referred properties.
    "keyword-beside-a-reference-in-3.0": (
        "3.0.3",
        lambda d: _pets_operation(d)["responses"]["200"]["content"]["application/json"]["schema"].update(
            additionalProperties=False
        ),
        "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/additionalProperties",
    ),
    # Types their own keywords contradict: Plaid's strings with properties, Mercedes-Benz's objects of
    # string enums, Lyft's object all of a string enum.
    "properties-beside-type-string": (
        "3.1.0",
        lambda d: _name(d).update(properties={"first": {"type": "string"}}),
        "/components/schemas/Pet/properties/name",
    ),
    "enum-of-another-type": (
        "3.0.3",
        lambda d: _name(d).update(enum=[{"first": "Rex"}]),
        "/components/schemas/Pet/properties/name/type",
    ),
    # Zoom's 1 and 2 in a schema of type string: YAML reads them unquoted as numbers.
    "enum-values-written-as-another-type": (
        "3.1.0",
        lambda d: _name(d).update(enum=["one", 2]),
        "/components/schemas/Pet/properties/name/enum",
    ),
    "type-an-all-of-part-excludes": (
        "3.1.0",
        lambda d: _name(d).update(allOf=[{"type": "integer"}]),
        "/components/schemas/Pet/properties/name/type",
    ),
    # DigitalOcean's records: mapping values into the YAML files its document was bundled from.
    "mapping-that-leads-nowhere": (
        "3.0.3",
        lambda d: d["components"]["schemas"].update(
            Animal={
                "oneOf": [{"$ref": "#/components/schemas/Pet"}],
                "discriminator": {"propertyName": "name", "mapping": {"rex": "models/pet.yml#/Pet"}},
            }
        ),
        "/components/schemas/Animal/discriminator/mapping/rex",
    ),
    "duplicate-operation-id": (
        "3.1.0",
        lambda d: d["paths"].update(
            {"/pets": {"get": {"operationId": "getPet", "responses": {"200": {"description": "ok"}}}}}
        ),
        "/paths/~1pets/get/operationId",
    ),
    "file-type": ("3.0.3", lambda d: _name(d).update(type="file"), "/components/schemas/Pet/properties/name/type"),
    "example-and-examples": (
        "3.0.3",
        lambda d: _pets_operation(d)["parameters"][0].update(example="1", examples={"one": {"value": "1"}}),
        "/paths/~1pets~1{petId}/get/parameters/0/example",
    ),
    "parameter-without-schema": (
        "3.1.0",
        lambda d: _pets_operation(d)["parameters"][0].pop("schema"),
        "/paths/~1pets~1{petId}/get/parameters/0",
    ),
    "parameter-of-no-media-type": (
        "3.1.0",
        lambda d: _media_less(_pets_operation(d)["parameters"][0]),
        "/paths/~1pets~1{petId}/get/parameters/0/content",
    ),
    "swagger-basic-auth": (
        "3.0.3",
        lambda d: d["components"].update(securitySchemes={"basic": {"type": "basic"}}),
        "/components/securitySchemes/basic/type",
    ),
    "broken-server": ("3.1.0", lambda d: d.update(servers=[{"description": "no url"}]), "/servers/0"),
    "unknown-field-in-a-numbered-response": (
        "3.0.3",
        lambda d: _pets_operation(d)["responses"]["200"].update(foo=1),
        "/paths/~1pets~1{petId}/get/responses/200/foo",
    ),
    "unknown-field-in-xml": (
        "3.0.3",
        lambda d: _name(d).update(xml={"name": "n", "example": "x"}),
        "/components/schemas/Pet/properties/name/xml/example",
    ),
    "unusable-parameter": (
        "3.1.0",
        lambda d: _pets_operation(d)["parameters"].append({"name": "q", "in": "body"}),
        "/paths/~1pets~1{petId}/get/parameters/1/in",
    ),
}


def _run(spec: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", spec.name, "--out", "out", *options],
        cwd=spec.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def _slipped(case: str) -> dict[str, Any]:
    openapi, change, _ = SLIPS[case]
    document = _pets(openapi)
    change(document)
    return document


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """The generator's command line in this process (the cwd): its status and its standard error lines."""
    from generator.cli import main

    status = main(list(args))
    return status, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("case", sorted(SLIPS))
def test_a_slip_generates_with_a_warning_and_fails_with_strict(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # One run shows both: --strict fails only after the whole package was generated in memory.
    monkeypatch.chdir(tmp_path)
    Path("spec.json").write_text(json.dumps(_slipped(case)))
    status, lines = _cli(capsys, "spec.json", "--out", "out", "--strict")
    assert status == 2 and lines[-1].endswith("warning(s) and --strict is set; nothing written"), lines
    assert all(line.startswith("warning: spec.json#/") for line in lines[:-1])
    assert any(line.startswith(f"warning: spec.json#{SLIPS[case][2]}: ") for line in lines)
    assert not Path("out").exists()


def test_warnings_do_not_stop_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.json").write_text(json.dumps(_slipped("title-on-operation")))
    status, lines = _cli(capsys, "spec.json", "--out", "out")
    assert status == 0, lines
    assert lines[0].startswith("warning: spec.json#/paths/~1pets~1{petId}/get/title: unknown field; dropped")
    assert Path("out/.generator-manifest.json").exists()


@pytest.mark.parametrize("case", sorted(SLIPS))
def test_a_repaired_document_passes_the_gate_as_it_is(case: str) -> None:
    document = _slipped(case)
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert diagnostics.warnings
    again = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), again)
    assert again.warnings == []


def _problems(document: dict[str, Any]) -> list[str]:
    """Every line the gate reports for ``document``, warnings and errors alike."""
    diagnostics = Diagnostics("spec.json")
    try:
        validate_spec(LoadedSpec(Path("spec.json"), copy.deepcopy(document)), diagnostics)
    except SpecError as error:
        return diagnostics.warnings + error.lines()
    return diagnostics.warnings


@pytest.mark.parametrize("openapi", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("change", sorted(set(CHANGES) - {"none"}))
def test_every_problem_is_located_below_the_root(openapi: str, change: str) -> None:
    document = _pets(openapi)
    CHANGES[change](document)
    for line in _problems(document):  # some changes break no rule: nothing to locate
        location = line.split(": ")[0].split("#", 1)[1]
        assert location.startswith("/") and len(line) <= LINE_LIMIT, line


def test_many_problems_are_capped_in_location_order() -> None:
    document = _pets("3.1.0")
    properties = _pet(document)["properties"]
    for index in range(REPORT_LIMIT + 10):
        properties[f"p{index:03}"] = {"$ref": f"#/components/schemas/Missing{index}"}
    with pytest.raises(SpecError) as caught:
        validate_spec(LoadedSpec(Path("spec.json"), document), Diagnostics("spec.json"))
    lines = caught.value.lines()
    assert len(lines) == REPORT_LIMIT + 1 and lines[-1] == "... and 10 more"
    assert lines[0].startswith(
        "spec.json#/components/schemas/Pet/properties/p000/$ref: the reference points to nothing"
    )
    assert lines == [*sorted(lines[:-1]), lines[-1]]


def test_lines_stay_short_and_keep_their_reason() -> None:
    document = _pets("3.0.3")
    deep = _pet(document)
    for level in range(30):
        deep["properties"] = {f"a-rather-long-property-name-{level}": {"type": "object"}}
        deep = deep["properties"][f"a-rather-long-property-name-{level}"]
    deep["type"] = "x" * 500  # never echoed in full
    deep["enum"] = ["y" * 300] * 3
    lines = _problems(document)
    assert lines
    for line in lines:
        assert len(line) <= LINE_LIMIT and "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" not in line, line
    assert any("/…/" in line and line.split("#", 1)[1].split(": ", 1)[1].startswith("must be one of") for line in lines)


def test_a_cached_verdict_never_hides_a_repair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", str(tmp_path))
    for case in ("title-on-operation", "const-in-3.0"):
        for _ in range(2):
            diagnostics = Diagnostics("spec.json")
            validate_spec(LoadedSpec(Path("spec.json"), _slipped(case)), diagnostics)
            assert [line.split(": ")[0] for line in diagnostics.warnings] == [f"spec.json#{SLIPS[case][2]}"]


def test_a_shape_mismatch_names_the_field_that_tells_the_shapes_apart() -> None:
    document = _pets("3.0.3")
    document["components"]["securitySchemes"] = {"magic": {"type": "magic"}}
    with pytest.raises(SpecError) as caught:
        validate_spec(LoadedSpec(Path("spec.json"), document), Diagnostics("spec.json"))
    assert caught.value.lines() == [
        'spec.json#/components/securitySchemes/magic/type: must be one of ["apiKey","http","oauth2","openIdConnect"],'
        ' not "magic"'
    ]


def test_checking_a_pattern_prints_no_python_warning(tmp_path: Path) -> None:
    document = _pets("3.1.0")
    _name(document)["pattern"] = "^[a-z&&a-c]+$"  # re warns: possible set intersection
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document))
    result = _run(spec)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_a_percent_encoded_pointer_resolves() -> None:
    # As a URI fragment, a JSON pointer is percent-encoded: ~1pets~1%7BpetId%7D names /pets/{petId}.
    document = _pets("3.1.0")
    ok = "#/paths/~1pets~1%7BpetId%7D/get/responses/200"
    document["paths"]["/pets"] = {"get": {"operationId": "listPets", "responses": {"200": {"$ref": ok}}}}
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert diagnostics.warnings == []


def test_a_reference_out_of_its_kind_leads_to_a_copy_checked_as_that_kind() -> None:
    # SwaggerHub's error responses refer to schemas; two references, one copy, checked as a response.
    document = _pets("3.1.0")
    document["components"]["schemas"]["NotFound"] = {"description": "not found", "type": "object"}
    responses = document["paths"]["/pets/{petId}"]["get"]["responses"]
    responses["404"], responses["410"] = {"$ref": "#/components/schemas/NotFound"}, {
        "$ref": "#/components/schemas/NotFound"
    }
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert [line.split("/responses/")[1] for line in diagnostics.warnings if "leads" in line] == [
        f"{status}/$ref: the reference leads out of the responses, to /components/schemas/NotFound; read as one of them"
        for status in (404, 410)
    ]
    assert responses["404"] == responses["410"] == {"$ref": "#/components/responses/NotFound"}
    assert document["components"]["responses"]["NotFound"]["description"] == "not found"
    assert document["components"]["schemas"]["NotFound"] == {"description": "not found", "type": "object"}


def test_x_webhooks_are_checked_as_the_webhooks_they_are_read_as() -> None:
    # 3.0's x-webhooks, an extension to the document schema, were read unchecked: a crash in normalizing.
    document = _pets("3.0.3")
    broken = {"post": {"requestBody": {"content": 1}, "responses": {"200": {"description": "ok"}}}}
    document["x-webhooks"] = {"pet.born": broken}
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert diagnostics.warnings == [
        "spec.json#/x-webhooks/pet.born/post/requestBody/content: must be object, not integer;"
        " x-webhook pet.born skipped"
    ]
    assert document["x-webhooks"] == {}


@pytest.mark.parametrize("openapi", ["3.0.3", "3.1.0", "3.2.0"])
def test_a_callback_may_be_extended_and_its_expressions_are_path_items(openapi: str) -> None:
    # 3.1's and 3.2's document schemas held a callback's extensions to Path Items: the operation was skipped.
    document = _pets(openapi)
    event = {"post": {"responses": {"200": {"description": "ok"}}}}
    _pets_operation(document)["callbacks"] = {"onEvent": {"x-internal": True, "{$request.query.url}": event}}
    assert _problems(document) == []
    _pets_operation(document)["callbacks"]["onEvent"]["{$request.query.url}"] = True
    assert _problems(document) == [
        "spec.json#/paths/~1pets~1{petId}/get/callbacks/onEvent/{$request.query.url}: must be object, not boolean;"
        " operation GET /pets/{petId} skipped"
    ]


def test_a_reference_into_a_dropped_part_is_dropped_with_it() -> None:
    document = _pets("3.0.3")
    _pet(document)["allOf"] = {"0": {"type": "string"}}  # not a list: dropped
    document["components"]["schemas"]["Tag"] = {"$ref": "#/components/schemas/Pet/allOf/0"}
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert [line.split(": ")[0] for line in diagnostics.warnings] == [
        "spec.json#/components/schemas/Pet/allOf",
        "spec.json#/components/schemas/Tag/$ref",
    ]
    assert document["components"]["schemas"]["Tag"] == {}


def test_a_default_is_checked_against_its_reference_wherever_its_schema_is() -> None:
    # The schema is read where it is (a pointer in a URI): any character of a path or a name gets there.
    document = _pets("3.1.0")
    odd = "/weird/{id}#frag%20 ü?x=1&y"
    schema = {"allOf": [{"$ref": "#/components/schemas/Pet"}], "default": []}
    document["paths"][odd] = {
        "get": {
            "operationId": "weird",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
        }
    }
    document["components"]["schemas"]["Odd.name-_1"] = {**schema, "default": {"id": 1}}
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert [line.split(": ")[0] for line in diagnostics.warnings] == [
        "spec.json#/paths/~1weird~1{id}#frag%20 ü?x=1&y/get/responses/200/content/application~1json/schema/default"
    ]
    assert "default" not in schema and document["components"]["schemas"]["Odd.name-_1"]["default"] == {"id": 1}


def test_a_closed_part_of_an_all_of_may_require_what_another_part_declares() -> None:
    # The models read the parts as one class, which declares the field: nothing to repair.
    document = _pets("3.1.0")
    _pet(document).update(additionalProperties=False, required=["id", "owner"])
    owned = {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"owner": {"type": "string"}}}]}
    inline = {"allOf": [{**_pet(document), "properties": {"id": {"type": "integer"}}}, {"properties": {"owner": {}}}]}
    document["components"]["schemas"].update(OwnedPet=owned, InlinePet=inline)
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert diagnostics.warnings == []


def test_a_closed_schema_may_require_what_is_declared_beside_its_reference() -> None:
    # 3.1: a reference with properties beside it is one class of both (the models extend the one referred
    # to); the check once followed the reference alone and dropped "owner" from the required names.
    document = _pets("3.1.0")
    extended = {
        "$ref": "#/components/schemas/Pet",
        "properties": {"owner": {"type": "string"}},
        "required": ["id", "owner"],
        "additionalProperties": False,
    }
    document["components"]["schemas"]["OwnedPet"] = extended
    diagnostics = Diagnostics("spec.json")
    validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
    assert diagnostics.warnings == [] and extended["required"] == ["id", "owner"]


def test_a_name_required_and_declared_nowhere_is_declared_if_the_schema_is_open_else_dropped() -> None:
    documents = {
        case: _slipped(case)
        for case in ("open-all-of-requiring-an-undeclared-field", "closed-schema-requiring-an-undeclared-field")
    }
    warnings = []
    for document in documents.values():
        diagnostics = Diagnostics("spec.json")
        validate_spec(LoadedSpec(Path("spec.json"), document), diagnostics)
        warnings += [line.split(": ", 1)[1] for line in diagnostics.warnings]
    assert warnings == [
        'required property "File" is not defined; declared as a property of any value',
        'required property "status" is not defined; entry dropped',
    ], warnings
    opened = _pets_operation(documents["open-all-of-requiring-an-undeclared-field"])
    schema = opened["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["properties"] == {"File": {}} and schema["required"] == ["id", "File"]
    assert _pet(documents["closed-schema-requiring-an-undeclared-field"])["required"] == ["id"]
