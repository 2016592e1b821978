"""What the client knows about each operation of the StackOne LMS API."""

from __future__ import annotations

from typing import Any

from . import models
from ._runtime import OperationSpec

__all__ = ["LMS_BATCH_UPSERT_COURSE", "OPERATIONS"]

# Error models by status; operations that declare the same errors share one table.
_ERRORS_0: dict[int, Any] = {
    400: models.BadRequestResponse,
    401: models.UnauthorizedResponse,
    403: models.ForbiddenResponse,
    404: models.NotFoundResponse,
    408: models.RequestTimedOutResponse,
    409: models.ConflictResponse,
    412: models.PreconditionFailedResponse,
    422: models.UnprocessableEntityResponse,
    429: models.TooManyRequestsResponse,
    500: models.InternalServerErrorResponse,
    501: models.NotImplementedResponse,
    502: models.BadGatewayResponse,
}


LMS_BATCH_UPSERT_COURSE: OperationSpec[models.BatchResultApiModel] = OperationSpec(
    name="lms_batch_upsert_course",
    method="POST",
    path="/unified/lms/courses/batch",
    body_model=models.LmsBatchUpsertCourseRequestDto,
    successes={
        202: ("json", models.BatchResultApiModel),
    },
    error_models=_ERRORS_0,
    body_kind="json",
    content_type="application/json",
    retry_statuses=frozenset({408, 429}),
    required_headers=frozenset({"x-account-id"}),
    security=("basic",),
    deprecated=False,
)

#: Every operation, by method name.
OPERATIONS: dict[str, OperationSpec[Any]] = {
    "lms_batch_upsert_course": LMS_BATCH_UPSERT_COURSE,
}
