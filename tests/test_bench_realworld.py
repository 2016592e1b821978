"""The real-document benchmark's own logic (``bench/run.py --realworld``): the one-operation edit,
the phase profile read from the progress lines and the verdicts against issue 11's targets.

No benchmark is run here: these are the parts of the harness that could be silently wrong.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import edit
import realworld

ROOT = realworld.ROOT


def _document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/ref": {"$ref": "#/components/pathItems/Elsewhere"},
            "/pets/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Taken"}],
                "summary": "the path item's, not the operation's",
                "post": {"responses": {"200": {"description": "ok"}}},
                "get": {
                    "summary": "Get a pet",
                    "parameters": [{"name": "bench_edit1", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}},
                },
            },
            "/other": {"get": {"summary": "Other", "responses": {"200": {"description": "ok"}}}},
        },
        "components": {"parameters": {"Taken": {"name": "bench_edit", "in": "query", "schema": {"type": "string"}}}},
    }


def test_the_edit_changes_the_first_operation_only_and_adds_a_new_optional_parameter() -> None:
    document = _document()
    edited, where = edit.edit_first_operation(document)
    # Fixed fields in the order of generator.spec.operations, so the edit is the same whatever the key order.
    assert where == "GET /pets/{id}"
    operation = edited["paths"]["/pets/{id}"]["get"]
    assert operation["summary"] == "Get a pet (edited)"
    added = operation["parameters"][-1]
    # bench_edit is taken through a $ref of the path item, bench_edit1 by the operation itself.
    assert added == {
        "name": "bench_edit2",
        "in": "query",
        "required": False,
        "description": "Added by the benchmark's one-operation edit.",
        "schema": {"type": "string"},
    }
    assert edited["paths"]["/pets/{id}"]["post"] == document["paths"]["/pets/{id}"]["post"]
    assert edited["paths"]["/other"] == document["paths"]["/other"]
    assert document == _document()  # the input is left as it was
    assert edit.edit_first_operation(document) == (edited, where)  # deterministic


def test_an_operation_without_summary_or_parameters_gets_both() -> None:
    edited, where = edit.edit_first_operation({"paths": {"/a": {"delete": {"responses": {}}}}})
    assert where == "DELETE /a"
    assert edited["paths"]["/a"]["delete"]["summary"] == "Edited"
    assert [p["name"] for p in edited["paths"]["/a"]["delete"]["parameters"]] == ["bench_edit"]


def test_a_document_without_operations_is_refused() -> None:
    with pytest.raises(ValueError, match="no operation"):
        edit.edit_first_operation({"paths": {"/a": {"summary": "none"}}})


def test_the_profile_adds_up_to_the_wall_time_and_shows_what_the_progress_lines_cannot() -> None:
    stderr = (
        "bench-clock started 100.25\n"
        "bench-clock imported 101.0\n"
        "[   0.5 s] reading the document\n"
        "warning: spec.json#/paths: something\n"
        "[   1.5 s] validating 3 paths\n"
        "[  12.0 s] formatting 2 models modules\n"
        "[ 112.5 s] generated\n"
        "bench-clock returned 215.0\n"
    )
    profile = realworld.phases({"stderr": stderr, "start": 100.0, "end": 215.5})
    assert profile == [
        ("Python's start", 0.25),
        ("importing the command line", 0.75),
        ("until the first line", 0.5),
        ("reading the document", 1.0),
        ("validating 3 paths", 10.5),
        ("formatting 2 models modules", 100.5),
        ("after the last line", 1.5),
        ("exit", 0.5),
    ]
    assert sum(seconds for _, seconds in profile) == 115.5
    assert realworld.phases({"stderr": "error: nothing\n", "start": 0.0, "end": 1.0}) == []


def test_a_failed_run_is_shown_by_its_last_line_not_the_clock() -> None:
    said = {"stderr": "error: spec.json: bad\nbench-clock returned 3.5\n", "stdout": ""}
    assert realworld._last_line(said) == "error: spec.json: bad"


def _run(seconds: float, rss_mb: float = 100.0, rc: int = 0) -> dict[str, Any]:
    return {"seconds": seconds, "rss_mb": rss_mb, "rc": rc}


def _verdicts(name: str, **runs: dict[str, Any]) -> dict[str, tuple[str, str]]:
    results = {"cold": _run(10), "opc": _run(20), "dcg": _run(5), "edit": _run(1), **runs}
    results["first"] = {"import_s": 0.15}
    return {figure: (measured, verdict) for figure, measured, _, verdict in realworld.targets(name, results)}


def test_github_is_held_to_half_of_openapi_python_client_and_others_to_its_time() -> None:
    assert _verdicts("github")["cold time"] == ("0.50x openapi-python-client", "met")
    assert _verdicts("github", cold=_run(10.2))["cold time"][1] == "NOT MET"
    assert _verdicts("trello.com", cold=_run(20))["cold time"][1] == "met"
    assert _verdicts("trello.com", cold=_run(20.5))["cold time"][1] == "NOT MET"


def test_stripe_is_held_to_datamodel_code_generator_alone() -> None:
    assert _verdicts("stripe", opc=_run(70, rc=1))["cold time"] == ("2.00x datamodel-code-generator alone", "NOT MET")
    assert _verdicts("stripe", cold=_run(5))["cold time"][1] == "met"
    # Without openapi-python-client's run, its memory and time are no yardstick: no verdict.
    failed = _verdicts("stripe", opc=_run(70, rc=1))
    assert failed["peak RSS"][1] == failed["after a one-operation edit"][1] == "n/a"


def test_memory_import_and_the_edit_have_their_verdicts() -> None:
    figures = _verdicts("magento.com", cold=_run(10, rss_mb=101), edit=_run(2.5))
    assert figures["peak RSS"] == ("1.01x openapi-python-client", "NOT MET")
    assert figures["import"] == ("150 ms", "met")
    assert figures["after a one-operation edit"] == ("0.12x openapi-python-client cold", "NOT MET")
    assert _verdicts("magento.com", edit=_run(2))["after a one-operation edit"][1] == "met"
    assert _verdicts("magento.com", cold=_run(10, rc=2))["cold time"] == ("ours failed", "n/a")


def test_our_model_step_alone_shows_the_floor_of_the_cold_time_and_memory() -> None:
    figures = _verdicts("github", models=_run(12, rss_mb=120))
    assert figures["cold time's floor: our model step alone"] == ("0.60x openapi-python-client", "NOT MET")
    assert figures["peak RSS's floor: our model step alone"] == ("1.20x openapi-python-client", "NOT MET")
    figures = _verdicts("stripe", models=_run(4, rss_mb=50))
    assert figures["cold time's floor: our model step alone"] == ("0.80x datamodel-code-generator alone", "met")
    assert figures["peak RSS's floor: our model step alone"] == ("0.50x openapi-python-client", "met")
    # A step that failed, or was not run, is no floor.
    assert not any("floor" in figure for figure in _verdicts("trello.com", models=_run(1, rc=1)))
    assert not any("floor" in figure for figure in _verdicts("trello.com"))


def test_the_first_call_probe_calls_one_operation_and_counts_what_it_loads() -> None:
    probe = [sys.executable, "-P", str(ROOT / "bench" / "_first_call.py"), str(ROOT / "generated"), "stackone_lms"]
    figures = json.loads(subprocess.run(probe, capture_output=True, text=True, check=True).stdout)
    assert figures["operation"] == "lms_batch_upsert_course" and figures["error"] is None
    assert figures["import_s"] > 0 and figures["call_s"] > 0
    # The call validated its body and its answer: the one models module is loaded by then.
    assert figures["models_after_call"] == figures["models_total"] == 1
    modules = len(list((ROOT / "generated" / "stackone_lms").rglob("*.py")))
    assert figures["own_after_import"] < figures["own_after_call"] <= figures["own_total"] == modules
    loaded = figures["own_after_call"] - figures["own_after_import"]
    assert figures["modules_loaded_by_mock_and_call"] >= loaded + figures["modules_loaded_by_call_alone"]


def test_of_repeated_runs_the_fastest_that_succeeded_is_kept_with_the_highest_peak() -> None:
    slow, fast, failed = (
        {"rc": rc, "seconds": seconds, "rss_mb": rss} for rc, seconds, rss in ((0, 3.0, 90), (0, 2.0, 80), (1, 0.5, 99))
    )
    assert realworld.faster(None, slow) is slow
    assert realworld.faster(slow, fast) == realworld.faster(fast, slow) == {**fast, "rss_mb": 90}
    assert realworld.faster(fast, failed) is fast and realworld.faster(failed, slow) is slow
    assert realworld.faster(None, failed) is failed  # a failure only where every run failed
