"""Generated-client measurements, one per subprocess (so that each has its own max RSS).

Run by bench/run.py with the project's venv (where ``stackone_lms`` is installed);
prints one JSON object on stdout.  Subcommands:

    encode N              encode_body of N seed-shaped courses vs json.dumps
    parse N               BatchResultApiModel.model_validate_json of N error lists vs json.loads
    bulk URL FILE N C     lms_batch_upsert_course_in_batches of N JSONL items at concurrency C
    bulk-failing URL FILE N   the command line over the first N items of FILE, report and failed items to files
    overhead URL CALLS    median per-call time of the client vs a bare httpx.Client POST
    baseline              imports only (RSS floor of a client process)
"""

from __future__ import annotations

import copy
import gc
import itertools
import json
import resource
import statistics
import sys
import time
from typing import Any


def seed_course() -> dict[str, Any]:
    from stackone_lms.testing import load_fixture

    return load_fixture("lms_batch_upsert_course", "request")["items"][0]


def courses(n: int) -> list[dict[str, Any]]:
    seed = seed_course()
    out = []
    for i in range(n):
        course = copy.deepcopy(seed)
        course["external_reference"] = f"COURSE-{i}"
        out.append(course)
    return out


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cmd_encode(n: int) -> dict[str, Any]:
    from stackone_lms import _request, models
    from stackone_lms._endpoints import OPERATIONS

    items = courses(n)
    body = {"items": items}
    op = OPERATIONS["lms_batch_upsert_course"]
    encoded, _content_type = _request.encode_body(op, body)
    plain = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    # As the command line sends (pause_gc=True); a client leaves the collector alone by default.
    t_client = best_of(lambda: _request.encode_body(op, body, pause_gc=True), 3)
    t_default = best_of(lambda: _request.encode_body(op, body), 1)
    t_json = best_of(lambda: json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode(), 3)
    # Building typed models first (the other way a caller may pass items).
    t_models = best_of(
        lambda: _request.encode_body(op, models.LmsBatchUpsertCourseRequestDto.model_validate(body)),
        1,
    )
    return {
        "n": n,
        "bytes": len(encoded),
        "same_bytes": encoded == plain,
        "client_s": t_client,
        "json_dumps_s": t_json,
        "ratio": t_client / t_json,
        "default_ratio": t_default / t_json,
        "from_models_s": t_models,
    }


def cmd_parse(n: int) -> dict[str, Any]:
    from stackone_lms import models

    errors = [["external_reference is required", "title is too long"] if i % 10 == 0 else [] for i in range(n)]
    payload = json.dumps(
        {"statusCode": 202, "message": "Batch accepted", "timestamp": "2026-11-26T12:00:00Z", "errors": errors}
    ).encode()
    parsed = models.BatchResultApiModel.model_validate_json(payload)
    assert len(parsed.errors or []) == n
    t_model = best_of(lambda: models.BatchResultApiModel.model_validate_json(payload), 5)
    t_json = best_of(lambda: json.loads(payload), 5)
    return {"n": n, "bytes": len(payload), "model_s": t_model, "json_loads_s": t_json, "ratio": t_model / t_json}


def cmd_bulk(url: str, path: str, n: int, concurrency: int) -> dict[str, Any]:
    from stackone_lms import Client

    base = rss_mb()

    def items():
        with open(path, "rb") as handle:
            for line in itertools.islice(handle, n):
                yield json.loads(line)

    with Client(base_url=url, username="k", password="", account_id="a", max_retries=0) as client:
        start = time.perf_counter()
        report = client.lms_batch_upsert_course_in_batches(items(), batch_size=100, max_concurrency=concurrency)
        elapsed = time.perf_counter() - start
    return {
        "n": n,
        "concurrency": concurrency,
        "total": report.total,
        "succeeded": report.succeeded,
        "failed": len(report.failed),
        "seconds": elapsed,
        "items_per_s": n / elapsed,
        "rss_after_import_mb": base,
        "max_rss_mb": rss_mb(),
    }


def cmd_bulk_failing(url: str, path: str, n: int) -> dict[str, Any]:
    """``python -m stackone_lms batch-upsert-course`` in this process; the server fails some batches."""
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    from stackone_lms.__main__ import main as cli

    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "in.jsonl"
        with open(path, "rb") as handle, source.open("wb") as out:
            out.writelines(itertools.islice(handle, n))
        report, failed = Path(work) / "report.jsonl", Path(work) / "failed.jsonl"
        args = ["batch-upsert-course", str(source), "--report", str(report), "--failed-out", str(failed)]
        args += ["--max-retries", "0", "--base-url", url, "--username", "k", "--account-id", "a"]
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            status = cli(args)
        elapsed = time.perf_counter() - start
        outcomes: dict[int, str] = {}
        with report.open() as lines:
            for line in lines:
                record = json.loads(line)
                outcomes[record["line"]] = record["status"]
        with failed.open("rb") as lines:
            failed_items = sum(1 for _ in lines)
    return {
        "n": n,
        "exit_status": status,
        "recorded": sum(1 for value in outcomes.values() if value in ("succeeded", "failed")),
        "failed": failed_items,
        "seconds": elapsed,
        "items_per_s": n / elapsed,
        "max_rss_mb": rss_mb(),
    }


def cmd_overhead(url: str, calls: int) -> dict[str, Any]:
    import httpx
    from stackone_lms import Client, _request, _runtime
    from stackone_lms._endpoints import OPERATIONS

    body = {"items": [seed_course()]}
    with Client(base_url=url, username="k", password="", account_id="a", max_retries=0) as client:
        # Same bytes and headers as the client sends, taken from its own request.
        request = _request.build_request(
            client._settings,
            OPERATIONS["lms_batch_upsert_course"],
            _runtime.Call(headers={"x-account-id": None}, body=body, options=_runtime.RequestOptions(None, None, None)),
        )
        content = request.content
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("content-length", "host")}
        target = str(request.url)
        with httpx.Client() as bare:

            def bare_call() -> None:
                response = bare.post(target, content=content, headers=headers)
                response.raise_for_status()
                json.loads(response.content)

            def client_call() -> None:
                client.lms_batch_upsert_course(body=body)

            for fn in (bare_call, client_call):  # warm up connections and caches
                for _ in range(20):
                    fn()
            t_bare: list[float] = []
            t_client: list[float] = []
            for _ in range(calls):  # interleaved, so drift hits both alike
                for fn, sink in ((bare_call, t_bare), (client_call, t_client)):
                    start = time.perf_counter()
                    fn()
                    sink.append(time.perf_counter() - start)
    bare_median = statistics.median(t_bare)
    client_median = statistics.median(t_client)
    return {
        "calls": calls,
        "bare_median_ms": bare_median * 1e3,
        "client_median_ms": client_median * 1e3,
        "ratio": client_median / bare_median,
    }


def cmd_baseline() -> dict[str, Any]:
    import stackone_lms  # noqa: F401

    return {"max_rss_mb": rss_mb()}


def main(argv: list[str]) -> int:
    cmd, *args = argv
    if cmd == "encode":
        result = cmd_encode(int(args[0]))
    elif cmd == "parse":
        result = cmd_parse(int(args[0]))
    elif cmd == "bulk":
        result = cmd_bulk(args[0], args[1], int(args[2]), int(args[3]))
    elif cmd == "bulk-failing":
        result = cmd_bulk_failing(args[0], args[1], int(args[2]))
    elif cmd == "overhead":
        result = cmd_overhead(args[0], int(args[1]))
    elif cmd == "baseline":
        result = cmd_baseline()
    else:
        raise SystemExit(f"unknown command {cmd}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
