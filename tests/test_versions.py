"""The package version: info.version as PEP 440 where it maps, else a warning and an explicit choice."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import Diagnostics
from generator.model.versions import package_version


def _spec(folder: Path, version: str) -> Path:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/V"}}}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "V", "version": version},
        "paths": {"/v": {"get": {"operationId": "getV", "responses": ok}}},
        "components": {"schemas": {"V": {"type": "object"}}},
    }
    spec = folder / "spec.json"
    spec.write_text(json.dumps(document))
    return spec


@pytest.mark.parametrize(
    ("spec_version", "expected"),
    [("1", "1"), ("1.0", "1.0"), ("2.3.0-beta.1", "2.3.0b1"), ("v1.2.3", "1.2.3"), ("1.0.0-rc.2", "1.0.0rc2")],
)
def test_info_version_is_normalised_to_pep_440(spec_version: str, expected: str) -> None:
    diagnostics = Diagnostics("spec.yaml")
    assert package_version(spec_version, None, diagnostics) == expected
    assert diagnostics.warnings == []


def test_a_version_that_does_not_map_warns_and_says_how_to_choose() -> None:
    diagnostics = Diagnostics("spec.yaml")
    assert package_version("2026-01-28.clover", None, diagnostics) == "0.0.0"
    [warning] = diagnostics.warnings
    assert warning.startswith("spec.yaml#/info/version: '2026-01-28.clover' is not a PEP 440 version")
    assert "--package-version" in warning
    assert package_version("2026-01-28.clover", "2026.1.28", Diagnostics("spec.yaml")) == "2026.1.28"


def test_cli_package_version_reaches_the_package_and_the_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec(tmp_path, "2026-01-28.clover")
    out = tmp_path / "out"
    assert main([str(spec), "--out", str(out)]) == 0
    assert "is not a PEP 440 version" in capsys.readouterr().err
    assert tomllib.loads((out / "pyproject.toml").read_text())["project"]["version"] == "0.0.0"
    assert main([str(spec), "--out", str(out), "--package-version", "2026.1.28", "--check"]) == 1
    assert main([str(spec), "--out", str(out), "--package-version", "2026.1.28"]) == 0
    assert tomllib.loads((out / "pyproject.toml").read_text())["project"]["version"] == "2026.1.28"
    assert '__version__ = "2026.1.28"' in (out / "v" / "__init__.py").read_text()
    assert main([str(spec), "--out", str(out), "--package-version", "2026.1.28", "--check"]) == 0
    capsys.readouterr()
    assert main([str(spec), "--out", str(out), "--package-version", "not a version"]) == 2
    assert capsys.readouterr().err == "error: --package-version 'not a version' is not a PEP 440 version\n"


def test_the_public_api_returns_warnings_as_data(tmp_path: Path) -> None:
    import generator

    spec = _spec(tmp_path, "someday")
    package = generator.generate(spec, package_version="3.0")
    assert package.package == "v" and package.warnings == []
    assert b'version = "3.0"' in package.files["pyproject.toml"]
    assert any("is not a PEP 440 version" in warning for warning in generator.generate(spec).warnings)
