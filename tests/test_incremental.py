"""Regenerating after a small edit reuses what the edit did not change, and gives what a cold run gives.

Reuse is proved by counting the slow steps' calls (black, model splitting, datamodel-code-generator)
in this process, and by the inodes of the files a regeneration leaves alone; never by timing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.cli import main
from generator.emit import astguard, fixtures, formatting, modelgen, render
from generator.errors import SpecError
from generator.output.writer import read_tree, write_tree
from generator.spec import schemacheck


def _operation(operation_id: str, tag: str, schema: str) -> dict[str, Any]:
    inline = {"type": "object", "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}
    return {
        "operationId": operation_id,
        "tags": [tag],
        "summary": f"The {operation_id} operation.",
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": schema}}}},
            "201": {
                "description": "made",
                # Does not fit (a warning, replayed from the cache on later runs).
                "content": {"application/json": {"schema": inline, "example": {"id": "one"}}},
            },
        },
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Incremental", "version": "1.0.0"},
    "paths": {
        f"/{tag}": {"get": _operation(f"list_{tag}", tag, f"#/components/schemas/{tag.title()}")}
        for tag in ("alpha", "beta", "gamma")
    },
    "components": {
        "schemas": {
            tag.title(): {"type": "object", "properties": {"name": {"type": "string"}}}
            for tag in ("alpha", "beta", "gamma")
        }
    },
}


def _edited() -> dict[str, Any]:
    """SPEC with one operation's summary and parameters changed: nothing of its models."""
    spec = copy.deepcopy(SPEC)
    operation = spec["paths"]["/beta"]["get"]
    operation["summary"] = "Edited."
    operation["parameters"].append({"name": "cursor", "in": "query", "schema": {"type": "string"}})
    return spec


class _Calls:
    """The slow steps, run in this process and counted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.formatted: list[str] = []
        self.fixtures: list[str] = []
        self.rendered: list[str] = []  # operations whose methods were rendered
        self.modules: list[str] = []  # endpoints modules rendered (by group)
        self.parsed: list[str] = []  # rendered modules parsed to check them
        self.splits = 0
        self.models = 0
        # In this process, so the counting wrappers below see every call.
        monkeypatch.setattr(pipeline, "_executor", lambda spec_path: pipeline._InlineExecutor())
        format_python, split_models, run_models, make_fixtures = (
            formatting.format_python,
            pipeline.split_models,
            modelgen._run_datamodel_codegen,
            fixtures._Fixtures.operation,
        )

        def counted_fixtures(self_: Any, operation: Any, folder: str) -> dict[str, str]:
            self.fixtures.append(operation.method_name)
            return make_fixtures(self_, operation, folder)

        def counted_format(source: str, name: str) -> str:
            self.formatted.append(name)
            return format_python(source, name)

        def counted_split(*args: Any) -> Any:
            self.splits += 1
            return split_models(*args)

        def counted_models(*args: Any, **kwargs: Any) -> str:
            self.models += 1
            return run_models(*args, **kwargs)

        render_operation, parse = render.OperationTexts._render, astguard.parsed

        def counted_render(self_: Any, operation: Any) -> Any:
            self.rendered.append(operation.method_name)
            return render_operation(self_, operation)

        render_module = render.OperationTexts._render_module

        def counted_render_module(self_: Any, group: str, operations: Any) -> str:
            self.modules.append(group)
            return render_module(self_, group, operations)

        def counted_parse(name: str, text: str) -> Any:
            self.parsed.append(name)
            return parse(name, text)

        monkeypatch.setattr(render.OperationTexts, "_render", counted_render)
        monkeypatch.setattr(render.OperationTexts, "_render_module", counted_render_module)
        monkeypatch.setattr(astguard, "parsed", counted_parse)
        monkeypatch.setattr(formatting, "format_python", counted_format)
        monkeypatch.setattr(pipeline, "split_models", counted_split)
        monkeypatch.setattr(modelgen, "_run_datamodel_codegen", counted_models)
        monkeypatch.setattr(fixtures._Fixtures, "operation", counted_fixtures)

    def reset(self) -> None:
        self.formatted, self.fixtures, self.rendered, self.parsed, self.splits, self.models = [], [], [], [], 0, 0
        self.modules = []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Calls]:
    yield _Calls(monkeypatch)


def _generate(spec_path: Path, spec: dict[str, Any]) -> tuple[dict[str, bytes], list[str]]:
    spec_path.write_text(json.dumps(spec))
    package = pipeline.generate(spec_path)
    return package.files, package.warnings


def test_an_edit_of_one_operation_makes_only_its_fixtures_again(
    calls: _Calls, tmp_path: Path, fresh_cache: Callable[[], Path]
) -> None:
    fresh_cache()
    spec_path = tmp_path / "spec.json"
    before, warnings = _generate(spec_path, SPEC)
    assert calls.splits == 1 and calls.models == 1 and len(calls.fixtures) == 3
    assert len(warnings) == 3  # each operation's example
    calls.reset()
    assert _generate(spec_path, SPEC) == (before, warnings)
    # An unchanged document formats, splits, renders the methods or modules of, checks and makes fixtures
    # of nothing.
    assert (calls.formatted, calls.splits, calls.fixtures, calls.rendered, calls.parsed) == ([], 0, [], [], [])
    assert calls.modules == []

    calls.reset()
    after = _generate(spec_path, _edited())
    changed = {name for name in after[0] if name.endswith(".py") and after[0][name] != before.get(name)}
    assert changed and "incremental/_endpoints/beta.py" in changed
    assert not any(name.startswith("incremental/models/") for name in changed)
    assert calls.formatted == []  # the client modules are rendered in black's form, never formatted
    assert calls.splits == 0  # the same models: the split is reused
    assert calls.fixtures == ["list_beta"] and calls.rendered == ["list_beta"] and calls.modules == ["beta"]
    assert calls.parsed and set(calls.parsed) <= changed  # only the rendered modules that changed are checked

    calls.reset()
    fresh_cache()
    assert _generate(spec_path, _edited()) == after  # byte for byte (and warnings) what a cold run makes
    assert calls.splits == 1 and calls.models == 1 and len(calls.fixtures) == 3


def test_an_edit_outside_the_models_does_not_run_the_model_generator(
    calls: _Calls, tmp_path: Path, fresh_cache: Callable[[], Path]
) -> None:
    fresh_cache()
    spec_path = tmp_path / "spec.json"
    _generate(spec_path, SPEC)
    calls.reset()
    _generate(spec_path, _edited())
    assert calls.models == 0


def _inodes(root: Path) -> dict[str, int]:
    return {path.relative_to(root).as_posix(): path.stat().st_ino for path in root.rglob("*") if path.is_file()}


def test_regenerating_rewrites_only_the_files_that_differ(tmp_path: Path, fresh_cache: Callable[[], Path]) -> None:
    fresh_cache()
    spec_path, out = tmp_path / "spec.json", tmp_path / "out"
    spec_path.write_text(json.dumps(SPEC))
    assert main([str(spec_path), "--out", str(out), "--quiet"]) == 0
    before, inodes = read_tree(out), _inodes(out)
    assert main([str(spec_path), "--out", str(out), "--quiet"]) == 0
    assert _inodes(out) == inodes  # nothing differs: nothing written

    spec_path.write_text(json.dumps(_edited()))
    assert main([str(spec_path), "--out", str(out), "--quiet"]) == 0
    after, kept = read_tree(out), _inodes(out)
    assert {name for name in after if kept[name] != inodes.get(name)} == {
        name for name in after if after[name] != before.get(name)
    }
    cold = tmp_path / "cold"
    fresh_cache()
    assert main([str(spec_path), "--out", str(cold), "--quiet"]) == 0
    assert read_tree(cold) == after


def test_a_tree_its_manifest_says_is_up_to_date_is_not_generated_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_path, out = tmp_path / "spec.json", tmp_path / "out"
    spec_path.write_text(json.dumps(SPEC))
    assert main([str(spec_path), "--out", str(out), "--quiet"]) == 0
    generate, runs = pipeline.generate, []
    monkeypatch.setattr(pipeline, "generate", lambda *args, **kwargs: runs.append(args) or generate(*args, **kwargs))
    capsys.readouterr()
    assert main([str(spec_path), "--out", str(out), "--quiet"]) == 0
    assert (
        runs == []
        and capsys.readouterr().out == f"{out} is up to date (manifest and file hashes match); nothing written\n"
    )
    # Asked to say more (the spec's warnings fail --strict) or to make all again, it does.
    flags = (["--strict"], ["--verbose"], ["--no-cache"])
    assert [main([str(spec_path), "--out", str(out), "--quiet", *flag]) for flag in flags] == [2, 0, 0]
    assert len(runs) == 3
    # A file changed by hand, or a changed input, and the tree is generated again.
    readme = out / "README.md"
    readme.write_text("edited by hand\n")
    assert main([str(spec_path), "--out", str(out), "--quiet"]) == 0
    assert len(runs) == 4 and readme.read_text() != "edited by hand\n"
    spec_path.write_text(json.dumps(_edited()))
    assert main([str(spec_path), "--out", str(out), "--quiet"]) == 0
    assert len(runs) == 5


def test_an_update_adds_removes_and_turns_folders_into_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = {"a/b/c.py": b"c", "a/d.py": b"d", "e": b"e", "f/g": b"g"}
    write_tree(old, out)
    (out / "a" / "b" / "__pycache__").mkdir()  # a tool's cache in a folder that goes
    new = {"a/d.py": b"d", "a/b": b"now a file", "e/h": b"now a folder", "f/g": b"changed", "i/j/k": b"new"}
    write_tree(new, out, read_tree(out))
    assert read_tree(out) == new
    assert {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_dir()} == {"a", "e", "f", "i", "i/j"}


def test_a_failed_update_leaves_the_tree_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = {"a/b.py": b"b", "c.py": b"c", "gone.py": b"gone"}
    write_tree(old, out)
    inodes = _inodes(out)
    # "c.py" stays a file, so "c.py/x" cannot be made: a real failure after the other files were replaced.
    with pytest.raises(OSError):
        write_tree({"a/b.py": b"new b", "c.py": b"c", "new/d.py": b"d", "c.py/x": b"x"}, out, old)
    assert read_tree(out) == old and _inodes(out) == inodes
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]  # nothing left beside it


def test_a_tree_that_cannot_be_built_leaves_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = {"a/b.py": b"b"}
    write_tree(old, out)
    # Built beside it, each folder and file made once and new: a name that is both fails, before any swap.
    for files in ({"a/b.py": b"b", "c.py": b"c", "c.py/x": b"x"}, {"c.py/x": b"x", "c.py": b"c"}):
        with pytest.raises(OSError):
            write_tree(files, out)
        assert read_tree(out) == old
        assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]  # nothing left beside it


@pytest.mark.parametrize("ref", ["#/paths/~1alpha/get/responses/201", "#/%70aths/~1alpha/get/responses/201"])
def test_a_fixture_that_refers_into_another_operation_follows_its_edits(
    ref: str, tmp_path: Path, fresh_cache: Callable[[], Path]
) -> None:
    fresh_cache()
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/beta"]["get"]["responses"]["201"] = {"$ref": ref}
    spec_path = tmp_path / "spec.json"
    _generate(spec_path, spec)
    media = spec["paths"]["/alpha"]["get"]["responses"]["201"]["content"]["application/json"]
    media["example"] = {"id": 7, "note": "fits"}
    warm = _generate(spec_path, spec)
    assert json.loads(warm[0]["incremental/fixtures/list_beta/response_201.json"]) == media["example"]
    fresh_cache()
    assert _generate(spec_path, spec) == warm


def _outcome(spec_path: Path, spec: dict[str, Any]) -> list[str]:
    """The warnings of a generation, or its errors."""
    try:
        return _generate(spec_path, spec)[1]
    except SpecError as error:
        return ["error", *error.lines()]


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The path items of each document the full validation checks."""
    calls: list[list[str]] = []
    violations = schemacheck.violations

    def counted(document: dict[str, Any], *args: Any) -> Any:
        calls.append(sorted(document.get("paths") or ()))
        return violations(document, *args)

    monkeypatch.setattr(schemacheck, "violations", counted)
    return calls


def test_only_the_edited_path_item_is_validated_again(
    checked: list[list[str]], tmp_path: Path, fresh_cache: Callable[[], Path]
) -> None:
    fresh_cache()
    spec_path = tmp_path / "spec.json"
    _outcome(spec_path, SPEC)
    assert checked == [["/alpha", "/beta", "/gamma"]]
    checked.clear()
    _outcome(spec_path, _edited())
    assert checked == [["/beta"]]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda spec: spec["paths"]["/beta"]["get"].update(operationId="list_alpha"), id="duplicate-id"),
        pytest.param(lambda spec: spec["paths"]["/beta"]["get"].update(parameters=[{"name": 1}]), id="local"),
        pytest.param(
            lambda spec: spec["paths"]["/beta"]["get"]["parameters"].append(
                {"$ref": "#/paths/~1alpha/get/parameters/0"}
            ),
            id="duplicate-through-another-item",
        ),
    ],
)
def test_an_edit_that_breaks_the_document_is_found_as_by_a_cold_run(
    edit: Callable[[dict[str, Any]], None], checked: list[list[str]], tmp_path: Path, fresh_cache: Callable[[], Path]
) -> None:
    fresh_cache()
    spec_path = tmp_path / "spec.json"
    _outcome(spec_path, SPEC)
    spec = _edited()
    edit(spec)
    warm = _outcome(spec_path, spec)
    fresh_cache()
    assert warm == _outcome(spec_path, spec) and warm != _outcome(spec_path, _edited())
