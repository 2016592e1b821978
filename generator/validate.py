"""Check that a loaded document is an OpenAPI 3.0/3.1 description we can use."""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from generator import cache
from generator.errors import SpecError, pointer
from generator.loader import LoadedSpec

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

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


def _first_schema_error(spec: LoadedSpec, version: str) -> ValidationError | None:
    # Imported here: the validators are slow to import, and the pipeline runs this in a worker.
    from generator.schemacheck import first_schema_error

    try:
        return first_schema_error(spec.document, version[:3])
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
