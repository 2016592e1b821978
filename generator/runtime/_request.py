"""Building the HTTP request of a call: URL, parameters, credentials and the encoded body."""

from __future__ import annotations

import base64
import gzip
import json
import re
import secrets
import sys
import uuid
import warnings
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import httpx
import pydantic
from pydantic_core import to_jsonable_python

from . import _oauth, errors
from ._files import Upload, file_body, is_file, multipart_body
from ._parameters import (
    QUERY_DEFAULT,
    SIMPLE_DEFAULT,
    path_text,
    query_pairs,
    scalar_text,
    simple_text,
)
from ._runtime import (
    OPERATION_EXTENSION,
    Call,
    OperationSpec,
    Secret,
    Settings,
    adapter,
    as_timeout,
    gc_paused,
    model_fields,
    validation_message,
)
from ._spec import DEPRECATED_SCHEMES, ENV_PREFIX, OAUTH2, SCHEMES, USER_AGENT

# What HTTP/1.1 allows (RFC 9110): a name is a token; a value is printable ASCII
# words separated by spaces or tabs. Anything else (a line break, a control or
# non-ASCII character) would be refused by httpx or h11 with the value in the
# message, or worse, sent; it is refused here naming only the header.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"(?:[\x21-\x7e]+(?:[ \t]+[\x21-\x7e]+)*)?")
# Headers that frame the message: httpx computes them from the body.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})


def _check_header(name: str, value: str) -> None:
    if not _HEADER_NAME.fullmatch(name):
        raise errors.RequestValidationError(
            f"header name {name!r} is not a valid HTTP token; refusing to send it"
        )
    if not _HEADER_VALUE.fullmatch(value):
        raise errors.RequestValidationError(
            f"header {name!r} has a value with a line break, a control or non-ASCII character,"
            " or surrounding spaces; refusing to send it"
        )
    if name.lower() in _FRAMING_HEADERS:
        raise errors.RequestValidationError(
            f"header {name!r} is set by the client from the body; refusing to override it"
        )


class _Headers(dict[str, str]):
    """Headers being assembled: a name is one header in any case, so setting it replaces what was set
    under another case (``extra_headers={"accept": ...}`` replaces the generated ``Accept``, where both
    were sent)."""

    def __setitem__(self, name: str, value: str) -> None:
        for other in [key for key in self if key.lower() == name.lower() and key != name]:
            del self[other]
        super().__setitem__(name, value)

    def put(self, headers: Mapping[str, str]) -> None:
        """Set each of ``headers`` (``dict.update`` would keep a name set under another case)."""
        for name, value in headers.items():
            self[name] = value


@dataclass
class _Outgoing:
    """Headers, query pairs and cookies being assembled for one request."""

    headers: _Headers = field(default_factory=_Headers)
    query: list[tuple[str, str]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    #: The OAuth 2 scheme whose token the transport fetches and adds (see ``_oauth``).
    oauth2: str | None = None


def _apply_auth(settings: Settings, operation: OperationSpec[Any], out: _Outgoing) -> None:
    """Apply together the schemes of the first alternative the client has every credential for.

    A key the request already carries, as a parameter the operation also declares (Trello's ``key``
    and ``token`` query parameters are its API key schemes'), is the caller's: sent once, as given.
    """
    credentials = settings.credentials
    for alternative in operation.security:
        if all(
            SCHEMES[scheme][2][0] in credentials
            or _oauth.uses_client_credentials(scheme, credentials)
            for scheme in alternative
        ):
            for scheme in alternative:
                if scheme in DEPRECATED_SCHEMES:
                    _warn_deprecated_scheme(scheme, operation)
                _apply_scheme(scheme, credentials, out)
            return
    if operation.security:
        wanted = " or ".join(
            " and ".join(_wanted(scheme) for scheme in alternative)
            for alternative in operation.security
        )
        raise errors.RequestValidationError(
            f"{operation.name} needs credentials the client was not given: pass {wanted}"
        )


def _warn_deprecated_scheme(scheme: str, operation: OperationSpec[Any]) -> None:
    """Warn at the first line outside this package: which alternative is used is known only here,
    and how many of the package's frames lie between differs by path (sync, async, wrappers)."""
    frame = sys._getframe(1)
    stacklevel = 2
    while frame.f_back is not None and str(frame.f_globals.get("__name__")).startswith(
        f"{__package__}."
    ):
        frame, stacklevel = frame.f_back, stacklevel + 1
    warnings.warn(
        f"the security scheme {scheme!r} of {operation.name} is deprecated by the API",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def _wanted(scheme: str) -> str:
    names = SCHEMES[scheme][2][:1] + (("client_id",) if scheme in OAUTH2 else ())
    return " or ".join(f"{name} (or {ENV_PREFIX}_{name.upper()})" for name in names)


def _apply_scheme(scheme: str, credentials: Mapping[str, Secret], out: _Outgoing) -> None:
    if _oauth.uses_client_credentials(scheme, credentials):
        out.oauth2 = scheme
        return
    how, parameter, names = SCHEMES[scheme]
    values = [credentials[name].reveal() for name in names if name in credentials]
    if how == "basic":
        out.headers["Authorization"] = "Basic " + base64.b64encode(
            ":".join(values).encode()
        ).decode("ascii")
    elif how == "bearer":
        out.headers["Authorization"] = "Bearer " + values[0]
    elif how == "query":
        if all(name != parameter for name, _ in out.query):
            out.query.append((parameter, values[0]))
    elif how == "cookie":
        out.cookies.setdefault(parameter, values[0])
    elif all(name.lower() != parameter.lower() for name in out.headers):
        out.headers[parameter] = values[0]


def _json_default(value: Any) -> Any:
    """``json.dumps`` hook: models become what their caller set (by alias); the rest as pydantic encodes it."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return to_jsonable_python(value)


def plain_json(value: Any) -> Any:
    """``value`` (a JSON body: a model, or JSON with models in it) as the plain JSON it is sent as."""
    return json.loads(json.dumps(value, default=_json_default))


def _dump_json(operation: OperationSpec[Any], payload: Any) -> bytes:
    try:
        return json.dumps(
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


def _encoded_text(operation: OperationSpec[Any], text: str) -> bytes:
    """``text`` in the charset its media type names, UTF-8 when it names none."""
    charset = "utf-8"
    for parameter in operation.content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"')
    try:
        return text.encode(charset)
    except (LookupError, UnicodeEncodeError) as error:
        raise errors.RequestValidationError(
            f"the body of {operation.name} cannot be sent as {charset}: {error}"
        ) from None


def _refuse_extra_body(operation: OperationSpec[Any], what: str) -> errors.RequestValidationError:
    return errors.RequestValidationError(
        f"extra_body of {operation.name} cannot apply: {what}; it merges only into a JSON object,"
        " form or multipart body"
    )


def encode_body(
    operation: OperationSpec[Any],
    body: Any,
    pause_gc: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> tuple[bytes | Upload, str]:
    """Validate ``body`` and encode exactly what the caller gave; returns ``(content, content type)``.

    ``pause_gc``: pause the garbage collector while validating (see :func:`._runtime.gc_paused`).
    ``extra``: fields merged into the body after it is validated (the caller's ``extra_body``, for
    fields the document does not declare): top-level keys of a JSON object, replacing any of the same
    name, or more fields of a form or multipart body. A binary or non-object JSON body is refused.
    """
    if operation.body_kind == "binary":
        if extra:
            raise _refuse_extra_body(operation, "the body is binary")
        if hasattr(body, "read"):
            return file_body(body), operation.content_type
        if not isinstance(body, (bytes, bytearray)):
            raise errors.RequestValidationError(
                f"{operation.name} takes bytes or a binary file as its body"
            )
        return bytes(body), operation.content_type
    if operation.body_kind == "text":
        if extra:
            raise _refuse_extra_body(operation, "the body is text")
        if not isinstance(body, str):
            raise errors.RequestValidationError(f"{operation.name} takes a str as its body")
        return _encoded_text(operation, body), operation.content_type
    model = operation.body_model
    if operation.body_kind == "json":
        assert model is not None
        payload = (
            body.model_dump(mode="json", by_alias=True, exclude_unset=True)
            if isinstance(body, pydantic.BaseModel)
            else body
        )
        content = _dump_json(operation, payload)
        # A model was validated when it was built; anything else, strictly, as the exact bytes to
        # be sent: no lax coercions such as "no" -> False that the server's validation would not make.
        if not (isinstance(model, type) and isinstance(body, model)):
            try:
                with gc_paused(pause_gc):
                    adapter(model).validate_json(content, strict=True)
            except pydantic.ValidationError as error:
                raise errors.RequestValidationError(
                    f"invalid request body for {operation.name}: {validation_message(error)}"
                ) from None
        if not extra:
            return content, operation.content_type
        if not isinstance(payload, Mapping):
            raise _refuse_extra_body(operation, "the body is not a JSON object")
        return _dump_json(operation, {**payload, **extra}), operation.content_type
    if isinstance(body, pydantic.BaseModel):
        body = _fields_set(body)
    if not isinstance(body, Mapping):
        raise errors.RequestValidationError(
            f"{operation.name} takes a mapping or a model as its body"
        )
    payload = dict(body)
    fields = {name: value for name, value in payload.items() if not is_file(value)}
    if model is not None:
        try:
            adapter(model).validate_python(
                {**payload, **{name: b"" for name in payload if name not in fields}}
            )
        except pydantic.ValidationError as error:
            raise errors.RequestValidationError(
                f"invalid request body for {operation.name}: {validation_message(error)}"
            ) from None
    # The extra fields are not validated: they are what the document does not declare.
    payload = {
        name: value for name, value in {**payload, **(extra or {})}.items() if value is not None
    }
    if operation.body_kind == "form":
        pairs = [
            pair
            for name, value in payload.items()
            for pair in query_pairs(name, value, operation.body_styles.get(name, QUERY_DEFAULT))
        ]
        return urlencode(pairs).encode(), operation.content_type
    # Every field is a part, text ones without a file name, an array's items one each, an object
    # JSON (its default content type): given only text fields (or none), httpx would send a
    # urlencoded form (or nothing) in place of multipart.
    parts: list[tuple[str, Any]] = []
    for name, value in payload.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append((name, item if is_file(item) else _part(item)))
    if not parts:
        # An empty form is its closing delimiter alone.
        boundary = secrets.token_hex(16)
        return f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
    return multipart_body(parts)


def _content_encoded(
    operation: OperationSpec[Any], content: bytes, headers: Mapping[str, str]
) -> bytes:
    """``content`` (a body the client serialized) in the ``Content-Encoding`` the caller chose as a
    parameter (Datadog's metrics: gzip or deflate); bytes and files given are sent as given."""
    coding = next((v for k, v in headers.items() if k.lower() == "content-encoding"), "identity")
    coding = coding.strip().lower()
    if coding == "gzip":
        return gzip.compress(content, mtime=0)  # no time stamp: every attempt sends the same bytes
    if coding == "deflate":
        return zlib.compress(content)
    if coding == "identity":
        return content
    raise errors.RequestValidationError(
        f"{operation.name} cannot send its body in the {coding!r} encoding: gzip and deflate only"
    )


def _part(value: Any) -> tuple[None, str] | tuple[None, str, str]:
    """A multipart field's part that is no file: its text, or an object's JSON."""
    if isinstance(value, (Mapping, pydantic.BaseModel)):
        return None, json.dumps(value, default=_json_default), "application/json"
    return None, scalar_text(value)


def _fields_set(model: pydantic.BaseModel) -> dict[str, Any]:
    """The fields the caller set, by wire name, as they are: each is one form field or part,
    and a file object must reach the encoder unread (``model_dump`` would iterate it)."""
    fields = {
        info.alias or name: getattr(model, name)
        for name, info in model_fields(type(model)).items()
        if name in model.model_fields_set
    }
    return {**fields, **(model.model_extra or {})}


def _path_segment(operation: OperationSpec[Any], name: str, value: Any) -> str:
    """``value`` as exactly one path segment, as its parameter's style writes it.

    Every character but the unreserved ones and the style's delimiters is quoted, so "a/b"
    and "../admin" stay inside the segment; "." and ".." alone, which URLs collapse, become
    "%2E" and "%2E%2E"; an empty value, which would merge two segments, is refused.
    """
    segment = path_text(name, value, operation.path_styles.get(name, SIMPLE_DEFAULT))
    if not segment:
        raise errors.RequestValidationError(f"path parameter {name!r} of {operation.name} is empty")
    return "%2E" * len(segment) if segment in (".", "..") else segment


def _querystring(operation: OperationSpec[Any], value: Any) -> str:
    """The whole query string an ``in: querystring`` argument stands for, percent-encoded.

    A form is its fields, each as a form field is (a list repeats it), JSON the value's compact
    text, text itself.
    """
    if operation.querystring == "form":
        if not isinstance(value, Mapping):
            raise errors.RequestValidationError(
                f"{operation.name} takes a mapping as its query string"
            )
        return urlencode(
            [
                pair
                for name, field_value in value.items()
                for pair in query_pairs(str(name), field_value)
            ]
        )
    if operation.querystring == "json":
        try:
            text = json.dumps(
                value,
                separators=(",", ":"),
                ensure_ascii=False,
                allow_nan=False,
                default=_json_default,
            )
        except (TypeError, ValueError) as error:
            raise errors.RequestValidationError(
                f"the query string of {operation.name} is not JSON-serialisable: {error}"
            ) from None
        return quote(text, safe="")
    return quote(scalar_text(value), safe="")


def build_request(settings: Settings, operation: OperationSpec[Any], call: Call) -> httpx.Request:
    """Turn one call into the request to send (the same bytes on every attempt)."""
    # A path may carry query pairs of its own (AWS's "/?Action=List"); they go first, a parameter
    # in one given its value ("/pic?key={APIKEY}").
    path, _, fixed_query = operation.path.partition("?")
    fixed = parse_qsl(fixed_query, keep_blank_values=True)
    for name, value in call.path.items():
        template = "{" + name + "}"
        path = path.replace(template, _path_segment(operation, name, value))
        fixed = [(key, text.replace(template, simple_text(value))) for key, text in fixed]
    extra_query = call.options.extra_query or {}
    # A name the caller gives replaces the generated pairs of that name; None only removes them.
    out = _Outgoing(
        headers=_Headers({"Accept": operation.accept, "User-Agent": USER_AGENT}),
        query=[pair for pair in fixed if pair[0] not in extra_query],
    )
    out.headers.put(settings.headers)
    given = [(name, value) for name, value in call.query.items() if name not in extra_query]
    for name, value in [*given, *extra_query.items()]:
        out.query.extend(query_pairs(name, value, operation.query_styles.get(name, QUERY_DEFAULT)))
    for name, value in call.headers.items():
        if value is None:
            value = settings.defaults.get(name.lower())
        if value is None:
            if name.lower() in operation.required_headers:
                raise errors.RequestValidationError(
                    f"header {name!r} is required by {operation.name}: pass it or set the client default"
                )
            continue
        out.headers[name] = simple_text(value, operation.header_styles.get(name, SIMPLE_DEFAULT)[1])
    out.cookies.update(
        {name: simple_text(value) for name, value in call.cookies.items() if value is not None}
    )
    _apply_auth(settings, operation, out)
    if out.cookies:
        out.headers["Cookie"] = "; ".join(
            f"{name}={quote(value, safe='')}" for name, value in out.cookies.items()
        )
    content: bytes | Upload | None = None
    extra_body = call.options.extra_body
    # None is no body: an optional body the caller did not give is not sent.
    if call.body is not None and (
        operation.body_model is not None or operation.body_kind in ("text", "binary")
    ):
        content, out.headers["Content-Type"] = encode_body(
            operation, call.body, settings.pause_gc, extra_body
        )
        if isinstance(content, bytes) and operation.body_kind not in ("text", "binary"):
            content = _content_encoded(operation, content, out.headers)
    elif extra_body:
        raise _refuse_extra_body(operation, "the call sends no body")
    out.headers.put(call.options.extra_headers or {})
    idempotency = operation.idempotency_header
    if idempotency and idempotency.lower() not in {name.lower() for name in out.headers}:
        # Built once per call, so every retry sends the same key: the server runs it at most once.
        out.headers[idempotency] = str(uuid.uuid4())
    for name, value in out.headers.items():
        _check_header(name, value)
    timeout = (
        as_timeout(call.options.timeout) if call.options.timeout is not None else settings.timeout
    )
    params: tuple[tuple[str, str], ...] | None = tuple(out.query)
    if call.querystring is not None:
        # Encoded here in full, and no params given: httpx would decode and encode again
        # (or, given none, drop) a query it merges params into.
        query = [
            str(httpx.QueryParams(tuple(out.query))),
            _querystring(operation, call.querystring),
        ]
        path += "?" + "&".join(part for part in query if part)
        params = None
    upload = content if isinstance(content, Upload) else None
    request = httpx.Request(
        operation.method,
        # Plain concatenation: the base URL was parsed once, and the path is already quoted.
        str(settings.base_url).rstrip("/") + path,
        params=params,
        headers=out.headers,
        content=content if isinstance(content, bytes) else None,
        # Read from files as it is sent; the one stream type that serves both clients.
        stream=upload.stream if upload is not None else None,
        extensions={"timeout": timeout.as_dict(), OPERATION_EXTENSION: operation.name}
        | ({_oauth.EXTENSION: out.oauth2} if out.oauth2 else {}),
    )
    if upload is not None:
        # Given a stream, httpx adds none of the headers it derives from the request: the
        # host, and the length (or chunking) that the body's framing says.
        request.headers.setdefault("Host", request.url.netloc.decode("ascii"))
        request.headers.pop("Content-Length", None)
        request.headers.update(upload.framing)
    return request
