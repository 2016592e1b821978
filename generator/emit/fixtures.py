"""Example payloads for every operation: the spec's example where it fits its schema, else a valid instance.

Each JSON payload is checked against its schema (JSON Schema 2020-12 over the
normalized document, formats included, discriminated unions as the models read
them), since the packaged test double sends them through the models: an example
that does not fit is replaced by an instance made from the schema, with a warning
naming the example; when no instance fits either, no fixture is written (with a
warning naming the media type). Binary bodies are written as bytes (``<name>.bin``),
not as JSON strings.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sys
from collections.abc import Iterator
from importlib.metadata import version
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.errors import Diagnostics
from generator.literals import DISPLAY_UNSAFE
from generator.model.ir import Api, Operation
from generator.model.media import STREAM_KINDS, media_kind
from generator.model.normalize import FORMAT_HINT, SCHEMAS, NormalizedSpec, tags_itself, walk_schemas
from generator.output import cache
from generator.runtime._stems import file_stem
from generator.spec import patterns, pointers, schemakeys
from generator.spec.pointers import deref, escape_token, refers_into, resolve, unescape_token
from generator.spec.schemakeys import DATA_KEYWORDS, declared_types

# A status code, or a range such as 5XX.
_STATUS = re.compile(r"[1-5](\d\d|[xX]{2})")

_FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    **dict.fromkeys(("uri", "uri-reference", "iri", "iri-reference", "url", "uri-template"), "https://example.com"),
    "byte": "c3RyaW5n",  # base64 of "string"
}
_MAX_DEPTH = 32
#: The most optional properties of a oneOf's variant tried one by one, to tell its instance from the others'.
_MOST_TELLING = 8
# Where the checker finds the document's schemas.
_DOCUMENT = "urn:openapi-pyclient:document"
# A character for each class a pattern may ask for.
_CATEGORY_SAMPLES = {
    sre.CATEGORY_DIGIT: "0",
    sre.CATEGORY_NOT_DIGIT: "a",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "a",
    sre.CATEGORY_WORD: "a",
    sre.CATEGORY_NOT_WORD: "-",
}
#: The most repetitions beyond their least that a pattern's sample makes, to be of a minimum length.
_MOST_MORE = 64
#: The longest string a pattern's sample may be (longer ones are not made, not to run out of memory).
_LONGEST_SAMPLE = 100_000
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}


class _Checker:
    """Says whether a value fits a schema of the document.

    References are followed as the value needs them, so checking a small value costs
    little however large the document (compiling every schema of Stripe's takes minutes).
    """

    def __init__(self, document: dict[str, Any]) -> None:
        composed: list[dict[str, Any]] = []
        root = {"components": _any_of(document.get("components") or {}, composed=composed)}
        if isinstance(schemas := root["components"].get("schemas"), dict):
            _one_class_each(schemas, composed)
        resource: Resource[Any] = DRAFT202012.create_resource(root)
        self.registry: Registry[Any] = Registry().with_resource(_DOCUMENT, resource)
        self.validators: dict[str, Any] = {}

    def validator(self, schema: Any) -> Any:
        """A validator of ``schema``, or ``None`` when there is nothing to check against."""
        if not isinstance(schema, dict):
            return None  # true or false
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            # Its references lead into the document, of which it is a part (an operation's or a parameter's).
            local = _any_of(schema, base=_DOCUMENT)
            self.validators[key] = _Validator(
                local, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return self.validators[key]

    def problem(self, schema: Any, value: Any) -> str | None:
        """Why ``value`` does not fit ``schema`` (a schema of the document), or ``None`` when it does."""
        validator = self.validator(schema)
        if validator is None:
            return None
        try:
            error = next(iter(validator.iter_errors(value)), None)
        except Exception:  # a schema or pattern the validator cannot use: nothing to check against
            return None
        if error is None:
            return None
        while error.context:  # a union the value fits no member of: the member it went furthest into
            error = max(error.context, key=lambda each: len(each.absolute_path))
        where = "/".join(escape_token(token) for token in error.absolute_path)
        return f"{error.message[:150]} (at /{where})"


# The checker's name for ``patternProperties``: jsonschema's own keyword, and the keywords that read it
# (``additionalProperties``, ``unevaluatedProperties``), match its names with ``re``.
_PATTERN_PROPERTIES = "x-patternProperties"


def _search(pattern: str, text: str) -> bool:
    """Whether the models take ``text`` for ``pattern`` (one they cannot read takes nothing)."""
    try:
        return patterns.search(pattern, text)
    except ValueError:
        return False


def _pattern(validator: Any, pattern: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and isinstance(pattern, str) and not _search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, matched: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "object") and isinstance(matched, dict):
        for pattern, subschema in matched.items():
            for name, value in instance.items():
                if _search(pattern, name):
                    yield from validator.descend(value, subschema, path=name, schema_path=pattern)


def _additional_properties(
    validator: Any, others: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """jsonschema's ``additionalProperties``, of the names neither ``properties`` nor the patterns take."""
    if not validator.is_type(instance, "object"):
        return
    declared, matched = schema.get("properties") or {}, schema.get(_PATTERN_PROPERTIES) or {}
    extras = [name for name in instance if name not in declared and not any(_search(each, name) for each in matched)]
    if isinstance(others, dict):
        for name in extras:
            yield from validator.descend(instance[name], others, path=name)
    elif others is False and extras:
        names = ", ".join(repr(name) for name in sorted(extras))
        yield ValidationError(
            f"Additional properties are not allowed ({names} {'was' if len(extras) == 1 else 'were'} unexpected)"
        )


#: The checker's validator: a document's patterns matched by the models' engine (:mod:`generator.spec.patterns`),
#: never by jsonschema's ``re``, whose backtracking a hostile pattern makes run for minutes.
_Validator = validators.extend(
    Draft202012Validator,
    {"pattern": _pattern, _PATTERN_PROPERTIES: _pattern_properties, "additionalProperties": _additional_properties},
)


def _any_of(node: Any, names: bool = False, composed: list[dict[str, Any]] | None = None, base: str = "") -> Any:
    """``node`` read as the models read it: ``oneOf`` as ``anyOf`` (a value that fits two variants,
    a tagged union whose variants allow unknown properties, is valid), and a schema with
    properties as an object. What it makes of each ``allOf`` goes to ``composed``, if given; each
    reference within the document is made to lead into ``base``, if given (a schema taken out of it)."""
    if isinstance(node, list):
        return [_any_of(item, composed=composed, base=base) for item in node]
    if not isinstance(node, dict):
        return node
    if names:  # a map of names to schemas: its keys are names, not keywords
        return {key: _any_of(value, composed=composed, base=base) for key, value in node.items()}
    read = {
        # Values are kept as written (an enum's object with "properties" is no class); the components'
        # examples too, which are values (GitHub's: 40 % of its components, not walked at all).
        ("anyOf" if key == "oneOf" else key): (
            value if key in DATA_KEYWORDS else _any_of(value, key in _NAME_MAPS, composed, base)
        )
        for key, value in node.items()
    }
    if base and isinstance(read.get("$ref"), str) and read["$ref"].startswith("#"):
        read["$ref"] = base + read["$ref"]
    if isinstance(read.get("patternProperties"), dict):
        read[_PATTERN_PROPERTIES] = read.pop("patternProperties")
    if composed is not None and isinstance(read.get("allOf"), list):
        composed.append(read)
    if isinstance(node.get("properties"), dict) and "type" not in node:
        read["type"] = "object"  # a class, which takes nothing but an object
    elif "items" in node and "type" not in node:
        read["type"] = "array"  # a list (VTEX's match bodies)
    for exclusive, inclusive in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        # OpenAPI 3.0's flag on the bound (the models read it so), where JSON Schema's takes the bound itself.
        if isinstance(flag := read.get(exclusive), bool):
            del read[exclusive]
            if flag and isinstance(bound := read.get(inclusive), int | float) and not isinstance(bound, bool):
                read[exclusive] = read.pop(inclusive)
    return read


# What closes an object to the names its own schema does not declare.
_CLOSING = ("additionalProperties", "unevaluatedProperties")


def _one_class_each(schemas: dict[str, Any], composed: list[dict[str, Any]]) -> None:
    """``schemas`` (read by :func:`_any_of`, changed in place) with each ``allOf`` (of the ``composed``
    schemas it read) read as the models read it: its parts are the bases of one class, which has all of
    their fields. What a part says of other names (``additionalProperties``: the class's extra fields)
    is said of the names no part declares (``unevaluatedProperties`` beside the ``allOf``), where JSON
    Schema says it of the names that part does not declare: a base closed (or open to objects only)
    refused every value of a schema that extends it with fields of its own (Azure's graphrbac users).
    Each part that says so is copied without it; the components stay as they are for the other places
    that refer to them.
    """
    for node in composed:
        parts = node["allOf"]
        # Its own too: JSON Schema says them of the names it declares beside the allOf alone.
        closing = [node[key] for key in _CLOSING if node.get(key, True) is not True]
        opened = [_opened(part, schemas, closing, frozenset()) for part in parts]
        if closing:
            for key in _CLOSING:
                node.pop(key, None)
            node["allOf"] = opened
            node["unevaluatedProperties"] = _strictest(closing)


def _opened(part: Any, schemas: dict[str, Any], closing: list[Any], seen: frozenset[str]) -> Any:
    """``part`` of an ``allOf`` without what it says of other names, which goes to ``closing`` (unless it
    lets them all in); the parts of its own ``allOf``, and the component it refers to (with words beside
    the reference, a description say), alike. ``part`` itself when none of them says anything of them."""
    if not isinstance(part, dict):
        return part
    name = _member_name(part)
    referred = schemas.get(name) if name is not None and name not in seen else None
    within = seen | ({name} if name is not None else set())
    inner = part["allOf"] if isinstance(part.get("allOf"), list) else []
    parts = [_opened(each, schemas, closing, within) for each in inner]
    target = _opened(referred, schemas, closing, within) if isinstance(referred, dict) else None
    says = [key for key in _CLOSING if key in part]
    if not says and all(new is old for new, old in zip(parts, inner, strict=True)) and target is referred:
        return part
    # An open part goes too: what it lets in it counts as evaluated, and the class's extra fields are
    # what the parts together say of them.
    closing += [part[key] for key in says if part[key] is not True]
    copied = {key: value for key, value in part.items() if key not in _CLOSING}
    if target is not referred:  # in place of the reference: the component opened, the words beside it kept
        del copied["$ref"]
        parts.insert(0, target)
    if parts:
        copied["allOf"] = parts
    return copied


def _strictest(closing: list[Any]) -> Any:
    """What all of ``closing`` say of other names at once: ``False`` if one closes them, else every schema."""
    if any(each is False for each in closing):
        return False
    schemas = [each for each in closing if each is not True and each != {}]
    return True if not schemas else schemas[0] if len(schemas) == 1 else {"allOf": schemas}


def _tagged(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each member of a discriminated union, or schema a discriminated base maps,
    read as its class reads it: the class takes its tags only, the property required however its schema
    says it (pydantic's discriminated unions need it, and the model generator fixes it on the class
    wherever the class is used).

    A base told apart by the schemas that extend it (Bitbucket's object, Azure's resources) is, as a value,
    one of them (the model generator types it as their union): its entry becomes that union, and the
    schemas that extend it extend a copy of it instead (else each would be a union of itself). A value
    its member refuses (Azure's deployment script outputs) is refused, not read by the base alone.
    """
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return document
    tagged = dict(schemas)
    names = {id(schema): name for name, schema in schemas.items()}
    extended = _extended(schemas)
    copies = _extended_bases(schemas)
    plain = {SCHEMAS + escape_token(base): SCHEMAS + escape_token(copy) for base, copy in copies.items()}
    for name, schema in schemas.items():
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        if isinstance(parts, list) and any(_ref_of(part) in plain for part in parts):
            tagged[name] = {**schema, "allOf": [_extending(part, plain) for part in parts]}
    for base, copy in copies.items():
        discriminator = schemas[base]["discriminator"]
        prop, mapping = discriminator["propertyName"], discriminator["mapping"]
        # Each value carries one of the members' tags.
        rule = {"type": "object", "required": [prop], "properties": {prop: {"enum": [str(tag) for tag in mapping]}}}
        tagged[copy] = {"allOf": [tagged[base], rule]}
        targets = dict.fromkeys(target for target in mapping.values() if isinstance(target, str))
        tagged[base] = {"anyOf": [_extending({"$ref": target}, plain) for target in targets]}
    for node in walk_schemas(schemas):
        discriminator = node.get("discriminator")
        prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if not (isinstance(discriminator, dict) and isinstance(prop, str)):
            continue
        members = [member for key in ("oneOf", "anyOf") if isinstance(node.get(key), list) for member in node[key]]
        mapping = discriminator.get("mapping")
        if not members and isinstance(mapping, dict) and id(node) in names:
            members = [{"$ref": target} for target in dict.fromkeys(mapping.values()) if isinstance(target, str)]
        named = {_member_name(member): member for member in members}
        for member in members:
            tags = _tags(discriminator, member)
            # A member that others extend (Bing's Response, which SearchResponse extends) holds their tags
            # too: its rule is read by theirs, through their allOf, where their class overrides its tag.
            name = _member_name(member)
            tags += [
                tag
                for other, each in named.items()
                if name in extended.get(other or "", ())
                for tag in _tags(discriminator, each)
            ]
            # A base that maps itself: its tag is its copy's, which its members do not extend.
            name = _member_name(_extending(member, plain))
            if tags and name in tagged:
                # Last, as an allOf folded by _Instances.merged lets its later parts win.
                rule = {"type": "object", "required": [prop], "properties": {prop: {"enum": tags}}}
                tagged[name] = {"allOf": [tagged[name], rule]}
    return {**document, "components": {**document["components"], "schemas": tagged}}


def _extended_bases(schemas: dict[str, Any]) -> dict[str, str]:
    """The name of each base told apart by the schemas that extend it (a discriminator with a mapping, no
    ``oneOf`` or ``anyOf``), and that of a new entry, the copy of it they extend (see :func:`_tagged`)."""
    copies: dict[str, str] = {}
    for name, schema in schemas.items():
        discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
        if (
            isinstance(discriminator, dict)
            and isinstance(discriminator.get("propertyName"), str)
            and isinstance(discriminator.get("mapping"), dict)
            and "oneOf" not in schema
            and "anyOf" not in schema
        ):
            copy = next(
                f"{name}_extended{n or ''}" for n in itertools.count() if f"{name}_extended{n or ''}" not in schemas
            )
            copies[name] = copy
    return copies


def _ref_of(schema: Any) -> Any:
    return schema.get("$ref") if isinstance(schema, dict) else None


def _extending(part: Any, plain: dict[str, str]) -> Any:
    """``part`` (an ``allOf`` part, a union's member), referring to the copy of the base it refers to, if any."""
    ref = _ref_of(part)
    return {**part, "$ref": plain[ref]} if isinstance(ref, str) and ref in plain else part


def _member_name(member: Any) -> str | None:
    """The component a union's member (or an ``allOf`` part) refers to, by name."""
    ref = _ref_of(member)
    return unescape_token(ref.removeprefix(SCHEMAS)) if isinstance(ref, str) and ref.startswith(SCHEMAS) else None


def _extended(schemas: dict[str, Any]) -> dict[str, set[str]]:
    """The components each component extends: those its ``allOf`` refers to, theirs, and so on."""
    direct = {
        name: {_member_name(part) for part in schema.get("allOf") or ()} - {None}
        for name, schema in schemas.items()
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list)
    }
    extended: dict[str, set[str]] = {}
    for name in direct:
        found, pending = set[str](), list(direct[name])
        while pending:
            base = pending.pop()
            if base is not None and base not in found:
                found.add(base)
                pending.extend(direct.get(base, ()))
        extended[name] = found
    return extended


def _tags(discriminator: dict[str, Any], member: Any) -> list[str]:
    """The values of the discriminator that select ``member`` (a reference): those the mapping gives it
    (normalized: references to the renamed classes, every member mapped), else its class's name. A member
    that fixes the value itself (:func:`tags_itself`) gets no name for one: its instances carry their own."""
    ref = member.get("$ref") if isinstance(member, dict) else None
    if not isinstance(ref, str):
        return []
    mapping = discriminator.get("mapping")
    mapped = [str(tag) for tag, target in (mapping.items() if isinstance(mapping, dict) else ()) if target == ref]
    if mapped or tags_itself(member, discriminator.get("propertyName")):
        return mapped
    return [unescape_token(ref.rsplit("/", 1)[-1])]


_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"})


class _Instances:
    """Instances of the document's schemas."""

    def __init__(
        self, document: dict[str, Any], checker: _Checker, form: bool = False, carried: str | None = None
    ) -> None:
        self.document = document
        self.checker = checker  # of the same document: which of a oneOf's variants an instance fits
        self.searching = False  # for an instance of a oneOf that fits one variant alone (see variant)
        # For a form, which writes an empty array or object as nothing at all (a required one would be
        # missing from the request): an item in each array, where its schema allows one, and text for
        # a value of any type (Twilio's Sync data).
        self.form = form
        # The properties only requests (writeOnly) or responses (readOnly) carry, set too: a schema used
        # both ways requires neither kind (see normalize), where the API does (bunq's device secrets).
        self.carried = carried

    def make(self, schema: Any, *, examples: bool = True, depth: int = 0) -> Any:
        """An instance of ``schema`` with its required parts only; ``examples`` prefers the spec's values."""
        if schema is True:  # anything: an empty object says so best (a JSON null reads as no body)
            return {}
        if depth > _MAX_DEPTH or not isinstance(schema, dict):
            return None
        if (both := schemakeys.as_all_of(schema)) is not None:
            return self.make(self.merged(both, depth), examples=examples, depth=depth + 1)
        if isinstance(schema.get("$ref"), str):
            try:
                target = resolve(self.document, schema["$ref"][1:])
            except KeyError:
                return None
            return self.make(target, examples=examples, depth=depth + 1)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return next((value for value in schema["enum"] if value is not None), None)
        if examples:
            if isinstance(schema.get("examples"), list) and schema["examples"]:
                return schema["examples"][0]
            for key in ("example", "default"):
                if key in schema:
                    return schema[key]
        if schema.get("allOf"):
            return self.make(self.merged(schema, depth), examples=examples, depth=depth + 1)
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                return self.variant(schema, key, examples, depth)
        return self.typed(schema, examples, depth)

    def merged(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        """``schema`` with its ``allOf`` members folded in: properties and required lists combined. A
        property two of them declare must fit both: the later's keywords win, the earlier's others hold
        too (SendGrid's message, whose own ``from_email`` has a pattern its common fields' lacks)."""
        merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
        for part in schema["allOf"]:
            part = schemakeys.as_all_of(part) or self.resolved(part, depth)
            if isinstance(part.get("allOf"), list):
                part = self.merged(part, depth + 1)
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    properties = dict(merged.get("properties") or {})
                    for name, later in value.items():
                        earlier = properties.get(name)
                        both = earlier is not None and earlier != later
                        properties[name] = {"allOf": [later, earlier]} if both else later
                    merged["properties"] = properties
                elif key == "required" and isinstance(value, list):
                    merged["required"] = [*(merged.get("required") or []), *value]
                elif key == "discriminator":
                    continue  # a base's: its subclass is one of the schemas it tells apart, not all of them
                else:
                    merged.setdefault(key, value)
        return merged

    def resolved(self, schema: Any, depth: int) -> dict[str, Any]:
        for _ in range(_MAX_DEPTH - depth):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                break
            try:
                schema = resolve(self.document, schema["$ref"][1:])
            except KeyError:
                return {}
        return schema if isinstance(schema, dict) else {}

    def field(self, schema: Any, examples: bool, depth: int) -> Any:
        """An instance of a property's ``schema``; in a form, text for one of any value (an empty object
        would be no field at all)."""
        resolved = self.resolved(schema, depth)
        if self.form and schemakeys.only_annotates(resolved) and not {"example", "examples", "default"} & set(resolved):
            return "string"
        return self.make(schema, examples=examples, depth=depth)

    def without_other_way(self, schema: Any, value: Any, depth: int = 0) -> Any:
        """``value`` (an example, the document's) without the properties only the other way carries: a
        request's ``readOnly`` ones (Jira's components, whose examples hold the ``isAssigneeTypeValid``
        a server refuses in a closed request), a response's ``writeOnly`` ones. Nothing below a union:
        which member the value is, is not known here."""
        other = {"writeOnly": "readOnly", "readOnly": "writeOnly"}.get(str(self.carried))
        if other is None or depth > _MAX_DEPTH:
            return value
        schema = self.resolved(schema, depth)
        if schema.get("allOf"):
            schema = self.merged(schema, depth)
        properties = schema.get("properties")
        if isinstance(value, dict) and isinstance(properties, dict):
            return {
                name: self.without_other_way(properties.get(name), item, depth + 1)
                for name, item in value.items()
                if not self.marked(properties.get(name), other, depth)
            }
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            return [self.without_other_way(schema["items"], item, depth + 1) for item in value]
        return value

    def carries(self, schema: Any, depth: int) -> bool:
        """Whether ``schema`` (a property's), or the one it refers to, is of the kind only these carry."""
        return self.marked(schema, str(self.carried), depth)

    def marked(self, schema: Any, keyword: str, depth: int) -> bool:
        """Whether ``schema`` (a property's), or the one it refers to, says ``keyword`` (``readOnly``...)."""
        return isinstance(schema, dict) and True in (schema.get(keyword), self.resolved(schema, depth).get(keyword))

    def variant(self, schema: dict[str, Any], key: str, examples: bool, depth: int) -> Any:
        """An instance of the first non-null variant together with the rest of ``schema``, as JSON Schema
        reads it: a variant may add no more than a constraint (GitHub's ``anyOf: [{required: [description]},
        {required: [files]}]`` beside the properties, where the variant alone made ``{"description": {}}``),
        and what the schema requires beside its variants is required too. A discriminated member's tag is
        its own (see _tagged). Where ``schema`` names no type but is read as a list or an object (its ``items``,
        its ``properties``), the first variant of that kind (Slack's profile fields: an object or a list, and
        items beside them: the models read a list)."""
        variants = [part for part in schema[key] if not (isinstance(part, dict) and part.get("type") == "null")]
        if "type" not in schema and ("items" in schema or "properties" in schema):
            kind = _untyped_kind(schema)
            variants = [part for part in variants if _may_be(self.resolved(part, depth), kind)] or variants
        rest = {name: value for name, value in schema.items() if name != key}

        def instance(*parts: Any) -> Any:
            return self.make(self.merged({**rest, "allOf": list(parts)}, depth), examples=examples, depth=depth + 1)

        first = instance((variants or schema[key])[0])
        if key == "anyOf" or self.searching or self.fits_one(schema[key], first):
            return first
        # A oneOf's instance must fit one variant alone (a server that checks it refuses the others: zoom's
        # e911 signage, whose variants require nothing): the first variant's instance that does, with one
        # of its optional properties more if need be (its method), or all of them, or for a list one item
        # (here.com's lists of devices to add or to delete: [] is both); else the first instance.
        # The oneOfs within are not searched meanwhile, not to search each of theirs for each of these.
        self.searching = True
        try:
            for chosen in variants:
                merged = self.merged({"allOf": [chosen]}, depth)
                declared = merged.get("properties")
                names = [name for name in declared if isinstance(name, str)] if isinstance(declared, dict) else []
                tries: list[dict[str, Any]] = [
                    {"required": required} for required in ([], *([name] for name in names[:_MOST_TELLING]), names)
                ]
                if "array" in declared_types(merged) or "items" in merged:
                    tries.append({"minItems": 1})
                for constraint in tries:
                    value = instance(chosen, constraint)
                    if self.fits_one(schema[key], value):
                        return value
        finally:
            self.searching = False
        return first

    def fits_one(self, variants: list[Any], value: Any) -> bool:
        """Whether ``value`` fits exactly one of ``variants``."""
        fitting = (variant for variant in variants if self.checker.problem(variant, value) is None)
        return sum(1 for _ in itertools.islice(fitting, 2)) == 1

    def typed(self, schema: dict[str, Any], examples: bool, depth: int) -> Any:
        types = [kind for kind in declared_types(schema) if kind != "null"]
        kind = types[0] if types else "null" if schema.get("type") is not None else _untyped_kind(schema)
        if kind == "object":
            properties = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            names = [name for name in schema.get("required") or () if isinstance(name, str)]
            if self.carried:
                names += [name for name, part in properties.items() if name not in names and self.carries(part, depth)]
            # Then optional ones, as many as minProperties asks (a PATCH body "with at least one field": webflow.com),
            # and names of its own for a map that must not be empty (AWS's tags: minProperties, no properties).
            least = _integer(schema.get("minProperties"), 0)
            for name in properties:
                if len(names) >= least:
                    break
                if name not in names:
                    names.append(name)
            invented = (f"key{number}" for number in itertools.count(1))
            while len(names) < least and extra is not False:
                names.append(next(name for name in invented if name not in properties and name not in names))
            return {
                name: self.field(properties.get(name, extra if isinstance(extra, dict) else {}), examples, depth + 1)
                for name in names
            }
        if kind == "array":
            count = min(
                max(_integer(schema.get("minItems"), 0), int(self.form)), _integer(schema.get("maxItems"), 1000)
            )
            return [self.make(schema.get("items", {}), examples=examples, depth=depth + 1) for _ in range(count)]
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _number(schema, kind)
        if kind == "boolean":
            return False
        return None


def _integer(value: Any, fallback: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000 else fallback


def _may_be(schema: dict[str, Any], kind: str) -> bool:
    """Whether a value of ``schema`` may be of ``kind`` by its declared types (any, where it declares none)."""
    types = declared_types(schema)
    return not types or kind in types


def _untyped_kind(schema: dict[str, Any]) -> str:
    """What the models read a schema that names no type as: a list where it has items (and no
    properties), else an object."""
    return "array" if "items" in schema and "properties" not in schema else "object"


def _string(schema: dict[str, Any]) -> str:
    """A string of the schema's format, pattern and length."""
    shortest, longest = _integer(schema.get("minLength"), 0), _integer(schema.get("maxLength"), 1000)
    pattern = schema.get("pattern")
    formatted = _FORMAT_SAMPLES.get(str(schema.get("format", schema.get(FORMAT_HINT))))
    candidates = [formatted or "string"]
    if isinstance(pattern, str):
        sampled = _sample(pattern, shortest)
        # The format's sample first, where the pattern takes it: the pattern's own may not be of the format
        # (ShipEngine's date-times: digits, all 0, make no date). The pattern's is the one kept if none fits.
        candidates = [sampled] if sampled is not None else []
        if formatted is not None:
            candidates.insert(0 if _search(pattern, formatted) else len(candidates), formatted)
    for text in candidates:
        text = text[:longest] if len(text) > longest and not isinstance(pattern, str) else text
        padded = text + "a" * max(0, shortest - len(text))
        for candidate in (text, padded, "a" * shortest + text):
            if shortest <= len(candidate) <= longest and (not isinstance(pattern, str) or _search(pattern, candidate)):
                return candidate
    return candidates[0] if candidates else "a" * max(shortest, 1)


def _number(schema: dict[str, Any], kind: str) -> int | float:
    """The number closest to zero within the schema's range and step."""

    def bound(key: str, exclusive: str) -> tuple[float | None, bool]:
        value, other = schema.get(key), schema.get(exclusive)
        if isinstance(other, int | float) and not isinstance(other, bool):
            return other, True
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value, other is True
        return None, False

    low, low_open = bound("minimum", "exclusiveMinimum")
    high, high_open = bound("maximum", "exclusiveMaximum")
    step = schema.get("multipleOf")
    step = (
        step
        if isinstance(step, int | float) and not isinstance(step, bool) and step > 0
        else (1 if kind == "integer" else None)
    )
    value: float = 0
    try:
        if low is not None and (value < low or (low_open and value <= low)):
            value = low
            if step:
                value = (int(low // step) + 1) * step if low_open or low % step else low
            elif low_open:
                value = low + 1
        elif high is not None and (value > high or (high_open and value >= high)):
            value = high
            if step:
                value = (int(high // step) - (1 if high_open or not high % step else 0)) * step
            elif high_open:
                value = high - 1
        if kind == "integer" or float(value).is_integer():
            return int(value)
    except OverflowError:  # a step too fine for the bound (1e300 by 1e-300): the bound, for the checker to judge
        value = next(bound for bound in (low, high, 0) if bound is not None)
        return int(value) if float(value).is_integer() else value
    return value


def _sample(pattern: str, shortest: int = 0) -> str | None:
    """A short string the regular expression matches, of at least ``shortest`` characters where its
    repetitions can make one (each repeated more than it must: AWS's ARNs of 50 characters or more, by
    as little as makes it: its UUIDs of 36 exactly), or ``None``."""
    try:
        parsed = sre_parse.parse(pattern)
        text, fewer, more = _emit(parsed, {}), 0, 1
        # Doubled until long enough, then halved back to the least that is.
        while len(text) < shortest and more <= _MOST_MORE:
            text = _emit(parsed, {}, more)
            if len(text) < shortest:
                fewer, more = more, more * 2
        while more <= _MOST_MORE and more - fewer > 1:
            middle = (fewer + more) // 2
            if len(candidate := _emit(parsed, {}, middle)) >= shortest:
                text, more = candidate, middle
            else:
                fewer = middle
    except Exception:  # a pattern Python cannot read, or a construct this does not follow
        return None
    return text if _search(pattern, text) else None


def _emit(items: Any, groups: dict[int, str], more: int = 0) -> str:
    """A string ``items`` (a parsed pattern) matches: each repetition its least, or (one not inside
    another) ``more`` beyond it as far as its most allows."""
    out: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            out.append(chr(value))
        elif op is sre.NOT_LITERAL:
            out.append("b" if value == ord("a") else "a")
        elif op is sre.ANY:
            out.append("a")
        elif op is sre.IN:
            out.append(_in_set(value))
        elif op in _REPEATS:
            low, high, inner = value
            once = _emit(inner, groups)  # only the outermost repetitions stretch: the text grows linearly
            count = min(high, low + more)
            if len(once) * count > _LONGEST_SAMPLE:  # a pattern that asks for more (a{4000000000}) gets none
                raise ValueError("the pattern's shortest match is too long")
            out.append(once * count)
        elif op is sre.SUBPATTERN:
            group, _, _, inner = value
            text = _emit(inner, groups, more)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            out.append(_emit(value, groups, more))
        elif op is sre.BRANCH:
            out.append(_emit(value[1][0], groups, more))
        elif op is sre.CATEGORY:
            out.append(_CATEGORY_SAMPLES.get(value, "a"))
        elif op is sre.GROUPREF:
            out.append(groups.get(value, ""))
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        else:
            raise ValueError(f"unsupported pattern construct {op}")
    return "".join(out)


def _in_set(members: Any) -> str:
    """A character of a ``[...]`` set."""
    negated = bool(members) and members[0][0] is sre.NEGATE
    for candidate in "a0A_- .":
        if _in_members(members[1:] if negated else members, candidate) != negated:
            return candidate
    if not negated and members and members[0][0] in (sre.LITERAL, sre.RANGE):
        return chr(members[0][1] if members[0][0] is sre.LITERAL else members[0][1][0])
    raise ValueError("no character of the set found")


def _in_members(members: Any, character: str) -> bool:
    for op, value in members:
        if op is sre.LITERAL and chr(value) == character:
            return True
        if op is sre.RANGE and value[0] <= ord(character) <= value[1]:
            return True
        if op is sre.CATEGORY:
            code = next((code for code, category in _CATEGORY_CODES.items() if category is value), None)
            if code is not None and re.fullmatch(code, character):
                return True
    return False


_CATEGORY_CODES = {
    r"\d": sre.CATEGORY_DIGIT,
    r"\D": sre.CATEGORY_NOT_DIGIT,
    r"\s": sre.CATEGORY_SPACE,
    r"\S": sre.CATEGORY_NOT_SPACE,
    r"\w": sre.CATEGORY_WORD,
    r"\W": sre.CATEGORY_NOT_WORD,
}


def _example(document: dict[str, Any], media: Any) -> tuple[Any, str] | None:
    """The media type's first example and its pointer below the media type, if it has one."""
    if not isinstance(media, dict):
        return None
    examples = media.get("examples")
    if isinstance(examples, dict):
        for name, example in examples.items():
            try:
                example = deref(document, example)  # often one of components/examples
            except (KeyError, ValueError):
                continue
            if isinstance(example, dict) and "value" in example:
                return example["value"], f"/examples/{escape_token(name)}/value"
    if "example" in media:
        return media["example"], "/example"
    return None


class _Fixtures:
    def __init__(self, spec: NormalizedSpec) -> None:
        self.document = spec.document
        tagged = _tagged(spec.document)
        self.checker = _Checker(tagged)
        self.instances = _Instances(tagged, self.checker)
        self.sent_instances = _Instances(tagged, self.checker, carried="writeOnly")
        self.read_instances = _Instances(tagged, self.checker, carried="readOnly")
        self.form_instances = _Instances(tagged, self.checker, form=True, carried="writeOnly")
        self.warnings: list[tuple[str, str]] = []  # (location, message) of the operation being made

    def payload(self, media: Any, where: str, sent: bool = False, form: bool = False) -> tuple[Any] | None:
        """The media type's example if it fits its schema, else an instance made from the schema, with the
        properties only requests (``sent``) or only responses carry, where they fit; ``None`` (with a
        warning) when neither fits: a fixture its own model refuses is worse than none."""
        schema = media.get("schema") if isinstance(media, dict) else None
        if schema is None:
            schema = True  # any value: an empty object is made, where a JSON null would read as no body
        way = self.sent_instances if sent else self.read_instances
        found = _example(self.document, media)
        if found is not None:
            value, below = found
            problem = self.checker.problem(schema, value)
            if problem is None:
                return (self.this_way(way, schema, value),)
            self.warnings.append(
                (where + below, f"the example does not fit its schema ({problem}); the fixture is made from the schema")
            )
        problem = None
        # For a form, an instance with an item in each array first; then one with empty arrays, if no item fits;
        # an instance with the properties only its way carries, then (if they do not fit) one without them.
        tried = (self.form_instances,) * form + (way, self.instances)
        for instances in tried:
            for examples in (True, False):
                value = instances.make(schema, examples=examples)
                # A form of no field is no body at all (mineskin.org's upload), and a list body of no item sends
                # nothing a server would check (Jellyfin's, Callfire's): one field or item, where one fits.
                least = (
                    {"minProperties": 1} if form and value == {} else {"minItems": 1} if sent and value == [] else None
                )
                if least is not None:
                    filled = instances.make({"allOf": [schema], **least}, examples=examples)
                    value = filled if self.checker.problem(schema, filled) is None else value
                problem = self.checker.problem(schema, value)
                if problem is None:
                    return (self.this_way(way, schema, value),)
        self.warnings.append((where, f"no fixture that fits the schema could be made ({problem}); none is written"))
        return None

    def this_way(self, way: _Instances, schema: Any, value: Any) -> Any:
        """``value`` without the properties only the other ``way`` carries, if it still fits ``schema`` (checked
        again only when some were left out: ``value`` fits already)."""
        kept = way.without_other_way(schema, value)
        return kept if kept == value or self.checker.problem(schema, kept) is None else value

    def operation(self, operation: Operation, folder: str) -> dict[str, str]:
        """``{relative path: text}`` of the operation's fixtures, in ``folder``."""
        document = self.document
        raw = resolve(document, operation.pointer)
        files: dict[str, str] = {}
        payloads: dict[str, tuple[Any] | None] = {}
        body = raw.get("requestBody")
        if operation.body is not None and isinstance(body, dict):
            content = deref(document, body).get("content") or {}
            media_type = operation.body.content_type if operation.body.content_type in content else next(iter(content))
            media = content[media_type]
            where = f"{operation.pointer}/requestBody/content/{escape_token(media_type)}"
            if operation.body.kind in ("text", "binary"):
                found = _example(document, media)
                example = found[0] if found is not None else None
                # Never empty: an empty body is no body, which a required one must not be.
                suffix = "txt" if operation.body.kind == "text" else "bin"
                files[f"{folder}/request.{suffix}"] = example if isinstance(example, str) and example else "example"
            else:
                payloads["request"] = self.payload(
                    media, where, sent=True, form=operation.body.kind in ("form", "multipart")
                )
        responses = raw.get("responses") or {}
        for key, response in responses.items():
            status = key
            if key == "default" and not any(str(code).startswith("2") for code in responses):
                status = "2XX"  # a default alone describes the success too (see Operation.successes)
            if not _STATUS.fullmatch(str(status)):
                continue
            content = deref(document, response).get("content") or {}
            media_type = next((name for name in content if media_kind(str(name)) == "json"), None)
            # Else a stream's: its fixture is one item of it (normalize puts the item's schema in itemSchema).
            streamed = next((name for name in content if media_kind(str(name)) in STREAM_KINDS), None)
            item = content[streamed].get("itemSchema") if isinstance(content.get(streamed), dict) else None
            fixture = f"response_{str(status).upper()}"
            where = f"{operation.pointer}/responses/{escape_token(key)}/content/"
            if media_type is not None:
                payloads[fixture] = self.payload(content[media_type], where + escape_token(media_type))
            elif streamed is not None and isinstance(item, dict):
                payloads[fixture] = self.payload({"schema": item}, where + escape_token(streamed))
        for name, payload in payloads.items():
            if payload is not None:
                files[f"{folder}/{name}.json"] = _json_text(payload[0])
        return files


def _json_text(value: Any) -> str:
    """``value`` as JSON text, non-ASCII letters as they are, each :data:`~generator.literals.DISPLAY_UNSAFE`
    character as its escape (JSON escapes only the controls below U+0020; a terminal acts on U+009B too)."""
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return DISPLAY_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def build_fixtures(spec: NormalizedSpec, api: Api, diagnostics: Diagnostics, shelf: cache.Shelf) -> dict[str, bytes]:
    """``{relative path: content}`` for ``<package>/fixtures/<operation>/...``.

    Each operation's fixtures and warnings are cached on ``shelf`` under a key of all they are made from
    (see :func:`_keys`), so a regeneration after an edit makes only the edited operations' again.
    """
    keys = _keys(spec, api)
    fixtures: _Fixtures | None = None  # made on the first miss: it compiles the document's schemas
    files: dict[str, bytes] = {}
    for operation in api.operations:
        key = keys.get(operation.pointer)
        cached = shelf.get(key) if key is not None else None
        if cached is not None:
            made, warnings = json.loads(cached)
        else:
            fixtures = fixtures or _Fixtures(spec)
            fixtures.warnings = []
            made = fixtures.operation(operation, f"{api.package}/fixtures/{file_stem(operation.method_name)}")
            warnings = fixtures.warnings
            if key is not None:
                shelf.put(key, json.dumps([made, warnings]))
        for location, message in warnings:
            diagnostics.warn(location, message)
        files.update((name, text.encode()) for name, text in made.items())
    shelf.save()
    return files


def _keys(spec: NormalizedSpec, api: Api) -> dict[str, str]:
    """The cache key of each operation's fixtures, by its pointer: what they are made from (the operation,
    everything outside ``paths``, which its references lead into, this code and the checker's); none when a
    reference leads into ``paths``, where an edit of another operation could change them."""
    document = spec.document
    rest = json.dumps({key: value for key, value in document.items() if key != "paths"}, sort_keys=True, default=str)
    if refers_into(document, rest, "paths") or refers_into(document, json.dumps(document.get("paths")), "paths"):
        return {}
    # normalize's too: its schema walk decides which union members are tagged (see _tagged).
    code = cache.code_fingerprint(
        sys.modules[__name__], sys.modules[walk_schemas.__module__], pointers, schemakeys
    ) + version("jsonschema")
    base = hashlib.sha256(f"{code}\0{rest}".encode()).hexdigest()
    keys = {}
    for operation in api.operations:
        body = operation.body and (operation.body.kind, operation.body.content_type)
        made_from = [api.package, operation.method_name, body, resolve(document, operation.pointer)]
        text = json.dumps(made_from, sort_keys=True, default=str)
        keys[operation.pointer] = hashlib.sha256(f"{base}\0{operation.pointer}\0{text}".encode()).hexdigest()
    return keys
