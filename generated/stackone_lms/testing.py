"""Test doubles: exercise code that uses this client without a network.

    from stackone_lms.testing import MockAPI

    mock = MockAPI()
    client = mock.client()                      # a Client wired to the mock
    client.lms_batch_upsert_course(...)  # answered from the fixtures
    assert mock.calls[0].operation == "lms_batch_upsert_course"
    mock.respond("lms_batch_upsert_course", status=429)  # next answers: an error
    mock.responder("lms_batch_upsert_course", lambda call: {...})  # answers built from each request

Every request is checked against the operation's models (and its required
headers); a request the real API would reject raises :class:`MockRequestError`.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
import pydantic

from ._client import AsyncClient, Client
from ._endpoints import OPERATIONS
from ._spec import SCHEMES
from ._runtime import OPERATION_EXTENSION, OperationSpec, adapter
from ._stems import file_stem

__all__ = ["MockAPI", "MockRequestError", "RecordedCall", "Responder", "load_fixture"]


def _success_status(operation: OperationSpec[Any]) -> int:
    """The status the mock answers with by default: the first declared 2xx (200 for a 2XX range)."""
    return next((status for status in operation.success_kinds if status >= 100), 200)


# The media type the mock streams each kind of stream in.
_STREAM_MEDIA = {
    "sse": "text/event-stream",
    "jsonl": "application/jsonl",
    "json-seq": "application/json-seq",
}


def _stream_item(kind: str, item: Any, typed: bool) -> bytes:
    """``item`` as one item of a stream of ``kind``: an event's data (its text, where no model ``typed``
    it), a JSON line or a JSON text sequence's."""
    text = item if isinstance(item, str) and kind == "sse" and not typed else json.dumps(item)
    if kind == "sse":
        return "".join(f"data: {line}\n" for line in text.split("\n")).encode() + b"\n"
    return f"{chr(0x1E) if kind == 'json-seq' else ''}{text}\n".encode()


#: An answer without a body: the status has no fixture (one may hold JSON's ``null``).
_NO_BODY: Any = object()


class MockRequestError(AssertionError):
    """The code under test sent a request that the real API would reject."""


def load_fixture(operation: str, name: str) -> Any:
    """A fixture payload of ``operation``: ``"request"`` or ``"response_<status>"``; bytes for a binary
    body, a str for a text one."""
    folder = resources.files(__package__).joinpath("fixtures", file_stem(operation))
    binary, text = folder.joinpath(f"{name}.bin"), folder.joinpath(f"{name}.txt")
    if binary.is_file():
        return binary.read_bytes()
    if text.is_file():
        return text.read_text("utf-8")
    return json.loads(folder.joinpath(f"{name}.json").read_text("utf-8"))


@dataclass(frozen=True)
class RecordedCall:
    """One request the mock received."""

    operation: str
    request: httpx.Request
    path_params: dict[str, str]

    @property
    def json(self) -> Any:
        """The decoded JSON body, or ``None`` when there was none."""
        content = _sent_content(self.request)
        return json.loads(content) if content else None


#: Builds the answer to one call: an ``httpx.Response``, or a JSON body sent with the
#: operation's success status.
Responder = Callable[[RecordedCall], Any]


class MockAPI:
    """An httpx transport that answers like the API, from the package's fixtures.

    A batch operation whose answer carries one list of errors per item is answered,
    by default, with its success fixture holding one empty list per item sent.
    """

    def __init__(self, *, base_url: str = "https://mock.invalid") -> None:
        self.base_url = base_url
        self.calls: list[RecordedCall] = []
        self._answers: dict[str, list[tuple[int, Any, dict[str, str]]]] = {}
        self._responders: dict[str, Responder] = {}
        # Concrete paths before templated ones, as OpenAPI matches them (``/pets/mine`` before
        # ``/pets/{id}``), then the more literal text first (``/pets/{id}:archive`` before
        # ``/pets/{id}``), then the one whose own query pairs say more (``/channels?scope=mine``
        # before ``/channels``), whatever the groups' order.
        routes = [(name, op, *_route(op.path)) for name, op in OPERATIONS.items()]
        self._routes = sorted(routes, key=_specificity)
        self._route_of = {route[0]: route for route in routes}

    @property
    def transport(self) -> httpx.MockTransport:
        """The transport to give to ``httpx.Client`` or ``httpx.AsyncClient``."""
        return httpx.MockTransport(self.handle)

    def client(self, **options: Any) -> Client:
        """A :class:`Client` that talks to this mock; ``options`` go to the constructor."""
        options.setdefault("base_url", self.base_url)
        options.setdefault("username", "test-username")
        options.setdefault("password", "test-password")
        options.setdefault("account_id", "test-account_id")
        options.setdefault("max_retries", 0)
        return Client(http_client=httpx.Client(transport=self.transport), **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An :class:`AsyncClient` that talks to this mock; ``options`` go to the constructor."""
        options.setdefault("base_url", self.base_url)
        options.setdefault("username", "test-username")
        options.setdefault("password", "test-password")
        options.setdefault("account_id", "test-account_id")
        options.setdefault("max_retries", 0)
        return AsyncClient(http_client=httpx.AsyncClient(transport=self.transport), **options)

    def respond(
        self,
        operation: str,
        *,
        status: int | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Queue the next ``times`` answers to ``operation``.

        Without ``json``, the body is the fixture for ``status`` (the success
        fixture when ``status`` is omitted; for a batch, holding one empty error
        list per item sent). A stream's success streams ``json`` as its one item.
        """
        _known(operation)
        chosen = status if status is not None else _success_status(OPERATIONS[operation])
        self._answers.setdefault(operation, []).extend(
            [(chosen, json, dict(headers or {}))] * times
        )

    def responder(self, operation: str, function: Responder | None) -> None:
        """Answer every call to ``operation`` with ``function(call)`` (``None``: the default).

        Answers queued with :meth:`respond` come first.
        """
        _known(operation)
        if function is None:
            self._responders.pop(operation, None)
        else:
            self._responders[operation] = function

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Route, check and record ``request``, then answer it."""
        # The raw path keeps "%2F" inside a parameter from looking like a separator.
        raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        query = set(request.url.params.multi_items())
        refused: MockRequestError | None = None
        # The operation the client made the request for comes first: requests of operations alike
        # in all but their name (Box's three ``GET /shared_items``) are told apart by it alone.
        named = self._route_of.get(request.extensions.get(OPERATION_EXTENSION, ""))
        routes = self._routes if named is None else [named, *self._routes]
        for name, operation, route, names, constant_query, query_names in routes:
            match = route.match(raw_path)
            if (
                match
                and request.method == operation.method
                and constant_query <= query
                and all(key in request.url.params for key in query_names)
            ):
                try:
                    self._check(name, operation, request)
                except MockRequestError as error:
                    # Paths alike but for their parameters' names (which OpenAPI calls one path) match
                    # the same requests: the operation whose request it is answers it, and one the
                    # client named is refused as its own.
                    refused = refused or error
                    if named is not None and name == named[0]:
                        break
                    continue
                values = [unquote(value) for value in match.groups()]
                values += [request.url.params[key] for key in query_names]
                call = RecordedCall(name, request, dict(zip(names, values, strict=True)))
                self.calls.append(call)
                return self._answer(call, operation)
        if refused is not None:
            raise refused
        raise MockRequestError(f"no operation matches {request.method} {request.url.path}")

    def _answer(self, call: RecordedCall, operation: OperationSpec[Any]) -> httpx.Response:
        queued = self._answers.get(call.operation)
        responder = self._responders.get(call.operation)
        success = _success_status(operation)
        if queued:
            status, body, headers = queued.pop(0)
        elif responder is not None:
            answer = responder(call)
            if isinstance(answer, httpx.Response):
                return answer
            status, body, headers = success, answer, {}
        else:
            status, body, headers = success, None, {}
        if body is None:
            body = _default_body(call, operation, status)
        kind, model = operation.success_for(status) if 200 <= status < 300 else ("json", None)
        if kind in _STREAM_MEDIA:
            # Left unread, as the client reads a stream as it arrives: its one item (none without one).
            content = b"" if body is _NO_BODY else _stream_item(kind, body, model is not None)
            headers = {"content-type": _STREAM_MEDIA[kind], **headers}
            return httpx.Response(status, headers=headers, stream=httpx.ByteStream(content))
        if body is _NO_BODY:
            return httpx.Response(status, headers=headers)
        # Encoded here, not by httpx: it sends no body for ``json=None``, and a fixture may be ``null``.
        headers = {"content-type": "application/json", **headers}
        return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)

    def _check(self, name: str, operation: OperationSpec[Any], request: httpx.Request) -> None:
        missing = [
            header
            for header in sorted(operation.required_headers)
            if not request.headers.get(header)
        ]
        if missing:
            raise MockRequestError(f"{name}: required header(s) missing: {', '.join(missing)}")
        if operation.security and not any(
            all(_carries(request, scheme) for scheme in alternative)
            for alternative in operation.security
        ):
            wanted = " or ".join(" and ".join(alternative) for alternative in operation.security)
            raise MockRequestError(f"{name}: the request carries no credentials for {wanted}")
        # A form of no fields is empty: sent, but not told apart from no body.
        if operation.body_required and not request.content and operation.body_kind != "form":
            raise MockRequestError(f"{name}: the request body is required")
        # JSON bodies are checked against their model; form, multipart, text and binary ones were
        # already checked by the client before encoding.
        if operation.body_model is not None and operation.body_kind == "json" and request.content:
            try:
                adapter(operation.body_model).validate_json(_sent_content(request), strict=True)
            except pydantic.ValidationError as error:
                raise MockRequestError(f"{name}: invalid request body: {error}") from None


def _sent_content(request: httpx.Request) -> bytes:
    """The body of ``request`` as the client serialized it, before its ``Content-Encoding``."""
    coding = request.headers.get("content-encoding", "").strip().lower()
    if coding == "gzip":
        return gzip.decompress(request.content)
    return zlib.decompress(request.content) if coding == "deflate" else request.content


def _carries(request: httpx.Request, scheme: str) -> bool:
    """Whether ``request`` holds a credential for the security scheme ``scheme``."""
    how, parameter, _ = SCHEMES[scheme]
    if how in ("basic", "bearer"):
        return bool(request.headers.get("authorization", "").lower().startswith(how))
    if how == "query":
        return parameter in request.url.params
    if how == "cookie":
        return f"{parameter}=" in request.headers.get("cookie", "")
    return parameter in request.headers


def _known(operation: str) -> None:
    if operation not in OPERATIONS:
        raise KeyError(f"unknown operation {operation!r}; known: {', '.join(sorted(OPERATIONS))}")


def _default_body(call: RecordedCall, operation: OperationSpec[Any], status: int) -> Any:
    """The fixture for ``status`` (:data:`_NO_BODY` without one); a batch's success, with one empty
    error list per item sent."""
    body = _fixture(call.operation, status)
    if operation.batch_items and operation.batch_errors and 200 <= status < 300:
        sent = (call.json or {}).get(operation.batch_items) or []
        body = {
            **(body if isinstance(body, dict) else {}),
            operation.batch_errors: [[] for _ in sent],
        }
    return body


def _specificity(route: tuple[Any, ...]) -> tuple[int, int, int]:
    """How early a route is tried: more literal text (a path with a character more of its own
    matches fewer requests: ``{sha}.{type}`` before ``{sha}``), fewer parameters, more query pairs
    of its own."""
    _, operation, _, names, constant_query, _ = route
    literal = re.sub(r"\{[^/{}]+\}", "", operation.path)
    return -len(literal), len(names), -len(constant_query)


def _route(
    path: str,
) -> tuple[re.Pattern[str], list[str], set[tuple[str, str]], dict[str, str]]:
    """The pattern of an operation's path, the names of its parameters in order, the query pairs its
    path carries (``/?Action=List``), and those of its query pairs whose value is a parameter
    (``/pic?key={APIKEY}``: key -> its name).

    Matched against the raw path, so its literal parts are read as httpx sends them (a space as ``%20``,
    a parameter's ``{`` and ``}`` as ``%7B`` and ``%7D``).
    """
    path, _, query = path.partition("?")
    # Read after a host, as the client sends it: alone, a path that starts with "//" names a host.
    raw_path = httpx.URL(f"http://mock.invalid{path}").raw_path.decode("ascii")
    parts = re.split(r"%7B([^/]+?)%7D", raw_path)
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else "([^/]+)" for index, part in enumerate(parts)
    )
    pairs = parse_qsl(query, keep_blank_values=True)
    parameters = {key: value[1:-1] for key, value in pairs if re.fullmatch(r"\{[^{}]+\}", value)}
    names = re.findall(r"\{([^/{}]+)\}", path) + list(parameters.values())
    constant = {(key, value) for key, value in pairs if key not in parameters}
    return re.compile(f"^{pattern}$"), names, constant, parameters


def _fixture(operation: str, status: int) -> Any:
    for name in (f"response_{status}", f"response_{status // 100}XX"):
        try:
            return load_fixture(operation, name)
        except FileNotFoundError:
            pass
    return _NO_BODY
