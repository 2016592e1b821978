"""The committed generated/ tree is exactly what the generator makes, byte for byte.

To update it after changing the generator, a template or the spec: ``python -m generator``.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import pipeline
from generator.output.writer import diff_summary, read_tree, write_tree
from generator.paths import DEFAULT_SPEC
from generator.pipeline import generate
from generator.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"


def test_generated_tree_matches_a_fresh_generation(tmp_path: Path) -> None:
    write_tree(generate(DEFAULT_SPEC).files, tmp_path / "out")
    differences = diff_summary(read_tree(tmp_path / "out"), read_tree(GENERATED))
    assert differences == [], "generated/ is stale; run `python -m generator` and commit:\n" + "\n".join(differences)


def test_generation_is_deterministic_across_processes_and_worker_pools(
    tmp_path: Path, fresh_cache: Callable[[], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both runs compute everything (an empty cache, then none: a cached result would only show that the
    # cache returns what it was given), in two processes with different hash seeds, one with worker
    # processes and one without (a document this small gets none unless told otherwise).
    environment = {**os.environ, "OPENAPI_PYCLIENT_CACHE": str(fresh_cache()), "PYTHONHASHSEED": "1"}
    command = [sys.executable, "-m", "generator", str(DEFAULT_SPEC), "--out", str(tmp_path / "out")]
    result = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", "off")
    workers: list[pipeline._Worker] = []

    class CountedWorker(pipeline._Worker):
        def __init__(self) -> None:
            workers.append(self)
            super().__init__()

    monkeypatch.setattr(pipeline, "_Worker", CountedWorker)
    monkeypatch.setattr(pipeline, "WORKER_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    phases = io.StringIO()
    package = generate(DEFAULT_SPEC, progress=Progress(phases, after=0.0))
    assert diff_summary(package.files, read_tree(tmp_path / "out")) == []
    assert len(workers) == 1
    assert re.search(r"\] rendering \d+ operations in \d+ groups; models in a worker\n", phases.getvalue())
    assert workers[0]._process.returncode is not None  # the worker exits with the run


def test_output_does_not_depend_on_a_pyproject_above_it(tmp_path: Path) -> None:
    # A hostile formatter configuration next to the output must not leak in.
    (tmp_path / "pyproject.toml").write_text(
        '[tool.black]\nline-length = 20\nskip-string-normalization = true\n[tool.isort]\nprofile = "google"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", str(DEFAULT_SPEC), "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert diff_summary(read_tree(tmp_path / "out"), read_tree(GENERATED)) == []
    # The program ends without the interpreter's teardown: what it printed to a pipe is still there.
    assert result.stdout == f"generated stackone_lms into out ({len(read_tree(GENERATED))} files)\n"


def test_check_passes_on_the_committed_tree_and_fails_after_a_hand_edit(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "generator", "--out", str(tmp_path / "out")]
    write_tree(read_tree(GENERATED), tmp_path / "out")
    assert subprocess.run([*run, "--check"], cwd=ROOT, capture_output=True).returncode == 0
    models = tmp_path / "out" / "stackone_lms" / "models" / "courses.py"
    models.write_text(models.read_text() + "# hand edit\n")
    result = subprocess.run([*run, "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "changed: stackone_lms/models/courses.py" in result.stderr
    (tmp_path / "out" / "stray.py").write_text("")
    result = subprocess.run([*run, "--check"], cwd=ROOT, capture_output=True, text=True)
    assert "extra:   stray.py" in result.stderr


def test_every_expected_file_is_generated() -> None:
    files = set(read_tree(GENERATED))
    expected = {
        "pyproject.toml",
        "README.md",
        "stackone_lms/__init__.py",
        "stackone_lms/py.typed",
        "stackone_lms/models/__init__.py",
        "stackone_lms/models/courses.py",
        "stackone_lms/_endpoints/__init__.py",
        "stackone_lms/_endpoints/courses.py",
        "stackone_lms/errors.py",
        "stackone_lms/testing.py",
        "stackone_lms/fixtures/lms_batch_upsert_course/request.json",
        "stackone_lms/fixtures/lms_batch_upsert_course/response_202.json",
    }
    assert expected <= files
    assert {
        f"stackone_lms/fixtures/lms_batch_upsert_course/response_{s}.json"
        for s in (400, 401, 403, 404, 408, 409, 412, 422, 429, 500, 501, 502)
    } <= files
