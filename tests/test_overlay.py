"""OpenAPI Overlay 1.0 and 1.1 documents, applied before the spec is read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.errors import Diagnostics, SpecError
from generator.options import Options
from generator.output import manifest
from generator.spec.overlay import apply_overlays


def _spec() -> dict[str, Any]:
    ok = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "tags": [{"name": "pets"}],
        "paths": {
            "/pets": {"get": {"operationId": "listPets", "responses": ok}},
            "/internal": {"get": {"operationId": "internalStuff", "responses": ok}},
        },
        "components": {"schemas": {"Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
    }


def _apply(tmp_path: Path, *overlays: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    document = _spec()
    paths = []
    for number, overlay in enumerate(overlays):
        paths.append(tmp_path / f"overlay{number}.json")
        paths[-1].write_text(json.dumps(overlay))
    diagnostics = Diagnostics("spec.json")
    apply_overlays(document, paths, diagnostics)
    return document, diagnostics.warnings


def _overlay(*actions: dict[str, Any], version: str = "1.1.0") -> dict[str, Any]:
    return {"overlay": version, "info": {"title": "fixes", "version": "1"}, "actions": list(actions)}


def test_update_merges_objects_appends_to_arrays_and_replaces_values(tmp_path: Path) -> None:
    document, warnings = _apply(
        tmp_path,
        _overlay(
            {"target": "$.info", "update": {"title": "Better Pets", "x-logo": {"url": "u"}}},
            {"target": "$.tags", "update": {"name": "extra"}},
            {"target": "$.paths['/pets'].get.operationId", "update": "list_all_pets"},
            {"target": "$.components.schemas.Pet.properties", "update": {"name": {"type": "string"}}},
        ),
    )
    assert warnings == []
    assert document["info"] == {"title": "Better Pets", "version": "1", "x-logo": {"url": "u"}}
    assert document["tags"] == [{"name": "pets"}, {"name": "extra"}]
    assert document["paths"]["/pets"]["get"]["operationId"] == "list_all_pets"
    assert set(document["components"]["schemas"]["Pet"]["properties"]) == {"id", "name"}


def test_remove_with_a_filter_and_copy_from_another_node(tmp_path: Path) -> None:
    document, _ = _apply(
        tmp_path,
        _overlay(
            {"target": "$.paths['/pets']", "update": {"x-copy-me": {"a": [1]}}},
            {"target": "$.paths[?@.get.operationId == 'internalStuff']", "remove": True},
            {"target": "$.info", "copy": "$.paths['/pets']['x-copy-me']"},
        ),
    )
    assert list(document["paths"]) == ["/pets"]
    assert document["info"]["a"] == [1]
    document["info"]["a"].append(2)  # a copy, not the same list
    assert document["paths"]["/pets"]["x-copy-me"]["a"] == [1]


def test_removing_several_array_items_removes_exactly_those(tmp_path: Path) -> None:
    spec_tags = _overlay({"target": "$.tags", "update": {"name": "b"}}, {"target": "$.tags", "update": {"name": "c"}})
    document, _ = _apply(tmp_path, spec_tags, _overlay({"target": "$.tags[?@.name != 'b']", "remove": True}))
    assert document["tags"] == [{"name": "b"}]


def test_a_target_that_selects_nothing_is_a_warning(tmp_path: Path) -> None:
    _, warnings = _apply(tmp_path, _overlay({"target": "$.paths['/gone']", "remove": True}))
    assert warnings == [
        f"{tmp_path / 'overlay0.json'}#/actions/0/target: selects nothing in the document ($.paths['/gone'])"
    ]


@pytest.mark.parametrize(
    ("overlay", "location", "message"),
    [
        ({"overlay": "2.0.0", "info": {}, "actions": [{"target": "$"}]}, "/overlay", "Overlay version"),
        (_overlay(), "/actions", "non-empty list"),
        (_overlay({"target": "paths"}), "/actions/0/target", "starting with $"),
        (_overlay({"target": "$.paths[?@.x =="}), "/actions/0/target", "invalid JSONPath"),
        (_overlay({"target": "$.info", "remove": "yes"}), "/actions/0/remove", "true or false"),
        (_overlay({"target": "$.info", "copy": "$.tags"}, version="1.0.0"), "/actions/0/copy", "Overlay 1.1"),
        (_overlay({"target": "$.info", "copy": "$.paths.*"}), "/actions/0/copy", "exactly one node, selects 2"),
        (_overlay({"target": "$.info", "copy": "$.nothing"}), "/actions/0/copy", "exactly one node, selects 0"),
        (_overlay({"target": "$.info", "copy": "$.tags", "update": {}}), "/actions/0", "not both"),
        (_overlay({"target": "$", "remove": True}), "/actions/0/target", "whole document"),
    ],
)
def test_a_malformed_overlay_names_the_action(
    tmp_path: Path, overlay: dict[str, Any], location: str, message: str
) -> None:
    with pytest.raises(SpecError) as error:
        _apply(tmp_path, overlay)
    assert error.value.location == location
    assert message in error.value.message


def test_cli_applies_overlays_in_order_and_the_manifest_depends_on_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec()))
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps(_overlay({"target": "$.paths['/pets'].get", "update": {"operationId": "findPets"}})))
    second.write_text(json.dumps(_overlay({"target": "$.paths['/internal']", "remove": True})))
    out = tmp_path / "out"
    argv = [str(spec), "--out", str(out), "--overlay", str(first), "--overlay", str(second)]
    assert main(argv) == 0
    endpoints = "".join(path.read_text() for path in (out / "pets" / "_endpoints").glob("*.py"))
    assert "def find_pets(" in endpoints and "internal_stuff" not in endpoints
    assert main([*argv, "--check"]) == 0
    first.write_text(json.dumps(_overlay({"target": "$.paths['/pets'].get", "update": {"operationId": "seekPets"}})))
    assert not manifest.up_to_date(spec, Options(overlays=(first, second)), {})
    assert main([*argv, "--check"]) == 1
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_overlay({"target": "$["})))
    assert main([str(spec), "--out", str(out), "--overlay", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}#/actions/0/target: invalid JSONPath") and err.count("\n") == 1
