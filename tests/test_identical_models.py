"""Schemas written alike are made into one model; every other name is bound to it (generator/emit/identical.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.emit.identical import bindings, merge_identical
from generator.model.normalize import normalize
from generator.output import apidiff
from generator.output.writer import write_tree
from generator.paths import TEMPLATE_DIR
from generator.pipeline import generate

NAME = {"type": "object", "properties": {"name": {"type": "string"}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _document(schemas: dict[str, Any], **components: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "components": {"schemas": schemas, **components}}


def test_alike_schemas_are_merged_until_none_is_and_every_reference_follows() -> None:
    document = _document(
        {
            "Cat": NAME,
            "Dog": copy.deepcopy(NAME),
            # Alike once Dog is Cat: merged in a second round.
            "CatOwner": {"type": "object", "properties": {"pet": _ref("Cat")}},
            "DogOwner": {"type": "object", "properties": {"pet": _ref("Dog")}},
            # A pointer into a merged schema leads to the same place in its model.
            "DogName": {"$ref": "#/components/schemas/Dog/properties/name"},
        },
        responses={"Dogs": {"description": "", "content": {"application/json": {"schema": _ref("DogOwner")}}}},
    )
    before = copy.deepcopy(document)
    merged, bound = merge_identical(document, keep=())
    assert bound == {"Dog": "Cat", "DogOwner": "CatOwner"}
    assert merged["components"]["schemas"] == {
        "Cat": NAME,
        "CatOwner": {"type": "object", "properties": {"pet": _ref("Cat")}},
        "DogName": {"$ref": "#/components/schemas/Cat/properties/name"},
    }
    assert merged["components"]["responses"]["Dogs"]["content"]["application/json"]["schema"] == _ref("CatOwner")
    assert document == before  # what changed was copied
    assert bindings(bound, order=document["components"]["schemas"]) == "Dog = Cat\nDogOwner = CatOwner\n"


def test_discriminated_members_and_kept_names_stay_apart() -> None:
    union = {"oneOf": [_ref("Cat"), _ref("Dog")], "discriminator": {"propertyName": "name"}}
    document = _document({"Cat": NAME, "Dog": copy.deepcopy(NAME), "Pet": union, "Fox": copy.deepcopy(NAME)})
    # Cat's and Dog's tags are their own names: a union of one model would lose one.
    assert merge_identical(document, keep=()) == (document, {})
    mapped = {"oneOf": [_ref("Cat")], "discriminator": {"propertyName": "name", "mapping": {"f": "Fox"}}}
    document["components"]["schemas"]["Pet"] = mapped
    assert merge_identical(document, keep=()) == (document, {})
    document["components"]["schemas"]["Pet"] = {"type": "string"}
    assert merge_identical(document, keep={"Dog", "Fox"}) == (document, {})
    assert merge_identical(document, keep={"Dog"})[1] == {"Fox": "Cat"}


@pytest.mark.parametrize("name", ["Dog = Cat\nimport os  #", "class", "Dog-1", ""])
def test_only_identifiers_are_bound(name: str) -> None:
    with pytest.raises(ValueError, match="not a class name"):
        bindings({name: "Cat"}, order=[name])
    with pytest.raises(ValueError, match="not a class name"):
        bindings({"Dog": name}, order=["Dog"])


def _operation(tag: str, schema: str) -> dict[str, Any]:
    content = {"application/json": {"schema": _ref(schema)}}
    return {
        "tags": [tag],
        "operationId": f"get{schema}",
        "responses": {"200": {"description": "ok", "content": content}},
    }


def _pets(**dog: Any) -> dict[str, Any]:
    kind = {"type": "string", "enum": ["good", "bad"]}
    animal = {"type": "object", "properties": {"name": {"type": "string"}, "kind": kind}, "required": ["name"]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {"/cats": {"get": _operation("cats", "Cat")}, "/dogs": {"get": _operation("dogs", "Dog")}},
        "components": {
            "schemas": {
                "Cat": animal,
                "Dog": {**copy.deepcopy(animal), **dog},
                "Stray": copy.deepcopy(animal),  # no operation reaches it
            }
        },
    }


def test_a_bound_name_is_its_model_in_the_generated_package(import_generated: Any) -> None:
    pets = import_generated(_pets(description="A dog."), "pets")
    models = pets.models
    assert models.Stray is models.Cat and models.Dog is not models.Cat
    assert models.DogKind is models.CatKind  # the enums normalizing hoisted are alike too
    assert models.Dog.model_validate({"name": "Rex", "kind": "good"}).kind is models.DogKind.good
    mock = __import__("pets.testing", fromlist=["MockAPI"]).MockAPI()
    assert isinstance(mock.client().get_cat(), models.Stray)
    # A name no operation reaches goes with its model: Stray with Cat, which one group uses; DogKind with
    # CatKind, which both use now.
    folder = Path(pets.__file__).parent / "models"
    assert sorted(path.name for path in folder.glob("*.py")) == ["__init__.py", "_shared.py", "cats.py", "dogs.py"]
    assert "Stray = Cat\n" in (folder / "cats.py").read_text()
    assert "DogKind = CatKind\n" in (folder / "_shared.py").read_text()


def test_a_model_become_a_bound_name_is_no_change_to_callers(tmp_path: Path) -> None:
    for name, document in (("a", _pets(description="A dog.")), ("b", _pets())):
        (tmp_path / f"{name}.json").write_text(json.dumps(document))
        write_tree(generate(tmp_path / f"{name}.json").files, tmp_path / name)
    assert "class Dog(" in (tmp_path / "a" / "pets" / "models" / "dogs.py").read_text()
    assert "Dog = Cat\n" in (tmp_path / "b" / "pets" / "models" / "dogs.py").read_text()
    assert apidiff.compare_trees(tmp_path / "a", tmp_path / "b", "pets") == []


def test_a_model_the_generator_renames_is_made_again_unmerged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from generator.emit import modelgen

    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", str(tmp_path))
    made = modelgen._run_datamodel_codegen
    given: list[set[str]] = []

    def renaming(spec: Any, document: dict[str, Any], **options: Any) -> str:
        given.append(set(document["components"]["schemas"]))
        # As the model generator renames a class whose name it imports: names bound to Cat would lead nowhere.
        return made(spec, document, **options).replace("class Cat(", "class CatModel(")

    monkeypatch.setattr(modelgen, "_run_datamodel_codegen", renaming)
    job = modelgen.models_job(
        normalize(_pets(description="A dog.")), package="pets", template_dir=TEMPLATE_DIR / "models"
    )
    source = modelgen.make_models(job)
    assert given == [{"Cat", "CatKind", "Dog"}, {"Cat", "CatKind", "Dog", "DogKind", "Stray", "StrayKind"}]
    assert "class CatModel(" in source and "class Stray(" in source and "Stray = " not in source


def test_a_builtin_s_name_gets_a_class_name_the_model_generator_keeps(import_generated: Any) -> None:
    document = _pets(description="A dog.")
    schemas = document["components"]["schemas"]
    document["components"]["schemas"] = {"BaseException" if name == "Cat" else name: v for name, v in schemas.items()}
    document["paths"]["/cats"]["get"] = _operation("cats", "BaseException")
    # An operation's body that points into a schema: a component of its own.
    document["paths"]["/kinds"] = {"get": _operation("kinds", "Dog/properties/kind")}
    document["paths"]["/kinds"]["get"]["operationId"] = "getKind"
    pets = import_generated(document, "builtin_names")
    assert pets.models.BaseExceptionModel.__name__ == "BaseExceptionModel"
    assert pets.models.Stray is pets.models.BaseExceptionModel
    mock = __import__("builtin_names.testing", fromlist=["MockAPI"]).MockAPI()
    assert isinstance(mock.client().get_base_exception(), pets.models.BaseExceptionModel)
    assert mock.client().get_kind() in set(pets.models.DogKind)


def test_inline_objects_are_classes_named_after_their_place_and_alike_ones_are_one(import_generated: Any) -> None:
    document = _pets()
    schemas = document["components"]["schemas"]
    permissions = {"type": "object", "properties": {"admin": {"type": "boolean"}}, "required": ["admin"]}
    for name in ("Cat", "Dog"):
        schemas[name]["properties"]["permissions"] = copy.deepcopy(permissions)
    schemas["Stray"]["properties"]["permissions"] = {**copy.deepcopy(permissions), "required": []}
    pets = import_generated(document, "inline_objects")
    models = pets.models
    assert models.DogPermissions is models.CatPermissions and models.StrayPermissions is not models.CatPermissions
    cat = models.Cat.model_validate({"name": "Tom", "kind": "good", "permissions": {"admin": True}})
    assert isinstance(cat.permissions, models.CatPermissions) and cat.permissions.admin is True
    assert not [name for name in dir(models) if name.startswith("Permissions")]  # no name of the model generator's
