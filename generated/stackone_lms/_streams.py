"""Streamed responses: items decoded one at a time (SSE, JSON Lines, JSON text sequences), and downloads.

Each format has one sans-IO decoder (bytes in, items out) that the blocking and the
async client share; :class:`Stream` drives it over an open response and validates each
item against the item schema. No single item may grow past ``max_response_bytes``; the
stream as a whole has no limit, since only the item being read is held in memory.
"""

from __future__ import annotations

import asyncio
import codecs
import dataclasses
import functools
import json
import os
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    asynccontextmanager,
    contextmanager,
)
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Generic, ParamSpec, Protocol, TypeVar, cast

import httpx
import pydantic

from . import errors
from ._exchange import backoff
from ._response import ContentDecoder, read_json
from ._runtime import Call, OperationSpec, Settings, model_name, read_problem

__all__ = ["ServerSentEvent", "Stream", "StreamedResponse"]

T = TypeVar("T")
P = ParamSpec("P")

#: The success kinds read as a stream of items (see ``OperationSpec.success_kinds``).
STREAM_KINDS = frozenset({"sse", "jsonl", "json-seq"})
#: The request header that resumes an event stream; an operation that declares it may be resumed.
LAST_EVENT_ID = "last-event-id"
# Line ends of an event stream: CRLF, LF or CR alone.
_EOL = re.compile(r"\r\n|\r|\n")
# What breaks a stream mid-way: a reset connection, a truncated chunk, a read timeout.
_BROKEN = (httpx.TransportError,)


def _too_large(limit: int) -> errors.APIResponseTooLargeError:
    return errors.APIResponseTooLargeError(
        f"an item of the stream is larger than max_response_bytes={limit:,}; raise the limit to accept it"
    )


@dataclass(frozen=True)
class ServerSentEvent(Generic[T]):
    """One event of a ``text/event-stream``: its ``data`` (validated against the item schema),
    its type (``event``), the last event id seen (``id``) and the reconnection time in ms (``retry``).
    """

    data: T
    event: str = "message"
    id: str = ""
    retry: int | None = None


class Decoder(Protocol):
    """Bytes of a body in, whole items out; holds at most one item."""

    def feed(self, chunk: bytes) -> list[Any]: ...

    def end(self) -> list[Any]: ...


class SSEDecoder:
    """Server-sent events as the WHATWG HTML standard parses them ("event stream interpretation")."""

    def __init__(self, limit: int, last_event_id: str = "", retry: int | None = None) -> None:
        self.limit = limit
        self.text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.started = False  # a byte order mark is skipped at the start only
        self.skip_lf = False  # the last text ended in CR: an LF next completes that line end
        self.line: list[str] = []
        self.line_size = 0
        self.data: list[str] = []
        self.data_size = 0
        self.event = ""
        self.last_event_id = last_event_id
        self.retry = retry

    def resumed(self) -> SSEDecoder:
        """A decoder for the stream reopened after a break: the last event id and retry carry over."""
        return SSEDecoder(self.limit, self.last_event_id, self.retry)

    def feed(self, chunk: bytes) -> list[ServerSentEvent[str]]:
        text = self.text.decode(chunk)
        if text and not self.started:
            self.started = True
            text = text.removeprefix("\ufeff")
        if text and self.skip_lf:
            self.skip_lf = False
            text = text.removeprefix("\n")
        events = []
        start = 0
        for end in _EOL.finditer(text):
            self.line.append(text[start : end.start()])
            start = end.end()
            line = "".join(self.line)
            self.line, self.line_size = [], 0
            event = self._line(line)
            if event is not None:
                events.append(event)
        self.skip_lf = text.endswith("\r")
        rest = text[start:]
        if rest:
            self.line_size += len(rest)
            if self.line_size > self.limit:
                raise _too_large(self.limit)
            self.line.append(rest)
        return events

    def end(self) -> list[ServerSentEvent[str]]:
        """The body ended: an event without its closing blank line is dropped, as the standard says."""
        return []

    def _line(self, line: str) -> ServerSentEvent[str] | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment, often a keep-alive
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self.event = value
        elif name == "data":
            self.data_size += len(value) + 1
            if self.data_size > self.limit:
                raise _too_large(self.limit)
            self.data.append(value)
        elif name == "id" and "\0" not in value:
            self.last_event_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = int(value)
        return None  # other fields are ignored

    def _dispatch(self) -> ServerSentEvent[str] | None:
        data, event = self.data, self.event or "message"
        self.data, self.data_size, self.event = [], 0, ""
        if not data:
            return None
        return ServerSentEvent("\n".join(data), event, self.last_event_id, self.retry)


class RecordDecoder:
    """JSON texts split at a separator byte: LF for JSON Lines / NDJSON, RS for JSON text sequences
    (RFC 7464). Blank records are skipped; the last one needs no separator after it."""

    def __init__(self, separator: bytes, limit: int) -> None:
        self.separator = separator
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def feed(self, chunk: bytes) -> list[bytes]:
        records = []
        start = 0
        while (end := chunk.find(self.separator, start)) != -1:
            self.parts.append(chunk[start:end])
            start = end + 1
            records.append(self._record())
        rest = chunk[start:]
        if rest:
            self.size += len(rest)
            if self.size > self.limit:
                raise _too_large(self.limit)
            self.parts.append(rest)
        return [record for record in records if record]

    def end(self) -> list[bytes]:
        record = self._record()
        return [record] if record else []

    def _record(self) -> bytes:
        record = b"".join(self.parts).strip()
        self.parts, self.size = [], 0
        if len(record) > self.limit:
            raise _too_large(self.limit)
        return record


def decoder(kind: str, limit: int) -> Decoder:
    """The decoder of a stream kind ("sse", "jsonl" or "json-seq")."""
    if kind == "sse":
        return SSEDecoder(limit)
    return RecordDecoder(b"\n" if kind == "jsonl" else b"\x1e", limit)


def _decoded(response: httpx.Response) -> Iterator[bytes]:
    content = ContentDecoder(response)
    for chunk in response.iter_raw():
        yield from content.feed(chunk)


async def _adecoded(response: httpx.Response) -> AsyncIterator[bytes]:
    content = ContentDecoder(response)
    async for chunk in response.aiter_raw():
        for piece in content.feed(chunk):
            yield piece


class Stream(Generic[T]):
    """The items of a streamed response, decoded and validated one at a time.

    Iterate it with ``for`` (:class:`Client`) or ``async for`` (:class:`AsyncClient`).
    Finishing or leaving the loop, :meth:`close` / :meth:`aclose`, or the end of a
    ``with`` / ``async with`` block closes the connection. An event stream whose operation
    declares a ``Last-Event-ID`` header is reopened after a broken connection, with the
    last event id, after the server's ``retry`` time (else the usual backoff), up to
    ``max_retries`` times in a row without an event in between.
    """

    def __init__(
        self,
        response: httpx.Response,
        operation: OperationSpec[Any],
        kind: str,
        model: Any,
        limit: int,
        resume: Callable[[str], Any] | None = None,
        max_resumes: int = 0,
    ) -> None:
        self.response = response
        self._operation = operation
        self._model = model
        self._decoder = decoder(kind, limit)
        self._resume = resume
        self._max_resumes = max_resumes

    def __iter__(self) -> Iterator[T]:
        failures = 0
        try:
            while True:
                try:
                    for piece in _decoded(self.response):
                        for raw in self._decoder.feed(piece):
                            yield self._item(raw)
                            failures = 0
                    for raw in self._decoder.end():
                        yield self._item(raw)
                    return
                except _BROKEN as error:
                    failures += 1
                    time.sleep(self._delay(error, failures))
                    self.response.close()
                    self._reopened(self._resume_call()(self._last_event_id()))
        finally:
            self.close()

    async def __aiter__(self) -> AsyncIterator[T]:
        failures = 0
        try:
            while True:
                try:
                    async for piece in _adecoded(self.response):
                        for raw in self._decoder.feed(piece):
                            yield self._item(raw)
                            failures = 0
                    for raw in self._decoder.end():
                        yield self._item(raw)
                    return
                except _BROKEN as error:
                    failures += 1
                    await asyncio.sleep(self._delay(error, failures))
                    await self.response.aclose()
                    self._reopened(await self._resume_call()(self._last_event_id()))
        finally:
            await self.aclose()

    def _last_event_id(self) -> str:
        return self._decoder.last_event_id if isinstance(self._decoder, SSEDecoder) else ""

    def _resume_call(self) -> Callable[[str], Any]:
        assert self._resume is not None  # _delay raised otherwise
        return self._resume

    def _delay(self, error: Exception, failures: int) -> float:
        """Seconds to wait before reopening the broken stream; raises if it may not be reopened."""
        if self._resume is None or failures > self._max_resumes:
            raise errors.APIConnectionError(
                f"{self._operation.name}: the stream broke off ({type(error).__name__}: {error})",
                request=self.response.request,
            ) from error
        retry = self._decoder.retry if isinstance(self._decoder, SSEDecoder) else None
        return backoff(failures - 1) if retry is None else retry / 1000

    def _reopened(self, stream: Any) -> None:
        if not isinstance(stream, Stream):
            raise errors.APIConnectionError(
                f"{self._operation.name}: the stream was reopened but the server sent no stream",
                request=self.response.request,
            )
        self.response = stream.response
        assert isinstance(self._decoder, SSEDecoder)  # only event streams resume
        self._decoder = self._decoder.resumed()

    def _item(self, raw: Any) -> T:
        if isinstance(raw, ServerSentEvent):
            if self._model is None:
                return cast(T, raw)
            return cast(T, dataclasses.replace(raw, data=self._validated(raw.data)))
        return cast(T, self._validated(raw))

    def _validated(self, text: str | bytes) -> Any:
        """``text`` parsed as JSON and, if the stream has an item schema, validated against it."""
        try:
            if self._model is None:
                return json.loads(text)
            return read_json(self._model, text)
        except (pydantic.ValidationError, ValueError) as error:
            excerpt = (text if isinstance(text, str) else text.decode("utf-8", "replace"))[:200]
            raise errors.APIResponseValidationError(
                f"{self._operation.name}: an item of the stream does not match"
                f" {model_name(self._model) if self._model is not None else 'JSON'} ({read_problem(error)});"
                f" item starts {excerpt!r}",
                response=self.response,
                body=excerpt,
            ) from None

    def close(self) -> None:
        """Close the connection (blocking client)."""
        self.response.close()

    async def aclose(self) -> None:
        """Close the connection (async client)."""
        await self.response.aclose()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Stream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class StreamedResponse:
    """A response whose body is read only as the caller iterates it (``with_streaming_response``).

    Content-Encoding is undone piece by piece; nothing is buffered and no size limit applies.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def iter_bytes(self) -> Iterator[bytes]:
        """The body, piece by piece (blocking client)."""
        try:
            yield from _decoded(self.http_response)
        except _BROKEN as error:
            raise self._broken(error) from error

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body, piece by piece (async client)."""
        try:
            async for piece in _adecoded(self.http_response):
                yield piece
        except _BROKEN as error:
            raise self._broken(error) from error

    def _broken(self, error: Exception) -> errors.APIConnectionError:
        request = self.http_response.request
        return errors.APIConnectionError(
            f"{request.method} {request.url.copy_with(query=None)}: the download broke off"
            f" ({type(error).__name__}: {error})",
            request=request,
        )

    def write_to_file(self, path: str | os.PathLike[str]) -> int:
        """Write the body to ``path`` (whole or not at all: through a temporary file); returns its size."""
        with _replacing(Path(path)) as file:
            for piece in self.iter_bytes():
                file.write(piece)
            return file.tell()

    async def awrite_to_file(self, path: str | os.PathLike[str]) -> int:
        """:meth:`write_to_file` for the async client."""
        with _replacing(Path(path)) as file:
            async for piece in self.aiter_bytes():
                file.write(piece)
            return file.tell()

    def close(self) -> None:
        self.http_response.close()

    async def aclose(self) -> None:
        await self.http_response.aclose()


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A file that becomes ``path`` once written in full; on any error ``path`` is left as it was."""
    partial = path.with_name(f".{path.name}.part")
    try:
        with partial.open("wb") as file:
            yield file
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


# Set by ``with_streaming_response``: leave the next success's body unread for the caller.
_streaming: ContextVar[bool] = ContextVar(f"{__package__}_streaming", default=False)


def opened(
    response: httpx.Response,
    operation: OperationSpec[Any],
    limit: int,
    resume: Callable[[str], Any] | None,
    max_resumes: int,
) -> Stream[Any] | StreamedResponse | None:
    """What a success left unread becomes (a stream of items, a download); None to read it whole."""
    if not 200 <= response.status_code < 300 or response.is_stream_consumed:
        return None
    if _streaming.get():
        return StreamedResponse(response)
    kind, model = operation.success_for(response.status_code)
    if kind not in STREAM_KINDS:
        return None
    return Stream(
        response, operation, kind, model, limit, resume if kind == "sse" else None, max_resumes
    )


#: Turns a success into what the caller reads as it arrives, or None to read it whole.
Opener = Callable[[httpx.Response], Any]


def opener(
    operation: OperationSpec[Any], call: Call, settings: Settings, resume: Callable[[str], Any]
) -> Opener:
    """The opener of ``call``; ``resume`` makes the call again after a last event id (returning, or
    for the async client awaiting to, the new stream), if the operation declares ``Last-Event-ID``.
    """
    return functools.partial(
        opened,
        operation=operation,
        limit=settings.max_response_bytes,
        resume=resume if resume_header(call) is not None else None,
        max_resumes=settings.max_retries,
    )


def streams(operation: OperationSpec[Any]) -> bool:
    """Whether some success of ``operation``, or the call being made, is read as it arrives."""
    return _streaming.get() or any(
        kind in STREAM_KINDS for kind, _ in operation.success_kinds.values()
    )


def resume_header(call: Call) -> str | None:
    """The ``Last-Event-ID`` header parameter as the operation spells it, if it declares one
    (its method then gives it in every call, ``None`` when not set)."""
    return next((name for name in call.headers if name.lower() == LAST_EVENT_ID), None)


def resumed(call: Call, last_event_id: str) -> Call:
    """``call`` again, to reopen its event stream after ``last_event_id`` (none sent when empty)."""
    name = resume_header(call)
    if name is None or not last_event_id:
        return call
    return dataclasses.replace(call, headers={**call.headers, name: last_event_id})


class _StreamingView:
    """Stands in for a client as the ``self`` of its methods, as ``_runtime.raw_response``'s view
    does: their ``_call`` leaves the body of a success unread and gives the :class:`StreamedResponse`.
    """

    __slots__ = ("_call",)

    def __init__(self, call: Callable[[OperationSpec[Any], Call], Any]) -> None:
        self._call = call


def streaming_response(
    method: Callable[P, Any],
) -> Callable[P, AbstractContextManager[StreamedResponse]]:
    """Wrap a client method so that it gives the response with its body unread, in a ``with`` block."""
    bound: Any = method
    client = bound.__self__

    def call(operation: OperationSpec[Any], arguments: Call) -> Any:
        token = _streaming.set(True)
        try:
            return client._request(operation, arguments).parsed
        finally:
            _streaming.reset(token)

    view = _StreamingView(call)

    @contextmanager
    def opened(*args: P.args, **kwargs: P.kwargs) -> Iterator[StreamedResponse]:
        body: StreamedResponse = bound.__func__(view, *args, **kwargs)
        try:
            yield body
        finally:
            body.close()

    return opened


def async_streaming_response(
    method: Callable[P, Any],
) -> Callable[P, AbstractAsyncContextManager[StreamedResponse]]:
    """:func:`streaming_response` for the methods of the async client (``async with``)."""
    bound: Any = method
    client = bound.__self__

    async def call(operation: OperationSpec[Any], arguments: Call) -> Any:
        token = _streaming.set(True)
        try:
            return (await client._request(operation, arguments)).parsed
        finally:
            _streaming.reset(token)

    view = _StreamingView(call)

    @asynccontextmanager
    async def opened(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[StreamedResponse]:
        body: StreamedResponse = await bound.__func__(view, *args, **kwargs)
        try:
            yield body
        finally:
            await body.aclose()

    return opened
