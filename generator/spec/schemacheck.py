"""Every violation of the OpenAPI 3.0/3.1/3.2 rules in a document, each with its JSON pointer.

jsonschema-rs does the work: the document against the OpenAPI document schema, then
every Schema Object against its meta-schema; then the checks openapi-spec-validator
adds (unique operation ids, parameters and tags, path parameters, ``required`` under
``allOf``, defaults that fit their schema). Each violation names the deepest place it
is about and says what is wrong in a few words, never with a whole schema.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from generator.spec.metaschemas import META_SCHEMA_FORMATS, meta_schemas
from generator.spec.operations import path_operations
from generator.spec.pointers import deref, pointer, resolve_path
from generator.spec.schemakeys import SUBSCHEMA_KEYWORDS, wraps_one

Path = tuple[str | int, ...]

# Keys whose values are data, not OpenAPI objects: nothing under them is a schema or a reference.
_DATA_KEYS = frozenset({"example", "examples", "links"})
# Subschemas of a Schema Object, by how the keyword holds them: one, a list, or a map of them.


@dataclass(frozen=True)
class Violation:
    """One broken rule: where (pointer tokens), why, the keyword or check that caught it, and its subject."""

    path: Path
    reason: str
    keyword: str = ""
    detail: str = ""


def path_order(path: Path) -> list[tuple[int, int, str]]:
    """Sort key of a path: token by token, array indices in numeric order."""
    return [(0, token, "") if isinstance(token, int) else (1, 0, token) for token in path]


def subschemas(schema: Any, path: Path) -> list[tuple[Any, Path]]:
    """The schemas directly nested in ``schema`` (at ``path``), with their paths."""
    found: list[tuple[Any, Path]] = []
    if not isinstance(schema, dict):
        return found
    for key, value in schema.items():
        holds = SUBSCHEMA_KEYWORDS.get(key)
        if holds is None:
            continue
        if isinstance(value, list) and (holds == "list" or key == "items"):  # draft 4's items may be a list
            found.extend((item, (*path, key, index)) for index, item in enumerate(value))
        elif holds == "one" and isinstance(value, (dict, bool)):
            found.append((value, (*path, key)))
        elif holds == "map" and isinstance(value, dict):
            found.extend((item, (*path, key, name)) for name, item in value.items())
    return found


def all_schemas(outline: Outline) -> list[tuple[Any, Path]]:
    """Every Schema Object of the outlined document, nested ones included, with its path."""
    return outline.schemas


def _described(key: Any, path: Path) -> bool:
    """Whether ``key`` (at ``path``) holds more of the description: not an extension, but 3.0's
    ``x-webhooks``, read as 3.1's webhooks."""
    return not str(key).startswith("x-") or (key == "x-webhooks" and not path)


class Outline:
    """Where a document keeps its Schema Objects and references, found in one walk."""

    def __init__(self, document: dict[str, Any]) -> None:
        # Schemas not inside another schema, and all schemas.
        self.schema_roots: list[tuple[Any, Path]] = []
        self.schemas: list[tuple[Any, Path]] = []
        # (path of the object holding "$ref", the reference, whether that object is a schema)
        self.refs: list[tuple[Path, str, bool]] = []
        self._walk(document)
        self._add_referenced_schemas(document)

    def _walk(self, document: dict[str, Any]) -> None:
        components = document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        stack: list[tuple[Any, Path]] = [(document, ())]
        while stack:
            node, path = stack.pop()
            if isinstance(node, list):
                stack.extend((value, (*path, index)) for index, value in enumerate(node))
                continue
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("$ref"), str):
                self.refs.append((path, node["$ref"], False))
            for key, value in node.items():
                if node is schemas or key == "schema":
                    self._schema(value, (*path, key))
                elif isinstance(value, (dict, list)) and key not in _DATA_KEYS and _described(key, path):
                    stack.append((value, (*path, key)))

    def _schema(self, root: Any, path: Path) -> None:
        """Record a schema that is not inside another, and what it holds."""
        self.schema_roots.append((root, path))
        stack = [(root, path)]
        while stack:
            schema, where = stack.pop()
            self.schemas.append((schema, where))
            if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
                self.refs.append((where, schema["$ref"], True))
            stack.extend(subschemas(schema, where))

    def _add_referenced_schemas(self, document: dict[str, Any]) -> None:
        """A schema may point at one kept anywhere (``#/x-defs/Pet``): that one is a schema too."""
        roots = {root[1] for root in self.schema_roots}
        seen: set[str] = set()
        index = 0
        while index < len(self.refs):  # the schemas found here add references of their own
            _, ref, in_schema = self.refs[index]
            index += 1
            if not in_schema or not ref.startswith("#/") or ref in seen:
                continue
            seen.add(ref)
            try:
                path, target = resolve_path(document, ref[1:])
            except KeyError:
                continue  # reported as an unresolvable reference
            if any(path[:length] in roots for length in range(1, len(path) + 1)):
                continue
            self._schema(target, path)
            roots.add(path)


def _short(value: Any, limit: int = 40) -> str:
    """``value`` as compact JSON, cut to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
    except ValueError:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    for kind, types in (("boolean", bool), ("integer", int), ("number", float), ("string", str), ("array", list)):
        if isinstance(value, types):
            return kind
    return "object"


def _reason(error: Any) -> str:
    """A few words on what ``error`` (from jsonschema-rs) found wrong: the reason first, values last, short."""
    kind, details, instance = error.kind.name, error.kind.as_dict(), error.instance
    limit = details.get("limit")
    if kind == "type":
        return (
            f"must be {' or '.join(details.get('types') or [details.get('expected', '?')])}, not {_json_type(instance)}"
        )
    if kind == "enum":
        return f"must be one of {_short(details.get('options'), 80)}, not {_short(instance)}"
    if kind == "required":
        return f"the required field {_short(details.get('property'))} is missing"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"must be {'at least' if kind == 'minimum' else 'more than'} {limit}, not {_short(instance)}"
    if kind in ("maximum", "exclusiveMaximum"):
        return f"must be {'at most' if kind == 'maximum' else 'less than'} {limit}, not {_short(instance)}"
    if kind in ("minItems", "minProperties", "minLength"):
        return "must not be empty" if limit == 1 else f"needs at least {limit} {kind[3:].lower()}"
    if kind in ("maxItems", "maxProperties", "maxLength"):
        return f"allows at most {limit} {kind[3:].lower()}"
    if kind == "uniqueItems":
        return f"has repeated items: {_short(instance)}"
    if kind == "pattern":
        return f"does not match the pattern {_short(details.get('pattern'))}: {_short(instance)}"
    if kind == "format":
        return f"not a valid {details.get('format')}: {_short(instance)}"
    if kind == "const":
        return f"must be {_short(details.get('expected_value'))}"
    if kind == "oneOfMultipleValid":
        return "matches more than one of the shapes allowed here"
    if kind in ("oneOf", "anyOf"):
        return "matches none of the shapes allowed here"
    if kind == "falseSchema":
        return "not allowed here"
    message = str(error.message)
    return message if len(message) <= 120 else message[:117] + "..."


def _violation(error: Any, base: Path) -> Violation:
    path = (*base, *error.instance_path)
    detail = str(error.kind.as_dict().get("property", "")) if error.kind.name == "required" else ""
    return Violation(path, _reason(error), error.kind.name, detail)


def _branch_violations(error: Any, base: Path) -> list[Violation]:
    """For a failed ``oneOf``/``anyOf``, what is wrong in the branch the instance was most likely meant for.

    That is the branch that misses the fewest required fields of the instance itself (a Reference
    wants ``$ref``), then has the fewest errors about the instance itself. Branches that tie and each
    refuse the value of one same field (``in: body``) give one list of the values allowed there.
    """
    branches = [list(branch) for branch in getattr(error.kind, "context", None) or [] if branch]
    here = list(error.instance_path)

    def score(branch: list[Any]) -> tuple[int, int, int]:
        shallow = [sub for sub in branch if list(sub.instance_path) == here]
        return sum(1 for sub in shallow if sub.kind.name == "required"), len(shallow), len(branch)

    if not branches:
        return [_violation(error, base)]
    best = min(score(branch) for branch in branches)
    tied = [branch for branch in branches if score(branch) == best]
    if len(tied) == 1:
        return [leaf for sub in tied[0] for leaf in _leaves(sub, base)]
    # A field every branch (else every tied one) wants another value of, as a security scheme's
    # ``type``, tells them apart: its allowed values say what is wrong.
    for candidates in (branches, tied):
        refusals = [
            {tuple(sub.instance_path): sub for sub in branch if sub.kind.name in ("enum", "const")}
            for branch in candidates
        ]
        shared = set.intersection(*(set(refused) for refused in refusals))
        if shared:
            break
    if shared:
        where = min(shared)
        options = [
            option
            for refused in refusals
            for option in refused[where].kind.as_dict().get("options")
            or [refused[where].kind.as_dict().get("expected_value")]
        ]
        reason = f"must be one of {_short(options, 80)}, not {_short(refusals[0][where].instance)}"
        return [Violation((*base, *where), reason, "enum")]
    return [_violation(error, base)]


def _leaves(error: Any, base: Path) -> list[Violation]:
    if error.kind.name in ("oneOf", "anyOf"):
        return _branch_violations(error, base)
    if error.kind.name == "propertyNames":
        # About a key (an additionalOperations method): located at the entry, so a repair drops only it.
        inner = error.kind.as_dict().get("error")
        key = getattr(inner, "instance", None)
        if isinstance(key, str):
            kind = inner.kind.name
            reason = f"the name {_short(key)} " + (
                f"does not match the pattern {_short(inner.kind.as_dict().get('pattern'))}"
                if kind == "pattern"
                else "is not allowed here"
            )
            return [Violation((*base, *error.instance_path, key), reason, "propertyNames")]
    if error.kind.name in ("additionalProperties", "unevaluatedProperties"):
        # One violation per unknown field, located at the field itself (3.1 and 3.2 path items say so
        # with unevaluatedProperties).
        path = (*base, *error.instance_path)
        unexpected = error.kind.as_dict().get("unexpected") or ()
        return [Violation((*path, name), "unknown field", "additionalProperties") for name in unexpected]
    return [_violation(error, base)]


def _violations_from(errors: Iterator[Any], base: Path) -> Iterator[Violation]:
    for error in errors:
        yield from _leaves(error, base)


@functools.cache
def _document_validator(minor: str) -> Any:
    # Formats unchecked, as openapi-spec-validator leaves them in the document schema. x-webhooks, the
    # webhooks of 3.0 documents, are read as 3.1's (generator.model.webhooks): checked as them too.
    document = meta_schemas(minor).document
    path_items = {"type": "object", "additionalProperties": {"$ref": "#/definitions/PathItem"}}
    fields = {**document["properties"], "x-webhooks": document["properties"].get("webhooks", path_items)}
    document = {**document, "properties": fields}
    callbacks = document.get("$defs", {}).get("callbacks")
    if isinstance(callbacks, dict) and "patternProperties" not in callbacks:
        # A Callback Object may be extended (3.1 and 3.2 say so, as 3.0's schema does), but their schemas
        # hold its extensions to Path Items (a $ref beside the expressions' additionalProperties, which do
        # not see its patternProperties): an operation with an `x-internal: true` callback was skipped.
        document["$defs"] = {**document["$defs"], "callbacks": {**callbacks, "patternProperties": {"^x-": True}}}
    return jsonschema_rs.validator_for(document, validate_formats=False)


@functools.cache
def _meta_validator(minor: str) -> Any:
    schemas = meta_schemas(minor)
    return jsonschema_rs.validator_for(
        schemas.meta, retriever=schemas.vocabularies.__getitem__, validate_formats=True, formats=META_SCHEMA_FORMATS
    )


def _dialect_violations(schema: Any, path: Path, dialect: Any) -> Iterator[Violation]:
    """A 3.1 schema in a dialect of its own (``$schema``): checked against that dialect's meta-schema."""
    if not isinstance(dialect, str):
        yield Violation((*path, "$schema"), f"unknown JSON Schema dialect {_short(dialect)}", "$schema")
        return
    try:
        jsonschema_rs.meta.validate(schema)
    except jsonschema_rs.ValidationError as error:
        yield from _violations_from(iter([error]), path)
    except (jsonschema_rs.ReferencingError, ValueError):
        yield Violation((*path, "$schema"), f"unknown JSON Schema dialect {_short(dialect)}", "$schema")


def _schema_violations(document: dict[str, Any], minor: str, outline: Outline) -> Iterator[Violation]:
    meta = _meta_validator(minor)
    base_dialect = meta_schemas(minor).base_dialect
    default_dialect = document.get("jsonSchemaDialect", base_dialect) if base_dialect else None
    for schema, path in outline.schema_roots:
        if not isinstance(schema, (dict, bool)):
            yield Violation(path, f"a schema must be an object or a boolean, not {_json_type(schema)}", "type")
            continue
        dialect = schema.get("$schema", default_dialect) if isinstance(schema, dict) else default_dialect
        if base_dialect and dialect != base_dialect:
            yield from _dialect_violations(schema, path, dialect)
        else:
            yield from _violations_from(meta.iter_errors(schema), path)


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, Path, dict[str, Any], dict[str, Any]]]:
    """``(url, pointer tokens of the operation, operation, path item)`` of every operation."""
    paths = document.get("paths")
    for url, item in (paths.items() if isinstance(paths, dict) else ()):
        for _, tokens, operation in path_operations(item):
            yield url, ("paths", url, *tokens), operation, item


def _parameters(document: dict[str, Any], where: Path, raw: Any) -> list[tuple[Path, str, str]]:
    """The (path, name, location) of each parameter in a list, references followed."""
    result = []
    for index, parameter in enumerate(raw if isinstance(raw, list) else ()):
        try:
            parameter = deref(document, parameter)
        except (KeyError, ValueError):
            continue  # reported as a reference problem
        if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
            result.append(((*where, index), parameter["name"], str(parameter.get("in"))))
    return result


# Where defaults find what their schemas' local references point to.
_DOCUMENT_URI = "urn:openapi-document"
_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def duplicate_operation_ids(document: dict[str, Any]) -> Iterator[Violation]:
    """Each operation whose id an operation before it has: the one check that spans path items."""
    seen_ids: set[str] = set()
    for _, where, operation, _ in _operations(document):
        operation_id = operation.get("operationId")
        if isinstance(operation_id, str):
            if operation_id in seen_ids:
                yield Violation(
                    (*where, "operationId"), f"operation id {_short(operation_id)} is not unique", "operationId"
                )
            seen_ids.add(operation_id)


def _operation_violations(document: dict[str, Any]) -> Iterator[Violation]:
    """Unique operation ids and parameters; path parameters that match the path's template."""
    yield from duplicate_operation_ids(document)
    for url, where, operation, item in _operations(document):
        shared = _parameters(document, ("paths", url, "parameters"), item.get("parameters"))
        own = _parameters(document, (*where, "parameters"), operation.get("parameters"))
        for parameters in (shared, own):
            keys: set[tuple[str, str]] = set()
            for path, name, location in parameters:
                if (name, location) in keys:
                    yield Violation(path, f"duplicate parameter {_short(name)} in {location}", "duplicate")
                keys.add((name, location))
        declared = {name for _, name, location in [*shared, *own] if location == "path"}
        template = set(_TEMPLATE.findall(url))
        for name in sorted(template - declared):
            yield Violation(
                where, f"path parameter {_short(name)} of the path is not declared", "undeclared-path-parameter", name
            )
        for path, name, location in [*shared, *own]:
            if location == "path" and name not in template:
                yield Violation(
                    path, f"path parameter {_short(name)} is not in the path {_short(url)}", "unknown-path-parameter"
                )


def _querystring_violations(document: dict[str, Any]) -> Iterator[Violation]:
    """3.2: the whole query string is one parameter, or made of query parameters, not both.

    The OpenAPI schema says so too, in words no reader would follow; this check runs before it.
    """
    for _, where, operation, item in _operations(document):
        own = _parameters(document, (*where, "parameters"), operation.get("parameters"))
        locations = [location for _, _, location in [*_parameters(document, (), item.get("parameters")), *own]]
        if "querystring" in locations and (locations.count("querystring") > 1 or "query" in locations):
            yield Violation(
                (*where, "parameters"),
                "a querystring parameter must be the only parameter of its operation in query or querystring",
                "querystring",
            )


def _tag_violations(document: dict[str, Any]) -> Iterator[Violation]:
    """Unique tag names; a 3.2 tag's ``parent`` names a tag, and no tag is its own ancestor."""
    seen: set[str] = set()
    tags = document.get("tags")
    parents: dict[str, tuple[int, Any]] = {}
    for index, tag in enumerate(tags if isinstance(tags, list) else ()):
        name = tag.get("name") if isinstance(tag, dict) else None
        if isinstance(name, str):
            if name in seen:
                yield Violation(("tags", index), f"duplicate tag {_short(name)}", "duplicate")
            elif "parent" in tag:
                parents[name] = (index, tag["parent"])
            seen.add(name)
    for name, (index, parent) in parents.items():
        if parent not in seen:
            yield Violation(("tags", index, "parent"), f"the parent tag {_short(parent)} is not declared", "parent")
            continue
        ancestor, steps = parent, 0
        while ancestor in parents and ancestor != name and steps <= len(parents):
            ancestor, steps = parents[ancestor][1], steps + 1
        if ancestor == name:
            yield Violation(("tags", index, "parent"), f"the tag {_short(name)} is nested in itself", "parent")


def _property_names(document: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    """Property names a schema defines, through ``allOf``/``anyOf``/``oneOf``/``not``/``items`` and references."""
    try:
        schema = deref(document, schema, schema=True)  # a reference's siblings define properties too (3.1)
    except (KeyError, ValueError):
        return set()
    if not isinstance(schema, dict) or depth > 32:
        return set()
    names = set(schema.get("properties") or ()) if isinstance(schema.get("properties"), dict) else set()
    for key in ("allOf", "anyOf", "oneOf"):
        inners = schema.get(key)
        for inner in inners if isinstance(inners, list) else ():
            names |= _property_names(document, inner, depth + 1)
    for key in ("items", "not"):
        if key in schema:
            names |= _property_names(document, schema[key], depth + 1)
    return names


def _mapping_violations(document: dict[str, Any], outline: Outline) -> Iterator[Violation]:
    """A discriminator's ``mapping`` values and its ``defaultMapping`` (3.2), references or schemas' names
    written as strings, must lead to a schema: they are no ``$ref``s, so no other check follows them (one to
    a file the bundler could not read is left as written: DigitalOcean's, to YAML files its document was
    bundled from). A mapping value into ``paths`` is left unchecked, as a path item's verdict is kept
    apart from the others' (see ``validate._fingerprints``)."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for schema, path in all_schemas(outline):
        discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
        if not isinstance(discriminator, dict):
            continue
        default = discriminator.get("defaultMapping")
        if isinstance(default, str) and not _leads_to_schema(document, schemas, default):
            yield Violation(
                (*path, "discriminator", "defaultMapping"),
                f"the default mapping leads to no schema: {_short(default, 80)}",
                "defaultMapping",
            )
        mapping = discriminator.get("mapping")
        for tag, value in mapping.items() if isinstance(mapping, dict) else ():
            if isinstance(value, str) and not value.startswith("#/paths/"):
                if not _leads_to_schema(document, schemas, value):
                    yield Violation(
                        (*path, "discriminator", "mapping", tag),
                        f"the mapping of {_short(tag)} leads to no schema: {_short(value, 80)}",
                        "mapping",
                    )


def _leads_to_schema(document: dict[str, Any], schemas: Any, value: str) -> bool:
    """Whether ``value`` (a mapping's) is a pointer into ``document`` that leads somewhere, or the name of
    one of its ``schemas``."""
    try:
        found = resolve_path(document, value[1:]) if value.startswith("#") else None
    except KeyError:
        found = None
    return found is not None or (isinstance(schemas, dict) and value in schemas)


def _at(document: dict[str, Any], path: Path) -> Any:
    """The value at ``path`` of ``document``; ``None`` where it leads nowhere."""
    try:
        return resolve_path(document, pointer(*path))[1]
    except KeyError:
        return None


def _required_violations(document: dict[str, Any], outline: Outline) -> Iterator[Violation]:
    """A schema with ``allOf`` must define every property it requires (as openapi-spec-validator insists),
    and so must a schema closed to other names, which no value could fit (BritBox's PIN check required a
    field it did not declare, which the models left out). Not a part of an ``allOf``: the models read the
    parts as one class, which may declare the field in another; unless that ``allOf`` only wraps it, beside a
    description (Jira's screen types, closed, require ``defaultScreen`` and declare ``default``)."""
    roots = {path for _, path in outline.schema_roots}
    parts = {
        ref for where, ref, _ in outline.refs if where[-2:-1] == ("allOf",) and not wraps_one(_at(document, where[:-2]))
    }
    for schema, path in all_schemas(outline):
        if not isinstance(schema, dict) or not isinstance(schema.get("required"), list):
            continue
        closed = schema.get("additionalProperties") is False and not schema.get("patternProperties")
        part = path[-2:-1] == ("allOf",) or "#" + pointer(*path) in parts
        if (closed and not part) or (isinstance(schema.get("allOf"), list) and path in roots):
            defined = _property_names(document, schema)
            for index, name in enumerate(schema["required"]):
                if isinstance(name, str) and name not in defined:
                    yield Violation(
                        (*path, "required", index), f"required property {_short(name)} is not defined", "required"
                    )


def _length_violations(outline: Outline) -> Iterator[Violation]:
    """A string's ``maxLength`` must leave room for a match of its ``pattern``: where the pattern's shortest
    match is longer, no value fits (AWS App Runner's service IDs: a 36-character UUID, at most 32)."""
    for schema, path in all_schemas(outline):
        if not isinstance(schema, dict) or not isinstance(pattern := schema.get("pattern"), str):
            continue
        longest = schema.get("maxLength")
        if isinstance(longest, int) and not isinstance(longest, bool):
            shortest = _shortest_match(pattern)
            if shortest is not None and shortest > longest:
                yield Violation(
                    (*path, "maxLength"),
                    f"no string of at most {longest} characters matches the pattern (its shortest match has {shortest})",
                    "maxLength",
                )


@functools.lru_cache(maxsize=1024)
def _shortest_match(pattern: str) -> int | None:
    """How many characters a match of ``pattern`` has at least (read as Python reads it); ``None`` when
    Python cannot read it."""
    try:
        return int(sre_parse.parse(pattern).getwidth()[0])
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def _default_violations(document: dict[str, Any], minor: str, outline: Outline) -> Iterator[Violation]:
    """Each ``default`` must fit the schema it stands in (references followed)."""
    registry: Any = None
    # Many defaults sit in alike schemas (`per_page`): each schema text is compiled once.
    compiled: dict[str, Any] = {}
    draft = jsonschema_rs.Draft4 if minor == "3.0" else jsonschema_rs.Draft202012
    validator_class = jsonschema_rs.Draft4Validator if minor == "3.0" else jsonschema_rs.Draft202012Validator
    for schema, path in all_schemas(outline):
        if not isinstance(schema, dict) or "default" not in schema:
            continue
        value = schema["default"]
        if value is None and schema.get("nullable") is True:
            continue
        if registry is None:
            registry = jsonschema_rs.Registry([(_DOCUMENT_URI, document)], draft=draft)
        try:
            text = json.dumps(schema, sort_keys=True, default=str)
            if '"$ref"' in text:
                # Read where it is, in the document: the root of a validator of its own (under the document's
                # URI, or any other), its references led into it or nowhere, and the check with them.
                text, schema = pointer(*path), {"$ref": f"{_DOCUMENT_URI}#{quote(pointer(*path), safe='/~')}"}
            if text not in compiled:
                compiled[text] = validator_class(schema, registry=registry, validate_formats=False)
            errors = list(compiled[text].iter_errors(value))
        except (ValueError, jsonschema_rs.ReferencingError):
            continue  # a schema too broken to apply is reported by the meta-schema check
        if errors:
            yield Violation(
                (*path, "default"), f"the default does not fit its schema ({_reason(errors[0])})", "default"
            )


def _json_view(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with what JSON lacks (a YAML date) as strings: jsonschema-rs takes nothing else."""
    view: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return view


def violations(document: dict[str, Any], minor: str, outline: Outline) -> list[Violation]:
    """Every violation in ``document`` (OpenAPI ``minor``: "3.0", "3.1" or "3.2"), one per place, in place order.

    References that lead nowhere are not among them: :func:`generator.spec.validate.dangling_refs` finds those.
    """
    try:
        return _violations(document, minor, outline)
    except ValueError:  # a value jsonschema-rs cannot take
        view = _json_view(document)
    try:
        return _violations(view, minor, Outline(view))
    except ValueError as error:  # e.g. nested too deep for jsonschema-rs
        return [Violation((), f"the document cannot be checked: {error}")]


def _violations(document: dict[str, Any], minor: str, outline: Outline) -> list[Violation]:
    found: dict[Path, Violation] = {}
    checks = (
        _querystring_violations(document),
        _violations_from(_document_validator(minor).iter_errors(document), ()),
        _schema_violations(document, minor, outline),
        _operation_violations(document),
        _tag_violations(document),
        _required_violations(document, outline),
        _length_violations(outline),
        _mapping_violations(document, outline),
        _default_violations(document, minor, outline),
    )
    for check in checks:
        for violation in check:
            path = _keys_as_written(document, violation.path)
            found.setdefault(path, dataclasses.replace(violation, path=path))
    return sorted(found.values(), key=lambda violation: path_order(violation.path))


def _keys_as_written(document: Any, path: Path) -> Path:
    """``path`` with each token as the document has it: jsonschema-rs gives a key like "200" as a number."""
    node, tokens = document, list[str | int]()
    for token in path:
        if isinstance(node, dict) and isinstance(token, int) and token not in node:
            token = str(token)
        tokens.append(token)
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
    return tuple(tokens)
