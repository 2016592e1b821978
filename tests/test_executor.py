"""Where the models are made: for a small document in this process, for a large one in a worker process."""

from __future__ import annotations

import gc
import multiprocessing
from typing import Any

import pytest

from generator import pipeline
from generator.paths import DEFAULT_SPEC
from generator.pipeline import WORKER_FROM, generate, uses_a_worker


@pytest.mark.parametrize(
    ("operations", "schemas", "cpus", "worker"),
    [
        (1, 10, 8, False),  # the default spec's size: no worker starts
        (WORKER_FROM // 2, WORKER_FROM // 2 - 1, 8, False),  # less than a worker's start is worth
        (WORKER_FROM // 2, WORKER_FROM // 2, 8, True),
        (500, 5_000, 2, True),  # Stripe's size
        (500, 5_000, 1, False),  # one CPU: a worker would only add its start
    ],
)
def test_a_worker_follows_the_work_and_the_cpus(operations: int, schemas: int, cpus: int, worker: bool) -> None:
    assert uses_a_worker(operations, schemas, cpus) is worker


def test_the_work_is_the_operations_and_the_component_schemas() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/a": {"get": {}, "post": {}, "parameters": [], "summary": "not an operation"},
            "/b": {"query": {}, "additionalOperations": {"LINK": {}}},
            "/c": None,
        },
        "webhooks": {"w": {"post": {}}},
        "components": {"schemas": {"A": {}, "B": {}}, "responses": {"R": {}}},
    }
    assert pipeline._work(document) == (4, 2)
    assert pipeline._work({"paths": [], "components": {"schemas": []}}) == (0, 0)


def test_a_small_document_starts_no_worker_process(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoPool:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise AssertionError("a worker pool was started for a one-operation document")

    paces: list[tuple[int, int, int]] = []
    validate = pipeline.validate_spec

    def validate_and_see_the_pace(*args: Any) -> None:
        paces.append(gc.get_threshold())
        validate(*args)

    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", "off")  # every step runs, none is answered from the cache
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", NoPool)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 64)
    monkeypatch.setattr(pipeline, "validate_spec", validate_and_see_the_pace)
    before = gc.get_threshold()
    package = generate(DEFAULT_SPEC)
    assert f"{package.package}/models/__init__.py" in package.files
    assert multiprocessing.active_children() == []
    # The collector runs at the run's pace during it, and at the caller's after it.
    assert paces == [pipeline._GC_THRESHOLD] != [before]
    assert gc.get_threshold() == before
