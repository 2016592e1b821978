"""Request bodies sent from files piece by piece rather than read whole: binary bodies and multipart forms."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import httpx
import pydantic

__all__ = ["FileInput"]


def is_file(value: Any) -> bool:
    """Whether ``value`` is a file input: bytes, a binary file, or a tuple with the file second."""
    return (
        isinstance(value, (bytes, bytearray))
        or hasattr(value, "read")
        or (isinstance(value, tuple) and 2 <= len(value) <= 4)  # httpx takes headers fourth
    )


def _file_input(value: Any) -> Any:
    # Text is all JSON (a fixture, an example) can give a binary field: it goes as a plain form field.
    if not isinstance(value, str) and not is_file(value):
        raise ValueError(
            "expected bytes, text, a binary file or a (file name, file, content type) tuple"
        )
    return value


if TYPE_CHECKING:
    #: What a file field of a multipart body takes: its bytes (or text, sent as a plain form field), a binary
    #: file (read piece by piece, from where it stands), or ``(file name, bytes or file, content type)``.
    FileInput = (
        bytes
        | str
        | BinaryIO
        | tuple[str | None, bytes | BinaryIO]
        | tuple[str | None, bytes | BinaryIO, str | None]
    )
else:
    # What pydantic checks: it has no schema for a file object, so the value is checked as it is.
    FileInput = Annotated[Any, pydantic.PlainValidator(_file_input)]

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """A request body streamed to the server, and the header that frames it (its length, or chunked)."""

    stream: httpx.SyncByteStream | httpx.AsyncByteStream
    framing: Mapping[str, str]


class _FileChunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A binary file read in pieces from where it stood at the call, again from there on every attempt."""

    def __init__(self, file: BinaryIO, start: int | None) -> None:
        self.file = file
        self.start = start

    def __iter__(self) -> Iterator[bytes]:
        if self.start is not None:
            self.file.seek(self.start)
        while chunk := self.file.read(_CHUNK):
            yield bytes(chunk)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        # Reads from disk block briefly, as httpx's own multipart files do.
        for chunk in self:
            yield chunk


def _position(file: BinaryIO) -> int | None:
    try:
        return file.tell() if file.seekable() else None
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def file_body(file: BinaryIO) -> Upload:
    """A binary body read from ``file``; sent with its length when the file can tell it."""
    start = _position(file)
    if start is None:
        return Upload(_FileChunks(file, None), {"Transfer-Encoding": "chunked"})
    end = file.seek(0, os.SEEK_END)
    file.seek(start)
    return Upload(_FileChunks(file, start), {"Content-Length": str(max(0, end - start))})


def multipart_body(parts: list[tuple[str, Any]]) -> tuple[Upload, str]:
    """A ``multipart/form-data`` body of ``parts`` and its content type; files are read as it is sent.

    httpx draws the boundary once, so every attempt sends the same bytes (it rewinds each file).
    """
    staged = httpx.Request("POST", "http://multipart.invalid", files=parts)
    framing = {
        name: staged.headers[name]
        for name in ("Content-Length", "Transfer-Encoding")
        if name in staged.headers
    }
    return Upload(staged.stream, framing), staged.headers["Content-Type"]
