"""Every fixture of a generated package is read by its own model (the real-world issue: GitHub's
``users_get_authenticated``), checked by the real-world probe itself so that the gate's check is tested too.

The smallest form of GitHub's ``user_view_type``: a discriminated union whose property is an optional plain
string in each member, the mapping naming members by the document's (renamed) schema names, and examples
that lack the property. JSON Schema accepts such an example; the models (pydantic) refuse it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.emit import fixtures
from generator.errors import Diagnostics
from generator.output.writer import write_tree
from generator.pipeline import GeneratedPackage, generate
from generator.spec.sanitize import repair_slips
from generator.spec.schemacheck import Outline

PROBE = Path(__file__).parent / "realworld" / "probe.py"


def probe(package: GeneratedPackage, out: Path, folder: Path) -> dict[str, Any]:
    """The real-world probe's report on the package written to ``out``: every call, every fixture by its model."""
    report = folder / "probe.json"
    subprocess.run(
        [sys.executable, "-P", str(PROBE), str(out), package.package, str(report)], cwd=out, check=True, timeout=300
    )
    result: dict[str, Any] = json.loads(report.read_text())
    return result


def assert_calls_and_fixtures_pass(package: GeneratedPackage, tmp_path: Path) -> None:
    """The package, written under ``tmp_path``, answers every call and reads every fixture by its model."""
    write_tree(package.files, tmp_path / "out")
    report = probe(package, tmp_path / "out", tmp_path)
    assert not report["call_failures"] and not report["fixture_failures"], report


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _user(*required: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"login": {"type": "string"}, "plan": {"type": "string"}, "user_view_type": {"type": "string"}},
        "required": ["login", *required],
    }


# The union: mapped by reference and by name, and a member the mapping leaves out (its tag is its name).
USER = {
    "oneOf": [_ref("private-user"), _ref("public-user"), _ref("bot_user")],
    "discriminator": {
        "propertyName": "user_view_type",
        "mapping": {"public": "#/components/schemas/public-user", "private": "private-user"},
    },
}
UNTAGGED = {"login": "octocat", "plan": "pro"}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Users", "version": "1"},
    "paths": {
        "/user": {
            "get": {
                "operationId": "getAuthenticated",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": USER,
                                "examples": {"private": {"$ref": "#/components/examples/private-user"}},
                            }
                        },
                    },
                    # An error's fixture, which no mock call reads.
                    "404": {"description": "gone", "content": {"application/json": {"schema": USER}}},
                },
            },
            "patch": {
                "operationId": "updateAuthenticated",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": USER, "example": UNTAGGED}},
                },
                # A member used alone: its class still requires its tag (GitHub's users_update_authenticated).
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": _ref("private-user"), "example": UNTAGGED}},
                    }
                },
            },
        },
        "/teams": {
            "get": {
                "operationId": "getTeam",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                # The union nested in an object, its example untagged too.
                                "schema": _ref("team"),
                                "example": {"name": "core", "owner": UNTAGGED},
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "private-user": _user("plan"),
            "public-user": _user(),
            "bot_user": _user(),
            "team": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "owner": USER},
                "required": ["owner"],
            },
        },
        "examples": {"private-user": {"value": UNTAGGED}},
    },
}


@pytest.fixture(scope="module")
def users(tmp_path_factory: pytest.TempPathFactory) -> tuple[GeneratedPackage, Path]:
    folder = tmp_path_factory.mktemp("users")
    (folder / "spec.json").write_text(json.dumps(SPEC))
    package = generate(folder / "spec.json")
    write_tree(package.files, folder / "out")
    return package, folder / "out"


def test_every_fixture_is_read_by_its_model_and_every_call_answers(
    users: tuple[GeneratedPackage, Path], tmp_path: Path
) -> None:
    package, out = users
    probed = probe(package, out, tmp_path)
    assert probed["operations"] == 3
    assert probed["call_failures"] == {}
    assert probed["fixture_failures"] == {}
    fixtures = out / package.package / "fixtures"
    assert sorted(path.name for path in (fixtures / "get_authenticated").iterdir()) == [
        "response_200.json",
        "response_404.json",
    ]
    # Each fixture carries a tag that selects a member.
    for path in [*fixtures.glob("*/*.json")]:
        payload = json.loads(path.read_text())
        tagged = payload.get("owner", payload)
        assert tagged["user_view_type"] in ("private", "public", "bot_user"), path


def test_an_untagged_example_is_replaced_with_a_warning_naming_it(users: tuple[GeneratedPackage, Path]) -> None:
    package, _ = users

    # Long pointers are shortened in the middle: their start and end name the example.
    # Of a union's members, the one the value went furthest into says why: here, each misses the tag.
    def warned(start: str, end: str, reason: str = "'user_view_type' is a required property") -> bool:
        return any(start in warning and end + ":" in warning and reason in warning for warning in package.warnings)

    assert warned("#/paths/~1user/", "/value")  # the response's, from components/examples
    assert warned("#/paths/~1user/patch/requestBody/", "/example")  # the request's
    assert warned("#/paths/~1teams/", "/example")  # nested
    # A member alone.
    assert warned(
        "#/paths/~1user/", "/responses/200/content/application~1json/example", "'user_view_type' is a required"
    )


def test_a_body_that_needs_some_field_gets_one(tmp_path: Path) -> None:
    # webflow.com's PATCH bodies: no field required, but at least one (minProperties); {} fits no schema.
    patch = {
        "type": "object",
        "minProperties": 1,
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Patch", "version": "1"},
        "paths": {
            "/users/{id}": {
                "patch": {
                    "operationId": "patchUser",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": patch}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert json.loads(package.files[f"{package.package}/fixtures/patch_user/request.json"]) == {"name": "string"}
    assert not package.warnings


def test_a_list_body_gets_an_item_where_one_fits(tmp_path: Path) -> None:
    # Jellyfin's, Callfire's list bodies: [] fits, and sends nothing a server (or Prism) would check.
    def listed(schema: dict[str, Any]) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {"schema": schema}}}

    person = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    bodies = {
        "people": {"type": "array", "items": person},
        "none": {"type": "array", "items": person, "maxItems": 0},  # no item may be sent
        "never": {"type": "array", "items": {"not": {}}},  # no item fits
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Lists", "version": "1"},
        "paths": {
            f"/{name}": {
                "post": {
                    "operationId": name,
                    "requestBody": listed(schema),
                    "responses": {"204": {"description": "done"}},
                }
            }
            for name, schema in bodies.items()
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")

    def request(name: str) -> Any:
        return json.loads(package.files[f"{package.package}/fixtures/{name}/request.json"])

    assert (request("people"), request("none"), request("never")) == ([{"name": "string"}], [], [])
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_a_variant_that_only_requires_is_read_with_the_properties_beside_it(tmp_path: Path) -> None:
    # GitHub's gist update: the variants say which properties, the schema what they are.
    gist = {
        "type": "object",
        "properties": {"description": {"type": "string"}, "files": {"type": "object"}},
        "anyOf": [{"required": ["description"]}, {"required": ["files"]}],
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Gists", "version": "1"},
        "paths": {
            "/gists/{id}": {
                "patch": {
                    "operationId": "updateGist",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": gist}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert json.loads(package.files[f"{package.package}/fixtures/update_gist/request.json"]) == {
        "description": "string"
    }
    assert not package.warnings


def test_a_property_declared_beside_an_all_of_that_declares_it_too_fits_both(tmp_path: Path) -> None:
    # SendGrid's message: its own from_email has a pattern, the common fields' a default that misses it.
    message = {
        "allOf": [{"$ref": "#/components/schemas/Common"}],
        "properties": {"from_email": {"type": "string", "pattern": "^[a-z]+@[a-z]+\\.[a-z]{2,}$"}},
        "required": ["from_email"],
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Mail", "version": "1"},
        "paths": {
            "/messages": {
                "get": {
                    "operationId": "getMessage",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": message}}}},
                }
            }
        },
        "components": {
            "schemas": {"Common": {"type": "object", "properties": {"from_email": {"type": "string", "default": ""}}}}
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings
    fixture = json.loads(package.files[f"{package.package}/fixtures/get_message/response_200.json"])
    assert re.fullmatch("[a-z]+@[a-z]+[.][a-z]{2,}", fixture["from_email"]), fixture


def test_a_base_told_apart_by_its_subclasses_tags_gets_a_subclass(tmp_path: Path) -> None:
    # Azure's provider-specific inputs: the model generator types the base as the union of its subclasses.
    base = {
        "type": "object",
        "discriminator": {"propertyName": "instanceType"},
        "properties": {"instanceType": {"type": "string"}},
        "required": ["instanceType"],
    }
    cbt = {
        "allOf": [{"$ref": "#/components/schemas/ProviderInput"}],
        "x-ms-discriminator-value": "VMwareCbt",
        "properties": {"vaultId": {"type": "string"}},
        "required": ["vaultId"],
    }
    body = {
        "type": "object",
        "properties": {"details": {"$ref": "#/components/schemas/ProviderInput"}},
        "required": ["details"],
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Migrate", "version": "1"},
        "paths": {
            "/migrate": {
                "post": {
                    "operationId": "migrate",
                    # Fits the base alone, not the subclass its tag selects (Azure's deployment scripts).
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": body, "example": {"details": {"instanceType": "VMwareCbt"}}}
                        },
                    },
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
        "components": {"schemas": {"ProviderInput": base, "VMwareCbtInput": cbt}},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    [warning] = package.warnings
    assert "the example does not fit its schema ('vaultId' is a required property (at /details))" in warning
    fixture = json.loads(package.files[f"{package.package}/fixtures/migrate/request.json"])
    assert fixture == {"details": {"instanceType": "VMwareCbt", "vaultId": "string"}}, fixture
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_numbers_written_as_strings_and_json_without_a_schema_get_fixtures(tmp_path: Path) -> None:
    # WhatsApp's shards: an enum of "1" to "32" of type integer; its media download: JSON of no schema.
    shards = {
        "type": "object",
        "required": ["shards"],
        "properties": {"shards": {"type": "integer", "enum": ["1", "32"]}},
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Chat", "version": "1"},
        "paths": {
            "/shards": {
                "post": {
                    "operationId": "setShards",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": shards}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {}}}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert [warning.split(": ", 1)[1] for warning in package.warnings] == [
        'numbers written as strings in an enum of type "integer"'
    ], package.warnings
    assert json.loads(package.files[f"{package.package}/fixtures/set_shards/request.json"]) == {"shards": 1}
    assert json.loads(package.files[f"{package.package}/fixtures/set_shards/response_200.json"]) == {}
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_an_enum_of_words_in_a_schema_of_type_integer_is_read_as_strings(tmp_path: Path) -> None:
    # Visual Studio's disk types, "0 (StandardHDD)"... of type integer: the models read an enum of strings,
    # the fixtures' checker an integer, so no fixture fitted and the mock answered with no body.
    disk = {"type": "integer", "format": "int32", "enum": ["0 (StandardHDD)", "1 (StandardSSD)"]}
    body = {"type": "object", "required": ["disk"], "properties": {"disk": disk}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Pools", "version": "1"},
        "paths": {
            "/pools": {
                "get": {
                    "operationId": "getPool",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert [warning.split(": ", 1)[1] for warning in package.warnings] == [
        'an enum of strings in a schema of type "integer"; read as strings'
    ], package.warnings
    fixture = json.loads(package.files[f"{package.package}/fixtures/get_pool/response_200.json"])
    assert fixture == {"disk": "0 (StandardHDD)"}
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_repeated_enum_values_are_kept_once_each_as_json_tells_them_apart() -> None:
    # 1, 1.0 and true are three JSON values (Python has them equal); an object and a list by their JSON.
    enum = ["a", "a", 1, 1.0, True, 1, None, None, {"k": 1}, {"k": 1}, [1], [1], 0, False]
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Repeats", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Mixed": {"enum": enum}, "Letters": {"type": "string", "enum": ["b", "a", "b"]}}},
    }
    diagnostics = Diagnostics("spec.json")
    repair_slips(document, "3.1", "Repeats", diagnostics, Outline(document))
    schemas = document["components"]["schemas"]
    assert schemas["Mixed"]["enum"] == ["a", 1, 1.0, True, None, {"k": 1}, [1], 0, False]
    assert [type(value) for value in schemas["Mixed"]["enum"][1:4]] == [int, float, bool]
    assert schemas["Letters"]["enum"] == ["b", "a"]
    assert [line.split(": ", 1)[1] for line in diagnostics.warnings] == ["repeated enum values; each kept once"] * 2


def test_a_schema_whose_keywords_contradict_its_type_is_read_by_its_type(tmp_path: Path) -> None:
    # The model generator reads a class from properties and a list from items whatever the type, and an
    # enum of strings as strings; the fixtures' checker reads JSON Schema. Plaid's account types (string,
    # with properties), Mailchimp's country (integer, with items), Mercedes-Benz's vehicle classes (object,
    # an enum of strings), Zoom's regions (array, an enum of strings), Apacta's list among strings; an
    # enum and items beside a reference to an object; Lyft's ride profile (object, all of a string enum);
    # Vercel's values (null, one of a string or a number); Zoom's session types (string, a number among them).
    properties = {
        "account": {"type": "string", "properties": {"paypal": {"type": "string"}}, "required": ["paypal"]},
        "country": {"type": "integer", "items": {"type": "string"}},
        "listing": {"type": "object", "items": {"type": "string"}},
        "vehicle": {"type": "object", "enum": ["PKW", "VAN"], "properties": {"name": {"type": "string"}}},
        "regions": {"type": "array", "items": {"type": "string"}, "enum": ["EU", "HK"]},
        "scope": {"type": "string", "enum": ["all", ["project1"]]},
        "owner": {"$ref": "#/components/schemas/Owner", "enum": ["me"], "items": {"type": "string"}},
        "profile": {"type": "object", "allOf": [{"$ref": "#/components/schemas/Profile"}]},
        "value": {"type": "null", "oneOf": [{"type": "string"}, {"type": "number"}]},
        "session": {"type": "string", "enum": ["Group", 61]},
    }
    profile = {"type": "string", "enum": ["business", "personal"]}
    thing = {"type": "object", "required": list(properties), "properties": properties}
    body = {"$ref": "#/components/schemas/Thing"}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Contradictions", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "putThing",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}},
                }
            }
        },
        "components": {"schemas": {"Thing": thing, "Owner": {"type": "object"}, "Profile": profile}},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    where = "#/components/schemas/Thing/properties/"
    assert [warning.split(where, 1)[1] for warning in package.warnings if where in warning] == [
        'account: properties, required beside type "string", to which they do not apply; dropped',
        'country: items beside type "integer", to which they do not apply; dropped',
        'listing: items beside type "object", to which they do not apply; dropped',
        'owner: items beside type "object" (of "#/components/schemas/Owner"), to which they do not apply; dropped',
        'owner/enum: no enum value is of type "object" (of "#/components/schemas/Owner"); the enum dropped',
        'profile/type: type "object" beside an allOf part of type "string" (of "#/components/schemas/Profile"); dropped',
        "regions/enum: an enum of item values on a list; read as its items' enum",
        'scope/enum: enum values not of type "string" dropped: ["project1"]',
        'session/enum: enum values written as another type than "string"; read as it: 61',
        'value/type: type "null" beside oneOf variants of other types; one more variant',
        'vehicle: properties beside type "string", to which they do not apply; dropped',
        'vehicle/type: an enum of strings in a schema of type "object"; read as strings',
    ], package.warnings
    [models] = [text for name, text in package.files.items() if name.endswith("/models/things.py")]
    fields = re.findall(r"^    (\w+): (.+)$", models.decode(), re.MULTILINE)
    assert fields == [
        ("account", "str"),
        ("country", "int"),
        ("listing", "dict[str, Any]"),
        ("vehicle", "ThingVehicle"),
        ("regions", "list[ThingRegionsItem]"),
        ("scope", "ThingScope"),
        ("owner", "Owner"),
        ("profile", "Profile"),
        ("value", "str | int | float | None"),
        ("session", "ThingSession"),
    ], models.decode()
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_constraints_beside_a_reference_hold_in_the_fixture(tmp_path: Path) -> None:
    # The checker and the models read minProperties beside the reference: the fixture was the referred
    # schema's alone (its one required property), no fixture was written and the mock sent no body.
    note = {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}, "pinned": {}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Notes", "version": "1"},
        "paths": {
            "/notes": {
                "post": {
                    "operationId": "addNote",
                    "responses": {
                        "201": {
                            "description": "added",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Note", "minProperties": 2}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Note": note}},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    fixture = json.loads(package.files[f"{package.package}/fixtures/add_note/response_201.json"])
    assert fixture == {"title": "string", "pinned": {}}
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_a_union_member_that_fixes_its_tag_beside_its_reference_is_selected_by_that_tag(tmp_path: Path) -> None:
    # Without a mapping, the member {$ref: Cat, kind: const cat} is a class of its own, selected by "cat":
    # the mapping completed from the schema's name ("Cat") made the checker refuse every instance, and
    # the operation had no fixture.
    pet = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "name": {}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pet": {
                "get": {
                    "operationId": "getPet",
                    "responses": {
                        "200": {
                            "description": "a pet",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Cat", "properties": {"kind": {"const": "cat"}}},
                        {"$ref": "#/components/schemas/Dog", "properties": {"kind": {"enum": ["dog"]}}},
                    ],
                    "discriminator": {"propertyName": "kind"},
                },
                "Cat": pet,
                "Dog": pet,
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    fixture = json.loads(package.files[f"{package.package}/fixtures/get_pet/response_200.json"])
    assert fixture["kind"] == "cat"
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_a_reference_made_nullable_by_an_all_of_part_is_read_as_the_reference(tmp_path: Path) -> None:
    # PandaScore's allOf: [{nullable: true}, {$ref}]: the models made a class of the empty part, and
    # every number the API sends (and the fixture) was refused.
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Players", "version": "1"},
        "paths": {
            "/player": {
                "get": {
                    "operationId": "getPlayer",
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": _ref("Player")}}}
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Year": {"type": "number", "minimum": 0},
                "Player": {
                    "type": "object",
                    "required": ["birth_year"],
                    "properties": {"birth_year": {"allOf": [{"nullable": True}, _ref("Year")], "title": "Year"}},
                },
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    assert_calls_and_fixtures_pass(package, tmp_path)
    models = package.files[f"{package.package}/models/player.py"].decode()
    assert "class" not in models.split("class Player(")[0], models  # no class made of the empty part


def test_a_long_pattern_match_and_an_exclusive_bound_of_3_0_get_fixtures(tmp_path: Path) -> None:
    # AWS's ARNs: a pattern whose shortest match is shorter than minLength; AWS CloudTrail's UUID (36
    # characters exactly) and account id (12 to 16 digits): stretched by doubling alone, their samples
    # passed their maxLength. Svix's 3.0 versions: exclusiveMinimum true beside minimum 0 (JSON Schema
    # would read the flag as the bound 1).
    tape = {
        "type": "string",
        "minLength": 50,
        "pattern": "^arn:aws:storagegateway:[a-z0-9-]+:[0-9]+:tape/[0-9A-Z]{5,16}$",
    }
    uuid = {"type": "string", "pattern": "^[a-f0-9\\-]+$", "minLength": 36, "maxLength": 36}
    account = {"type": "string", "pattern": "\\d+", "minLength": 12, "maxLength": 16}
    version = {"type": "integer", "minimum": 0, "exclusiveMinimum": True}
    properties = {"TapeARN": tape, "QueryId": uuid, "Account": account, "version": version}
    body = {"type": "object", "required": list(properties), "properties": properties}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Tapes", "version": "1"},
        "paths": {
            "/tapes": {
                "post": {
                    "operationId": "assignTapePool",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings
    fixture = json.loads(package.files[f"{package.package}/fixtures/assign_tape_pool/request.json"])
    assert len(fixture["TapeARN"]) >= 50 and re.fullmatch(tape["pattern"], fixture["TapeARN"]), fixture
    assert fixture["version"] == 1, fixture
    assert (fixture["QueryId"], fixture["Account"]) == ("a" * 36, "0" * 12), fixture


def test_a_pattern_whose_shortest_match_is_huge_gets_no_sample_and_costs_nothing() -> None:
    # Python's re takes these (pydantic's engine does not: validation drops them before any sample).
    for pattern in ("^a{4000000000}$", "^((((a{1000}){1000}){1000}){1000})$"):
        assert fixtures._sample(pattern) is None
    assert fixtures._sample("^((((a+)+)+)+)+$", shortest=10**9) == "a" * 65  # stretched so far, no further


def test_a_step_too_fine_for_its_bound_gives_the_bound() -> None:
    # 1e300 // 1e-300 is infinite: an OverflowError, an internal error of the whole run.
    assert fixtures._number({"minimum": 1e300, "multipleOf": 1e-300}, "number") == int(1e300)
    assert fixtures._number({"maximum": -1e300, "multipleOf": 1e-300}, "integer") == int(-1e300)
    assert fixtures._number({"minimum": 3, "multipleOf": 2}, "integer") == 4


def test_items_without_a_type_make_a_list_as_the_models_read_them(tmp_path: Path) -> None:
    # VTEX's match bodies: {"items": {"$ref": ...}} and no type (JSON Schema would take an object too).
    match = {"type": "object", "properties": {"id": {"type": "string"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Matches", "version": "1"},
        "paths": {
            "/matches": {
                "put": {
                    "operationId": "matchMultiple",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"items": match}}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings
    # A list (of one item, as every list body where one fits), not an object.
    assert json.loads(package.files[f"{package.package}/fixtures/match_multiple/request.json"]) == [{}]
    assert_calls_and_fixtures_pass(package, tmp_path)


# A format: byte string (base64) is kept as the text the API sends (mux.com's signing keys): pydantic's
# Base64Str, which the model generator picks for it, refuses base64 of anything but UTF-8 text.
NOT_UTF8 = "abcd123="  # decodes to 0x69 0xb7 ...: not UTF-8

BYTE_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Keys", "version": "1"},
    "paths": {
        "/keys": {
            "post": {
                "operationId": "createKey",
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Key"},
                                "example": {"id": "k1", "private_key": NOT_UTF8},
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Key": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "private_key": {"type": "string", "format": "byte"}},
            }
        }
    },
}


def test_base64_that_is_not_text_is_kept_as_sent(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(BYTE_SPEC))
    package = generate(tmp_path / "spec.json")
    out = tmp_path / "out"
    write_tree(package.files, out)
    probed = probe(package, out, tmp_path)
    assert (probed["call_failures"], probed["fixture_failures"]) == ({}, {})
    script = f"from {package.package}.models import Key; print(Key.model_validate({{'private_key': {NOT_UTF8!r}}}).private_key)"
    shown = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == NOT_UTF8


def posting(operation_id: str, media_type: str, media: dict[str, Any]) -> dict[str, Any]:
    """A path item of one POST operation whose required body is ``media`` of ``media_type``, answered by a 204."""
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {"required": True, "content": {media_type: media}},
            "responses": {"204": {"description": "done"}},
        }
    }


def test_bodies_that_need_an_item_or_a_key_get_one_and_reach_the_mock(import_generated: Any) -> None:
    """Three call failures of the real-world gate: Stripe's form bodies with a required array (an empty one
    encodes as nothing: the body went out empty), AWS's tags (a map that must not be empty and has no
    properties) and a path written with spaces (the mock compared it unencoded with what httpx sends)."""
    form = {
        "type": "object",
        "required": ["values", "items"],
        "properties": {
            "values": {"type": "array", "items": {"type": "string"}},
            "items": {"type": "array", "items": {"type": "object", "properties": {"price": {"type": "string"}}}},
        },
    }
    tags = {
        "type": "object",
        "required": ["tags"],
        "properties": {"tags": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}}},
    }

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Need One", "version": "1"},
        "paths": {
            "/verify": posting("verify", "application/x-www-form-urlencoded", {"schema": form}),
            "/tags": posting("tag", "application/json", {"schema": tags}),
            "/Your Pull DOC Request API Path/{id}": {
                "get": {
                    "operationId": "pull",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "done"}},
                }
            },
        },
    }
    import_generated(spec, "need_one")
    testing = __import__("need_one.testing", fromlist=["MockAPI"])
    mock = testing.MockAPI()
    client = mock.client()
    assert testing.load_fixture("verify", "request") == {"values": ["string"], "items": [{}]}
    assert testing.load_fixture("tag", "request") == {"tags": {"key1": "string"}}
    client.verify(body=testing.load_fixture("verify", "request"))
    client.tag(body=testing.load_fixture("tag", "request"))
    client.pull(id="a b/c")
    assert mock.calls[-1].path_params == {"id": "a b/c"}


def test_a_schema_that_extends_a_closed_base_gets_fixtures_its_models_read(tmp_path: Path) -> None:
    # Azure's graphrbac: UserCreateParameters extends UserBase, open to objects only, with a boolean of its
    # own; JSON Schema says the base's additionalProperties of that boolean too, and no value fitted.
    schemas = {
        "UserBase": {"type": "object", "additionalProperties": {"type": "object"}, "properties": {"name": {}}},
        "Strict": {"type": "object", "additionalProperties": False, "properties": {"id": {"type": "string"}}},
        "Plain": {"type": "object", "properties": {"note": {"type": "string"}}},
        "UserCreate": {
            # A word beside a reference makes it no plain reference: its component is read alike.
            "allOf": [{**_ref("UserBase"), "description": "What every user has."}, _ref("Strict")],
            "properties": {"enabled": {"type": "boolean"}},
            "required": ["enabled"],
        },
        # Closed itself: its additionalProperties says nothing of what its base declares, for the models.
        "Note": {
            "allOf": [_ref("Plain")],
            "additionalProperties": False,
            "properties": {"size": {"type": "integer"}},
            "required": ["size", "note"],
        },
    }

    def json_body(name: str, example: Any) -> dict[str, Any]:
        return {"application/json": {"schema": _ref(name), "example": example}}

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Directory", "version": "1"},
        "paths": {
            "/users": {
                "post": {
                    "operationId": "createUser",
                    "requestBody": {"required": True, "content": json_body("UserCreate", {"enabled": True})},
                    "responses": {"201": {"description": "made", "content": json_body("UserCreate", {"id": "u"})}},
                }
            },
            "/notes": {
                "get": {
                    "operationId": "getNote",
                    # The models refuse its unknown field: the checker must too.
                    "responses": {"200": {"description": "ok", "content": json_body("Note", {"size": 1, "x": 2})}},
                }
            },
        },
        "components": {"schemas": schemas},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    fixtures_of = f"{package.package}/fixtures"
    assert json.loads(package.files[f"{fixtures_of}/create_user/request.json"]) == {"enabled": True}
    # The response's example lacks the required field; the one made from the schema has every field.
    assert json.loads(package.files[f"{fixtures_of}/create_user/response_201.json"])["enabled"] is False
    assert json.loads(package.files[f"{fixtures_of}/get_note/response_200.json"]) == {"size": 0, "note": "string"}
    assert [message.split(": ", 1)[1][:35] for message in package.warnings] == [
        "the example does not fit its schema",
        "the example does not fit its schema",
    ], package.warnings
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_a_date_time_with_a_pattern_of_digits_gets_a_date_time(tmp_path: Path) -> None:
    # ShipEngine's date_time: the pattern's own sample (every digit 0) is no date; the format's fits both.
    stamp = {"type": "string", "format": "date-time", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[-+]\d{2})$"}
    body = {"type": "object", "properties": {"at": stamp}, "required": ["at"]}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Track", "version": "1"},
        "paths": {
            "/track": {
                "get": {
                    "operationId": "track",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings
    assert json.loads(package.files[f"{package.package}/fixtures/track/response_200.json"]) == {
        "at": "2024-01-01T00:00:00Z"
    }


def test_a_string_of_a_format_the_models_do_not_read_gets_a_sample_of_it(tmp_path: Path) -> None:
    # linqr.app's recipients: an email (a string to the models), or a list of them; "string" is no email,
    # which a server that checks the format (Prism does) refuses. Each format a server may check gets one.
    samples = {
        "email": "user@example.com",
        "hostname": "example.com",
        "ipv4": "192.0.2.1",
        "ipv6": "2001:db8::1",
        "uri": "https://example.com",
        "byte": "c3RyaW5n",
        "duration": "P1D",
    }
    recipient = {"type": "string", "format": "email"}
    to = {"anyOf": [recipient, {"type": "array", "items": recipient}]}
    properties = {"to": to, **{name: {"type": "string", "format": name} for name in samples if name != "email"}}
    body = {"type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Mail", "version": "1"},
        "paths": {
            "/mail": {
                "post": {
                    "operationId": "send",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "sent"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    assert json.loads(package.files[f"{package.package}/fixtures/send/request.json"]) == {"to": samples["email"]} | {
        name: sample for name, sample in samples.items() if name != "email"
    }
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_a_form_body_of_optional_fields_gets_one_field(tmp_path: Path) -> None:
    # mineskin.org's upload: a required form body, every field optional; its fixture {} is no body at all.
    options = {"type": "object", "properties": {"variant": {"type": "string", "enum": ["classic", "slim"]}}}
    body = {"allOf": [options, {"properties": {"file": {"type": "string", "format": "binary"}}}]}
    form = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": body}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Skins", "version": "1"},
        "paths": {
            "/upload": {
                "post": {"operationId": "upload", "requestBody": form, "responses": {"204": {"description": "done"}}}
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    assert json.loads(package.files[f"{package.package}/fixtures/upload/request.json"]) == {"variant": "classic"}
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_variants_of_a_schema_read_as_a_list_give_a_list(tmp_path: Path) -> None:
    # Slack's profile fields: an object or a list, with items beside them, which the models read as a list.
    fields = {"items": {"type": "object"}, "oneOf": [{"type": "object"}, {"type": "array", "items": {}}]}
    profile = {"type": "object", "required": ["fields"], "properties": {"fields": fields}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Chat", "version": "1"},
        "paths": {
            "/profile": {
                "get": {
                    "operationId": "getProfile",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": profile}}}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    assert json.loads(package.files[f"{package.package}/fixtures/get_profile/response_200.json"]) == {"fields": []}


def test_a_one_of_instance_fits_one_variant_alone(tmp_path: Path) -> None:
    # zoom's e911 signage: two variants that require nothing; {} fits both, which a server checking the
    # oneOf refuses. The method, optional, tells them apart; nested, the variant's first property does.
    def alert(method: str, field: str) -> dict[str, Any]:
        params = {"type": "object", "properties": {field: {"type": "string"}}, "additionalProperties": False}
        return {"type": "object", "properties": {"method": {"type": "string", "enum": [method]}, "params": params}}

    signage = {"oneOf": [alert("shown", "content"), alert("removed", "event_id")]}
    either = {"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "object"}]}
    body = {"type": "object", "required": ["signage", "either"], "properties": {"signage": signage, "either": either}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Rooms", "version": "1"},
        "paths": {
            "/events": {
                "patch": {
                    "operationId": "manageSignage",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    # Where no instance fits one variant alone (the second takes every object), the first variant's.
    assert json.loads(package.files[f"{package.package}/fixtures/manage_signage/request.json"]) == {
        "signage": {"method": "shown"},
        "either": {},
    }
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_a_one_of_lists_instance_holds_an_item_where_an_empty_list_fits_every_variant(tmp_path: Path) -> None:
    # here.com's bulk jobs: a list of devices to add or a list of devices to delete; [] is both.
    def devices(required: str) -> dict[str, Any]:
        device = {"type": "object", "required": [required], "additionalProperties": False}
        return {"type": "array", "items": {**device, "properties": {required: {"type": "string"}}}}

    body = {"oneOf": [devices("name"), devices("trackingId")]}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Tracking", "version": "1"},
        "paths": {
            "/jobs": {
                "post": {
                    "operationId": "startJob",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert not package.warnings, package.warnings
    assert json.loads(package.files[f"{package.package}/fixtures/start_job/request.json"]) == [{"name": "string"}]
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_a_schema_taken_out_of_the_document_is_checked_with_its_references() -> None:
    # A stream's item schema, say: its references lead into the document, not into itself.
    pet = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    checker = fixtures._Checker({"openapi": "3.1.0", "components": {"schemas": {"Pet": pet}}})
    pets = {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
    assert checker.problem(pets, [{"id": 1}]) is None
    assert checker.problem(pets, [{"id": "one"}]) == "'one' is not of type 'integer' (at /0/id)"


def test_values_in_a_schema_are_checked_as_written_not_read_as_schemas() -> None:
    # An enum's or a const's object was read like a schema: "properties" made it require "type": "object"
    # too, "oneOf" became "anyOf", and every value the document gives was refused.
    shaped = {"properties": {}, "oneOf": [], "items": []}
    kinds = {"type": "object", "properties": {"shape": {"const": shaped}, "kind": {"enum": [shaped]}}}
    checker = fixtures._Checker({"openapi": "3.1.0", "components": {"schemas": {"Kinds": kinds}}})
    schema = {"$ref": "#/components/schemas/Kinds"}
    assert checker.problem(schema, {"shape": shaped, "kind": shaped}) is None
    assert checker.problem(schema, {"shape": {}}) is not None


def test_a_string_length_on_a_list_is_read_as_its_item_count(tmp_path: Path) -> None:
    # beezup's change orders: "minLength": 1 on a list, which JSON Schema ignores and the models count
    # items by; the fixture held no item, and the models refused it.
    orders = {"type": "array", "items": {"type": "string"}, "minLength": 1, "maxLength": 100, "maxItems": 50}
    body = {"type": "object", "required": ["orders"], "properties": {"orders": orders}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Orders", "version": "1"},
        "paths": {
            "/orders": {
                "post": {
                    "operationId": "changeOrders",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    assert [warning.split(": ", 1)[1] for warning in package.warnings] == [
        "maxLength on a list; dropped",  # in the order of their places
        "minLength on a list; read as minItems",
    ], package.warnings
    assert json.loads(package.files[f"{package.package}/fixtures/change_orders/request.json"]) == {"orders": ["string"]}
    assert_calls_and_fixtures_pass(package, tmp_path)


def test_an_operation_too_long_for_a_folder_name_gets_its_fixtures(import_generated: Any) -> None:
    # Microsoft Graph's operations, up to 268 characters as Python names: a folder name of over 255
    # bytes, which file systems refuse (nothing was written).
    name = "list_" + "sections_pages_parent_notebook_" * 9
    page = {"type": "object", "properties": {"id": {"type": "string"}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Notes", "version": "1"},
        "paths": {
            "/pages": {
                "get": {
                    "operationId": name,
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": page, "example": {"id": "p"}}},
                        }
                    },
                }
            }
        },
    }
    package = import_generated(spec, "long_names")
    testing = __import__("long_names.testing", fromlist=["MockAPI"])
    method = name.rstrip("_")
    assert getattr(testing.MockAPI().client(), method)().model_dump() == {"id": "p"}
    [folder] = [path for path in Path(package.__file__).parent.joinpath("fixtures").iterdir() if path.is_dir()]
    assert len(folder.name) == 100 and folder.name.startswith(method[:80])
