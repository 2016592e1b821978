"""The courses operations of the StackOne LMS API: what the client knows about them, and their methods."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .. import models
from .._batching import BatchCallback, BatchOptions, BatchReport, ProgressCallback
from .._runtime import Call, OperationSpec, RequestOptions
from .._transport import AsyncTransport, SyncTransport

_ERRORS_0: dict[int, str] = {
    400: "BadRequestResponse",
    401: "UnauthorizedResponse",
    403: "ForbiddenResponse",
    404: "NotFoundResponse",
    408: "RequestTimedOutResponse",
    409: "ConflictResponse",
    412: "PreconditionFailedResponse",
    422: "UnprocessableEntityResponse",
    429: "TooManyRequestsResponse",
    500: "InternalServerErrorResponse",
    501: "NotImplementedResponse",
    502: "BadGatewayResponse",
}


LMS_BATCH_UPSERT_COURSE: OperationSpec[models.BatchResultApiModel] = OperationSpec(
    name="lms_batch_upsert_course",
    method="POST",
    path="/unified/lms/courses/batch",
    body_model_name="LmsBatchUpsertCourseRequestDto",
    success_kinds={
        202: ("json", "BatchResultApiModel"),
    },
    error_model_names=_ERRORS_0,
    body_kind="json",
    content_type="application/json",
    retry_statuses=frozenset({408, 429}),
    required_headers=frozenset({"x-account-id"}),
    security=(("basic",),),
    body_required=True,
    batch_items="items",
    batch_errors="errors",
)


class SyncMethods(SyncTransport):
    """The courses operations, as methods of :class:`~stackone_lms.Client`."""

    def lms_batch_upsert_course(
        self,
        *,
        body: models.LmsBatchUpsertCourseRequestDto | Mapping[str, Any],
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
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
            extra_query: Query parameters added to (or replacing, by name) the generated ones;
                a list repeats the name, ``None`` removes it.
            extra_body: Fields merged (top level, replacing) into a JSON object body after it
                is validated, or added to a form or multipart body; refused for other bodies.

        Returns:
            models.BatchResultApiModel; ``with_raw_response`` gives the status, headers and retries too.

        Raises:
            errors.BadRequestError: The request was malformed or failed validation.
            errors.AuthenticationError: The credentials are missing or wrong.
            errors.PermissionDeniedError: The credentials are valid but may not perform this request.
            errors.NotFoundError: The resource or the linked account does not exist.
            errors.RequestTimeoutError: The request took too long; it may be sent again.
            errors.ConflictError: The request conflicts with the current state of the resource.
            errors.PreconditionFailedError: The linked account belongs to an integration that is disabled.
            errors.UnprocessableEntityError: The request was well formed but could not be processed.
            errors.RateLimitError: Too many requests were sent; slow down and try again later.
            errors.InternalServerError: StackOne or the provider failed unexpectedly.
            errors.APINotImplementedError: The provider behind the linked account does not support this operation.
            errors.BadGatewayError: The provider behind the linked account answered with an invalid response.
            errors.APIStatusError: Any other non-success status.
            errors.APIConnectionError: The API could not be reached.
        """
        return self._call(
            LMS_BATCH_UPSERT_COURSE,
            Call(
                headers={"x-account-id": x_account_id},
                body=body,
                options=RequestOptions(
                    timeout, max_retries, extra_headers, extra_query, extra_body
                ),
            ),
        )

    def lms_batch_upsert_course_in_batches(
        self,
        items: Iterable[models.LmsUpsertCourseRequestDto | Mapping[str, Any]],
        *,
        batch_size: int = 100,
        max_concurrency: int = 4,
        on_progress: ProgressCallback | None = None,
        on_batch: BatchCallback | None = None,
        keep_failed: bool = True,
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> BatchReport:
        """Send ``items`` through :meth:`lms_batch_upsert_course`, ``batch_size`` at a time.

        ``items`` may be any iterable, a generator over a huge file
        included: it is read lazily, and at most ``batch_size * max_concurrency`` items
        are held at once. Each batch gets the usual retries; a batch that still fails
        (with any exception) marks all of its items failed and the other batches go on.
        The answer's ``errors`` gives one list of messages per item.
        The API matches items on ``external_reference``, so sending a batch again
        updates the same records instead of duplicating them.
        ``on_batch`` receives each batch's outcome and item results as they come;
        with ``keep_failed=False`` the report only counts failures, so memory stays flat.
        The first Ctrl-C stops reading ``items`` and lets the batches in flight finish,
        a second abandons them; then ``BatchInterrupted`` carries the report.

        Returns:
            A BatchReport: ``total``, ``succeeded``, ``unverified``, ``failed_count``,
            ``failed`` (``index``, ``item``, ``messages``) and one outcome per batch.
        """

        def _send(_chunk: list[Any]) -> Any:
            return self._call(
                LMS_BATCH_UPSERT_COURSE,
                Call(
                    headers={"x-account-id": x_account_id},
                    body={"items": _chunk},
                    options=RequestOptions(
                        timeout, max_retries, extra_headers, extra_query, extra_body
                    ),
                ),
            )

        _options = BatchOptions(batch_size, max_concurrency, on_progress, on_batch, keep_failed)
        return self._run_batches(LMS_BATCH_UPSERT_COURSE, _send, items, _options)


class AsyncMethods(AsyncTransport):
    """The courses operations, as methods of :class:`~stackone_lms.AsyncClient`."""

    async def lms_batch_upsert_course(
        self,
        *,
        body: models.LmsBatchUpsertCourseRequestDto | Mapping[str, Any],
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
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
            extra_query: Query parameters added to (or replacing, by name) the generated ones;
                a list repeats the name, ``None`` removes it.
            extra_body: Fields merged (top level, replacing) into a JSON object body after it
                is validated, or added to a form or multipart body; refused for other bodies.

        Returns:
            models.BatchResultApiModel; ``with_raw_response`` gives the status, headers and retries too.

        Raises:
            errors.BadRequestError: The request was malformed or failed validation.
            errors.AuthenticationError: The credentials are missing or wrong.
            errors.PermissionDeniedError: The credentials are valid but may not perform this request.
            errors.NotFoundError: The resource or the linked account does not exist.
            errors.RequestTimeoutError: The request took too long; it may be sent again.
            errors.ConflictError: The request conflicts with the current state of the resource.
            errors.PreconditionFailedError: The linked account belongs to an integration that is disabled.
            errors.UnprocessableEntityError: The request was well formed but could not be processed.
            errors.RateLimitError: Too many requests were sent; slow down and try again later.
            errors.InternalServerError: StackOne or the provider failed unexpectedly.
            errors.APINotImplementedError: The provider behind the linked account does not support this operation.
            errors.BadGatewayError: The provider behind the linked account answered with an invalid response.
            errors.APIStatusError: Any other non-success status.
            errors.APIConnectionError: The API could not be reached.
        """
        return await self._call(
            LMS_BATCH_UPSERT_COURSE,
            Call(
                headers={"x-account-id": x_account_id},
                body=body,
                options=RequestOptions(
                    timeout, max_retries, extra_headers, extra_query, extra_body
                ),
            ),
        )

    async def lms_batch_upsert_course_in_batches(
        self,
        items: (
            Iterable[models.LmsUpsertCourseRequestDto | Mapping[str, Any]]
            | AsyncIterable[models.LmsUpsertCourseRequestDto | Mapping[str, Any]]
        ),
        *,
        batch_size: int = 100,
        max_concurrency: int = 4,
        on_progress: ProgressCallback | None = None,
        on_batch: BatchCallback | None = None,
        keep_failed: bool = True,
        x_account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> BatchReport:
        """Send ``items`` through :meth:`lms_batch_upsert_course`, ``batch_size`` at a time.

        ``items`` may be any iterable (or async iterable), a generator over a huge file
        included: it is read lazily, and at most ``batch_size * max_concurrency`` items
        are held at once. Each batch gets the usual retries; a batch that still fails
        (with any exception) marks all of its items failed and the other batches go on.
        The answer's ``errors`` gives one list of messages per item.
        The API matches items on ``external_reference``, so sending a batch again
        updates the same records instead of duplicating them.
        ``on_batch`` receives each batch's outcome and item results as they come;
        with ``keep_failed=False`` the report only counts failures, so memory stays flat.
        Cancelling the call abandons the batches in flight; they are reported failed
        to ``on_batch``.

        Returns:
            A BatchReport: ``total``, ``succeeded``, ``unverified``, ``failed_count``,
            ``failed`` (``index``, ``item``, ``messages``) and one outcome per batch.
        """

        async def _send(_chunk: list[Any]) -> Any:
            return await self._call(
                LMS_BATCH_UPSERT_COURSE,
                Call(
                    headers={"x-account-id": x_account_id},
                    body={"items": _chunk},
                    options=RequestOptions(
                        timeout, max_retries, extra_headers, extra_query, extra_body
                    ),
                ),
            )

        _options = BatchOptions(batch_size, max_concurrency, on_progress, on_batch, keep_failed)
        return await self._run_batches(LMS_BATCH_UPSERT_COURSE, _send, items, _options)


if TYPE_CHECKING:
    # The group's part of the client's with_raw_response and with_streaming_response, for type
    # checkers; at run time those wrap each method on first use.
    from .._runtime import raw_response
    from .._streams import async_streaming_response, streaming_response

    class SyncRawResponses:
        def __init__(self, client: SyncMethods) -> None:
            self.lms_batch_upsert_course = raw_response(client.lms_batch_upsert_course)

    class SyncStreamingResponses:
        def __init__(self, client: SyncMethods) -> None:
            self.lms_batch_upsert_course = streaming_response(client.lms_batch_upsert_course)

    class AsyncRawResponses:
        def __init__(self, client: AsyncMethods) -> None:
            self.lms_batch_upsert_course = raw_response(client.lms_batch_upsert_course)

    class AsyncStreamingResponses:
        def __init__(self, client: AsyncMethods) -> None:
            self.lms_batch_upsert_course = async_streaming_response(client.lms_batch_upsert_course)
