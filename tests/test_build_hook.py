"""The hatch build hook: a consumer project's wheel carries a client generated from its spec."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from generator.output import manifest

PYPROJECT = """\
[build-system]
requires = ["hatchling", "openapi-pyclient-generator"]
build-backend = "hatchling.build"

[project]
name = "consumer-app"
version = "1.0"

[tool.hatch.build.targets.wheel]
packages = ["app"]

[tool.hatch.build.hooks.openapi-pyclient]
spec = "openapi.json"
package-name = "petstore_client"
"""
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "2.0.0-beta.1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                    }
                },
            }
        }
    },
    "components": {"schemas": {"Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
}


def _consumer(root: Path, spec: object) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "openapi.json").write_text(json.dumps(spec))
    return root


def _build_wheel(project: Path) -> subprocess.CompletedProcess[str]:
    # No build isolation: the generator under test is the one installed here, not one from an index.
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps", "-w", "dist", "."]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)


def test_the_wheel_carries_the_generated_client_and_its_dependencies(tmp_path: Path) -> None:
    project = _consumer(tmp_path / "consumer", SPEC)
    result = _build_wheel(project)
    assert result.returncode == 0, result.stderr
    [wheel] = (project / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("consumer_app-1.0.dist-info/METADATA").decode()
    assert {"app/__init__.py", "petstore_client/__init__.py", "petstore_client/_client.py"} <= names
    assert "Requires-Dist: httpx" in metadata and "Requires-Dist: pydantic" in metadata
    probe = "import petstore_client as p; print(p.__version__, p.Client.list_pets.__name__, p.__generated_from__['generator'])"
    imported = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(wheel)!r}); {probe}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The wheel says what made it: the spec's fingerprint and the generator's.
    assert imported.stdout.split() == ["2.0.0b1", "list_pets", manifest.generator_fingerprint()], imported.stderr


def test_a_bad_spec_fails_the_build_with_the_generators_one_line_error(tmp_path: Path) -> None:
    project = _consumer(tmp_path / "consumer", {"openapi": "3.1.0", "info": {"title": "x", "version": "1"}})
    (project / "openapi.json").write_text("{not json")
    result = _build_wheel(project)
    assert result.returncode != 0
    assert "openapi-pyclient: " in result.stderr and "openapi.json:1:2: invalid JSON" in result.stderr
