"""Typed Python client of the StackOne LMS API (version 1.0.0).

Generated from the API's OpenAPI document; do not edit by hand.
"""

from . import errors, models
from ._batching import BatchInterrupted, BatchOutcome, BatchReport, FailedItem, ItemResult
from ._client import AsyncClient, AsyncClientWithRawResponse, Client, ClientWithRawResponse
from ._runtime import ApiResponse

__all__ = [
    "ApiResponse",
    "AsyncClient",
    "AsyncClientWithRawResponse",
    "BatchInterrupted",
    "BatchOutcome",
    "BatchReport",
    "Client",
    "ClientWithRawResponse",
    "FailedItem",
    "ItemResult",
    "errors",
    "models",
]

__version__ = "1.0.0"
