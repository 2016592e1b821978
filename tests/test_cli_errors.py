"""Bad input: one clear line naming the place, exit status 2, no traceback, output untouched."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion

from generator.errors import SpecError
from generator.output.writer import read_tree
from generator.paths import DEFAULT_SPEC
from generator.spec import loader

VALID = yaml.safe_load(DEFAULT_SPEC.read_text())
OPERATION = VALID["paths"]["/unified/lms/courses/batch"]["post"]


def _mutated(change: str) -> str:
    document = json.loads(json.dumps(VALID))
    operation = document["paths"]["/unified/lms/courses/batch"]["post"]
    if change == "dangling-ref":
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/Missing"
    elif change == "external-ref":
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "https://example.com/schema.json"
    elif change == "parameter-ref-elsewhere":  # read as a parameter, it has no name (a KeyError in parsing)
        operation["parameters"] = [{"$ref": "#/info"}]
    elif change == "nul-in-ref":  # no file has such a name: a ValueError from the file system's side
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "a\0.json"
    elif change == "file-name-too-long":  # past the file system's 255 bytes: an OSError, not a missing file
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "x" * 300 + ".json"
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
    "servers-not-a-list": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\nservers: 5\n",
    "deep-nesting": "openapi: 3.1.0\nx: " + "[" * 300 + "]" * 300 + "\n",
    "recursive-alias": "openapi: 3.1.0\nx: &x [1, *x]\n",
    # Each part shallow enough alone: an alias of the first deep inside the second nests 300 levels.
    "deep-alias": "openapi: 3.1.0\na: &a " + "[" * 200 + "]" * 200 + "\nb: " + "[" * 100 + "*a" + "]" * 100 + "\n",
    "json-deep-nesting": '{"openapi": ' + "[" * 300 + "]" * 300 + "}",
    "json-deeper-than-python": '{"openapi": ' + "[" * 5000 + "]" * 5000 + "}",  # past json's own recursion
    # More digits than Python converts to an int (4,300): a ValueError from deep in each parser.
    "huge-integer": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\nx-size: " + "9" * 5000 + "\n",
    "json-huge-integer": '{"openapi": "3.1.0", "x-size": ' + "9" * 5000 + "}",
    "json-nan": '{"openapi": "3.1.0", "info": {"title": "x", "version": NaN}}',
    # A number JSON allows but a float cannot hold: Python's json reads it as an infinity, silently.
    "json-number-past-a-float": '{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "x-max": -1.5e400}',
    "json-lone-surrogate": '{"openapi": "3.1.0", "info": {"title": "\\ud800", "version": "1"}}',
    "dangling-ref": _mutated("dangling-ref"),
    "external-ref": _mutated("external-ref"),
    "file-name-too-long": _mutated("file-name-too-long"),
    "nul-in-ref": _mutated("nul-in-ref"),
    "components-not-a-map": '{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}, "components": "x"}',
    "schemas-not-a-map": '{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}, "components": {"schemas": false}}',
    "parameter-ref-elsewhere": _mutated("parameter-ref-elsewhere"),
}


@pytest.mark.parametrize("leaf", ["1", "{}", "[1]"])
@pytest.mark.parametrize("levels", [255, 256, 257])
def test_json_is_held_to_the_limits_of_yaml(levels: int, leaf: str) -> None:
    """JSON text is sized by a plain walk (it has no aliases): the verdicts of the YAML walk, at the bound."""
    document = json.loads('{"a":' * levels + leaf + "}" * levels)

    def verdict(check: Callable[[str, Any], None], value: Any) -> str:
        try:
            check("spec.json", value)
        except SpecError as error:
            return str(error)
        return "ok"

    assert verdict(loader._check_tree_size, document) == verdict(loader._check_size, document)
    many = [1] * loader.MAX_VALUES
    assert verdict(loader._check_tree_size, many) == verdict(loader._check_size, many) != "ok"


def _cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[str]]:
    """Run the generator's command line in this process: its status and its standard error lines.

    A traceback here is an exception out of ``main``, which fails the test.
    """
    from generator.cli import main

    status = main([str(arg) for arg in args])
    return status, capsys.readouterr().err.strip().splitlines()


def _bad_spec(case: str) -> Path:
    spec = Path("spec.json" if BAD_INPUTS[case].startswith("{") else "spec.yaml")
    spec.write_text(BAD_INPUTS[case])
    return spec


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_one_clear_line(
    case: str, in_tmp: Path, capsys: pytest.CaptureFixture[str], snapshot: SnapshotAssertion
) -> None:
    spec = _bad_spec(case)
    Path("out").mkdir()
    Path("out", "keep.txt").write_text("previous output")
    status, lines = _cli(capsys, spec, "--out", "out")
    assert status == 2
    assert len(lines) == 1 and lines[0].startswith(f"error: {spec.name}")
    assert lines[0] == snapshot
    assert [p.name for p in Path("out").iterdir()] == ["keep.txt"]
    assert Path("out", "keep.txt").read_text() == "previous output"
    assert not Path("/tmp/pwned").exists()


def test_bad_input_in_a_real_process_prints_no_traceback(in_tmp: Path) -> None:
    # The one subprocess of these tests: what a user sees, interpreter start-up and exit included.
    spec = _bad_spec("python-tag")
    result = subprocess.run(
        [sys.executable, "-m", "generator", spec.name, "--out", "out"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr.startswith(f"error: {spec.name}:1:10: could not determine a constructor")
        and result.stderr.count("\n") == 1
    )
    assert not Path("out").exists() and not Path("/tmp/pwned").exists()


def test_ctrl_c_is_one_line_and_leaves_the_output_as_it_was(in_tmp: Path) -> None:
    shutil.copy(DEFAULT_SPEC, "spec.yaml")
    assert subprocess.run([sys.executable, "-m", "generator", "spec.yaml", "--out", "out"], check=False).returncode == 0
    before = read_tree(Path("out"))
    Path("spec.yaml").write_text(Path("spec.yaml").read_text().replace("title: ", "title: Edited ", 1))
    interrupted = (
        "from generator import cli, pipeline\n"
        "def generate(*args, **kwargs):\n"
        "    raise KeyboardInterrupt\n"
        "pipeline.generate = generate\n"
        "cli.run()\n"
    )
    argv = ["import sys; sys.argv[1:] = ['spec.yaml', '--out', 'out']\n" + interrupted]
    result = subprocess.run([sys.executable, "-c", *argv], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (130, "")
    assert result.stderr == "error: interrupted; the output folder is as it was\n"
    assert read_tree(Path("out")) == before


def test_unreadable_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = _cli(capsys, "missing.yaml", "--out", "out")
    assert (status, lines) == (2, ["error: missing.yaml#: cannot read the file: No such file or directory"])
    assert not Path("out").exists()


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Path("big.json").open("wb") as big:
        big.truncate(loader.MAX_FILE_BYTES + 1)  # sparse: nothing is written to the disk
    status, lines = _cli(capsys, "big.json", "--out", "out")
    size, limit = f"{loader.MAX_FILE_BYTES + 1:,}", f"{loader.MAX_FILE_BYTES:,}"
    assert (status, lines) == (2, [f"error: big.json#: the file is {size} bytes; the limit is {limit}"])
    assert not Path("out").exists()


def test_invalid_package_name(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = _cli(capsys, DEFAULT_SPEC, "--package-name", "not-valid", "--out", "o")
    assert status == 2 and lines == ["error: --package-name 'not-valid' is not a valid lower-case Python identifier"]
    assert not Path("o").exists()


def test_an_output_folder_not_made_by_the_generator_is_never_replaced(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("spec.json").write_text(json.dumps(_document({"A": {"type": "object"}})))
    Path("project").mkdir()
    Path("project/important.txt").write_text("keep me")
    status, lines = _cli(capsys, "spec.json", "--out", "project")
    assert status == 2 and lines == [
        "error: project is not empty and holds no .generator-manifest.json, so it was not generated here;"
        " refusing to replace it"
    ]
    assert [p.name for p in Path("project").iterdir()] == ["important.txt"]


def _document(schemas: dict[str, object]) -> dict[str, object]:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1"},
        "paths": {"/a": {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": schemas},
    }


def _with(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**document, **changes}


REFUSED_DOCUMENTS = {
    "alias-of-itself": _document({"A": {"$ref": "#/components/schemas/A"}}),
    "lone-surrogate": _document({"A": {"type": "string", "description": "half \udc00 a character"}}),
    "lone-surrogate-key": _document({"A": {"type": "object", "properties": {"\ud800": {"type": "string"}}}}),
    "nan": _document({"A": {"type": "number", "maximum": float("nan")}}),
    "infinity": _document({"A": {"type": "number", "enum": [1, float("-inf")]}}),
    "server-url-newline": _with(_document({"A": {}}), servers=[{"url": "https://api.example.com\nX-Injected: 1"}]),
    "server-variable-newline": _with(
        _document({"A": {}}),
        servers=[{"url": "https://{region}.example.com", "variables": {"region": {"default": "eu\r\nX: 1"}}}],
    ),
    "server-variable-enum-control": _with(
        _document({"A": {}}),
        servers=[{"url": "https://{r}.example.com", "variables": {"r": {"default": "eu", "enum": ["eu", "u\x1bs"]}}}],
    ),
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


def test_a_generated_folder_is_replaced_only_while_it_holds_exactly_what_its_manifest_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.json").write_text(json.dumps(_document({"A": {"type": "object"}})))
    assert _cli(capsys, "spec.json", "--out", "out")[0] == 0
    # Caches that tools leave (an import, pip install -e) do not stop a regeneration (of a changed spec:
    # a tree its manifest says is up to date is left as it is).
    Path("out/x/__pycache__").mkdir()
    Path("out/x/__pycache__/_client.cpython-311.pyc").write_bytes(b"")
    Path("out/x.egg-info").mkdir()
    Path("out/x.egg-info/PKG-INFO").write_text("")
    b = {"type": "object", "properties": {"b": {"type": "string"}}}  # not written like A: a class of its own
    Path("spec.json").write_text(json.dumps(_document({"A": {"type": "object"}, "B": b})))
    assert _cli(capsys, "spec.json", "--out", "out")[0] == 0
    assert any("class B(" in path.read_text() for path in Path("out").rglob("*.py"))
    Path("spec.json").write_text(json.dumps(_document({"A": {"type": "object"}})))
    for intruder in (".git/config", "notes.txt", "x/notes.txt", "empty-folder/"):
        target = Path("out", intruder)
        target.parent.mkdir(exist_ok=True)
        target.mkdir() if intruder.endswith("/") else target.write_text("a user's file")
        before = read_tree(Path("out"))
        status, lines = _cli(capsys, "spec.json", "--out", "out")
        assert status == 2 and lines == [
            f"error: out holds {intruder.split('/')[0] if intruder.startswith('.git') else intruder.rstrip('/')!r},"
            " which its .generator-manifest.json does not list; refusing to replace it"
        ]
        assert target.exists() and read_tree(Path("out")) == before
        (
            shutil.rmtree(target.parent)
            if intruder.startswith(".git")
            else target.rmdir() if target.is_dir() else target.unlink()
        )
    Path("out/.generator-manifest.json").write_text("{}")
    status, lines = _cli(capsys, "spec.json", "--out", "out")
    assert status == 2 and "is not a manifest this generator wrote" in lines[0]


def test_a_folder_with_an_empty_manifest_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.json").write_text(json.dumps(_document({"A": {"type": "object"}})))
    Path("project/.git").mkdir(parents=True)
    Path("project/.git/HEAD").write_text("ref: refs/heads/main")
    Path("project/.generator-manifest.json").write_text("{}")
    status, lines = _cli(capsys, "spec.json", "--out", "project")
    assert (status, lines) == (
        2,
        ["error: project/.generator-manifest.json is not a manifest this generator wrote; refusing to replace project"],
    )
    assert sorted(read_tree(Path("project"))) == [".generator-manifest.json", ".git/HEAD"]


@pytest.mark.parametrize(
    "name", ["json", "httpx", "pydantic", "typing", "os", "enum", "__main__", "anyio", "h11", "cgi"]
)
def test_a_package_name_that_shadows_a_module_is_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = _cli(capsys, "--package-name", name, "--out", tmp_path / "out")
    assert status == 2 and lines == [
        f"error: --package-name {name!r} would shadow a module of Python or of the client's dependencies;"
        f" choose another name (e.g. {name.strip('_')}_client)"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["stackone\n", "class", "Upper", "9lives"])
def test_a_package_name_that_is_not_an_identifier_is_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = _cli(capsys, "--package-name", name, "--out", tmp_path / "out")
    assert status == 2 and lines == [f"error: --package-name {name!r} is not a valid lower-case Python identifier"]


def test_the_python_api_refuses_such_a_package_name_too() -> None:
    from generator import generate

    with pytest.raises(ValueError, match="package name 'httpx' would shadow a module"):
        generate(DEFAULT_SPEC, "httpx")


def test_a_title_that_would_shadow_a_module_gets_a_suffix() -> None:
    from generator.errors import Diagnostics
    from generator.pipeline import package_name_for

    diagnostics = Diagnostics("spec.json")
    names = [package_name_for(title, diagnostics) for title in ("JSON", "typing", "HTTPX", "H11", "__main__", "Pets")]
    assert names == ["json_client", "typing_client", "httpx_client", "h11_client", "main", "pets"]
    assert diagnostics.warnings[0] == (
        "spec.json#/info/title: the package is named json_client: json would shadow a Python module"
    )
    assert len(diagnostics.warnings) == 4


def test_check_on_an_output_folder_that_cannot_be_read_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc here")
    status, lines = _cli(capsys, "--check", "--out", "/proc/self")
    assert status == 2 and len(lines) == 1 and lines[0].startswith("error: cannot read /proc/self: ")


def test_every_problem_is_listed_in_location_order(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(_mutated("dangling-ref"))
    document["components"]["schemas"]["Extra"] = {"$ref": "#/components/schemas/Gone"}
    Path("spec.json").write_text(json.dumps(document))
    status, lines = _cli(capsys, "spec.json", "--out", "out")
    assert status == 2
    assert [line.split("#")[1].split(":")[0] for line in lines] == [
        "/components/schemas/Extra/$ref",
        "/paths/~1unified~1lms~1courses~1batch/post/requestBody/content/application~1json/schema/$ref",
    ]
