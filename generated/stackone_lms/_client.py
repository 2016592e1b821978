"""The StackOne LMS clients: :class:`Client` (blocking) and :class:`AsyncClient`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

import httpx

from . import _batching, _exchange, _operations, _response, _runtime, errors, models
from ._batching import BatchRecorder, BatchReport, ProgressCallback, batches, item_errors
from ._response import Received
from ._runtime import ApiResponse, OperationSpec, Settings

__all__ = ["Client", "AsyncClient"]

T = TypeVar("T")
_Flow = Generator[_exchange.Step, Received | BaseException | None, ApiResponse[T]]


def _settings(
    *,
    base_url: str | httpx.URL | None,
    username: str | None,
    password: str | None,
    account_id: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    default_headers: Mapping[str, str] | None,
    max_response_bytes: int,
) -> Settings:
    url = _runtime.setting(base_url, "STACKONE_LMS_BASE_URL") or "https://api.stackone.com"
    credentials: dict[str, _runtime.Secret] = {}
    username = _runtime.setting(username, "STACKONE_LMS_USERNAME")
    if username is not None:
        credentials["username"] = _runtime.Secret(username)
    password = _runtime.setting(password, "STACKONE_LMS_PASSWORD")
    if password is not None:
        credentials["password"] = _runtime.Secret(password)
    # HTTP Basic with an API key alone: the password may be empty.
    if "username" in credentials:
        credentials.setdefault("password", _runtime.Secret(""))
    if not any(name in credentials for name in ["username"]):
        raise errors.APIError(
            "credentials are missing: pass username to the client, or set STACKONE_LMS_USERNAME"
        )
    defaults: dict[str, str] = {}
    account_id = _runtime.setting(account_id, "STACKONE_LMS_ACCOUNT_ID")
    if account_id is not None:
        defaults["x-account-id"] = account_id
    if max_retries is not None and max_retries < 0:
        raise ValueError("max_retries must be 0 or more")
    return Settings(
        base_url=httpx.URL(str(url)),
        credentials=credentials,
        defaults=defaults,
        headers=dict(default_headers or {}),
        timeout=_runtime.as_timeout(timeout),
        max_retries=_runtime.DEFAULT_MAX_RETRIES if max_retries is None else max_retries,
        max_response_bytes=max_response_bytes,
    )


class Client:
    """Blocking client of the StackOne LMS API.

    Use it as a context manager, or call :meth:`close`, to release connections.
    """

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        username: str | None = None,
        password: str | None = None,
        account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int = _runtime.MAX_RESPONSE_BYTES,
    ) -> None:
        """Create a client.

        Args:
            base_url: Defaults to ``STACKONE_LMS_BASE_URL``, else https://api.stackone.com.
            username: Defaults to ``STACKONE_LMS_USERNAME``.
            password: Defaults to ``STACKONE_LMS_PASSWORD``.
            account_id: Default ``x-account-id`` header of every call; defaults to ``STACKONE_LMS_ACCOUNT_ID``.
            timeout: Seconds, or an ``httpx.Timeout``; default 60 s (10 s to connect).
            max_retries: Retries after connection errors, timeouts, 408, 429 and 5xx; default 2.
            http_client: An ``httpx.Client`` to send requests with, used as given.
            default_headers: Headers sent with every request.
            max_response_bytes: Larger responses are refused; default 50 MB.
        """
        self._settings = _settings(
            base_url=base_url,
            username=username,
            password=password,
            account_id=account_id,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            max_response_bytes=max_response_bytes,
        )
        self._owns_http_client = http_client is None
        self._http_client = (
            http_client if http_client is not None else httpx.Client(timeout=self._settings.timeout)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._settings.base_url)!r})"

    def close(self) -> None:
        """Close the underlying HTTP client if this client created it."""
        if self._owns_http_client:
            self._http_client.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def with_raw_response(self) -> ClientWithRawResponse:
        """The same methods, returning an :class:`ApiResponse` (status, headers, retries)."""
        return ClientWithRawResponse(self)

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

    def _request(self, operation: OperationSpec[T], call: _runtime.Call) -> ApiResponse[T]:
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

    def lms_batch_upsert_course(
        self,
        *,
        body: models.LmsBatchUpsertCourseRequestDto | Mapping[str, Any],
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> models.BatchResultApiModel:
        """Batch Upsert Course

        Creates or updates several courses at once in the learning platform behind the
        linked account. Each course is matched on its `external_reference`, so sending
        the same batch again updates the same courses instead of duplicating them. The
        platform accepts the batch for processing and answers 202; problems with
        individual items are listed in `errors`, one list of messages per item.

        ``POST /unified/lms/courses/batch``

        Args:
            body: The courses to create or update. A model or a plain dict;
                validated before sending, and sent exactly as given.
            x_account_id: Identifier of the StackOne linked account the request acts on. Defaults to the client's ``account_id``.
            timeout: Overrides the client's timeout for this call.
            max_retries: Overrides the client's retry count for this call.
            extra_headers: Headers added to (or replacing) the generated ones.

        Returns:
            models.BatchResultApiModel; ``with_raw_response`` gives the status, headers and retries too.

        Raises:
            errors.BadRequestError: The request was malformed or failed validation.
            errors.UnauthorizedError: The credentials are missing or wrong.
            errors.ForbiddenError: The credentials are valid but may not perform this request.
            errors.NotFoundError: The resource or the linked account does not exist.
            errors.RequestTimeoutError: The request took too long; it may be sent again.
            errors.ConflictError: The request conflicts with the current state of the resource.
            errors.PreconditionFailedError: The linked account belongs to an integration that is disabled.
            errors.UnprocessableEntityError: The request was well formed but could not be processed.
            errors.TooManyRequestsError: Too many requests were sent; slow down and try again later.
            errors.InternalServerError: StackOne or the provider failed unexpectedly.
            errors.ApiNotImplementedError: The provider behind the linked account does not support this operation.
            errors.BadGatewayError: The provider behind the linked account answered with an invalid response.
            errors.APIStatusError: Any other non-success status.
            errors.APIConnectionError: The API could not be reached.
        """
        response = self._request(
            _operations.LMS_BATCH_UPSERT_COURSE,
            _runtime.Call(
                headers={
                    "x-account-id": x_account_id,
                },
                body=body,
                options=_runtime.RequestOptions(timeout, max_retries, extra_headers),
            ),
        )
        return response.parsed

    def lms_batch_upsert_course_in_batches(
        self,
        items: Iterable[models.LmsUpsertCourseRequestDto | Mapping[str, Any]],
        *,
        batch_size: int = 100,
        max_concurrency: int = 4,
        on_progress: ProgressCallback | None = None,
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchReport:
        """Send ``items`` through :meth:`lms_batch_upsert_course`, ``batch_size`` at a time.

        ``items`` may be any iterable, a generator over a huge file included: it is
        read lazily, and at most ``batch_size * max_concurrency`` items are held at
        once. Each batch gets the usual retries; a batch that still fails marks all
        of its items failed and the other batches go on. The upsert is keyed by
        each item's ``external_reference``, so sending a batch again is safe.

        Returns:
            A BatchReport: ``total``, ``succeeded``, ``failed`` (``index``, ``item``,
            ``messages``) and one outcome per batch.
        """

        def send(chunk: list[Any]) -> Any:
            return self.lms_batch_upsert_course(
                body={"items": chunk},
                x_account_id=x_account_id,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )

        return self._run_batches(send, items, batch_size, max_concurrency, on_progress)


class AsyncClient:
    """Asynchronous client of the StackOne LMS API; the twin of :class:`Client`.

    Use it as an async context manager, or await :meth:`close`.
    """

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        username: str | None = None,
        password: str | None = None,
        account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int = _runtime.MAX_RESPONSE_BYTES,
    ) -> None:
        """Create a client.

        Args:
            base_url: Defaults to ``STACKONE_LMS_BASE_URL``, else https://api.stackone.com.
            username: Defaults to ``STACKONE_LMS_USERNAME``.
            password: Defaults to ``STACKONE_LMS_PASSWORD``.
            account_id: Default ``x-account-id`` header of every call; defaults to ``STACKONE_LMS_ACCOUNT_ID``.
            timeout: Seconds, or an ``httpx.Timeout``; default 60 s (10 s to connect).
            max_retries: Retries after connection errors, timeouts, 408, 429 and 5xx; default 2.
            http_client: An ``httpx.AsyncClient`` to send requests with, used as given.
            default_headers: Headers sent with every request.
            max_response_bytes: Larger responses are refused; default 50 MB.
        """
        self._settings = _settings(
            base_url=base_url,
            username=username,
            password=password,
            account_id=account_id,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            max_response_bytes=max_response_bytes,
        )
        self._owns_http_client = http_client is None
        self._http_client = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=self._settings.timeout)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._settings.base_url)!r})"

    async def close(self) -> None:
        """Close the underlying HTTP client if this client created it."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def with_raw_response(self) -> AsyncClientWithRawResponse:
        """The same methods, returning an :class:`ApiResponse` (status, headers, retries)."""
        return AsyncClientWithRawResponse(self)

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

    async def _request(self, operation: OperationSpec[T], call: _runtime.Call) -> ApiResponse[T]:
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

    async def lms_batch_upsert_course(
        self,
        *,
        body: models.LmsBatchUpsertCourseRequestDto | Mapping[str, Any],
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> models.BatchResultApiModel:
        """Batch Upsert Course

        Creates or updates several courses at once in the learning platform behind the
        linked account. Each course is matched on its `external_reference`, so sending
        the same batch again updates the same courses instead of duplicating them. The
        platform accepts the batch for processing and answers 202; problems with
        individual items are listed in `errors`, one list of messages per item.

        ``POST /unified/lms/courses/batch``

        Args:
            body: The courses to create or update. A model or a plain dict;
                validated before sending, and sent exactly as given.
            x_account_id: Identifier of the StackOne linked account the request acts on. Defaults to the client's ``account_id``.
            timeout: Overrides the client's timeout for this call.
            max_retries: Overrides the client's retry count for this call.
            extra_headers: Headers added to (or replacing) the generated ones.

        Returns:
            models.BatchResultApiModel; ``with_raw_response`` gives the status, headers and retries too.

        Raises:
            errors.BadRequestError: The request was malformed or failed validation.
            errors.UnauthorizedError: The credentials are missing or wrong.
            errors.ForbiddenError: The credentials are valid but may not perform this request.
            errors.NotFoundError: The resource or the linked account does not exist.
            errors.RequestTimeoutError: The request took too long; it may be sent again.
            errors.ConflictError: The request conflicts with the current state of the resource.
            errors.PreconditionFailedError: The linked account belongs to an integration that is disabled.
            errors.UnprocessableEntityError: The request was well formed but could not be processed.
            errors.TooManyRequestsError: Too many requests were sent; slow down and try again later.
            errors.InternalServerError: StackOne or the provider failed unexpectedly.
            errors.ApiNotImplementedError: The provider behind the linked account does not support this operation.
            errors.BadGatewayError: The provider behind the linked account answered with an invalid response.
            errors.APIStatusError: Any other non-success status.
            errors.APIConnectionError: The API could not be reached.
        """
        response = await self._request(
            _operations.LMS_BATCH_UPSERT_COURSE,
            _runtime.Call(
                headers={
                    "x-account-id": x_account_id,
                },
                body=body,
                options=_runtime.RequestOptions(timeout, max_retries, extra_headers),
            ),
        )
        return response.parsed

    async def lms_batch_upsert_course_in_batches(
        self,
        items: Iterable[models.LmsUpsertCourseRequestDto | Mapping[str, Any]],
        *,
        batch_size: int = 100,
        max_concurrency: int = 4,
        on_progress: ProgressCallback | None = None,
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchReport:
        """Send ``items`` through :meth:`lms_batch_upsert_course`, ``batch_size`` at a time.

        ``items`` may be any iterable, a generator over a huge file included: it is
        read lazily, and at most ``batch_size * max_concurrency`` items are held at
        once. Each batch gets the usual retries; a batch that still fails marks all
        of its items failed and the other batches go on. The upsert is keyed by
        each item's ``external_reference``, so sending a batch again is safe.

        Returns:
            A BatchReport: ``total``, ``succeeded``, ``failed`` (``index``, ``item``,
            ``messages``) and one outcome per batch.
        """

        async def send(chunk: list[Any]) -> Any:
            return await self.lms_batch_upsert_course(
                body={"items": chunk},
                x_account_id=x_account_id,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )

        return await self._run_batches(send, items, batch_size, max_concurrency, on_progress)


class ClientWithRawResponse:
    """:class:`Client`'s methods, returning the :class:`ApiResponse` instead of only the parsed body."""

    def __init__(self, client: Client) -> None:
        self.lms_batch_upsert_course = _runtime.raw_response(client.lms_batch_upsert_course)


class AsyncClientWithRawResponse:
    """:class:`AsyncClient`'s methods, returning the :class:`ApiResponse` instead of only the parsed body."""

    def __init__(self, client: AsyncClient) -> None:
        self.lms_batch_upsert_course = _runtime.async_raw_response(client.lms_batch_upsert_course)
