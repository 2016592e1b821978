"""OpenAPI schema checks by openapi-spec-validator: a fast path for the verdict, a slow one for the message.

The fast path is openapi-spec-validator with its JSON Schema checks done by
jsonschema-rs; only its verdict is used. When it finds a problem, or meets
something jsonschema-rs cannot take (an infinity, or a YAML date or non-string
key where a keyword looks), the slow path, the library on pure-Python
jsonschema, runs to report the problem with the messages it has always given.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import jsonschema_rs
from jsonschema import FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError
from jsonschema_path import SchemaPath
from openapi_schema_validator import OAS31_BASE_DIALECT_ID, OAS30Validator, OAS31Validator
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_SPECIFICATIONS
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.schemas.backend.jsonschema import create_validator as create_jsonschema_validator
from openapi_spec_validator.schemas.backend.jsonschema_rs import JsonschemaRsValidatorWrapper
from openapi_spec_validator.validation.keywords import (
    OpenAPIV30SchemaValidator,
    OpenAPIV31SchemaValidator,
    SchemaValidator,
)
from openapi_spec_validator.validation.registries import KeywordValidatorRegistry
from openapi_spec_validator.validation.validators import SpecValidator

_DOCUMENT_SCHEMAS = {"3.0": schema_v30, "3.1": schema_v31}
# The meta-schema of Schema Objects and the format checker the slow path checks them with.
_META_SCHEMAS = {
    "3.0": (OAS30Validator.META_SCHEMA, OAS30Validator.FORMAT_CHECKER),
    "3.1": (OAS31Validator.META_SCHEMA, OpenAPIV31SchemaValidator.schema_validator_format_checker),
}
# Every format those meta-schemas use. jsonschema-rs gets the slow path's own check for each, so
# it is never laxer about one, nor stricter about the URI ones the slow path does not check.
_META_SCHEMA_FORMATS = ("regex", "uri", "uri-reference")


def _conforms(checker: FormatChecker, name: str) -> Callable[[str], bool]:
    return lambda instance: bool(checker.conforms(instance, name))


@functools.cache
def _meta_schema_checker(minor: str) -> Callable[[Any], None]:
    """The slow path's ``check_schema`` for Schema Objects, on jsonschema-rs."""
    meta_schema, format_checker = _META_SCHEMAS[minor]
    validator = jsonschema_rs.validator_for(
        meta_schema,
        retriever=OPENAPI_SPECIFICATIONS.contents,
        validate_formats=True,
        formats={name: _conforms(format_checker, name) for name in _META_SCHEMA_FORMATS},
    )

    def check(schema: Any) -> None:
        if not validator.is_valid(schema):
            raise SchemaError("not a valid Schema Object")

    return check


class _IdList(list[int]):
    """A list with constant-time ``in``: the library looks up every schema in lists of all it has seen."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, schema_id: int) -> None:
        super().append(schema_id)
        self._members.add(schema_id)

    def __contains__(self, schema_id: object) -> bool:
        return schema_id in self._members


class _FastSchemaCheck(SchemaValidator):
    def __init__(self, registry: KeywordValidatorRegistry) -> None:
        super().__init__(registry)
        self.visited_schema_ids = _IdList()
        self.meta_checked_schema_ids = _IdList()


class _FastSchemaCheck30(_FastSchemaCheck, OpenAPIV30SchemaValidator):
    def _get_schema_checker(self, schema: SchemaPath, schema_value: Any) -> Callable[[Any], None]:
        return _meta_schema_checker("3.0")


class _FastSchemaCheck31(_FastSchemaCheck, OpenAPIV31SchemaValidator):
    def _get_schema_checker(self, schema: SchemaPath, schema_value: Any) -> Callable[[Any], None]:
        if self._get_schema_dialect_id(schema, schema_value) == OAS31_BASE_DIALECT_ID:
            return _meta_schema_checker("3.1")
        # Rare enough to keep the library's pure-Python check.
        return super()._get_schema_checker(schema, schema_value)


class _FastV30(OpenAPIV30SpecValidator):
    keyword_validators = dict(OpenAPIV30SpecValidator.keyword_validators, schema=_FastSchemaCheck30)  # noqa: RUF012


class _FastV31(OpenAPIV31SpecValidator):
    keyword_validators = dict(OpenAPIV31SpecValidator.keyword_validators, schema=_FastSchemaCheck31)  # noqa: RUF012


@functools.cache
def _rust_document_validator(minor: str) -> JsonschemaRsValidatorWrapper:
    schema = dict(_DOCUMENT_SCHEMAS[minor])
    # Formats unchecked, like the slow path's validator, which has no format checker.
    return JsonschemaRsValidatorWrapper(schema, jsonschema_rs.validator_for(schema, validate_formats=False))


def _spec_validator(document: dict[str, Any], minor: str, *, fast: bool) -> SpecValidator:
    # The library's own choice of document-schema validator follows an environment variable and
    # takes jsonschema-rs whenever it is installed, so each path sets its own.
    validator: SpecValidator
    if fast:
        validator = {"3.0": _FastV30, "3.1": _FastV31}[minor](document)
        validator.schema_validator = _rust_document_validator(minor)
    else:
        validator = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator}[minor](document)
        validator.schema_validator = create_jsonschema_validator(_DOCUMENT_SCHEMAS[minor])
    return validator


def _fast_path_passes(document: dict[str, Any], minor: str) -> bool:
    try:
        # jsonschema-rs finds two infinities unequal, so `uniqueItems` passes [.inf, .inf].
        json.dumps(document, allow_nan=False, default=str)
        return next(iter(_spec_validator(document, minor, fast=True).iter_errors()), None) is None
    except Exception:  # whatever trips the fast path, the slow path decides
        return False


def first_schema_error(document: dict[str, Any], minor: str) -> ValidationError | None:
    """The first problem openapi-spec-validator reports for ``document`` (OpenAPI ``minor``: "3.0" or "3.1").

    Raises what the library raises for the few broken shapes it does not report.
    """
    if _fast_path_passes(document, minor):
        return None
    return next(iter(_spec_validator(document, minor, fast=False).iter_errors()), None)
