"""Where the models are made: for a small document in this process, for a large one in a worker process."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.paths import DEFAULT_SPEC
from generator.pipeline import WORKER_FROM, generate, uses_a_worker


@pytest.mark.parametrize(
    ("properties", "cpus", "worker"),
    [
        (40, 8, False),  # the default spec's size: no worker starts
        (2_527, 8, False),  # Magento's: a worker's start and memory are not worth it
        (WORKER_FROM - 1, 8, False),
        (WORKER_FROM, 8, True),
        (13_370, 2, True),  # Stripe's
        (13_370, 1, False),  # one CPU: a worker would only add its start
    ],
)
def test_a_worker_follows_the_work_and_the_cpus(properties: int, cpus: int, worker: bool) -> None:
    assert uses_a_worker(properties, cpus) is worker


def test_the_work_is_the_properties_of_every_schema() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"properties": {"x": {}}}}}}}},
            "/c": None,
        },
        "components": {
            "schemas": {
                "A": {"properties": {"a": {"properties": {"b": {}, "c": {}}}}},
                "B": {"items": [{"properties": {"d": {}}}], "properties": "not an object"},
            }
        },
    }
    assert pipeline._properties(document, 100) == 5
    assert pipeline._properties(document, 2) == 2  # counted up to enough, then no further
    assert pipeline._properties({"paths": [], "components": {"schemas": []}}, 100) == 0


def test_a_small_document_starts_no_worker_process(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoWorker:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise AssertionError("a worker was started for a one-operation document")

    paces: list[tuple[int, int, int]] = []
    validate = pipeline.validate_spec

    def validate_and_see_the_pace(*args: Any) -> None:
        paces.append(gc.get_threshold())
        validate(*args)

    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", "off")  # every step runs, none is answered from the cache
    monkeypatch.setattr(pipeline, "_Worker", NoWorker)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 64)
    monkeypatch.setattr(pipeline, "validate_spec", validate_and_see_the_pace)
    before = gc.get_threshold()
    package = generate(DEFAULT_SPEC)
    assert f"{package.package}/models/__init__.py" in package.files
    # The collector runs at the run's pace during it, and at the caller's after it.
    assert paces == [pipeline._GC_THRESHOLD] != [before]
    assert gc.get_threshold() == before


def test_in_this_process_the_models_are_made_before_the_operations_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # Beside the document alone: not beside the rendered modules and fixtures too.
    steps: list[str] = []
    make_models, build_api = pipeline.make_models, pipeline.build_api
    monkeypatch.setattr(pipeline, "make_models", lambda *args: steps.append("models") or make_models(*args))
    monkeypatch.setattr(pipeline, "build_api", lambda *args: steps.append("operations") or build_api(*args))
    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", "off")
    generate(DEFAULT_SPEC)
    assert steps == ["models", "operations"]


def test_the_worker_loads_the_model_generator_and_not_the_pipeline() -> None:
    worker = pipeline._Worker()
    try:
        loaded = set(worker.submit(eval, "sorted(__import__('sys').modules)").result())
    finally:
        worker.shutdown()
    assert "datamodel_code_generator.parser.openapi" in loaded
    assert not {"generator.pipeline", "jinja2", "jsonschema", "black"} & loaded
    assert worker._process.returncode is not None


def test_the_workers_error_is_raised_here_and_a_worker_given_nothing_stops_at_once() -> None:
    worker = pipeline._Worker()
    job = worker.submit(eval, "1 / 0")
    with pytest.raises(ZeroDivisionError):
        job.result()
    worker.shutdown()
    assert worker._process.returncode is not None
    idle = pipeline._Worker()
    idle.shutdown()  # still importing the model generator: stopped, not waited for
    assert idle._process.returncode is not None


def test_a_warm_run_sends_its_worker_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", str(tmp_path))
    monkeypatch.setattr(pipeline, "WORKER_FROM", 1)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    sent: list[str] = []
    workers: list[pipeline._Worker] = []

    class Counted(pipeline._Worker):
        def __init__(self) -> None:
            workers.append(self)
            super().__init__()

        def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
            sent.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_Worker", Counted)
    first, second = generate(DEFAULT_SPEC), generate(DEFAULT_SPEC)
    assert sent == ["make_models"]  # the second run found the models in the cache, here
    assert first.files == second.files
    assert len(workers) == 2 and all(worker._process.returncode is not None for worker in workers)


def test_what_a_job_prints_does_not_reach_its_answer_and_the_worker_sees_this_import_path() -> None:
    worker = pipeline._Worker()
    try:
        printed = "print('to stdout') or __import__('os').write(1, b'to the descriptor') and __import__('sys').path"
        assert worker.submit(eval, printed).result() == sys.path
    finally:
        worker.shutdown()


def test_a_worker_that_dies_is_a_one_line_error() -> None:
    worker = pipeline._Worker()
    worker._process.kill()
    worker._process.wait()
    job = worker.submit(eval, "1")
    with pytest.raises(RuntimeError, match="stopped before answering"):
        job.result()
    worker.shutdown()
