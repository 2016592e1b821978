"""Reading a response: the size limit, parsing into models, typed errors and fields by wire name."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import httpx
import pydantic

from . import errors
from ._base_model import response_validator
from ._exceptions import status_error_class
from ._open_enum import validated_openly
from ._runtime import OperationSpec, gc_paused, model_fields, model_name, read_problem

T = TypeVar("T")


@dataclass(frozen=True)
class Received:
    """A response whose body has been read (up to the size limit)."""

    response: httpx.Response
    content: bytes
    #: What a body left unread for the caller became (a stream of items, a download), else None.
    opened: Any = None


#: The most one decoding step may produce at once, so that no chain of
#: Content-Encodings can inflate a small chunk into a large allocation unseen.
_PIECE = 64 * 1024


class _Inflate:
    """One gzip or deflate layer of a response body, decoded in pieces of at most ``_PIECE`` bytes."""

    def __init__(self, encoding: str) -> None:
        self.wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self.inflater = zlib.decompressobj(self.wbits)
        self.started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                piece = self.inflater.decompress(data, _PIECE)
            except zlib.error:
                if self.started or self.wbits != zlib.MAX_WBITS:
                    raise
                # Some servers send raw deflate without the zlib wrapper (httpx accepts it too).
                self.wbits = -zlib.MAX_WBITS
                self.inflater = zlib.decompressobj(self.wbits)
                continue
            self.started = True
            data = self.inflater.unconsumed_tail
            if piece:
                yield piece
            if self.inflater.eof:
                return  # what follows the end of the stream is ignored, as httpx does
            # A full piece may leave output pending inside zlib even once the input is used up.
            if not data and len(piece) < _PIECE:
                return


class ContentDecoder:
    """The Content-Encoding layers of a streamed body, undone in pieces of at most ``_PIECE`` bytes."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.layers: list[_Inflate] = []
        # "gzip, br" was gzipped first: decode from the last encoding to the first.
        for encoding in reversed(response.headers.get_list("content-encoding", split_commas=True)):
            encoding = encoding.strip().lower()
            if encoding in ("gzip", "x-gzip", "deflate"):
                self.layers.append(_Inflate(encoding))
            elif encoding not in ("identity", ""):
                raise errors.APIResponseDecodingError(
                    f"the response has Content-Encoding {encoding[:40]!r}, which the client cannot decode",
                    request=response.request,
                )

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """The decoded pieces of the next chunk as received from the network."""
        try:
            yield from self._decode(chunk, 0)
        except zlib.error as error:
            raise errors.APIResponseDecodingError(
                f"the response body is not valid {self.response.headers.get('content-encoding', '')[:40]!r} data ({error})",
                request=self.response.request,
            ) from None

    def _decode(self, data: bytes, layer: int) -> Iterator[bytes]:
        if layer == len(self.layers):
            yield data
            return
        for piece in self.layers[layer].feed(data):
            yield from self._decode(piece, layer + 1)


class BodyLimit:
    """Collects a streamed body, decoding its Content-Encoding, and refuses one larger than the limit.

    The limit applies to the bytes received and to the decoded bytes as they are
    produced, so a compression bomb is refused after at most ``limit`` bytes.
    """

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.response = response
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0
        self.received_size = 0
        declared = response.headers.get("content-length", "")
        # ASCII digits only: "²".isdigit() holds, and int() refuses it.
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            self.refuse()
        if response.is_stream_consumed:
            # A test transport (httpx.MockTransport) gave the body in memory, already decoded.
            self._keep(response.content)
            return
        self.decoder = ContentDecoder(response)

    def add(self, chunk: bytes) -> None:
        """Take the next chunk as received from the network."""
        self.received_size += len(chunk)
        if self.received_size > self.limit:
            self.refuse()
        for piece in self.decoder.feed(chunk):
            self._keep(piece)

    def _keep(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.limit:
            self.refuse()
        self.chunks.append(piece)

    def refuse(self) -> None:
        raise errors.APIResponseTooLargeError(
            f"the response is larger than max_response_bytes={self.limit:,}; raise the limit to accept it",
            request=self.response.request,
        )

    def received(self) -> Received:
        return Received(self.response, b"".join(self.chunks))


def read_json(model: Any, content: str | bytes) -> Any:
    """``content`` read as ``model`` the way an answer of the server is: by ``response_validator``,
    with enums closed first (see ``validated_openly``)."""
    validator = response_validator(model)
    return validated_openly(lambda: validator.validate_json(content))


def _status_error(
    operation: OperationSpec[Any], received: Received, retries_taken: int, retry_after: float | None
) -> errors.APIStatusError:
    response = received.response
    body: Any = received.content.decode("utf-8", errors="replace")
    status = response.status_code
    model = operation.error_models.get(
        status, operation.error_models.get(status // 100, operation.default_error_model)
    )
    if model is not None:
        try:
            body = read_json(model, received.content)
        except pydantic.ValidationError:
            pass
    error_class = status_error_class(response.status_code, errors.STATUS_ERRORS)
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


def _parse_success(
    operation: OperationSpec[T], received: Received, retries_taken: int, pause_gc: bool = False
) -> T:
    if received.opened is not None:
        return cast(T, received.opened)
    status = received.response.status_code
    kind, model = operation.success_for(status)
    if kind == "none":
        return cast(T, None)
    if kind == "binary":
        return cast(T, received.content)
    if kind == "text":
        return cast(
            T, received.content.decode(received.response.encoding or "utf-8", errors="replace")
        )
    try:
        with gc_paused(pause_gc):
            if model is None:
                return cast(T, json.loads(received.content))
            return cast(T, read_json(model, received.content))
    except (pydantic.ValidationError, ValueError) as error:
        excerpt = received.content[:200].decode("utf-8", errors="replace")
        expected = model_name(model) if model is not None else "JSON"
        raise errors.APIResponseValidationError(
            f"{operation.name}: HTTP {status} body does not match {expected} ({read_problem(error)});"
            f" body starts {excerpt!r}",
            response=received.response,
            body=excerpt,
            retries_taken=retries_taken,
        ) from None


def wire_field(model: Any, wire_name: str) -> Any:
    """The value of the property sent as ``wire_name`` (a field alias, a field name or an extra;
    a key of an untyped JSON object)."""
    if isinstance(model, pydantic.BaseModel):
        for name, info in model_fields(type(model)).items():
            if info.alias == wire_name or (info.alias is None and name == wire_name):
                return getattr(model, name)
        return (model.model_extra or {}).get(wire_name)
    return model.get(wire_name) if isinstance(model, Mapping) else None
