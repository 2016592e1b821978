"""Repair what a document gets wrong where the generator can still do something sensible, saying so.

Two passes, both in place and each repair with a warning:

- :func:`repair_slips` fixes the common slips of real documents before validation: a
  missing ``info``, a number for ``info.version``, ``const`` in 3.0, Swagger's
  ``required: true`` on a property, repeated ``required`` or ``enum`` entries, the other
  version's ``exclusiveMinimum``, a ``pattern`` that does not compile, a ``default`` of the
  wrong type, keywords or enum values of another type than the schema's, a path parameter not
  marked required.
- :func:`repair_violations` handles what validation still finds: a broken keyword of a
  schema or an unknown field is dropped, an operation that cannot be used is skipped.
  What it cannot repair it hands back: those violations stop generation.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import warnings
from typing import Any

from generator.errors import Diagnostics
from generator.spec import patterns
from generator.spec.operations import HTTP_METHODS, path_operations
from generator.spec.pointers import deref, pointer
from generator.spec.schemacheck import Outline, Path, Violation, all_schemas, path_order, subschemas
from generator.spec.schemakeys import ANNOTATIONS, declared_types

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
_COUNTS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
# Fields that only describe: one that is broken is dropped, wherever it is.
_DESCRIPTIVE = frozenset(
    {"description", "summary", "title", "contact", "license", "termsOfService", "externalDocs", "example", "examples"}
)


# Keywords of schemas that the model generator reads as Python (a type, base class or module to import, a
# class variable) or as its own options: none is OpenAPI's, and through them a document's text would
# choose what the models import (``x-python-type: antigravity.Pull`` runs a module on import).
_MODEL_GENERATOR_KEYWORDS = frozenset({"customTypePath", "customBasePath"})
_MODEL_GENERATOR_PREFIXES = ("x-python-", "x-is-", "x-datamodel-code-generator", "x-enum-", "x-avro-", "x-xsd-")
# The member names of an enum, a convention of other generators the model generator shares: kept as
# the names of its members (made identifiers there) when they name each value once.
_ENUM_NAMES = ("x-enum-varnames", "x-enumNames")


@functools.lru_cache(maxsize=4096)  # documents repeat their patterns
def _pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is of no use: Python cannot read it (the fixtures sample it), or the models cannot."""
    try:
        with warnings.catch_warnings():  # re's FutureWarnings ("possible nested set") are not for our user
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError) as error:
        return str(error).splitlines()[0]
    return patterns.problem(pattern)


def _numbers_written_as_text(schema: dict[str, Any]) -> list[Any] | None:
    """The enum of a number or integer schema with each of its strings read as the number it writes
    (``"1"`` to ``32`` of WhatsApp's shards, type integer: no value fits both, and the model generator
    reads the numbers); None when it has no string, or one that writes no such number."""
    types = set(declared_types(schema)) - {"null"}
    values = schema["enum"]
    if not types or not types <= {"integer", "number"} or not any(isinstance(value, str) for value in values):
        return None
    number = _INTEGER_TEXT if types == {"integer"} else _NUMBER_TEXT
    if not all(number.fullmatch(value) for value in values if isinstance(value, str)):
        return None
    return [
        (int(value) if _INTEGER_TEXT.fullmatch(value) else float(value)) if isinstance(value, str) else value
        for value in values
    ]


_INTEGER_TEXT = re.compile(r"-?[0-9]+")
_NUMBER_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def _fits(value: Any, types: list[str]) -> bool:
    """Whether ``value`` is of one of ``types`` as JSON has them (``true`` is no number, ``1.0`` an
    integer); a type this table does not know takes anything."""
    for kind in types:
        if kind not in _JSON_TYPES:
            return True
        if isinstance(value, bool) and kind != "boolean":
            continue
        if isinstance(value, _JSON_TYPES[kind]) or (
            kind == "integer" and isinstance(value, float) and value.is_integer()
        ):
            return True
    return False


def _json_type(value: Any) -> str:
    return next(kind for kind in _JSON_TYPES if _fits(value, [kind]))


def _unquoted(value: Any, types: list[str]) -> Any:
    """What ``value``, an enum value not of ``types``, stands for in them: the text of a number or a boolean
    in a schema of type string (Zoom's 1 and 2: a YAML reader takes them unquoted as numbers), a boolean
    written as text in a schema of type boolean (Oxford Dictionaries' "true"); None for any other."""
    if types == ["string"] and isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if types == ["boolean"] and value in ("true", "false"):
        return value == "true"
    return None


def _default_matches(schema: dict[str, Any]) -> bool:
    types = declared_types(schema)
    if schema.get("nullable") is True:
        types.append("null")
    return not types or _fits(schema["default"], types)


def _overlap(one: list[str], other: list[str]) -> bool:
    """Whether a value may be of one of the types ``one`` and of one of ``other`` (a number may be an integer)."""
    kinds = [{*types, *(["integer"] if "number" in types else [])} for types in (one, other)]
    return bool(kinds[0] & kinds[1])


# The keywords that say what the parts of an object or of a list are. JSON Schema applies them to values
# of that shape alone, so beside a type that excludes it they say nothing; the model generator reads a
# class or a list from them whatever the type.
_SHAPE_KEYWORDS = {
    "object": (
        *("properties", "required", "additionalProperties", "patternProperties", "propertyNames"),
        *("minProperties", "maxProperties", "dependentRequired", "dependentSchemas", "unevaluatedProperties"),
    ),
    "array": (
        *("items", "prefixItems", "additionalItems", "contains", "minContains", "maxContains"),
        *("minItems", "maxItems", "uniqueItems", "unevaluatedItems"),
    ),
}


def _short(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _described(schema: dict[str, Any], typed: dict[str, Any]) -> str:
    """The type of ``typed`` in words, for a message on ``schema``: its own, or the schema it refers to."""
    return _short(typed["type"]) + (f" (of {_short(schema['$ref'])})" if typed is not schema else "")


def _unique(values: list[Any]) -> list[Any]:
    """``values`` without repeats, first kept; ``1``, ``1.0`` and ``true`` count as distinct, as JSON has them."""
    seen: set[tuple[type, Any]] = set()
    result = []
    for value in values:
        # A scalar is its own key (with its type: 1 == 1.0 == True in Python); a list or object its JSON.
        key = (
            type(value),
            json.dumps(value, sort_keys=True, default=str) if isinstance(value, (dict, list)) else value,
        )
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result


class _Slips:
    def __init__(self, document: dict[str, Any], minor: str, diagnostics: Diagnostics, outline: Outline) -> None:
        self.document = document
        self.outline = outline
        self.minor = minor
        self.diagnostics = diagnostics

    def warn(self, path: Path, message: str) -> None:
        self.diagnostics.warn(pointer(*path), message)

    def info(self, title: str) -> None:
        info = self.document.get("info")
        if not isinstance(info, dict):
            self.document["info"] = {"title": title, "version": ""}
            self.warn(("info",), f"no info object; title {_short(title)} and an empty version assumed")
            return
        if not isinstance(info.get("title"), str):
            found = info.get("title")
            info["title"] = str(found) if isinstance(found, (int, float)) else title
            self.warn(("info", "title"), f"the title must be a string; {_short(info['title'])} used")
        version = info.get("version")
        if not isinstance(version, str):
            if isinstance(version, (int, float, datetime.date)) and not isinstance(version, bool):
                info["version"] = version.isoformat() if isinstance(version, datetime.date) else str(version)
            else:
                info["version"] = ""
            self.warn(("info", "version"), f"the version must be a string; {_short(info['version'])} used")
        if self.minor == "3.0" and not isinstance(self.document.get("paths"), dict) and "paths" not in self.document:
            self.document["paths"] = {}
            self.warn(("paths",), "no paths object; an empty one assumed")

    def parameters(self) -> None:
        """A path parameter is always required; a parameter has a schema (or content), and one example field."""
        for parameter, path in self._parameter_objects():
            if parameter.get("in") == "path" and parameter.get("required") is not True:
                parameter["required"] = True
                self.warn((*path, "required"), "a path parameter is always required; marked so")
            if parameter.get("content") == {} and "schema" not in parameter:
                del parameter["content"]
                parameter["schema"] = {"type": "string"}
                self.warn((*path, "content"), "a parameter of no media type; a string assumed")
            if "$ref" not in parameter and "schema" not in parameter and "content" not in parameter:
                parameter["schema"] = {"type": "string"}
                self.warn(path, "a parameter without schema or content; a string assumed")
            if "example" in parameter and "examples" in parameter:
                del parameter["example"]
                self.warn((*path, "example"), "both example and examples; example dropped")

    def security_schemes(self) -> None:
        """Swagger 2's ``type: basic`` is OpenAPI 3's HTTP basic scheme."""
        components = self.document.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        for name, scheme in (schemes.items() if isinstance(schemes, dict) else ()):
            if isinstance(scheme, dict) and scheme.get("type") == "basic":
                scheme.update(type="http", scheme="basic")
                self.warn(
                    ("components", "securitySchemes", name, "type"), "'type: basic' (Swagger 2); read as HTTP basic"
                )

    def _parameter_objects(self) -> list[tuple[dict[str, Any], Path]]:
        found: list[tuple[Any, Path]] = []
        components = self.document.get("components")
        shared = components.get("parameters") if isinstance(components, dict) else None
        for name, parameter in (shared.items() if isinstance(shared, dict) else ()):
            found.append((parameter, ("components", "parameters", name)))
        paths = self.document.get("paths")
        for url, item in (paths.items() if isinstance(paths, dict) else ()):
            if not isinstance(item, dict):
                continue
            lists: list[tuple[Any, Path]] = [(item.get("parameters"), ("paths", url, "parameters"))]
            lists += [
                (operation.get("parameters"), ("paths", url, *tokens, "parameters"))
                for _, tokens, operation in path_operations(item)
            ]
            for raw, where in lists:
                found += [(p, (*where, i)) for i, p in enumerate(raw if isinstance(raw, list) else ())]
        return [(parameter, path) for parameter, path in found if isinstance(parameter, dict)]

    def schemas(self) -> None:
        for schema, path in list(all_schemas(self.outline)):
            if isinstance(schema, dict):
                self.schema(schema, path)

    def schema(self, schema: dict[str, Any], path: Path) -> None:
        self.model_generator_keywords(schema, path)
        self.pattern(schema, path)
        self.required(schema, path)
        self.bounds(schema, path)
        if self.minor == "3.0":  # first: the checks of types and enums below read what it leaves
            self.as_3_0(schema, path)
        if isinstance(schema.get("enum"), list) and (numbers := _numbers_written_as_text(schema)) is not None:
            schema["enum"] = numbers
            self.warn((*path, "enum"), f"numbers written as strings in an enum of type {_short(schema['type'])}")
        if isinstance(schema.get("enum"), list) and len(unique := _unique(schema["enum"])) < len(schema["enum"]):
            schema["enum"] = unique
            self.warn((*path, "enum"), "repeated enum values; each kept once")
        self.type_beside_parts(schema, path)
        if isinstance(schema.get("enum"), list):  # first: the enum may tell the type the next two read
            self.enum_types(schema, path)
        self.shape(schema, path)
        if "default" in schema and "type" in schema and not _default_matches(schema):
            self.warn(
                (*path, "default"),
                f"the default {_short(schema['default'])} is not of type {_short(schema['type'])}; dropped",
            )
            del schema["default"]

    def model_generator_keywords(self, schema: dict[str, Any], path: Path) -> None:
        """Drop the keywords the model generator would read as code or options (see
        :data:`_MODEL_GENERATOR_KEYWORDS`), and enum member names that do not name each value once."""
        enum = schema.get("enum")
        for key in [key for key in schema if isinstance(key, str)]:
            if key in _ENUM_NAMES:
                names = schema[key]
                if not (
                    isinstance(names, list)
                    and isinstance(enum, list)
                    and len(names) == len(enum)
                    and all(isinstance(name, str) for name in names)
                ):
                    del schema[key]
                    self.warn((*path, key), "expected one name (a string) per enum value; ignored")
            elif key in _MODEL_GENERATOR_KEYWORDS or key.startswith(_MODEL_GENERATOR_PREFIXES):
                del schema[key]
                self.warn((*path, key), "the model generator would read it as Python or as its own option; ignored")

    def type_of(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """The schema whose ``type`` holds for ``schema``: ``schema`` itself, or beside a reference (and no
        type) the referred schema; None for a type this module does not know. (Put in words by
        :func:`_described` only for a message: most schemas have none, and it took a third of this walk.)"""
        referred = isinstance(schema.get("$ref"), str) and "type" not in schema
        try:
            typed = deref(self.document, schema) if referred else schema
        except (KeyError, ValueError):
            return None
        types = set(declared_types(typed))
        if not types or not types <= set(_JSON_TYPES):
            return None
        return typed

    def excludes(self, types: list[str], part: Any) -> str | None:
        """The type of ``part`` (an ``allOf`` part, a variant) in words, where no value of it is of ``types``."""
        typed = self.type_of(part) if isinstance(part, dict) else None
        return _described(part, typed) if typed is not None and not _overlap(types, declared_types(typed)) else None

    def type_beside_parts(self, schema: dict[str, Any], path: Path) -> None:
        """A type that one of the schema's ``allOf`` parts excludes is dropped, the part's being the reading, as
        the models' (Lyft's ride profile, type object, all of a string enum: no value is both). Null alone beside
        ``anyOf`` or ``oneOf`` variants that all exclude it is one more variant (Vercel's values, type null and
        one of a string, a number...: a converter's ``nullable``; no value was valid, the models read the
        variants)."""
        own = declared_types(schema)
        if own == ["null"]:
            for key in ("anyOf", "oneOf"):
                parts = schema.get(key)
                if isinstance(parts, list) and parts and all(self.excludes(own, part) for part in parts):
                    schema[key] = [*parts, {"type": schema.pop("type")}]
                    self.warn((*path, "type"), f'type "null" beside {key} variants of other types; one more variant')
                    return
            return
        parts = schema.get("allOf")
        if not own or not set(own) <= set(_JSON_TYPES) or not isinstance(parts, list):
            return
        for part in parts:
            if (excluding := self.excludes(own, part)) is not None:
                self.warn(
                    (*path, "type"),
                    f"type {_short(schema.pop('type'))} beside an allOf part of type {excluding}; dropped",
                )
                return

    def shape(self, schema: dict[str, Any], path: Path) -> None:
        """The keywords of a shape that the type excludes are dropped, the type being the one reading: Plaid's
        account types (type string, each type a property) and Mailchimp's country (type integer, with
        ``items``) were read as a class and a list, refusing every value their APIs send."""
        if (declaring := self.type_of(schema)) is None:
            return
        types = declared_types(declaring)
        excluded = [key for shape, keys in _SHAPE_KEYWORDS.items() if shape not in types for key in keys]
        dropped = [key for key in excluded if key in schema]
        for key in dropped:
            del schema[key]
        if dropped:
            described = _described(schema, declaring)
            self.warn(path, f"{', '.join(dropped)} beside type {described}, to which they do not apply; dropped")

    def enum_types(self, schema: dict[str, Any], path: Path) -> None:
        """Enum values that are not of the schema's type: no value takes them. Those that stand for a value of
        it are read as it (see :func:`_unquoted`); others beside values of the type are dropped; when none is
        of the type, the type is read from the values (Visual Studio's disk types "0 (StandardHDD)" of type
        integer, Mercedes-Benz's vehicle classes of type object: the models read an enum of strings, the
        fixtures' checker found no value), and a list's enum as its items' (Zoom's regions, type array with
        items of type string). Beside a reference, the type is the referred schema's, and an enum none of
        whose values is of it is dropped."""
        if (declaring := self.type_of(schema)) is None:
            return
        types = [kind for kind in declared_types(declaring) if kind != "null"]
        values = schema["enum"]
        misfits = [value for value in values if value is not None and not _fits(value, types)]
        if not misfits:
            return
        described = _described(schema, declaring)
        if all(_unquoted(value, types) is not None for value in misfits):
            read = [value if value is None or _fits(value, types) else _unquoted(value, types) for value in values]
            schema["enum"] = _unique(read)
            shown = ", ".join(_short(value) for value in misfits)
            self.warn((*path, "enum"), f"enum values written as another type than {described}; read as it: {shown}")
            return
        items = schema.get("items")
        if len(misfits) < len([value for value in values if value is not None]):
            schema["enum"] = [value for value in values if value is None or _fits(value, types)]
            shown = ", ".join(_short(value) for value in misfits)
            self.warn((*path, "enum"), f"enum values not of type {described} dropped: {shown}")
        elif declaring is not schema:  # beside a reference
            del schema["enum"]
            self.warn((*path, "enum"), f"no enum value is of type {described}; the enum dropped")
        elif types == ["array"]:
            if (
                isinstance(items, dict)
                and "enum" not in items
                and "$ref" not in items
                and all(_fits(value, declared_types(items) or list(_JSON_TYPES)) for value in misfits)
            ):
                items["enum"] = schema.pop("enum")
                self.warn((*path, "enum"), "an enum of item values on a list; read as its items' enum")
            else:
                del schema["enum"]
                self.warn((*path, "enum"), "an enum of values that are not lists on a list; dropped")
        else:
            kinds = sorted({_json_type(value) for value in misfits})
            if len(kinds) > 1:
                self.warn((*path, "type"), f"no enum value is of type {_short(schema['type'])}; the type dropped")
                del schema["type"]
                return
            self.warn(
                (*path, "type"),
                f"an enum of {kinds[0]}s in a schema of type {_short(schema['type'])}; read as {kinds[0]}s",
            )
            schema["type"] = [*kinds, "null"] if "null" in declared_types(schema) else kinds[0]  # null: 3.1 alone

    def pattern(self, schema: dict[str, Any], path: Path) -> None:
        if isinstance(schema.get("pattern"), str):
            problem = _pattern_problem(schema["pattern"])
            if problem is not None:
                self.warn((*path, "pattern"), f"invalid regular expression dropped ({problem})")
                del schema["pattern"]
        # The names of patternProperties alike: a name the models' engine cannot read, the model generator
        # matches with Python's re, whose backtracking a hostile pattern makes hang on a response's keys.
        named = schema.get("patternProperties")
        if not isinstance(named, dict):
            return
        for name in [name for name in named if _pattern_problem(name) is not None]:
            del named[name]
            where = (*path, "patternProperties", name)
            self.warn(where, f"invalid regular expression dropped, with its schema ({_pattern_problem(name)})")
            if schema.get("additionalProperties") is False:  # the names it took are not refused
                del schema["additionalProperties"]
                self.warn((*path, "additionalProperties"), "dropped with an invalid patternProperties name")

    def required(self, schema: dict[str, Any], path: Path) -> None:
        properties = schema.get("properties")
        for name, prop in (properties.items() if isinstance(properties, dict) else ()):
            if isinstance(prop, dict) and isinstance(prop.get("required"), bool):
                where = (*path, "properties", name, "required")
                if prop.pop("required"):
                    if not isinstance(schema.get("required"), list):
                        schema["required"] = []
                    schema["required"].append(name)
                    self.warn(where, "'required: true' on a property (Swagger style); listed in the object's required")
                else:
                    self.warn(where, "'required: false' on a property (Swagger style); dropped")
        required = schema.get("required")
        if isinstance(required, bool):
            del schema["required"]
            self.warn((*path, "required"), f"'required: {str(required).lower()}' on a schema (Swagger style); dropped")
        elif isinstance(required, list):
            names = _unique([name for name in required if isinstance(name, str)])
            if len(names) < len(required):
                self.warn((*path, "required"), "required names repeated or not strings; each name kept once")
            cases: dict[str, list[str]] = {}
            for declared in properties if isinstance(properties, dict) else ():
                cases.setdefault(str(declared).lower(), []).append(str(declared))
            for index, name in enumerate(names):
                meant = cases.get(name.lower(), [])
                if isinstance(properties, dict) and name not in properties and len(meant) == 1:
                    # A name the models would read as that property's field (by its Python name), and the
                    # fixtures would give any value (Xero's files: "id" of a UUID "Id").
                    names[index] = meant[0]
                    self.warn(
                        (*path, "required"), f"required {_short(name)} is not defined; read as {_short(meant[0])}"
                    )
            names = _unique(names)
            if names:
                schema["required"] = names
            else:
                del schema["required"]
                if required:
                    self.warn((*path, "required"), "an empty required list; dropped")

    def bounds(self, schema: dict[str, Any], path: Path) -> None:
        for key in _COUNTS if self.minor == "3.0" else ():  # JSON Schema 2020-12 counts 1.0 an integer
            value = schema.get(key)
            if isinstance(value, float) and value.is_integer() and value >= 0:
                schema[key] = int(value)
                self.warn((*path, key), f"{key} must be an integer; {int(value)} used")
        if set(declared_types(schema)) - {"null"} == {"array"}:
            # A string's length on a list: JSON Schema ignores it, the models count the list's items by it
            # (beezup's change orders, "minLength": 1): one reading, the models', for the fixtures too.
            for length, items in (("minLength", "minItems"), ("maxLength", "maxItems")):
                if length in schema:
                    value = schema.pop(length)
                    read = items not in schema
                    if read:
                        schema[items] = value
                    self.warn((*path, length), f"{length} on a list; {'read as ' + items if read else 'dropped'}")
        for exclusive, inclusive in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = schema.get(exclusive)
            if self.minor != "3.0" and isinstance(value, bool):
                # OpenAPI 3.0's form: a flag on minimum/maximum. 3.1 puts the bound itself here.
                del schema[exclusive]
                if value and isinstance(schema.get(inclusive), (int, float)):
                    schema[exclusive] = schema.pop(inclusive)
                    self.warn(
                        (*path, exclusive), f"a boolean {exclusive} (OpenAPI 3.0 style); {inclusive} made exclusive"
                    )
                else:
                    self.warn(
                        (*path, exclusive), f"a boolean {exclusive} (OpenAPI 3.0 style) without {inclusive}; dropped"
                    )
            elif self.minor == "3.0" and isinstance(value, (int, float)) and not isinstance(value, bool):
                schema[inclusive] = value
                schema[exclusive] = True
                self.warn(
                    (*path, exclusive), f"a numeric {exclusive} (OpenAPI 3.1 style); read as an exclusive {inclusive}"
                )

    def as_3_0(self, schema: dict[str, Any], path: Path) -> None:
        """Keywords of 3.1 (JSON Schema 2020-12) that 3.0 documents use anyway, in 3.0's words."""
        if "const" in schema:
            value = schema.pop("const")
            if "enum" not in schema:
                schema["enum"] = [value]
            self.warn((*path, "const"), "const is not in OpenAPI 3.0; read as a one-value enum")
        if isinstance(schema.get("$ref"), str):
            # 3.0 ignores what sits beside a reference, but for what only describes: a type the schema referred
            # to does not declare would have the fixtures' checker refuse every value (BritBox's objects as
            # strings), and additionalProperties false the properties of the schema referred to.
            beside = [key for key in schema if key not in ANNOTATIONS and key != "$ref" and not key.startswith("x-")]
            types = declared_types(schema)
            for key in beside:
                del schema[key]
            try:
                target = deref(self.document, schema)
            except (KeyError, ValueError):
                target = None
            agrees = isinstance(target, dict) and set(types) <= set(declared_types(target))
            for key in beside:
                if key != "type" or not agrees:  # a type the schema referred to declares loses nothing
                    self.warn((*path, key), f"{key} beside $ref, which OpenAPI 3.0 ignores; dropped")
            return
        declared = schema.get("type")
        if declared == "file":
            schema.update(type="string", format="binary")
            self.warn((*path, "type"), "'type: file' (Swagger 2); read as a binary string")
        elif isinstance(declared, list) and "null" in declared and len(declared) == 2:
            schema["type"] = next(kind for kind in declared if kind != "null")
            schema["nullable"] = True
            self.warn((*path, "type"), "a type list is not in OpenAPI 3.0; read as a nullable type")
        elif isinstance(declared, list) and len(declared) == 1:
            schema["type"] = declared[0]
            self.warn((*path, "type"), "a type list is not in OpenAPI 3.0; its one type used")


def repair_slips(document: dict[str, Any], minor: str, title: str, diagnostics: Diagnostics, outline: Outline) -> None:
    """Fix the common slips of real documents in place (``title``: the API's title if it has none)."""
    slips = _Slips(document, minor, diagnostics, outline)
    slips.info(title)
    slips.parameters()
    slips.security_schemes()
    slips.schemas()


def _schema_keyword(roots: dict[Path, Any], path: Path) -> int | None:
    """Where in ``path`` the keyword of the innermost Schema Object containing it is (``None``: in none)."""
    for length in range(len(path), 0, -1):
        if path[:length] in roots:
            schema, where = roots[path[:length]], path[:length]
            break
    else:
        return None
    while True:
        inner = next(((s, p) for s, p in subschemas(schema, where) if path[: len(p)] == p), None)
        if inner is None:
            return len(where)
        schema, where = inner


def _parent(document: Any, path: Path) -> Any:
    node = document
    for token in path[:-1]:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _drop(document: Any, path: Path) -> bool:
    """Remove what ``path`` leads to; ``False`` if it is gone already."""
    parent = _parent(document, path)
    token = path[-1]
    if isinstance(parent, dict) and token in parent:
        del parent[token]
        return True
    if isinstance(parent, list) and isinstance(token, int) and token < len(parent):
        del parent[token]
        return True
    return False


def repair_violations(
    document: dict[str, Any], found: list[Violation], diagnostics: Diagnostics, outline: Outline
) -> list[Violation]:
    """Repair each violation the generator can do without; hand back those it cannot.

    Deepest places first, and later list items before earlier ones, so one repair never moves
    the place of another.
    """
    roots = {path: schema for schema, path in outline.schema_roots}
    left = []
    for violation in sorted(found, key=lambda v: path_order(v.path), reverse=True):
        action = _repair(document, roots, violation)
        if action is None:
            left.append(violation)
        elif action:
            diagnostics.warn(pointer(*violation.path), f"{violation.reason}; {action}")
    return sorted(left, key=lambda v: path_order(v.path))


def _declare_or_drop(document: dict[str, Any], path: Path) -> str:
    """A name a schema requires (at ``path``) and declares nowhere: in a schema open to other names, any value
    of it is valid (JSON Schema), so it is declared as a property of any value, which the models then
    require (Gérer mes affaires' profiles require a ``File``); in a closed one no value could fit, and the
    entry is dropped (BritBox's PIN check)."""
    schema, required = _parent(document, path[:-1]), _parent(document, path)
    if not isinstance(schema, dict) or not isinstance(required, list) or not isinstance(path[-1], int):
        return ""  # an earlier repair took it away
    if schema.get("additionalProperties") is False:
        return "entry dropped" if _drop(document, path) else ""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        properties = schema["properties"] = {}
    properties[str(required[path[-1]])] = {}
    return "declared as a property of any value"


def _repair(document: dict[str, Any], roots: dict[Path, Any], violation: Violation) -> str | None:
    """Repair one violation; say what was done ("" if an earlier repair took it away), or ``None``."""
    path, keyword = violation.path, violation.keyword
    at = _schema_keyword(roots, path)
    if at is not None:
        if at == len(path):
            parent = _parent(document, path)
            if parent is None:
                return ""
            parent[path[-1]] = {}
            return "read as a schema that allows anything"
        if keyword == "additionalProperties" and len(path) > at + 1:  # inside a keyword's object (xml)
            return "dropped" if _drop(document, path) else ""
        if keyword == "required" and path[at] == "required" and len(path) == at + 2:
            return _declare_or_drop(document, path)
        if path[at] in ("required", "enum") and len(path) > at + 1 and isinstance(path[at + 1], int):
            return "entry dropped" if _drop(document, path[: at + 2]) else ""
        return f"{path[at]!r} dropped" if _drop(document, path[: at + 1]) else ""
    if keyword == "undeclared-path-parameter":
        operation = _parent(document, (*path, "x"))
        if isinstance(operation, dict):
            parameters = operation.setdefault("parameters", [])
            if isinstance(parameters, list):
                parameters.append(
                    {"name": violation.detail, "in": "path", "required": True, "schema": {"type": "string"}}
                )
                return "declared as a string"
    if (
        keyword == "required"
        and violation.detail == "description"
        and isinstance(_parent(document, (*path, "x")), dict)
    ):
        _parent(document, (*path, "x"))["description"] = ""
        return "an empty description assumed"
    if keyword in ("additionalProperties", "duplicate", "operationId", "unknown-path-parameter", "parent"):
        return (
            ("dropped" if keyword != "operationId" else "the later operation named by its path")
            if _drop(document, path)
            else ""
        )
    # A field, not the name of a component (``/components/parameters/description``).
    descriptive = next(
        (i for i, t in enumerate(path) if t in _DESCRIPTIVE and path[i - 2 : i - 1] != ("components",)), None
    )
    if descriptive is not None:
        return f"{path[descriptive]!r} dropped" if _drop(document, path[: descriptive + 1]) else ""
    server = next((i for i, token in enumerate(path[:-1]) if token == "servers" and isinstance(path[i + 1], int)), None)
    if server is not None:
        return "server dropped" if _drop(document, path[: server + 2]) else ""
    if len(path) >= 3 and path[0] == "paths" and path[2] in HTTP_METHODS:
        method, url = str(path[2]), str(path[1])
        return f"operation {method.upper()} {url} skipped" if _drop(document, path[:3]) else ""
    if len(path) >= 4 and path[0] == "paths" and path[2] == "additionalOperations":
        method, url = str(path[3]), str(path[1])
        return f"operation {method} {url} skipped" if _drop(document, path[:4]) else ""
    if len(path) >= 2 and path[0] in ("paths", "webhooks", "x-webhooks"):
        return f"{path[0][:-1]} {path[1]} skipped" if _drop(document, path[:2]) else ""
    if len(path) >= 2 and path[0] in ("tags", "security"):
        return "entry dropped" if _drop(document, path[:2]) else ""
    return None
