"""Generate from small inline specs, import the result and call it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest


def _spec(schemas: dict[str, Any], paths: dict[str, Any], version: str = "3.1.0") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "Fun Test", "version": "2.0.0"},
        "servers": [{"url": "https://fun.example.com/v1"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _json(schema_ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}


SCHEMAS = {
    # Python keywords, soft keywords, pydantic members and a leading digit as property names.
    "Thing": {
        "type": "object",
        "required": ["class", "items"],
        "properties": {
            "class": {"type": "string"},
            "import": {"type": ["integer", "null"]},
            "match": {"type": "boolean"},
            "model_config": {"type": "string"},
            "2fa": {"type": "string"},
            "kind": {"type": ["string", "null"], "enum": ["a", "b", None]},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "rows": {
                            "type": "array",
                            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Cell"}},
                        }
                    },
                },
            },
        },
    },
    "Cell": {"type": "object", "properties": {"v": {"type": "number"}}},
    # Two names that collide once made into identifiers.
    "my-model": {"type": "object", "properties": {"a": {"type": "string"}}},
    "my_model": {"type": "object", "properties": {"b": {"type": "string"}}},
    "Legacy": {
        "type": "object",
        "properties": {
            "old": {"type": "string", "nullable": True},
            "ref": {"allOf": [{"$ref": "#/components/schemas/Cell"}], "nullable": True},
        },
    },
}
PATHS = {
    "/things/{thing-id}": {
        "post": {
            "operationId": "createThing",
            "parameters": [
                {"name": "thing-id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "dry-run", "in": "query", "schema": {"type": "boolean"}},
            ],
            "requestBody": {"required": True, "content": _json("Thing")},
            "responses": {"201": {"description": "made", "content": _json("Thing")}},
        }
    },
    "/models": {
        "get": {
            "responses": {
                "200": {
                    "description": "two colliding models",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "one": {"$ref": "#/components/schemas/my-model"},
                                    "two": {"$ref": "#/components/schemas/my_model"},
                                },
                            }
                        }
                    },
                }
            }
        }
    },
}


@pytest.fixture
def fun(import_generated: Any) -> Any:
    return import_generated(_spec(SCHEMAS, PATHS), "fun_test")


def _client(fun: Any, handler: Any) -> Any:
    return fun.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), max_retries=0)


def test_keywords_and_odd_property_names_round_trip(fun: Any) -> None:
    sent: list[httpx.Request] = []
    body = {
        "class": "c",
        "import": None,
        "match": True,
        "model_config": "m",
        "2fa": "x",
        "kind": None,
        "items": [{"rows": [[{"v": 1}, {"v": 2.5}]]}],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, content=request.content)

    result = _client(fun, handler).create_thing(body=body, thing_id="../admin", dry_run=True)
    assert json.loads(sent[0].content) == body
    assert sent[0].url.raw_path == b"/v1/things/..%2Fadmin?dry-run=true"
    assert result.class_ == "c" and result.import_ is None and result.match is True
    assert result.items[0].rows[0][1].v == 2.5
    assert result.kind is None


def test_enum_with_null_and_model_built_in_python(fun: Any) -> None:
    thing = fun.models.Thing(class_="c", items=[], kind=fun.models.ThingKind.a)
    assert thing.model_dump(mode="json", by_alias=True, exclude_unset=True) == {"class": "c", "items": [], "kind": "a"}
    with pytest.raises(ValueError):
        fun.models.Thing(class_="c", items=[], kind="zzz")


def test_unknown_enum_values_in_responses_still_parse(fun: Any) -> None:
    # A server may add enum members before the spec lists them: a response keeps the value it sent.
    def answer(kind: str) -> Any:
        answered = {"class": "c", "items": [], "kind": kind}
        client = _client(fun, lambda request: httpx.Response(201, json=answered))
        return client.create_thing(body={"class": "c", "items": []}, thing_id="t")

    unknown = answer("zzz")
    assert unknown.kind is not None and unknown.kind.value == "zzz"
    assert unknown.model_dump(mode="json", by_alias=True, exclude_unset=True)["kind"] == "zzz"
    assert answer("a").kind is fun.models.ThingKind.a


def test_colliding_names_get_stable_suffixes_and_missing_operation_id_is_derived(fun: Any) -> None:
    assert {"MyModel", "MyModel2"} <= set(dir(fun.models))
    payload = {"one": {"a": "x"}, "two": {"b": "y"}}
    result = _client(fun, lambda request: httpx.Response(200, json=payload)).get_models()
    assert result.one.a == "x" and result.two.b == "y"


def test_openapi_30_nullable_and_single_all_of(import_generated: Any) -> None:
    schemas = {name: SCHEMAS[name] for name in ("Legacy", "Cell")}
    paths = {"/legacy": {"get": {"responses": {"200": {"description": "ok", "content": _json("Legacy")}}}}}
    legacy = import_generated(_spec(schemas, paths, version="3.0.3"), "fun_legacy")
    value = legacy.models.Legacy.model_validate({"old": None, "ref": None})
    assert value.old is None and value.ref is None
    assert legacy.models.Legacy.model_validate({"ref": {"v": 3}}).ref.v == 3
    result = _client(legacy, lambda request: httpx.Response(200, json={"old": None})).get_legacy()
    assert result.old is None


def test_read_only_and_write_only_properties(import_generated: Any) -> None:
    user = {
        "type": "object",
        "required": ["id", "name", "password"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "name": {"type": "string"},
            "password": {"type": "string", "writeOnly": True},
        },
    }
    paths = {
        "/users": {
            "post": {
                "operationId": "createUser",
                "requestBody": {"required": True, "content": _json("User")},
                "responses": {"201": {"description": "created", "content": _json("User")}},
            }
        }
    }
    rw = import_generated(_spec({"User": user}, paths), "fun_rw")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, json={"id": "u-1", "name": "Ann"})

    # The request needs no readOnly id; the response needs no writeOnly password.
    created = _client(rw, handler).create_user(body={"name": "Ann", "password": "s3cret"})
    assert json.loads(sent[0].content) == {"name": "Ann", "password": "s3cret"}
    assert created.id == "u-1" and created.password is None
    with pytest.raises(rw.errors.RequestValidationError):
        _client(rw, handler).create_user(body={"password": "x"})  # name is still required
