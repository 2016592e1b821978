"""The exceptions every generated client raises, whatever its API.

The package's ``errors`` module re-exports them beside the classes of the statuses its API declares.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseDecodingError",
    "APIResponseTooLargeError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "RequestValidationError",
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
