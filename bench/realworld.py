"""``bench/run.py --realworld``: real documents side by side with openapi-python-client (issue 11).

GitHub's and Stripe's documents and four documents of 100 to 1,000 operations from the
corpus (``tests/realworld/corpus.txt``). For each: our generator cold (empty cache) and
warm (the cache the cold run filled), openapi-python-client cold; wall time and peak RSS of
the whole process tree (the generator's workers included, sampled from ``/proc``); our
phase profile (the progress lines of the cold run); the import time of our package and
the first call of one operation. Markdown on stdout and in ``bench/results-realworld.md``.
"""

from __future__ import annotations

import itertools
import os
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

from tests.realworld import corpus  # noqa: E402

DOCUMENTS = ("github", "stripe", "jellyfin.local", "magento.com", "trello.com", "twilio.com_api")
# The generator's command line, with every phase shown (not only from 2 s on): the phase profile.
_GENERATE = "import sys; from generator import cli, progress; progress.QUIET_SECONDS = 0; sys.exit(cli.main())"
_PHASE = re.compile(r"^\[ *(\d+\.\d) s\] (.*)$")


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


def run_tree(cmd: list[str], env: dict[str, str], timeout: float = 3600) -> dict[str, Any]:
    """Run ``cmd``: wall seconds, peak RSS (MB) of its process tree sampled every 50 ms, exit code, stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            if time.perf_counter() - start > timeout:
                proc.kill()
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        err.seek(0)
        return {"seconds": seconds, "rss_mb": peak / 1024, "rc": proc.returncode, "stderr": err.read().decode()}


def phases(stderr: str) -> list[tuple[str, float]]:
    """``[(phase, seconds)]`` from our progress lines."""
    marks = [(float(m.group(1)), m.group(2)) for line in stderr.splitlines() if (m := _PHASE.match(line))]
    return [(label, end - start) for (start, label), (end, _) in itertools.pairwise(marks)]


_IMPORT = """
import importlib, sys, time
t = time.perf_counter()
package = importlib.import_module({package!r})
imported = time.perf_counter() - t
from {package}._endpoints import OPERATIONS
# What a first call of the operation resolves: the models it sends and reads.
spec = OPERATIONS[{operation!r}]
names = [spec.body_model_name, *(model for _, model in spec.success_kinds.values())]
for name in filter(None, names):
    getattr(package.models, name)
loaded = [m for m in sys.modules if m.startswith({package!r} + ".models.")]
print(imported, len(loaded))
"""


def import_figures(python: Path, out: Path) -> tuple[float, int]:
    """Median import seconds of our package (bytecode compiled first, as pip does), and how many models
    modules the models of one operation load."""
    package = next(p.parent for p in sorted(out.glob("*/__init__.py")))
    subprocess.run([str(python), "-m", "compileall", "-q", str(package)], check=True, capture_output=True)
    first = re.search(r'^\s+"(\w+)": ', (package / "_endpoints" / "__init__.py").read_text(), re.MULTILINE)
    if first is None:
        return 0.0, 0
    operation = first.group(1)
    runs = []
    for _ in range(5):
        said = subprocess.run(
            [str(python), "-c", _IMPORT.format(package=package.name, operation=operation)],
            cwd=out,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        runs.append((float(said[0]), int(said[1])))
    return statistics.median(r[0] for r in runs), runs[0][1]


def run(opc: Path, opc_env: dict[str, str], only: list[str] | None, out_file: Path) -> int:
    documents = {document.name: document for document in corpus.read()}
    names = [name for name in (only or DOCUMENTS) if name in documents]
    files = corpus.materialize([documents[name] for name in names])
    work = Path(tempfile.mkdtemp(prefix="bench-realworld-"))
    lines = [
        "| document | operations | ours cold | ours warm | openapi-python-client | ours/opc | peak RSS ours / opc |"
        " import | models modules one operation loads / all |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    profiles = []
    try:
        for name in names:
            spec = files[name]
            cache = work / f"cache-{name}"
            env = {**os.environ, "OPENAPI_PYCLIENT_CACHE": str(cache)}
            results = {}
            for tool in ("cold", "warm", "opc"):
                out = work / f"out-{tool}-{name}"
                if tool == "opc":
                    cmd = [str(opc), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"]
                    results[tool] = run_tree(cmd, opc_env)
                else:
                    cmd = [sys.executable, "-c", _GENERATE, str(spec), "--out", str(out)]
                    results[tool] = run_tree(cmd, env)
                print(f"{name} {tool}: {results[tool]['seconds']:.1f} s rc {results[tool]['rc']}", file=sys.stderr)
            cold, warm, opc_run = results["cold"], results["warm"], results["opc"]
            imported, loaded = (
                import_figures(Path(sys.executable), work / f"out-cold-{name}") if cold["rc"] == 0 else (0, 0)
            )
            total = len(list((work / f"out-cold-{name}").glob("*/models/*.py"))) - 1  # not the index
            ratio = f"{cold['seconds'] / opc_run['seconds']:.2f}x" if opc_run["rc"] == 0 else "opc failed"
            lines.append(
                f"| {name} | {documents[name].operations} | {cold['seconds']:.1f} s | {warm['seconds']:.1f} s"
                f" | {opc_run['seconds']:.1f} s{'' if opc_run['rc'] == 0 else ' (failed)'} | {ratio}"
                f" | {cold['rss_mb']:.0f} / {opc_run['rss_mb']:.0f} MB | {imported * 1e3:.0f} ms | {loaded} / {total} |"
            )
            profile = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in phases(cold["stderr"]))
            profiles.append(f"- {name}: {profile}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(["# Real documents (bench/run.py --realworld)", "", *lines, "", "Phases (cold):", "", *profiles])
    print(text)
    out_file.write_text(text + "\n")
    return 0
