"""Bulk upserts: split any iterable of items into batches and report per item.

The bookkeeping lives here and is shared by both clients; they only decide how
batches run concurrently (threads or asyncio tasks).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import APIError

__all__ = ["BatchOutcome", "BatchReport", "FailedItem", "ProgressCallback"]


@dataclass(frozen=True)
class FailedItem:
    """An item the API did not take."""

    #: Position of the item in the input (0-based).
    index: int
    item: Any
    #: The API's messages for this item, or the error of its whole batch.
    messages: list[str]


@dataclass(frozen=True)
class BatchOutcome:
    """What happened to one batch."""

    number: int
    #: Position in the input of the batch's first item.
    start: int
    size: int
    accepted: bool
    #: Why the whole batch failed (after retries), when it did.
    error: APIError | None = None
    #: The per-item error lists exactly as the API returned them.
    raw_errors: list[list[str]] | None = None
    #: True when the API returned a number of error lists different from the batch
    #: size, so they cannot be matched to items; see ``raw_errors``.
    ambiguous: bool = False


@dataclass
class BatchReport:
    """The result of a bulk upsert."""

    total: int = 0
    succeeded: int = 0
    #: Items of ambiguous batches: accepted, but their errors could not be matched to them.
    unverified: int = 0
    failed: list[FailedItem] = field(default_factory=list)
    batches: list[BatchOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every item was accepted without an error."""
        return self.total == self.succeeded


#: Called after each batch with the report so far and the batch's outcome.
ProgressCallback = Callable[[BatchReport, BatchOutcome], None]


@dataclass(frozen=True)
class Batch:
    number: int
    start: int
    items: list[Any]


def batches(items: Iterable[Any], batch_size: int) -> Iterator[Batch]:
    """Consume ``items`` lazily, ``batch_size`` at a time."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    iterator = iter(items)
    for number in itertools.count():
        chunk = list(itertools.islice(iterator, batch_size))
        if not chunk:
            return
        yield Batch(number, number * batch_size, chunk)


class BatchRecorder:
    """Folds batch results into a :class:`BatchReport` (thread-safe)."""

    def __init__(self, on_progress: ProgressCallback | None) -> None:
        self.report = BatchReport()
        self._on_progress = on_progress
        self._lock = threading.Lock()

    def accepted(self, batch: Batch, errors: list[list[str]] | None) -> None:
        size = len(batch.items)
        has_messages = any(errors or ())
        ambiguous = has_messages and len(errors or ()) != size
        outcome = BatchOutcome(
            batch.number, batch.start, size, True, raw_errors=errors, ambiguous=ambiguous
        )
        with self._lock:
            self.report.total += size
            if ambiguous:
                self.report.unverified += size
            elif not has_messages:
                self.report.succeeded += size
            else:
                for offset, (item, messages) in enumerate(
                    zip(batch.items, errors or (), strict=True)
                ):
                    if messages:
                        self.report.failed.append(
                            FailedItem(batch.start + offset, item, list(messages))
                        )
                    else:
                        self.report.succeeded += 1
            self._finish(outcome)

    def failed(self, batch: Batch, error: APIError) -> None:
        outcome = BatchOutcome(batch.number, batch.start, len(batch.items), False, error=error)
        with self._lock:
            self.report.total += len(batch.items)
            self.report.failed.extend(
                FailedItem(batch.start + offset, item, [str(error)])
                for offset, item in enumerate(batch.items)
            )
            self._finish(outcome)

    def _finish(self, outcome: BatchOutcome) -> None:
        self.report.batches.append(outcome)
        if self._on_progress is not None:
            self._on_progress(self.report, outcome)

    def result(self) -> BatchReport:
        """The final report, batches and failures in input order."""
        self.report.batches.sort(key=lambda b: b.number)
        self.report.failed.sort(key=lambda f: f.index)
        return self.report


def item_errors(result: Any) -> list[list[str]] | None:
    """The per-item error lists of a batch result (``errors``: one list per item)."""
    errors = getattr(result, "errors", None)
    if isinstance(errors, list) and all(isinstance(entry, list) for entry in errors):
        return [[str(message) for message in entry] for entry in errors]
    return None
