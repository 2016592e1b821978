"""The generated bulk helper, lms_batch_upsert_course_in_batches, on both clients."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from stackone_lms import AsyncClient, BatchOutcome, BatchReport, Client, ItemResult, errors, models

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


def test_async_iterable_of_items() -> None:
    server = FakeBatchServer()

    async def items() -> Any:
        for index in range(250):
            await asyncio.sleep(0)
            yield {"external_reference": f"a-{index}", "title": "bad" if index == 249 else "ok"}

    async def main() -> BatchReport:
        http_client = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncClient(username="k", account_id="a", http_client=http_client) as client:
            return await client.lms_batch_upsert_course_in_batches(items(), batch_size=100, max_concurrency=2)

    report = asyncio.run(main())
    assert [len(batch) for batch in server.batches] == [100, 100, 50]
    assert report.total == 250 and report.succeeded == 249 and [f.index for f in report.failed] == [249]


def test_an_unexpected_exception_fails_only_its_batch() -> None:
    server = FakeBatchServer()

    def transport(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["items"][0]["external_reference"] == "c-200":
            raise RuntimeError("a bug somewhere below the client")
        return server(request)

    client = Client(username="k", account_id="a", http_client=httpx.Client(transport=httpx.MockTransport(transport)))
    report = client.lms_batch_upsert_course_in_batches(courses(500, []), batch_size=100)
    assert report.total == 500 and report.succeeded == 399  # item 7 is "bad"
    broken = report.batches[2]
    assert not broken.accepted and isinstance(broken.error, RuntimeError)
    assert [f.index for f in report.failed] == [7, *range(200, 300)]
    assert report.failed[1].messages == ["RuntimeError: a bug somewhere below the client"]


def test_failed_batches_keep_neither_bodies_nor_items() -> None:
    """Failing batches with 200 KB error bodies: the report holds counts and excerpts, not the exchanges."""
    import gc
    import tracemalloc

    huge = {"statusCode": 500, "message": "x" * 200_000, "timestamp": "2021-01-01T00:00:00Z"}
    client = Client(
        username="k",
        account_id="a",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(500, json=huge))),
    )
    seen: list[int] = []

    def on_batch(outcome: BatchOutcome, results: list[ItemResult]) -> None:
        seen.append(sum(1 for result in results if result.status == "failed"))

    def run(count: int) -> BatchReport:
        return client.lms_batch_upsert_course_in_batches(
            courses(count, []), batch_size=100, on_batch=on_batch, keep_failed=False
        )

    tracemalloc.start()
    run(500)  # imports, caches and connection pools are made once
    gc.collect()  # what is measured is what the report holds on to, not garbage yet to collect
    before, _ = tracemalloc.get_traced_memory()
    report = run(6_000)
    gc.collect()
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.total == 6_000 and report.failed_count == 6_000 and report.failed == []
    assert sum(seen) == 6_500
    # 60 batches of 200 KB answers and 100 items each would be > 12 MB if any were kept.
    assert after - before < 2_000_000, after - before  # (under 1 MB: 60 outcomes with excerpts)
    error = report.batches[0].error
    assert isinstance(error, errors.InternalServerError) and error.__traceback__ is None and error.request is None
    assert error.response.content == b"" and len(str(error)) < 3_000


def test_default_mock_answers_are_not_ambiguous_and_responders_see_the_request() -> None:
    from stackone_lms.testing import MockAPI, RecordedCall

    mock = MockAPI()
    report = mock.client().lms_batch_upsert_course_in_batches(courses(300, []), batch_size=100)
    assert report.ok and report.succeeded == 300 and report.unverified == 0

    def answer(call: RecordedCall) -> Any:
        items = call.json["items"]
        return {**ACCEPTED, "errors": [["no"] if item["title"].startswith("bad") else [] for item in items]}

    mock.responder("lms_batch_upsert_course", answer)
    report = mock.client().lms_batch_upsert_course_in_batches(courses(2_000, []), batch_size=100)
    assert [f.index for f in report.failed] == [7, 1007] and report.succeeded == 1_998
    mock.responder("lms_batch_upsert_course", lambda call: httpx.Response(503, text="down"))
    report = mock.client().lms_batch_upsert_course_in_batches(courses(10, []), batch_size=5)
    assert report.failed_count == 10 and isinstance(report.batches[0].error, errors.APIStatusError)


def test_invalid_enum_values_are_named_with_close_matches_not_the_whole_enum() -> None:
    client = Client(
        username="k", account_id="a", http_client=httpx.Client(transport=httpx.MockTransport(FakeBatchServer()))
    )
    item = {"title": "T", "languages": [{"value": "en_gb"}], "localizations": [{"language": {"value": "zz"}}]}
    try:
        client.lms_batch_upsert_course(body={"items": [item]})
    except errors.RequestValidationError as error:
        message = str(error)
    assert "items.0.languages.0.value: 'en_gb' is not one of the 411 allowed values; did you mean 'en_GB'" in message
    assert "items.0.localizations.0.language.value: 'zz' is not one of the 411 allowed values" in message
    assert len(message) < 500 and "zu_ZA" not in message


def _batch_operation(name: str, result: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": name,
            "summary": name,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Things"}}},
            },
            "responses": {
                "200": {
                    "description": "done",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{result}"}}},
                }
            },
        }
    }


def test_per_item_errors_are_found_where_the_response_schema_puts_them(import_generated: Any) -> None:
    """Two batch operations, no upsert key: one answers with ``problems`` (lists per item), one without."""
    nested = {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Batchy", "version": "1.0.0"},
        "servers": [{"url": "https://batchy.example.com"}],
        "paths": {"/things": _batch_operation("putThings", "Listed"), "/plain": _batch_operation("putPlain", "Plain")},
        "components": {
            "schemas": {
                "Thing": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Things": {
                    "type": "object",
                    "required": ["things"],
                    "properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}},
                },
                "Listed": {"type": "object", "properties": {"count": {"type": "integer"}, "problems": nested}},
                "Plain": {"type": "object", "properties": {"count": {"type": "integer"}}},
            }
        },
    }
    batchy = import_generated(spec, "batchy")
    testing = importlib.import_module("batchy.testing")
    assert batchy._endpoints.OPERATIONS["put_things"].batch_errors == "problems"
    assert batchy._endpoints.OPERATIONS["put_plain"].batch_errors is None
    for group in ("things", "plain"):  # untagged: grouped by path
        assert "external_reference" not in inspect.getsource(importlib.import_module(f"batchy._endpoints.{group}"))

    def answer(request: httpx.Request) -> httpx.Response:
        things = json.loads(request.content)["things"]
        return httpx.Response(
            200, json={"count": 1, "problems": [[t["name"]] if t["name"] == "x" else [] for t in things]}
        )

    client = batchy.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    mock = testing.MockAPI().client()
    for method, failed in (("put_things_in_batches", [1]), ("put_plain_in_batches", [])):
        report = getattr(client, method)([{"name": "a"}, {"name": "x"}, {"name": "b"}], batch_size=2)
        assert [f.index for f in report.failed] == failed and report.total == 3
        # The mock's default answer has one empty list per item where the schema has them.
        mock_report = getattr(mock, method)([{"name": "a"}] * 3, batch_size=2)
        assert mock_report.ok and mock_report.unverified == 0


def test_cancelling_the_async_helper_reports_the_batches_in_flight() -> None:
    server = FakeBatchServer()
    results: list[ItemResult] = []

    async def main() -> None:
        hung = asyncio.Event()

        async def transport(request: httpx.Request) -> httpx.Response:
            if json.loads(request.content)["items"][0]["external_reference"] == "c-10":
                hung.set()
                await asyncio.sleep(3600)
            return server(request)

        http_client = httpx.AsyncClient(transport=httpx.MockTransport(transport))
        async with AsyncClient(username="k", account_id="a", http_client=http_client) as client:
            run = asyncio.create_task(
                client.lms_batch_upsert_course_in_batches(
                    courses(100, []), batch_size=10, max_concurrency=2, on_batch=lambda o, r: results.extend(r)
                )
            )
            await hung.wait()
            run.cancel()
            with pytest.raises(asyncio.CancelledError):
                await run

    asyncio.run(main())
    abandoned = [r for r in results if r.index in range(10, 20)]
    assert [r.status for r in abandoned] == ["failed"] * 10
    assert "interrupted before the API answered" in abandoned[0].messages[0]
    assert len({r.index for r in results}) == len(results)  # nobody counted twice
