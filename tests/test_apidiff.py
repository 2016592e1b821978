"""The public API diff between two generated packages, and the version bump it implies."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.output import apidiff
from generator.output.writer import write_tree
from generator.pipeline import generate

SPECS = Path(__file__).resolve().parent / "specs" / "apidiff"


@pytest.fixture(scope="module")
def changes(tmp_path_factory: pytest.TempPathFactory) -> list[apidiff.Change]:
    root = tmp_path_factory.mktemp("apidiff")
    for version in ("v1", "v2"):
        write_tree(generate(SPECS / f"{version}.json").files, root / version)
    return apidiff.compare(root / "v1", root / "v2", "pets")


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


def test_an_unchanged_package_has_no_changes(tmp_path: Path) -> None:
    write_tree(generate(SPECS / "v1.json").files, tmp_path / "a")
    write_tree(generate(SPECS / "v1.json", package_version="9.9").files, tmp_path / "b")
    assert apidiff.compare(tmp_path / "a", tmp_path / "b", "pets") == []


def test_a_model_moved_to_another_module_is_no_change_and_is_still_compared(tmp_path: Path) -> None:
    write_tree(generate(SPECS / "v1.json").files, tmp_path / "a")
    write_tree(generate(SPECS / "v1.json", module_lines=1).files, tmp_path / "b")  # every model in a part
    write_tree(generate(SPECS / "v2.json", module_lines=1).files, tmp_path / "c")
    assert sorted((tmp_path / "a" / "pets" / "models").glob("*.py")) != sorted(
        (tmp_path / "b" / "pets" / "models").glob("*.py")
    )
    assert apidiff.compare(tmp_path / "a", tmp_path / "b", "pets") == []
    moved = {
        str(change)
        for change in apidiff.compare(tmp_path / "a", tmp_path / "c", "pets")
        if change.where.startswith("models.")
    }
    assert moved == {
        "breaking: models.Kind.dog: public object was removed",
        "compatible: models.Pet.age: added",
        "breaking: models.Pet.name: public object was removed",
    }
