"""Exceptions raised by the stackone_lms client.

Everything derives from :class:`APIError`. Failed HTTP exchanges raise
:class:`APIStatusError` or, for a status the API declares, one of its subclasses.
"""

from __future__ import annotations

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseDecodingError,
    APIResponseTooLargeError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    RequestValidationError,
)

__all__ = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
    "APIResponseTooLargeError",
    "APIResponseDecodingError",
    "APIStatusError",
    "BadRequestError",
    "UnauthorizedError",
    "ForbiddenError",
    "NotFoundError",
    "RequestTimeoutError",
    "ConflictError",
    "PreconditionFailedError",
    "UnprocessableEntityError",
    "TooManyRequestsError",
    "InternalServerError",
    "ApiNotImplementedError",
    "BadGatewayError",
    "RequestValidationError",
    "STATUS_ERRORS",
]


class BadRequestError(APIStatusError):
    """HTTP 400 Bad Request."""


class UnauthorizedError(APIStatusError):
    """HTTP 401 Unauthorized."""


class ForbiddenError(APIStatusError):
    """HTTP 403 Forbidden."""


class NotFoundError(APIStatusError):
    """HTTP 404 Not Found."""


class RequestTimeoutError(APIStatusError):
    """HTTP 408 Request Timeout."""


class ConflictError(APIStatusError):
    """HTTP 409 Conflict."""


class PreconditionFailedError(APIStatusError):
    """HTTP 412 Precondition Failed."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422 Unprocessable Entity."""


class TooManyRequestsError(APIStatusError):
    """HTTP 429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """HTTP 500 Internal Server Error."""


class ApiNotImplementedError(APIStatusError):
    """HTTP 501 Not Implemented."""


class BadGatewayError(APIStatusError):
    """HTTP 502 Bad Gateway."""


#: The exception class raised for each status the API declares.
STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: UnprocessableEntityError,
    429: TooManyRequestsError,
    500: InternalServerError,
    501: ApiNotImplementedError,
    502: BadGatewayError,
}
