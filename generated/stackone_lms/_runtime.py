"""Decisions shared by :class:`Client` and :class:`AsyncClient`: building requests,
the retry policy and reading responses.

Nothing here does I/O. :func:`exchange` is a generator that yields either an
:class:`httpx.Request` to send or a number of seconds to sleep; the clients only
carry out those steps, so both behave identically.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import gc
import json
import logging
import math
import os
import random
import re
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Generic, ParamSpec, TypeVar, cast
from urllib.parse import quote, urlencode

import httpx
import pydantic
from pydantic_core import to_jsonable_python

from . import errors
from ._open_enum import OpenEnum, lenient_enums

__all__ = [
    "ApiResponse",
    "RequestOptions",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "MAX_RESPONSE_BYTES",
    "async_raw_response",
    "raw_response",
]

logger = logging.getLogger("stackone_lms")

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
USER_AGENT = "stackone-lms-python/1.0.0"


@dataclass(frozen=True)
class OperationSpec(Generic[T]):
    """What the client needs to know about one operation of the API; ``T`` is what it returns."""

    name: str
    method: str
    path: str
    #: Models are pydantic classes or type aliases (for oneOf and other non-object schemas).
    body_model: Any
    #: For each 2xx status: how its body is read ("json", "text", "binary", "none") and its model.
    successes: Mapping[int, tuple[str, Any]]
    error_models: Mapping[int, Any]
    #: The model of the ``default`` response, used for undeclared error statuses.
    default_error_model: Any = None
    #: "json", "form", "multipart" or "binary", and the media type sent.
    body_kind: str = "json"
    content_type: str = "application/json"
    #: Query array parameters sent comma-joined (``explode: false``) instead of repeated.
    joined_query: frozenset[str] = frozenset()
    retry_statuses: frozenset[int] = frozenset()
    #: Header parameters that must have a value (lower-case names).
    required_headers: frozenset[str] = frozenset()
    security: tuple[str, ...] = ()
    deprecated: bool = False


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides; ``None`` means "use the client's setting"."""

    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    extra_headers: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Call:
    """The arguments of one method call, sorted by where they go."""

    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    cookies: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    options: RequestOptions = RequestOptions()


P = ParamSpec("P")


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """A parsed result together with the HTTP response it came from."""

    parsed: T
    http_response: httpx.Response
    #: How many times the request was sent again before this response.
    retries_taken: int

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers


# Where the raw-response wrappers collect the ApiResponse of the call they wrap.
_captured: ContextVar[list[ApiResponse[Any]] | None] = ContextVar(
    "stackone_lms_captured", default=None
)


def record(response: ApiResponse[T]) -> ApiResponse[T]:
    """Hand ``response`` to an enclosing raw-response wrapper, if any; return it."""
    holder = _captured.get()
    if holder is not None:
        holder.append(response)
    return response


def raw_response(method: Callable[P, T]) -> Callable[P, ApiResponse[T]]:
    """Wrap a client method so that it returns the :class:`ApiResponse` instead of the parsed body."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
        holder: list[ApiResponse[Any]] = []
        token = _captured.set(holder)
        try:
            method(*args, **kwargs)
        finally:
            _captured.reset(token)
        return holder[-1]

    return call


def async_raw_response(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[ApiResponse[T]]]:
    """:func:`raw_response` for the methods of the async client."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
        holder: list[ApiResponse[Any]] = []
        token = _captured.set(holder)
        try:
            await method(*args, **kwargs)
        finally:
            _captured.reset(token)
        return holder[-1]

    return call


class Secret:
    """A credential that never shows up in ``repr`` or ``str``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def setting(value: Any, env_var: str, *, required: str | None = None) -> Any:
    """An explicit value, else the environment variable, else an error naming both."""
    if value is None:
        value = os.environ.get(env_var)
    if value is None and required is not None:
        raise errors.APIError(f"{required} is missing: pass it to the client or set {env_var}")
    return value


@dataclass(frozen=True)
class Settings:
    """A client's resolved configuration."""

    base_url: httpx.URL
    credentials: Mapping[str, Secret]
    defaults: Mapping[str, str]
    headers: Mapping[str, str]
    timeout: httpx.Timeout
    max_retries: int
    max_response_bytes: int


def as_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    if value is None:
        return DEFAULT_TIMEOUT
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


_UNSAFE_HEADER = re.compile("[\r\n\0]")


def _check_header(name: str, value: str) -> None:
    if _UNSAFE_HEADER.search(value) or _UNSAFE_HEADER.search(name) or ":" in name:
        raise errors.RequestValidationError(
            f"header {name!r} contains a line break or NUL character; refusing to send it"
        )


@dataclass
class _Outgoing:
    """Headers, query pairs and cookies being assembled for one request."""

    headers: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)


#: Security scheme -> (kind, where an API key goes, its parameter name, credential arguments).
_SCHEMES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "basic": ("basic", "", "", ("username", "password")),
}


def _apply_auth(settings: Settings, operation: OperationSpec[Any], out: _Outgoing) -> None:
    """Apply the first of the operation's security schemes that the client has credentials for."""
    credentials = settings.credentials
    for scheme in operation.security:
        kind, location, parameter, names = _SCHEMES[scheme]
        if names[0] not in credentials:
            continue
        values = [credentials[name].reveal() for name in names]
        if kind == "basic":
            out.headers["Authorization"] = "Basic " + base64.b64encode(
                ":".join(values).encode()
            ).decode("ascii")
        elif kind == "bearer":
            out.headers["Authorization"] = "Bearer " + values[0]
        elif location == "query":
            out.query.append((parameter, values[0]))
        elif location == "cookie":
            out.cookies[parameter] = values[0]
        else:
            out.headers[parameter] = values[0]
        return
    if operation.security:
        raise errors.RequestValidationError(
            f"{operation.name} needs credentials for one of: {', '.join(operation.security)}"
        )


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, OpenEnum):
        return str(value.value)
    return str(value)


@functools.cache
def adapter(model: Any) -> pydantic.TypeAdapter[Any]:
    """A (cached) validator for a model class or a type alias."""
    return pydantic.TypeAdapter(model)


def model_name(model: Any) -> str:
    return str(getattr(model, "__name__", model))


def _json_default(value: Any) -> Any:
    """``json.dumps`` hook: models become what their caller set (by alias); the rest as pydantic encodes it."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return to_jsonable_python(value)


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while pydantic builds many small objects.

    Validating a large body allocates hundreds of thousands of objects, which
    triggers collection over and over (two thirds of the time, measured); none
    of them form cycles, so nothing is lost by collecting afterwards.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def encode_body(operation: OperationSpec[Any], body: Any) -> tuple[bytes, str]:
    """Validate ``body`` and encode exactly what the caller gave; returns ``(content, content type)``."""
    if operation.body_kind == "binary":
        data = body.read() if hasattr(body, "read") else body
        if not isinstance(data, (bytes, bytearray)):
            raise errors.RequestValidationError(
                f"{operation.name} takes bytes or a binary file as its body"
            )
        return bytes(data), operation.content_type
    model = operation.body_model
    if operation.body_kind == "json":
        assert model is not None
        payload = (
            body.model_dump(mode="json", by_alias=True, exclude_unset=True)
            if isinstance(body, pydantic.BaseModel)
            else body
        )
        try:
            content = json.dumps(
                payload,
                separators=(",", ":"),
                ensure_ascii=False,
                allow_nan=False,
                default=_json_default,
            ).encode()
        except (TypeError, ValueError) as error:
            raise errors.RequestValidationError(
                f"request body for {operation.name} is not JSON-serialisable: {error}"
            ) from None
        if isinstance(model, type) and isinstance(body, model):
            return content, operation.content_type  # validated when the model was built
        # Strict validation of the exact bytes to be sent: no lax coercions such as
        # "no" -> False that the server's schema validation would not make.
        try:
            with _gc_paused():
                adapter(model).validate_json(content, strict=True)
        except pydantic.ValidationError as error:
            raise errors.RequestValidationError(
                f"invalid request body for {operation.name}: {error}"
            ) from None
        return content, operation.content_type
    if isinstance(body, pydantic.BaseModel):
        body = body.model_dump(by_alias=True, exclude_unset=True)
    if not isinstance(body, Mapping):
        raise errors.RequestValidationError(
            f"{operation.name} takes a mapping or a model as its body"
        )
    payload = dict(body)
    fields = {name: value for name, value in payload.items() if not _is_file(value)}
    if model is not None:
        try:
            adapter(model).validate_python(
                {**payload, **{name: b"" for name in payload if name not in fields}}
            )
        except pydantic.ValidationError as error:
            raise errors.RequestValidationError(
                f"invalid request body for {operation.name}: {error}"
            ) from None
    data = {
        name: [_query_value(v) for v in value] if isinstance(value, list) else _query_value(value)
        for name, value in fields.items()
        if value is not None
    }
    if operation.body_kind == "form":
        return urlencode(data, doseq=True).encode(), operation.content_type
    files = {name: value for name, value in payload.items() if _is_file(value)}
    # httpx draws the multipart boundary; reading the stream once fixes the bytes for every attempt.
    staged = httpx.Request("POST", "http://multipart.invalid", data=data, files=files)
    return staged.read(), staged.headers["content-type"]


def _is_file(value: Any) -> bool:
    return (
        isinstance(value, (bytes, bytearray))
        or hasattr(value, "read")
        or (isinstance(value, tuple) and len(value) >= 2)
    )


def build_request(settings: Settings, operation: OperationSpec[Any], call: Call) -> httpx.Request:
    """Turn one call into the request to send (the same bytes on every attempt)."""
    path = operation.path
    for name, value in call.path.items():
        # Quoting every character that is not unreserved keeps a value such as
        # "../admin" inside its own path segment.
        path = path.replace("{" + name + "}", quote(_query_value(value), safe=""))
    out = _Outgoing(
        headers={"Accept": "application/json", "User-Agent": USER_AGENT, **settings.headers}
    )
    for name, value in call.query.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            items = [_query_value(item) for item in value]
            out.query.extend(
                [(name, ",".join(items))]
                if name in operation.joined_query
                else [(name, item) for item in items]
            )
        else:
            out.query.append((name, _query_value(value)))
    _apply_auth(settings, operation, out)
    for name, value in call.headers.items():
        if value is None:
            value = settings.defaults.get(name.lower())
        if value is None:
            if name.lower() in operation.required_headers:
                raise errors.RequestValidationError(
                    f"header {name!r} is required by {operation.name}: pass it or set the client default"
                )
            continue
        out.headers[name] = _query_value(value)
    out.cookies.update(
        {name: _query_value(value) for name, value in call.cookies.items() if value is not None}
    )
    if out.cookies:
        out.headers["Cookie"] = "; ".join(
            f"{name}={quote(value, safe='')}" for name, value in out.cookies.items()
        )
    content = None
    if operation.body_model is not None or operation.body_kind == "binary":
        content, out.headers["Content-Type"] = encode_body(operation, call.body)
    out.headers.update(call.options.extra_headers or {})
    for name, value in out.headers.items():
        _check_header(name, value)
    timeout = (
        as_timeout(call.options.timeout) if call.options.timeout is not None else settings.timeout
    )
    return httpx.Request(
        operation.method,
        # Plain concatenation: the base URL was parsed once, and the path is already quoted.
        str(settings.base_url).rstrip("/") + path,
        params=tuple(out.query),
        headers=out.headers,
        content=content,
        extensions={"timeout": timeout.as_dict()},
    )


@dataclass(frozen=True)
class Received:
    """A response whose body has been read (up to the size limit)."""

    response: httpx.Response
    content: bytes


class BodyLimit:
    """Collects a streamed body and refuses one larger than the limit."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.response = response
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            self.refuse()

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            self.refuse()
        self.chunks.append(chunk)

    def refuse(self) -> None:
        raise errors.APIResponseTooLargeError(
            f"the response is larger than max_response_bytes={self.limit:,}; raise the limit to accept it",
            request=self.response.request,
        )

    def received(self) -> Received:
        return Received(self.response, b"".join(self.chunks))


def parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            value = float(milliseconds) / 1000
            return value if math.isfinite(value) and value >= 0 else None
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
        return value if math.isfinite(value) and value >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = datetime.now(timezone.utc).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def backoff(retries_taken: int) -> float:
    """Exponential backoff with jitter: about 0.5 s, 1 s, 2 s... capped at 8 s."""
    delay: float = min(MAX_BACKOFF, INITIAL_BACKOFF * 2.0**retries_taken)
    return delay * (1 - 0.25 * random.random())


def _retryable_exception(error: BaseException) -> bool:
    return isinstance(
        error, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
    )


def _status_error(
    operation: OperationSpec[Any], received: Received, retries_taken: int, retry_after: float | None
) -> errors.APIStatusError:
    response = received.response
    body: Any = received.content.decode("utf-8", errors="replace")
    model = operation.error_models.get(response.status_code, operation.default_error_model)
    if model is not None:
        try:
            with lenient_enums():
                body = adapter(model).validate_json(received.content)
        except pydantic.ValidationError:
            pass
    error_class = errors.STATUS_ERRORS.get(response.status_code, errors.APIStatusError)
    message = f"{operation.name} failed: HTTP {response.status_code} {response.reason_phrase}"
    summary = getattr(body, "message", None)
    if isinstance(summary, str) and summary:
        message += f": {summary[:500]}"
    request_id = response.headers.get("x-request-id")
    if request_id:
        message += f" (request id {request_id[:100]})"  # what support will ask for
    error = error_class(message, response=response, body=body, retries_taken=retries_taken)
    error.retry_after = retry_after
    return error


def _parse_success(operation: OperationSpec[T], received: Received, retries_taken: int) -> T:
    status = received.response.status_code
    kind, model = operation.successes.get(status) or next(
        iter(operation.successes.values()), ("none", None)
    )
    if kind == "none":
        return cast(T, None)
    if kind == "binary":
        return cast(T, received.content)
    if kind == "text":
        return cast(
            T, received.content.decode(received.response.encoding or "utf-8", errors="replace")
        )
    try:
        with lenient_enums(), _gc_paused():
            if model is None:
                return cast(T, json.loads(received.content))
            return cast(T, adapter(model).validate_json(received.content))
    except (pydantic.ValidationError, ValueError) as error:
        excerpt = received.content[:200].decode("utf-8", errors="replace")
        if isinstance(error, pydantic.ValidationError) and error.error_count():
            problem = error.errors(include_url=False)[0]["msg"]
        else:
            problem = str(error)
        expected = model_name(model) if model is not None else "JSON"
        raise errors.APIResponseValidationError(
            f"{operation.name}: HTTP {status} body does not match {expected} ({problem}); body starts {excerpt!r}",
            response=received.response,
            body=excerpt,
            retries_taken=retries_taken,
        ) from None


def _log_attempt(
    request: httpx.Request, outcome: Received | BaseException, started: float, retries_taken: int
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    status = (
        outcome.response.status_code if isinstance(outcome, Received) else type(outcome).__name__
    )
    # Only method, URL without query (query strings can carry keys), status and timing: never headers or bodies.
    logger.debug(
        "%s %s -> %s in %.3fs (retry %d)",
        request.method,
        request.url.copy_with(query=None),
        status,
        time.monotonic() - started,
        retries_taken,
    )


Step = httpx.Request | float


def warn_deprecated(what: str) -> None:
    """Warn, at the caller's line, that the API marks ``what`` as deprecated."""
    warnings.warn(f"{what} is deprecated by the API", DeprecationWarning, stacklevel=3)


def exchange(
    settings: Settings, operation: OperationSpec[T], call: Call
) -> Generator[Step, Received | BaseException | None, ApiResponse[T]]:
    """Run one call: yield requests to send and delays to sleep; return the parsed response.

    The driver answers each request with a :class:`Received` or the exception the
    transport raised, and each delay with ``None``.
    """
    if operation.deprecated:
        warnings.warn(
            f"{operation.name} is deprecated by the API", DeprecationWarning, stacklevel=4
        )
    request = build_request(settings, operation, call)
    max_retries = (
        settings.max_retries if call.options.max_retries is None else call.options.max_retries
    )
    retries_taken = 0
    while True:
        started = time.monotonic()
        outcome = yield request
        assert outcome is not None
        _log_attempt(request, outcome, started, retries_taken)
        can_retry = retries_taken < max_retries
        if isinstance(outcome, BaseException):
            if isinstance(outcome, errors.APIError):
                outcome.retries_taken = retries_taken
                raise outcome
            if not (can_retry and _retryable_exception(outcome)):
                raise _transport_error(outcome, request, retries_taken) from outcome
            delay = backoff(retries_taken)
        else:
            status = outcome.response.status_code
            if 200 <= status < 300:
                return ApiResponse(
                    _parse_success(operation, outcome, retries_taken),
                    outcome.response,
                    retries_taken,
                )
            retry_after = parse_retry_after(outcome.response.headers)
            retryable = status in RETRYABLE_STATUSES or status in operation.retry_statuses
            if not (can_retry and retryable) or (
                retry_after is not None and retry_after > MAX_RETRY_AFTER
            ):
                raise _status_error(operation, outcome, retries_taken, retry_after)
            delay = backoff(retries_taken) if retry_after is None else retry_after
        retries_taken += 1
        yield delay


def _transport_error(
    error: BaseException, request: httpx.Request, retries_taken: int
) -> errors.APIError:
    if isinstance(error, httpx.TimeoutException):
        return errors.APITimeoutError(
            f"{request.method} {request.url.copy_with(query=None)} timed out ({type(error).__name__})",
            request=request,
            retries_taken=retries_taken,
        )
    return errors.APIConnectionError(
        f"{request.method} {request.url.copy_with(query=None)} failed: {type(error).__name__}: {error}",
        request=request,
        retries_taken=retries_taken,
    )


def wire_field(model: Any, wire_name: str) -> Any:
    """The value of the property sent as ``wire_name`` (a field alias, a field name or an extra)."""
    if isinstance(model, pydantic.BaseModel):
        for name, info in type(model).model_fields.items():
            if info.alias == wire_name or (info.alias is None and name == wire_name):
                return getattr(model, name)
        return (model.model_extra or {}).get(wire_name)
    return None


def next_page(
    page: Any, cursor_field: str, items_field: str, seen: set[str]
) -> tuple[list[Any], str | None]:
    """The items of ``page`` and the cursor of the next one (``None`` at the end).

    A cursor that comes back a second time would loop forever; it is an error.
    """
    items = wire_field(page, items_field) or []
    cursor = wire_field(page, cursor_field)
    if cursor in (None, ""):
        return list(items), None
    cursor = str(cursor)
    if cursor in seen:
        raise errors.APIError(
            f"pagination cursor {cursor[:40]!r} was returned twice; stopping to avoid an endless loop"
        )
    seen.add(cursor)
    return list(items), cursor
