"""The validation gate: is a loaded document an OpenAPI 3.0/3.1/3.2 description the generator can use?

Lenient: what the generator can repair (see :mod:`generator.spec.sanitize`) becomes a warning;
generation stops (:class:`SpecError`, every problem listed) only for what it cannot: a
document that is not OpenAPI 3.0/3.1/3.2, a reference that leads nowhere, a violation with no
sensible repair. ``--strict`` turns the warnings into a failure too.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from generator.errors import Diagnostics, SpecError
from generator.output import cache
from generator.spec.loader import LoadedSpec
from generator.spec.pointers import pointer, refers_into, resolve, resolve_path

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


#: The sections of ``components``: each holds objects of one kind.
_SECTIONS = frozenset(
    {
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
    }
)
#: The kind of the objects each list or map of the description holds, by its key.
_HELD = {"parameters": "parameters", "responses": "responses", "examples": "examples", "headers": "headers"}
_HELD |= {"links": "links", "callbacks": "callbacks"}


def _kind(path: tuple[str | int, ...]) -> str | None:
    """The kind of object of the description (a section of ``components``) that sits at ``path``, outside
    any schema; ``None`` where its place does not say."""
    keys = tuple(str(key) for key in path)
    if len(keys) == 3 and keys[0] == "components" and keys[1] in _SECTIONS:
        return keys[1]
    if len(keys) == 2 and keys[0] in ("paths", "webhooks"):
        return "pathItems"
    if keys and keys[-1] == "requestBody":
        return "requestBodies"
    if len(keys) >= 2 and keys[-2] in _HELD:
        return _HELD[keys[-2]]
    return "pathItems" if len(keys) >= 3 and keys[-3] == "callbacks" else None


def _read_in_place(
    document: dict[str, Any], outline: Outline, diagnostics: Diagnostics
) -> tuple[Outline, dict[str, tuple[str, str, str]]]:
    """Each reference of the description (not a schema's) that leads out of the places of its kind (a
    parameter's to a schema, or to ``#/info``) led instead to a copy of what it leads to, made once in
    the ``components`` section of that kind, with a warning: the document check holds objects to their
    kind by their place, so the copy is checked (and repaired) as what it stands for (a parameter with
    no ``name`` stopped the generator with a ``KeyError``). The outline, anew if anything changed, and
    for each copy (by its pointer) the first reference to it, where its original is and its kind."""
    from generator.spec.schemacheck import Outline

    copies: dict[tuple[str, str], str] = {}  # (where the target is, its kind): the copy's reference
    origins: dict[str, tuple[str, str, str]] = {}
    for path, ref, in_schema in outline.refs:
        expected = None if in_schema or not ref.startswith("#") else _kind(path)
        if expected is None:
            continue
        try:
            target_path, target = resolve_path(document, ref[1:])
        except KeyError:
            continue  # a reference a repair dropped the target of: unlinked later
        if _kind(target_path) == expected:
            continue
        section = document.setdefault("components", {})
        section = section.setdefault(expected, {}) if isinstance(section, dict) else None
        if not isinstance(section, dict):
            continue  # components (or its section) not a map: the document check says so
        if (where := pointer(*target_path), expected) not in copies:
            name = str(target_path[-1]) if target_path else "document"
            numbered = (f"{name}{number}" for number in itertools.count(2))
            name = next(each for each in itertools.chain([name], numbered) if each not in section)
            section[name] = copy.deepcopy(target)
            copies[where, expected] = "#" + pointer("components", expected, name)
            origins[pointer("components", expected, name)] = (pointer(*path, "$ref"), where or "the document", expected)
        resolve(document, pointer(*path))["$ref"] = copies[where, expected]
        diagnostics.warn(
            pointer(*path, "$ref"),
            f"the reference leads out of the {expected}, to {where or 'the document'}; read as one of them",
        )
    return (Outline(document) if copies else outline), origins


def _at_origins(problems: list[tuple[str, str]], origins: dict[str, tuple[str, str, str]]) -> list[tuple[str, str]]:
    """``problems`` (location, message), each in a copy of :func:`_read_in_place` said of the reference
    that led to it: the copy is nowhere in the user's document."""
    located = []
    for location, message in problems:
        copied = next((each for each in origins if location == each or location.startswith(each + "/")), None)
        if copied is None:
            located.append((location, message))
        else:
            reference, where, kind = origins[copied]
            inside = f" (at {where}{location[len(copied):]})" if location != copied else ""
            located.append((reference, f"the reference leads to {where}, not to one of the {kind}: {message}{inside}"))
    return located


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


def _fingerprints(document: dict[str, Any]) -> tuple[str, str, dict[str, str]]:
    """The document's content hash, with what decides the verdict (the checks' code and the schemas'
    versions); the hash of everything outside ``paths`` with it (``""`` without paths); and each path
    item's: a hash of the item, of its URL and of everything outside ``paths``.

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
        return hashlib.sha256((checks + json.dumps(document, sort_keys=True, default=str)).encode()).hexdigest(), "", {}
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
        return whole, base, {}
    return whole, base, items


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
    outline, origins = _read_in_place(document, outline, diagnostics)
    folder = cache.cache_dir("validated")
    whole, base, items = _fingerprints(document)
    if cache.read(folder, whole) == "valid":
        return
    # The path items found valid beside this very rest of the document: one entry, not one an item (a
    # file written apiece cost GitHub's cold run 0.1-0.7 s before its models could start).
    proven = set((cache.read(folder, base) or "").split()) if items else set()
    unproven = {url for url, key in items.items() if key not in proven}
    if len(unproven) < len(items) and _valid_in_part(document, minor, unproven):
        found = []
    else:
        found = violations(document, minor, outline)
    if not found:
        cache.write(folder, whole, "valid")
        if items:
            cache.write(folder, base, "\n".join(sorted(items.values())))
        return
    for _ in range(_ROUNDS):
        left = repair_violations(document, found, diagnostics, outline)
        if left:
            break
        outline = _unlink_dropped(document, Outline(document), diagnostics)
        dangling = dangling_refs(document, outline)
        if dangling:
            raise SpecError.several(spec.source, _at_origins(dangling, origins))
        found = violations(document, minor, outline)
        if not found:
            return
    else:
        left = found
    problems = [(pointer(*violation.path), violation.reason) for violation in left]
    raise SpecError.several(spec.source, _at_origins(problems, origins))
