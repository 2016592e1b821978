"""The I/O half of the clients: sending requests, sleeping between attempts, running batches.

:class:`SyncTransport` and :class:`AsyncTransport` carry out the steps that
:func:`._exchange.exchange` decides; every operation method ends in :meth:`_call`
with the :class:`._runtime.Call` that says where each of its arguments goes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import AsyncIterable, Awaitable, Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from . import _hooks, errors
from ._runtime import APIResponse, Call, OperationSpec, Settings

# What sending, retrying, streaming, batching and OAuth 2 need is imported where it is first
# used (``from . import _exchange`` in a method): a plain ``import`` of the package does not
# need it, and it is most of the runtime's import time (asyncio alone is a tenth of it).
if TYPE_CHECKING:
    import asyncio

    from . import _batching, _exchange, _oauth, _streams
    from ._batching import BatchOptions, BatchReport
    from ._response import Received

__all__ = ["AsyncTransport", "SyncTransport"]

T = TypeVar("T")
_Flow = Generator["_exchange.Step", "Received | BaseException | None", APIResponse[T]]


def _failures() -> tuple[type[BaseException], ...]:
    """What sending and reading may raise; :func:`._exchange.exchange` turns each into an APIError.

    h11 is httpx's HTTP/1.1 engine (loaded with httpx's transport, not with httpx); some of
    its errors reach the caller unwrapped.
    """
    import h11

    return (httpx.HTTPError, h11.ProtocolError, errors.APIError)


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
    _tokens: _oauth.Tokens
    _token_lock: threading.Lock

    def _open(self, http_client: httpx.Client | None) -> None:
        """Use ``http_client`` as given, or make one whose sockets keep each attempt's deadline.

        At most ``max_connections`` requests are in flight at once; further calls wait their turn.
        """
        from . import _deadline, _oauth

        self._owns_http_client = http_client is None
        if http_client is None:
            limits = _limits(self._settings)
            http_client = httpx.Client(
                timeout=self._settings.timeout, limits=limits, transport=_deadline.transport(limits)
            )
        self._http_client = http_client
        self._in_flight = threading.BoundedSemaphore(self._settings.max_connections)
        self._tokens = _oauth.Tokens(self._settings)
        self._token_lock = threading.Lock()

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

    def _receive(
        self, request: httpx.Request, opener: _streams.Opener | None = None
    ) -> Received | BaseException:
        from . import _deadline, _response

        try:
            with self._in_flight, _deadline.attempt(request):
                # Redirects are never followed, whatever the http_client says: credentials
                # and the body must not reach another origin.
                response = self._http_client.send(request, stream=True, follow_redirects=False)
                opened = opener(response) if opener is not None else None
                if opened is not None:
                    return _response.Received(
                        response, b"", opened
                    )  # the caller reads it, and closes it
                try:
                    limit = _response.BodyLimit(response, self._settings.max_response_bytes)
                    if not response.is_stream_consumed:
                        for chunk in response.iter_raw():
                            limit.add(chunk)
                            _deadline.check(request)
                    return limit.received()
                finally:
                    response.close()
        except _failures() as error:  # evaluated only when something was raised
            return error

    def _send(
        self, request: httpx.Request, opener: _streams.Opener | None = None
    ) -> Received | BaseException:
        """One attempt of ``request``; first the OAuth 2 token it waits for, renewed once on a 401."""
        from . import _oauth

        cache = self._tokens.cache_for(request)
        refused: str | None = None
        token: str | None = None
        while True:
            if cache is not None:
                with self._token_lock:  # concurrent calls wait for one fetch
                    if cache.stale(refused):
                        error = cache.accept(self._receive(cache.fetch_request(request)))
                        if error is not None:
                            return error
                    token = cache.authorize(request)
            outcome = self._attempt(request, opener)
            if cache is None or refused is not None or not _oauth.refused(outcome):
                return outcome
            refused = token

    def _attempt(
        self, request: httpx.Request, opener: _streams.Opener | None = None
    ) -> Received | BaseException:
        from . import _response

        hooks = self._settings.hooks
        _hooks.run(hooks.before_request, request)
        outcome = self._receive(request, opener)
        if isinstance(outcome, _response.Received):
            _hooks.run(hooks.after_response, outcome.response)
        return outcome

    def _call(self, operation: OperationSpec[T], call: Call) -> T:
        return self._request(operation, call).parsed

    def _request(self, operation: OperationSpec[T], call: Call) -> APIResponse[T]:
        from . import _exchange, _streams

        flow: _Flow[T] = _exchange.exchange(self._settings, operation, call)
        opener = None
        if _streams.streams(operation):

            def resume(last_event_id: str) -> Any:
                return self._request(operation, _streams.resumed(call, last_event_id)).parsed

            opener = _streams.opener(operation, call, self._settings, resume)
        try:
            step = next(flow)
            while True:
                if isinstance(step, httpx.Request):
                    step = flow.send(self._send(step, opener))
                else:
                    time.sleep(step)
                    step = flow.send(None)
        except StopIteration as done:
            result: APIResponse[T] = done.value
            return result
        except errors.APIError as error:
            _hooks.run(self._settings.hooks.on_error, error)
            raise

    def _run_batches(
        self,
        operation: OperationSpec[Any],
        send: Callable[[list[Any]], Any],
        items: Iterable[Any],
        options: BatchOptions,
    ) -> BatchReport:
        from . import _batching

        recorder = options.recorder(operation)

        def run(batch: _batching.Batch) -> None:
            if not recorder.sending(batch):
                return
            try:
                result = send(batch.items)
            except Exception as error:  # one batch's failure, whatever it is, is not the run's
                recorder.settle(batch, error=error)
            else:
                recorder.settle(batch, result)

        # Daemon threads: a batch abandoned by a second Ctrl-C must not hold the process
        # open until its request times out.
        stopped: BaseException | None = None
        with _ctrl_c_counted(recorder):
            try:
                for batch in _batching.batches(items, options.batch_size):
                    if recorder.interrupts or recorder.failure is not None:
                        break
                    recorder.start(batch)
                    threading.Thread(
                        target=run, args=(batch,), name=f"{__package__}-batch", daemon=True
                    ).start()
                    # At most max_concurrency batches are held in memory.
                    recorder.wait_for_slot(options.max_concurrency)
                    if recorder.interrupts:
                        break  # before reading another batch
            except KeyboardInterrupt:  # from a SIGINT handler of the caller's
                recorder.interrupt()
            except BaseException as error:  # the input failed: read no more
                stopped = error
            if stopped is not None or recorder.interrupts:
                recorder.drop_unsent()
            while True:
                try:
                    recorder.drain()
                    break
                except KeyboardInterrupt:
                    recorder.interrupt()
            if recorder.interrupts > 1:
                recorder.abort()
        if stopped is not None:
            raise stopped
        return recorder.result(interrupted=recorder.interrupts > 0)


#: What a bulk run prints on standard error at the first and the second Ctrl-C.
_CTRL_C_NOTICES = (
    b"\ninterrupted: reading no more items; waiting for the batches in flight"
    b" (Ctrl-C again to abandon them)\n",
    b"\nabandoning the batches in flight\n",
)


@contextmanager
def _ctrl_c_counted(recorder: _batching.BatchRecorder) -> Iterator[None]:
    """Count Ctrl-C in ``recorder`` during a bulk run instead of raising KeyboardInterrupt.

    A raised exception could land anywhere, and two quick presses could merge into
    one; a count cannot. Only in the main thread, over Python's default handler.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return

    def count(signum: int, frame: FrameType | None) -> None:
        presses = recorder.interrupt()
        if presses <= len(_CTRL_C_NOTICES):
            # os.write: the interrupted code may be inside a write to sys.stderr.
            os.write(2, _CTRL_C_NOTICES[presses - 1])

    previous = signal.signal(signal.SIGINT, count)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class AsyncTransport:
    """Asynchronous I/O over an ``httpx.AsyncClient``; the twin of :class:`SyncTransport`."""

    _settings: Settings
    _http_client: httpx.AsyncClient
    _owns_http_client: bool
    _in_flight: asyncio.Semaphore
    _tokens: _oauth.Tokens
    _token_lock: asyncio.Lock

    def _open(self, http_client: httpx.AsyncClient | None) -> None:
        """Use ``http_client`` as given, or make one.

        At most ``max_connections`` requests are in flight at once; further calls wait their
        turn (httpcore's pool stalls when thousands of requests wait in it).
        """
        import asyncio

        from . import _oauth

        self._owns_http_client = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(
                timeout=self._settings.timeout, limits=_limits(self._settings)
            )
        self._http_client = http_client
        self._in_flight = asyncio.Semaphore(self._settings.max_connections)
        self._tokens = _oauth.Tokens(self._settings)
        # Bound to an event loop on first contended use only (Python 3.10+), so made here.
        self._token_lock = asyncio.Lock()

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

    async def _receive(
        self, request: httpx.Request, opener: _streams.Opener | None = None
    ) -> Received | BaseException:
        import asyncio

        from . import _deadline, _response

        try:
            async with self._in_flight, asyncio.timeout(_deadline.seconds(request)):
                response = await self._http_client.send(
                    request, stream=True, follow_redirects=False
                )
                opened = opener(response) if opener is not None else None
                if opened is not None:
                    return _response.Received(
                        response, b"", opened
                    )  # the caller reads it, and closes it
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
        except _failures() as error:  # evaluated only when something was raised
            return error

    async def _send(
        self, request: httpx.Request, opener: _streams.Opener | None = None
    ) -> Received | BaseException:
        """One attempt of ``request``; first the OAuth 2 token it waits for, renewed once on a 401."""
        from . import _oauth

        cache = self._tokens.cache_for(request)
        refused: str | None = None
        token: str | None = None
        while True:
            if cache is not None:
                async with self._token_lock:  # concurrent calls wait for one fetch
                    if cache.stale(refused):
                        error = cache.accept(await self._receive(cache.fetch_request(request)))
                        if error is not None:
                            return error
                    token = cache.authorize(request)
            outcome = await self._attempt(request, opener)
            if cache is None or refused is not None or not _oauth.refused(outcome):
                return outcome
            refused = token

    async def _attempt(
        self, request: httpx.Request, opener: _streams.Opener | None = None
    ) -> Received | BaseException:
        from . import _response

        hooks = self._settings.hooks
        await _hooks.arun(hooks.before_request, request)
        outcome = await self._receive(request, opener)
        if isinstance(outcome, _response.Received):
            await _hooks.arun(hooks.after_response, outcome.response)
        return outcome

    async def _call(self, operation: OperationSpec[T], call: Call) -> T:
        return (await self._request(operation, call)).parsed

    async def _request(self, operation: OperationSpec[T], call: Call) -> APIResponse[T]:
        import asyncio

        from . import _exchange, _streams

        flow: _Flow[T] = _exchange.exchange(self._settings, operation, call)
        opener = None
        if _streams.streams(operation):

            async def resume(last_event_id: str) -> Any:
                resumed = _streams.resumed(call, last_event_id)
                return (await self._request(operation, resumed)).parsed

            opener = _streams.opener(operation, call, self._settings, resume)
        try:
            step = next(flow)
            while True:
                if isinstance(step, httpx.Request):
                    step = flow.send(await self._send(step, opener))
                else:
                    await asyncio.sleep(step)
                    step = flow.send(None)
        except StopIteration as done:
            result: APIResponse[T] = done.value
            return result
        except errors.APIError as error:
            await _hooks.arun(self._settings.hooks.on_error, error)
            raise

    async def _run_batches(
        self,
        operation: OperationSpec[Any],
        send: Callable[[list[Any]], Awaitable[Any]],
        items: Iterable[Any] | AsyncIterable[Any],
        options: BatchOptions,
    ) -> BatchReport:
        import asyncio

        from . import _batching

        recorder = options.recorder(operation)

        async def run(batch: _batching.Batch) -> None:
            if not recorder.sending(batch):
                return
            try:
                result = await send(batch.items)
            except Exception as error:  # one batch's failure, whatever it is, is not the run's
                recorder.settle(batch, error=error)
            else:
                recorder.settle(batch, result)

        pending: set[asyncio.Task[None]] = set()
        try:
            async for batch in _batching.async_batches(items, options.batch_size):
                recorder.start(batch)
                pending.add(asyncio.create_task(run(batch)))
                if len(pending) >= options.max_concurrency:
                    _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                if recorder.failure is not None:
                    break
            if pending:
                await asyncio.wait(pending)
        except BaseException:
            # Cancelled (or Ctrl-C): the batches in flight are abandoned and reported failed.
            for task in pending:
                task.cancel()
            recorder.abort()
            raise
        return recorder.result()
