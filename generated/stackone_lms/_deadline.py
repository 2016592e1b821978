"""A wall-clock deadline for each attempt of a call, whatever the server does.

httpx's timeouts bound each network operation, not their sum: a server that
sends one byte just before every read timeout holds a request forever. Each
attempt therefore gets a deadline, the largest of its timeout's values
(``timeout=3`` gives 3 s; the default ``httpx.Timeout(60, connect=10)`` 60 s,
connecting included); a timeout with an unlimited (``None``) phase has none.

The async client runs the attempt inside ``asyncio.timeout``. The blocking
client cannot interrupt a read from outside, so the HTTP client it creates
reads and writes through :class:`DeadlineBackend`, which gives every socket
operation only the time the attempt has left; with a caller's ``http_client``,
the deadline is checked between chunks of the body.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

__all__ = ["DeadlineExceeded", "attempt", "check", "seconds", "transport"]

# When the attempt running in this thread (or task) must end, and the clock that says it.
_deadline: ContextVar[tuple[float, Callable[[], float]] | None] = ContextVar(
    "deadline", default=None
)


class DeadlineExceeded(httpx.TimeoutException):
    """The attempt ran past its deadline."""


def seconds(request: httpx.Request) -> float | None:
    """The length of an attempt of ``request``: the largest value of its timeout, or None."""
    limits: Mapping[str, float | None] = request.extensions.get("timeout", {})
    values = list(limits.values())
    if not values or any(value is None for value in values):
        return None
    return max(value for value in values if value is not None)


@contextmanager
def attempt(
    request: httpx.Request, clock: Callable[[], float] = time.monotonic
) -> Iterator[float | None]:
    """Set the deadline of one blocking attempt of ``request``, by ``clock``; yields its length."""
    length = seconds(request)
    token = _deadline.set(None if length is None else (clock() + length, clock))
    try:
        yield length
    finally:
        _deadline.reset(token)


def _left(timeout: float | None) -> float | None:
    """``timeout`` cut to the time the current attempt has left; raises once it has none."""
    current = _deadline.get()
    if current is None:
        return timeout
    deadline, clock = current
    left = deadline - clock()
    if left <= 0:
        raise httpcore.ReadTimeout("the attempt ran past its deadline")
    return left if timeout is None else min(timeout, left)


def check(request: httpx.Request) -> None:
    """Raise :class:`DeadlineExceeded` if the current attempt has run past its deadline."""
    current = _deadline.get()
    if current is not None and current[1]() >= current[0]:
        raise DeadlineExceeded("the attempt ran past its deadline", request=request)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """A network backend whose every socket operation ends at the attempt's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(
            self._backend.connect_tcp(host, port, _left(timeout), local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._backend.connect_unix_socket(path, _left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's own transport, its sockets driven through :class:`DeadlineBackend`."""
    result = httpx.HTTPTransport(limits=limits)
    # httpx offers no argument for the network backend; its pool keeps it here (httpcore 1.x).
    pool = result._pool
    pool._network_backend = DeadlineBackend(pool._network_backend)
    return result
