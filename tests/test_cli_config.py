"""The command line as a build step: configured clients, --check with the exact command, API diffs, --bump."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from generator.cli import main

SPECS = Path(__file__).resolve().parent / "specs" / "apidiff"


def _project(root: Path, table: str) -> Path:
    (root / "specs").mkdir(parents=True)
    shutil.copy(SPECS / "v1.json", root / "specs" / "pets.json")
    (root / "pyproject.toml").write_text(f'[project]\nname = "consumer"\nversion = "1"\n\n{table}')
    return root


def test_no_spec_and_no_configuration_is_one_line_saying_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no SPEC given and no [tool.openapi-pyclient] table") and err.count("\n") == 1
    assert not any(tmp_path.iterdir())


def test_configured_clients_generate_and_check_and_a_stale_check_prints_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(
        tmp_path,
        '[tool.openapi-pyclient.clients.pets]\nspec = "specs/pets.json"\nout = "clients/pets"\n'
        '[tool.openapi-pyclient.clients.other]\nspec = "specs/pets.json"\nout = "clients/other"\n'
        'package-name = "other_pets"\n',
    )
    monkeypatch.chdir(project / "specs")  # the configuration is found above the working folder
    assert main([]) == 0
    assert (project / "clients/pets/pets/__init__.py").is_file()
    assert (project / "clients/other/other_pets/__init__.py").is_file()
    assert main(["--check"]) == 0
    capsys.readouterr()
    (project / "clients/other/other_pets/errors.py").write_text("# edited by hand\n")
    assert main(["--check"]) == 1
    err = capsys.readouterr().err
    assert f"{project / 'clients/other'} is stale" in err and "run: openapi-pyclient --client other" in err
    assert main(["--client", "other"]) == 0
    assert main(["--check"]) == 0
    assert main(["--out", "x"]) == 2
    assert "choose one with --client" in capsys.readouterr().err


def test_a_spec_on_the_command_line_gets_its_own_exact_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "pets.json"
    shutil.copy(SPECS / "v1.json", spec)
    out = tmp_path / "out"
    argv = [str(spec), "--out", str(out), "--package-name", "my_pets", "--dist-name", "acme-pets"]
    assert main(argv) == 0
    assert tomllib.loads((out / "pyproject.toml").read_text())["project"]["name"] == "acme-pets"
    spec.write_text(spec.read_text().replace('"Pets"', '"Pets!"'))
    assert main([*argv, "--check"]) == 1
    err = capsys.readouterr().err
    assert f"run: openapi-pyclient {spec} --out {out} --package-name my_pets --dist-name acme-pets" in err


def test_regenerating_prints_the_api_diff_and_bump_versions_it_with_a_changelog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "pets.json"
    shutil.copy(SPECS / "v1.json", spec)
    out = tmp_path / "out"
    assert main([str(spec), "--out", str(out), "--package-version", "1.4.0"]) == 0
    shutil.copy(SPECS / "v2.json", spec)
    capsys.readouterr()
    assert main([str(spec), "--out", str(out), "--check"]) == 1
    err = capsys.readouterr().err
    assert "public API: 15 change(s), a major version bump" in err
    assert "breaking: Client.old_op: public object was removed" in err
    assert main([str(spec), "--out", str(out), "--bump"]) == 0
    assert "version 2.0.0 (major); CHANGELOG.md updated" in capsys.readouterr().err
    assert tomllib.loads((out / "pyproject.toml").read_text())["project"]["version"] == "2.0.0"
    changelog = (out / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n\n## 2.0.0\n\n### Breaking changes\n")
    # The changelog is kept by later regenerations, and the tree still checks as generated.
    assert main([str(spec), "--out", str(out), "--package-version", "2.0.0"]) == 0
    assert (out / "CHANGELOG.md").read_text() == changelog
    assert main([str(spec), "--out", str(out), "--package-version", "2.0.0", "--check"]) == 0
    assert json.loads((out / ".generator-manifest.json").read_text())["files"]["CHANGELOG.md"]


def test_the_manifest_records_what_made_the_tree_and_check_never_compares_another_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(
        tmp_path,
        '[tool.openapi-pyclient.clients.pets]\nspec = "specs/pets.json"\nout = "clients/pets"\n'
        'package-name = "my_pets"\noverlays = ["specs/fix.json"]\n'
        '[tool.openapi-pyclient.clients.billing]\nspec = "specs/billing.json"\nout = "clients/billing"\n',
    )
    shutil.copy(SPECS / "v2.json", project / "specs" / "billing.json")
    fix = {"overlay": "1.0.0", "info": {"title": "fixes", "version": "1"}, "actions": []}
    fix["actions"] = [{"target": "$.info", "update": {"description": "fixed"}}]
    (project / "specs" / "fix.json").write_text(json.dumps(fix))
    monkeypatch.chdir(project)
    assert main([]) == 0
    made_from = json.loads(Path("clients/pets/.generator-manifest.json").read_text())["made_from"]
    assert made_from == {
        "spec": "specs/pets.json",
        "overlays": ["specs/fix.json"],
        "package-name": "my_pets",
        "package-version": None,
        "dist-name": None,
    }
    tree = {path: path.read_bytes() for path in Path("clients/pets").rglob("*") if path.is_file()}
    capsys.readouterr()
    # Checked against another spec (given, or another client's), the tree is not compared but refused,
    # with the command that regenerates it from its own.
    regenerate = "openapi-pyclient specs/pets.json --out clients/pets --package-name my_pets --overlay specs/fix.json"
    for argv, other in (
        (["specs/billing.json", "--out", "clients/pets"], "specs/billing.json"),
        (["--client", "billing", "--out", "clients/pets"], str(project / "specs/billing.json")),
    ):
        assert main([*argv, "--check"]) == 2
        assert capsys.readouterr().err == (
            f"error: clients/pets was generated from specs/pets.json, not {other}; nothing compared."
            f" It is regenerated by: {regenerate}\n"
        )
    # That command makes the same tree; so does the configured client's, which a stale check prints.
    assert main(regenerate.split()[1:]) == 0
    assert {path: path.read_bytes() for path in Path("clients/pets").rglob("*") if path.is_file()} == tree
    Path("specs/pets.json").write_text(Path("specs/pets.json").read_text().replace('"Pets"', '"Pets!"'))
    capsys.readouterr()
    assert main(["--check"]) == 1
    assert "clients/pets is stale" in (err := capsys.readouterr().err) and "run: openapi-pyclient --client pets" in err
    assert main(["--client", "pets"]) == 0
    assert main(["--check"]) == 0
