"""The default spec is a valid, complete OpenAPI 3.1 capture of Batch Upsert Course."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

from generator.paths import DEFAULT_SPEC

# StackOne's published list of language codes (a copy, so tests read nothing outside the repo).
LANGUAGE_CODES = Path(__file__).resolve().parent / "data" / "language-codes.txt"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_SPEC.read_text())


@pytest.fixture(scope="module")
def operation(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/unified/lms/courses/batch"]["post"]


def _schema_validator(spec: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    root = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return jsonschema.Draft202012Validator(root)


def test_spec_is_valid_openapi_31(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_seed_request_and_response_validate_against_the_schemas(
    spec: dict[str, Any], seed_request: Any, seed_response: Any
) -> None:
    _schema_validator(spec, "LmsBatchUpsertCourseRequestDto").validate(seed_request)
    _schema_validator(spec, "BatchResultApiModel").validate(seed_response)


def test_the_spec_carries_the_seed_examples(operation: dict[str, Any], seed_request: Any, seed_response: Any) -> None:
    body = operation["requestBody"]["content"]["application/json"]
    assert body["examples"]["seed"]["value"] == seed_request
    assert operation["responses"]["202"]["content"]["application/json"]["examples"]["seed"]["value"] == seed_response


def test_request_schema_rejects_wrong_types(spec: dict[str, Any]) -> None:
    validator = _schema_validator(spec, "LmsBatchUpsertCourseRequestDto")
    for bad in ({}, {"items": None}, {"items": [{"active": "yes"}]}, {"items": [{"languages": [{"value": "xx_XX"}]}]}):
        assert not validator.is_valid(bad), bad


def test_operation_metadata(spec: dict[str, Any], operation: dict[str, Any]) -> None:
    assert spec["info"]["title"] == "StackOne LMS"
    assert spec["servers"][0]["url"] == "https://api.stackone.com"
    assert operation["operationId"] == "lms_batch_upsert_course"
    assert operation["security"] == [{"basic": []}]
    basic = spec["components"]["securitySchemes"]["basic"]
    assert {key: value for key, value in basic.items() if key != "description"} == {"type": "http", "scheme": "basic"}
    # What the generated client's docs and its username/password arguments rely on.
    assert "API key is the username" in basic["description"]
    [header] = operation["parameters"]
    assert (header["name"], header["in"], header["required"]) == ("x-account-id", "header", True)
    assert operation["x-speakeasy-retries"]["statusCodes"] == [429, 408]


def test_all_error_responses_are_declared(spec: dict[str, Any], operation: dict[str, Any]) -> None:
    statuses = sorted(int(code) for code in operation["responses"])
    assert statuses == [202, 400, 401, 403, 404, 408, 409, 412, 422, 429, 500, 501, 502]
    responses = spec["components"]["responses"]
    assert "Retry-After" in responses["RequestTimedOut"]["headers"]
    for name in ("BadRequestResponse", "TooManyRequestsResponse", "BadGatewayResponse"):
        assert spec["components"]["schemas"][name]["required"] == ["statusCode", "message", "timestamp"]
    bad_request = spec["components"]["schemas"]["BadRequestResponse"]["properties"]
    assert {"data", "provider_errors"} <= set(bad_request)


def test_enums_nullability_and_deprecations(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    language = schemas["LanguageEnum"]["properties"]["value"]
    assert language["type"] == ["string", "null"]
    assert len(language["enum"]) == 412 and language["enum"][-2:] == ["unmapped_value", None]
    assert language["enum"][:-1] == LANGUAGE_CODES.read_text().split()
    assert "bs-ME" in language["enum"]
    for name in ("CategoryLevelEnumModel", "SkillLevelEnum"):
        assert schemas[name]["properties"]["value"]["enum"] == [
            "primary",
            "secondary",
            "tertiary",
            "unmapped_value",
            None,
        ]
    assert schemas["CreateCategoriesApiModel"]["properties"]["level"]["deprecated"] is True
    assert schemas["CreateSkillsApiModel"]["properties"]["level"]["deprecated"] is True
    source_types = [option["type"] for option in schemas["SourceValue"]["oneOf"]]
    assert source_types == ["string", "number", "boolean", "object", "array", "null"]
    text = DEFAULT_SPEC.read_text()
    assert "nullable:" not in text  # 3.1 type arrays only
