"""Benchmarks of issue 6: generator speed/memory vs openapi-python-client, and generated-client speed.

    .venv/bin/python bench/run.py            # full run (about 3 minutes on 2 CPUs)
    .venv/bin/python bench/run.py --quick    # smaller inputs, about 2 minutes

Every measured thing runs in its own subprocess; its wall time is taken around
the process and its peak memory is the child's max RSS from ``os.wait4``.
openapi-python-client is installed into ``bench/.venv-opc`` on first use.
The table is printed and written to ``bench/results.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = Path(sys.executable)
OPC_VENV = BENCH / ".venv-opc"
OPC_VERSION = "0.29.1"
DEFAULT_SPEC = ROOT / "specs" / "stackone-lms.yaml"
TIME = "/usr/bin/time"
sys.path.insert(0, str(BENCH))

import realworld  # noqa: E402
from synthetic import write_spec  # noqa: E402

# --------------------------------------------------------------------------- helpers


def run_measured(
    cmd: list[str], cwd: Path = ROOT, timeout: float = 1800, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``cmd``; wall seconds, max RSS (MB) of the child, exit code, captured output."""
    # The child is started through /usr/bin/time: a child forked straight from
    # this (large) process would inherit its RSS high-water mark across exec, so
    # its max RSS could never read below ours.  time(1) is tiny and reports the
    # real child's max RSS (KB) on its own line.
    use_time = Path(TIME).exists()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as rss:
        start = time.perf_counter()
        full = [TIME, "-f", "%M", "-o", rss.name, *cmd] if use_time else cmd
        proc = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        max_kb = usage.ru_maxrss  # KB on Linux
        if use_time:
            text = Path(rss.name).read_text().strip().splitlines()
            if text and text[-1].isdigit():
                max_kb = int(text[-1])
        return {
            "seconds": wall,
            "max_rss_mb": max_kb / 1024,
            "rc": proc.returncode,
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace"),
        }


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ensure_opc() -> Path:
    exe = OPC_VENV / "bin" / "openapi-python-client"
    version = OPC_VENV / "bin" / "python"
    if exe.exists():
        have = subprocess.run(
            [str(version), "-c", "import importlib.metadata as m; print(m.version('openapi-python-client'))"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if have == OPC_VERSION:
            return exe
    log(f"installing openapi-python-client=={OPC_VERSION} into {OPC_VENV}")
    subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=True)
    subprocess.run(
        [str(version), "-m", "pip", "install", "-q", f"openapi-python-client=={OPC_VERSION}"],
        check=True,
    )
    return exe


def as_installed() -> None:
    """Our generator as pip and its first run leave it, as openapi-python-client is in its venv: its
    modules' bytecode compiled (pip compiles an installed package's; this checkout is an editable install,
    and this machine may set PYTHONDONTWRITEBYTECODE, which keeps Python from writing any) and its
    templates' (its first run compiles them beside that bytecode). Untimed, before any measure; the
    generator's cache is not touched, so cold runs still start from an empty one."""
    subprocess.run([str(PY), "-m", "compileall", "-q", str(ROOT / "generator")], check=True)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        command = [str(PY), "-m", "generator", str(DEFAULT_SPEC), "--out", f"{folder}/out", "--quiet"]
        environment["OPENAPI_PYCLIENT_CACHE"] = "off"
        subprocess.run(command, env=environment, cwd=folder, check=True, stdout=subprocess.DEVNULL)


def versions(opc_python: Path) -> dict[str, str]:
    import importlib.metadata as md

    found = {"Python": platform.python_version()}
    for name in ("httpx", "pydantic", "datamodel-code-generator", "black", "openapi-spec-validator", "mypy"):
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            found[name] = "missing"
    found["openapi-python-client"] = subprocess.run(
        [str(opc_python), "-c", "import importlib.metadata as m; print(m.version('openapi-python-client'))"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return found


_IMPORT_PROBE = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def import_seconds(python: Path, out: Path) -> float:
    """Median time to import the package generated into ``out`` (bytecode compiled first, as pip does)."""
    package = next(p.parent for p in sorted(out.glob("*/__init__.py")))
    subprocess.run([str(python), "-m", "compileall", "-q", str(package)], check=True, capture_output=True)
    runs = [
        float(
            subprocess.run(
                [str(python), "-c", _IMPORT_PROBE.format(package.name)],
                cwd=out,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(5)
    ]
    return statistics.median(runs)


def least_squares(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(slope, intercept) of the least-squares line through the points."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return slope, my - slope * mx


# --------------------------------------------------------------------------- loopback server


#: Base-URL path under which the server fails one batch in ten (the one whose first course
#: number is a multiple of 1,000) with a 1 MB error body; other paths always answer 202.
FAILING_PREFIX = "/fail-10-percent/"
FAILED_BATCH_BODY = json.dumps(
    {"statusCode": 500, "message": "x" * 1_000_000, "timestamp": "2026-11-26T12:00:00Z"}
).encode()


def _fails(items: list[Any]) -> bool:
    reference = str(items[0].get("external_reference", "")) if items else ""
    number = reference.removeprefix("COURSE-")
    return number.isdigit() and int(number) % 1000 == 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API
    # One write per response and no Nagle delay: otherwise the header and body
    # writes meet the peer's delayed ACK and every call takes ~40 ms.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        # Count the items cheaply: one empty error list per submitted item.
        try:
            items = json.loads(raw).get("items", [])
        except ValueError:
            items = []
        count = len(items)
        if self.path.startswith(FAILING_PREFIX) and _fails(items):
            self.send_response(500)
            body = FAILED_BATCH_BODY
        else:
            body = (
                b'{"statusCode":202,"message":"Batch accepted","timestamp":"2026-11-26T12:00:00Z","errors":['
                + b",".join([b"[]"] * count)
                + b"]}"
            )
            self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def start_server() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def write_jsonl(path: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT / "generated"))
    from stackone_lms.testing import load_fixture

    seed = load_fixture("lms_batch_upsert_course", "request")["items"][0]
    text = json.dumps(seed, separators=(",", ":"))
    marker = json.dumps(seed["external_reference"])
    assert text.count(marker) >= 1
    head, tail = text.split(marker, 1)  # first occurrence is the course's own reference
    with path.open("w") as handle:
        for i in range(n):
            handle.write(f'{head}"COURSE-{i}"{tail}\n')


def client_bench(*args: Any) -> dict[str, Any]:
    result = run_measured([str(PY), str(BENCH / "_client_bench.py"), *map(str, args)])
    if result["rc"] != 0:
        raise RuntimeError(f"_client_bench {args} failed:\n{result['stderr'][-3000:]}")
    data = json.loads(result["stdout"].strip().splitlines()[-1])
    data["process_max_rss_mb"] = result["max_rss_mb"]
    data["process_seconds"] = result["seconds"]
    return data


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs; about 2 minutes")
    parser.add_argument("--sizes", type=int, nargs="+", help="synthetic operation counts (default 10 100 1000)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per generator input, or per compared run of --realworld (best kept)"
    )
    parser.add_argument("--skip-generation", action="store_true")
    parser.add_argument("--skip-client", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results.md")
    parser.add_argument(
        "--realworld", action="store_true", help="GitHub's, Stripe's and four corpus documents instead (issue 11)"
    )
    parser.add_argument(
        "--only", nargs="+", help="with --realworld: only these documents (any names of tests/realworld/corpus.txt)"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    sizes = args.sizes or ([10, 50] if quick else [10, 100, 1000])
    encode_n = 10_000
    parse_n = 10_000
    bulk_big, bulk_small = (20_000, 2_000) if quick else (100_000, 10_000)
    overhead_calls = 200 if quick else 1000

    opc = ensure_opc()
    # openapi-python-client's default post-hooks run `ruff check --fix` and
    # `ruff format`: its venv's bin must be on PATH or they are skipped (with a
    # warning) and its times leave out formatting, which ours include.
    opc_env = {**os.environ, "PATH": f"{OPC_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    info = versions(OPC_VENV / "bin" / "python")
    as_installed()
    if args.realworld:
        out = args.out if args.out != BENCH / "results.md" else BENCH / "results-realworld.md"
        return realworld.run(opc, opc_env, args.only, out, info, args.repeat)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    rows: list[tuple[str, str, str, str]] = []  # figure, value, target, verdict
    gen_rows: list[dict[str, Any]] = []
    notes: list[str] = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "MISSED")

    try:
        if not args.skip_generation:
            inputs: list[tuple[str, int | None, Path]] = [("default (stackone-lms)", None, DEFAULT_SPEC)]
            for n in sizes:
                inputs.append((f"synthetic {n} ops", n, write_spec(n, work / f"synthetic-{n}.yaml")))
            for label, n, spec in inputs:
                best: dict[str, dict[str, Any]] = {}
                # "ours" runs with an empty cache (cold); "ours_warm" right after, with the
                # models, fixtures and validation caches that the cold run filled.
                cache = work / f"cache-{n}"
                for tool in ("ours", "ours_warm", "opc"):
                    for attempt in range(args.repeat):
                        out = work / f"out-{tool}-{n}"
                        shutil.rmtree(out, ignore_errors=True)
                        env = opc_env
                        if tool.startswith("ours"):
                            if tool == "ours":
                                shutil.rmtree(cache, ignore_errors=True)
                            env = {**os.environ, "OPENAPI_PYCLIENT_CACHE": str(cache)}
                            cmd = [str(PY), "-m", "generator", str(spec), "--out", str(out)]
                        else:
                            cmd = [str(opc), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"]
                        log(f"{tool}: {label} (run {attempt + 1})")
                        r = run_measured(cmd, env=env)
                        if r["rc"] != 0:
                            err = (r["stderr"].strip() or r["stdout"].strip()).splitlines()
                            notes.append(f"{tool} failed on {label} (exit {r['rc']}): {err[-1] if err else ''}")
                            log(notes[-1])
                        if tool not in best or r["seconds"] < best[tool]["seconds"]:
                            best[tool] = r
                        if r["seconds"] > 300:
                            break  # one run is enough for a slow input
                    said = (best[tool]["stdout"] + "\n" + best[tool]["stderr"]).splitlines()
                    warns = [line.strip() for line in said if "warning" in line.lower()]
                    if warns:
                        name = "openapi-python-client" if tool == "opc" else "our generator"
                        notes.append(
                            f"{name} printed {len(warns)} warning line(s) on {label}, first: `{warns[0][:160]}`"
                        )
                gen_rows.append(
                    {
                        "label": label,
                        "ops": n,
                        **{f"{k}_{t}": v[k] for t, v in best.items() for k in ("seconds", "max_rss_mb", "rc")},
                    }
                )
                log(
                    f"  ours {best['ours']['seconds']:.2f}s {best['ours']['max_rss_mb']:.0f}MB | opc {best['opc']['seconds']:.2f}s {best['opc']['max_rss_mb']:.0f}MB"
                )

            # Importing the largest generated package: ours is split by tag and loads models lazily.
            largest = max(n for _, n, _ in inputs if n is not None)
            log(f"import time of the {largest}-operation packages")
            ours_import = import_seconds(PY, work / f"out-ours-{largest}")
            opc_import = import_seconds(OPC_VENV / "bin" / "python", work / f"out-opc-{largest}")

            # --check on the unchanged committed tree
            checks = [run_measured([str(PY), "-m", "generator", "--check"]) for _ in range(3)]
            check_s = statistics.median(c["seconds"] for c in checks)
            check_rc = checks[-1]["rc"]
            if check_rc != 0:
                notes.append(
                    f"`python -m generator --check` exited {check_rc}: {checks[-1]['stderr'].strip().splitlines()[:1]}"
                )

            for g in gen_rows:
                # A failed run has no meaningful time: no ratio for it.
                ok_both = g["rc_ours"] == 0 and g["rc_opc"] == 0
                g["ratio"] = g["seconds_ours"] / g["seconds_opc"] if ok_both else None
                g["ratio_warm"] = g["seconds_ours_warm"] / g["seconds_opc"] if ok_both else None
            synth = [g for g in gen_rows if g["ops"] is not None and g["rc_ours"] == 0]
            slope = intercept = None
            if len(synth) >= 2:
                slope, intercept = least_squares([g["ops"] for g in synth], [g["seconds_ours"] for g in synth])
                mem_slope, mem_icpt = least_squares([g["ops"] for g in synth], [g["max_rss_mb_ours"] for g in synth])

            def fmt_ratio(g: dict[str, Any]) -> str:
                return "failed" if g["ratio"] is None else f"{g['ratio']:.2f}x"

            all_ratio_ok = all(g["ratio"] is not None and g["ratio"] <= 1.0 for g in gen_rows)
            big = [g for g in gen_rows if g["ops"] == 1000]
            rows.append(
                (
                    "generation time ours/opc, every input",
                    ", ".join(fmt_ratio(g) for g in gen_rows),
                    "<= 1.0x",
                    verdict(all_ratio_ok),
                )
            )
            rows.append(
                (
                    "generation time ours (warm cache)/opc, every input",
                    ", ".join("failed" if g["ratio_warm"] is None else f"{g['ratio_warm']:.2f}x" for g in gen_rows),
                    "<= 1.0x",
                    verdict(all(g["ratio_warm"] is not None and g["ratio_warm"] <= 1.0 for g in gen_rows)),
                )
            )
            big_ok = None if not big else (big[0]["ratio"] is not None and big[0]["ratio"] <= 0.5)
            rows.append(
                (
                    "generation time ours/opc, 1000 ops",
                    fmt_ratio(big[0]) if big else "not run",
                    "<= 0.5x",
                    verdict(big_ok),
                )
            )
            if big and big[0]["ratio_warm"] is not None:
                rows.append(
                    (
                        "generation time ours (warm cache)/opc, 1000 ops",
                        f"{big[0]['ratio_warm']:.2f}x",
                        "<= 0.5x",
                        verdict(big[0]["ratio_warm"] <= 0.5),
                    )
                )
            peak = max(g["max_rss_mb_ours"] for g in gen_rows)
            rows.append(("generator peak RSS (max over inputs)", f"{peak:.0f} MB", "<= 1536 MB", verdict(peak <= 1536)))
            if slope is not None:
                lin = ""
                if len(synth) >= 3:
                    # how far the measured points stray from the fitted line (0% = exactly linear)
                    fit = [slope * g["ops"] + intercept for g in synth]
                    worst = max(abs(f - g["seconds_ours"]) / g["seconds_ours"] for f, g in zip(fit, synth, strict=True))
                    lin = f"; worst residual {worst:.0%}"
                rows.append(
                    (
                        "generator time slope (least squares)",
                        f"{slope * 1000:.1f} ms/op + {intercept:.2f} s{lin}",
                        "linear",
                        "see table",
                    )
                )
                rows.append(
                    (
                        "generator memory slope",
                        f"{mem_slope * 1024:.0f} KB/op + {mem_icpt:.0f} MB",
                        "linear",
                        "see table",
                    )
                )
            rows.append(
                (
                    f"import the generated {largest}-operation package (median of 5)",
                    f"{ours_import * 1e3:.0f} ms (openapi-python-client's: {opc_import * 1e3:.0f} ms)",
                    "fast (issue 5)",
                    "-",
                )
            )
            rows.append(
                (
                    "`python -m generator --check` (median of 3)",
                    f"{check_s:.2f} s (exit {check_rc})",
                    "< 0.5 s",
                    verdict(check_s < 0.5),
                )
            )

        if not args.skip_client:
            server, url = start_server()
            try:
                log(f"encode {encode_n}")
                enc = client_bench("encode", encode_n)
                rows.append(
                    (
                        f"encode {encode_n:,} courses (encode_body, pause_gc=True) / json.dumps",
                        f"{enc['ratio']:.2f}x ({enc['client_s']*1e3:.0f} ms vs {enc['json_dumps_s']*1e3:.0f} ms; via models {enc['from_models_s']*1e3:.0f} ms; collector left running {enc['default_ratio']:.1f}x)",
                        "<= 3x",
                        verdict(enc["ratio"] <= 3),
                    )
                )
                log(f"parse {parse_n}")
                par = client_bench("parse", parse_n)
                rows.append(
                    (
                        f"parse 202 with {parse_n:,} error lists / json.loads",
                        f"{par['ratio']:.2f}x ({par['model_s']*1e3:.2f} ms vs {par['json_loads_s']*1e3:.2f} ms)",
                        "<= 3x",
                        verdict(par["ratio"] <= 3),
                    )
                )
                jsonl = work / "courses.jsonl"
                log(f"writing {bulk_big} courses to {jsonl}")
                write_jsonl(jsonl, bulk_big)
                base = client_bench("baseline")
                for c in (1, 4, 16):
                    log(f"bulk {bulk_big} at concurrency {c}")
                    b = client_bench("bulk", url, jsonl, bulk_big, c)
                    ok = b["succeeded"] == bulk_big
                    rows.append(
                        (
                            f"bulk upsert {bulk_big:,} items, concurrency {c}",
                            f"{b['items_per_s']:,.0f} items/s ({b['seconds']:.1f} s, max RSS {b['process_max_rss_mb']:.0f} MB){'' if ok else ' FAILED ITEMS'}",
                            "(throughput)",
                            "-" if ok else "MISSED",
                        )
                    )
                    if c == 4:
                        big_rss = b["process_max_rss_mb"]
                log(f"bulk {bulk_small} at concurrency 4")
                s = client_bench("bulk", url, jsonl, bulk_small, 4)
                growth = big_rss - s["process_max_rss_mb"]
                rows.append(
                    (
                        f"bulk peak RSS {bulk_small:,} -> {bulk_big:,} items (c=4)",
                        f"{s['process_max_rss_mb']:.0f} MB -> {big_rss:.0f} MB: +{growth:.1f} MB (import-only process {base['process_max_rss_mb']:.0f} MB)",
                        "<= +50 MB",
                        verdict(growth <= 50),
                    )
                )
                failing = {}
                for n in (bulk_small, bulk_big):
                    log(f"bulk {n} through the command line, 10% of batches failing")
                    failing[n] = client_bench("bulk-failing", url + FAILING_PREFIX.rstrip("/"), jsonl, n)
                f_small, f_big = failing[bulk_small], failing[bulk_big]
                f_growth = f_big["process_max_rss_mb"] - f_small["process_max_rss_mb"]
                accounted = all(f["recorded"] == f["n"] and f["failed"] == f["n"] // 10 for f in failing.values())
                rows.append(
                    (
                        f"bulk CLI, 10% of batches failing (1 MB error bodies), peak RSS {bulk_small:,} -> {bulk_big:,} items",
                        f"{f_small['process_max_rss_mb']:.0f} MB -> {f_big['process_max_rss_mb']:.0f} MB: +{f_growth:.1f} MB"
                        f" ({f_big['items_per_s']:,.0f} items/s){'' if accounted else ' ITEMS UNACCOUNTED'}",
                        "<= +50 MB",
                        verdict(f_growth <= 50 and accounted),
                    )
                )
                log(f"overhead {overhead_calls} calls")
                ov = client_bench("overhead", url, overhead_calls)
                rows.append(
                    (
                        f"per-call overhead vs bare httpx (median of {overhead_calls})",
                        f"{ov['ratio']:.2f}x ({ov['client_median_ms']:.2f} ms vs {ov['bare_median_ms']:.2f} ms)",
                        "<= 1.3x",
                        verdict(ov["ratio"] <= 1.3),
                    )
                )
            finally:
                server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # ----------------------------------------------------------------- report
    lines = [
        "# Benchmark results (issue 6)",
        "",
        f"Produced by `.venv/bin/python bench/run.py{' --quick' if quick else ''}` on "
        f"{datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        f"Machine: {platform.platform()}, os.cpu_count() = {os.cpu_count()}.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in info.items()) + ".",
        "",
    ]
    if gen_rows:
        lines += [
            "## Generation: ours vs openapi-python-client",
            "",
            f"Best of {args.repeat} run(s) per input; wall time of the whole process, peak = child max RSS.",
            "",
            "| input | ours cold s | ours warm s | ours peak MB | opc s | opc peak MB | ratio cold | ratio warm | exit ours/opc |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for g in gen_rows:
            lines.append(
                f"| {g['label']} | {g['seconds_ours']:.2f} | {g['seconds_ours_warm']:.2f} | {g['max_rss_mb_ours']:.0f} | "
                f"{g['seconds_opc']:.2f} | {g['max_rss_mb_opc']:.0f} | {fmt_ratio(g)} | "
                f"{'failed' if g['ratio_warm'] is None else format(g['ratio_warm'], '.2f') + 'x'} | {g['rc_ours']}/{g['rc_opc']} |"
            )
        lines.append("")
    lines += ["## Figures vs targets", "", "| figure | measured | target | verdict |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.write_text(text)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
