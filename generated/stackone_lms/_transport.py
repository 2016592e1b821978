"""The I/O half of the clients: sending requests, sleeping between attempts, running batches.

:class:`SyncTransport` and :class:`AsyncTransport` carry out the steps that
:func:`._exchange.exchange` decides; every operation method ends in :meth:`_call`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Self, TypeVar

import h11
import httpx

from . import _batching, _deadline, _exchange, _response, _runtime, errors
from ._batching import BatchRecorder, BatchReport, ProgressCallback, batches, item_errors
from ._response import Received
from ._runtime import ApiResponse, Call, OperationSpec, Settings

__all__ = ["AsyncTransport", "SyncTransport"]

T = TypeVar("T")
_Flow = Generator[_exchange.Step, Received | BaseException | None, ApiResponse[T]]
# What sending and reading may raise; :func:`._exchange.exchange` turns each into an APIError.
# h11 is httpx's HTTP/1.1 engine; some of its errors reach the caller unwrapped.
_FAILURES = (httpx.HTTPError, h11.ProtocolError, errors.APIError)


def _limits(settings: Settings) -> httpx.Limits:
    return httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_connections,
    )


class SyncTransport:
    """Blocking I/O over an ``httpx.Client``."""

    _settings: Settings
    _http_client: httpx.Client
    _owns_http_client: bool
    _in_flight: threading.BoundedSemaphore

    def _open(self, http_client: httpx.Client | None) -> None:
        """Use ``http_client`` as given, or make one whose sockets keep each attempt's deadline.

        At most ``max_connections`` requests are in flight at once; further calls wait their turn.
        """
        self._owns_http_client = http_client is None
        if http_client is None:
            limits = _limits(self._settings)
            http_client = httpx.Client(
                timeout=self._settings.timeout, limits=limits, transport=_deadline.transport(limits)
            )
        self._http_client = http_client
        self._in_flight = threading.BoundedSemaphore(self._settings.max_connections)

    def close(self) -> None:
        """Close the underlying HTTP client if this client created it."""
        if self._owns_http_client:
            self._http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._settings.base_url)!r})"

    def _receive(self, request: httpx.Request) -> Received | BaseException:
        try:
            with self._in_flight, _deadline.attempt(request):
                # Redirects are never followed, whatever the http_client says: credentials
                # and the body must not reach another origin.
                response = self._http_client.send(request, stream=True, follow_redirects=False)
                try:
                    limit = _response.BodyLimit(response, self._settings.max_response_bytes)
                    if not response.is_stream_consumed:
                        for chunk in response.iter_raw():
                            limit.add(chunk)
                            _deadline.check(request)
                    return limit.received()
                finally:
                    response.close()
        except _FAILURES as error:
            return error

    def _call(self, operation: OperationSpec[T], arguments: Mapping[str, Any]) -> T:
        return self._request(operation, Call.of(operation, arguments)).parsed

    def _request(self, operation: OperationSpec[T], call: Call) -> ApiResponse[T]:
        flow: _Flow[T] = _exchange.exchange(self._settings, operation, call)
        try:
            step = next(flow)
            while True:
                if isinstance(step, httpx.Request):
                    step = flow.send(self._receive(step))
                else:
                    time.sleep(step)
                    step = flow.send(None)
        except StopIteration as done:
            result: ApiResponse[T] = done.value
            return _runtime.record(result)

    def _run_batches(
        self,
        send: Callable[[list[Any]], Any],
        items: Iterable[Any],
        batch_size: int,
        max_concurrency: int,
        on_progress: ProgressCallback | None,
    ) -> BatchReport:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        recorder = BatchRecorder(on_progress)

        def run(batch: _batching.Batch) -> None:
            try:
                result = send(batch.items)
            except errors.APIError as error:
                recorder.failed(batch, error)
            else:
                recorder.accepted(batch, item_errors(result))

        pending: set[Future[None]] = set()
        with ThreadPoolExecutor(max_concurrency, thread_name_prefix="stackone_lms-batch") as pool:
            for batch in batches(items, batch_size):
                pending.add(pool.submit(run, batch))
                # Wait for a free slot before reading the next batch, so that at
                # most max_concurrency batches are held in memory.
                if len(pending) >= max_concurrency:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
            for future in pending:
                future.result()
        return recorder.result()


class AsyncTransport:
    """Asynchronous I/O over an ``httpx.AsyncClient``; the twin of :class:`SyncTransport`."""

    _settings: Settings
    _http_client: httpx.AsyncClient
    _owns_http_client: bool
    _in_flight: asyncio.Semaphore

    def _open(self, http_client: httpx.AsyncClient | None) -> None:
        """Use ``http_client`` as given, or make one.

        At most ``max_connections`` requests are in flight at once; further calls wait their
        turn (httpcore's pool stalls when thousands of requests wait in it).
        """
        self._owns_http_client = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(
                timeout=self._settings.timeout, limits=_limits(self._settings)
            )
        self._http_client = http_client
        self._in_flight = asyncio.Semaphore(self._settings.max_connections)

    async def close(self) -> None:
        """Close the underlying HTTP client if this client created it."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._settings.base_url)!r})"

    async def _receive(self, request: httpx.Request) -> Received | BaseException:
        try:
            async with self._in_flight, asyncio.timeout(_deadline.seconds(request)):
                response = await self._http_client.send(
                    request, stream=True, follow_redirects=False
                )
                try:
                    limit = _response.BodyLimit(response, self._settings.max_response_bytes)
                    if not response.is_stream_consumed:
                        async for chunk in response.aiter_raw():
                            limit.add(chunk)
                    return limit.received()
                finally:
                    await response.aclose()
        except TimeoutError:
            return _deadline.DeadlineExceeded("the attempt ran past its deadline", request=request)
        except _FAILURES as error:
            return error

    async def _call(self, operation: OperationSpec[T], arguments: Mapping[str, Any]) -> T:
        return (await self._request(operation, Call.of(operation, arguments))).parsed

    async def _request(self, operation: OperationSpec[T], call: Call) -> ApiResponse[T]:
        flow: _Flow[T] = _exchange.exchange(self._settings, operation, call)
        try:
            step = next(flow)
            while True:
                if isinstance(step, httpx.Request):
                    step = flow.send(await self._receive(step))
                else:
                    await asyncio.sleep(step)
                    step = flow.send(None)
        except StopIteration as done:
            result: ApiResponse[T] = done.value
            return _runtime.record(result)

    async def _run_batches(
        self,
        send: Callable[[list[Any]], Awaitable[Any]],
        items: Iterable[Any],
        batch_size: int,
        max_concurrency: int,
        on_progress: ProgressCallback | None,
    ) -> BatchReport:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        recorder = BatchRecorder(on_progress)

        async def run(batch: _batching.Batch) -> None:
            try:
                result = await send(batch.items)
            except errors.APIError as error:
                recorder.failed(batch, error)
            else:
                recorder.accepted(batch, item_errors(result))

        pending: set[asyncio.Task[None]] = set()
        for batch in batches(items, batch_size):
            pending.add(asyncio.create_task(run(batch)))
            if len(pending) >= max_concurrency:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
        if pending:
            await asyncio.gather(*pending)
        return recorder.result()
