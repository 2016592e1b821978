"""Exceptions raised by the stackone_lms client::

    APIError
    ├── RequestValidationError
    ├── APIConnectionError
    │   └── APITimeoutError
    ├── APIResponseTooLargeError
    ├── APIResponseDecodingError
    ├── APIResponseValidationError
    └── APIStatusError
        ├── BadRequestError             400
        ├── AuthenticationError         401
        ├── PermissionDeniedError       403
        ├── NotFoundError               404
        ├── ConflictError               409
        ├── UnprocessableEntityError    422
        ├── RateLimitError              429
        ├── InternalServerError         500 and every other 5xx
        │   ├── APINotImplementedError  501
        │   └── BadGatewayError         502
        ├── RequestTimeoutError         408
        └── PreconditionFailedError     412

Every client has the same classes; a status the API declares beyond them has its own
(under :class:`InternalServerError` for a 5xx). Each error of a response has ``.response``,
``.status_code``, ``.headers``, ``.body`` and ``.retries_taken``.
"""

from __future__ import annotations

from ._exceptions import (
    FIXED_STATUS_ERRORS,
    APIConnectionError,
    APIError,
    APIResponseDecodingError,
    APIResponseTooLargeError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
)

__all__ = [
    "FIXED_STATUS_ERRORS",
    "APIConnectionError",
    "APIError",
    "APIResponseDecodingError",
    "APIResponseTooLargeError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "UnprocessableEntityError",
    "RequestTimeoutError",
    "PreconditionFailedError",
    "APINotImplementedError",
    "BadGatewayError",
    "STATUS_ERRORS",
]

# Named where they are caught: ``stackone_lms.errors.NotFoundError`` in tracebacks and reprs.
for _error in (
    APIConnectionError,
    APIError,
    APIResponseDecodingError,
    APIResponseTooLargeError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
):
    _error.__module__ = __name__


class RequestTimeoutError(APIStatusError):
    """HTTP 408 Request Timeout."""


class PreconditionFailedError(APIStatusError):
    """HTTP 412 Precondition Failed."""


class APINotImplementedError(InternalServerError):
    """HTTP 501 Not Implemented."""


class BadGatewayError(InternalServerError):
    """HTTP 502 Bad Gateway."""


#: The exception class raised for each status: the fixed ones and those the API declares
#: (any other 5xx raises :class:`InternalServerError`, any other status :class:`APIStatusError`).
STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    **FIXED_STATUS_ERRORS,
    408: RequestTimeoutError,
    412: PreconditionFailedError,
    501: APINotImplementedError,
    502: BadGatewayError,
}
