"""Run the corpus: generate each document, probe the package in a fresh interpreter, call it against Prism
mocking the document, type-check some.

Each document runs in subprocesses with timeouts, two documents at a time by default. The outcome of a
document is a set of failures, each ``(document, kind, item)``; the gate compares them with the committed
baseline of known failures, so fixes landing elsewhere can shrink it and a regression fails at once.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tests.realworld import corpus, probe

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
REPORT_DIR = corpus.ROOT / "build" / "realworld"

GENERATE_TIMEOUT = 900
PROBE_TIMEOUT = 600
MYPY_TIMEOUT = 600

# Failure kinds, in the order of the table.
KINDS = (
    "internal error",
    "timeout",
    "refused",
    "skipped operation",
    "import error",
    "incomplete model",
    "call failure",
    "fixture failure",
    "not black's form",
    "mypy errors",
    "request Prism refuses",
    "response refused that its document allows",
)
# Kinds no baseline accepts: the generator promises each never happens (a fixture its own model refuses is
# left out, with a warning), so one is a defect to fix, never a known failure of a document.
NEVER_KNOWN = ("fixture failure", "not black's form")
TARGETS = (
    "targets: >= 98% of documents generate, >= 99.5% of operations succeed, 0 internal errors, timeouts,"
    " import errors, incomplete models, fixture failures, modules not in black's form and mypy errors"
)


@dataclass
class Outcome:
    """What happened to one document."""

    name: str
    source: str
    path: str
    outcome: str = "generated"  # or "refused", "internal error", "timeout"
    operations: int = 0  # of the generated package (the document's count when it did not generate)
    failed_operations: int = 0
    modules: int = 0
    mypy: str = "-"  # "-", "ok", or the number of errors
    message: str = ""
    warnings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> item -> message
    notes: list[str] = field(default_factory=list)  # what was not checked, and why

    def add(self, kind: str, item: str, message: str) -> None:
        self.failures.setdefault(kind, {})[item] = message

    def keys(self) -> set[str]:
        return {f"{self.name} | {kind} | {item}" for kind, items in self.failures.items() for item in items}


def _run(command: list[str], timeout: float, **options: Any) -> subprocess.CompletedProcess[str] | None:
    """Run ``command``; ``None`` when it timed out (its process group is killed)."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **options,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        return None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _environment(cache: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment["OPENAPI_PYCLIENT_CACHE"] = str(cache / "generator")
    environment.pop("PYTHONPATH", None)
    return environment


# The warning of an operation the generator leaves out (generator.model.parse), its message never cut.
_SKIPPED = re.compile(r"^warning: .*?: operation (\S+) (.+?) skipped: (.*)$", re.MULTILINE)


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def run_document(document: corpus.Document, spec: Path, work: Path, mypy_cache: Path) -> Outcome:
    """Generate, probe and maybe type-check one document in ``work``."""
    result = Outcome(document.name, document.source, document.path, operations=document.operations)
    cache = corpus.cache_root()
    environment = _environment(cache)
    work.mkdir(parents=True, exist_ok=True)
    out = work / "out"
    report = work / "generate.json"
    started = time.monotonic()
    completed = _run(
        [sys.executable, "-P", str(HERE / "generate_one.py"), str(spec), str(out), str(report)],
        GENERATE_TIMEOUT,
        env=environment,
        cwd=work,
    )
    result.seconds["generate"] = round(time.monotonic() - started, 1)
    if completed is None:
        result.outcome = "timeout"
        result.message = f"generation took over {GENERATE_TIMEOUT} s"
        result.add("timeout", "generate", result.message)
        return result
    if not report.exists():
        result.outcome = "internal error"
        result.message = _first_line(completed.stderr) or f"generator process exited {completed.returncode}"
        result.add("internal error", "generate", result.message)
        return result
    generated = json.loads(report.read_text())
    stderr: str = generated["stderr"]
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    result.warnings = sum(1 for line in stderr.splitlines() if line.startswith("warning:"))
    if generated["status"] == 2 and errors and "Traceback" not in stderr:
        result.outcome = "refused"
        result.message = errors[0][:300]
        result.add("refused", "generate", result.message)
        return result
    if generated["status"] != 0:
        result.outcome = "internal error"
        trace = generated.get("traceback") or stderr
        result.message = (errors[0] if errors else _first_line(trace))[:300]
        result.add("internal error", "generate", _where(trace) or result.message)
        return result
    match = re.search(r"generated (\w+) into", generated["stdout"])
    if match is None:
        result.outcome = "internal error"
        result.message = "generation reported success without naming its package"
        result.add("internal error", "generate", result.message)
        return result
    package = match.group(1)
    skipped = _SKIPPED.findall(stderr)
    for method, path, reason in skipped:
        result.add("skipped operation", f"{method} {path}", reason)
    for line in generated.get("splits not black's", []):
        result.add("not black's form", f"{package}/models", f"black splits otherwise: {line}")
    _black_form(result, out / package, work, environment)
    _probe(result, out, package, work, environment)
    _prism(result, out, package, spec, work, environment)
    if document.mypy:
        _mypy(result, out, package, environment, mypy_cache)
    return result


def _where(trace: str) -> str:
    """``Type: message (at file:line)``: the exception and the innermost generator frame."""
    frames = re.findall(r'File "([^"]*/(?:generator|datamodel_code_generator)/[^"]*)", line (\d+)', trace)
    last = _first_line(trace)
    if not frames:
        return last
    file, line = frames[-1]
    marker = "/generator/" if "/generator/" in file else "/datamodel_code_generator/"
    return f"{last} (at {marker.strip('/')}/{file.split(marker, 1)[1]}:{line})"


def _black_form(result: Outcome, folder: Path, work: Path, environment: dict[str, str]) -> None:
    """Every module written is black's form, as the generator promises without running black on most."""
    report = work / "blackform.json"
    completed = _run(
        [sys.executable, "-P", str(HERE / "blackform.py"), str(folder), str(report)], PROBE_TIMEOUT, env=environment
    )
    if completed is None or not report.exists():
        message = "took too long" if completed is None else _first_line(completed.stderr)
        result.add("not black's form", folder.name, f"the check did not finish: {message}")
        return
    for module, line in json.loads(report.read_text()).items():
        result.add("not black's form", module, f"black changes: {line}")


def _probe(result: Outcome, out: Path, package: str, work: Path, environment: dict[str, str]) -> None:
    report = work / "probe.json"
    started = time.monotonic()
    completed = _run(
        [sys.executable, "-P", str(HERE / "probe.py"), str(out), package, str(report)],
        PROBE_TIMEOUT,
        env=environment,
        cwd=out,
    )
    result.seconds["probe"] = round(time.monotonic() - started, 1)
    if completed is None:
        result.add("timeout", "probe", f"importing and calling took over {PROBE_TIMEOUT} s")
        result.failed_operations = result.operations
        return
    if not report.exists():
        message = _first_line(completed.stderr) or f"probe exited {completed.returncode}"
        result.add("import error", package, f"the probe died: {message}")
        result.failed_operations = result.operations
        return
    probed = json.loads(report.read_text())
    result.modules = probed["modules"]
    for module, message in probed["import_errors"].items():
        result.add("import error", module, message)
    for model, message in probed["incomplete_models"].items():
        result.add("incomplete model", model, message)
    if probed["operations"] >= 0:
        # The package's, and those the generator skipped (warned of): each an operation a client cannot call.
        skipped = len(result.failures.get("skipped operation", ()))
        result.operations = probed["operations"] + skipped
        result.failed_operations = len(probed["call_failures"]) + skipped
    else:
        result.failed_operations = result.operations
    for operation, message in probed["call_failures"].items():
        result.add("call failure", operation, message)
    for fixture, message in probed["fixture_failures"].items():
        result.add("fixture failure", fixture, message)


def _prism(result: Outcome, out: Path, package: str, spec: Path, work: Path, environment: dict[str, str]) -> None:
    """Every operation called against Prism mocking the document (``prism.py``): a request it finds
    wrongly made, and an answer the client refuses though the document allows it, are failures. What
    Prism says of the probe's plain values, the routes it cannot serve (AWS's ``/#X-Amz-Target=...``) and
    the answers it makes that fit no schema are not: they are Prism's, or the document's."""
    report = work / "prism.json"
    started = time.monotonic()
    completed = _run(
        [sys.executable, "-P", str(HERE / "prism.py"), str(out), package, str(spec), str(report)],
        PROBE_TIMEOUT,
        env=environment,
        cwd=out,
    )
    result.seconds["prism"] = round(time.monotonic() - started, 1)
    if completed is None or not report.exists():
        message = "took too long" if completed is None else _first_line(completed.stderr)
        result.add("request Prism refuses", package, f"the calls against Prism did not finish: {message}")
        return
    called = json.loads(report.read_text())
    if "prism" in called:  # its limit (Stripe's and Bungie's documents take it minutes), not the client's
        result.notes.append(f"not called against Prism, which did not start: {' / '.join(called['prism'][-2:])}")
    for operation, problems in called["violations"].items():
        result.add("request Prism refuses", operation, "; ".join(problems))
    for operation, message in called["refused"].items():
        result.add("response refused that its document allows", operation, message)


def _mypy(result: Outcome, out: Path, package: str, environment: dict[str, str], cache: Path) -> None:
    started = time.monotonic()
    completed = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-color-output",
            "--no-error-summary",
            "--cache-dir",
            str(cache),
            "-p",
            package,
            *(["-m", probe.TYPED_CALLS] if (out / f"{probe.TYPED_CALLS}.py").exists() else []),
        ],
        MYPY_TIMEOUT,
        env={**environment, "MYPYPATH": str(out)},
        cwd=out,
    )
    result.seconds["mypy"] = round(time.monotonic() - started, 1)
    if completed is None:
        result.add("timeout", "mypy", f"mypy took over {MYPY_TIMEOUT} s")
        return
    errors = [line for line in completed.stdout.splitlines() if ": error: " in line]
    result.mypy = str(len(errors)) if errors else "ok"
    for line in errors:
        location, message = line.split(": error: ", 1)
        # The baseline item is the file and the error code: line numbers move with every change.
        code = re.search(r"\[([a-z-]+)\]$", message)
        item = f"{location.split(':', 1)[0]} [{code.group(1) if code else '?'}]"
        previous = result.failures.get("mypy errors", {}).get(item)
        result.add("mypy errors", item, previous or f"{location}: {message}"[:300])
    if completed.returncode not in (0, 1) or (completed.returncode == 1 and not errors):
        result.add("mypy errors", "mypy", _first_line(completed.stderr + completed.stdout))


def run(documents: list[corpus.Document], jobs: int, keep: Path | None = None) -> list[Outcome]:
    """Run every document, ``jobs`` at a time, the biggest first (so the longest do not come last)."""
    files = corpus.materialize(documents)
    order = sorted(documents, key=lambda document: -files[document.name].stat().st_size)
    mypy_caches: queue.Queue[Path] = queue.Queue()
    for index in range(jobs):
        # One mypy cache per worker: two mypy processes never write the same cache.
        mypy_caches.put(corpus.cache_root() / "mypy" / str(index))
    total = len(order)
    finished = itertools.count(1)
    base = Path(tempfile.mkdtemp(prefix="realworld-")) if keep is None else keep

    def one(document: corpus.Document) -> Outcome:
        work = base / document.name
        shutil.rmtree(work, ignore_errors=True)
        cache = mypy_caches.get()
        try:
            outcome = run_document(document, files[document.name], work, cache)
        finally:
            mypy_caches.put(cache)
            if keep is None:
                shutil.rmtree(work, ignore_errors=True)
        kinds = ", ".join(f"{kind}: {len(items)}" for kind, items in outcome.failures.items()) or "ok"
        seconds = sum(outcome.seconds.values())
        print(
            f"[{next(finished)}/{total}] {document.name} ({outcome.operations} ops, {seconds:.0f} s): {kinds}",
            flush=True,
        )
        return outcome

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(one, order))
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    by_name = {outcome.name: outcome for outcome in outcomes}
    return [by_name[document.name] for document in documents]


@dataclass(frozen=True)
class Summary:
    documents: int
    generated: int
    operations: int
    failed_operations: int
    counts: dict[str, int]
    mypy_checked: int

    @property
    def generated_share(self) -> float:
        return self.generated / self.documents if self.documents else 1.0

    @property
    def operation_share(self) -> float:
        return 1 - self.failed_operations / self.operations if self.operations else 1.0

    def targets_met(self) -> bool:
        zero = ("internal error", "timeout", "import error", "incomplete model", *NEVER_KNOWN, "mypy errors")
        return (
            self.generated_share >= 0.98
            and self.operation_share >= 0.995
            and all(self.counts[kind] == 0 for kind in zero)
        )


def summarize(outcomes: list[Outcome]) -> Summary:
    generated = [outcome for outcome in outcomes if outcome.outcome == "generated"]
    return Summary(
        documents=len(outcomes),
        generated=len(generated),
        operations=sum(outcome.operations for outcome in generated),
        failed_operations=sum(outcome.failed_operations for outcome in generated),
        counts={kind: sum(len(outcome.failures.get(kind, ())) for outcome in outcomes) for kind in KINDS},
        mypy_checked=sum(1 for outcome in outcomes if outcome.mypy != "-"),
    )


def table(summary: Summary, outcomes: list[Outcome]) -> str:
    documents_with = {kind: sum(1 for outcome in outcomes if outcome.failures.get(kind)) for kind in KINDS}
    rows = [
        ("documents", str(summary.documents), ""),
        ("generated", f"{summary.generated} ({summary.generated_share:.1%})", "target >= 98%"),
        ("operations (of generated documents)", str(summary.operations), ""),
        (
            "operations that succeed through MockAPI",
            f"{summary.operations - summary.failed_operations} ({summary.operation_share:.2%})",
            "target >= 99.5%",
        ),
        ("documents type-checked with mypy --strict", str(summary.mypy_checked), "at least 20"),
    ]
    for kind in KINDS:
        rows.append((f"failures: {kind}", f"{summary.counts[kind]} in {documents_with[kind]} document(s)", ""))
    width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    lines = [
        f"| {'measure'.ljust(width)} | {'value'.ljust(value_width)} | target |",
        f"|{'-' * (width + 2)}|{'-' * (value_width + 2)}|--------|",
    ]
    lines += [f"| {name.ljust(width)} | {value.ljust(value_width)} | {target} |" for name, value, target in rows]
    return "\n".join(lines)


def details_markdown(summary: Summary, outcomes: list[Outcome]) -> str:
    lines = ["# Real-world corpus: results", "", table(summary, outcomes), "", "## Documents", ""]
    lines.append("| document | outcome | operations | failed | mypy | seconds | failures |")
    lines.append("|---|---|---|---|---|---|---|")
    for outcome in outcomes:
        kinds = ", ".join(f"{kind} {len(items)}" for kind, items in outcome.failures.items()) or "-"
        seconds = "/".join(f"{value:.0f}" for value in outcome.seconds.values())
        lines.append(
            f"| {outcome.name} | {outcome.outcome} | {outcome.operations} | {outcome.failed_operations} "
            f"| {outcome.mypy} | {seconds} | {kinds} |"
        )
    lines += [
        "",
        "## Failure classes",
        "",
        "| kind | class | failures | documents | example |",
        "|---|---|---|---|---|",
    ]
    for (kind, shape), examples in sorted(failure_classes(outcomes).items(), key=lambda entry: -len(entry[1])):
        documents = len({name for name, _, _ in examples})
        name, item, message = examples[0]
        lines.append(f"| {kind} | `{shape}` | {len(examples)} | {documents} | {name} {item}: `{message[:160]}` |")
    lines += ["", "## Notes", ""]
    lines += [f"- {outcome.name}: {note}" for outcome in outcomes for note in outcome.notes]
    lines += ["", "## Failures", ""]
    for outcome in outcomes:
        for kind, items in outcome.failures.items():
            for item, message in sorted(items.items()):
                lines.append(f"- {outcome.name} | {kind} | {item}: `{message}`")
    return "\n".join(lines) + "\n"


def _shape(message: str) -> str:
    """A message without its particulars (names, numbers, paths, payloads), so that one defect is one class."""
    kind, _, shape = message.partition(": ")
    shape = re.sub(r"; body starts .*", "", shape)
    shape = re.sub(r"^\S+?\.(json|yaml|yml): ", "", shape)  # the document's file
    shape = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "…", shape)
    shape = re.sub(r"\b(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) /\S*", r"\1 PATH", shape)
    shape = re.sub(r"\bmodels\.\w+", "models.MODULE", shape)
    shape = re.sub(r"\b\w*\d\w*\b", "N", shape)
    shape = re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", "NAME", shape)  # operations, modules
    shape = re.sub(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b", "Model", shape)
    shape = re.sub(r"(body does not match|errors? for) \w+", r"\1 Model", shape)
    shape = re.sub(r"\b(\w+ validation) errors?\b", r"\1 error(s)", shape)
    shape = re.sub(r"^(NAME|N): ", "", shape)
    return f"{kind}: {shape}"[:150].replace("|", "\\|")


def failure_classes(outcomes: list[Outcome]) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """``{(kind, message shape): [(document, item, message), ...]}``."""
    classes: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for outcome in outcomes:
        for kind, items in outcome.failures.items():
            for item, message in sorted(items.items()):
                classes.setdefault((kind, _shape(message)), []).append((outcome.name, item, message))
    return classes


def write_report(outcomes: list[Outcome], folder: Path = REPORT_DIR) -> Summary:
    summary = summarize(outcomes)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(
        json.dumps({"summary": asdict(summary), "documents": [asdict(outcome) for outcome in outcomes]}, indent=1)
    )
    (folder / "report.md").write_text(details_markdown(summary, outcomes))
    return summary


def read_report(folder: Path = REPORT_DIR) -> list[Outcome]:
    """The outcomes of the last run, from its ``report.json``."""
    return [Outcome(**document) for document in json.loads((folder / "report.json").read_text())["documents"]]


def failure_keys(outcomes: list[Outcome]) -> set[str]:
    return set().union(*(outcome.keys() for outcome in outcomes)) if outcomes else set()


def read_baseline() -> set[str]:
    if not BASELINE.exists():
        return set()
    return set(json.loads(BASELINE.read_text())["known_failures"])


def write_baseline(keys: set[str]) -> None:
    keys = {key for key in keys if key.split(" | ")[1] not in NEVER_KNOWN}
    BASELINE.write_text(
        json.dumps(
            {
                "about": "Known failures of tests/realworld (document | kind | item); the gate fails on any other. "
                "Regenerate with: python -m tests.realworld --update-baseline",
                "known_failures": sorted(keys),
            },
            indent=1,
        )
        + "\n"
    )


def compare(outcomes: list[Outcome], baseline: set[str], names: set[str]) -> tuple[list[str], list[str]]:
    """New failures (not in the baseline, or of a kind it never accepts) and fixed ones (in it, for the
    documents run, but gone)."""
    current = failure_keys(outcomes)
    known = {key for key in baseline if key.split(" | ")[1] not in NEVER_KNOWN}
    relevant = {key for key in baseline if key.split(" | ", 1)[0] in names}
    return sorted(current - known), sorted(relevant - current)
