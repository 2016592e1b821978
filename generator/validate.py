"""Check that a loaded document is an OpenAPI 3.0/3.1 description we can use."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import deque
from collections.abc import Callable
from importlib.metadata import version
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

from generator import cache
from generator.errors import SpecError, pointer
from generator.loader import LoadedSpec

_VERSION = re.compile(r"^3\.(0|1)\.\d+$")


def _check_version(spec: LoadedSpec) -> str:
    document = spec.document
    if "swagger" in document:
        raise SpecError(
            spec.source,
            "/swagger",
            f"Swagger {document['swagger']} is not supported; convert the document to OpenAPI 3 first",
        )
    version = document.get("openapi")
    if version is None:
        raise SpecError(spec.source, "", "not an OpenAPI document: the 'openapi' field is missing")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise SpecError(spec.source, "/openapi", f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x")
    return version


# Validation has two paths. The fast one is openapi-spec-validator with its JSON Schema checks done
# by jsonschema-rs; only its verdict is used. When it finds a problem, or meets something
# jsonschema-rs cannot take (an infinity, or a YAML date or non-string key where a keyword looks),
# the slow one, the library on pure-Python jsonschema, runs to report the problem with the
# messages it has always given.

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


def _first_schema_error(spec: LoadedSpec, version: str) -> ValidationError | None:
    minor = version[:3]
    if _fast_path_passes(spec.document, minor):
        return None
    try:
        return next(iter(_spec_validator(spec.document, minor, fast=False).iter_errors()), None)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
        # The library raises for a few broken shapes instead of reporting them.
        raise SpecError(
            spec.source,
            "",
            f"the document does not follow the OpenAPI {version} schema ({type(error).__name__}: {error})",
        ) from None


def resolve_pointer(document: Any, ref_pointer: str) -> Any:
    """Follow a local JSON pointer (``/a/b``); raise ``KeyError`` when it leads nowhere."""
    node = document
    if not ref_pointer:
        return node
    for raw in ref_pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(ref_pointer)
    return node


def deref(document: Any, node: Any) -> Any:
    """Follow ``node``'s local ``$ref`` chain to the object it names; a chain that loops raises ``ValueError``."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            raise ValueError(f"reference cycle through {ref!r}")
        seen.add(ref)
        node = resolve_pointer(document, ref[1:])
    return node


def _check_refs(spec: LoadedSpec) -> None:
    """Every ``$ref`` must point at something inside this document."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(spec.document, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                where = pointer(*path, "$ref")
                try:
                    resolve_pointer(spec.document, ref[1:])
                except KeyError:
                    raise SpecError(
                        spec.source, where, f"reference {ref!r} points to nothing in the document"
                    ) from None
            stack.extend((value, (*path, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))


def _locate(document: Any, error: ValidationError) -> str:
    """The JSON pointer of an error's instance within the whole document.

    Errors inside schemas come back relative to the schema being checked, so
    when the path does not lead to the instance from the root, find the first
    node (in document order) from which it does.
    """
    relative = list(error.absolute_path)

    def follows(node: Any) -> bool:
        for token in relative:
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and isinstance(token, int) and token < len(node):
                node = node[token]
            else:
                return False
        return node is error.instance or (type(node) is type(error.instance) and node == error.instance)

    if follows(document):
        return pointer(*relative)
    queue: deque[tuple[Any, tuple[str | int, ...]]] = deque([(document, ())])
    while queue:
        node, path = queue.popleft()
        if path and follows(node):
            return pointer(*path, *relative)
        if isinstance(node, dict):
            queue.extend((value, (*path, key)) for key, value in node.items() if isinstance(value, (dict, list)))
        elif isinstance(node, list):
            queue.extend((value, (*path, index)) for index, value in enumerate(node) if isinstance(value, (dict, list)))
    return pointer(*relative)


def _fingerprint(spec: LoadedSpec) -> str:
    canonical = json.dumps(spec.document, sort_keys=True, default=str).encode()
    validators = " ".join(version(name) for name in ("openapi-spec-validator", "jsonschema-rs"))
    return hashlib.sha256(canonical + validators.encode()).hexdigest()


def validate_spec_cached(spec: LoadedSpec) -> None:
    """:func:`validate_spec`, skipped for a document already found valid (by content hash)."""
    folder = cache.cache_dir("validated")
    key = _fingerprint(spec)
    if cache.read(folder, key) == "valid":
        return
    validate_spec(spec)
    cache.write(folder, key, "valid")


def validate_spec(spec: LoadedSpec) -> None:
    """Raise :class:`SpecError` for the most relevant problem of the document, if any."""
    version = _check_version(spec)
    _check_refs(spec)
    error = _first_schema_error(spec, version)
    if error is not None:
        where = _locate(spec.document, error)
        raise SpecError(spec.source, where, error.message if len(error.message) < 300 else error.message[:297] + "...")
