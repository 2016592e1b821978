"""Where the slow steps run: a small document in this process, a large one in as many workers as it keeps busy."""

from __future__ import annotations

import gc
import multiprocessing
from typing import Any

import pytest

from generator import pipeline
from generator.paths import DEFAULT_SPEC
from generator.pipeline import WORK_PER_WORKER, generate, workers_for


@pytest.mark.parametrize(
    ("operations", "schemas", "cpus", "workers"),
    [
        (1, 10, 8, 0),  # the default spec's size: no worker starts
        (WORK_PER_WORKER, WORK_PER_WORKER - 1, 8, 0),  # work for one worker: none is better
        (WORK_PER_WORKER, WORK_PER_WORKER, 8, 2),  # the first size that keeps two busy
        (2 * WORK_PER_WORKER, WORK_PER_WORKER, 8, 3),
        (500, 5_000, 8, 8),  # Stripe's size: every CPU
        (500, 5_000, 2, 2),
        (500, 5_000, 1, 0),  # one CPU: workers would only add their start
    ],
)
def test_workers_follow_the_work_and_the_cpus(operations: int, schemas: int, cpus: int, workers: int) -> None:
    assert workers_for(operations, schemas, cpus) == workers


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
