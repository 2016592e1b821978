"""The bulk command line loses nothing: killed, interrupted, resumed, over a real loopback server."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loopback import Reply, Seen, serve

ACCEPTED = {"statusCode": 202, "message": "Batch operation accepted", "timestamp": "2021-01-01T01:01:01.000Z"}


@pytest.fixture(autouse=True)
def ctrl_c_reaches_children() -> Iterator[None]:
    """SIGINT handled in this process while the test runs: a child started while it is ignored (pytest run in
    the background of a shell, which ignores it there) keeps ignoring it, as ``nohup`` wants, and no Ctrl-C
    could stop the CLI; a handler is reset to the default in a new program, which Python then handles."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def digest(item: Any) -> str:
    """The content hash the report identifies items by (documented in the CLI)."""
    return hashlib.sha256(
        json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


def courses(count: int, prefix: str = "c") -> list[dict[str, Any]]:
    return [
        {"external_reference": f"{prefix}-{i}", "title": "bad" if i % 10 == 3 else "fail-batch" if i == 25 else "ok"}
        for i in range(count)
    ]


def write_jsonl(path: Path, items: list[Any]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    return path


def sent_references(seen: list[Seen]) -> list[str]:
    return [item["external_reference"] for s in seen for item in json.loads(s.body)["items"]]


def responder(delay: float = 0.0, fixed_lists: bool = False) -> Any:
    def answer(seen: Seen) -> Reply:
        items = json.loads(seen.body)["items"]
        if any(item["title"] == "fail-batch" for item in items):
            failed = {"statusCode": 500, "message": "boom", "timestamp": ACCEPTED["timestamp"]}
            return Reply(500, failed, {"Retry-After": "0"}, delay=delay)  # retried at once
        if fixed_lists:  # as the documentation's example: three lists whatever the batch
            return Reply(202, {**ACCEPTED, "errors": [["x"], [], []]}, delay=delay)
        errors = [["Missing field: name"] if item["title"] == "bad" else [] for item in items]
        return Reply(202, {**ACCEPTED, "errors": errors}, delay=delay)

    return answer


def env(url: str = "http://127.0.0.1:9") -> dict[str, str]:
    return {
        **os.environ,
        "STACKONE_LMS_USERNAME": "k",
        "STACKONE_LMS_ACCOUNT_ID": "acc-1",
        "STACKONE_LMS_BASE_URL": url,
    }


def cli(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackone_lms", "batch-upsert-course", *args],
        cwd=cwd,
        env=env(url),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def outcomes(path: Path) -> dict[str, str]:
    """Item hash -> its last status in the report."""
    return {r["sha256"]: r["status"] for r in records(path) if "sha256" in r}


def summary(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_summary_failed_out_and_resume(tmp_path: Path) -> None:
    items = courses(40)
    source = write_jsonl(tmp_path / "in.jsonl", [*items[:20], "not an object", *items[20:]])
    with serve(responder=responder()) as server:
        first = cli(
            tmp_path, server.url, str(source), "--batch-size", "5", "--report", "r1.jsonl", "--failed-out", "f1.jsonl"
        )
    assert first.returncode == 1 and "Traceback" not in first.stderr
    # Items 3, 13, 23, 33 are refused one by one; the batch of item 25 (20-24 is the 5th batch) fails whole.
    failed_refs = {"c-3", "c-13", "c-23", "c-33", *(f"c-{i}" for i in range(25, 30))}
    assert summary(first.stderr) == "41 items read, 31 succeeded, 9 failed, 0 unverified, 1 rejected locally"
    assert {item["external_reference"] for item in records(tmp_path / "f1.jsonl")} == failed_refs
    assert records(tmp_path / "f1.jsonl")[0] in items  # the items themselves, ready to send again
    status = outcomes(tmp_path / "r1.jsonl")
    assert all(
        status[digest(item)] == ("failed" if item["external_reference"] in failed_refs else "succeeded")
        for item in items
    )
    assert next(r for r in records(tmp_path / "r1.jsonl") if r["status"] == "rejected")["line"] == 21

    # Resume from the report, with the input reordered: items are known by content, not line.
    fixed = [{**item, "title": "ok"} if item["external_reference"] != "c-25" else item for item in items]
    reordered = write_jsonl(tmp_path / "again.jsonl", list(reversed(items)))
    with serve(responder=responder()) as server:
        second = cli(tmp_path, server.url, str(reordered), "--resume", "r1.jsonl", "--report", "r2.jsonl")
    assert set(sent_references(server.seen)) == failed_refs  # (the failing batch is retried)
    assert summary(second.stderr).startswith("40 items read, 0 succeeded, 9 failed")
    assert "31 skipped (accepted before)" in summary(second.stderr) and second.returncode == 1
    # Skipped items stay accepted for the next resume; the failed-out file is a valid input.
    with serve(responder=responder()) as server:
        third = cli(tmp_path, server.url, str(write_jsonl(tmp_path / "fixed.jsonl", fixed)), "--resume", "r2.jsonl")
    assert set(sent_references(server.seen)) == failed_refs
    assert third.returncode == 1  # c-25 still fails its batch
    assert cli(tmp_path, server.url, str(source), "--resume", "r1.jsonl", "--report", "r1.jsonl").returncode == 2


def test_unverified_items_are_counted_and_fail_the_run(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"external_reference": f"u-{i}", "title": "ok"} for i in range(12)])
    with serve(responder=responder(fixed_lists=True)) as server:
        result = cli(tmp_path, server.url, str(source), "--batch-size", "5", "--report", "r.jsonl")
    assert result.returncode == 1
    assert summary(result.stderr) == "12 items read, 0 succeeded, 0 failed, 12 unverified, 0 rejected locally"
    ambiguous = [r for r in records(tmp_path / "r.jsonl") if "raw_errors" in r]
    assert len(ambiguous) == 3 and ambiguous[0]["raw_errors"] == [["x"], [], []]


def test_bad_usage_and_outputs_fail_before_anything_is_sent(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", courses(3))
    with serve(responder=responder()) as server:
        for args in (
            ["--batch-size", "0"],
            ["--report", str(tmp_path / "no" / "such" / "dir.jsonl")],
            ["--failed-out", str(tmp_path)],
            ["--resume", str(tmp_path / "missing.jsonl")],
            ["--frobnicate"],
        ):
            result = cli(tmp_path, server.url, str(source), *args)
            assert result.returncode == 2, (args, result.stderr)
            assert result.stderr.startswith("error:") and len(result.stderr.strip().splitlines()) == 1, result.stderr
        (tmp_path / "array.json").write_text('[{"title": "a"},\n{"title": ]')
        result = cli(tmp_path, server.url, str(tmp_path / "array.json"))
        assert result.returncode == 2 and result.stderr.startswith("error:") and "array.json:2" in result.stderr
        assert server.seen == []


def test_enum_problems_are_short_in_the_report(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"title": "T", "languages": [{"value": "en_gb"}]}])
    result = cli(tmp_path, "http://127.0.0.1:9", str(source), "--dry-run")
    [record] = map(json.loads, result.stdout.splitlines())
    [message] = record["messages"]
    assert result.returncode == 1 and len(message) < 200 and "languages.0.value" in message and "'en_GB'" in message


def _start(tmp_path: Path, url: str, source: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "stackone_lms", "batch-upsert-course", str(source), "--report", "r.jsonl", *args],
        cwd=tmp_path,
        env=env(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _when_requests(count: int) -> tuple[threading.Event, Any]:
    """A responder that answers slowly and sets an event once ``count`` requests arrived."""
    arrived = threading.Event()
    slow = responder(delay=0.3)

    def answer(seen: Seen) -> Reply:
        # Called under the server's lock: the count of seen requests is exact.
        if answer.calls + 1 >= count:  # type: ignore[attr-defined]
            arrived.set()
        answer.calls += 1  # type: ignore[attr-defined]
        return slow(seen)

    answer.calls = 0  # type: ignore[attr-defined]
    return arrived, answer


def _batches_seen(seen: list[Seen]) -> Iterator[list[dict[str, Any]]]:
    for s in seen:
        yield json.loads(s.body)["items"]


@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_a_stopped_run_accounts_for_every_item_sent(tmp_path: Path, how: str) -> None:
    items = [{"external_reference": f"k-{i}", "title": "bad" if i % 7 == 0 else "ok"} for i in range(400)]
    source = write_jsonl(tmp_path / "in.jsonl", items)
    arrived, answer = _when_requests(4)
    with serve(responder=answer) as server:
        process = _start(tmp_path, server.url, source, "--batch-size", "10", "--max-concurrency", "2")
        assert arrived.wait(60), "the CLI sent nothing"
        process.send_signal(signal.SIGINT if how == "SIGINT" else signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
        sent = [item for batch in _batches_seen(server.seen) for item in batch]
    assert 40 <= len(sent) < 400
    status = outcomes(tmp_path / "r.jsonl")
    if how == "SIGKILL":
        assert process.returncode == -signal.SIGKILL
        # Every item sent is in the record: with its outcome, or "pending" if it was in flight.
        assert all(status.get(digest(item)) in ("succeeded", "failed", "pending") for item in sent)
    else:
        assert process.returncode == 130, stderr
        assert "interrupted" in stderr and "Traceback" not in stderr
        # The batches in flight were let finish: every item sent has its outcome.
        expected = {digest(item): "failed" if item["title"] == "bad" else "succeeded" for item in sent}
        assert {key: status.get(key) for key in expected} == expected
        succeeded = sum(1 for item in sent if item["title"] == "ok")
        assert f"{succeeded:,} succeeded, {len(sent) - succeeded:,} failed" in summary(stderr)
    # Resuming sends exactly what was not accepted.
    with serve(responder=responder()) as server:
        resumed = cli(tmp_path, server.url, str(source), "--resume", "r.jsonl", "--report", "r2.jsonl")
    accepted = {key for key, value in status.items() if value == "succeeded"}
    assert sorted(sent_references(server.seen)) == sorted(
        i["external_reference"] for i in items if digest(i) not in accepted
    )
    assert resumed.returncode == 1  # the "bad" items fail again


def test_a_second_interrupt_abandons_a_hung_batch(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", courses(30, "h"))
    arrived = threading.Event()

    def hang(seen: Seen) -> Reply:
        arrived.set()
        return Reply(202, {**ACCEPTED, "errors": []}, delay=50)

    with serve(responder=hang) as server:
        process = _start(tmp_path, server.url, source, "--batch-size", "10", "--max-concurrency", "1")
        assert arrived.wait(60), "the CLI sent nothing"
        assert process.stderr is not None
        process.send_signal(signal.SIGINT)
        lines = iter(process.stderr.readline, "")
        assert any("interrupted: reading no more items" in line for line in lines)
        process.send_signal(signal.SIGINT)
        # Well before the server's 50 s delay or the client's 60 s timeout.
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    status = [r["status"] for r in records(tmp_path / "r.jsonl")]
    assert status == ["pending"] * 10 + ["failed"] * 10
    failed = records(tmp_path / "r.jsonl")[-1]
    assert "interrupted before the API answered" in failed["messages"][0]
    assert "0 succeeded, 10 failed" in summary(stderr)


def test_without_a_terminal_progress_is_plain_lines_counting_local_rejections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from stackone_lms import __main__ as cli_module

    monkeypatch.setattr(cli_module, "PLAIN_PROGRESS_EVERY", 0.0)  # a line at every step, not every 5 s
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    source = write_jsonl(tmp_path / "in.jsonl", [*courses(6), {"title": 5}])
    with serve(responder=responder()) as server:
        status = cli_module.main(
            [
                "batch-upsert-course",
                str(source),
                "--batch-size",
                "3",
                "--base-url",
                server.url,
                "--report",
                str(tmp_path / "r.jsonl"),
            ]
        )
    lines = capsys.readouterr().err.splitlines()
    assert status == 1 and "\r" not in "".join(lines)
    # Reading and sending overlap, so when the rejection is counted depends on the scheduler; the counts do not.
    progress = lines[:-1]
    assert progress and all("items sent:" in line for line in progress)
    assert any(line.endswith(", 1 rejected locally") for line in progress)
    assert progress[-1] == "         6 items sent: 5 succeeded, 1 failed, 0 unverified, 1 rejected locally"
    assert lines[-1] == "7 items read, 5 succeeded, 1 failed, 0 unverified, 1 rejected locally"
