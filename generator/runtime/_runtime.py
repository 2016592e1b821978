"""What the client modules share: operations, calls, results, settings and credentials.

Nothing here does I/O; :mod:`._exchange` runs a call, the clients only carry out its steps.
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

import httpx

from . import errors
from ._hooks import Hooks

if TYPE_CHECKING:
    import pydantic  # imported on the first validation: a plain import of the package needs none

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MAX_RESPONSE_BYTES",
    "APIResponse",
    "RequestOptions",
    "raw_response",
]

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
#: Requests in flight at once per client (and connections open), like httpx's default pool.
MAX_CONNECTIONS = 100
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: The request extension naming the operation a request is made for: transports ignore it, and the
#: test double answers by it where operations' requests look alike (Box's three ``GET /shared_items``).
OPERATION_EXTENSION = "openapi_operation"


@dataclass(frozen=True)
class OperationSpec(Generic[T]):
    """What the client needs to know about one operation of the API; ``T`` is what it returns.

    Models are named rather than referenced, and looked up in :mod:`.models` on first
    use, so that defining every operation of a large API loads none of its models.
    """

    name: str
    method: str
    path: str
    #: The model of the request body (a pydantic class or a type alias), by name.
    body_model_name: str | None
    #: For each 2xx status: how its body is read ("json", "text", "binary", "none", or a stream
    #: of items: "sse", "jsonl", "json-seq") and its model (of one item, for a stream).
    #: Here and in ``error_model_names``, keys 1-5 stand for the ranges 1XX-5XX.
    success_kinds: Mapping[int, tuple[str, str | None]]
    error_model_names: Mapping[int, str]
    #: The model of the ``default`` response, used for undeclared error statuses.
    default_error_model_name: str | None = None
    #: How the argument that is the whole query string (OpenAPI 3.2 ``in: querystring``) is
    #: encoded: "form", "json" or "text".
    querystring: str | None = None
    #: "json", "form", "multipart" or "binary", and the media type sent.
    body_kind: str = "json"
    content_type: str = "application/json"
    #: The ``style`` and ``explode`` of each query, path and header parameter written otherwise
    #: than its location's default (see :mod:`._parameters`), by name.
    query_styles: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    path_styles: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    header_styles: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    #: Those of a form body's fields (their Encoding Objects').
    body_styles: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    retry_statuses: frozenset[int] = frozenset()
    #: Header parameters that must have a value (lower-case names).
    required_headers: frozenset[str] = frozenset()
    #: Alternatives (any one will do) of security schemes applied together; see ``_request``.
    security: tuple[tuple[str, ...], ...] = ()
    #: Whether a request without a body is invalid (``requestBody.required``).
    body_required: bool = False
    #: The ``Accept`` header: the media types the responses are read as.
    accept: str = "application/json"
    #: For a batch operation: the body property holding the items, and the property of
    #: the answer holding one list of error messages per item (if the API returns one).
    batch_items: str | None = None
    batch_errors: str | None = None
    #: The header carrying a key made once per call when the caller gives none (``Idempotency-Key``).
    idempotency_header: str | None = None

    @functools.cached_property
    def body_model(self) -> Any:
        return _model(self.body_model_name)

    @functools.cached_property
    def successes(self) -> Mapping[int, tuple[str, Any]]:
        return {status: (kind, _model(name)) for status, (kind, name) in self.success_kinds.items()}

    def success_for(self, status: int) -> tuple[str, Any]:
        """How a 2xx ``status`` is read, and its model: the exact status, its range, else the first declared."""
        successes = self.successes
        return (
            successes.get(status)
            or successes.get(status // 100)
            or next(iter(successes.values()), ("none", None))
        )

    @functools.cached_property
    def error_models(self) -> Mapping[int, Any]:
        return {status: _model(name) for status, name in self.error_model_names.items()}

    @functools.cached_property
    def default_error_model(self) -> Any:
        return _model(self.default_error_model_name)


def _model(name: str | None) -> Any:
    # Found by package name: the generator's own copy of the runtime (see __init__) has no models.
    return None if name is None else getattr(importlib.import_module(".models", __package__), name)


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides; ``None`` means "use the client's setting"."""

    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    extra_headers: Mapping[str, str] | None = None
    #: Query pairs added to (or replacing, by name) the generated ones; ``None`` removes a name.
    extra_query: Mapping[str, Any] | None = None
    #: Fields merged into the body (see :func:`._request.encode_body`).
    extra_body: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Call:
    """The arguments of one method call, by where they go (wire names as keys)."""

    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    cookies: Mapping[str, Any] = field(default_factory=dict)
    #: The value of the argument that is the whole query string (OpenAPI 3.2 ``in: querystring``).
    querystring: Any = None
    body: Any = None
    options: RequestOptions = RequestOptions()


P = ParamSpec("P")


@dataclass(frozen=True)
class APIResponse(Generic[T]):
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


class _RawView:
    """Stands in for a client as the ``self`` of its methods: their ``_call`` is the client's ``_request``,
    which returns the whole :class:`APIResponse` instead of only the parsed body."""

    __slots__ = ("_call",)

    def __init__(self, client: Any) -> None:
        self._call = client._request


def raw_response(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """A client method (sync or async) that returns the :class:`APIResponse` instead of the parsed body.

    The method's own function runs on a stand-in, with no wrapper frame in between, so that its
    deprecation warnings (``stacklevel=2``) still name the caller's line.
    """
    bound: Any = method
    raw: Callable[P, APIResponse[T]] = functools.partial(bound.__func__, _RawView(bound.__self__))
    return raw


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
    max_connections: int
    pause_gc: bool
    hooks: Hooks = field(default_factory=Hooks)


def base_url(value: str | httpx.URL, variable: str) -> httpx.URL:
    """``value`` parsed, refused (never echoed: it may carry secrets) unless it is an absolute http(s) URL
    without credentials (``user:password@``), a query or a fragment. Each operation's path is appended to
    it: after a query or a fragment it would be sent inside them (the generator drops the document's
    servers that would), and a relative URL (a document's server may be relative to where the document is
    served: ``/api/v3``) has no host to send to. ``variable``: the environment variable that sets it.
    """
    text = str(value)
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL:
        raise errors.APIError("base_url is not a valid URL") from None
    if url.userinfo:
        raise errors.APIError(
            "base_url must not contain credentials (user:password@host); pass them to the client instead"
        )
    if "?" in text or "#" in text:
        raise errors.APIError(
            "base_url must not hold a query or a fragment, which no operation's path can follow;"
            " send query parameters through extra_query"
        )
    if url.scheme not in ("http", "https") or not url.host:
        raise errors.APIError(
            "base_url must be an absolute http or https URL (a document's server may be relative to"
            f" where the document is served): pass one as base_url, or set {variable}"
        )
    return url


def as_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    if value is None:
        return DEFAULT_TIMEOUT
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


@functools.cache
def adapter(model: Any) -> pydantic.TypeAdapter[Any]:
    """A (cached) validator for a model class or a type alias."""
    import pydantic

    return pydantic.TypeAdapter(model)


def model_fields(model_class: type[pydantic.BaseModel]) -> dict[str, Any]:
    """The fields of ``model_class``, their aliases read. A class whose annotations name a class defined
    after it is built on its first use; validated through a ``TypeAdapter`` (as the client validates),
    the adapter builds a schema of its own and the class stays unbuilt: its fields hold their annotations
    unread, and no alias (the wire name of a field seemed to be its Python name)."""
    if not model_class.__pydantic_complete__:
        model_class.model_rebuild()
    return model_class.model_fields


def model_name(model: Any) -> str:
    return str(getattr(model, "__name__", model))


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def gc_paused(enabled: bool) -> Iterator[None]:
    """Pause the cyclic garbage collector, if ``enabled``, while pydantic builds many small objects.

    Validating a large body allocates hundreds of thousands of objects, which
    triggers collection over and over (half the time, measured); none of them
    form cycles, so nothing is lost by collecting afterwards. The collector is
    process-wide, so this is only done when the client is made with ``pause_gc=True``.
    """
    global _gc_pauses, _gc_was_enabled
    if not enabled:
        yield
        return
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


#: Close matches an enum message suggests, and the most values it lists.
_SUGGESTIONS = 3
#: One quoted value (a repr) or one bare number of pydantic's "expected" list.
_EXPECTED_VALUE = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s,]+""")


def validation_message(error: pydantic.ValidationError) -> str:
    """The problems of ``error`` on one line, each with where it is.

    A value missing from a large enum is named with a few close matches instead
    of every allowed value (a language enum has hundreds).
    """
    return "; ".join(
        f"{_where(entry)}: {_problem(entry)}" for entry in error.errors(include_url=False)
    )


def read_problem(error: ValueError) -> str:
    """What is wrong with a body read from the server, on one line: a validation error's first
    problem with where it is (``items.0.name: Field required``), or a JSON error's message."""
    import pydantic  # here, as above: importing the package imports no pydantic

    if not isinstance(error, pydantic.ValidationError) or not error.error_count():
        return str(error)
    entry = error.errors(include_url=False)[0]
    more = error.error_count() - 1
    return f"{_where(entry)}: {_problem(entry)}" + (f", and {more} more" if more else "")


def _where(entry: Any) -> str:
    return ".".join(map(str, entry["loc"])) or "(value)"


def _problem(entry: Any) -> str:
    expected = (entry.get("ctx") or {}).get("expected")
    if entry["type"] not in ("enum", "literal_error") or not isinstance(expected, str):
        return str(entry["msg"])[:300]
    values = [token for token in _EXPECTED_VALUE.findall(expected) if token != "or"]
    given = repr(entry["input"])[:100]
    if len(values) <= _SUGGESTIONS:
        return f"{given} is not one of {', '.join(values)}"
    import difflib

    # Compared without case and quotes, so "en_gb" suggests 'en_GB'.
    plain = {value.strip("'\"").lower(): value for value in values}
    close = difflib.get_close_matches(str(entry["input"]).lower(), plain, n=_SUGGESTIONS)
    hint = (
        f"did you mean {' or '.join(plain[match] for match in close)}?"
        if close
        else f"e.g. {', '.join(values[:_SUGGESTIONS])}"
    )
    return f"{given} is not one of the {len(values)} allowed values; {hint}"
