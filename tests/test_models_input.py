"""The model generator is given, and its cache keyed on, only what it reads of the document."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.emit.modelgen import cached_models, make_models, model_input, models_job
from generator.model.normalize import normalize
from generator.paths import TEMPLATE_DIR


def _document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "servers": [{"url": "https://example.com"}],
        "paths": {
            "/pets": {
                "get": {
                    "summary": "List pets",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "owner": {"$ref": "#/components/schemas/Owner"}},
                },
                "Owner": {
                    "type": "object",
                    "properties": {"pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}},
                },
            }
        },
    }


def _models(document: dict[str, Any]) -> str:
    """The models as the pipeline gets them: the cache's, else made."""
    job = models_job(normalize(copy.deepcopy(document)), package="pkg", template_dir=TEMPLATE_DIR / "models")
    cached = cached_models(job)
    return make_models(job) if cached is None else cached


def test_editing_an_operation_does_not_make_the_models_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", str(tmp_path))
    document = _document()
    first = _models(document)
    entries = {path.name for path in tmp_path.rglob("*") if path.is_file() and path.parent.name.startswith("models-")}
    assert len(entries) == 1
    document["paths"]["/pets"]["get"]["summary"] = "List every pet"
    document["info"]["title"] = "Animals"
    document["servers"][0]["url"] = "https://example.org"
    assert _models(document) == first
    assert {p.name for p in tmp_path.rglob("*") if p.is_file() and p.parent.name.startswith("models-")} == entries
    # A change to a model is a new entry.
    document["components"]["schemas"]["Pet"]["properties"]["age"] = {"type": "integer"}
    assert "age" in _models(document)
    assert len({p.name for p in tmp_path.rglob("*") if p.is_file() and p.parent.name.startswith("models-")}) == 2


def test_the_model_generator_reads_the_schemas_and_the_version_only() -> None:
    document = _document()
    document["components"]["examples"] = {"pet": {"value": {"name": "Rex"}}}
    document["components"]["parameters"] = {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}}
    document = normalize(document).document
    part, _ = model_input(document)
    assert sorted(part) == ["components", "openapi"]
    assert part["components"] == {"schemas": document["components"]["schemas"]}
    assert part["components"]["schemas"] is document["components"]["schemas"]


@pytest.mark.parametrize("reference", ["#/paths/~1pets/get/responses/200", "#", "#/components/parameters/limit/schema"])
def test_a_reference_outside_the_components_gets_the_whole_document(reference: str) -> None:
    """Without the paths, such a reference would dangle; the models are made from the whole document then."""
    document = _document()
    document["components"]["parameters"] = {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}}
    document["components"]["schemas"]["Owner"]["properties"]["favourite"] = {"$ref": reference}
    part, _ = model_input(document)
    assert part is document


def test_a_file_input_outside_the_schemas_gets_the_whole_document() -> None:
    """A file input is typed at its pointer in what the model generator is given: it must be there."""
    document = _document()
    assert model_input(document, ("/components/schemas/Pet/properties/name",))[0] is not document
    assert model_input(document, ("/components/parameters/form/schema/properties/file",))[0] is document


def test_a_reference_in_an_example_is_data_and_does_not_get_the_whole_document() -> None:
    """GitHub's ``example: {"$ref": "#/components/examples/..."}`` in a schema: the model generator does not
    follow it, so the examples are not needed (40 % of GitHub's components)."""
    document = _document()
    document["components"]["examples"] = {"pet": {"value": {"name": "Rex"}}}
    document["components"]["schemas"]["Pet"]["example"] = {"$ref": "#/components/examples/pet"}
    part, _ = model_input(document)
    assert part is not document
    assert "Rex" not in _models(document)
