"""Typed Python client of the StackOne LMS API (version 1.0.0).

Generated from the API's OpenAPI document; do not edit by hand.
"""

from . import errors, models
from ._batching import BatchInterrupted, BatchOutcome, BatchReport, FailedItem, ItemResult
from ._client import AsyncClient, AsyncClientWithRawResponse, Client, ClientWithRawResponse
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
    "ItemResult",
    "errors",
    "models",
]

__version__ = "1.0.0"
#: What made this package: fingerprints of its spec (with the options chosen) and of the generator.
__generated_from__ = {
    "spec": "6b03a5f4cf8ad6cc7e74f419eac53b4c78caf40937925c87404ef9077a1988b6",
    "generator": "8abc5c3a1f689ec3feba53b7faa94b662c97c8e4191cff42dd8099ee8128e4d8",
}
