"""Groups are split by the size of their endpoints module as black writes it, not by a guess per operation."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.pipeline import generate

_WORDS = "Returns the matching records of the account, newest first, with their linked objects expanded."


def _wordy_spec(paths: list[str]) -> dict[str, object]:
    """Untagged list operations with long descriptions and many long-named, long-described parameters: each
    renders to far more than the 60 lines and 10 a parameter that splitting once assumed."""
    parameters = [
        {
            "name": f"filter_by_a_rather_long_field_name_number_{index}",
            "in": "query",
            "description": " ".join([_WORDS] * 3),
            "schema": {"type": "string"},
        }
        for index in range(6)
    ]
    operation = {
        "summary": "List the records",
        "description": "\n\n".join([" ".join([_WORDS] * 4)] * 5),
        "parameters": parameters,
        "responses": {"200": {"description": "The records.", "content": {"application/json": {"schema": {}}}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Wordy", "version": "1.0"},
        "paths": {path: {"get": {**operation, "operationId": f"op{n}"}} for n, path in enumerate(paths)},
    }


def test_every_endpoints_module_stays_within_the_bound_once_formatted(tmp_path: Path) -> None:
    paths = [f"/v1/records/{part}/{leaf}" for part in ("alpha", "beta", "gamma") for leaf in ("a", "b", "c")]
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(_wordy_spec(paths), sort_keys=False))
    limit = 1200
    package = generate(spec_path, module_lines=limit)
    modules = {
        name.rsplit("/", 1)[1]: content.decode().count("\n")
        for name, content in package.files.items()
        if "/_endpoints/" in name and not name.endswith("__init__.py")
    }
    # Split (one module would hold about 1,800 lines), and every part within the bound as formatted; the
    # old estimate (9 * (60 + 6 * 10) = 1,080 lines) split nothing.
    assert len(modules) > 1, modules
    assert max(modules.values()) <= limit, modules
    assert not [note for note in package.notes if "past the bound" in note]


def test_a_module_past_its_bound_is_noted(tmp_path: Path) -> None:
    """One operation alone longer than the bound cannot be split: ``--verbose`` says so."""
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(_wordy_spec(["/v1/records"]), sort_keys=False))
    package = generate(spec_path, module_lines=100)
    assert [note for note in package.notes if "past the bound" in note] == [
        f"{spec_path}#/paths: wordy/_endpoints/records.py has"
        f" {package.files['wordy/_endpoints/records.py'].decode().count(chr(10))} lines, past the bound of about 100"
    ]


def test_a_group_within_the_bound_is_one_module(tmp_path: Path) -> None:
    """The module measured is the module written: a group whose module fits is not split, even when its
    operations, each measured alone beside the group's shared lines, would seem to pass the bound."""
    paths = [f"/v1/records/{part}/{leaf}" for part in ("alpha", "beta", "gamma") for leaf in ("a", "b", "c")]
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(_wordy_spec(paths), sort_keys=False))
    whole = generate(spec_path).files["wordy/_endpoints/records.py"].decode().count("\n")
    package = generate(spec_path, module_lines=whole + 5)
    assert [name for name in package.files if "/_endpoints/" in name] == [
        "wordy/_endpoints/__init__.py",
        "wordy/_endpoints/records.py",
    ]
