"""The exceptions of every generated client, the same whatever its API::

    APIError                          every failure of a call
    ├── RequestValidationError        (also a ValueError) the request is invalid; nothing was sent
    ├── APIConnectionError            the server could not be reached, or the connection broke
    │   └── APITimeoutError
    ├── APIResponseTooLargeError      the body is larger than ``max_response_bytes``
    ├── APIResponseDecodingError      the body's ``Content-Encoding`` is broken or unknown
    ├── APIResponseValidationError    a success whose body does not match its model
    └── APIStatusError                any other non-success status
        ├── BadRequestError           400
        ├── AuthenticationError       401
        ├── PermissionDeniedError     403
        ├── NotFoundError             404
        ├── ConflictError             409
        ├── UnprocessableEntityError  422
        ├── RateLimitError            429
        └── InternalServerError       500 and every other 5xx

A status the API declares beyond these gets its own class in the package's ``errors``
module (which re-exports these): under :class:`InternalServerError` for a 5xx, else under
:class:`APIStatusError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the generator imports this module to name the classes, without httpx
    import httpx

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
    "status_error_class",
]


class APIError(Exception):
    """Base class of every error this package raises."""

    message: str
    #: The request that failed, when one was built.
    request: httpx.Request | None
    #: How many times the request was sent again before giving up.
    retries_taken: int

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, retries_taken: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
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
    """An error about a response that arrived."""

    response: httpx.Response
    status_code: int
    headers: httpx.Headers
    #: The parsed error model when the body matches the declared schema, else the raw text.
    body: Any

    def __init__(
        self, message: str, *, response: httpx.Response, body: Any, retries_taken: int = 0
    ) -> None:
        super().__init__(message, request=response.request, retries_taken=retries_taken)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body


class APIResponseValidationError(_ResponseError):
    """A successful response whose body is not valid JSON or does not match the declared model."""


class APIStatusError(_ResponseError):
    """The API answered with a non-success status."""

    #: Seconds the server asked to wait (``Retry-After``), when it said so.
    retry_after: float | None = None


class BadRequestError(APIStatusError):
    """HTTP 400 Bad Request."""


class AuthenticationError(APIStatusError):
    """HTTP 401 Unauthorized: the credentials are missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403 Forbidden: the credentials do not allow this."""


class NotFoundError(APIStatusError):
    """HTTP 404 Not Found."""


class ConflictError(APIStatusError):
    """HTTP 409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """HTTP 429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """HTTP 500 or any other 5xx status: the server failed."""


#: The class of each status every client knows, whatever its API declares.
FIXED_STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
}


def status_error_class(
    status: int, classes: Mapping[int, type[APIStatusError]]
) -> type[APIStatusError]:
    """The class raised for ``status``: its own in ``classes``, else the 5xx one or :class:`APIStatusError`."""
    found = classes.get(status)
    if found is not None:
        return found
    return InternalServerError if 500 <= status <= 599 else APIStatusError
