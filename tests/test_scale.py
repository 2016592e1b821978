"""A synthetic spec of many operations: nothing is dropped silently, and the client type-checks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_spec  # noqa: E402

from generator.output.writer import write_tree  # noqa: E402
from generator.pipeline import generate  # noqa: E402


def test_every_operation_of_a_100_operation_spec_is_generated(tmp_path: Path) -> None:
    spec = make_spec(100)
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    package = generate(spec_path)
    assert package.warnings == []
    write_tree(package.files, tmp_path / "out")
    operations = [op for item in spec["paths"].values() for method, op in item.items() if method != "parameters"]
    assert len(operations) == 100
    endpoints = sorted((tmp_path / "out" / package.package / "_endpoints").glob("*.py"))
    assert [path.stem for path in endpoints] == ["__init__", *sorted(f"group{n}" for n in range(1, 13))]
    assert sum(path.read_text().count("= OperationSpec(") for path in endpoints) == 100
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "/dev/null", package.package],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_an_unsupported_operation_is_skipped_with_a_warning_and_strict_fails(tmp_path: Path) -> None:
    spec = make_spec(10)
    first_path = next(iter(spec["paths"]))
    method = next(m for m in spec["paths"][first_path] if m != "parameters")
    spec["paths"][first_path][method]["requestBody"] = {
        "content": {"text/event-stream": {"schema": {"type": "string"}}}
    }
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    package = generate(spec_path)
    assert (
        len(package.warnings) == 1
        and "skipped" in package.warnings[0]
        and "/requestBody/content" in package.warnings[0]
    )
    run = [sys.executable, "-m", "generator", str(spec_path), "--out", str(tmp_path / "out")]
    loose = subprocess.run(run, capture_output=True, text=True, check=False)
    assert loose.returncode == 0 and loose.stderr.startswith("warning: ")
    strict = subprocess.run([*run, "--strict"], capture_output=True, text=True, check=False)
    assert strict.returncode == 2 and "--strict" in strict.stderr.splitlines()[-1]


def _generate_into(tmp_path: Path, spec: dict[str, object]) -> Path:
    """Generate ``spec`` into ``tmp_path/out``; returns the package folder."""
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    package = generate(spec_path)
    write_tree(package.files, tmp_path / "out")
    return tmp_path / "out" / package.package


def _run_probe(package_dir: Path, probe: str) -> None:
    """Run ``probe`` (``{package}`` is the package name) in a fresh interpreter; it must print ok."""
    result = subprocess.run(
        [sys.executable, "-c", probe.format(package=package_dir.name)],
        cwd=package_dir.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "ok", result.stderr


# Which modules does each step load?
_LAZY_PROBE = """
import sys
import {package} as package
from {package}.testing import MockAPI

def loaded():
    return sorted(name.removeprefix("{package}.models.") for name in sys.modules if name.startswith("{package}.models."))

assert loaded() == [], loaded()
assert package.models.CoursePage.__module__ == "{package}.models.group1"
assert loaded() == ["_shared", "group1"], loaded()
with MockAPI().client() as client:
    client.list_lesson()
assert loaded() == ["_shared", "group1", "group2"], loaded()
print("ok")
"""


def test_a_split_package_imports_only_the_models_it_uses(tmp_path: Path) -> None:
    package_dir = _generate_into(tmp_path, make_spec(100))
    models = sorted(path.stem for path in (package_dir / "models").glob("*.py"))
    assert models == ["__init__", "_shared", *sorted(f"group{n}" for n in range(1, 13))]
    _run_probe(package_dir, _LAZY_PROBE)


def test_operations_named_like_client_methods_get_a_suffix(tmp_path: Path) -> None:
    spec = make_spec(5)
    operations = [op for item in spec["paths"].values() for op in item.values()]
    operations[0]["operationId"], operations[1]["operationId"] = "close", "with_raw_response"
    probe = """
import functools
from {package} import Client
assert Client.close.__qualname__ == "SyncTransport.close"
assert isinstance(Client.__dict__["with_raw_response"], functools.cached_property)
assert callable(Client.close_) and callable(Client.with_raw_response_)
print("ok")
"""
    _run_probe(_generate_into(tmp_path, spec), probe)


def test_hostile_tags_make_safe_module_names(tmp_path: Path) -> None:
    spec = make_spec(6)
    operations = [op for item in spec["paths"].values() for op in item.values()]
    for operation, tag in zip(operations, ["class", "../../x", "models", "", "__init__", "match"], strict=True):
        operation["tags"] = [tag]
    package_dir = _generate_into(tmp_path, spec)
    endpoints = sorted(path.name for path in (package_dir / "_endpoints").glob("*.py"))
    assert endpoints == ["__init__.py", "class_.py", "default.py", "init.py", "match.py", "models.py", "x.py"]
    probe = """
from {package}.testing import MockAPI, load_fixture
client = MockAPI().client()
client.list_course()
client.create_course(body=load_fixture("create_course", "request"))
client.list_lesson()
print("ok")
"""
    _run_probe(package_dir, probe)


def _untagged_spec(paths: list[str]) -> dict[str, object]:
    """A spec of untagged ``GET`` operations, one per path, each with a query parameter."""
    operation = {
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Untagged", "version": "1.0"},
        "paths": {path: {"get": {**operation, "operationId": f"op{index}"}} for index, path in enumerate(paths)},
    }


_UNTAGGED = [
    "/v1/charges",
    "/v1/charges/{id}",
    "/v1/customers",
    "/v1/customers/{id}",
    "/v1/customers/{id}/sources",
    "/v1/customers/{id}/sources/{source}",
    "/v1/customers/{id}/sources/{source}/verify",
    "/",
]


def _endpoint_modules(tmp_path: Path, paths: list[str], module_lines: int) -> dict[str, str]:
    """Each operation's endpoints module, generated with ``module_lines`` as the limit."""
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(_untagged_spec(paths), sort_keys=False))
    package = generate(spec_path, module_lines=module_lines)
    found = {}
    for name, content in package.files.items():
        if "/_endpoints/" in name and not name.endswith("__init__.py"):
            for operation in re.findall(r'    name="(op\d+)"', content.decode()):
                found[operation] = name.rsplit("/", 1)[1].removesuffix(".py")
    return found


def test_untagged_operations_are_grouped_by_path_and_large_groups_split_with_stable_names(tmp_path: Path) -> None:
    whole = _endpoint_modules(tmp_path, _UNTAGGED, module_lines=100_000)
    assert whole == {f"op{n}": group for n, group in enumerate(["charges"] * 2 + ["customers"] * 5 + ["default"])}
    # A module of this test's operations is about 40 lines and 100 an operation: two fit in 300, three do not.
    split = _endpoint_modules(tmp_path, _UNTAGGED, module_lines=300)
    groups = ["charges"] * 2 + ["customers"] * 2 + ["customers_sources"] * 2 + ["customers_sources_verify", "default"]
    assert split == {f"op{n}": group for n, group in enumerate(groups)}
    # An operation added to another group renames nothing.
    grown = _endpoint_modules(tmp_path, [*_UNTAGGED, "/v1/refunds", "/v1/charges/{id}/refund"], 300)
    assert {op: grown[op] for op in split} == split
    assert (grown["op8"], grown["op9"]) == ("refunds", "charges_refund")


_PARTS_PROBE = """
import sys
import pydantic
import {package} as package
from {package} import models

def loaded():
    return {{name.removeprefix("{package}.models.") for name in sys.modules if name.startswith("{package}.models.")}}

models.CoursePage
first = loaded()
assert first and first < set(models._MODULES), (first, set(models._MODULES))
for name in models.__all__:
    value = getattr(models, name)
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
        value.model_json_schema()  # complete: every annotation resolves
print("ok")
"""


def test_models_modules_over_the_limit_are_cut_into_parts_that_load_apart(tmp_path: Path) -> None:
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(make_spec(40), sort_keys=False))
    package = generate(spec_path, module_lines=120)
    write_tree(package.files, tmp_path / "out")
    parts = [name for name in package.files if "/models/" in name and "__" in name.rsplit("/", 1)[1][1:-3]]
    assert parts, sorted(package.files)
    _run_probe(tmp_path / "out" / package.package, _PARTS_PROBE)
