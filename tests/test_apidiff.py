"""The public API diff between two generated packages, and the version bump it implies."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.output import apidiff
from generator.output.writer import write_tree
from generator.pipeline import generate

SPECS = Path(__file__).resolve().parent / "specs" / "apidiff"


Compare = Callable[[Path, Path, str], list[apidiff.Change]]


def _modules(root: Path) -> dict[str, bytes]:
    """The text of each module under ``root``, by its path relative to it."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.py"))}


def _compare(old_root: Path, new_root: Path, package: str) -> list[apidiff.Change]:
    """What the command line compares: the modules of each tree, read as they are."""
    return apidiff.compare_modules(_modules(old_root / package), _modules(new_root / package), package)


@pytest.fixture(params=[_compare, apidiff.compare_trees], ids=["modules-that-differ", "whole-trees"])
def compare(request: pytest.FixtureRequest) -> Compare:
    """Each test holds for the comparison of the modules that differ and for the one of the whole trees."""
    function: Compare = request.param
    return function


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("apidiff")
    for version in ("v1", "v2"):
        write_tree(generate(SPECS / f"{version}.json").files, root / version)
    return root


@pytest.fixture
def changes(trees: Path, compare: Compare) -> list[apidiff.Change]:
    return compare(trees / "v1", trees / "v2", "pets")


def test_each_public_change_is_named_by_its_public_place(changes: list[apidiff.Change]) -> None:
    sync = {str(change) for change in changes if change.where.startswith(("Client.", "models."))}
    assert sync == {
        "breaking: Client.list_pets: parameter was added as required (owner)",
        "compatible: Client.list_pets(sort): added with a default",
        "compatible: Client.new_op: added",
        "breaking: Client.old_op: public object was removed",
        "breaking: models.Kind.dog: public object was removed",
        "compatible: models.Pet.age: added",
        "breaking: models.Pet.name: public object was removed",
    }
    assert {change.where for change in changes} >= {"AsyncClient.old_op", "AsyncClient.new_op"}


def test_the_bump_follows_semver(changes: list[apidiff.Change]) -> None:
    assert apidiff.bump_for(changes) == "major"
    assert apidiff.bump_for([change for change in changes if not change.breaking]) == "minor"
    assert apidiff.bump_for([]) is None
    assert apidiff.bumped("1.4.2", "major") == "2.0.0"
    assert apidiff.bumped("0.4.2", "major") == "0.5.0"  # below 1.0 a breaking change raises the minor number
    assert apidiff.bumped("1.4.2", "minor") == "1.5.0"
    assert apidiff.bumped("1.4.2", "patch") == "1.4.3"
    assert apidiff.bumped("2.0.0b1", "minor") == "2.1.0"


def test_the_changelog_entry_lists_breaking_changes_first(changes: list[apidiff.Change]) -> None:
    entry = apidiff.changelog_entry("2.0.0", changes)
    assert entry.startswith("## 2.0.0\n\n### Breaking changes\n\n- `AsyncClient.list_pets`: parameter was added")
    assert entry.index("### Compatible changes") > entry.index("`models.Pet.name`: public object was removed")


def test_an_unchanged_package_has_no_changes(tmp_path: Path, compare: Compare) -> None:
    write_tree(generate(SPECS / "v1.json").files, tmp_path / "a")
    write_tree(generate(SPECS / "v1.json", package_version="9.9").files, tmp_path / "b")
    assert compare(tmp_path / "a", tmp_path / "b", "pets") == []


def test_a_model_moved_to_another_module_is_no_change_and_is_still_compared(tmp_path: Path, compare: Compare) -> None:
    write_tree(generate(SPECS / "v1.json").files, tmp_path / "a")
    write_tree(generate(SPECS / "v1.json", module_lines=1).files, tmp_path / "b")  # every model in a part
    write_tree(generate(SPECS / "v2.json", module_lines=1).files, tmp_path / "c")
    assert sorted((tmp_path / "a" / "pets" / "models").glob("*.py")) != sorted(
        (tmp_path / "b" / "pets" / "models").glob("*.py")
    )
    assert compare(tmp_path / "a", tmp_path / "b", "pets") == []
    moved = {
        str(change) for change in compare(tmp_path / "a", tmp_path / "c", "pets") if change.where.startswith("models.")
    }
    assert moved == {
        "breaking: models.Kind.dog: public object was removed",
        "compatible: models.Pet.age: added",
        "breaking: models.Pet.name: public object was removed",
    }


def _operation(tag: str, operation_id: str, schema: str | None) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}} if schema else None
    return {
        "tags": [tag],
        "operationId": operation_id,
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "ok", **({"content": content} if content else {})}},
    }


#: Three groups (an operation's first tag), each with its own model, and ``Owner`` shared by two of them.
GROUPS: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "paths": {
        "/pets": {"get": _operation("pets", "listPets", "Pet")},
        "/stores": {"get": _operation("stores", "listStores", "Store")},
        "/users": {"get": _operation("users", "listUsers", "User")},
    },
    "components": {
        "schemas": {
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
            "Store": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
            "User": {"type": "object", "properties": {"id": {"type": "integer"}}},
        }
    },
}


def _edited(document: dict[str, Any]) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    operation = edited["paths"]["/stores"]["get"]
    operation["summary"] = "Edited"
    operation["parameters"].append({"name": "city", "in": "query", "required": True, "schema": {"type": "string"}})
    return edited


def _group_removed(document: dict[str, Any]) -> dict[str, Any]:
    removed = copy.deepcopy(document)
    del removed["paths"]["/users"]
    del removed["components"]["schemas"]["User"]
    return removed


def _model_moved(document: dict[str, Any]) -> dict[str, Any]:
    moved = copy.deepcopy(document)  # Owner, used by pets alone, moves from the shared module to pets'
    moved["components"]["schemas"]["Store"]["properties"] = {"city": {"type": "string"}}
    moved["components"]["schemas"]["Owner"]["properties"]["age"] = {"type": "integer"}
    return moved


def _model_removed(document: dict[str, Any]) -> dict[str, Any]:
    removed = copy.deepcopy(document)
    removed["paths"]["/users"]["get"] = _operation("users", "listUsers", None)
    del removed["components"]["schemas"]["User"]
    return removed


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_edited, {"breaking: Client.list_stores: parameter was added as required (city)"}),
        (
            _group_removed,
            {
                "breaking: Client.list_users: public object was removed",
                "breaking: models.User: public object was removed",
            },
        ),
        (
            _model_moved,
            {
                "compatible: models.Owner.age: added",
                "compatible: models.Store.city: added",
                "breaking: models.Store.owner: public object was removed",
            },
        ),
        (_model_removed, {"breaking: models.User: public object was removed"}),
    ],
    ids=["one-operation-edited", "group-removed", "model-moved", "model-removed"],
)
def test_the_modules_that_differ_give_the_changes_of_the_whole_trees(
    tmp_path: Path, change: Callable[[dict[str, Any]], dict[str, Any]], expected: set[str]
) -> None:
    for name, document in (("a", GROUPS), ("b", change(GROUPS))):
        (tmp_path / f"{name}.json").write_text(json.dumps(document))
        write_tree(generate(tmp_path / f"{name}.json").files, tmp_path / name)
    changes = _compare(tmp_path / "a", tmp_path / "b", "shop")
    assert changes == apidiff.compare_trees(tmp_path / "a", tmp_path / "b", "shop")
    assert {str(found) for found in changes if found.where.startswith(("Client.", "models."))} == expected


def test_an_edit_of_one_operation_reads_the_modules_of_its_group_alone(tmp_path: Path) -> None:
    for name, document in (("a", GROUPS), ("b", _edited(GROUPS))):
        (tmp_path / f"{name}.json").write_text(json.dumps(document))
        write_tree(generate(tmp_path / f"{name}.json").files, tmp_path / name)
    old, new = (_modules(tmp_path / name / "shop") for name in ("a", "b"))
    read = apidiff.affected(old, new, "shop")
    assert "_endpoints/stores.py" in read and "_client.py" in read
    assert not read & {"_endpoints/pets.py", "_endpoints/users.py", "models/pets.py", "models/users.py"}
    assert apidiff.affected(old, old, "shop") == set()


@pytest.mark.parametrize(
    "text",
    [
        b"from . import (\n    a,\n    b as b,\n)\nimport json\nfrom .c import *\n",
        # An import the line scan cannot see (after ``:``), and ``import`` in a docstring: the module is parsed whole.
        b'"""import a and b."""\nfrom . import (\n    a,  # (x)\n    b,\n)\nif True: from .c import d\n',
    ],
)
def test_each_imported_module_is_found(text: bytes) -> None:
    modules = {"__init__.py", "a.py", "b.py", "c.py"}
    assert set(apidiff._imports("m.py", text, "pkg", modules)) == {"a.py", "b.py", "c.py"}


def test_a_module_that_does_not_parse_imports_nothing() -> None:
    assert list(apidiff._imports("m.py", b"if True: from . import a\ndef (:\n", "pkg", {"a.py"})) == []
