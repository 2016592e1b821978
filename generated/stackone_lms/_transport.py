"""The I/O half of the clients: sending requests, sleeping between attempts, running batches.

:class:`SyncTransport` and :class:`AsyncTransport` carry out the steps that
:func:`._exchange.exchange` decides; every operation method ends in :meth:`_call`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Self, TypeVar

import httpx

from . import _batching, _exchange, _response, _runtime, errors
from ._batching import BatchRecorder, BatchReport, ProgressCallback, batches, item_errors
from ._response import Received
from ._runtime import ApiResponse, Call, OperationSpec, Settings

__all__ = ["AsyncTransport", "SyncTransport"]

T = TypeVar("T")
_Flow = Generator[_exchange.Step, Received | BaseException | None, ApiResponse[T]]


class SyncTransport:
    """Blocking I/O over an ``httpx.Client``."""

    _settings: Settings
    _http_client: httpx.Client
    _owns_http_client: bool

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
            response = self._http_client.send(request, stream=True)
            try:
                limit = _response.BodyLimit(response, self._settings.max_response_bytes)
                for chunk in response.iter_bytes():
                    limit.add(chunk)
                return limit.received()
            finally:
                response.close()
        except (httpx.TransportError, errors.APIResponseTooLargeError) as error:
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
            response = await self._http_client.send(request, stream=True)
            try:
                limit = _response.BodyLimit(response, self._settings.max_response_bytes)
                async for chunk in response.aiter_bytes():
                    limit.add(chunk)
                return limit.received()
            finally:
                await response.aclose()
        except (httpx.TransportError, errors.APIResponseTooLargeError) as error:
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
