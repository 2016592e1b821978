"""Command line: the batch operations, sending items from a JSON Lines file or a JSON array.

    python -m stackone_lms batch-upsert-course FILE [--report PATH] [--failed-out PATH] [--resume REPORT] [--dry-run]

The report is JSON Lines, written and flushed as batches finish: one record per
item (its input line, the SHA-256 of its content, its status and messages), so
that an interrupted or killed run still says what was sent. Credentials come
from the options or from the environment (STACKONE_LMS_*).
Exit status: 0 when every item succeeded, 1 when some failed, were unverified or
were rejected locally, 2 for bad usage or input, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, NoReturn, TextIO

import pydantic

from . import errors, models
from ._batching import BatchInterrupted, BatchOutcome, BatchReport, ItemResult
from ._client import Client
from ._runtime import adapter, validation_message

#: Sub-command -> (client method, item model).
COMMANDS: dict[str, tuple[str, Any]] = {
    "batch-upsert-course": ("lms_batch_upsert_course_in_batches", models.LmsUpsertCourseRequestDto),
}
#: Statuses of a report that ``--resume`` skips: the API took these items.
ACCEPTED = frozenset({"succeeded", "unverified", "skipped"})
#: Seconds between progress lines when standard error is not a terminal.
PLAIN_PROGRESS_EVERY = 5.0


class InputError(Exception):
    """Bad usage or input: reported on one line, exit status 2."""


def digest(item: Any) -> str:
    """The identity of an item in a report: a hash of its content, whatever its line."""
    text = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def open_input(path: Path) -> TextIO:
    try:
        return sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def read_items(path: Path, handle: TextIO) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, item)``; JSON Lines are read lazily, a JSON array at once.

    A line that is not JSON is yielded as an :class:`InputError` (that item is rejected).
    """
    first = ""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        if not first:
            first = line.lstrip()
            if first.startswith("["):
                yield from _read_array(path, line + handle.read(), number)
                return
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield number, InputError(f"invalid JSON: {error.msg}")
        except RecursionError:
            yield number, InputError("invalid JSON: nested too deeply")


def primed(items: Iterator[Any]) -> Iterator[Any]:
    """``items``, its first one read now: a JSON array is decoded before anything else happens."""
    first = next(items, None)
    return items if first is None else itertools.chain([first], items)


def _read_array(path: Path, text: str, first_line: int) -> Iterator[tuple[int, Any]]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}:{first_line + error.lineno - 1}: invalid JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"{path}: invalid JSON: nested too deeply") from None
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON array or JSON Lines")
    # Items of an array are numbered from 1, as "lines" of the input.
    yield from enumerate(items, start=1)


def problem(item: Any, model: Any) -> str | None:
    """Why ``item`` would be rejected by the API, found before sending; ``None`` if valid."""
    if isinstance(item, InputError):
        return str(item)
    if not isinstance(item, dict):
        return f"expected a JSON object, got {type(item).__name__}"
    if model is not None:
        try:
            adapter(model).validate_json(json.dumps(item), strict=True)
        except pydantic.ValidationError as error:
            return validation_message(error)
    return None


def accepted_digests(path: Path) -> set[str]:
    """The items a previous report says the API took."""
    accepted: set[str] = set()
    with open_input(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise InputError(f"{path}:{number}: not a report line (invalid JSON)") from None
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}: not a report line")
            if record.get("status") in ACCEPTED and isinstance(record.get("sha256"), str):
                accepted.add(record["sha256"])
    return accepted


class Record:
    """The report and the failed items, written as the run goes, and the counts.

    Each item handed over for sending gets a "pending" record first, flushed before
    its batch can be sent; its outcome follows when the batch finishes. So a run
    stopped in any way leaves every item it may have sent in the report.
    """

    def __init__(self, report: TextIO, failed_out: TextIO | None, batch_size: int) -> None:
        self.report = report
        self.failed_out = failed_out
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        #: Input position -> (line, digest) of the items sent and not yet answered.
        self._sent: dict[int, tuple[int, str]] = {}

    def _write(self, record: dict[str, Any]) -> None:
        self.report.write(json.dumps(record, ensure_ascii=False) + "\n")

    def read(self) -> None:
        with self._lock:
            self.counts["read"] += 1

    def skipped(self, line: int, key: str) -> None:
        with self._lock:
            self.counts["skipped"] += 1
            self._write({"line": line, "sha256": key, "status": "skipped"})

    def rejected(self, line: int, item: Any, message: str) -> None:
        key = None if isinstance(item, InputError) else digest(item)
        with self._lock:
            self.counts["rejected"] += 1
            self._write({"line": line, "sha256": key, "status": "rejected", "messages": [message]})

    def pending(self, index: int, line: int, key: str) -> None:
        with self._lock:
            self._sent[index] = (line, key)
            self._write({"line": line, "sha256": key, "status": "pending"})
            if (index + 1) % self.batch_size == 0:
                self.flush()  # the batch is complete: it may be sent now

    def batch(self, outcome: BatchOutcome, results: list[ItemResult]) -> None:
        """The outcome of one batch (called as batches finish)."""
        with self._lock:
            for result in results:
                line, key = self._sent.pop(result.index)
                self.counts[result.status] += 1
                entry: dict[str, Any] = {"line": line, "sha256": key, "status": result.status}
                if result.messages:
                    entry["messages"] = result.messages
                self._write(entry)
                if result.status == "failed" and self.failed_out is not None:
                    self.failed_out.write(json.dumps(result.item, ensure_ascii=False) + "\n")
            if outcome.ambiguous:
                self._write({"batch": outcome.number, "raw_errors": outcome.raw_errors})
            self.flush()

    def flush(self) -> None:
        self.report.flush()
        if self.failed_out is not None:
            self.failed_out.flush()

    def summary(self, *, dry_run: bool, interrupted: bool) -> str:
        counts = self.counts
        parts = [f"{counts['read']:,} items read"]
        if dry_run:
            parts.append(f"{counts['read'] - counts['rejected']:,} valid")
        else:
            parts += [
                f"{counts['succeeded']:,} succeeded",
                f"{counts['failed']:,} failed",
                f"{counts['unverified']:,} unverified",
            ]
        parts.append(f"{counts['rejected']:,} rejected locally")
        if counts["skipped"]:
            parts.append(f"{counts['skipped']:,} skipped (accepted before)")
        note = " (dry run: nothing sent)" if dry_run else " (interrupted)" if interrupted else ""
        return ", ".join(parts) + note

    def ok(self) -> bool:
        return not (self.counts["failed"] or self.counts["unverified"] or self.counts["rejected"])


class Progress:
    """A progress line: redrawn on a terminal, printed every few seconds otherwise."""

    def __init__(self, stream: TextIO, record: Record) -> None:
        self.stream = stream
        self.record = record
        self.terminal = stream.isatty()
        self.last = time.monotonic()

    def __call__(
        self, report: BatchReport | None = None, outcome: BatchOutcome | None = None
    ) -> None:
        """Show the counts (after a batch, or after an item was rejected locally)."""
        now = time.monotonic()
        if not self.terminal and now - self.last < PLAIN_PROGRESS_EVERY:
            return
        self.last = now
        counts = self.record.counts
        done = counts["succeeded"] + counts["failed"] + counts["unverified"]
        text = (
            f"{done:>10,} items sent: {counts['succeeded']:,} succeeded,"
            f" {counts['failed']:,} failed, {counts['unverified']:,} unverified,"
            f" {counts['rejected']:,} rejected locally"
        )
        self.stream.write(f"\r{text}" if self.terminal else f"{text}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.terminal:
            self.stream.write("\n")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(f"{message} (see --help)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m stackone_lms", description="Batch operations of the StackOne LMS API."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        sub = commands.add_parser(
            command, help=f"send items from FILE through {COMMANDS[command][0]}"
        )
        sub.add_argument(
            "file", type=Path, help="JSON Lines (one item per line) or a JSON array; - for stdin"
        )
        sub.add_argument(
            "--dry-run", action="store_true", help="validate every item locally; send nothing"
        )
        sub.add_argument(
            "--report",
            type=Path,
            help="write the JSON Lines report here (default: standard output)",
        )
        sub.add_argument(
            "--failed-out",
            type=Path,
            help="write the items that failed here, as JSON Lines, the input of a later run",
        )
        sub.add_argument(
            "--resume",
            type=Path,
            metavar="REPORT",
            help="skip the items a previous report says were accepted",
        )
        sub.add_argument("--batch-size", type=_positive, default=100)
        sub.add_argument("--max-concurrency", type=_positive, default=4)
        sub.add_argument("--max-retries", type=int, default=None)
        sub.add_argument(
            "--base-url",
            default=None,
            help="default: STACKONE_LMS_BASE_URL, else the spec's server",
        )
        sub.add_argument("--username", default=None, help="default: STACKONE_LMS_USERNAME")
        sub.add_argument("--password", default=None, help="default: STACKONE_LMS_PASSWORD")
        sub.add_argument("--account-id", default=None, help="default: STACKONE_LMS_ACCOUNT_ID")
    return parser


def _output(stack: ExitStack, path: Path | None, default: TextIO | None) -> TextIO | None:
    """Open an output before anything is sent, so a bad path costs nothing."""
    if path is None:
        return default
    try:
        return stack.enter_context(path.open("w", encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None


def run(args: argparse.Namespace) -> int:
    method_name, model = COMMANDS[args.command]
    if args.resume is not None and args.report is not None:
        if args.resume.resolve() == args.report.resolve():
            raise InputError("--report must not overwrite the --resume report")
    # Everything that can fail is checked before the first request: input, resume report,
    # credentials, then the outputs.
    with ExitStack() as stack:
        source = stack.enter_context(open_input(args.file))
        items = primed(read_items(args.file, source))
        accepted = accepted_digests(args.resume) if args.resume is not None else set()
        client = None
        if not args.dry_run:
            client = Client(
                base_url=args.base_url,
                username=args.username,
                password=args.password,
                account_id=args.account_id,
                max_retries=args.max_retries,
                pause_gc=True,  # this process is ours: no host application shares its collector
            )
            stack.enter_context(client)
        report = _output(stack, args.report, sys.stdout)
        assert report is not None
        record = Record(report, _output(stack, args.failed_out, None), args.batch_size)
        progress = Progress(sys.stderr, record)
        if client is None:
            for line, item in items:
                record.read()
                found = problem(item, model)
                if found is not None:
                    record.rejected(line, item, found)
            record.flush()
            print(record.summary(dry_run=True, interrupted=False), file=sys.stderr)
            return 0 if record.ok() else 1

        def to_send() -> Iterator[Any]:
            index = 0
            for line, item in items:
                record.read()
                found = problem(item, model)
                if found is not None:
                    record.rejected(line, item, found)
                    progress()
                    continue
                key = digest(item)
                if key in accepted:
                    record.skipped(line, key)
                    continue
                record.pending(index, line, key)
                index += 1
                yield item
            record.flush()  # the last, partial batch is about to be sent

        interrupted = False
        try:
            getattr(client, method_name)(
                to_send(),
                batch_size=args.batch_size,
                max_concurrency=args.max_concurrency,
                on_progress=progress,
                on_batch=record.batch,
                keep_failed=False,
            )
        except BatchInterrupted:
            interrupted = True
        finally:
            progress.close()
        record.flush()
        print(record.summary(dry_run=False, interrupted=interrupted), file=sys.stderr)
        if interrupted:
            return 130
        return 0 if record.ok() else 1


def main(argv: list[str] | None = None) -> int:
    try:
        return run(_parser().parse_args(argv))
    except (InputError, errors.APIError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # writing the report failed (a full disk, say); what was written stays
        print(f"error: {error.filename or 'output'}: {error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Outside the bulk run (while checking the input, say); the report says what was sent.
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
