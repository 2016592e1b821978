"""Command line: bulk upserts from a JSON Lines file or a JSON array.

    python -m stackone_lms batch-upsert-course FILE [--dry-run] [--report PATH]

Credentials come from the options or from the environment (STACKONE_LMS_*).
Exit status: 0 when every item succeeded, 1 when some failed, 2 for bad usage or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pydantic

from . import errors, models
from ._batching import BatchOutcome, BatchReport
from ._client import Client
from ._runtime import adapter

#: Sub-command -> (client method, item model).
COMMANDS: dict[str, tuple[str, Any]] = {
    "batch-upsert-course": ("lms_batch_upsert_course_in_batches", models.LmsUpsertCourseRequestDto),
}


class InputError(Exception):
    """The input file cannot be read as JSON Lines or a JSON array."""


def read_items(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, item)``; JSON Lines are read lazily, a JSON array at once."""
    try:
        handle: TextIO = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    with handle:
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


def _read_array(path: Path, text: str, first_line: int) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    try:
        items = decoder.decode(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}:{first_line + error.lineno - 1}: invalid JSON: {error.msg}"
        ) from None
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON array or JSON Lines")
    # Items of an array are numbered from 1, as "lines" of the input.
    yield from enumerate(items, start=1)


def _problem(item: Any, model: Any) -> str | None:
    if isinstance(item, InputError):
        return str(item)
    if not isinstance(item, dict):
        return f"expected a JSON object, got {type(item).__name__}"
    if model is not None:
        try:
            adapter(model).validate_json(json.dumps(item), strict=True)
        except pydantic.ValidationError as error:
            return "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '(item)'}: {e['msg']}"
                for e in error.errors(include_url=False)
            )
    return None


def _entry(line: int, item: Any, messages: list[str]) -> dict[str, Any]:
    reference = item.get("external_reference") if isinstance(item, dict) else None
    return {"line": line, "external_reference": reference, "messages": messages}


class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()

    def __call__(self, report: BatchReport, outcome: BatchOutcome) -> None:
        if self.enabled:
            failed = len(report.failed)
            self.stream.write(
                f"\r{report.total:>10,} items sent, {failed:,} failed, batch {outcome.number + 1} done"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m stackone_lms", description="Bulk upserts through the StackOne LMS API."
    )
    commands = parser.add_subparsers(dest="command", required=True)
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
            "--report", type=Path, help="write the JSON report here (default: standard output)"
        )
        sub.add_argument("--batch-size", type=int, default=100)
        sub.add_argument("--max-concurrency", type=int, default=4)
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


def run(args: argparse.Namespace) -> int:
    method_name, model = COMMANDS[args.command]
    lines = array("L")
    failed: list[dict[str, Any]] = []
    counts = {"read": 0}

    def valid_items() -> Iterator[Any]:
        for line, item in read_items(args.file):
            counts["read"] += 1
            problem = _problem(item, model)
            if problem is not None:
                failed.append(_entry(line, item, [problem]))
                continue
            lines.append(line)
            yield item

    if args.dry_run:
        valid = sum(1 for _ in valid_items())
        result: dict[str, Any] = {
            "dry_run": True,
            "total": counts["read"],
            "valid": valid,
            "failed": failed,
        }
        return _finish(args, result, ok=not failed)
    client = Client(
        base_url=args.base_url,
        username=args.username,
        password=args.password,
        account_id=args.account_id,
        max_retries=args.max_retries,
        pause_gc=True,  # this process is ours: no host application shares its collector
    )
    progress = Progress(sys.stderr)
    with client:
        report: BatchReport = getattr(client, method_name)(
            valid_items(),
            batch_size=args.batch_size,
            max_concurrency=args.max_concurrency,
            on_progress=progress,
        )
    progress.close()
    failed.extend(_entry(lines[entry.index], entry.item, entry.messages) for entry in report.failed)
    failed.sort(key=lambda entry: entry["line"])
    ambiguous = [
        {
            "first_line": lines[outcome.start],
            "last_line": lines[outcome.start + outcome.size - 1],
            "raw_errors": outcome.raw_errors,
        }
        for outcome in report.batches
        if outcome.ambiguous
    ]
    result = {
        "total": counts["read"],
        "succeeded": report.succeeded,
        "unverified": report.unverified,
        "failed": failed,
        "ambiguous_batches": ambiguous,
    }
    return _finish(args, result, ok=report.ok and not failed)


def _finish(args: argparse.Namespace, result: dict[str, Any], *, ok: bool) -> int:
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if args.report is None:
        sys.stdout.write(text)
    else:
        args.report.write_text(text, encoding="utf-8")
    summary = f"{result['total']:,} items, {len(result['failed']):,} failed"
    print(summary + (" (dry run: nothing sent)" if args.dry_run else ""), file=sys.stderr)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except errors.APIError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
