"""The validation gate: is a loaded document an OpenAPI 3.0/3.1/3.2 description the generator can use?

Lenient: what the generator can repair (see :mod:`generator.spec.sanitize`) becomes a warning;
generation stops (:class:`SpecError`, every problem listed) only for what it cannot: a
document that is not OpenAPI 3.0/3.1/3.2, a reference that leads nowhere, a violation with no
sensible repair. ``--strict`` turns the warnings into a failure too.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import Diagnostics, SpecError
from generator.output import cache
from generator.spec.loader import LoadedSpec
from generator.spec.pointers import pointer, resolve

if TYPE_CHECKING:
    from generator.spec.schemacheck import Outline

_VERSION = re.compile(r"^3\.(0|1|2)\.\d+$")
# "3.0", "3.1" and "3.2" (a number, when YAML leaves them unquoted), taken for 3.0.0, 3.1.0 and 3.2.0.
_SHORT_VERSION = re.compile(r"^3\.(0|1|2)$")


def _check_version(spec: LoadedSpec, diagnostics: Diagnostics) -> str:
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
    if isinstance(version, (str, float)) and _SHORT_VERSION.match(str(version)):
        document["openapi"] = f"{version}.0"
        diagnostics.warn("/openapi", f"the version must be a string like '{version}.0'; read as such")
        return str(document["openapi"])
    if not isinstance(version, str) or not _VERSION.match(version):
        raise SpecError(
            spec.source, "/openapi", f"unsupported OpenAPI version {version!r}; expected 3.0.x, 3.1.x or 3.2.x"
        )
    return version


def dangling_refs(document: dict[str, Any], outline: Outline) -> list[tuple[str, str]]:
    """(location, message) of every ``$ref`` that points at nothing inside ``document``."""
    broken = {ref for ref in {ref for _, ref, _ in outline.refs} if not resolvable(document, ref)}
    return [
        (pointer(*path, "$ref"), f"the reference points to nothing in the document: {_cut(ref)}")
        for path, ref, _ in outline.refs
        if ref in broken
    ]


def _unlink_dropped(document: dict[str, Any], outline: Outline, diagnostics: Diagnostics) -> Outline:
    """A schema's reference into something a repair dropped is dropped too (every reference led somewhere
    before the repairs); the outline, anew if anything changed."""
    from generator.spec.schemacheck import Outline

    changed = False
    for path, ref, in_schema in outline.refs:
        if in_schema and not resolvable(document, ref):
            del resolve(document, pointer(*path))["$ref"]
            diagnostics.warn(
                pointer(*path, "$ref"),
                f"the reference led into a part dropped as broken, so is dropped too: {_cut(ref)}",
            )
            changed = True
    return Outline(document) if changed else outline


def _cut(ref: str) -> str:
    """``ref`` quoted, cut to fit a line: the pointer shows where the whole reference is."""
    return repr(ref) if len(ref) <= 80 else repr(ref[:77] + "...")


def resolvable(document: dict[str, Any], ref: str) -> bool:
    """Whether a local reference (``#/...``) leads somewhere in ``document``."""
    try:
        resolve(document, ref[1:] if ref.startswith("#") else "\0")
    except KeyError:
        return False
    return True


def _fingerprint(document: dict[str, Any]) -> str:
    """The document's content hash, with what decides the verdict: the checks' code and the schemas' versions."""
    from generator.spec import schemacheck

    canonical = json.dumps(document, sort_keys=True, default=str).encode()
    schemas = " ".join(
        version(name) for name in ("openapi-spec-validator", "openapi-schema-validator", "jsonschema-rs")
    )
    checks = Path(schemacheck.__file__).read_bytes()
    return hashlib.sha256(canonical + schemas.encode() + checks).hexdigest()


# Repairs can uncover new violations (a dropped keyword was hiding another); a few rounds settle them.
_ROUNDS = 3


def validate_spec(spec: LoadedSpec, diagnostics: Diagnostics) -> None:
    """Repair ``spec.document`` in place where the generator can (a warning each); raise :class:`SpecError`,
    listing every problem, where it cannot.

    A document found valid once (by content hash, after the slips are repaired) is not checked again.
    """
    # Imported here: bundle, parse and fixtures import this module for its pointers alone.
    from generator.spec.sanitize import repair_slips, repair_violations
    from generator.spec.schemacheck import Outline, violations

    minor = _check_version(spec, diagnostics)[:3]
    document = spec.document
    outline = Outline(document)
    repair_slips(document, minor, spec.path.stem, diagnostics, outline)
    dangling = dangling_refs(document, outline)
    if dangling:
        raise SpecError.several(spec.source, dangling)
    folder = cache.cache_dir("validated")
    key = _fingerprint(document)
    if cache.read(folder, key) == "valid":
        return
    found = violations(document, minor, outline)
    if not found:
        cache.write(folder, key, "valid")
        return
    for _ in range(_ROUNDS):
        left = repair_violations(document, found, diagnostics, outline)
        if left:
            break
        outline = _unlink_dropped(document, Outline(document), diagnostics)
        dangling = dangling_refs(document, outline)
        if dangling:
            raise SpecError.several(spec.source, dangling)
        found = violations(document, minor, outline)
        if not found:
            return
    else:
        left = found
    raise SpecError.several(spec.source, [(pointer(*violation.path), violation.reason) for violation in left])
