"""Exceptions raised by the stackone_lms client.

Everything derives from :class:`APIError`. Failed HTTP exchanges raise
:class:`APIStatusError` or, for a status the API declares, one of its subclasses.
"""

from __future__ import annotations

from typing import Any

import httpx

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


class APIError(Exception):
    """Base class of every error this package raises."""

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, retries_taken: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        #: How many times the request was sent again before giving up.
        self.retries_taken = retries_taken


class RequestValidationError(APIError, ValueError):
    """The request failed local validation; nothing was sent."""


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke before a response arrived."""


class APITimeoutError(APIConnectionError):
    """The request timed out; raise ``timeout`` or try again later."""


class APIResponseTooLargeError(APIError):
    """The response body was larger than the client's ``max_response_bytes``; it was not read."""


class APIResponseDecodingError(APIError):
    """The response body could not be decoded: a broken or unsupported ``Content-Encoding``."""


class _ResponseError(APIError):
    def __init__(
        self, message: str, *, response: httpx.Response, body: Any, retries_taken: int = 0
    ) -> None:
        super().__init__(message, request=response.request, retries_taken=retries_taken)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        #: The parsed error model when the body matches the declared schema, else the raw text.
        self.body = body


class APIResponseValidationError(_ResponseError):
    """A successful response whose body is not valid JSON or does not match the declared model."""


class APIStatusError(_ResponseError):
    """The API answered with a non-success status."""

    #: Seconds the server asked to wait (``Retry-After``), when it said so.
    retry_after: float | None = None


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
