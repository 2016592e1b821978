"""Unit tests of normalize (generator/model/normalize.py) on small inline documents: no generation."""

from __future__ import annotations

import copy
from typing import Any

from generator.model.normalize import FORMAT_HINT, normalize
from generator.spec.loader import copied

OPEN = {"additionalProperties": True}


def _document(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def _schemas(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = normalize(_document(schemas, paths)).document["components"]["schemas"]
    return result


def test_the_input_document_is_not_modified() -> None:
    document = _document({"A": {"type": "object", "properties": {"n": {"type": "number", "nullable": True}}}})
    before = copy.deepcopy(document)
    normalized = normalize(document)
    assert document == before
    assert normalized.document != before
    in_place = normalize(document, copy=False)  # the pipeline's: it is done with the document as written
    assert in_place.document is document
    assert in_place == normalized


def test_the_copy_normalize_works_on_keeps_what_yaml_aliases_share() -> None:
    shared = {"type": "string", "nullable": True}
    document = {"a": shared, "b": [shared, shared], "c": [1, "x", None]}
    result = copied(document)
    assert result == document and result["a"] is not shared
    assert result["a"] is result["b"][0] is result["b"][1]  # copied once, as copy.deepcopy does
    assert result["c"] is not document["c"]


def test_nullable_of_30_becomes_a_type_array_or_an_any_of_with_null() -> None:
    schemas = _schemas(
        {
            "B": {"type": "object"},
            "A": {
                "type": "object",
                "properties": {
                    "s": {"type": "string", "nullable": True, "description": "d"},
                    "r": {"$ref": "#/components/schemas/B", "nullable": True, "description": "d"},
                    "f": {"type": "string", "nullable": False},
                },
            },
        }
    )
    properties = schemas["A"]["properties"]
    assert properties["s"] == {"type": ["string", "null"], "description": "d"}
    # The annotations stay beside the anyOf; the reference moves into it.
    assert properties["r"] == {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}], "description": "d"}
    assert properties["f"] == {"type": "string"}


def test_an_all_of_of_one_reference_becomes_the_reference_unless_it_adds_constraints() -> None:
    schemas = _schemas(
        {
            "B": {"type": "object"},
            "A": {
                "type": "object",
                "properties": {
                    "plain": {"allOf": [{"$ref": "#/components/schemas/B"}], "description": "d"},
                    "more": {"allOf": [{"$ref": "#/components/schemas/B"}], "required": ["x"]},
                },
            },
        }
    )
    properties = schemas["A"]["properties"]
    assert properties["plain"] == {"$ref": "#/components/schemas/B", "description": "d"}
    assert properties["more"] == {"allOf": [{"$ref": "#/components/schemas/B"}], "required": ["x"]}


def test_an_all_of_of_one_reference_and_a_part_of_nullable_alone_is_the_reference_made_nullable() -> None:
    # PandaScore's: the model generator made a class of the part left empty, which refused every number.
    ref = {"$ref": "#/components/schemas/Year"}
    schemas = _schemas(
        {
            "Year": {"type": "number", "minimum": 0},
            "A": {
                "type": "object",
                "properties": {
                    "year": {"allOf": [{"nullable": True}, ref], "title": "Year"},
                    "empty": {"allOf": [{}, ref, {"nullable": False}]},
                    # Other annotating parts are left to the model generator, which reads them (AWS's).
                    "described": {"allOf": [ref, {"description": "d"}]},
                },
            },
        }
    )
    properties = schemas["A"]["properties"]
    assert properties["year"] == {"$ref": "#/components/schemas/AYear", "title": "Year"}  # a union: named
    assert schemas["AYear"] == {"anyOf": [ref, {"type": "null"}]}
    assert properties["empty"] == ref
    assert properties["described"] == {"allOf": [ref, {"description": "d"}]}


def test_null_in_an_enum_makes_the_schema_nullable_and_an_enum_of_only_null_goes() -> None:
    schemas = _schemas({"N": {"type": "integer", "enum": [1, 2, None]}, "O": {"type": "integer", "enum": [None]}})
    assert schemas["N"] == {"type": ["integer", "null"], "enum": [1, 2]}
    assert schemas["O"] == {"type": ["integer", "null"]}
    # With no type, a reference: the enum goes into the anyOf's member (a KeyError once it had gone).
    schemas = _schemas({"N": {"type": "integer"}, "R": {"$ref": "#/components/schemas/N", "enum": [None, 1]}})
    assert schemas["R"] == {"anyOf": [{"$ref": "#/components/schemas/N", "enum": [1]}, {"type": "null"}]}


def test_only_formats_that_give_a_precise_type_are_kept() -> None:
    formats = {
        "email": {"type": "string", "format": "email"},
        "when": {"type": "string", "format": "date-time"},
        "id": {"type": ["string", "null"], "format": "uuid"},
        "big": {"type": "integer", "format": "int64"},
        "odd": {"type": "integer", "format": "uuid"},
    }
    properties = _schemas({"A": {"type": "object", "properties": formats}})["A"]["properties"]
    assert {name: schema.get("format") for name, schema in properties.items()} == {
        "email": None,
        "when": "date-time",
        "id": "uuid",
        "big": "int64",
        "odd": None,
    }
    # What the models do not read is kept aside for the fixtures, under a key of the generator's own.
    assert {name: schema.get(FORMAT_HINT) for name, schema in properties.items()} == {
        "email": "email",
        "when": None,
        "id": None,
        "big": None,
        "odd": "uuid",
    }


def test_a_document_cannot_set_the_format_hint_itself() -> None:
    schema = {"type": "string", FORMAT_HINT: "email"}
    assert FORMAT_HINT not in _schemas({"A": {"type": "object", "properties": {"a": schema}}})["A"]["properties"]["a"]


def test_a_number_becomes_int_or_float_with_its_bounds_on_each() -> None:
    properties = {
        "n": {"type": ["number", "null"], "minimum": 0, "description": "d"},
        "d": {"type": "number", "format": "double"},
    }
    schemas = _schemas({"A": {"type": "object", "properties": properties}})
    assert schemas["A"]["properties"]["n"] == {
        "description": "d",
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "number", "format": "double", "minimum": 0},
            {"type": "null"},
        ],
    }
    assert schemas["A"]["properties"]["d"] == {"type": "number", "format": "double"}


def test_read_only_and_write_only_properties_are_not_required_and_objects_stay_open() -> None:
    schemas = _schemas(
        {
            "A": {
                "type": "object",
                "required": ["id", "name", "secret", "key", "token"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "name": {"type": "string"},
                    "secret": {"type": "string", "writeOnly": True},
                    # One way by the schema it refers to (Apideck's ids).
                    "key": {"$ref": "#/components/schemas/Key"},
                    "token": {"$ref": "#/components/schemas/Token"},
                },
            },
            "Key": {"type": "string", "readOnly": True},
            "Token": {"type": "string", "writeOnly": True},
            "Closed": {"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": False},
        }
    )
    assert schemas["A"]["required"] == ["name"]
    assert schemas["A"]["additionalProperties"] is True
    assert schemas["Closed"]["additionalProperties"] is False


def test_one_way_properties_stay_required_in_schemas_only_the_other_way_uses() -> None:
    """Datadog's credentials (writeOnly, required) in schemas only ever sent stay required, as GitHub's
    ids (readOnly, required) in schemas only ever read; a schema used both ways requires neither."""
    one_way = {
        "type": "object",
        "required": ["id", "secret", "name"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "secret": {"type": "string", "writeOnly": True},
            "name": {"type": "string"},
        },
    }

    def media(name: str) -> dict[str, Any]:
        return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}

    paths = {
        "/a": {
            "post": {
                "requestBody": media("Sent"),
                "responses": {
                    "200": {"description": "ok", **media("Read")},
                    "201": {"description": "ok", **media("Both")},
                },
            },
            "put": {"requestBody": media("Both"), "responses": {"204": {"description": "done"}}},
        }
    }
    schemas = _schemas(
        {
            "Sent": {"allOf": [{"$ref": "#/components/schemas/Inner"}]},
            **{name: copy.deepcopy(one_way) for name in ("Inner", "Read", "Both")},
        },
        paths,
    )
    assert schemas["Inner"]["required"] == ["secret", "name"]  # sent, through the schema that refers to it
    assert schemas["Read"]["required"] == ["id", "name"]
    assert schemas["Both"]["required"] == ["name"]


def test_a_required_name_no_property_declares_is_declared_of_any_value() -> None:
    """JSON Schema requires the name whatever its value (Postmark's ``TemplateId``); the model generator
    dropped it. Of ``additionalProperties``' schema where there is one; left to the model generator in an
    ``allOf``'s part, and in a branch for a name the schema around it declares."""
    string = {"type": "string"}
    schemas = _schemas(
        {
            "Open": {"type": "object", "required": ["id", "Undeclared"], "properties": {"id": string}},
            "Bare": {"type": "object", "required": ["a"]},
            "Typed": {"type": "object", "required": ["k"], "properties": {}, "additionalProperties": string},
            "Part": {"allOf": [{"$ref": "#/components/schemas/Open"}, {"required": ["id"], "properties": {}}]},
            "Branches": {
                "type": "object",
                "properties": {"a": string, "b": string},
                "oneOf": [{"required": ["a"], "properties": {}}, {"required": ["c"], "properties": {}}],
            },
        }
    )
    assert schemas["Open"]["properties"] == {"id": string, "Undeclared": {}}
    assert schemas["Bare"]["properties"] == {"a": {}}
    assert schemas["Typed"]["properties"] == {"k": string}
    assert schemas["Part"]["allOf"][1]["properties"] == {}
    assert schemas["Branches"]["oneOf"][0]["properties"] == {}
    assert schemas["BranchesOneOf1"]["properties"] == {"c": {}}  # a class of its own, now it has a property


def test_inline_string_enums_get_a_component_named_after_where_they_sit() -> None:
    properties = {
        "colour": {"type": "string", "enum": ["red", "green"], "description": "d"},
        "size": {"type": ["string", "null"], "enum": ["s", "m", None]},
    }
    schemas = _schemas({"Shirt": {"type": "object", "properties": properties}})
    assert schemas["Shirt"]["properties"] == {
        "colour": {"$ref": "#/components/schemas/ShirtColour", "description": "d"},
        "size": {"anyOf": [{"$ref": "#/components/schemas/ShirtSize"}, {"type": "null"}]},
    }
    assert schemas["ShirtColour"] == {"type": "string", "enum": ["red", "green"]}
    assert schemas["ShirtSize"] == {"type": "string", "enum": ["s", "m"]}


def test_inline_bodies_and_responses_get_stable_component_names() -> None:
    thing = {"type": "object", "properties": {"a": {"type": "string"}}}
    paths = {
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": {"content": {"application/json": {"schema": thing}}},
                "responses": {
                    "201": {"description": "made", "content": {"application/json": {"schema": thing}}},
                    "204": {"description": "none"},
                },
            },
            "get": {
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/x"}}}}
                }
            },
        }
    }
    normalized = normalize(_document({}, paths))
    post = normalized.document["paths"]["/things"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreateThingBody"
    }
    assert post["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreateThingResponseModel201"
    }
    # A schema that is only a reference is left where it is.
    get = normalized.document["paths"]["/things"]["get"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/x"}
    assert set(normalized.document["components"]["schemas"]) == {"CreateThingBody", "CreateThingResponseModel201"}


def test_component_names_become_unique_class_names_and_references_follow() -> None:
    normalized = normalize(
        _document(
            {
                "my-model": {"type": "object"},
                "my_model": {"type": "object"},
                "BaseModel": {"type": "object"},
                "a/b": {"type": "array", "items": {"$ref": "#/components/schemas/my-model"}},
            }
        )
    )
    renamed = normalized.class_names
    assert renamed["my-model"] != renamed["my_model"]
    assert {renamed["my-model"], renamed["my_model"]} == {"MyModel", "MyModel2"}
    assert renamed["BaseModel"] != "BaseModel"  # would shadow pydantic's, which models.py imports
    schemas = normalized.document["components"]["schemas"]
    assert set(schemas) == set(renamed.values())
    assert schemas[renamed["a/b"]]["items"] == {"$ref": f"#/components/schemas/{renamed['my-model']}"}
    assert normalized.class_for_ref(f"#/components/schemas/{renamed['a/b']}") == renamed["a/b"]


def test_a_builtin_s_name_is_a_class_name_the_model_generator_keeps() -> None:
    renamed = normalize(_document({"BaseException": {"type": "object"}, "None": {"type": "string"}})).class_names
    # Not "BaseException_": the model generator drops a "_" at the end, which would leave the builtin's name.
    assert renamed == {"BaseException": "BaseExceptionModel", "None": "NoneModel"}


def test_a_reference_into_a_schema_gets_a_component_of_its_own() -> None:
    kind = {"type": "string", "enum": ["cat", "dog"]}
    pet = {
        "type": "object",
        "properties": {"kind": kind, "tag": {"$ref": "#/components/schemas/my-pet/properties/kind"}},
    }
    inner = "#/components/schemas/my-pet/properties/kind"
    operation = {
        "parameters": [{"name": "kind", "in": "query", "schema": {"$ref": inner}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": inner}}}}},
    }
    normalized = normalize(_document({"my-pet": pet}, {"/kinds": {"get": operation}}))
    schemas = normalized.document["components"]["schemas"]
    get = normalized.document["paths"]["/kinds"]["get"]
    own = get["parameters"][0]["schema"]
    assert own == get["responses"]["200"]["content"]["application/json"]["schema"]  # one component for both
    assert schemas[normalized.class_for_ref(own["$ref"])] == kind
    assert own["$ref"] == "#/components/schemas/MyPetKind"  # named after where it was, as hoisting names it
    # Inside the schemas too (the model generator would name it after the pointer's end alone, Kind), and
    # where it was written.
    assert schemas["MyPet"]["properties"] == {"kind": own, "tag": own}


def test_an_inline_object_named_like_a_component_gets_its_own_component() -> None:
    schemas = _schemas(
        {
            "Invoice": {"type": "object", "properties": {"total": {"type": "integer"}}},
            "Order": {
                "type": "object",
                "properties": {
                    "invoice": {"type": "object", "properties": {"id": {"type": "string"}}, "description": "d"}
                },
            },
        }
    )
    assert schemas["Order"]["properties"]["invoice"] == {
        "description": "d",
        "$ref": "#/components/schemas/OrderInvoice",
    }
    assert schemas["OrderInvoice"]["properties"] == {"id": {"type": "string"}}
    assert schemas["Invoice"]["properties"] == {"total": {"type": "integer"}}


def test_inline_objects_get_a_component_named_after_where_they_sit() -> None:
    point = {"type": "object", "properties": {"x": {"type": "integer"}}}
    owner = {"type": "object", "properties": {"login": {"type": "string"}}, "description": "d"}
    union = {"oneOf": [copy.deepcopy(point), {"type": "string"}], "description": "u"}
    tagged = {"type": "object", "properties": {"kind": {"const": "a"}}}
    schemas = _schemas(
        {
            "Repo": {
                "type": "object",
                "properties": {
                    "owner": owner,
                    "points": {"type": "array", "items": copy.deepcopy(point)},
                    "by_name": {"type": "object", "additionalProperties": copy.deepcopy(point)},
                    "either": union,
                    "tagged": {"oneOf": [tagged], "discriminator": {"propertyName": "kind"}},
                },
            },
            "Extended": {"allOf": [{"$ref": "#/components/schemas/Repo"}, copy.deepcopy(point)]},
        }
    )
    properties = schemas["Repo"]["properties"]
    assert properties["owner"] == {"description": "d", "$ref": "#/components/schemas/RepoOwner"}
    # (Objects stay open, as every object: see test_read_only_and_write_only_properties_are_not_required...)
    assert schemas["RepoOwner"] == {"type": "object", "properties": {"login": {"type": "string"}}, **OPEN}
    assert properties["points"]["items"] == {"$ref": "#/components/schemas/RepoPointsItem"}
    assert properties["by_name"]["additionalProperties"] == {
        "$ref": "#/components/schemas/RepoByNameAdditionalProperties"
    }
    assert properties["either"]["oneOf"][0] == {"$ref": "#/components/schemas/RepoEitherOneOf0"}
    assert schemas["RepoPointsItem"] == schemas["RepoByNameAdditionalProperties"] == {**point, **OPEN}
    assert schemas["RepoEitherOneOf0"] == {**point, **OPEN}
    # A discriminated union's members and allOf's stay where they are: the tag, the class's own fields.
    assert properties["tagged"]["oneOf"] == [{**tagged, **OPEN}]
    assert schemas["Extended"]["allOf"][1] == {**point, **OPEN}
    assert len(schemas) == 6


def test_an_inline_object_s_class_name_does_not_change_when_another_schema_gains_one_like_it() -> None:
    inline = {"type": "object", "properties": {"admin": {"type": "boolean"}}}
    alone = _schemas({"Repo": {"type": "object", "properties": {"permissions": copy.deepcopy(inline)}}})
    both = _schemas(
        {
            "App": {"type": "object", "properties": {"permissions": {**copy.deepcopy(inline), "required": ["admin"]}}},
            "Repo": {"type": "object", "properties": {"permissions": copy.deepcopy(inline)}},
        }
    )
    assert alone["Repo"] == both["Repo"] and alone["RepoPermissions"] == both["RepoPermissions"]


def test_property_names_that_are_not_ascii_get_field_names_that_do_not_fold_into_others() -> None:
    # NFKC folds "ﬁeld" (with the ligature) into "field": they must stay two attributes.
    properties = {"field": {"type": "string"}, "\ufb01eld": {"type": "string"}, "größe": {"type": "string"}}
    aliases = normalize(_document({"A": {"type": "object", "properties": properties}})).field_aliases
    assert set(aliases) == {"\ufb01eld", "größe"}
    assert aliases["\ufb01eld"] != "field" and aliases["\ufb01eld"].isidentifier() and aliases["\ufb01eld"].isascii()
    assert aliases["größe"].isidentifier() and aliases["größe"].isascii()


def test_members_that_extend_a_discriminated_base_are_mapped_from_the_value_a_server_sends() -> None:
    base = {"type": "object", "properties": {"type": {"type": "string"}}, "discriminator": {"propertyName": "type"}}

    def member(**extra: Any) -> dict[str, Any]:
        return {"allOf": [{"$ref": "#/components/schemas/function-properties"}], **extra}

    schemas = _schemas(
        {
            "function-properties": base,
            "scalar-function": member(**{"x-ms-discriminator-value": "Scalar"}),  # AutoRest's tag
            "aggregate-function": member(),  # the name as written, not the class's
        }
    )
    assert schemas["FunctionProperties"]["discriminator"]["mapping"] == {
        "Scalar": "#/components/schemas/ScalarFunction",
        "aggregate-function": "#/components/schemas/AggregateFunction",
    }


def test_a_leading_underscore_stays_where_a_class_extending_another_by_reference_has_the_name_without_it() -> None:
    # Retitled extends Titled by a reference beside its properties (3.1): _title would take title's place.
    # Holder only refers to Retitled; _label clashes with nothing.
    schemas = {
        "Titled": {"type": "object", "properties": {"title": {"type": "string"}}},
        "Retitled": {"$ref": "#/components/schemas/Titled", "properties": {"_title": {"type": "string"}}},
        "Holder": {
            "type": "object",
            "properties": {"_label": {"type": "string"}, "owner": {"$ref": "#/components/schemas/Retitled"}},
        },
    }
    document = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "components": {"schemas": schemas}}
    aliases = normalize(document).field_aliases
    assert aliases.get("_label") == "label"
    assert "_title" not in aliases


def test_an_all_of_part_that_is_a_reference_with_constraints_beside_it_becomes_an_all_of_of_the_two() -> None:
    # The model generator reads such a part as the reference alone (3.1); annotations beside it stay as written.
    base = {"type": "object", "properties": {"id": {"type": "string"}}}
    part = {"$ref": "#/components/schemas/Base", "required": ["name"], "allOf": [{"title": "also"}]}
    described = {"$ref": "#/components/schemas/Base", "description": "the base"}
    schemas = _schemas({"Base": base, "Child": {"allOf": [part, described, {"properties": {"name": {}}}]}})
    assert schemas["Child"]["allOf"][:2] == [
        {"required": ["name"], "allOf": [{"$ref": "#/components/schemas/Base"}, {"title": "also"}]},
        described,
    ]
