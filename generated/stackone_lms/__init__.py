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
#: What made this package: fingerprints of its spec (with the options chosen) and of the generator.
__generated_from__ = {
    "spec": "6b03a5f4cf8ad6cc7e74f419eac53b4c78caf40937925c87404ef9077a1988b6",
    "generator": "c9afee8aaf49df25305deb6c8f0365618dda710dc789b3132d3cf3938a39fc58",
}
