"""Typed Python client of the StackOne LMS API (version 1.0.0).

Generated from the API's OpenAPI document; do not edit by hand.
"""

from . import errors, models
from ._batching import BatchInterrupted, BatchOutcome, BatchReport, FailedItem, ItemResult
from ._client import AsyncClient, AsyncClientWithRawResponse, Client, ClientWithRawResponse
from ._hooks import Hooks
from ._runtime import APIResponse

__all__ = [
    "APIResponse",
    "AsyncClient",
    "AsyncClientWithRawResponse",
    "BatchInterrupted",
    "BatchOutcome",
    "BatchReport",
    "Client",
    "ClientWithRawResponse",
    "FailedItem",
    "Hooks",
    "ItemResult",
    "errors",
    "models",
]

__version__ = "1.0.0"
#: What made this package: fingerprints of its spec (with the options chosen) and of the generator.
__generated_from__ = {
    "spec": "cc4dafa25d5e043219d29f6138c0c191df6873befdf45bef5fe23dc2e3856268",
    "generator": "dedb08e306e065170beb1790da6c5335d7d18d17c158d206b63eb08517345ba3",
}
