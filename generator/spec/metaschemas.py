"""The schemas a document is checked against, read as data from the packages that publish them.

openapi-spec-validator ships the OpenAPI document schemas, openapi-schema-validator the Schema Object
dialects of 3.1/3.2 and their vocabularies, jsonschema-specifications draft 4 (3.0's Schema Objects).
Their JSON files are read where those packages are installed, without importing them: importing the
validators took a fifth of a small run and 15 MB at its peak (pydantic-settings among them), for their
data alone.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class MetaSchemas:
    """What the documents of one OpenAPI version are checked against."""

    document: dict[str, Any]  # the OpenAPI document schema
    meta: dict[str, Any]  # the meta-schema of Schema Objects
    base_dialect: str | None  # the dialect a 3.1/3.2 Schema Object is in unless it or the document names another
    vocabularies: dict[str, dict[str, Any]]  # by ``$id``: what the meta-schema's references lead to


#: The Schema Object dialect of each version, by the ``$id`` its published meta-schema has.
_OAS_DIALECTS = {
    "3.1": "https://spec.openapis.org/oas/3.1/dialect/base",
    "3.2": "https://spec.openapis.org/oas/3.2/dialect/2025-09-17",
}


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _unchecked(_: str) -> bool:
    return True


#: Every format the meta-schemas use, checked as openapi-schema-validator checks it where it is installed
#: with what it requires: a ``regex`` must compile (as Python's; an ECMA checker is an extra of it), a URI is
#: not checked (jsonschema checks one only with rfc3987, which neither requires), nor is an IRI (3.2's XML
#: namespace). jsonschema-rs would check each its own way, stricter than the reference the gate is held to
#: (``tests/test_validate_fast.py``).
META_SCHEMA_FORMATS: dict[str, Callable[[str], bool]] = {
    "regex": _compiles,
    "uri": _unchecked,
    "uri-reference": _unchecked,
    "iri": _unchecked,
}


@functools.cache
def meta_schemas(minor: str) -> MetaSchemas:
    """The schemas of OpenAPI ``minor`` ("3.0", "3.1" or "3.2")."""
    document = _read(_folder("openapi_spec_validator") / "resources" / "schemas" / f"v{minor}" / "schema.json")
    if minor == "3.0":
        meta = _read(_folder("jsonschema_specifications") / "schemas" / "draft4" / "metaschema.json")
        return MetaSchemas(document, meta, None, {})
    vocabularies = {}  # found by their ids, wherever a release keeps them (a vocabulary's file has no extension)
    for path in sorted((_folder("openapi_schema_validator") / "schemas").rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.suffix in ("", ".json"):
            schema = _read(path)
            vocabularies[str(schema.get("$id"))] = schema
    base_dialect = _OAS_DIALECTS[minor]
    if base_dialect not in vocabularies:
        raise ModuleNotFoundError(f"openapi-schema-validator holds no {base_dialect}; the validation gate needs it")
    return MetaSchemas(document, vocabularies[base_dialect], base_dialect, vocabularies)


def _folder(package: str) -> Path:
    """Where ``package`` is installed, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed; the validation gate reads its schemas")
    return Path(next(iter(spec.submodule_search_locations)))


def _read(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema
