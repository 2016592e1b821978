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
from typing import TYPE_CHECKING, Any

from generator.errors import Diagnostics, SpecError
from generator.output import cache
from generator.spec.loader import LoadedSpec
from generator.spec.pointers import pointer, refers_into, resolve

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


def _fingerprints(document: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The document's content hash, with what decides the verdict (the checks' code and the schemas'
    versions), and each path item's: a hash of the item, of its URL and of everything outside ``paths``.

    No item has one of its own when a reference leads into ``paths`` (or may: a ``defaultMapping``):
    an item's verdict could then depend on another item.
    """
    from generator.spec import metaschemas, schemacheck

    schemas = " ".join(
        version(name) for name in ("openapi-spec-validator", "openapi-schema-validator", "jsonschema-rs")
    )
    checks = cache.code_fingerprint(schemacheck, metaschemas) + schemas
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return hashlib.sha256((checks + json.dumps(document, sort_keys=True, default=str)).encode()).hexdigest(), {}
    rest = json.dumps({key: value for key, value in document.items() if key != "paths"}, sort_keys=True, default=str)
    base = hashlib.sha256(f"{checks}\0{rest}".encode()).hexdigest()
    items, texts = {}, []
    for url, item in paths.items():
        text = json.dumps(item, sort_keys=True, default=str)
        items[url] = hashlib.sha256(f"{base}\0{len(url)}\0{url}\0{text}".encode()).hexdigest()
        texts.append(text)
    whole = hashlib.sha256(f"{base}\0{'/'.join(items.values())}".encode()).hexdigest()
    # A 3.2 discriminator's defaultMapping is a reference of another kind, checked to lead somewhere.
    if any(refers_into(document, text, "paths") or '"defaultMapping"' in text for text in [rest, *texts]):
        return whole, {}
    return whole, items


def _valid_in_part(document: dict[str, Any], minor: str, unproven: set[str]) -> bool:
    """Whether ``document`` is valid, when each path item but the ``unproven`` was found valid with all
    outside ``paths`` as it is now: the document without those items, and unique operation ids over all."""
    from generator.spec.schemacheck import Outline, duplicate_operation_ids, violations

    part = {key: value for key, value in document.items() if key != "paths"}
    part["paths"] = {url: item for url, item in document["paths"].items() if url in unproven}
    return not violations(part, minor, Outline(part)) and next(duplicate_operation_ids(document), None) is None


# Repairs can uncover new violations (a dropped keyword was hiding another); a few rounds settle them.
_ROUNDS = 3


def validate_spec(spec: LoadedSpec, diagnostics: Diagnostics) -> None:
    """Repair ``spec.document`` in place where the generator can (a warning each); raise :class:`SpecError`,
    listing every problem, where it cannot.

    A document found valid once (by content hash, after the slips are repaired) is not checked again;
    nor is a path item found valid in a document that differed from this one only in other path items
    (a valid part found invalid is checked whole, so a verdict of invalid is always the whole check's).
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
    whole, items = _fingerprints(document)
    if cache.read(folder, whole) == "valid":
        return
    unproven = {url for url, key in items.items() if cache.read(folder, key) != "valid"}
    if len(unproven) < len(items) and _valid_in_part(document, minor, unproven):
        found = []
    else:
        found = violations(document, minor, outline)
    if not found:
        for key in [whole, *(items[url] for url in unproven)]:
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
