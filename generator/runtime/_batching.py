"""Bulk upserts: split items into batches and account for every item sent.

The bookkeeping lives here and is shared by both clients; they only decide how
batches run concurrently (threads or asyncio tasks).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import pydantic

from . import errors
from ._response import wire_field
from ._runtime import OperationSpec

__all__ = [
    "BatchCallback",
    "BatchInterrupted",
    "BatchOutcome",
    "BatchReport",
    "FailedItem",
    "ItemResult",
    "ProgressCallback",
]

#: Longest error body or message a report keeps; longer ones are cut to an excerpt,
#: so that failing batches do not pile up whole responses in memory.
EXCERPT = 2000
#: Message of the items of a batch abandoned while it was being sent.
ABORTED = "interrupted before the API answered; the API may or may not have applied the batch"


@dataclass(frozen=True)
class FailedItem:
    """An item the API did not take."""

    #: Position of the item in the input (0-based).
    index: int
    item: Any
    #: The API's messages for this item, or the error of its whole batch.
    messages: list[str]


@dataclass(frozen=True)
class ItemResult:
    """What became of one item that was sent (see ``on_batch``)."""

    #: Position of the item in the input (0-based).
    index: int
    item: Any
    #: "unverified": the API took its batch but returned error lists that cannot be
    #: matched to the items.
    status: Literal["succeeded", "failed", "unverified"]
    messages: list[str]


@dataclass(frozen=True)
class BatchOutcome:
    """What happened to one batch."""

    number: int
    #: Position in the input of the batch's first item.
    start: int
    size: int
    accepted: bool
    #: Why the whole batch failed (after retries), when it did; kept without the request,
    #: the response content or the traceback, and with its body cut to an excerpt.
    error: Exception | None = None
    #: The per-item error lists as the API returned them, for an ambiguous batch.
    raw_errors: list[list[str]] | None = None
    #: True when the API returned a number of error lists different from the batch
    #: size, so they cannot be matched to items; see ``raw_errors``.
    ambiguous: bool = False


@dataclass
class BatchReport:
    """The result of a bulk upsert: every item sent is counted once."""

    total: int = 0
    succeeded: int = 0
    #: Items of ambiguous batches: accepted, but their errors could not be matched to them.
    unverified: int = 0
    #: How many items failed; their details are in ``failed`` unless ``keep_failed=False``.
    failed_count: int = 0
    failed: list[FailedItem] = field(default_factory=list)
    batches: list[BatchOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every item was accepted without an error."""
        return self.total == self.succeeded


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a bulk upsert; ``report`` accounts for every item sent.

    The first Ctrl-C stops reading items and lets the batches in flight finish;
    a second one abandons them (their items are reported failed).
    """

    def __init__(self, report: BatchReport) -> None:
        super().__init__("bulk upsert interrupted")
        self.report = report


#: Called after each batch with the report so far and the batch's outcome.
ProgressCallback = Callable[[BatchReport, BatchOutcome], None]
#: Called after each batch with its outcome and the result of each of its items.
BatchCallback = Callable[[BatchOutcome, list[ItemResult]], None]


@dataclass(frozen=True)
class BatchOptions:
    """How a bulk upsert runs, as given to ``<method>_in_batches``."""

    batch_size: int
    max_concurrency: int
    on_progress: ProgressCallback | None
    on_batch: BatchCallback | None
    keep_failed: bool

    def recorder(self, operation: OperationSpec[Any]) -> BatchRecorder:
        check_limits(self.batch_size, self.max_concurrency)
        return BatchRecorder(
            operation.batch_errors, self.on_progress, self.on_batch, self.keep_failed
        )


@dataclass(frozen=True)
class Batch:
    number: int
    start: int
    items: list[Any]


def batches(items: Iterable[Any], batch_size: int) -> Iterator[Batch]:
    """Consume ``items`` lazily, ``batch_size`` at a time."""
    iterator = iter(items)
    for number in itertools.count():
        chunk = list(itertools.islice(iterator, batch_size))
        if not chunk:
            return
        yield Batch(number, number * batch_size, chunk)


async def async_batches(
    items: Iterable[Any] | AsyncIterable[Any], batch_size: int
) -> AsyncIterator[Batch]:
    """:func:`batches` of a plain or an asynchronous iterable."""
    if not isinstance(items, AsyncIterable):
        for batch in batches(items, batch_size):
            yield batch
        return
    chunk: list[Any] = []
    number = 0
    async for item in items:
        chunk.append(item)
        if len(chunk) == batch_size:
            yield Batch(number, number * batch_size, chunk)
            chunk, number = [], number + 1
    if chunk:
        yield Batch(number, number * batch_size, chunk)


def check_limits(batch_size: int, max_concurrency: int) -> None:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if max_concurrency < 1:
        raise ValueError("max_concurrency must be at least 1")


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "..."


def detached(error: Exception) -> Exception:
    """``error`` without what would keep its batch in memory: frames, chained errors, the exchange."""
    error.__traceback__ = None
    error.__context__ = error.__cause__ = None
    if isinstance(error, errors.APIError):
        error.request = None
    if isinstance(error, (errors.APIStatusError, errors.APIResponseValidationError)):
        # Status and headers stay; the request (holding the batch) and the content go.
        error.response = httpx.Response(error.status_code, headers=error.headers)
        body = error.body
        if isinstance(body, pydantic.BaseModel):
            text = body.model_dump_json()
            if len(text) > EXCERPT:
                error.body = _excerpt(text)
        elif isinstance(body, str | bytes) and len(body) > EXCERPT:
            error.body = body[:EXCERPT]
    return error


def error_message(error: Exception) -> str:
    """One line about why a batch failed; an exception the client does not type is named."""
    text = str(error) if isinstance(error, errors.APIError) else f"{type(error).__name__}: {error}"
    return _excerpt(text)


def item_errors(result: Any, field_name: str | None) -> list[list[str]] | None:
    """The per-item error lists of a batch result (``field_name``: one list per item)."""
    entries = wire_field(result, field_name) if field_name else None
    if isinstance(entries, list) and all(isinstance(entry, list) for entry in entries):
        return [[_excerpt(str(message)) for message in entry] for entry in entries]
    return None


class BatchRecorder:
    """Folds batch results into a :class:`BatchReport` as they come (thread-safe).

    It knows the batches in flight, so that an interrupted run can wait for them
    or abandon them, and it ignores a result that arrives after its batch was abandoned.
    """

    def __init__(
        self,
        errors_field: str | None,
        on_progress: ProgressCallback | None,
        on_batch: BatchCallback | None,
        keep_failed: bool,
    ) -> None:
        self.report = BatchReport()
        self._errors_field = errors_field
        self._on_progress = on_progress
        self._on_batch = on_batch
        self._keep_failed = keep_failed
        # Re-entrant: the Ctrl-C handler takes it in the main thread, which may hold it already.
        self._changed = threading.Condition(threading.RLock())
        #: Ctrl-C presses during the run.
        self.interrupts = 0
        #: Batch number -> (batch, whether it is being sent).
        self._in_flight: dict[int, tuple[Batch, bool]] = {}
        #: The first exception of a callback: the run stops reading and re-raises it.
        self.failure: BaseException | None = None

    def start(self, batch: Batch) -> None:
        """``batch`` was handed to a thread or task."""
        with self._changed:
            self._in_flight[batch.number] = (batch, False)

    def sending(self, batch: Batch) -> bool:
        """Whether ``batch`` may be sent (it was not dropped by an interrupt meanwhile)."""
        with self._changed:
            if batch.number not in self._in_flight:
                return False
            self._in_flight[batch.number] = (batch, True)
            return True

    def interrupt(self) -> int:
        """Count a Ctrl-C and wake the run: the first stops reading, the second abandons what is in flight."""
        with self._changed:
            self.interrupts += 1
            self._changed.notify_all()
            return self.interrupts

    def wait_for_slot(self, limit: int) -> None:
        """Block until fewer than ``limit`` batches are in flight, or Ctrl-C."""
        with self._changed:
            while len(self._in_flight) >= limit and not self.interrupts:
                self._changed.wait()

    def drain(self) -> None:
        """Block until no batch is in flight, or a second Ctrl-C."""
        with self._changed:
            while self._in_flight and self.interrupts < 2:
                self._changed.wait()

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    def drop_unsent(self) -> None:
        """Forget the batches handed over but not yet being sent: they never will be."""
        with self._changed:
            for number, (_, sending) in list(self._in_flight.items()):
                if not sending:
                    del self._in_flight[number]
            self._changed.notify_all()

    def abort(self) -> None:
        """Settle every batch still in flight as failed: its answer will not be awaited."""
        self.drop_unsent()
        with self._changed:
            for batch, _ in list(self._in_flight.values()):
                self._settle(batch, None, errors.APIConnectionError(ABORTED))

    def settle(self, batch: Batch, result: Any = None, error: Exception | None = None) -> None:
        """Record the answer to ``batch``, or the error that ended it."""
        with self._changed:
            self._settle(batch, result, error)

    def _settle(self, batch: Batch, result: Any, error: Exception | None) -> None:
        if self._in_flight.pop(batch.number, None) is None:
            return  # abandoned by an interrupt; already reported failed
        self._changed.notify_all()
        try:
            outcome, results = self._judge(batch, result, error)
            self._count(outcome, results)
            if self._on_batch is not None:
                self._on_batch(outcome, results)
            if self._on_progress is not None:
                self._on_progress(self.report, outcome)
        except BaseException as failure:  # re-raised by the run, from the thread that owns it
            self.failure = self.failure or failure

    def _judge(
        self, batch: Batch, result: Any, error: Exception | None
    ) -> tuple[BatchOutcome, list[ItemResult]]:
        size = len(batch.items)
        indexed = list(enumerate(batch.items, start=batch.start))
        if error is not None:
            messages = [error_message(error)]
            outcome = BatchOutcome(batch.number, batch.start, size, False, error=detached(error))
            return outcome, [ItemResult(i, item, "failed", messages) for i, item in indexed]
        lists = item_errors(result, self._errors_field)
        if not any(lists or ()):
            outcome = BatchOutcome(batch.number, batch.start, size, True)
            return outcome, [ItemResult(i, item, "succeeded", []) for i, item in indexed]
        assert lists is not None
        if len(lists) != size:
            outcome = BatchOutcome(
                batch.number, batch.start, size, True, raw_errors=lists, ambiguous=True
            )
            return outcome, [ItemResult(i, item, "unverified", []) for i, item in indexed]
        outcome = BatchOutcome(batch.number, batch.start, size, True)
        return outcome, [
            ItemResult(i, item, "failed" if messages else "succeeded", messages)
            for (i, item), messages in zip(indexed, lists, strict=True)
        ]

    def _count(self, outcome: BatchOutcome, results: list[ItemResult]) -> None:
        report = self.report
        report.total += len(results)
        report.batches.append(outcome)
        for entry in results:
            if entry.status == "succeeded":
                report.succeeded += 1
            elif entry.status == "unverified":
                report.unverified += 1
            else:
                report.failed_count += 1
                if self._keep_failed:
                    report.failed.append(FailedItem(entry.index, entry.item, entry.messages))

    def result(self, interrupted: bool = False) -> BatchReport:
        """The final report, batches and failures in input order; raises what stopped the run."""
        self.report.batches.sort(key=lambda b: b.number)
        self.report.failed.sort(key=lambda f: f.index)
        if self.failure is not None:
            raise self.failure
        if interrupted:
            raise BatchInterrupted(self.report)
        return self.report
