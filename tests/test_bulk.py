"""The generated bulk helper, lms_batch_upsert_course_in_batches, on both clients."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
from stackone_lms import AsyncClient, BatchReport, Client, models

ACCEPTED = {"statusCode": 202, "message": "Batch operation accepted", "timestamp": "2021-01-01T01:01:01.000Z"}


class FakeBatchServer:
    """Answers each batch; items whose title starts with "bad" get a message, "boom" fails the batch."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        items = json.loads(request.content)["items"]
        with self.lock:
            self.batches.append(items)
        if any(item.get("title") == "boom" for item in items):
            return httpx.Response(
                400, json={"statusCode": 400, "message": "batch rejected", "timestamp": "2021-01-01T00:00:00Z"}
            )
        if any(item.get("title") == "odd" for item in items):
            return httpx.Response(202, json={**ACCEPTED, "errors": [["x"], [], []]})
        errors = [["Missing field: name"] if str(item.get("title", "")).startswith("bad") else [] for item in items]
        return httpx.Response(202, json={**ACCEPTED, "errors": errors})


def courses(count: int, consumed: list[int]) -> Iterator[dict[str, Any]]:
    for index in range(count):
        consumed.append(index)
        title = "boom" if index == 5050 else "bad" if index % 1000 == 7 else f"course {index}"
        yield {"external_reference": f"c-{index}", "title": title}


def test_ten_thousand_items_from_a_generator_with_failures() -> None:
    server = FakeBatchServer()
    client = Client(
        username="k", account_id="a", max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(server))
    )
    consumed: list[int] = []
    held: list[int] = []

    def progress(report: BatchReport, outcome: Any) -> None:
        # Never more than batch_size * max_concurrency items read ahead of completion.
        held.append(len(consumed) - report.total)

    report = client.lms_batch_upsert_course_in_batches(
        courses(10_000, consumed), batch_size=100, max_concurrency=4, on_progress=progress
    )
    assert report.total == 10_000 and len(server.batches) == 100
    assert max(held) <= 100 * 4
    bad = [f for f in report.failed if f.messages == ["Missing field: name"]]
    assert [f.index for f in bad] == [i for i in range(10_000) if i % 1000 == 7 and i // 100 != 50]
    assert bad[0].item == {"external_reference": "c-7", "title": "bad"}
    batch_failed = [f for f in report.failed if f.index // 100 == 50]
    assert len(batch_failed) == 100 and "batch rejected" in batch_failed[0].messages[0]
    failed_batch = report.batches[50]
    assert not failed_batch.accepted and failed_batch.error is not None and failed_batch.start == 5000
    assert report.succeeded == 10_000 - 100 - 9  # one failed batch, nine bad items outside it
    assert not report.ok


def test_mismatched_error_lists_are_flagged_not_guessed() -> None:
    server = FakeBatchServer()
    client = Client(username="k", account_id="a", http_client=httpx.Client(transport=httpx.MockTransport(server)))
    report = client.lms_batch_upsert_course_in_batches([{"title": "odd"}], batch_size=10)
    [outcome] = report.batches
    assert outcome.accepted and outcome.ambiguous and outcome.raw_errors == [["x"], [], []]
    assert report.failed == [] and report.succeeded == 0 and report.unverified == 1


def test_models_and_dicts_mix_and_go_out_as_given() -> None:
    server = FakeBatchServer()
    client = Client(username="k", account_id="a", http_client=httpx.Client(transport=httpx.MockTransport(server)))
    items = [
        models.LmsUpsertCourseRequestDto(external_reference="m-1", title="T", active=None),
        {"external_reference": "d-1", "extra": [1]},
    ]
    report = client.lms_batch_upsert_course_in_batches(items, batch_size=5)
    assert report.ok and report.succeeded == 2
    assert server.batches == [
        [{"external_reference": "m-1", "title": "T", "active": None}, {"external_reference": "d-1", "extra": [1]}]
    ]


def test_async_bulk_helper() -> None:
    server = FakeBatchServer()
    consumed: list[int] = []

    async def main() -> BatchReport:
        http_client = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncClient(username="k", account_id="a", max_retries=0, http_client=http_client) as client:
            return await client.lms_batch_upsert_course_in_batches(
                courses(2_000, consumed), batch_size=50, max_concurrency=8
            )

    report = asyncio.run(main())
    assert report.total == 2_000 and len(report.batches) == 40
    assert [f.index for f in report.failed] == [7, 1007]
