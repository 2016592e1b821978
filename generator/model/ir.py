"""The small, typed intermediate model of an API that the templates render."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from generator.model.media import STREAM_KINDS
from generator.runtime._parameters import QUERY_DEFAULT, SIMPLE_DEFAULT

ParameterLocation = Literal["path", "query", "querystring", "header", "cookie"]
#: How a 3.2 ``in: querystring`` parameter becomes the whole query string, by its media type.
QuerystringKind = Literal["form", "json", "text"]
BodyKind = Literal["json", "form", "multipart", "text", "binary"]
ResponseKind = Literal["json", "text", "binary", "none", "sse", "jsonl", "json-seq"]
CallField = Literal["path", "query", "headers", "cookies"]
#: Where the runtime's ``Call`` carries the arguments of each location.
_CALL_FIELDS: dict[ParameterLocation, CallField] = {
    "path": "path",
    "query": "query",
    "header": "headers",
    "cookie": "cookies",
}
#: A title that names an API as such ("Zoom API", "GitHub v3 REST API", "Twilio - Api", "Google APIs").
_SAYS_API = re.compile(r"\bAPIs?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    """One path, query, header or cookie parameter of an operation, or the whole query string (3.2)."""

    wire_name: str
    python_name: str
    location: ParameterLocation
    required: bool
    annotation: str
    description: str
    deprecated: bool = False
    #: Set when a client-wide option supplies the value (the option's name).
    client_default: str | None = None
    #: How an array or object is written (OpenAPI's ``style`` and ``explode``); see the runtime's
    #: ``_parameters``.
    style: str = "form"
    explode: bool = True
    #: For ``in: querystring``: how the value is encoded as the query string.
    querystring: QuerystringKind | None = None
    #: The Python literal of the only value a required parameter may take (its schema's ``const``),
    #: sent when the caller gives none.
    const: str | None = None

    @property
    def written_style(self) -> tuple[str, bool] | None:
        """``(style, explode)`` of a query, path or header parameter written otherwise than its
        location's default (form and exploded, simple and not); ``None`` for the default."""
        default = {"query": QUERY_DEFAULT, "path": SIMPLE_DEFAULT, "header": SIMPLE_DEFAULT}.get(self.location)
        return None if default is None or (self.style, self.explode) == default else (self.style, self.explode)

    @property
    def declaration(self) -> str:
        """The parameter as a keyword argument of a method: ``limit: int | None = None``."""
        if self.const is not None:
            return f"{self.python_name}: {self.annotation} = {self.const}"
        optional = not self.required or self.client_default
        return f"{self.python_name}: {self.annotation}{' | None = None' if optional else ''}"


@dataclass(frozen=True)
class RequestBody:
    """The request body of an operation; ``model`` is ``None`` for raw bytes."""

    model: str | None
    required: bool
    description: str
    content_type: str = "application/json"
    kind: BodyKind = "json"
    #: Name of the single required array property, when the body is a batch of items.
    batch_items: str | None = None
    #: Annotation of one item of that array.
    batch_item_type: str = "Any"
    #: For a form: ``(style, explode)`` of each field written otherwise than as form and exploded (its
    #: Encoding Object's; Stripe's objects are deepObjects), by wire name.
    field_styles: tuple[tuple[str, tuple[str, bool]], ...] = ()
    #: The annotations of the plain values it may be given as instead of its model (keys of
    #: :data:`PLAIN_VALUES`): a form's fields, or what the JSON schema allows.
    plain: tuple[str, ...] = ("Mapping[str, Any]",)

    @property
    def declaration(self) -> str:
        """The body as a keyword argument of a method: a model or plain values, text, or bytes or a file."""
        if self.kind == "binary":
            annotation = "bytes | BinaryIO"
        elif self.kind == "text":
            annotation = "str"
        else:
            annotation = " | ".join([f"models.{self.model}"] * bool(self.model) + list(self.plain))
        return f"body: {annotation}{'' if self.required else ' | None = None'}"

    @property
    def given_as(self) -> str:
        """What the docstring says the body may be given as: ``A model or a plain dict``."""
        names = ["a model"] * bool(self.model) + [PLAIN_VALUES[annotation] for annotation in self.plain]
        said = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return said[0].upper() + said[1:]


#: The annotation of each plain value a body may be given as, and its name in a docstring.
PLAIN_VALUES = {
    "Mapping[str, Any]": "a plain dict",
    "Sequence[Any]": "a list",
    "str": "a str",
    "float": "a number",
    "int": "an int",
    "bool": "a bool",
    "Any": "any JSON value",
}


@dataclass(frozen=True)
class Response:
    """One declared response; ``model`` is set for JSON bodies with a schema."""

    #: The HTTP status; 1-5 for the ranges 1XX-5XX; None for "default".
    status: int | None
    description: str
    model: str | None
    kind: ResponseKind = "json"
    #: The declared media type the client reads the body as; None without content.
    media_type: str | None = None

    @property
    def status_class(self) -> int | None:
        """The first digit of the status (2 for 201 and for 2XX)."""
        return None if self.status is None else self.status if self.status < 10 else self.status // 100

    @property
    def is_range(self) -> bool:
        return self.status is not None and self.status < 10

    @property
    def annotation(self) -> str:
        """The Python type a method returns for this response."""
        if self.kind == "json":
            return f"models.{self.model}" if self.model else "Any"
        if self.kind == "sse":  # events whose data is JSON of the item schema, else text
            return f"_streams.Stream[_streams.ServerSentEvent[{f'models.{self.model}' if self.model else 'str'}]]"
        if self.kind in STREAM_KINDS:
            return f"_streams.Stream[{f'models.{self.model}' if self.model else 'Any'}]"
        return {"text": "str", "binary": "bytes", "none": "None"}[self.kind]


@dataclass(frozen=True)
class SecurityScheme:
    """A security scheme the client can serve: HTTP Basic or Bearer, an API key, or an OAuth 2 /
    OpenID Connect access token (sent as a Bearer token, given or fetched with client credentials)."""

    name: str
    kind: Literal["basic", "bearer", "api_key", "oauth2"]
    location: ParameterLocation | None = None
    parameter_name: str | None = None
    #: Marked ``deprecated`` (3.2): used only when no other alternative is possible, with a warning.
    deprecated: bool = False
    #: OAuth 2 with a ``clientCredentials`` flow: where the client fetches its token, and how it
    #: authenticates there (``client_secret_basic``, or ``client_secret_post`` where the document asks).
    token_url: str | None = None
    token_auth: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic"


PaginationStyle = Literal["cursor", "after_last", "link", "next_url", "page", "offset"]


@dataclass(frozen=True)
class Webhook:
    """A webhook the API sends: its name in the document and the model of its JSON payload."""

    name: str
    model: str


@dataclass(frozen=True)
class WebhookSignature:
    """How the API signs webhook deliveries (``x-webhook-signature``): an HMAC-SHA256 of the raw body,
    after ``<timestamp>.`` when ``timestamp_header`` is named, sent in ``header``."""

    header: str
    timestamp_header: str | None = None
    tolerance: int = 300  # seconds
    prefix: str = ""  # before each signature in the header, e.g. "sha256="
    encoding: Literal["hex", "base64"] = "hex"


@dataclass(frozen=True)
class Pagination:
    """How ``<method>_iter`` walks the pages of a list operation (see :mod:`generator.model.pagination`).

    Body properties are paths of wire names (``("meta", "next")``); ``()`` for ``items`` is the body itself.
    """

    style: PaginationStyle
    #: Wire name of the query parameter the iterator sets (cursor, ``starting_after``, page, offset);
    #: ``None`` for the styles that take the whole next query from a URL (``link``, ``next_url``).
    parameter: str | None
    #: Its Python name: the iterator's signature leaves it out.
    controlled: str | None
    items: tuple[str, ...]
    item_type: str  # annotation of one item
    #: The next cursor (``cursor``), next URL (``next_url``) or ``has_more`` flag (``after_last``).
    next: tuple[str, ...] = ()
    #: For ``page`` and ``offset``: the page size parameter (wire name) and its default, and the total count.
    size: str | None = None
    size_default: int | None = None
    total: tuple[str, ...] = ()
    start: int = 0  # the first page's number
    #: For ``cursor``: the field of the JSON request body the cursor is sent in, instead of a parameter.
    body_field: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """How the pages are followed, for the iterator's docstring."""
        return self.described(lambda name: f"``{name}``")

    def described(self, code: Callable[[str], str]) -> str:
        """How the pages are followed, each name written by ``code`` (for a docstring, for Markdown)."""
        dotted = code(".".join(self.next))
        last = f"until a short or empty page{', or the total' if self.total else ''}"
        parameter = code(str(self.parameter))
        sent = f"{code('.'.join(self.body_field))} of the request body" if self.body_field else parameter
        next_link = code('rel="next"')
        return {
            "cursor": f"sending the {dotted} cursor of each page as {sent}",
            "after_last": f"while {dotted} is true, sending the last item's {code('id')} as {parameter}",
            "link": f"following the {next_link} URL of the {code('Link')} header",
            "next_url": f"following the {dotted} URL of each page",
            "page": f"page by page ({parameter}), {last}",
            "offset": f"by offset ({parameter}), {last}",
        }[self.style]


@dataclass(frozen=True)
class Operation:
    """One HTTP operation and everything needed to call it."""

    method_name: str
    operation_id: str
    http_method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    #: The alternatives (any one will do) of security schemes applied together; an empty
    #: alternative needs no credential. Empty when the operation needs none.
    security: tuple[tuple[str, ...], ...]
    retry_statuses: tuple[int, ...]
    pointer: str
    pagination: Pagination | None = None
    #: For a batch operation: the property of its success response holding one list of error
    #: messages per item: the one ``x-batch-item-errors`` names, else its only array of arrays.
    batch_errors: str | None = None
    #: For a batch operation: the field of the items the API matches them on (``x-upsert-key``).
    upsert_key: str | None = None
    #: The module the operation lives in (``_endpoints/<group>.py``, ``models/<group>.py``): see :mod:`.grouping`.
    group: str = "default"
    #: The header carrying a key generated once per call, the same on every retry (``Idempotency-Key``).
    idempotency_header: str | None = None

    @property
    def arguments(self) -> tuple[tuple[CallField, tuple[Parameter, ...]], ...]:
        """The parameters by the field of the runtime's ``Call`` that sends them, fields without any left out."""
        return tuple(
            (call_field, params)
            for location, call_field in _CALL_FIELDS.items()
            if (params := tuple(p for p in self.parameters if p.location == location))
        )

    @property
    def required_arguments(self) -> tuple[str, ...]:
        """The keyword arguments a call must give, in the signature's order: a required body, then each
        required parameter that has no default (a client option's, or its only value)."""
        body = ("body",) if self.body is not None and self.body.required else ()
        return body + tuple(
            p.python_name for p in self.parameters if p.required and not p.client_default and p.const is None
        )

    @property
    def querystring(self) -> tuple[Parameter, ...]:
        """The parameter that is the whole query string (3.2), if any: sent as the ``Call``'s own field."""
        return tuple(p for p in self.parameters if p.location == "querystring")

    def deprecations(self, without: str = "") -> tuple[tuple[str, str | None], ...]:
        """What a method of the operation warns is deprecated, ``(what, argument)``: the operation
        (``argument`` None), and each deprecated parameter, when its argument is given; ``without``: a
        parameter the method does not take (the cursor of ``<method>_iter``)."""
        warned: list[tuple[str, str | None]] = [(self.method_name, None)] if self.deprecated else []
        for p in self.parameters:
            if p.deprecated and p.python_name != without:
                warned.append((f"{self.method_name}({p.python_name}=...)", p.python_name))
        return tuple(warned)

    @property
    def successes(self) -> tuple[Response, ...]:
        """The declared 2xx responses (and 2XX); without any, the ``default`` response stands for 2XX."""
        declared = tuple(r for r in self.responses if r.status_class == 2)
        default = self.default_response
        return declared or ((replace(default, status=2),) if default else ())

    @property
    def success(self) -> Response | None:
        """The first declared 2xx response."""
        return next(iter(self.successes), None)

    @property
    def return_type(self) -> str:
        """What the method returns: the union of its 2xx responses' types."""
        types = list(dict.fromkeys(r.annotation for r in self.successes)) or ["None"]
        return "Any" if "Any" in types else " | ".join(types)

    @property
    def errors(self) -> tuple[Response, ...]:
        """The declared responses raised as errors: 3xx (a redirect the client did not follow), 4xx and 5xx."""
        return tuple(r for r in self.responses if (r.status_class or 0) >= 3)

    @property
    def accept(self) -> str:
        """The ``Accept`` header: the media types the client reads this operation's responses as."""
        return ", ".join(dict.fromkeys(r.media_type for r in self.responses if r.media_type)) or "*/*"

    @property
    def default_response(self) -> Response | None:
        """The ``default`` response, which describes every undeclared (error) status."""
        return next((r for r in self.responses if r.status is None), None)

    @property
    def streams(self) -> bool:
        """Whether a success is read as a stream of items (the method returns a ``_streams.Stream``)."""
        return any(r.kind in STREAM_KINDS for r in self.successes)

    @property
    def models(self) -> tuple[str, ...]:
        """The models the operation sends or reads, in order of appearance."""
        names = [self.body.model if self.body else None, *(r.model for r in self.responses)]
        return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class ClientOption:
    """A client-wide default for a parameter that every operation takes."""

    name: str
    wire_name: str
    location: ParameterLocation
    description: str
    env_var: str


@dataclass(frozen=True)
class ServerVariable:
    """A ``{variable}`` of a server URL, chosen with a client argument of its own."""

    name: str
    #: The client's argument (and ``<PREFIX>_<ARGUMENT>`` environment variable).
    argument: str
    default: str | None
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Server:
    """A server of the document, chosen by ``name`` with the client's ``server`` argument."""

    name: str
    #: The URL with each variable at its default.
    url: str
    #: The URL with its ``{variables}``.
    template: str
    description: str
    variables: tuple[ServerVariable, ...]


@dataclass(frozen=True)
class Api:
    """Everything the templates need to render one client package."""

    title: str
    version: str
    description: str
    package: str
    distribution: str
    servers: tuple[Server, ...]
    operations: tuple[Operation, ...]
    security_schemes: tuple[SecurityScheme, ...]
    client_options: tuple[ClientOption, ...]
    error_statuses: tuple[int, ...] = field(default=())
    webhooks: tuple[Webhook, ...] = field(default=())
    webhook_signature: WebhookSignature | None = None
    #: The header that names the webhook of a delivery (``x-webhook-event-header``).
    webhook_event_header: str | None = None

    @property
    def name(self) -> str:
        """What the API is called in the package's words ("the ... client"): its title, with " API" after
        it unless the title says so already (Zoom's "Zoom API", not "Zoom API API")."""
        return self.title if _SAYS_API.search(self.title) else f"{self.title} API"

    @property
    def server_arguments(self) -> dict[str, ServerVariable]:
        """The client's arguments that set a server variable, each with its first declaration."""
        found: dict[str, ServerVariable] = {}
        for server in self.servers:
            for variable in server.variables:
                found.setdefault(variable.argument, variable)
        return found

    @property
    def groups(self) -> dict[str, tuple[Operation, ...]]:
        """The operations by group, groups in order of first appearance."""
        groups: dict[str, list[Operation]] = {}
        for operation in self.operations:
            groups.setdefault(operation.group, []).append(operation)
        return {name: tuple(operations) for name, operations in groups.items()}
