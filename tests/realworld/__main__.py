"""``python -m tests.realworld [--jobs N] [--only NAME ...] [--update-baseline] [--keep DIR]``, ``... sample``
and ``... scan [--count N] [--seed N]``.

Runs the corpus, prints the table, writes ``build/realworld/report.{json,md}`` and compares the failures
with ``tests/realworld/baseline.json``: exit 1 when there are failures the baseline does not list.
``sample`` draws ``corpus.txt`` again from the pinned tarballs; ``report`` writes the markdown report again
from the last ``report.json``. ``scan`` runs documents of the directory the corpus does not hold, drawn
at random (``--seed``), and writes ``build/realworld/scan/report.{json,md}``: exit 1 when the gate's
targets are missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tests.realworld import corpus, harness


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.realworld")
    parser.add_argument("command", nargs="?", choices=("run", "sample", "report", "scan"), default="run")
    parser.add_argument("--jobs", type=int, default=2, help="documents run side by side (default: 2)")
    parser.add_argument("--only", nargs="*", help="run only these documents (names from corpus.txt)")
    parser.add_argument("--update-baseline", action="store_true", help="write the failures seen as the baseline")
    parser.add_argument("--keep", type=Path, help="keep every generated package under this folder")
    parser.add_argument("--count", type=int, default=100, help="scan: how many documents (default: 100)")
    parser.add_argument("--seed", type=int, default=1, help="scan: the draw's seed (default: 1)")
    args = parser.parse_args(argv)
    if args.command == "sample":
        documents = corpus.sample()
        corpus.write(documents)
        print(f"wrote {len(documents)} documents to {corpus.CORPUS}")
        return 0
    if args.command == "scan":
        return scan(args.count, args.seed, args.jobs, args.keep)
    if args.command == "report":
        outcomes = harness.read_report()
        print(harness.table(harness.write_report(outcomes), outcomes))
        return 0
    return run(args.only, args.jobs, args.update_baseline, args.keep)


def run(only: list[str] | None, jobs: int, update_baseline: bool = False, keep: Path | None = None) -> int:
    documents = corpus.read()
    if only:
        unknown = set(only) - {document.name for document in documents}
        if unknown:
            print(f"error: not in corpus.txt: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        documents = [document for document in documents if document.name in only]
    started = time.monotonic()
    outcomes = harness.run(documents, jobs, keep)
    summary = harness.write_report(outcomes)
    print()
    print(harness.table(summary, outcomes))
    print(f"{harness.TARGETS}: {'met' if summary.targets_met() else 'MISSED'}")
    print(f"{len(documents)} documents in {time.monotonic() - started:.0f} s; details in {harness.REPORT_DIR}")
    names = {document.name for document in documents}
    if update_baseline:
        kept = {key for key in harness.read_baseline() if key.split(" | ", 1)[0] not in names}
        harness.write_baseline(kept | harness.failure_keys(outcomes))
        print(f"baseline written: {harness.BASELINE}")
        return 0
    new, fixed = harness.compare(outcomes, harness.read_baseline(), names)
    if fixed:
        print(f"{len(fixed)} known failure(s) are gone (run with --update-baseline to drop them):")
        for key in fixed:
            print(f"  fixed: {key}")
    if new:
        print(f"{len(new)} failure(s) not in the baseline:")
        for key in new:
            print(f"  NEW: {key}")
        return 1
    return 0


def scan(count: int, seed: int, jobs: int, keep: Path | None = None) -> int:
    started = time.monotonic()
    outcomes = harness.run(corpus.scan_sample(count, seed), jobs, keep)
    folder = harness.REPORT_DIR / "scan"
    summary = harness.write_report(outcomes, folder)
    print()
    print(harness.table(summary, outcomes))
    print(f"{harness.TARGETS}: {'met' if summary.targets_met() else 'MISSED'}")
    print(f"{len(outcomes)} documents (seed {seed}) in {time.monotonic() - started:.0f} s; details in {folder}")
    return 0 if summary.targets_met() else 1


if __name__ == "__main__":
    sys.exit(main())
