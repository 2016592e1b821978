"""Breadth of OpenAPI features: each generated from an inline spec, imported and called over loopback HTTP."""

from __future__ import annotations

import json
import warnings
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from loopback import Reply, Seen, serve


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(name)}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Breadth", "version": "1.2.3"},
    "servers": [
        {
            "url": "https://{region}.example.com/{base}",
            "variables": {"region": {"default": "eu"}, "base": {"default": "v2"}},
        }
    ],
    "security": [{"bearer": []}],
    "paths": {
        "/ranges/{code}": {
            "get": {
                "operationId": "getByRange",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "2XX": {"description": "Any success.", "content": _json("Created")},
                    "4XX": {"description": "Any client error.", "content": _json("Problem")},
                },
            }
        },
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {
                        "name": "ids",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "ok", "content": _json("PetList")},
                    "default": {"description": "error", "content": _json("Problem")},
                },
            },
            "post": {
                "operationId": "createPet",
                "security": [{"key_query": []}],
                "requestBody": {"required": True, "content": _json("Pet")},
                "responses": {
                    "200": {"description": "existing", "content": _json("Pet")},
                    "201": {"description": "created", "content": _json("Created")},
                },
            },
        },
        "/pets/form": {
            "post": {
                "operationId": "createPetForm",
                "security": [{"key_cookie": []}],
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                            }
                        }
                    }
                },
                "responses": {"204": {"description": "done"}},
            }
        },
        "/pets/{id}/photo": {
            "put": {
                "operationId": "uploadPhoto",
                "security": [{"key_header": []}],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "caption": {"type": "string"},
                                    "file": {"type": "string", "format": "binary"},
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            },
            "get": {
                "operationId": "getPhoto",
                "security": [],
                "deprecated": True,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "bytes",
                        "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
            },
        },
        "/raw": {
            "post": {
                "operationId": "uploadRaw",
                "requestBody": {
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
                },
                "responses": {"204": {"description": "stored"}},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key_query": {"type": "apiKey", "in": "query", "name": "api_key"},
            "key_cookie": {"type": "apiKey", "in": "cookie", "name": "auth"},
            "key_header": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        },
        "schemas": {
            "Cat": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}},
            },
            "Dog": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"const": "dog"}, "good": {"type": "boolean"}},
            },
            "Pet": {
                "oneOf": [_ref("Cat"), _ref("Dog")],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                },
            },
            "PetList": {
                "type": "object",
                "properties": {
                    "pets": {"type": "array", "items": _ref("Pet")},
                    "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
                },
            },
            "Created": {
                "allOf": [
                    {"type": "object", "properties": {"id": {"type": "integer"}}},
                    {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}},
                ]
            },
            "Problem": {"type": "object", "properties": {"title": {"type": "string"}, "status": {"type": "integer"}}},
        },
    },
}


@pytest.fixture(scope="module")
def breadth(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import sys

    from generator.output.writer import write_tree
    from generator.pipeline import generate

    root = tmp_path_factory.mktemp("breadth")
    (root / "spec.json").write_text(json.dumps(SPEC))
    package = generate(root / "spec.json")
    assert package.warnings == []
    write_tree(package.files, root / "out")
    sys.path.insert(0, str(root / "out"))
    try:
        yield __import__("breadth")
    finally:
        sys.path.remove(str(root / "out"))


def _respond(seen: Seen) -> Reply:
    url = urlsplit(seen.path)
    if seen.method == "GET" and url.path == "/pets":
        if "boom" in url.query:
            return Reply(418, {"title": "teapot", "status": 418})
        return Reply(200, {"pets": [{"kind": "cat", "lives": 9}, {"kind": "dog", "good": True}], "meta": {"count": 2}})
    if seen.method == "POST" and url.path == "/pets":
        return Reply(201, {"id": 7, "at": "2024-01-01T00:00:00Z"})
    if url.path.startswith("/ranges/"):
        code = int(url.path.rsplit("/", 1)[1])
        body = {"id": 3, "at": "2024-01-01T00:00:00Z"} if code < 300 else {"title": "range", "status": code}
        return Reply(code, body)
    if url.path == "/pets/form" or url.path == "/raw":
        return Reply(204)
    if seen.method == "PUT":
        return Reply(200, b"stored photo", {"content-type": "text/plain; charset=utf-8"})
    return Reply(200, b"\x89PNG\r\n", {"content-type": "image/png"})


def test_server_variables_give_the_default_base_url(breadth: Any) -> None:
    client = breadth.Client(token="t")
    assert str(client._settings.base_url) == "https://eu.example.com/v2"


def test_parameters_in_query_cookie_and_header_with_bearer_auth(breadth: Any) -> None:
    with serve(responder=_respond) as server:
        client = breadth.Client(base_url=server.url, token="tok")
        result = client.list_pets(tags=["a", "b"], ids=[1, 2], session="s 1", x_trace="tr")
    [seen] = server.seen
    query = parse_qs(urlsplit(seen.path).query)
    assert query == {"tags": ["a", "b"], "ids": ["1,2"]}
    assert seen.headers["cookie"] == "session=s%201"
    assert seen.headers["x-trace"] == "tr"
    assert seen.headers["authorization"] == "Bearer tok"
    assert [type(pet.root).__name__ if hasattr(pet, "root") else type(pet).__name__ for pet in result.pets] == [
        "Cat",
        "Dog",
    ]
    assert result.meta == {"count": 2}


def test_default_response_describes_undeclared_errors(breadth: Any) -> None:
    with serve(responder=_respond) as server:
        client = breadth.Client(base_url=server.url, token="tok")
        with pytest.raises(breadth.errors.APIStatusError) as caught:
            client.list_pets(tags=["boom"])
    assert caught.value.status_code == 418
    assert isinstance(caught.value.body, breadth.models.Problem) and caught.value.body.title == "teapot"


def test_responses_keyed_by_status_range(breadth: Any) -> None:
    with serve(responder=_respond) as server:
        client = breadth.Client(base_url=server.url, token="tok")
        assert client.get_by_range(code=203).id == 3
        with pytest.raises(breadth.errors.APIStatusError) as caught:
            client.get_by_range(code=409)
    assert caught.value.status_code == 409
    assert isinstance(caught.value.body, breadth.models.Problem) and caught.value.body.title == "range"
    mock = __import__("breadth.testing", fromlist=["MockAPI"]).MockAPI()
    assert isinstance(mock.client().get_by_range(code=1), breadth.models.Created)  # the 2XX fixture


def test_api_key_in_query_and_several_success_statuses(breadth: Any) -> None:
    with serve(responder=_respond) as server:
        client = breadth.Client(base_url=server.url, key_query_api_key="k-q")
        created = client.create_pet(body={"kind": "dog", "good": True})
    assert isinstance(created, breadth.models.Created) and created.id == 7
    assert parse_qs(urlsplit(server.seen[0].path).query) == {"api_key": ["k-q"]}
    assert json.loads(server.seen[0].body) == {"kind": "dog", "good": True}


def test_form_body_with_cookie_key(breadth: Any) -> None:
    with serve(responder=_respond) as server:
        client = breadth.Client(base_url=server.url, key_cookie_api_key="k-c")
        assert client.create_pet_form(body={"name": "Rex", "age": 3}) is None
        with pytest.raises(breadth.errors.RequestValidationError):
            client.create_pet_form(body={"age": 3})
    [seen] = server.seen
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(seen.body.decode()) == {"name": ["Rex"], "age": ["3"]}
    assert seen.headers["cookie"] == "auth=k-c"


def test_multipart_upload_text_response_and_binary_download(breadth: Any) -> None:
    with serve(responder=_respond) as server:
        client = breadth.Client(base_url=server.url, key_header_api_key="k-h", token="tok")
        text = client.upload_photo(id=5, body={"caption": "hi", "file": ("cat.png", b"\x89PNG", "image/png")})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            image = client.get_photo(id=5)
        client.upload_raw(body=b"\x00\x01raw")
    assert text == "stored photo"
    assert image == b"\x89PNG\r\n"
    assert any(issubclass(w.category, DeprecationWarning) and "get_photo" in str(w.message) for w in caught)
    upload, download, raw = server.seen
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="caption"' in upload.body and b"\x89PNG" in upload.body and b'filename="cat.png"' in upload.body
    assert upload.headers["x-api-key"] == "k-h"
    assert "authorization" not in download.headers  # security: [] means no credentials
    assert raw.body == b"\x00\x01raw" and raw.headers["content-type"] == "application/octet-stream"


def test_missing_credentials_are_reported_before_sending(breadth: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "BREADTH_TOKEN",
        "BREADTH_KEY_QUERY_API_KEY",
        "BREADTH_KEY_COOKIE_API_KEY",
        "BREADTH_KEY_HEADER_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    with serve(responder=_respond) as server:
        client = breadth.Client(base_url=server.url)  # get_photo needs no credential, so this is no error
        with pytest.raises(breadth.errors.RequestValidationError, match=r"pass token \(or BREADTH_TOKEN\)$"):
            client.list_pets()
    assert server.seen == []


def test_testing_mock_knows_api_keys_and_form_bodies(breadth: Any) -> None:
    import httpx

    mock = __import__("breadth.testing", fromlist=["MockAPI"]).MockAPI()
    with mock.client() as client:
        client.create_pet(body={"kind": "dog"})  # API key in the query
        client.create_pet_form(body={"name": "Rex"})  # API key in a cookie, form body
    assert [call.operation for call in mock.calls] == ["create_pet", "create_pet_form"]
    raw = httpx.Client(transport=mock.transport, base_url=mock.base_url)
    with pytest.raises(AssertionError, match="no credentials for key_query"):
        raw.post("/pets", json={"kind": "dog"})
