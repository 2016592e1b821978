"""``bench/run.py --realworld``: real documents side by side with openapi-python-client (issue 11).

GitHub's and Stripe's documents and four documents of 100 to 1,000 operations from the corpus
(``tests/realworld/corpus.txt``), or those named with ``--only``. For each: our generator cold (empty
cache), warm (the cache the cold run filled) and again after a one-operation edit (``edit.py``) over
the warm run's tree; openapi-python-client cold; datamodel-code-generator alone on the same document;
wall time and peak RSS of each whole process tree (workers included, sampled from ``/proc``); our
phase profiles; the import time of our package, the first call of one operation and the modules it
loads (``_first_call.py``); mypy on a one-line consumer. Each figure is set against its target.
Markdown on stdout and in ``bench/results-realworld.md``.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from edit import edit_first_operation  # noqa: E402

from generator import worker  # noqa: E402
from generator.output import cache  # noqa: E402
from generator.spec.loader import parse_text  # noqa: E402
from tests.realworld import corpus  # noqa: E402

DOCUMENTS = ("github", "stripe", "jellyfin.local", "magento.com", "trello.com", "twilio.com_api")
# The generator's command line, with every phase shown (not only from 2 s on), and the moments (of the
# system's monotonic clock, the harness's too) the progress lines cannot show: the phase profile.
_GENERATE = """import sys, time
print("bench-clock started", time.monotonic(), file=sys.stderr)
from generator import cli, progress
progress.QUIET_SECONDS = 0
print("bench-clock imported", time.monotonic(), file=sys.stderr)
code = cli.main()
print("bench-clock returned", time.monotonic(), file=sys.stderr)
cli.exit_at_once(code)  # as the program (cli.run) ends
"""
_PHASE = re.compile(r"^\[ *(\d+\.\d) s\] (.*)$")
_CLOCK = re.compile(r"^bench-clock (\w+) (\d+\.\d+)$")


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from ``/proc/*/stat``'s parent ids."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(parents.get(current, ()))
    return found


def _tree_rss_kb(pid: int) -> int:
    total = 0
    for process in _descendants(pid):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(match.group(1)) if match else 0
    return total


def run_tree(
    cmd: list[str],
    env: dict[str, str],
    timeout: float = 3600,
    cwd: Path = ROOT,
    stdout: bool = False,
    stdin: Path | None = None,
) -> dict[str, Any]:
    """Run ``cmd`` (its input read from the file ``stdin``, if given): wall seconds, peak RSS (MB) of its
    process tree sampled every 50 ms, exit code, stderr (and stdout if asked)."""
    with (
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryFile() as out,
        open(stdin or os.devnull, "rb") as given,
    ):
        start = time.monotonic()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=given, stdout=out if stdout else subprocess.DEVNULL, stderr=err
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            if time.monotonic() - start > timeout:
                proc.kill()
            time.sleep(0.05)
        end = time.monotonic()
        err.seek(0)
        out.seek(0)
        said = {"stderr": err.read().decode(errors="replace"), "stdout": out.read().decode(errors="replace")}
        return {
            "seconds": end - start,
            "start": start,
            "end": end,
            "rss_mb": peak / 1024,
            "rc": proc.returncode,
            **said,
        }


def phases(result: dict[str, Any]) -> list[tuple[str, float]]:
    """``[(phase, seconds)]`` of one of our runs (``run_tree``'s result, ``_GENERATE``'s stderr), adding up
    to its wall time: the progress lines' phases and what they cannot show, Python's start, the imports of
    the command line, and after the last line (the public API diff of a regeneration over a tree) the exit."""
    lines = result["stderr"].splitlines()
    marks = [(float(m.group(1)), m.group(2)) for line in lines if (m := _PHASE.match(line))]
    clock = {m.group(1): float(m.group(2)) for line in lines if (m := _CLOCK.match(line))}
    if not marks or clock.keys() != {"started", "imported", "returned"}:
        return []
    return [
        ("Python's start", clock["started"] - result["start"]),
        ("importing the command line", clock["imported"] - clock["started"]),
        ("until the first line", marks[0][0]),
        *((label, end - start) for (start, label), (end, _) in itertools.pairwise(marks)),
        # The progress clock starts as the command line does: what is left of its run comes after the last line.
        ("after the last line", clock["returned"] - clock["imported"] - marks[-1][0]),
        ("exit", result["end"] - clock["returned"]),
    ]


def first_call_figures(package: Path) -> dict[str, Any]:
    """Import time and first-call time of ``package`` (medians of 5 fresh interpreters, bytecode compiled
    first, as pip does) and the module counts of the first run (the same every run); ``{"failed": line}``
    when the probe fails, so one broken package does not end a run of an hour."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True, capture_output=True)
    runs = []
    for _ in range(5):
        probe = [sys.executable, "-P", str(BENCH / "_first_call.py"), str(package.parent), package.name]
        done = subprocess.run(probe, cwd=package.parent, capture_output=True, text=True)
        if done.returncode != 0:
            return {"failed": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:200]}
        runs.append(json.loads(done.stdout))
    figures = dict(runs[0])
    figures["import_s"] = statistics.median(run["import_s"] for run in runs)
    if figures["call_s"] is not None:
        figures["call_s"] = statistics.median(run["call_s"] for run in runs)
    return figures


def mypy_consumer(package: Path, work: Path) -> dict[str, Any]:
    """``mypy --strict`` (the project's) on a one-line consumer of ``package``, with an empty cache.

    The package is found on ``MYPYPATH``; mypy runs in a folder of its own, so no configuration of
    this repository applies.
    """
    folder = work / "mypy-consumer"
    folder.mkdir()
    (folder / "consumer.py").write_text(f'from {package.name} import Client\n\nClient(base_url="http://x")\n')
    cmd = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(folder / "cache"), "consumer.py"]
    result = run_tree(cmd, {**os.environ, "MYPYPATH": str(package.parent)}, cwd=folder, stdout=True)
    result["errors"] = sum(1 for line in result["stdout"].splitlines() if ": error: " in line)
    return result


def rewrite(spec: Path, document: dict[str, Any]) -> None:
    """Write ``document`` over ``spec`` as JSON (YAML 1.2 reads JSON too, whatever the file's suffix)."""
    spec.write_text(json.dumps(document, ensure_ascii=False))


# --------------------------------------------------------------------------- targets


def time_target(name: str) -> tuple[str, float]:
    """What a cold run of ``name`` is held to (issue 11): ``("opc" | "dcg", factor)``."""
    return {"github": ("opc", 0.5), "stripe": ("dcg", 1.0)}.get(name, ("opc", 1.0))


IMPORT_TARGET_S = 0.2
INCREMENTAL_TARGET = 0.1


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def targets(name: str, r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """``(figure, measured, target, verdict)`` rows of one document's results ``r``."""
    cold, opc, dcg, edit = r["cold"], r["opc"], r["dcg"], r["edit"]
    ok = {tool: r[tool]["rc"] == 0 for tool in ("cold", "opc", "dcg", "edit")}
    against, factor = time_target(name)
    reference = {
        "opc": ("openapi-python-client", opc, ok["opc"]),
        "dcg": ("datamodel-code-generator alone", dcg, ok["dcg"]),
    }
    label, other, other_ok = reference[against]
    rows = []
    if ok["cold"] and other_ok:
        ratio = cold["seconds"] / other["seconds"]
        rows.append(("cold time", f"{ratio:.2f}x {label}", f"<= {factor:.1f}x", verdict(ratio <= factor)))
    else:
        rows.append(("cold time", f"{label} failed" if ok["cold"] else "ours failed", f"<= {factor:.1f}x", "n/a"))
    # A cold run waits for its model step (the rest overlaps it or needs its models): the step alone is its floor.
    models = r.get("models", {"rc": None})
    if models["rc"] == 0 and other_ok:
        ratio = models["seconds"] / other["seconds"]
        floor = f"{ratio:.2f}x {label}"
        rows.append(("cold time's floor: our model step alone", floor, f"<= {factor:.1f}x", verdict(ratio <= factor)))
    if ok["cold"] and ok["opc"]:
        rss = cold["rss_mb"] / opc["rss_mb"]
        rows.append(("peak RSS", f"{rss:.2f}x openapi-python-client", "<= 1.0x", verdict(rss <= 1.0)))
        if models["rc"] == 0:
            rss = models["rss_mb"] / opc["rss_mb"]
            floor = f"{rss:.2f}x openapi-python-client"
            rows.append(("peak RSS's floor: our model step alone", floor, "<= 1.0x", verdict(rss <= 1.0)))
    else:
        rows.append(("peak RSS", "a run failed", "<= 1.0x", "n/a"))
    if "import_s" in r.get("first", {}):
        seconds = r["first"]["import_s"]
        rows.append(
            (
                "import",
                f"{seconds * 1e3:.0f} ms",
                f"< {IMPORT_TARGET_S * 1e3:.0f} ms",
                verdict(seconds < IMPORT_TARGET_S),
            )
        )
    if ok["edit"] and ok["opc"]:
        ratio = edit["seconds"] / opc["seconds"]
        rows.append(
            (
                "after a one-operation edit",
                f"{ratio:.2f}x openapi-python-client cold",
                f"<= {INCREMENTAL_TARGET}x",
                verdict(ratio <= INCREMENTAL_TARGET),
            )
        )
    else:
        rows.append(("after a one-operation edit", "a run failed", f"<= {INCREMENTAL_TARGET}x", "n/a"))
    return rows


# --------------------------------------------------------------------------- the run


def _seconds(result: dict[str, Any]) -> str:
    return f"{result['seconds']:.1f} s" + ("" if result["rc"] == 0 else " (failed)")


def faster(kept: dict[str, Any] | None, result: dict[str, Any]) -> dict[str, Any]:
    """Of two runs of one tool, the one to keep: the faster that succeeded (a failure only if both failed),
    with the higher peak RSS of the two if both succeeded (sampled every 50 ms, a peak can be missed,
    never made up)."""
    if kept is None:
        return result
    best = result if (result["rc"] == 0, -result["seconds"]) > (kept["rc"] == 0, -kept["seconds"]) else kept
    if kept["rc"] == 0 and result["rc"] == 0:
        best = {**best, "rss_mb": max(kept["rss_mb"], result["rss_mb"])}
    return best


def measure(name: str, spec: Path, opc: Path, opc_env: dict[str, str], work: Path, repeat: int = 1) -> dict[str, Any]:
    """Every run and figure of one document; our runs use a copy of ``spec`` that the edit rewrites. The
    runs set against each other (ours cold, openapi-python-client, datamodel-code-generator alone, our model
    step alone) are made ``repeat`` times, one after the other in turn, the fastest of each kept: on a
    shared machine one run's figures move by a third."""
    copy = work / "spec" / spec.name
    copy.parent.mkdir(parents=True)
    shutil.copyfile(spec, copy)
    ours = [sys.executable, "-c", _GENERATE, str(copy), "--out"]
    edited, where = edit_first_operation(parse_text(str(spec), spec.read_text(encoding="utf-8")))
    r: dict[str, Any] = {"edited": where}

    def step(key: str, cmd: list[str], environment: dict[str, str], stdin: Path | None = None) -> dict[str, Any]:
        # In the work folder: no pyproject.toml of this repository configures the other tools
        # (datamodel-code-generator reads its options and black's from the nearest one).
        result = run_tree(cmd, environment, cwd=work, stdin=stdin)
        log(f"{name} {key}: {result['seconds']:.1f} s, {result['rss_mb']:.0f} MB, exit {result['rc']}")
        r[key] = faster(r.get(key), result)
        return result

    write_models_job(spec, work / "models.job")
    dcg = [str(Path(sys.executable).parent / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi"]
    for attempt in range(repeat):
        env = {**os.environ, "OPENAPI_PYCLIENT_CACHE": str(work / f"cache-{attempt}")}  # empty: a cold run
        step("cold", [*ours, str(work / f"out-cold-{attempt}")], env)
        out_opc = work / f"out-opc-{attempt}"
        step("opc", [str(opc), "generate", "--path", str(spec), "--output-path", str(out_opc), "--overwrite"], opc_env)
        (out_dcg := work / f"out-dcg-{attempt}").mkdir()
        alone = step("dcg", [*dcg, "--output", str(out_dcg / "models.py")], dict(os.environ))
        if alone["rc"] != 0 and "output directory" in alone["stderr"]:
            # Schema names with dots (Stripe's) make it write a package, into a folder: timed again that way.
            step("dcg", [*dcg, "--output", str(out_dcg / "models")], dict(os.environ))
        # Our model step alone, as our worker makes the models (no cache): what a cold run of ours waits for.
        step("models", [sys.executable, "-c", worker.START], {**env, cache.ENV: "off"}, stdin=work / "models.job")
    env = {**os.environ, "OPENAPI_PYCLIENT_CACHE": str(work / "cache-0")}  # as the first cold run left it
    step("warm", [*ours, str(work / "out-warm")], env)
    rewrite(copy, edited)
    step("edit", [*ours, str(work / "out-warm")], env)  # over the warm run's tree, as a user regenerates
    if r["cold"]["rc"] == 0:
        package = next(p.parent for p in sorted((work / "out-cold-0").glob("*/__init__.py")))
        r["first"] = first_call_figures(package)
        r["mypy"] = mypy_consumer(package, work)
        log(f"{name} mypy: {r['mypy']['seconds']:.1f} s, exit {r['mypy']['rc']}")
    return r


def write_models_job(spec: Path, path: Path) -> None:
    """Write to ``path`` what our worker process reads to make ``spec``'s models (:mod:`generator.worker`):
    the import path, the collector's pace and the module it imports at once, then the job. The steps
    before it are the pipeline's up to its models job (``pipeline._generate``, ``_build``), untimed."""
    import pickle

    from generator.emit.modelgen import make_models, models_job
    from generator.errors import Diagnostics
    from generator.model.normalize import normalize
    from generator.paths import TEMPLATE_DIR
    from generator.pipeline import WORKER_SETUP, package_name_for
    from generator.spec.bundle import bundle
    from generator.spec.cycles import break_self_definitions
    from generator.spec.loader import load_spec
    from generator.spec.validate import validate_spec

    loaded = load_spec(spec)
    diagnostics = Diagnostics(loaded.source)
    bundle(loaded)
    break_self_definitions(loaded.document, loaded.source, diagnostics)
    with cache.turned_off():  # the user's cache is not this run's
        validate_spec(loaded, diagnostics)
    normalized = normalize(loaded.document, copy=False)
    title = str((normalized.document.get("info") or {}).get("title") or "")
    package = package_name_for(title, diagnostics)
    job = models_job(normalized, package=package, template_dir=TEMPLATE_DIR / "models")
    with path.open("wb") as file:
        for message in (sys.path, WORKER_SETUP, (make_models, (job,), {})):
            pickle.dump(message, file, protocol=pickle.HIGHEST_PROTOCOL)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _last_line(result: dict[str, Any]) -> str:
    said = [line for line in (result["stderr"] + result["stdout"]).strip().splitlines() if not _CLOCK.match(line)]
    return (said or [""])[-1][:200]


def _first_call_cells(first: dict[str, Any]) -> tuple[str, str, str, str]:
    """The import, first call, package modules and models modules cells of a row."""
    if "import_s" not in first:
        return ("probe failed" if first else "-"), "-", "-", "-"
    call = "-"
    if first["call_s"] is not None:
        loaded = (
            f"{first['modules_loaded_by_mock_and_call']} modules ({first['modules_loaded_by_call_alone']} by the call)"
        )
        call = f"{first['call_s'] * 1e3:.0f} ms, {loaded} (`{first['operation']}`"
        call += f", {first['error']})" if first["error"] else ")"
    elif first["error"]:
        call = f"not called (`{first['operation']}`: {first['error']})"
    return (
        f"{first['import_s'] * 1e3:.0f} ms",
        call,
        f"{first['own_after_import']} / {first['own_after_call']} / {first['own_total']}",
        f"{first['models_after_call']} / {first['models_total']}",
    )


def report(documents: dict[str, corpus.Document], results: dict[str, dict[str, Any]], info: dict[str, str]) -> str:
    """The markdown of the whole run: one row a document, the targets, the phase profiles."""
    lines = [
        "# Real documents (bench/run.py --realworld)",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.platform()}, "
        f"os.cpu_count() = {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in info.items()) + ".",
        "",
        "| document | operations | ours cold | ours warm | after a one-operation edit | openapi-python-client |"
        " datamodel-code-generator alone | our model step alone | peak RSS ours / opc / dcg / our model step |"
        " import | first call | package modules after import / after first call / all |"
        " models modules after first call / all | mypy, one-line consumer |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        imported, call, modules, models = _first_call_cells(r.get("first", {}))
        mypy = r.get("mypy")
        typing = "-"
        if mypy:
            typing = f"{mypy['seconds']:.1f} s" + (f" ({mypy['errors']} errors)" if mypy["errors"] else "")
        rss = " / ".join(f"{r[tool]['rss_mb']:.0f}" for tool in ("cold", "opc", "dcg", "models"))
        lines.append(
            f"| {name} | {documents[name].operations} | {_seconds(r['cold'])} | {_seconds(r['warm'])}"
            f" | {_seconds(r['edit'])} | {_seconds(r['opc'])} | {_seconds(r['dcg'])} | {_seconds(r['models'])}"
            f" | {rss} MB | {imported}"
            f" | {call} | {modules} | {models} | {typing} |"
        )
    lines += [
        "",
        "## Targets (issue 11)",
        "",
        "| document | figure | measured | target | verdict |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        lines += [f"| {name} | {a} | {b} | {c} | {d} |" for a, b, c, d in targets(name, r)]
    lines += ["", "## Phases", ""]
    for name, r in results.items():
        for key, title in (("cold", "cold"), ("edit", f"after editing {r['edited']}")):
            profile = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in phases(r[key]))
            lines.append(f"- {name}, {title}: {profile or 'no progress lines'}")
    failures = [
        f"- {name} {tool} (exit {r[tool]['rc']}): {_last_line(r[tool])}"
        for name, r in results.items()
        for tool in ("cold", "warm", "edit", "opc", "dcg", "models", "mypy")
        # mypy exits 1 for type errors (counted in the table), 2 when it could not check at all
        if tool in r and r[tool]["rc"] not in ((0, 1) if tool == "mypy" else (0,))
    ]
    failures += [
        f"- {name} import and first call: {r['first']['failed']}"
        for name, r in results.items()
        if "failed" in r.get("first", {})
    ]
    if failures:
        lines += ["", "## Failed runs (last line of stderr)", "", *failures]
    return "\n".join(lines) + "\n"


def run(
    opc: Path, opc_env: dict[str, str], only: list[str] | None, out_file: Path, info: dict[str, str], repeat: int = 1
) -> int:
    documents = {document.name: document for document in corpus.read()}
    unknown = sorted(set(only or ()) - set(documents))
    if unknown:
        print(f"error: not in tests/realworld/corpus.txt: {', '.join(unknown)}", file=sys.stderr)
        return 2
    names = list(only or DOCUMENTS)
    files = corpus.materialize([documents[name] for name in names])
    work = Path(tempfile.mkdtemp(prefix="bench-realworld-"))
    results: dict[str, dict[str, Any]] = {}
    try:
        for name in names:
            (work / name).mkdir()
            results[name] = measure(name, files[name], opc, opc_env, work / name, repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(documents, results, info)
    print(text)
    out_file.write_text(text)
    log(f"wrote {out_file}")
    return 0
