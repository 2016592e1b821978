"""Bad input: one clear line naming the place, exit status 2, no traceback, output untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion

from generator.paths import DEFAULT_SPEC

ROOT = Path(__file__).resolve().parent.parent
VALID = yaml.safe_load(DEFAULT_SPEC.read_text())
OPERATION = VALID["paths"]["/unified/lms/courses/batch"]["post"]


def _mutated(change: str) -> str:
    document = json.loads(json.dumps(VALID))
    operation = document["paths"]["/unified/lms/courses/batch"]["post"]
    if change == "dangling-ref":
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/Missing"
    elif change == "bad-parameter":
        operation["parameters"][0]["in"] = "body"
    elif change == "no-responses":
        operation["responses"] = {}
    elif change == "external-ref":
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "https://example.com/schema.json"
    return json.dumps(document)


BAD_INPUTS = {
    "invalid-yaml": "openapi: 3.1.0\ninfo: [unclosed\n",
    "invalid-json": '{"openapi": "3.1.0", "info": }',
    "not-a-mapping": "- just\n- a list\n",
    "empty": "",
    "not-openapi": "title: hello\n",
    "swagger-2": "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n",
    "openapi-4": "openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
    "python-tag": "openapi: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
    "duplicate-key": "openapi: 3.1.0\nopenapi: 3.0.0\n",
    "alias-bomb": "a: &a ['x','x','x','x','x','x','x','x','x','x']\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)
    ),
    "missing-info": "openapi: 3.1.0\npaths: {}\n",
    "deep-nesting": "openapi: 3.1.0\nx: " + "[" * 300 + "]" * 300 + "\n",
    "dangling-ref": _mutated("dangling-ref"),
    "bad-parameter": _mutated("bad-parameter"),
    "no-responses": _mutated("no-responses"),
    "external-ref": _mutated("external-ref"),
}


def _run(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", spec.name, "--out", str(out)],
        cwd=spec.parent,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_one_clear_line(case: str, tmp_path: Path, snapshot: SnapshotAssertion) -> None:
    spec = tmp_path / ("spec.json" if BAD_INPUTS[case].startswith("{") else "spec.yaml")
    spec.write_text(BAD_INPUTS[case])
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous output")
    result = _run(spec, out)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {spec.name}")
    assert lines[0] == snapshot
    assert (out / "keep.txt").read_text() == "previous output"
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert not Path("/tmp/pwned").exists()


def test_unreadable_file(tmp_path: Path) -> None:
    result = _run(tmp_path / "missing.yaml", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: missing.yaml#: cannot read the file: No such file or directory"
    assert not (tmp_path / "out").exists()


def test_invalid_package_name(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--package-name", "not-valid", "--out", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "--package-name" in result.stderr


def test_an_output_folder_not_made_by_the_generator_is_never_replaced(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "important.txt").write_text("keep me")
    run = [sys.executable, "-m", "generator", "--out", str(project)]
    result = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "refusing to replace it" in result.stderr
    assert [p.name for p in project.iterdir()] == ["important.txt"]
    # A folder this generator made (it holds the manifest) is replaced as a whole.
    fresh = tmp_path / "fresh"
    assert subprocess.run([*run[:-1], str(fresh)], cwd=ROOT, capture_output=True, check=False).returncode == 0
    (fresh / "stale.py").write_text("")
    assert subprocess.run([*run[:-1], str(fresh)], cwd=ROOT, capture_output=True, check=False).returncode == 0
    assert not (fresh / "stale.py").exists()


def _cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[str]]:
    """Run the generator's command line in this process: its status and its standard error lines."""
    from generator.cli import main

    status = main([str(arg) for arg in args])
    return status, capsys.readouterr().err.strip().splitlines()


def _document(schemas: dict[str, object]) -> dict[str, object]:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1"},
        "paths": {"/a": {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": schemas},
    }


REFUSED_DOCUMENTS = {
    "alias-of-itself": _document({"A": {"$ref": "#/components/schemas/A"}}),
    "alternatives-loop": _document(
        {"A": {"oneOf": [{"$ref": "#/components/schemas/B"}]}, "B": {"oneOf": [{"$ref": "#/components/schemas/A"}]}}
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED_DOCUMENTS))
def test_refused_document_in_process(
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    snapshot: SnapshotAssertion,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.json").write_text(json.dumps(REFUSED_DOCUMENTS[case]))
    Path("out").mkdir()
    Path("out", "keep.txt").write_text("previous output")
    status, lines = _cli(capsys, "spec.json", "--out", "out")
    assert status == 2 and len(lines) == 1 and lines[0] == snapshot
    assert [p.name for p in Path("out").iterdir()] == ["keep.txt"]
