"""Build the intermediate model (:mod:`generator.model.ir`) from a normalized document."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any, cast

from generator.errors import Diagnostics, SpecError
from generator.literals import python_literal
from generator.model.grouping import first_group
from generator.model.ir import (
    Api,
    BodyKind,
    ClientOption,
    Operation,
    Pagination,
    Parameter,
    ParameterLocation,
    QuerystringKind,
    RequestBody,
    Response,
    ResponseKind,
    SecurityScheme,
    Server,
    ServerVariable,
)
from generator.model.media import MEDIA_RANK, STREAM_KINDS, media_kind
from generator.model.naming import (
    BATCH_METHOD_NAMES,
    METHOD_NAMES,
    Names,
    OperationNames,
    client_method_name,
    client_option_name,
    parameter_name,
    snake_case,
    unique,
)
from generator.model.normalize import SCHEMAS, NormalizedSpec
from generator.model.pagination import Detector, Misconfigured, Unpaginated
from generator.model.webhooks import read_event_header, read_signature, read_webhooks
from generator.runtime._parameters import QUERY_DEFAULT
from generator.spec.operations import path_operations
from generator.spec.pointers import deref, pointer
from generator.spec.schemakeys import declared_types, json_types, value_types

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
#: The annotation of a plain value of each JSON type, given as a JSON body instead of its model.
_PLAIN_JSON = (("object", "Mapping[str, Any]"), ("array", "Sequence[Any]"), *_SCALARS.items())
# A string parameter of these formats takes their Python type too (its text is sent; see the runtime's
# scalar_text), and any string still: a server's "date-time" may be a month (Datadog's ``start_month``).
_FORMATS = {"date-time": "datetime.datetime | str", "date": "datetime.date | str", "uuid": "UUID | str"}
# The order of parameters of one requiredness in a signature.
_LOCATIONS: list[ParameterLocation] = ["path", "query", "querystring", "header", "cookie"]
# Headers that frame a message, which the client computes from the body (its runtime's _FRAMING_HEADERS,
# held equal by a test: the runtime ships alone, and importing it here would load httpx).
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})
# What a querystring parameter takes: the fields of a form, any JSON value, or the text itself.
_QUERYSTRING_ANNOTATIONS: dict[QuerystringKind, str] = {"form": "Mapping[str, Any]", "json": "Any", "text": "str"}
# Printable ASCII without the comma that separates Accept's entries.
_HEADER_TEXT = re.compile(r"[\x20-\x2b\x2d-\x7e]+")


# Vendor extensions of a batch operation: the property of its answer holding one list of error messages
# per item, and the field of the items the API matches them on (an upsert), which makes sending one again safe.
BATCH_ITEM_ERRORS = "x-batch-item-errors"
UPSERT_KEY = "x-upsert-key"


#: The styles each location allows (OpenAPI's Style Values), the first its default.
_STYLES: dict[str, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}


def _style(parameter: dict[str, Any]) -> str:
    """How the parameter writes an array or an object: its ``style``, where its location allows it,
    else the location's default."""
    allowed = _STYLES.get(parameter["in"], ("form",))
    return parameter["style"] if parameter.get("style") in allowed else allowed[0]


def _field_styles(media: Any) -> tuple[tuple[str, tuple[str, bool]], ...]:
    """``(style, explode)`` of each field of a form its Encoding Object writes otherwise than as form and
    exploded, by name."""
    encoding = media.get("encoding") if isinstance(media, dict) else None
    styles = []
    for name, field in encoding.items() if isinstance(encoding, dict) else ():
        if isinstance(field, dict) and ("style" in field or "explode" in field):
            style = _style({**field, "in": "query"})
            explode = bool(field.get("explode", style == "form"))
            if (style, explode) != QUERY_DEFAULT:
                styles.append((str(name), (style, explode)))
    return tuple(styles)


def _literal(schema: dict[str, Any]) -> str | None:
    """``Literal[...]`` of a ``const``, or of an enum whose values are all strings or all integers."""
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if not isinstance(values, list) or not values:
        return None
    for kind in (str, int):
        # bool is an int to Python, not to JSON Schema.
        if all(isinstance(value, kind) and not isinstance(value, bool) for value in values):
            return f"Literal[{', '.join(python_literal(value) for value in dict.fromkeys(values))}]"
    return None


class _Unsupported(Exception):
    """Part of an operation the generator cannot express; the operation is skipped."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(reason)
        self.location = location
        self.reason = reason


class _Parser:
    def __init__(self, spec: NormalizedSpec, source: str, diagnostics: Diagnostics) -> None:
        self.spec = spec
        self.document = spec.document
        self.source = source
        self.diagnostics = diagnostics
        self.document_retries: tuple[int, ...] | None = None
        self.document_idempotency: tuple[str | None] | None = None
        self.schemes = self.security_schemes()
        self.undefined_schemes: set[str] = set()
        self.tag_parents = {
            str(entry["name"]): str(entry["parent"])
            for entry in self.document.get("tags") or ()
            if isinstance(entry, dict) and "name" in entry and "parent" in entry
        }
        self.paging = Detector(self.resolved, self.item_type)
        self.operation_names = OperationNames(self.document.get("paths"))

    def deref(self, node: Any, *, schema: bool = False) -> Any:
        """What ``node`` is or refers to; a ``schema`` as the models read it (see :func:`deref`)."""
        try:
            return deref(self.document, node, schema=schema)
        except ValueError as error:
            raise SpecError(self.source, "", str(error)) from None

    def resolved(self, node: Any) -> Any:
        """The schema ``node`` is or refers to, as the models read it: a reference with constraints
        beside it (3.1) as an ``allOf`` of the two."""
        return self.deref(node, schema=True)

    def schema(self, node: Any) -> dict[str, Any]:
        """The schema ``node`` is or refers to (:meth:`resolved`), as a map: ``{}`` for 3.1's ``true`` and
        ``false`` (nothing to read in them) and anything else that is no map."""
        schema = self.resolved(node)
        return schema if isinstance(schema, dict) else {}

    def item_type(self, items: Any) -> str:
        """The annotation of a list's items: their model when they are a ``$ref`` to one, else ``Any``."""
        ref = items.get("$ref") if isinstance(items, dict) else None
        return f"models.{self.spec.class_for_ref(ref)}" if isinstance(ref, str) and ref.startswith(SCHEMAS) else "Any"

    def annotation(self, schema: Any) -> str:
        """The Python type of a parameter's schema: a named enum as its model, a ``const`` or an inline enum
        of strings or integers as a ``Literal``. A reference with constraints beside it is its type still."""
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        schema = self.deref(schema)
        if not isinstance(schema, dict):
            return "Any"
        if isinstance(ref, str) and ref.startswith(SCHEMAS) and isinstance(schema.get("enum"), list):
            return f"models.{self.spec.class_for_ref(ref)}"
        if (literal := _literal(schema)) is not None:
            return literal
        types = [kind for kind in declared_types(schema) if kind != "null"]
        if types == ["string"] and schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        if len(types) == 1 and types[0] in _SCALARS:
            return _SCALARS[types[0]]
        if types == ["array"]:
            return f"list[{self.annotation(schema.get('items', {}))}]"
        return "Any"

    def parameters(
        self,
        path_item: dict[str, Any],
        operation: dict[str, Any],
        body: RequestBody | None,
        where: tuple[str, ...],
        credentials: dict[tuple[str, str], str],
        needed: set[str],
    ) -> tuple[Parameter, ...]:
        """The operation's parameters, but the headers the client sets itself, which frame the body, and
        those that carry the operation's credentials (``credentials``: the scheme of each place, see
        :func:`_place_of`): NPR's ``Authorization`` beside its OAuth 2 scheme, which OpenAPI says to
        ignore, Trello's ``key`` and ``token`` query parameters beside its API key schemes of those names.
        The client sends those from its credentials; the API key scheme of each one the operation
        requires is added to ``needed``."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(path_item.get("parameters") or ()), *(operation.get("parameters") or ())]:
            parameter = self.deref(raw)
            name, location = parameter["name"], parameter["in"]
            # A header's name is the same header in any case: the operation's overrides the path item's
            # (AWS CodeArtifact's x-amz-content-sha256 beside X-Amz-Content-Sha256, two arguments of one header).
            merged[(str(name).lower() if location == "header" else name, location)] = parameter
        reserved = BATCH_METHOD_NAMES if body is not None and body.batch_items else METHOD_NAMES
        taken = Names()
        result = []
        for parameter in merged.values():
            name, location = parameter["name"], parameter["in"]
            if location == "header" and str(name).lower() in FRAMING_HEADERS:
                # The client computes it from the body and refuses it from a caller: a method asking for
                # it could never be called (here.com's required Content-Length).
                self.diagnostics.note(
                    pointer(*where, "parameters"), f"header {name} is the HTTP client's to set; left out"
                )
                continue
            if location in ("header", "cookie") and not _HEADER_TOKEN.fullmatch(str(name)):
                # A line break or a colon would write another header; httpx refuses it before sending.
                self.diagnostics.warn(
                    pointer(*where, "parameters"),
                    f"{location} {name!r} is no token of HTTP, so no request can carry it; left out",
                )
                continue
            if location == "header" and str(name).lower() == "content-type" and body is not None:
                # OpenAPI says to ignore it: the body's media type is sent, which replaced the argument
                # (spoonacular's), or went beside it under another case. Without a body it is sent as
                # the document asks (Telstra's GETs require one).
                self.diagnostics.note(
                    pointer(*where, "parameters"),
                    f"header {name} is the body's media type (OpenAPI: ignored); left out",
                )
                continue
            scheme = credentials.get((location, str(name).lower() if location == "header" else name))
            if scheme is not None:
                self.diagnostics.note(
                    pointer(*where, "parameters"),
                    f"{location} parameter {name} carries the credentials of the operation's security; left out",
                )
                if parameter.get("required") and self.schemes[scheme].kind == "api_key":
                    needed.add(scheme)
                continue
            querystring = self.querystring(parameter, where) if location == "querystring" else None
            required = bool(parameter.get("required")) or location == "path"
            schema = self.resolved(parameter.get("schema", {}))
            const = schema.get("const") if isinstance(schema, dict) and required else None
            result.append(
                Parameter(
                    wire_name=name,
                    python_name=parameter_name(name, reserved, taken),
                    location=cast(ParameterLocation, location),
                    required=required,
                    annotation=(
                        _QUERYSTRING_ANNOTATIONS[querystring]
                        if querystring
                        else self.annotation(parameter.get("schema", {}))
                    ),
                    description=str(parameter.get("description") or ""),
                    deprecated=bool(parameter.get("deprecated")),
                    style=(style := _style(parameter)),
                    explode=bool(parameter.get("explode", style == "form")),
                    querystring=querystring,
                    const=python_literal(const) if isinstance(const, (str, int)) else None,
                )
            )
        # Required parameters first keeps the keyword-only signature readable.
        return tuple(sorted(result, key=lambda p: (not p.required, _LOCATIONS.index(p.location))))

    def querystring(self, parameter: dict[str, Any], where: tuple[str, ...]) -> QuerystringKind:
        """How an ``in: querystring`` parameter (3.2) is encoded: by the media type of its ``content``."""
        media_type = next(iter(parameter.get("content") or {}), "")
        kind = "text" if media_type.split(";")[0].strip().lower() == "text/plain" else media_kind(media_type)
        if kind in ("json", "form", "text"):
            return cast(QuerystringKind, kind)
        raise _Unsupported(
            pointer(*where, "parameters"), f"a querystring parameter of media type {media_type!r} is not supported"
        )

    def media(self, content: Any) -> tuple[str, str, str | None] | None:
        """``(media type, kind, model)`` of the preferred media type of a content map."""
        if not isinstance(content, dict) or not content:
            return None
        # A concrete media type before a range of its kind (Jellyfin's application/*+json first).
        ranked = sorted(content, key=lambda media_type: (MEDIA_RANK.index(media_kind(media_type)), "*" in media_type))
        media_type = ranked[0]
        media = content[media_type]
        kind = media_kind(media_type)
        # A stream's model is that of one item (normalize puts it in itemSchema, as OpenAPI 3.2 does).
        schema = media.get("itemSchema" if kind in STREAM_KINDS else "schema") if isinstance(media, dict) else None
        model = None
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith(SCHEMAS):
            model = self.spec.class_for_ref(schema["$ref"])
        return media_type, kind, model

    def json_schema(self, content: Any) -> dict[str, Any] | None:
        """A reference to the model of a content map whose preferred media type is JSON; else ``None``."""
        found = self.media(content)
        return {"$ref": SCHEMAS + found[2]} if found is not None and found[1] == "json" and found[2] else None

    def body(self, operation: dict[str, Any], where: tuple[str, ...]) -> RequestBody | None:
        raw = operation.get("requestBody")
        if raw is None:
            return None
        body = self.deref(raw)
        if body.get("content") == {}:  # Just Eat's channel subscriptions: what is sent is the path alone
            self.diagnostics.warn(pointer(*where, "requestBody", "content"), "no media type: no body is sent")
            return None
        found = self.media(body.get("content"))
        if found is None or found[1] in STREAM_KINDS:
            media_types = ", ".join(body.get("content") or {}) or "none"
            raise _Unsupported(
                pointer(*where, "requestBody", "content"), f"request body media type(s) {media_types} not supported"
            )
        media_type, kind, model = found
        media = body["content"][media_type]  # a range's, before the media type sent replaces it
        if "*" in media_type.split(";")[0]:
            # A range (application/*+json, */*) is no Content-Type: the plainest type of its kind is sent.
            media_type = _CONCRETE.get(kind, "application/octet-stream")
        if not _HEADER_TEXT.fullmatch(media_type):
            raise _Unsupported(
                pointer(*where, "requestBody", "content"),
                f"the media type {media_type!r} cannot be sent: a Content-Type header cannot carry it",
            )
        if kind in ("form", "multipart") and self._scalar(media):
            # Fields cannot be read from a string: the caller gives the body's text, encoded.
            where_schema = pointer(*where, "requestBody", "content", media_type, "schema")
            self.diagnostics.warn(where_schema, f"not an object: the {media_type} body is the bytes given")
            kind, model = "binary", None
        if kind in ("json", "form") and model is None:
            raise _Unsupported(pointer(*where, "requestBody", "content"), f"the {media_type} body has no schema")
        batch = self.batch_items(media) if kind == "json" else None
        return RequestBody(
            model=model if kind not in ("text", "binary") else None,
            required=bool(body.get("required")),
            description=str(body.get("description") or ""),
            content_type=media_type,
            kind=cast(BodyKind, kind),
            batch_items=batch[0] if batch else None,
            batch_item_type=batch[1] if batch else "Any",
            field_styles=_field_styles(media) if kind == "form" else (),
            **({"plain": self.plain_values(media)} if kind == "json" else {}),
        )

    def plain_values(self, media: Any) -> tuple[str, ...]:
        """The annotations of the plain values a JSON body of ``media`` (a media type object) may be given as:
        those of the types its schema allows (:data:`PLAIN_VALUES`), ``Any`` when it does not say."""
        types = json_types(media.get("schema") if isinstance(media, dict) else None, self.resolved) or frozenset()
        if "number" in types:  # a float annotation takes an int too: a number's integers are not named twice
            types -= {"integer"}
        return tuple(annotation for kind, annotation in _PLAIN_JSON if kind in types) or ("Any",)

    def _scalar(self, media: Any) -> bool:
        """Whether the schema of ``media`` (a media type object) types its values and none as an object."""
        schema = self.resolved(media.get("schema")) if isinstance(media, dict) else None
        types = value_types(schema)
        return bool(types) and "object" not in types and isinstance(schema, dict) and "properties" not in schema

    def batch_items(self, media: Any) -> tuple[str, str] | None:
        """``(property, item annotation)`` when the body ``media`` (the media type object sent) is
        ``{<one required array>}``."""
        schema = self.schema(media.get("schema") if isinstance(media, dict) else None)
        required = schema.get("required") or []
        if len(required) != 1:
            return None
        raw_items = (schema.get("properties") or {}).get(required[0], {})
        items = self.resolved(raw_items)
        declared = items.get("type") if isinstance(items, dict) else None
        if not (declared == "array" or (isinstance(declared, list) and "array" in declared)):
            return None
        return str(required[0]), self.item_type(items.get("items"))

    def responses(self, operation: dict[str, Any], method: str, where: tuple[str, ...]) -> tuple[Response, ...]:
        """The operation's responses. Content declared where HTTP allows none (a 204, 205 or 304, an answer
        to HEAD) is left unread, with a note: the client would fail to read the empty body as JSON
        (Webflow's heartbeats declare an empty object for their 204)."""
        result = []
        for status, raw in (operation.get("responses") or {}).items():
            response = self.deref(raw)
            code = _status_code(str(status))
            if code == -1:
                continue  # not a status; the validator accepts extensions (x-...) here
            found = self.media(response.get("content"))
            if found is not None and (code in _NO_CONTENT or method.lower() == "head"):
                answer = f"a {code} response" if code in _NO_CONTENT else "an answer to HEAD"
                self.diagnostics.note(
                    pointer(*where, "responses", str(status), "content"), f"{answer} has no content; not read"
                )
                found = None
            kind = "none" if found is None else "binary" if found[1] in ("form", "multipart") else found[1]
            result.append(
                Response(
                    status=code,
                    # 3.2 makes the description optional beside a short summary.
                    description=str(response.get("description") or response.get("summary") or ""),
                    model=found[2] if found is not None and (kind == "json" or kind in STREAM_KINDS) else None,
                    kind=cast(ResponseKind, kind),
                    # Only a media type that is valid header text goes into Accept.
                    media_type=found[0] if found is not None and _HEADER_TEXT.fullmatch(found[0]) else None,
                )
            )
        # By status class, exact codes before their range (200, 201, 2XX, 404, 4XX, default).
        return tuple(sorted(result, key=lambda r: (r.status is None, r.status_class or 0, r.is_range, r.status or 0)))

    def pagination(
        self,
        operation: dict[str, Any],
        method: str,
        path_item: dict[str, Any],
        where: tuple[str, ...],
        parameters: tuple[Parameter, ...],
    ) -> Pagination | None:
        """The operation's pagination; a list operation without one is noted, a broken extension warned of."""
        raw = [self.deref(p) for p in [*(path_item.get("parameters") or ()), *(operation.get("parameters") or ())]]
        query_schemas = {p["name"]: self.schema(p.get("schema")) for p in raw if p.get("in") == "query"}
        responses = operation.get("responses") or {}
        statuses = sorted((str(status), response) for status, response in responses.items())
        success = next((self.deref(response) for status, response in statuses if status.startswith("2")), None)
        schema = self.json_schema(success.get("content")) if success is not None else None
        requested = self.deref(operation["requestBody"]) if "requestBody" in operation else None
        request_schema = self.json_schema(requested.get("content")) if isinstance(requested, dict) else None
        result = self.paging.detect(
            operation, method, pointer(*where), parameters, query_schemas, success, schema, request_schema
        )
        if isinstance(result, Misconfigured):
            self.diagnostics.warn(result.location, f"{result.reason}; no iterator")
        elif isinstance(result, Unpaginated):
            self.diagnostics.note(pointer(*where), f"no iterator: {result.reason}")
        return result if isinstance(result, Pagination) else None

    def batch_errors(self, operation: dict[str, Any], success: Response | None, where: tuple[str, ...]) -> str | None:
        """The property of a batch answer that holds one list of messages per item: the one
        ``x-batch-item-errors`` names, else the answer's only array of arrays, else none."""
        properties = (
            self.schema({"$ref": SCHEMAS + success.model}).get("properties") or {} if success and success.model else {}
        )
        arrays = [name for name, prop in properties.items() if "array" in value_types(self.resolved(prop))]
        if BATCH_ITEM_ERRORS in operation:
            named = operation[BATCH_ITEM_ERRORS]
            if isinstance(named, str) and named in arrays:
                return named
            self.diagnostics.warn(
                pointer(*where, BATCH_ITEM_ERRORS),
                "expected the name of an array property of the success response; ignored",
            )
            return None
        lists = [
            name
            for name in arrays
            if "array" in value_types(self.resolved(self.schema(properties[name]).get("items") or {}))
        ]
        return str(lists[0]) if len(lists) == 1 else None

    def upsert_key(self, operation: dict[str, Any], where: tuple[str, ...]) -> str | None:
        """The item field ``x-upsert-key`` names: the API matches items on it, so sending one again is safe."""
        key = operation.get(UPSERT_KEY)
        if key is not None and not (isinstance(key, str) and key):
            self.diagnostics.warn(pointer(*where, UPSERT_KEY), "expected the name of a field of the items; ignored")
            return None
        return key

    def batch_extensions(self, operation: dict[str, Any], where: tuple[str, ...]) -> None:
        """Warn about the batch extensions of an operation that is not a batch, which nothing reads."""
        for name in (BATCH_ITEM_ERRORS, UPSERT_KEY):
            if name in operation:
                self.diagnostics.warn(
                    pointer(*where, name), "only a batch operation (a body of one required array) uses it; ignored"
                )

    def retry_statuses(self, operation: dict[str, Any], where: tuple[str, ...]) -> tuple[int, ...]:
        """The statuses ``x-speakeasy-retries`` (the operation's, else the document's) adds."""
        if "x-speakeasy-retries" in operation:
            return self.retry_codes(operation["x-speakeasy-retries"], (*where, "x-speakeasy-retries"))
        if self.document_retries is None:  # read once, so that a problem is reported once
            self.document_retries = self.retry_codes(self.document.get("x-speakeasy-retries"), ("x-speakeasy-retries",))
        return self.document_retries

    def retry_codes(self, retries: Any, where: tuple[str, ...]) -> tuple[int, ...]:
        """``{statusCodes: [429, 503]}`` -> ``(429, 503)``; what is not a status is ignored with a warning."""
        if retries is None:
            return ()
        codes = retries.get("statusCodes", []) if isinstance(retries, dict) else None
        if not isinstance(codes, list):
            self.diagnostics.warn(pointer(*where), "expected an object with a statusCodes list; ignored")
            return ()
        statuses: set[int] = set()
        for index, code in enumerate(codes):
            text = str(code) if isinstance(code, int | str) and not isinstance(code, bool) else ""
            if re.fullmatch(r"[1-5][0-9]{2}", text):
                statuses.add(int(text))
            elif not re.fullmatch(r"[1-5][xX]{2}", text):  # a range (5XX) is left to the default policy
                self.diagnostics.warn(pointer(*where, "statusCodes", index), f"{code!r} is not an HTTP status; ignored")
        return tuple(sorted(statuses))

    def operations(self) -> tuple[Operation, ...]:
        result = []
        taken = Names()
        global_security = self.document.get("security")
        routes: dict[tuple[str, str], str] = {}  # (method, path without its parameters' names): the path
        for path, path_item in (self.document.get("paths") or {}).items():
            for method, tokens, operation in path_operations(path_item):
                where = ("paths", path, *tokens)
                route = routes.setdefault((method, re.sub(r"\{[^{}]*\}", "{}", path)), path)
                if route != path:
                    self.diagnostics.warn(
                        pointer(*where),
                        f"{method} {path} is {method} {route} but for its parameters' names (OpenAPI calls"
                        " the two one path): a server tells their requests apart by nothing else",
                    )
                security = self.security(
                    ("security",) if "security" not in operation else (*where, "security"),
                    operation.get("security", global_security),
                )
                try:
                    result.append(self.operation(path, method, operation, path_item, where, security, taken))
                except _Unsupported as problem:
                    self.diagnostics.warn(problem.location, f"operation {method} {path} skipped: {problem.reason}")
        return tuple(result)

    def operation(
        self,
        path: str,
        method: str,
        operation: dict[str, Any],
        path_item: dict[str, Any],
        where: tuple[str, ...],
        security: tuple[tuple[str, ...], ...],
        taken: Names,
    ) -> Operation:
        if any(segment in (".", "..") for segment in path.split("?")[0].split("/")):
            raise _Unsupported(pointer("paths", path), "the path contains '.' or '..' segments, which URLs collapse")
        if _URL_UNSAFE.search(path):
            raise _Unsupported(pointer("paths", path), "the path contains a control character, which no URL carries")
        body = self.body(operation, where)
        credentials = {
            place: name for alternative in security for name in alternative if (place := _place_of(self.schemes[name]))
        }
        needed: set[str] = set()
        parameters = self.parameters(path_item, operation, body, where, credentials, needed)
        if needed:
            # Required as parameters, their keys are part of every alternative (Trello's key and token,
            # each its own alternative of the document, but both required parameters of every operation).
            security = tuple(
                dict.fromkeys((*alternative, *sorted(needed - set(alternative))) for alternative in security)
            )
        idempotency = self.idempotency_header(operation, method, parameters, where)
        # The client makes the key when the caller gives none, so the argument is never required.
        parameters = tuple(
            replace(p, required=False) if p.location == "header" and p.wire_name == idempotency else p
            for p in parameters
        )
        responses = self.responses(operation, method, where)
        success = next((r for r in responses if r.status is not None and 200 <= r.status < 300), None)
        tags = tuple(str(tag) for tag in operation.get("tags") or ())
        batch = body is not None and body.batch_items is not None
        if not batch:
            self.batch_extensions(operation, where)
        return Operation(
            method_name=client_method_name(self.operation_names(path, where[-1]), taken),
            operation_id=str(operation.get("operationId") or f"{where[-1]} {path}"),
            http_method=method,
            path=wire_path(path),
            summary=str(operation.get("summary") or ""),
            description=str(operation.get("description") or ""),
            deprecated=bool(operation.get("deprecated")),
            tags=tags,
            parameters=parameters,
            body=body,
            responses=responses,
            security=security,
            retry_statuses=self.retry_statuses(operation, where),
            pointer=pointer(*where),
            pagination=self.pagination(operation, method, path_item, where, parameters),
            batch_errors=self.batch_errors(operation, success, where) if batch else None,
            upsert_key=self.upsert_key(operation, where) if batch else None,
            # Tags nested in one (3.2's parent) share its module.
            group=first_group(tuple(self.root_tag(tag) for tag in tags), path),
            idempotency_header=idempotency,
        )

    def root_tag(self, tag: str) -> str:
        """The tag that ``tag`` is nested in through 3.2's ``parent`` fields (validation refused loops), or itself."""
        parents = self.tag_parents
        seen = {tag}
        while tag in parents and parents[tag] not in seen:
            tag = parents[tag]
            seen.add(tag)
        return tag

    def idempotency_header(
        self, operation: dict[str, Any], method: str, parameters: tuple[Parameter, ...], where: tuple[str, ...]
    ) -> str | None:
        """The header of the operation's idempotency key: its ``Idempotency-Key`` header parameter, else
        ``x-idempotency-key`` (a header name, or true for ``Idempotency-Key``) of the operation, else of
        the document for the methods that change state."""
        for parameter in parameters:
            if parameter.location == "header" and parameter.wire_name.lower() == "idempotency-key":
                return parameter.wire_name
        if IDEMPOTENCY_EXTENSION in operation:
            return self.idempotency_value(operation[IDEMPOTENCY_EXTENSION], (*where, IDEMPOTENCY_EXTENSION))
        if method.lower() in _SAFE_METHODS:
            return None
        if self.document_idempotency is None:  # read once, so that a problem is reported once
            value = self.document.get(IDEMPOTENCY_EXTENSION)
            self.document_idempotency = (self.idempotency_value(value, (IDEMPOTENCY_EXTENSION,)),)
        return self.document_idempotency[0]

    def idempotency_value(self, value: Any, where: tuple[str, ...]) -> str | None:
        if value is True:
            return "Idempotency-Key"
        if isinstance(value, str) and _HEADER_TOKEN.fullmatch(value):
            return value
        if value is not None and value is not False:
            self.diagnostics.warn(pointer(*where), "expected a header name or true; ignored")
        return None

    def security_schemes(self) -> dict[str, SecurityScheme]:
        """The schemes the client can serve, by name; each other one is a warning."""
        schemes = (self.document.get("components") or {}).get("securitySchemes") or {}
        result = {}
        for name, raw in schemes.items():
            scheme = self.deref(raw)
            served = _served_scheme(str(name), scheme) if isinstance(scheme, dict) else None
            if served is None:
                self.diagnostics.warn(
                    pointer("components", "securitySchemes", name),
                    f"security scheme {name!r} ({_scheme_description(scheme)}) is not supported: operations"
                    " that use it are sent without it; supply it through http_client or default_headers",
                )
            else:
                result[served.name] = replace(served, deprecated=scheme.get("deprecated") is True)
        return result

    def security(self, where: tuple[str, ...], requirements: Any) -> tuple[tuple[str, ...], ...]:
        """The alternatives of a security requirement list, each reduced to the schemes the client serves.

        What remains of an alternative is applied together; an alternative left empty needs
        nothing from the client, and comes last so that a credential given is always sent; one
        with a deprecated scheme comes after the others that need credentials.
        """
        result = []
        for requirement in requirements if isinstance(requirements, list) else ():
            names = [str(name) for name in requirement] if isinstance(requirement, dict) else []
            for name in names:
                if name not in self.schemes and name not in self.undefined_schemes and not self.is_declared(name):
                    self.undefined_schemes.add(name)
                    self.diagnostics.warn(
                        pointer(*where),
                        f"security scheme {name!r} is not defined under components/securitySchemes;"
                        " operations that use it are sent without it",
                    )
            result += self._sendable(where, tuple(name for name in names if name in self.schemes))
        # A deprecated scheme is used only when the client lacks the credentials of every other alternative.
        return tuple(
            sorted(
                dict.fromkeys(result),
                key=lambda alternative: (not alternative, any(self.schemes[name].deprecated for name in alternative)),
            )
        )

    def _sendable(self, where: tuple[str, ...], alternative: tuple[str, ...]) -> list[tuple[str, ...]]:
        """``alternative`` as alternatives the client can send: schemes that write the same header
        (Conjur's HTTP Basic and its own ``Authorization`` key) cannot be sent together, so each is
        sent with the rest instead, with a warning."""
        by_header: dict[str, list[str]] = {}
        for name in alternative:
            by_header.setdefault(_header_of(self.schemes[name]) or f"\0{name}", []).append(name)
        if all(len(names) == 1 for names in by_header.values()):
            return [alternative]
        for header, names in by_header.items():
            if len(names) > 1:
                self.diagnostics.warn(
                    pointer(*where),
                    f"the security schemes {' and '.join(map(repr, names))} send the same header ({header}):"
                    " each is sent alone, with the rest of their requirement",
                )
        return [tuple(chosen) for chosen in itertools.product(*by_header.values())]

    def is_declared(self, name: str) -> bool:
        return name in ((self.document.get("components") or {}).get("securitySchemes") or {})


#: How the client authenticates at an OAuth 2 token URL (RFC 7591's ``token_endpoint_auth_method``),
#: on the ``clientCredentials`` flow or its scheme: ``client_secret_post``, else HTTP Basic.
TOKEN_AUTH_EXTENSION = "x-token-endpoint-auth-method"
IDEMPOTENCY_EXTENSION = "x-idempotency-key"
_SAFE_METHODS = frozenset({"get", "head", "options", "trace"})
# An HTTP header name (RFC 9110 token).
_HEADER_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _served_scheme(name: str, scheme: dict[str, Any]) -> SecurityScheme | None:
    """The scheme as the client serves it, or None when it cannot."""
    kind = scheme.get("type")
    http_scheme = str(scheme.get("scheme", "")).lower()
    if kind == "http" and http_scheme in ("basic", "bearer"):
        return SecurityScheme(name=name, kind=cast(Any, http_scheme))
    if kind == "oauth2":
        flows = scheme.get("flows")
        flow = flows.get("clientCredentials") if isinstance(flows, dict) else None
        token_url = flow.get("tokenUrl") if isinstance(flow, dict) else None
        if isinstance(flow, dict) and isinstance(token_url, str) and token_url:
            method = flow.get(TOKEN_AUTH_EXTENSION, scheme.get(TOKEN_AUTH_EXTENSION))
            return SecurityScheme(
                name=name,
                kind="oauth2",
                token_url=token_url,
                token_auth="client_secret_post" if method == "client_secret_post" else "client_secret_basic",
            )
    if kind in ("oauth2", "openIdConnect"):
        return SecurityScheme(name=name, kind="oauth2")
    location, parameter = scheme.get("in"), scheme.get("name")
    if kind == "apiKey" and location in ("header", "query", "cookie") and isinstance(parameter, str) and parameter:
        if location == "header" and not _HEADER_TOKEN.fullmatch(parameter):
            return None  # no request can carry it (RapidAPI's "ADVICEment API Key"): a warning, as unsupported
        return SecurityScheme(name=name, kind="api_key", location=location, parameter_name=parameter)
    return None


def _place_of(scheme: SecurityScheme) -> tuple[str, str] | None:
    """Where a scheme's credential is sent: ``(location, name)``, a header's name in lower case."""
    if scheme.kind != "api_key":
        return "header", "authorization"
    if scheme.location is None or scheme.parameter_name is None:
        return None
    return scheme.location, scheme.parameter_name.lower() if scheme.location == "header" else scheme.parameter_name


def _header_of(scheme: SecurityScheme) -> str | None:
    """The header (lower case) a scheme's credential is sent in, if any."""
    place = _place_of(scheme)
    return place[1] if place is not None and place[0] == "header" else None


def _scheme_description(scheme: Any) -> str:
    if not isinstance(scheme, dict):
        return "not an object"
    kind = scheme.get("type")
    if kind == "http":
        return f"http {str(scheme.get('scheme'))!r}"
    if kind == "apiKey":
        return f"apiKey in {str(scheme.get('in'))!r} named {str(scheme.get('name'))!r}"
    return repr(str(kind))


#: The media type a request body of each kind is sent as where the document gives only a range.
_CONCRETE = {"json": "application/json", "text": "text/plain"}
#: The statuses whose responses have no content (RFC 9110, 15.3.5, 15.3.6 and 15.4.5).
_NO_CONTENT = frozenset({204, 205, 304})


def _status_code(status: str) -> int | None:
    """``"404"`` -> 404, ``"4XX"`` -> 4, ``"default"`` -> None; -1 for anything else."""
    if status == "default":
        return None
    if status.isascii() and status.isdigit():  # "²00" is digits to str.isdigit, and no status
        return int(status)
    if re.fullmatch(r"[1-5][xX]{2}", status):
        return int(status[0])
    return -1


# A URL with one of these cannot be sent (a client built with it fails), or does not read as it is.
_URL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: Extensions that name a server when the document (before OpenAPI 3.2's ``name``) does not.
SERVER_NAME_KEYS = ("name", "x-speakeasy-server-id", "x-name")


_AUTHORITY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")


def _without_userinfo(url: str) -> str:
    """``url`` without ``user:password@``: credentials in a spec would become the generated client's
    default URL, shown in its docstrings and repr and sent instead of the configured ones."""
    match = _AUTHORITY.match(url)
    if match is None or "@" not in match.group(1):
        return url
    return url[: match.start(1)] + match.group(1).rpartition("@")[2] + url[match.end(1) :]


def _checked_text(source: str, where: tuple[str | int, ...], value: object) -> str:
    text = str(value)
    if found := _URL_UNSAFE.search(text):
        raise SpecError(source, pointer(*where), f"a server URL must not hold a control character ({found.group()!r})")
    return text


def _servers(document: dict[str, Any], source: str, diagnostics: Diagnostics, taken: Names) -> tuple[Server, ...]:
    """The document's servers, named (``name``, an extension, else from the description or the index), each
    variable with the client argument that sets it (``taken``: the client's argument names so far)."""
    arguments: dict[str, str] = {}
    names = Names()
    servers = []
    for index, server in enumerate(document.get("servers") or ()):
        if not isinstance(server, dict) or "url" not in server:
            continue
        where: tuple[str | int, ...] = ("servers", index)
        template = _checked_text(source, (*where, "url"), server["url"])
        variables = []
        raw_variables = server.get("variables")
        for name, variable in (raw_variables if isinstance(raw_variables, dict) else {}).items():
            _checked_text(source, (*where, "variables", name), name)
            variable = variable if isinstance(variable, dict) else {}
            default = variable.get("default")
            enum = variable.get("enum")
            enum = enum if isinstance(enum, list) else []
            if name not in arguments:
                arguments[name] = client_option_name(name, taken)
            variables.append(
                ServerVariable(
                    name=name,
                    argument=arguments[name],
                    default=(
                        None
                        if default is None
                        else _checked_text(source, (*where, "variables", name, "default"), default)
                    ),
                    enum=tuple(
                        _checked_text(source, (*where, "variables", name, "enum", i), value)
                        for i, value in enumerate(enum)
                    ),
                    description=str(variable.get("description") or ""),
                )
            )
        url = template
        for variable in variables:
            if variable.default is not None:
                url = url.replace("{" + variable.name + "}", variable.default)
        values = [template, *(value for variable in variables for value in (variable.default or "", *variable.enum))]
        if any("?" in value or "#" in value for value in values):
            # The client appends each operation's path to the server's URL: after a query or a fragment, the
            # path would be sent as part of them (a default of "v1#" sent every request to /v1).
            diagnostics.warn(
                pointer(*where),
                "the server's URL or a value of its variables has a query or a fragment, which no operation's path"
                " can follow; server dropped",
            )
            continue
        if _without_userinfo(url) != url or _without_userinfo(template) != template:
            diagnostics.warn(
                pointer(*where, "url"), "the server URL carries credentials (user:password@); they were removed"
            )
        label = next(
            (server[key] for key in SERVER_NAME_KEYS if isinstance(server.get(key), str) and server[key]), None
        )
        description = str(server.get("description") or "")
        name = unique(snake_case(str(label or description), fallback=f"server_{index}"), names)
        servers.append(
            Server(
                name=name,
                url=_without_userinfo(url).rstrip("/"),
                template=_without_userinfo(template).rstrip("/"),
                description=description,
                variables=tuple(variables),
            )
        )
    return tuple(servers)


def client_options(package: str, operations: tuple[Operation, ...]) -> tuple[ClientOption, ...]:
    """Required header parameters that every operation takes become client-wide options."""
    if not operations:
        return ()
    common = None
    for operation in operations:
        # A const header is sent by every method on its own.
        names = {
            p.wire_name.lower()
            for p in operation.parameters
            if p.location == "header" and p.required and p.const is None
        }
        common = names if common is None else common & names
    options = []
    taken = Names()
    for parameter in operations[0].parameters:
        if parameter.wire_name.lower() in (common or set()):
            name = client_option_name(parameter.wire_name, taken)
            options.append(
                ClientOption(
                    name=name,
                    wire_name=parameter.wire_name,
                    location="header",
                    description=parameter.description,
                    env_var=f"{package.upper()}_{name.upper()}",
                )
            )
    return tuple(options)


def wire_path(key: str) -> str:
    """What to send for a path key. HTTP never sends a fragment, so a key that tells operations apart by one
    carries its pairs as query pairs instead (AWS's ``/#Action=List`` -> ``/?Action=List``); a bare marker
    (``/tags/{arn}#tagKeys``) is dropped. A query in the key (``/services?funcs=News``) is sent as written."""
    path, _, fragment = key.partition("#")
    pairs = [pair for pair in fragment.split("&") if "=" in pair]
    if not pairs:
        return path
    return path + ("&" if "?" in path else "?") + "&".join(pairs)


def build_api(spec: NormalizedSpec, source: str, package: str, diagnostics: Diagnostics) -> Api:
    """Read the operations, servers and security of ``spec`` into an :class:`Api`.

    Operations the generator cannot express are skipped with a warning, never silently. Each operation
    is in its first group (:func:`.grouping.first_group`); large groups are split later, once their
    modules can be measured.
    """
    parser = _Parser(spec, source, diagnostics)
    operations = parser.operations()
    options = client_options(package, operations)
    by_wire = {option.wire_name.lower(): option.name for option in options}
    operations = tuple(
        replace(
            op,
            parameters=tuple(
                replace(p, client_default=by_wire.get(p.wire_name.lower()) if p.location == "header" else None)
                for p in op.parameters
            ),
        )
        for op in operations
    )
    info = spec.document.get("info") or {}
    servers = _servers(spec.document, source, diagnostics, Names(option.name for option in options))
    return Api(
        title=str(info.get("title") or package),
        version=str(info.get("version") or "0"),
        description=str(info.get("description") or ""),
        package=package,
        distribution=package.replace("_", "-"),
        servers=servers,
        operations=operations,
        security_schemes=tuple(parser.schemes.values()),
        client_options=options,
        error_statuses=tuple(
            sorted({r.status for op in operations for r in op.errors if r.status is not None and not r.is_range})
        ),
        webhooks=read_webhooks(spec, diagnostics),
        webhook_signature=read_signature(spec.document, diagnostics),
        webhook_event_header=read_event_header(spec.document, diagnostics),
    )
