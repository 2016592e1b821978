"""Rewrite a validated document into the plain JSON Schema shape the model generator reads best.

The input is not modified unless asked. The rewrites keep the meaning of every schema while
smoothing over what real documents do: 3.0's ``nullable`` inside 3.1 documents,
``allOf`` wrapping a single reference, ``null`` listed among enum values,
non-standard ``format`` values, and inline schemas that would get poor names.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from generator.literals import plain_prose
from generator.model.classorder import c3_merge
from generator.model.media import STREAM_KINDS, media_kind
from generator.model.naming import (
    FIELD_NAMES_TAKEN,
    Names,
    OperationNames,
    class_name,
    has_acronym_plural,
    pascal_case,
    snake_case,
    unique,
)
from generator.spec.loader import copied
from generator.spec.operations import HTTP_METHODS, path_operations
from generator.spec.places import Place, place_of, references
from generator.spec.pointers import deref, escape_token, pointer, resolve_path, unescape_token
from generator.spec.schemakeys import (
    ANNOTATIONS,
    DATA_KEYWORDS,
    SUBSCHEMA_KEYWORDS,
    as_all_of,
    declared_types,
    only_annotates,
)

SCHEMAS = "#/components/schemas/"
# Fields of the objects around a schema whose value maps names to what holds it (a list, for an
# operation's parameters): a schema's place name takes the name, not the field.
_NAMED_PARTS = frozenset({"content", "responses", "headers", "parameters"})
# Keywords of a schema of objects or arrays (one without a type may still have them).
_STRUCTURED = frozenset({"properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf"})
# The fields of a server-sent event (WHATWG), as an OpenAPI 3.2 itemSchema of text/event-stream names them.
_EVENT_FIELDS = frozenset({"event", "data", "id", "retry"})
# Formats kept for the model generator, which maps them to precise Python types.
# Any other value is only a hint, and dropping it keeps the field a plain,
# faithful ``str``: "email" would need an extra dependency, pydantic's URL
# and IP types rewrite the value (a trailing slash, a canonical form), and its
# Base64Str (for "byte") refuses base64 of anything but UTF-8 text: keys, images (mux.com).
_KNOWN_STRING_FORMATS = frozenset({"date-time", "date", "time", "uuid", "binary"})
_KNOWN_NUMBER_FORMATS = frozenset({"int32", "int64", "float", "double"})
#: Where a format the models do not read is kept, for the fixtures: the model generator reads no
#: extension, and a server may check the format (an email that is no email is refused).
FORMAT_HINT = "x-openapi-pyclient-format"
# Every name a models module may import (the model generator's imports, with the options and the formats
# normalizing leaves it, and the package's own: base class, open enums, file inputs): no class takes one.
# tests/test_generated_names.py holds the models of the feature-rich specs to it.
IMPORTED_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Enum",
        "Field",
        "FileInput",
        "IntEnum",
        "Literal",
        "OpenEnum",
        "RootModel",
        "StrEnum",
        "TypeAliasType",
        "date",
        "datetime",
        "time",
        "timedelta",
        "UUID",
    }
)
_SCHEMA_LISTS = tuple(key for key, holds in SUBSCHEMA_KEYWORDS.items() if holds == "list")
_SCHEMA_MAPS = tuple(key for key, holds in SUBSCHEMA_KEYWORDS.items() if holds == "map")
_SCHEMA_SINGLE = tuple(key for key, holds in SUBSCHEMA_KEYWORDS.items() if holds == "one")
# Where an inline object is a class of its own in the model generator's output (see hoist_objects).
_OBJECT_PLACES = ("items", "additionalProperties", "anyOf", "oneOf", "prefixItems", "properties", "patternProperties")
# Keywords by which an object's properties may be declared elsewhere than in its ``properties``.
_NOT_PLAIN_OBJECT = ("allOf", "oneOf", "anyOf", "$ref", "patternProperties", "if", "dependentSchemas")
_CHILD_ORDER = {key: rank for rank, key in enumerate((*_SCHEMA_SINGLE, *_SCHEMA_LISTS, *_SCHEMA_MAPS))}


@dataclass(frozen=True)
class NormalizedSpec:
    """The rewritten document and the class name chosen for each component schema."""

    document: dict[str, Any]
    class_names: dict[str, str]
    #: Field names for property names that are not ASCII: Python folds identifiers
    #: with NFKC, so "ﬁeld" would silently become the same attribute as "field".
    field_aliases: dict[str, str]
    #: Unions whose members are tried in order, the first that fits winning (see
    #: :meth:`_Normalizer.split_default_mappings`; done by :mod:`generator.emit.modelgen`); by class name.
    left_to_right: frozenset[str] = frozenset()
    #: JSON pointers of the schemas of multipart file fields, typed as the runtime's file inputs.
    file_inputs: tuple[str, ...] = ()
    #: ``(pointer, message)`` of each discriminator dropped (see :meth:`_Normalizer.drop_contradicted`).
    warnings: tuple[tuple[str, str], ...] = ()

    def class_for_ref(self, ref: str) -> str:
        """The Python class name for a (rewritten) ``#/components/schemas/...`` reference."""
        return unescape_token(ref.removeprefix(SCHEMAS))


def child_schemas(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(label, subschema)`` for every schema nested directly in ``schema``: single ones first,
    then lists, then maps, each in :data:`SUBSCHEMA_KEYWORDS`' order (hoisted names depend on it)."""
    # A schema holds a few keys: looking each up in the table is cheaper than the table's in the schema.
    # Most hold none or one of these (walks call this millions of times): sorted only when there are more.
    keys = [key for key in schema if key in _CHILD_ORDER]
    if len(keys) > 1:
        keys.sort(key=_CHILD_ORDER.__getitem__)
    for key in keys:
        value = schema[key]
        holds = SUBSCHEMA_KEYWORDS[key]
        if holds == "one":
            if isinstance(value, dict):
                yield key, value
        elif holds == "list":
            for index, item in enumerate(value or ()):
                if isinstance(item, dict):
                    yield f"{key}{index}", item
        elif isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict):
                    yield name, item


def webhook_bodies(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The request bodies of each webhook, by its name, in method order, ``$ref``s followed: OpenAPI 3.1's
    ``webhooks``, else 3.0's ``x-webhooks``."""
    declared = document.get("webhooks") if "webhooks" in document else document.get("x-webhooks")
    found: dict[str, list[dict[str, Any]]] = {}
    for name, path_item in declared.items() if isinstance(declared, dict) else ():
        try:
            path_item = deref(document, path_item)
            bodies = [deref(document, op.get("requestBody")) for _, _, op in path_operations(path_item)]
        except ValueError:  # a reference cycle: the webhook has no payload to read
            bodies = []
        found[str(name)] = [body for body in bodies if isinstance(body, dict)]
    return found


def _make_nullable(schema: dict[str, Any]) -> None:
    types = declared_types(schema)
    if types:
        if "null" not in types:
            schema["type"] = [*types, "null"]
    elif "$ref" in schema or any(key in schema for key in _SCHEMA_LISTS):
        core = {key: schema.pop(key) for key in list(schema) if key not in ANNOTATIONS}
        schema["anyOf"] = [core, {"type": "null"}]


def _leave_tags_to_variants(schema: dict[str, Any], resolved: Callable[[Any], dict[str, Any]]) -> None:
    """Of an ``allOf`` with a ``oneOf`` (or ``anyOf``) of references among its parts, drop from its other
    parts written here a property every variant declares too, as values the part's allow (JupyterHub's
    ``RequestIdentity``: ``oneOf: [User, Service]`` and a part whose ``kind`` is ``user`` or ``service``,
    where User's is ``user``): it says nothing the variants do not, and the model generator made it a base
    of each variant's class beside the variant, two bases declaring ``kind`` as two enums, which mypy
    refuses. Kept where the part requires it and a variant does not."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return
    variants = [
        [resolved(ref) for ref in refs]
        for member in members
        if isinstance(member, dict)
        for key in ("oneOf", "anyOf")
        if isinstance(refs := member.get(key), list) and refs and all(isinstance(r, dict) and "$ref" in r for r in refs)
    ]
    if len(variants) != 1:
        return
    [chosen] = variants
    for part in members:
        properties = part.get("properties") if isinstance(part, dict) and "$ref" not in part else None
        if not isinstance(properties, dict):
            continue
        for name, declared in list(properties.items()):
            allowed = _values(resolved(declared) if isinstance(declared, dict) and "$ref" in declared else declared)
            required = name in _listed(part.get("required"))
            narrower = [
                isinstance(own := _listed(variant.get("properties"), {}).get(name), dict)
                and (values := _values(resolved(own) if "$ref" in own else own)) is not None
                and allowed is not None
                and set(values) <= set(allowed)
                and (not required or name in _listed(variant.get("required")))
                for variant in chosen
            ]
            if narrower and all(narrower):
                del properties[name]


def _drop_converted_defaults(schema: dict[str, Any], resolved: Callable[[Any], dict[str, Any]]) -> None:
    """Drop a ``default`` that the field's type converts (see :func:`_converted`): the model generator
    writes the JSON value as the default (linqr's ``output: OutputFile = {"filename": ...}``, Rudder's
    ``id: UUID = "..."``), which mypy refuses and, but for models, pydantic leaves unconverted (a ``str``
    where the class says ``UUID``). The field is then optional, as a server that applies the default
    reads its absence."""
    if "default" in schema and _converted(schema, schema["default"], resolved):
        del schema["default"]


def _converted(schema: Any, value: Any, resolved: Callable[[Any], dict[str, Any]]) -> bool:
    """Whether ``schema`` types some part of ``value`` as other than its JSON value: an object as a model (an
    object with properties, an ``allOf`` or a union: a class of its own or one of a union's), a string as a
    date, a time or a UUID (a format the models read) where no plain string is allowed. A list's items and a map's values are read by
    ``items`` and ``additionalProperties``; an empty list or map holds none."""
    target = resolved(schema)
    if isinstance(value, list):
        return any(_converted(target.get("items"), item, resolved) for item in value)
    if isinstance(value, str):  # converted where every string the type allows (a union's too) has a format
        members = [resolved(member) for member in _listed(target.get("anyOf") or target.get("oneOf"))] or [target]
        formats = [
            member.get("format") in _KNOWN_STRING_FORMATS
            for member in members
            if set(declared_types(member)) - {"null"} == {"string"}
        ]
        return bool(formats) and all(formats)
    if not isinstance(value, dict):
        return False
    if any(key in target for key in ("properties", "allOf", "anyOf", "oneOf")):
        return True
    values = target.get("additionalProperties")
    return isinstance(values, dict) and any(_converted(values, item, resolved) for item in value.values())


def _values(schema: Any) -> list[Any] | None:
    """The values an enum or a const allows, hashable ones only; None for another schema (3.1's ``true``)."""
    if not isinstance(schema, dict):
        return None
    allowed = [schema["const"]] if "const" in schema else schema.get("enum")
    if not isinstance(allowed, list) or not all(isinstance(value, (str, int, bool)) for value in allowed):
        return None
    return allowed


def _listed(value: Any, empty: Any = ()) -> Any:
    """``value`` where it is a list or a map (``required``, ``properties``), else ``empty``."""
    return value if isinstance(value, (list, dict)) else empty


def _extend_referred_parts(schema: dict[str, Any]) -> None:
    """Each ``allOf`` part that is a reference with constraints beside it (3.1) written as an ``allOf`` of
    the two (:func:`as_all_of`), in place: the model generator reads such a part as the reference alone
    (Codat's tax component lost ``required: [name]`` beside its ``ModifiedDates``), while it reads the same
    anywhere else as the class of both."""
    for part in _listed(schema.get("allOf")):
        if (both := as_all_of(part)) is not None:
            part.clear()
            part.update(both)


def _unwrap_single_all_of(schema: dict[str, Any], resolved: Callable[[Any], dict[str, Any]]) -> None:
    """``allOf: [$ref]`` with annotations alone, as the reference: the same class (or an alias of it); beside
    empty parts too, and made nullable by a part of ``nullable: true`` alone (PandaScore's ``allOf:
    [{nullable: true}, {$ref: PlayerBirthYear}]``, a way of 3.0 to let a reference be null: the model
    generator made a class of the part left empty, which refused every number; parts of other
    annotations, AWS's descriptions, it reads well). Not where the schema referred to (``resolved`` reads it)
    has a discriminator: the schemas that extend it are told apart by their tags, each a class of its own
    (Azure's exceptions, which add nothing else; made aliases of their base, the model generator took
    minutes for nine of them and for ten did not finish)."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return
    kept = [member for member in members if not only_annotates(member)]
    dropped = [member for member in members if only_annotates(member)]
    nullable = any(member.get("nullable") is True for member in dropped)
    empty = all(set(member) <= {"nullable"} for member in dropped)  # what the model generator makes a class of
    if len(kept) == 1 and empty and isinstance(kept[0], dict) and "$ref" in kept[0]:
        if "discriminator" in resolved(kept[0]):
            return
        if all(key in ANNOTATIONS or key.startswith("x-") or key == "allOf" for key in schema):
            del schema["allOf"]
            schema["$ref"] = kept[0]["$ref"]
            if nullable:
                _make_nullable(schema)


def _never_valid(schema: dict[str, Any]) -> None:
    """An ``allOf`` with 3.1's ``false`` among its parts takes no value: read as ``not: {}`` (which says so
    too), its annotations kept; the model generator refuses such a part."""
    parts = schema.get("allOf")
    if isinstance(parts, list) and any(part is False for part in parts):
        for key in [key for key in schema if key not in ANNOTATIONS]:
            del schema[key]
        schema["not"] = {}


def _fix_enum(schema: dict[str, Any]) -> None:
    values = schema.get("enum")
    if not isinstance(values, list):
        return
    kept = [value for value in values if value is not None]
    if kept:
        schema["enum"] = kept
    else:
        del schema["enum"]
    if len(kept) < len(values):  # after: making it nullable may move the enum into a member of an anyOf
        _make_nullable(schema)


def _plain_prose(schema: dict[str, Any]) -> None:
    """A description or title as :func:`~generator.literals.plain_prose`, as the models' docstrings show it
    (a value keeps its characters: the models escape them)."""
    for key in ("description", "title"):
        text = schema.get(key)
        if isinstance(text, str):
            schema[key] = plain_prose(text)


def _fix_format(schema: dict[str, Any]) -> None:
    schema.pop(FORMAT_HINT, None)  # the generator's own key: never the document's
    declared = schema.get("format")
    if declared is None:
        return
    types = set(declared_types(schema)) - {"null"}
    known = (
        _KNOWN_STRING_FORMATS
        if types == {"string"}
        else _KNOWN_NUMBER_FORMATS if types <= {"number", "integer"} else frozenset()
    )
    if declared not in known:
        schema[FORMAT_HINT] = schema.pop("format")


def _split_number(schema: dict[str, Any]) -> None:
    """``number`` becomes ``int | float`` so that ``1`` is not turned into ``1.0`` on the wire."""
    types = declared_types(schema)
    if "number" not in types or "format" in schema or "enum" in schema:
        return
    others = [kind for kind in types if kind != "number"]
    constraints: dict[str, Any] = {
        key: schema.pop(key)
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
        if key in schema
    }
    del schema["type"]
    variants: list[dict[str, Any]] = [
        {"type": "integer", **constraints},
        {"type": "number", "format": "double", **constraints},
    ]
    variants += [{"type": kind} for kind in others]
    if "anyOf" in schema or "oneOf" in schema:
        schema["allOf"] = [*schema.get("allOf", []), {"anyOf": variants}]
    else:
        schema["anyOf"] = variants


def _relax_read_write_only(
    schema: dict[str, Any], resolved: Callable[[Any], dict[str, Any]], sent: bool, read: bool
) -> None:
    """readOnly properties are absent from requests and writeOnly ones from responses, so a model of
    a schema that is ``sent`` requires no readOnly property, and one that is ``read`` no writeOnly one
    (Datadog's credentials, writeOnly and required in schemas only ever sent, stay required). A
    property is one way by its own keyword or by the schema it refers to (Apideck's ``id``, a
    reference to its readOnly ``Id``)."""
    properties = schema.get("properties")
    required = schema.get("required")
    if not isinstance(properties, dict) or not isinstance(required, list):
        return
    keywords = ("readOnly",) * sent + ("writeOnly",) * read
    one_way = {
        name
        for name, prop in properties.items()
        if isinstance(prop, dict)
        and any(part.get(keyword) is True for part in (prop, resolved(prop)) for keyword in keywords)
    }
    if one_way & set(required):
        schema["required"] = [name for name in required if name not in one_way]


def _declare_required(schema: dict[str, Any], declared_above: dict[int, frozenset[str] | None]) -> None:
    """A name ``required`` lists that no property declares must still be there, any value allowed (JSON
    Schema): declared as a property of any value, or of ``additionalProperties``' schema, where the model
    generator dropped it and let a request go without it (Postmark's ``TemplateId``). Not in an ``allOf``'s
    part (the model generator reads the name in the other parts), nor in a ``oneOf``'s or ``anyOf``'s
    branch for a name the schema around it declares; ``declared_above`` holds, for each branch met, those
    names (``None`` for an ``allOf``'s part), filled as the walk meets the schema around it."""
    properties = schema.get("properties")
    above = declared_above.get(id(schema), frozenset())
    declared = (above or frozenset()) | (frozenset(properties) if isinstance(properties, dict) else frozenset())
    for key in ("allOf", "oneOf", "anyOf"):
        branches = schema.get(key)
        for branch in branches if isinstance(branches, list) else ():
            declared_above[id(branch)] = None if key == "allOf" else declared
    required = schema.get("required")
    if above is None or not isinstance(required, list) or any(key in schema for key in _NOT_PLAIN_OBJECT):
        return
    if not isinstance(properties, dict):
        if declared_types(schema) != ["object"] or "additionalProperties" in schema:
            return
        properties = schema["properties"] = {}
    extra = schema.get("additionalProperties")
    for name in required:
        if isinstance(name, str) and name not in properties and name not in above:
            properties[name] = copied(extra) if isinstance(extra, dict) else {}


def _open_objects(schema: dict[str, Any]) -> None:
    # JSON Schema allows unknown properties unless told otherwise; say so
    # explicitly so that the models keep them instead of dropping them.
    if "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = True


def tags_itself(member: Any, prop: Any) -> bool:
    """Whether a union's ``member`` fixes the discriminator's property ``prop`` beside its reference
    (``{$ref: Cat, properties: {kind: {const: cat}}}``): the model generator makes it a class of its own,
    selected by that value, not by the name of the schema it refers to."""
    properties = member.get("properties") if isinstance(member, dict) else None
    own = properties.get(prop) if isinstance(properties, dict) and isinstance(prop, str) else None
    return isinstance(own, dict) and ("const" in own or "enum" in own)


def referenced_schema(ref: str) -> str | None:
    """The component schema a reference leads to or into (``#/components/schemas/Pet/properties/id``: ``Pet``);
    ``None`` for a reference to anything else."""
    if not ref.startswith(SCHEMAS):
        return None
    return unescape_token(ref[len(SCHEMAS) :].partition("/")[0])


def renamed_ref(ref: str, renamed: Mapping[str, str]) -> str:
    """``ref`` led to the schema ``renamed`` gives for the one it leads to or into, at the same place inside
    it; ``ref`` itself where ``renamed`` has no new name for that schema."""
    name = referenced_schema(ref)
    if name is None or name not in renamed:
        return ref
    _, slash, inside = ref[len(SCHEMAS) :].partition("/")
    return SCHEMAS + escape_token(renamed[name]) + slash + inside


class _Normalizer:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        components = document.setdefault("components", {})
        self.schemas: dict[str, Any] = components.setdefault("schemas", {})
        # Names models.py imports; a schema called "BaseModel" must not shadow them.
        self.taken = Names(IMPORTED_NAMES)
        self.class_names: dict[str, str] = {}
        self.lowered_names: set[str] = set()
        self.left_to_right: set[str] = set()
        #: By reference, the union of the members a discriminated base or a member of it stands for, and the
        #: base whose discriminator it is (see add_unions_of_members).
        self.unions_of_members: dict[str, tuple[str, str]] = {}
        self.warnings: list[tuple[str, str]] = []
        self.operation_names = OperationNames(document.get("paths"))  # an operation's schemas are named after it

    def add_component(self, wanted: str, schema: dict[str, Any]) -> str:
        """Register ``schema`` under a new component name; return its ``$ref``."""
        # ``taken`` holds every component's name since rename_components: no copy of both per call,
        # which made hoisting quadratic in the number of schemas (seconds on Stripe's document).
        name = unique(class_name(wanted), self.taken)
        self.schemas[name] = schema
        self.class_names[name] = name
        return SCHEMAS + escape_token(name)

    def rename_components(self) -> list[dict[str, Any]]:
        """Give every component schema a valid, unique class name and repoint references; return the
        references to a schema that is not a component of its own (see :meth:`own_referred_schemas`)."""
        renamed: dict[str, str] = {}
        for raw in list(self.schemas):
            renamed[raw] = unique(class_name(raw), self.taken)
        self.schemas = {renamed[raw]: schema for raw, schema in self.schemas.items()}
        self.document["components"]["schemas"] = self.schemas
        self.class_names = {raw: renamed[raw] for raw in renamed}
        outside = {key: value for key, value in self.document.items() if key != "components"}
        outside["components"] = {key: value for key, value in self.document["components"].items() if key != "schemas"}
        referring: list[dict[str, Any]] = []
        parts: tuple[tuple[dict[str, Any], Place], ...] = ((outside, "document"), (self.schemas, "schemas"))
        for part, place in parts:
            for node, where in references(part, place):
                ref = node["$ref"] = renamed_ref(node["$ref"], renamed)
                if referenced_schema(ref) is None:
                    not_a_component = where == "schema" and ref.startswith("#/")  # a schema written outside them
                else:
                    not_a_component = "/" in ref[len(SCHEMAS) :]  # a schema inside a component
                if not_a_component:
                    referring.append(node)
        return referring

    def own_referred_schemas(self, referring: list[dict[str, Any]]) -> None:
        """Move each schema the ``referring`` objects refer to that is not a component of its own, inside
        one (``#/components/schemas/Pet/properties/kind``) or elsewhere (``#/paths/~1systems/get/responses/
        200/content/application~1json/schema/properties/meta``), into a component, referred to there too.

        The client names a body's or a parameter's type by its component; hoisting moves an operation's
        schemas into components, which left a reference into one dangling (an internal error); and the
        model generator names a class for a pointer after its last part alone, numbering repeats
        (``Items``, ``ItemsModel``...): a component named so was renamed behind the client's back (codat's
        ``Items`` became ``Items1``, its name an alias of another model). The deepest first, so that a
        schema moved holds the reference to one moved from inside it.
        """
        referred: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
        for node in referring:
            try:
                where, target = resolve_path(self.document, node["$ref"][1:])
            except KeyError:
                continue  # validation refused a reference that leads nowhere; this one is data
            # (A reference to something other than a schema, a response say, is left as it is.)
            if isinstance(target, dict) and place_of(where) == "schema":
                referred.setdefault(where, []).append(node)
        for where in sorted(referred, key=len, reverse=True):
            holder = resolve_path(self.document, pointer(*where[:-1]))[1]
            ref = self.add_component(self._place_name(where), holder[where[-1]])
            holder[where[-1]] = {"$ref": ref}
            for node in referred[where]:
                node["$ref"] = ref

    def _place_name(self, where: tuple[str | int, ...]) -> str:
        """A name for the schema at ``where`` (keys from the document down), outside the components' schemas:
        after its operation and its part, as hoisting names an operation's schemas (``ListSystemsResponse200``,
        then ``Meta`` for its property ``meta``), or after its webhook or component (``ConnectionId`` for that
        parameter's schema), then after each named part it sits in (a property, a header, a parameter)."""
        stem, rest = "", list(where)
        if where[:1] == ("paths",) and len(where) > 2:
            stem, rest = pascal_case(str(where[1])), list(where[2:])  # a path item's own parameters
            for _, tokens, _ in path_operations(self.document["paths"][where[1]]):
                if tuple(rest[: len(tokens)]) == tokens:
                    stem = pascal_case(self.operation_names(str(where[1]), tokens[-1]))
                    rest = rest[len(tokens) :]
                    break
        elif where[:1] in (("components",), ("webhooks",)) and len(where) > 2:
            stem, rest = pascal_case(str(where[2])), list(where[3:])
        words = [stem]
        node: Any = resolve_path(self.document, pointer(*where[: len(where) - len(rest)]))[1]
        while rest:
            key = rest.pop(0)
            node = node[key]
            if rest and (key in _NAMED_PARTS or SUBSCHEMA_KEYWORDS.get(str(key)) in ("map", "list")):
                label = rest.pop(0)
                node = node[label]
                if key == "responses":
                    words.append(f"Response{pascal_case(str(label))}")
                elif key == "parameters" and isinstance(node, dict) and isinstance(node.get("name"), str):
                    words.append(_part_name(node["name"]))
                elif key != "content":  # a media type names no part
                    words.append(_part_name(f"{key}{label}" if isinstance(label, int) else str(label)))
            elif key == "requestBody":
                words.append("Body")
            elif key not in ("schema", *HTTP_METHODS):
                words.append(_part_name(str(key)))
        return "".join(words)

    def hoist_enums(self, owner: str, schema: dict[str, Any]) -> None:
        """Move inline string enums into components named after where they sit."""
        for label, child in list(child_schemas(schema)):
            self.hoist_enums(owner + _part_name(label), child)
            if (
                isinstance(child.get("enum"), list)
                and child["enum"]
                and set(declared_types(child)) - {"null"} == {"string"}
            ):
                enum_schema = {key: value for key, value in child.items() if key not in ANNOTATIONS}
                enum_schema["type"] = "string"
                nullable = "null" in declared_types(child)
                for key in list(child):
                    if key not in ANNOTATIONS:
                        del child[key]
                ref = self.add_component(owner + _part_name(label), enum_schema)
                if nullable:
                    child["anyOf"] = [{"$ref": ref}, {"type": "null"}]
                else:
                    child["$ref"] = ref

    def hoist_objects(self, owner: str, schema: dict[str, Any]) -> None:
        """Give a component of its own to each inline object schema (one with properties) below ``schema``
        where the model generator would make a class of it: ``RepositoryPermissions`` for the object of
        ``Repository``'s property ``permissions``, named after where it sits, as enums are.

        The model generator names such a class after its property alone and numbers the repeats
        (``Permissions``, ``Permissions1``, ...) in the order it meets them: a class's name would change
        when an unrelated schema gains a property of the same name. It also compares every class named
        alike by rendering both, which took a quarter of its time on GitHub's document (1,263 such
        classes). As components, objects written alike are also given to it once (:mod:`generator.emit.identical`).
        Not hoisted: ``allOf`` members (their fields are the class's own, not a base of it) and the members
        of a union with a discriminator (a member that is a component may take its name as its tag).
        """
        for label, child in list(child_schemas(schema)):
            self.hoist_objects(owner + _part_name(label), child)
        for key in _OBJECT_PLACES:
            value = schema.get(key)
            if SUBSCHEMA_KEYWORDS[key] == "one":
                if _inline_object(value):
                    schema[key] = self._hoisted(owner + _part_name(key), value)
            elif SUBSCHEMA_KEYWORDS[key] == "list":
                if isinstance(value, list) and "discriminator" not in schema:
                    for index, member in enumerate(value):
                        if _inline_object(member):
                            value[index] = self._hoisted(owner + _part_name(f"{key}{index}"), member)
            elif isinstance(value, dict):
                for name, child in value.items():
                    if isinstance(name, str) and _inline_object(child):
                        value[name] = self._hoisted(owner + _part_name(name), child)

    def _hoisted(self, wanted: str, schema: dict[str, Any]) -> dict[str, Any]:
        """A reference to a new component of ``schema``'s shape, its annotations (a description) kept beside it."""
        core = {key: value for key, value in schema.items() if key not in ANNOTATIONS}
        kept = {key: value for key, value in schema.items() if key in ANNOTATIONS}
        return {**kept, "$ref": self.add_component(wanted, core)}

    def hoist_name_takers(self, owner: str, schema: dict[str, Any]) -> None:
        """Give a component of its own to each inline schema the model generator would name after a
        property that is also a component's name.

        datamodel-code-generator names an inline schema after its property (``invoice``, or ``Invoice``
        for the items of ``invoices``); when that is a component's name and the inline schema comes
        first, the component's class is renamed (``InvoiceModel``) while the client still says
        ``Invoice``. Named here, under a name no other schema has, the inline schema takes nothing.
        """
        for label, child in list(child_schemas(schema)):
            self.hoist_name_takers(owner + _part_name(label), child)
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        components = self.lowered_names
        for name, child in list(properties.items()):
            if not isinstance(name, str) or not isinstance(child, dict) or not _named_inline(child):
                continue
            word = pascal_case(name).lower()
            if {word, word.removesuffix("s"), word + "item"} & components:
                properties[name] = self._hoisted(owner + _part_name(name), child)
                self.lowered_names.add(properties[name]["$ref"].removeprefix(SCHEMAS).lower())

    def split_default_mappings(self) -> None:
        """A discriminator's ``defaultMapping`` (3.2) names the schema of every value the mapping lacks.

        ``Pet: oneOf [Cat, Dog, Other], discriminator {mapping {cat, dog}, defaultMapping: Other}`` becomes
        ``Pet: anyOf [PetKnown, Other]``, tried in that order, and ``PetKnown: oneOf [Cat, Dog]`` keeps the
        discriminator: a mapped value is read by its schema, anything else (no value included) by the
        default, which so never gets a fixed value of its own. A mapped value whose schema does not fit
        is read by the default too, if that fits: pydantic has no other way of saying "otherwise".
        """
        for name, schema in list(self.schemas.items()):
            if not isinstance(schema, dict) or not isinstance(schema.get("discriminator"), dict):
                continue  # a boolean schema, say
            discriminator = schema["discriminator"]
            members_key = next((key for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list)), None)
            if "defaultMapping" not in discriminator or members_key is None:
                continue
            # Only a bare union stays a type alias (fields beside it make a class); its members say the type.
            if set(schema) - ANNOTATIONS - {members_key, "discriminator", "type"}:
                continue
            default = self.mapping_ref(str(discriminator["defaultMapping"]))
            if default is None:
                continue
            known = [
                member
                for member in schema[members_key]
                if not (isinstance(member, dict) and member.get("$ref") == default)
            ]
            if not known:  # every value is read by the default
                del schema["discriminator"], schema[members_key]
                schema.pop("type", None)
                schema["$ref"] = default
                continue
            rest = {key: value for key, value in discriminator.items() if key != "defaultMapping"}
            known_schema = self.known_schema(known, rest)
            if known_schema is None:
                continue
            del schema["discriminator"], schema[members_key]
            schema.pop("type", None)
            known_ref = self.add_component(name + "Known", known_schema)
            schema["anyOf"] = [{"$ref": known_ref}, {"$ref": default}]
            self.left_to_right.add(name)

    def known_schema(self, known: list[Any], discriminator: dict[str, Any]) -> dict[str, Any] | None:
        """The schema of the mapped members: a discriminated union, or for one member (the model generator
        makes no union of one) that member with the discriminator fixed to its value. None for one member
        with several values: the union is then left as written, without a default."""
        if len(known) > 1:
            return {"oneOf": known, "discriminator": discriminator}
        ref = known[0].get("$ref") if isinstance(known[0], dict) else None
        mapping = discriminator.get("mapping")
        values = [
            key
            for key, value in (mapping.items() if isinstance(mapping, dict) else ())
            if self.mapping_ref(str(value)) == ref
        ]
        if not isinstance(ref, str) or len(values) > 1:
            return None
        # Unmapped, a member's value is its schema's name as the document wrote it.
        name = unescape_token(ref.removeprefix(SCHEMAS))
        value = values[0] if values else next((raw for raw, cls in self.class_names.items() if cls == name), name)
        prop = str(discriminator.get("propertyName"))
        return {"allOf": [known[0]], "type": "object", "required": [prop], "properties": {prop: {"const": value}}}

    def map_members(self, node: dict[str, Any]) -> None:
        """A discriminator's mapping as the model generator must read it: each value a reference to the
        renamed class (a value left naming the document's schema selects nothing, and the model would
        expect class names), and each member it leaves out mapped from its schema's name as the document
        wrote it, the value a server sends (the model generator would use the class name)."""
        discriminator = node.get("discriminator")
        if not isinstance(discriminator, dict):
            return
        mapping = discriminator.get("mapping")
        mapped: dict[str, Any] = {
            str(tag): self.mapping_ref(str(value)) or value
            for tag, value in (mapping.items() if isinstance(mapping, dict) else ())
        }
        members: list[Any] = next((node[key] for key in ("oneOf", "anyOf") if isinstance(node.get(key), list)), [])
        written = {name: raw for raw, name in self.class_names.items()}
        targets = set(mapped.values())
        for member in members:
            ref = member.get("$ref") if isinstance(member, dict) else None
            if (
                isinstance(ref, str)
                and ref.startswith(SCHEMAS)
                and ref not in targets
                and not tags_itself(member, discriminator.get("propertyName"))
            ):
                name = unescape_token(ref.removeprefix(SCHEMAS))
                mapped.setdefault(written.get(name, name), ref)
        if mapped:
            node["discriminator"] = {**discriminator, "mapping": mapped}

    def drop_contradicted(self, node: dict[str, Any]) -> None:
        """Drop the discriminator (of a union, or of a base the schemas it maps extend; mapped by
        :meth:`map_members` and :meth:`map_subschemas`) that a schema it maps contradicts: its property
        can never hold a tag that selects it. The model generator would fix the property to the tags on
        that schema's class, wherever the class is used, and the client would refuse what the document
        says its instances are (Linode's ``Domain``, ``type`` one of ``master`` and ``slave``, tagged
        ``Domain``; Bitbucket's ``pipeline_selector``, ``type`` one of ``branches``, ``tags``, ...).
        Without it, a union is read by trying each member, a base as itself."""
        discriminator = node.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if not (isinstance(mapping, dict) and isinstance(prop, str)):
            return
        for ref in dict.fromkeys(mapping.values()):
            tags = [tag for tag, target in mapping.items() if target == ref]
            member = self._resolved({"$ref": ref}) if isinstance(ref, str) else {}
            reason = self._never_tagged(member, prop, tags, set(), own=True)
            if reason is not None:
                del node["discriminator"]
                written = {name: raw for raw, name in self.class_names.items()}
                name = unescape_token(str(ref).removeprefix(SCHEMAS))
                listed = " or ".join(repr(tag) for tag in tags)
                where = pointer("components", "schemas", written.get(name, name))
                message = f"its {prop} is never {listed} ({reason}), the tag a discriminator gives it"
                warning = (where, f"{message}: that discriminator is dropped")
                if warning not in self.warnings:  # said once of a base and its union of members
                    self.warnings.append(warning)
                return

    def _never_tagged(
        self, schema: dict[str, Any], prop: str, tags: list[str], seen: set[int], *, own: bool
    ) -> str | None:
        """Why no instance of ``schema`` holds one of ``tags`` in ``prop``: the values an enum or a const
        lists, here or in an ``allOf`` part; or (``own``: written on the member itself, not on a base
        other members share) its examples. None when one may."""
        if id(schema) in seen:
            return None
        seen.add(id(schema))
        properties = schema.get("properties")
        declared = properties.get(prop) if isinstance(properties, dict) else None
        if isinstance(declared, dict):
            values = self._resolved(declared) if "$ref" in declared else declared
            kinds = [kind for kind in declared_types(values) if kind != "null"]
            if kinds and "string" not in kinds:  # a tag is a string (Zalando's pages: a list of content)
                return f"it is of type {' or '.join(kinds)}"
            allowed = [values["const"]] if "const" in values else values.get("enum")
            if isinstance(allowed, list) and allowed and not any(tag in allowed for tag in tags):
                listed = ", ".join(repr(value) for value in allowed[:_LISTED])
                return f"its values are {listed}{', ...' if len(allowed) > _LISTED else ''}"
            examples = [values["example"]] if "example" in values else values.get("examples")
            if own and isinstance(examples, list) and examples and all(isinstance(x, str) for x in examples):
                if not set(examples) & set(tags):
                    return f"its example is {examples[0]!r}"
        parts = schema.get("allOf")
        for part in parts if isinstance(parts, list) else ():
            referred = isinstance(part, dict) and "$ref" in part
            resolved = self._resolved(part) if referred else part
            written_here = own and not referred
            if isinstance(resolved, dict) and (
                reason := self._never_tagged(resolved, prop, tags, seen, own=written_here)
            ):
                return reason
        return None

    def map_subschemas(self) -> None:
        """A discriminator on a base schema whose members extend it (``allOf`` with its reference, no
        ``oneOf``), at any depth: each member the mapping leaves out mapped from the value a server sends,
        AutoRest's ``x-ms-discriminator-value`` or the schema's name as the document wrote it (Azure's
        documents); the model generator would expect class names. A member of a member is one too (Azure
        media services' ``JobInputAsset`` extends ``JobInputClip``, which extends ``JobInput``): unmapped, it
        would take its base's tag, and refuse its own."""
        written = {name: raw for raw, name in self.class_names.items()}
        for name, schema in self.schemas.items():
            for ref, base, own in self._bases(schema) if isinstance(schema, dict) else ():
                discriminator = base.get("discriminator")
                if not isinstance(discriminator, dict) or "oneOf" in base or "anyOf" in base:
                    continue
                if not own and ref is not None:
                    # The model generator reads a discriminator into the classes that name its base
                    # themselves: this one names it too (a part it holds already, read again).
                    schema["allOf"].append({"$ref": ref})
                mapping = discriminator.get("mapping")
                mapping = dict(mapping) if isinstance(mapping, dict) else {}
                if SCHEMAS + escape_token(name) in {self.mapping_ref(str(value)) for value in mapping.values()}:
                    continue
                tag = schema.get("x-ms-discriminator-value")
                # Referred to as the document names it, as every mapping value is read (mapping_ref): by its
                # class name, a member whose name the renaming changed (groov's booleanValue) was no member.
                as_written = written.get(name, name)
                mapping.setdefault(tag if isinstance(tag, str) else as_written, SCHEMAS + escape_token(as_written))
                base["discriminator"] = {**discriminator, "mapping": mapping}

    def add_unions_of_members(self) -> None:
        """A reference to a discriminated base (one the schemas it maps extend) anywhere but in an
        ``allOf`` stands for one of those schemas, as OpenAPI reads it: each such base gets a
        discriminated union of them, named after it (``PetUnion``, AutoRest's name), which
        :meth:`refer_to_unions_of_members` makes its references refer to. The model generator made a
        union only of a property that refers to the base: a response or a request body of the base was
        read as the base (a member's fields as unknown ones), an array's items as the first member that
        fit, whatever their tag (a ``Dog`` read as a ``Cat``). Made before :meth:`share_member_tags`,
        which gives a member the tags other unions give it here too. A base that is one of its own
        members is left as it is, and one of a single member: the model generator makes no union of a
        class and its subclasses, nor of one member (whose tag it would not check)."""
        for name, schema in list(self.schemas.items()):
            discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
            if not isinstance(discriminator, dict) or "oneOf" in schema or "anyOf" in schema:
                continue
            mapping = discriminator.get("mapping")
            ref = SCHEMAS + escape_token(name)
            members = list(
                dict.fromkeys(
                    member
                    for value in (mapping.values() if isinstance(mapping, dict) else ())
                    if (member := self.mapping_ref(str(value))) is not None
                )
            )
            if len(members) > 1 and ref not in members:
                union = {"oneOf": [{"$ref": member} for member in members], "discriminator": dict(discriminator)}
                self.unions_of_members[ref] = (self.add_component(f"{name}Union", union), ref)
                self.add_unions_below(ref, members, discriminator)

    def add_unions_below(self, base: str, members: list[str], discriminator: dict[str, Any]) -> None:
        """A member of ``base`` that other members extend stands for one of them, or itself: each such
        member gets a union of them too (AutoRest's middle classes: Service Fabric's list of
        ``ApplicationEvent`` holds ``ApplicationCreated`` events and others that extend it, which its
        class, its tag fixed to ``ApplicationEvent``, refused)."""
        extended = {
            member: {ref for ref, _, _ in self._bases(self._resolved({"$ref": member})) if ref} for member in members
        }
        mapping = discriminator["mapping"]
        for member in members:
            below = [other for other in members if member in extended[other]]
            if below and member not in self.unions_of_members:
                kept = {member, *below}
                tags = {tag: target for tag, target in mapping.items() if self.mapping_ref(str(target)) in kept}
                union = {
                    "oneOf": [{"$ref": each} for each in (member, *below)],
                    "discriminator": {**discriminator, "mapping": tags},
                }
                name = unescape_token(member.removeprefix(SCHEMAS))
                self.unions_of_members[member] = (self.add_component(f"{name}Union", union), base)

    def refer_to_unions_of_members(self) -> None:
        """Make the references to each base outside an ``allOf`` refer to its union of members (see
        :meth:`add_unions_of_members`), where both keep their discriminators (:meth:`drop_contradicted`
        drops one that a member contradicts); a union left unused is no component. The base stays the
        class its members extend, and reads a response's tag that none has (see the runtime's
        ``response_validator``)."""
        kept: dict[str, str] = {}
        for referred, (union, base) in self.unions_of_members.items():
            if "discriminator" in self._resolved({"$ref": base}) and "discriminator" in self._resolved({"$ref": union}):
                kept[referred] = union
            else:
                name = unescape_token(union.removeprefix(SCHEMAS))
                del self.schemas[name], self.class_names[name]
        if not kept:
            return
        # Each union's members are themselves, as the schemas that extend one are.
        unions = [self._resolved({"$ref": union})["oneOf"] for union in kept.values()]
        itself = {
            id(part)
            for node in walk_schemas(self.schemas)
            if isinstance(node.get("allOf"), list)
            for part in node["allOf"]
        } | {id(member) for members in unions for member in members}
        for node, where in references(self.document):
            if where == "schema" and node["$ref"] in kept and id(node) not in itself:
                node["$ref"] = kept[node["$ref"]]

    def share_member_tags(self) -> None:
        """A schema that several discriminated unions tell apart by one property is mapped from the value
        each of them gives it, in all of them: the model generator gives a member one type of its tag
        (Cat, ``kitty`` in Pet's mapping and ``Cat`` by its name in a list's union, took
        ``Literal["Cat"]``, and refused every cat the API sent or took). A value two members take is
        left as it is: no union could tell them apart."""
        written = {name: raw for raw, name in self.class_names.items()}
        unions: list[tuple[dict[str, Any], str, dict[str, list[str]]]] = []
        tags: dict[tuple[str, str], dict[str, None]] = {}  # (member, property): its values, in order
        for node in walk_schemas(self.schemas):
            discriminator, members = node.get("discriminator"), node.get("oneOf", node.get("anyOf"))
            if not isinstance(discriminator, dict) or not isinstance(members, list):
                continue
            values: dict[str, list[str]] = {
                member["$ref"]: [] for member in members if _component_name(_ref_of(member)) is not None
            }
            mapping = discriminator.get("mapping")
            for value, target in mapping.items() if isinstance(mapping, dict) else ():
                if (ref := self.mapping_ref(str(target))) in values:
                    values[ref].append(value)
            for ref, found in values.items():
                if not found:  # unmapped: the schema's name as the document wrote it
                    name = unescape_token(ref[len(SCHEMAS) :])
                    found.append(written.get(name, name))
                tags.setdefault((ref, str(discriminator.get("propertyName"))), {}).update(dict.fromkeys(found))
            unions.append((node, str(discriminator.get("propertyName")), values))
        for node, prop, values in unions:
            if all(len(tags[ref, prop]) == len(found) for ref, found in values.items()):
                continue  # no member has a value elsewhere that this union does not give it
            shared = {value: ref for ref in values for value in tags[ref, prop]}
            if len(shared) == sum(len(tags[ref, prop]) for ref in values):  # else a value two members take
                discriminator = node["discriminator"]
                mapping = discriminator.get("mapping")
                node["discriminator"] = {**discriminator, "mapping": {**(mapping or {}), **shared}}

    def mapping_ref(self, value: str) -> str | None:
        """A discriminator's mapping value (a component's reference or name) as a reference to its renamed
        class; None for a value that names no component (validation refused one that leads nowhere)."""
        raw = unescape_token(value.removeprefix(SCHEMAS)) if value.startswith(SCHEMAS) else value
        name = self.class_names.get(raw)
        return None if name is None else SCHEMAS + escape_token(name)

    def hoist_operation_schemas(self) -> None:
        """Give inline request and response schemas a component (and so a class) of their own."""
        for path, path_item in (self.document.get("paths") or {}).items():
            for _, tokens, operation in path_operations(path_item):
                stem = pascal_case(self.operation_names(path, tokens[-1]))
                body = operation.get("requestBody")
                if isinstance(body, dict):
                    self._hoist_media(body, f"{stem}Body", body=True)
                for status, response in (operation.get("responses") or {}).items():
                    if isinstance(response, dict):
                        self._hoist_media(response, f"{stem}Response{pascal_case(str(status))}")

    def hoist_component_media(self) -> None:
        """Give the inline schemas of the request bodies and responses among the components (which
        operations refer to) a component named after theirs (``NewPetBody``), as the operations' own get.
        The client types a body or a response by its component: one written inline there made none (a
        JSON body's operation was skipped, a multipart body sent empty, a response untyped; 95 and 262 of
        the directory's 2,639 documents). After the webhooks': a webhook names its payload better."""
        components = self.document.get("components") or {}
        for kind, suffix in (("requestBodies", "Body"), ("responses", "Response")):
            for name, holder in (components.get(kind) or {}).items():
                if isinstance(holder, dict):
                    stem = pascal_case(str(name))
                    self._hoist_media(holder, stem if stem.endswith(suffix) else stem + suffix, kind == "requestBodies")

    def hoist_webhook_payloads(self) -> None:
        """Give each webhook's inline payload schema a component named after the webhook (``PetCreatedPayload``)."""
        for name, bodies in webhook_bodies(self.document).items():
            for body in bodies:
                self._hoist_media(body, f"{pascal_case(name, fallback='Webhook')}Payload")

    def _hoist_media(self, holder: dict[str, Any], name: str, body: bool = False) -> None:
        """Give each inline schema of ``holder``'s content a component named ``name``. A request ``body``'s
        JSON or form without a schema (valid: any content) takes any value, or any fields (Greenhouse's
        bodies, all nine of its operations skipped for want of a model to check and send them with)."""
        content = holder.get("content")
        if isinstance(content, dict) and "application/json" not in content:
            ranges = [key for key, media in content.items() if self._json_range(str(key), media)]
            if ranges:
                holder["content"] = content = {
                    ("application/json" if key == ranges[0] else key): media for key, media in content.items()
                }
        for media_type, media in (content or {}).items():
            if not isinstance(media, dict):
                continue
            kind = media_kind(str(media_type))
            if body and "schema" not in media and kind in ("json", "form"):
                media["schema"] = {} if kind == "json" else {"type": "object"}
            schema = media.get("schema")
            if kind in STREAM_KINDS:
                self._hoist_item_schema(media, f"{name}Item", events=kind == "sse")
            if isinstance(schema, dict) and set(schema) != {"$ref"}:
                media["schema"] = {"$ref": self.add_component(name, schema)}

    def _json_range(self, media_type: str, media: Any) -> bool:
        """Whether ``media_type`` is a range any type may stand for (``*/*``, ``application/*``, or none
        said: the empty key of documents converted from Swagger 2 without ``consumes``) of a schema of
        structured data, which is JSON: read and sent as ``application/json`` (Kubernetes' 292 bodies of
        ``*/*`` were bytes, its objects refused; spoonacular's six operations of ``""`` were skipped)."""
        if media_type.split(";")[0].strip().lower() not in ("*/*", "application/*", "") or not isinstance(media, dict):
            return False
        schema = self._resolved(media.get("schema"))
        return schema.get("type") in ("object", "array") or any(key in schema for key in _STRUCTURED)

    def _hoist_item_schema(self, media: dict[str, Any], name: str, events: bool) -> None:
        """Give a stream's item schema a class: 3.2's ``itemSchema``, else (3.0, 3.1) the ``items``
        of its array ``schema``, which then refers to it. Either way it ends up in ``itemSchema``.

        For an event stream (``events``) the item is the data of an event: a schema of the whole
        event (properties among ``event``, ``data``, ``id`` and ``retry``, as 3.2 describes them)
        stands for its ``data``'s ``contentSchema``; without one the data is text.
        """
        item = media.pop("itemSchema", None)
        schema = media.get("schema")
        from_items = item is None and isinstance(schema, dict)
        if from_items:
            item = self._resolved(schema).get("items")
        if events and isinstance(item, dict):
            properties = self._resolved(item).get("properties")
            if isinstance(properties, dict) and "data" in properties and set(properties) <= _EVENT_FIELDS:
                item, from_items = self._resolved(properties["data"]).get("contentSchema"), False
        if not isinstance(item, dict):
            return
        if set(item) != {"$ref"}:
            item = {"$ref": self.add_component(name, item)}
            if from_items and isinstance(schema, dict) and "items" in schema:
                schema["items"] = item
        media["itemSchema"] = item

    def _bases(self, schema: dict[str, Any]) -> list[tuple[str | None, dict[str, Any], bool]]:
        """The schemas ``schema`` extends, each once: its ``allOf`` parts (a component's reference read as the
        component), then those they extend, and so on; each with its reference (``None`` for a part written
        in place) and whether ``schema`` names it itself."""
        bases: list[tuple[str | None, dict[str, Any], bool]] = []
        seen, extending = {id(schema)}, [schema]
        while extending:
            source = extending.pop(0)
            parts = source.get("allOf")
            for part in parts if isinstance(parts, list) else ():
                if id(base := self._resolved(part)) not in seen:
                    seen.add(id(base))
                    ref = part.get("$ref") if isinstance(part, dict) and base is not part else None  # true: 3.1's
                    bases.append((ref if isinstance(ref, str) else None, base, source is schema))
                    extending.append(base)
        return bases

    def keep_class_orders(self) -> None:
        """Each class's bases in an order Python can make of them: a component's ``allOf`` reference whose
        class would conflict with the bases before it (``C(A, B)``, ``D(B, A)``, ``E(C, D)``: Python refuses
        ``E``, and the models module with it) is written in place, its properties and those of the schemas it
        extends that no kept base has already. The bases are taken as the model generator orders them:
        those other bases extend last, otherwise as written. Only classes of several bases can conflict:
        their orders are found, and those of the classes they extend, depth first without recursion (a
        document's chain of classes may be thousands long)."""
        named = {name: self._named_bases(schema) for name, schema in self.schemas.items()}
        orders: dict[str, list[str]] = {}
        for start in [name for name, bases in named.items() if len(bases) > 1]:
            stack, on_stack = [start], {start}
            while stack:
                name = stack[-1]
                waiting = [base for _, base in named[name] if base not in orders and base not in on_stack]
                if waiting:
                    stack.extend(waiting)
                    on_stack.update(waiting)
                    continue
                stack.pop()
                on_stack.discard(name)
                # (A base on the stack is a cycle's member, which the cycle breaker has seen to.)
                orders[name] = [name, *self._kept_bases(name, named[name], orders)]

    def _named_bases(self, schema: Any) -> list[tuple[int, str]]:
        """The components ``schema``'s ``allOf`` refers to, each with the index of its part."""
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        return [
            (index, base)
            for index, part in enumerate(parts if isinstance(parts, list) else ())
            if isinstance(part, dict) and (base := _component_name(part.get("$ref"))) in self.schemas
        ]

    def _kept_bases(self, name: str, named: list[tuple[int, str]], orders: dict[str, list[str]]) -> list[str]:
        """The order of ``name``'s bases that Python can make, those left out written in place."""
        bases = {base: orders.get(base, [base]) for _, base in named}
        if len(bases) < 2:
            return next(iter(bases.values()), [])
        taken = sorted(bases, key=lambda base: sum(base in found[1:] for found in bases.values()))
        kept: list[str] = []
        for base in taken:
            if c3_merge([*(bases[each] for each in (*kept, base)), [*kept, base]]) is not None:
                kept.append(base)
        parts = self.schemas[name]["allOf"]
        covered = {each for base in kept for each in bases[base]}
        for index, base in named:
            if base not in kept:
                parts[index] = self._written_in_place(base, covered)
        return c3_merge([*(bases[base] for base in kept), kept]) or []

    def _written_in_place(self, name: str, covered: set[str]) -> dict[str, Any]:
        """The component ``name`` as an object of its properties and those of the schemas it extends (the
        nearest one's first), but for the components in ``covered`` and those they extend."""
        properties: dict[str, Any] = {}
        required: dict[str, None] = {}  # in order, each once
        seen, extending = {name}, [schema for schema in [self.schemas[name]] if isinstance(schema, dict)]
        while extending:
            source = extending.pop(0)
            found, needed = source.get("properties"), source.get("required")
            for key, value in found.items() if isinstance(found, dict) else ():
                properties.setdefault(key, copied(value))
            required.update(
                dict.fromkeys(key for key in needed if isinstance(key, str)) if isinstance(needed, list) else {}
            )
            parts = source.get("allOf")
            for part in parts if isinstance(parts, list) else ():
                base = _component_name(part.get("$ref")) if isinstance(part, dict) else None
                if base is None:
                    extending.extend([part] if isinstance(part, dict) else [])
                elif base not in covered and base not in seen and isinstance(self.schemas.get(base), dict):
                    seen.add(base)
                    extending.append(self.schemas[base])
        written: dict[str, Any] = {"type": "object", "properties": properties}
        return {**written, "required": list(required)} if required else written

    def _resolved(self, schema: Any) -> dict[str, Any]:
        """``schema``, or the component it refers to; ``{}`` for anything else."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith(SCHEMAS):
            schema = self.schemas.get(unescape_token(schema["$ref"][len(SCHEMAS) :]))
        return schema if isinstance(schema, dict) else {}

    def run(self) -> NormalizedSpec:
        self.own_referred_schemas(self.rename_components())
        self.split_default_mappings()  # reads the mapping as the document wrote it
        self.hoist_operation_schemas()
        self.hoist_webhook_payloads()
        self.hoist_component_media()
        self.map_subschemas()
        self.add_unions_of_members()
        self.share_member_tags()
        sent, read = self.directions()
        # Component by component (the last first: the order walk_schemas takes them all in), for the
        # way each is used; unknown (no body or response refers to it): both ways.
        for name, schema in reversed(list(self.schemas.items())):
            ways = (name in sent or name not in read, name in read or name not in sent)
            declared_above: dict[int, frozenset[str] | None] = {}
            for node in walk_schemas({name: schema}):
                _extend_referred_parts(node)  # first: the parts it rewrites are walked as rewritten
                self.map_members(node)
                self.drop_contradicted(node)
                if node.get("nullable") is True:
                    _make_nullable(node)
                node.pop("nullable", None)
                _never_valid(node)
                _leave_tags_to_variants(node, self._resolved)
                _drop_converted_defaults(node, self._resolved)
                _unwrap_single_all_of(node, self._resolved)
                _fix_enum(node)
                _fix_format(node)
                _plain_prose(node)
                _relax_read_write_only(node, self._resolved, *ways)
                _declare_required(node, declared_above)
                _open_objects(node)
        self.refer_to_unions_of_members()
        for name, schema in list(self.schemas.items()):
            if isinstance(schema, dict):
                self.hoist_enums(name, schema)
                self.hoist_objects(name, schema)
        # Class names as the model generator compares them (computed once: documents have thousands).
        self.lowered_names = {name.lower() for name in self.schemas}
        for name, schema in list(self.schemas.items()):
            if isinstance(schema, dict):
                self.hoist_name_takers(name, schema)
        self.keep_class_orders()
        properties: set[str] = set()  # the names of every schema's properties, gathered on the last walk
        for node in walk_schemas(self.schemas):
            _split_number(node)
            properties.update(name for name in node.get("properties") or () if isinstance(name, str))
        return NormalizedSpec(
            self.document,
            dict(self.class_names),
            self.field_aliases(properties),
            frozenset(self.left_to_right),
            self.file_inputs(),
            tuple(self.warnings),
        )

    def directions(self) -> tuple[set[str], set[str]]:
        """The component schemas request bodies use, and those responses and webhook payloads (which the
        client reads) use, each with every schema they refer to."""
        sent: list[Any] = [(self.document.get("components") or {}).get("requestBodies")]
        read: list[Any] = [(self.document.get("components") or {}).get("responses"), webhook_bodies(self.document)]
        for path_item in (self.document.get("paths") or {}).values():
            for _, _, operation in path_operations(path_item):
                sent.append(operation.get("requestBody"))
                read.append(operation.get("responses"))
        return self._referred(sent), self._referred(read)

    def _referred(self, roots: list[Any]) -> set[str]:
        """The component schemas referred to from ``roots``, and from them on."""
        found: set[str] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                ref = node.get("$ref")
                name = referenced_schema(ref) if isinstance(ref, str) else None
                if name is not None and name not in found:
                    found.add(name)
                    stack.append(self.schemas.get(name))
                stack.extend(value for key, value in node.items() if key not in DATA_KEYWORDS)
        return found

    def file_inputs(self) -> tuple[str, ...]:
        """The binary properties (and binary items of array properties) of multipart request bodies."""
        found: dict[str, None] = {}
        for path_item in (self.document.get("paths") or {}).values():
            for _, _, operation in path_operations(path_item):
                body = operation.get("requestBody")
                content = body.get("content") if isinstance(body, dict) else None
                for media_type, media in content.items() if isinstance(content, dict) else ():
                    declared = media.get("schema") if isinstance(media, dict) else None
                    ref = declared.get("$ref") if isinstance(declared, dict) else None  # not 3.1's true or false
                    if media_kind(str(media_type)) != "multipart" or not isinstance(ref, str):
                        continue
                    properties = self._resolved({"$ref": ref}).get("properties")
                    for name, schema in properties.items() if isinstance(properties, dict) else ():
                        where = ref.removeprefix("#") + pointer("properties", name)
                        if _binary(schema):
                            found[where] = None
                        elif isinstance(schema, dict) and _binary(schema.get("items")):
                            found[where + pointer("items")] = None
        return tuple(found)

    def field_aliases(self, names: set[str]) -> dict[str, str]:
        """The Python names of the properties ``names`` where the model generator's own would not do."""
        taken = Names(name for name in names if name.isascii())
        aliases = {
            name: unique(snake_case(name, fallback="field"), taken) for name in sorted(names) if not name.isascii()
        }
        # An acronym's plural as the parameters have it (userIDs: user_ids, not the model generator's
        # user_i_ds), where no other property is or becomes that name (the model generator would number
        # the other) and it is not in pydantic's namespace.
        plain = Counter(snake_case(name) for name in names if name.isascii())
        for name in sorted(names):
            if name.isascii() and has_acronym_plural(name):
                python = snake_case(name)
                if plain[python] == 1 and python not in names and not python.startswith("model_"):
                    aliases[name] = python
        return aliases | self.underscored_aliases(names - set(aliases))

    def underscored_aliases(self, names: set[str]) -> dict[str, str]:
        """Of ``names``, each named with leading ``_`` (HAL's ``_links``, MongoDB's ``_id``) by its name
        without them (``links``, not the model generator's ``field_links``), where no model has, of its own
        or by ``allOf``, another property of that name (a field would take the other's place), and the
        name is free (:data:`~generator.model.naming.FIELD_NAMES_TAKEN`)."""
        wanted = {
            name: python
            for name in names
            if _UNDERSCORED.fullmatch(name)
            and (python := snake_case(name)) not in FIELD_NAMES_TAKEN
            and not python.startswith("model_")
        }
        if not wanted:
            return {}
        clashing: set[str] = set()
        for node in walk_schemas(self.schemas):
            own = node.get("properties")
            if "allOf" not in node and not (isinstance(own, dict) and ("$ref" in node or own.keys() & wanted.keys())):
                # A class of none of those names (most), or a reference alone: the class it refers to is
                # read where it is.
                continue
            present = self._fields(node, ())
            for name in present & wanted.keys():
                if any(other != name and _same_field(other, wanted[name]) for other in present):
                    clashing.add(name)
        return {name: python for name, python in wanted.items() if name not in clashing}

    def _fields(self, node: Any, seen: tuple[int, ...]) -> set[str]:
        """The properties of the class of the schema ``node``: its own and those of the schemas it extends
        (``allOf``, a ``$ref``: alone, or beside its own in 3.1)."""
        if not isinstance(node, dict) or id(node) in seen:
            return set()
        found = {name for name in node.get("properties") or () if isinstance(name, str)}
        members = list(node["allOf"]) if isinstance(node.get("allOf"), list) else []
        if isinstance(node.get("$ref"), str):
            try:
                members.append(deref(self.document, {"$ref": node["$ref"]}))
            except ValueError:  # a reference validation let by leads nowhere: nothing to extend
                pass
        for member in members:
            found |= self._fields(member, (*seen, id(node)))
        return found


#: How many of a property's values a warning lists.
_LISTED = 4


def _binary(schema: Any) -> bool:
    """Whether an inline schema is of raw bytes: ``format: binary`` (3.0), or 3.1's ``contentMediaType``."""
    return (
        isinstance(schema, dict)
        and "string" in declared_types(schema)
        and (schema.get("format") == "binary" or "contentMediaType" in schema)
    )


@functools.lru_cache(maxsize=8192)  # labels repeat (property names): GitHub's 128,000 calls, 0.2 s uncached
def _part_name(label: str) -> str:
    """How a schema's name goes on for a part of it (a :func:`child_schemas` label, or a property's name):
    ``Item`` for the items of an array (and for a property named ``items``: the labels do not tell them
    apart, and a part is named alike wherever it is hoisted from), else the label in PascalCase (``AnyOf0``
    for a union's first member)."""
    return "Item" if label == "items" else pascal_case(label)


def _ref_of(schema: Any) -> Any:
    """What ``schema`` refers to (``$ref``), if it is an object."""
    return schema.get("$ref") if isinstance(schema, dict) else None


def _component_name(ref: Any) -> str | None:
    """The name of the component schema ``ref`` refers to; ``None`` for any other value."""
    return unescape_token(ref[len(SCHEMAS) :]) if isinstance(ref, str) and ref.startswith(SCHEMAS) else None


def _inline_object(schema: Any) -> TypeGuard[dict[str, Any]]:
    """Whether ``schema`` is written in place (no reference) and declares properties: a class of its own."""
    return (
        isinstance(schema, dict)
        and "$ref" not in schema
        and isinstance(schema.get("properties"), dict)
        and bool(schema["properties"])
    )


def _named_inline(schema: dict[str, Any]) -> bool:
    """Whether the model generator makes a named class or alias of (part of) this inline schema:
    anything but a reference or a plain, unconstrained scalar or array of those."""
    if set(schema) - ANNOTATIONS <= {"$ref"}:
        return False
    if any(key in schema for key in ("properties", "allOf", "anyOf", "oneOf", "enum", "additionalProperties")):
        return True
    items = schema.get("items")
    return (isinstance(items, dict) and _named_inline(items)) or bool(
        set(schema) - ANNOTATIONS - {"type", "format", "items"}
    )


#: A property named with leading ``_`` that is a name without them.
_UNDERSCORED = re.compile(r"_+[A-Za-z][A-Za-z0-9_]*")


def _same_field(name: str, python: str) -> bool:
    """Whether the model generator may name a property ``name`` as ``python`` (or the one from the other):
    letters and digits alike whatever their case, or the same in snake case."""
    return re.sub(r"[^0-9a-z]", "", name.lower()) == python.replace("_", "") or snake_case(name) == python


def walk_schemas(schemas: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every schema object in ``schemas`` and below, depth first."""
    stack = [schema for schema in schemas.values() if isinstance(schema, dict)]
    while stack:
        schema = stack.pop()
        yield schema
        stack.extend(child for _, child in child_schemas(schema))


def normalize(document: dict[str, Any], *, copy: bool = True) -> NormalizedSpec:
    """Return a rewritten deep copy of ``document``; without ``copy``, ``document`` rewritten in place
    (for a caller done with it: a large document's copy costs time and holds its size twice)."""
    return _Normalizer(copied(document) if copy else document).run()
