"""The generated client against real loopback HTTP servers: retries, timeouts, failures, logs."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from loopback import Reply, Seen, free_port, serve
from stackone_lms import Client, errors

ACCEPTED = {
    "statusCode": 202,
    "message": "Batch operation accepted",
    "timestamp": "2021-01-01T01:01:01.000Z",
    "errors": [[]],
}
ERROR = {"statusCode": 429, "message": "slow down", "timestamp": "2021-01-01T01:01:01.000Z"}
BODY = {"items": [{"external_reference": "c-1", "title": "T"}]}


def client(url: str, **options: Any) -> Client:
    options.setdefault("username", "sk_live_TOPSECRET")
    options.setdefault("password", "hunter2")
    options.setdefault("account_id", "acc-1")
    return Client(base_url=url, **options)


def test_retry_sequence_with_retry_after_seconds_and_http_date() -> None:
    # Waits of zero: how long each wait is, is for the exchange's unit tests (test_exchange_unit.py).
    past = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    replies = [
        Reply(429, ERROR, {"Retry-After": "0"}),
        Reply(503, b"unavailable", {"Retry-After": past}),
        Reply(202, ACCEPTED),
    ]
    with serve(replies) as server:
        raw = client(server.url, max_retries=3).with_raw_response.lms_batch_upsert_course(body=BODY)
    assert raw.status_code == 202 and raw.retries_taken == 2
    assert len(server.seen) == 3 and len({seen.body for seen in server.seen}) == 1


def test_retries_exhausted_report_the_count() -> None:
    with serve([Reply(502, b"bad gateway", {"Retry-After": "0"})]) as server:
        with pytest.raises(errors.BadGatewayError) as caught:
            client(server.url, max_retries=2).lms_batch_upsert_course(body=BODY)
    assert caught.value.retries_taken == 2 and len(server.seen) == 3
    assert caught.value.body == "bad gateway"


def test_dropped_connection_raises_what_the_exchange_retries() -> None:
    # Without retries, so without a real backoff: that it is retried is for the exchange's unit tests.
    with serve([Reply(drop=True)]) as server:
        with pytest.raises(errors.APIConnectionError) as caught:
            client(server.url, max_retries=0).lms_batch_upsert_course(body=BODY)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError) and len(server.seen) == 1


def test_slow_server_times_out() -> None:
    with serve([Reply(202, ACCEPTED, delay=1.0)]) as server:
        with pytest.raises(errors.APITimeoutError) as caught:
            client(server.url, max_retries=0, timeout=0.2).lms_batch_upsert_course(body=BODY)
        with pytest.raises(errors.APITimeoutError):
            client(server.url, max_retries=0).lms_batch_upsert_course(body=BODY, timeout=httpx.Timeout(0.2))
    assert "sk_live_TOPSECRET" not in str(caught.value)


def test_refused_connection() -> None:
    with pytest.raises(errors.APIConnectionError) as caught:
        client(f"http://127.0.0.1:{free_port()}", max_retries=0).lms_batch_upsert_course(body=BODY)
    assert isinstance(caught.value.__cause__, httpx.ConnectError) and caught.value.retries_taken == 0


def test_malformed_2xx_bodies() -> None:
    for body in (b"not json at all", b'{"errors": {"not": "a list"}}', b"[1, 2]"):
        with serve([Reply(202, body)]) as server:
            with pytest.raises(errors.APIResponseValidationError) as caught:
                client(server.url).lms_batch_upsert_course(body=BODY)
        assert caught.value.status_code == 202


def test_oversized_response_is_refused() -> None:
    with serve([Reply(202, b"x" * 5000)]) as server:
        with pytest.raises(errors.APIResponseTooLargeError):
            client(server.url, max_response_bytes=1000).lms_batch_upsert_course(body=BODY)


def test_debug_logs_have_one_record_per_attempt_and_no_secrets(caplog: pytest.LogCaptureFixture) -> None:
    with serve([Reply(429, ERROR, {"Retry-After": "0"}), Reply(202, ACCEPTED)]) as server:
        with caplog.at_level(logging.DEBUG, logger="stackone_lms"):
            client(server.url, max_retries=1).lms_batch_upsert_course(body=BODY)
    records = [r for r in caplog.records if r.name == "stackone_lms"]
    assert len(records) == 2
    assert (
        "POST" in records[0].getMessage() and "429" in records[0].getMessage() and "retry 0" in records[0].getMessage()
    )
    assert "202" in records[1].getMessage() and "retry 1" in records[1].getMessage()
    text = caplog.text
    for secret in ("sk_live_TOPSECRET", "hunter2", "c3tfbGl2ZV9UT1BTRUNSRVQ6aHVudGVyMg", "external_reference"):
        assert secret not in text


def test_real_connection_carries_auth_and_account_header() -> None:
    with serve([Reply(202, ACCEPTED)]) as server:
        client(server.url, password="").lms_batch_upsert_course(body=BODY)
    [seen] = server.seen
    assert seen.path == "/unified/lms/courses/batch"
    assert seen.headers["x-account-id"] == "acc-1"
    assert seen.headers["authorization"].startswith("Basic ")
    assert json.loads(seen.body) == BODY


def _bulk_responder(seen: Seen) -> Reply:
    items = json.loads(seen.body)["items"]
    if any(item["title"] == "fail-batch" for item in items):
        return Reply(500, b"internal error", {"Retry-After": "0"})
    return Reply(202, {**ACCEPTED, "errors": [["bad item"] if item["title"] == "bad" else [] for item in items]})


def test_bulk_helper_over_ten_thousand_items_on_a_real_server() -> None:
    def items() -> Any:
        for index in range(10_000):
            title = "fail-batch" if index == 4321 else "bad" if index % 997 == 0 else "ok"
            yield {"external_reference": f"c-{index}", "title": title}

    with serve(responder=_bulk_responder) as server:
        report = client(server.url, max_retries=1).lms_batch_upsert_course_in_batches(
            items(), batch_size=250, max_concurrency=4
        )
    assert report.total == 10_000 and len(report.batches) == 40
    failed_batch = [b for b in report.batches if not b.accepted]
    assert [b.start for b in failed_batch] == [4250]
    assert isinstance(failed_batch[0].error, errors.InternalServerError) and failed_batch[0].error.retries_taken == 1
    bad = {i for i in range(10_000) if i % 997 == 0 and not 4250 <= i < 4500}
    assert {f.index for f in report.failed} == bad | set(range(4250, 4500))
    assert report.succeeded == 10_000 - len(bad) - 250


def _run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackone_lms", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_cli_end_to_end(tmp_path: Path) -> None:
    source = tmp_path / "courses.jsonl"
    lines = [json.dumps({"external_reference": f"c-{i}", "title": "bad" if i == 3 else "ok"}) for i in range(10)]
    lines.insert(5, '{"external_reference": "broken", "active": "no"}')
    source.write_text("\n".join(lines) + "\n")
    import os

    env = {**os.environ, "STACKONE_LMS_USERNAME": "k", "STACKONE_LMS_ACCOUNT_ID": "acc-9"}
    dry = _run_cli(["batch-upsert-course", str(source), "--dry-run"], env, tmp_path)
    assert dry.returncode == 1
    assert [(r["line"], r["status"]) for r in map(json.loads, dry.stdout.splitlines())] == [(6, "rejected")]

    with serve(responder=_bulk_responder) as server:
        env["STACKONE_LMS_BASE_URL"] = server.url
        result = _run_cli(
            ["batch-upsert-course", str(source), "--batch-size", "4", "--report", "report.jsonl"], env, tmp_path
        )
        assert result.returncode == 1, result.stderr
        records = [json.loads(line) for line in (tmp_path / "report.jsonl").read_text().splitlines()]
        final = {r["line"]: r["status"] for r in records}  # the last record of a line is its outcome
        assert [line for line, status in sorted(final.items()) if status != "succeeded"] == [4, 6]
        assert final[4] == "failed" and final[6] == "rejected" and list(final.values()).count("succeeded") == 9
        assert all(seen.headers["x-account-id"] == "acc-9" for seen in server.seen)
        good = tmp_path / "good.json"
        good.write_text(json.dumps([{"external_reference": "a", "title": "ok"}]))
        assert _run_cli(["batch-upsert-course", str(good)], env, tmp_path).returncode == 0
    missing = _run_cli(["batch-upsert-course", str(tmp_path / "nope.jsonl")], env, tmp_path)
    assert missing.returncode == 2 and missing.stderr.startswith("error:") and "Traceback" not in missing.stderr
