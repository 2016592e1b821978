"""Typed Python client of the StackOne LMS API (version 1.0.0).

Generated from the API's OpenAPI document; do not edit by hand.
"""

from typing import TYPE_CHECKING, Any

from . import errors, models
from ._client import AsyncClient, AsyncClientWithRawResponse, Client, ClientWithRawResponse
from ._hooks import Hooks
from ._runtime import APIResponse

if TYPE_CHECKING:
    from ._batching import BatchInterrupted, BatchOutcome, BatchReport, FailedItem, ItemResult

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
    "generator": "270c36e4f6d0014ab8426289c288d20ab03d10b8ae948c9d4b28d88b52eaceda",
}


def __getattr__(name: str) -> Any:
    # The bulk helpers' types come with their module, on first use: most programs never need it.
    if name in ("BatchInterrupted", "BatchOutcome", "BatchReport", "FailedItem", "ItemResult"):
        from . import _batching

        return getattr(_batching, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
