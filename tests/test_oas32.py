"""OpenAPI 3.2 input: each feature from a small inline 3.2 document, generated, imported and called
over loopback HTTP with the sync and the async client."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from loopback import Reply, Seen, serve


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


SPEC: dict[str, Any] = {
    "openapi": "3.2.0",
    "info": {"title": "Thirty Two", "version": "1.0.0"},
    "tags": [
        {"name": "animals", "summary": "Animals", "kind": "nav"},
        {"name": "pets", "parent": "animals"},
        {"name": "cats", "parent": "pets"},
        {"name": "admin"},
    ],
    "security": [{"bearer": []}],
    "paths": {
        "/pets": {
            "query": {
                "operationId": "searchPets",
                "tags": ["cats"],
                "requestBody": {"required": True, "content": _json(_ref("Search"))},
                "responses": {
                    # 3.2: a summary, and no description.
                    "200": {"summary": "The pets found", "content": _json({"type": "array", "items": _ref("Pet")})},
                    "404": {"summary": "Nothing matched", "content": _json(_ref("Problem"))},
                },
            },
        },
        "/pets/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "additionalOperations": {
                "LINK": {
                    "tags": ["pets"],
                    "parameters": [{"name": "Link", "in": "header", "required": True, "schema": {"type": "string"}}],
                    "responses": {"204": {"summary": "Linked"}},
                },
            },
        },
        "/find": {
            "get": {
                "operationId": "findByForm",
                "tags": ["admin"],
                "parameters": [
                    {
                        "name": "selector",
                        "in": "querystring",
                        "required": True,
                        "content": {"application/x-www-form-urlencoded": {"schema": _ref("Search")}},
                    }
                ],
                "responses": {"200": {"summary": "Found", "content": _json({"type": "array", "items": _ref("Pet")})}},
            },
        },
        "/find/json": {
            "get": {
                "operationId": "findByJson",
                "tags": ["admin"],
                "parameters": [
                    {"name": "filter", "in": "querystring", "content": {"application/json": {"schema": _ref("Search")}}}
                ],
                "responses": {"200": {"summary": "Found", "content": _json({"type": "array", "items": _ref("Pet")})}},
            },
        },
        "/find/text": {
            "get": {
                "operationId": "findByText",
                "tags": ["admin"],
                "security": [{"oauth": ["read"]}],
                "parameters": [
                    {
                        "name": "expression",
                        "in": "querystring",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                ],
                "responses": {"200": {"summary": "Found", "content": _json({"type": "array", "items": _ref("Pet")})}},
            },
        },
        "/zoo": {
            "get": {
                "operationId": "listAnimals",
                "tags": ["animals"],
                "responses": {"200": {"summary": "All", "content": _json({"type": "array", "items": _ref("Animal")})}},
            },
            "post": {
                "operationId": "addAnimal",
                "tags": ["animals"],
                "requestBody": {"required": True, "content": _json(_ref("Animal"))},
                "responses": {"200": {"summary": "Added", "content": _json(_ref("Animal"))}},
            },
        },
        "/shapes": {
            "get": {
                "operationId": "listShapes",
                "tags": ["animals"],
                "responses": {"200": {"summary": "All", "content": _json({"type": "array", "items": _ref("Shape")})}},
            },
        },
        "/legacy": {
            "get": {
                "operationId": "legacy",
                "tags": ["admin"],
                # The deprecated key is listed first; it is used only when the client has no token.
                "security": [{"old_key": []}, {"bearer": []}],
                "responses": {"204": {"summary": "Done"}},
            },
        },
    },
    "components": {
        "schemas": {
            "Search": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}},
            },
            "Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
            "Animal": {
                "oneOf": [_ref("Cat"), _ref("Dog"), _ref("Creature")],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                    "defaultMapping": "#/components/schemas/Creature",
                },
            },
            "Cat": {
                "type": "object",
                "required": ["kind", "lives"],
                "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}},
            },
            "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            # One mapped schema: the model generator makes no union of one.
            "Shape": {
                "oneOf": [_ref("Circle"), _ref("Blob")],
                "discriminator": {
                    "propertyName": "shape",
                    "mapping": {"round": "#/components/schemas/Circle"},
                    "defaultMapping": "Blob",
                },
            },
            "Circle": {
                "type": "object",
                "required": ["shape", "radius"],
                "properties": {"shape": {"type": "string"}, "radius": {"type": "number"}},
            },
            "Blob": {"type": "object", "properties": {"shape": {"type": "string"}}},
            "Creature": {"type": "object", "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}},
        },
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "old_key": {"type": "apiKey", "in": "header", "name": "X-Old-Key", "deprecated": True},
            "oauth": {
                "type": "oauth2",
                "oauth2MetadataUrl": "https://auth.example.com/.well-known/oauth-authorization-server",
                "flows": {"clientCredentials": {"tokenUrl": "https://auth.example.com/token", "scopes": {"read": ""}}},
            },
        },
    },
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    root = tmp_path_factory.mktemp("oas32")
    (root / "spec.json").write_text(json.dumps(SPEC))
    package = generate(root / "spec.json")
    assert package.warnings == []
    write_tree(package.files, root / "out")
    sys.path.insert(0, str(root / "out"))
    try:
        yield __import__("thirty_two")
    finally:
        sys.path.remove(str(root / "out"))


def _respond(seen: Seen) -> Reply:
    url = urlsplit(seen.path)
    if seen.method == "QUERY":
        wanted = json.loads(seen.body)["name"]
        return Reply(200, [{"name": wanted}]) if wanted != "none" else Reply(404, {"title": "no pets"})
    if url.path == "/zoo":
        if seen.method == "POST":
            return Reply(200, json.loads(seen.body))
        return Reply(200, [{"kind": "cat", "lives": 9, "name": "Tom"}, {"kind": "fish", "name": "Nemo"}, {"name": "?"}])
    if url.path == "/shapes":
        return Reply(200, [{"shape": "round", "radius": 2}, {"shape": "Circle", "radius": 1}, {"shape": "round"}])
    if url.path.startswith("/find"):
        return Reply(200, [{"name": unquote(url.query)}])
    return Reply(204)


def _both(api: Any, call: Callable[[Any], Any], **credentials: str) -> tuple[list[Any], list[Seen]]:
    """``call(client)`` with the blocking client, then with the async one; the results and the requests."""

    async def in_async(url: str) -> Any:
        async with api.AsyncClient(base_url=url, **credentials) as client:
            return await call(client)

    with serve(responder=_respond) as server:
        with api.Client(base_url=server.url, **credentials) as client:
            results = [call(client)]
        results.append(asyncio.run(in_async(server.url)))
    return results, server.seen


def test_query_method_sends_its_body(api: Any) -> None:
    results, seen = _both(api, lambda client: client.search_pets(body={"name": "Tom"}), token="t")
    assert [[pet.name for pet in result] for result in results] == [["Tom"], ["Tom"]]
    assert [(request.method, request.path, json.loads(request.body)) for request in seen] == [
        ("QUERY", "/pets", {"name": "Tom"})
    ] * 2
    with serve(responder=_respond) as server, pytest.raises(api.errors.NotFoundError) as caught:
        api.Client(base_url=server.url, token="t").search_pets(body={"name": "none"})
    assert caught.value.body.title == "no pets"
    # The response's summary stands for its description.
    assert "NotFoundError: Nothing matched" in api.Client.search_pets.__doc__


def test_additional_operations_are_sent_with_their_method_as_written(api: Any) -> None:
    results, seen = _both(api, lambda client: client.link_pets_by_id(id=7, link="</pets/8>; rel=friend"), token="t")
    assert results == [None, None]
    assert [(request.method, request.path, request.headers["link"]) for request in seen] == [
        ("LINK", "/pets/7", "</pets/8>; rel=friend")
    ] * 2
    assert "``LINK /pets/{id}``" in api.Client.link_pets_by_id.__doc__


def test_any_token_is_a_method_and_reaches_code_and_readme_escaped(tmp_path: Path, import_generated: Any) -> None:
    # HTTP's tokens allow a quote, a backtick and a bar: each must stay inside its literal, span or cell.
    method = "L`I|N'K"
    spec = {
        "openapi": "3.2.0",
        "info": {"title": "Tokens", "version": "1"},
        "paths": {"/a|b": {"additionalOperations": {method: {"responses": {"204": {"summary": "done"}}}}}},
    }
    tokens = import_generated(spec, "tokens")
    with serve(responder=_respond) as server:
        tokens.Client(base_url=server.url).l_i_n_k_a_b()
    assert [request.method for request in server.seen] == [method]
    assert f"``{method} /a|b``" in tokens.Client.l_i_n_k_a_b.__doc__
    readme = (tmp_path / "out_tokens" / "README.md").read_text()
    [row] = [line for line in readme.splitlines() if line.startswith("| `l_i_n_k_a_b`")]
    assert row.split(" | ")[1] == "``L`I\\|N'K /a\\|b``"


def test_querystring_parameter_is_the_whole_query_string(api: Any) -> None:
    results, form_seen = _both(
        api, lambda client: client.find_by_form(selector={"name": "a b&c", "tags": ["x", "y"]}), token="t"
    )
    assert [urlsplit(request.path).query for request in form_seen] == ["name=a+b%26c&tags=x&tags=y"] * 2
    assert parse_qs(urlsplit(form_seen[0].path).query) == {"name": ["a b&c"], "tags": ["x", "y"]}
    assert [result[0].name for result in results] == ["name=a+b&c&tags=x&tags=y"] * 2
    as_json, json_seen = _both(api, lambda client: client.find_by_json(filter={"name": "é&?"}), token="t")
    assert [json.loads(unquote(urlsplit(request.path).query)) for request in json_seen] == [{"name": "é&?"}] * 2
    assert [result[0].name for result in as_json] == ['{"name":"é&?"}'] * 2
    _, text_seen = _both(api, lambda client: client.find_by_text(expression="$.pets[?@.age>1]"), access_token="at")
    assert [urlsplit(request.path).query for request in text_seen] == ["%24.pets%5B%3F%40.age%3E1%5D"] * 2
    # oauth2MetadataUrl beside the flows: the client sends the access token it is given.
    assert [request.headers["authorization"] for request in text_seen] == ["Bearer at"] * 2
    with pytest.raises(api.errors.RequestValidationError, match="takes a mapping"):
        api.Client(base_url="http://127.0.0.1:9", token="t").find_by_form(selector=["name"])
    mock = __import__("thirty_two.testing", fromlist=["MockAPI"]).MockAPI()
    mock.client(token="t").find_by_json(filter={"name": "x"})
    assert mock.calls[0].operation == "find_by_json"


def test_nested_tags_share_the_module_of_their_root_tag(api: Any) -> None:
    from thirty_two._endpoints import admin, animals

    assert api.Client.search_pets is animals.SyncMethods.search_pets  # tagged cats < pets < animals
    assert api.Client.link_pets_by_id is animals.SyncMethods.link_pets_by_id  # tagged pets < animals
    assert api.AsyncClient.find_by_form is admin.AsyncMethods.find_by_form


def test_deprecated_security_scheme_is_a_last_resort_and_warns(api: Any) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, with_token = _both(api, lambda client: client.legacy(), token="t", api_key="old")
    assert caught == []
    assert [(request.headers["authorization"], "x-old-key" in request.headers) for request in with_token] == [
        ("Bearer t", False)
    ] * 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, with_key = _both(api, lambda client: client.legacy(), api_key="old")
    assert [request.headers["x-old-key"] for request in with_key] == ["old"] * 2
    assert [(warning.category, Path(warning.filename).name) for warning in caught] == [
        (DeprecationWarning, Path(__file__).name)
    ] * 2
    assert "security scheme 'old_key' of legacy is deprecated" in str(caught[0].message)


def test_discriminator_default_mapping_reads_every_other_value(api: Any) -> None:
    listed, _ = _both(api, lambda client: client.list_animals(), token="t")
    assert [[type(animal).__name__ for animal in result] for result in listed] == [["Cat", "Creature", "Creature"]] * 2
    # A mapped value is read by its schema even where the default would take more fields.
    assert [(animal.kind, animal.lives) for animal in listed[0][:1]] == [("cat", 9)]
    assert [animal.kind for animal in listed[0][1:]] == ["fish", None]
    added, seen = _both(api, lambda client: client.add_animal(body={"kind": "bird", "name": "Tweety"}), token="t")
    assert [type(animal).__name__ for animal in added] == ["Creature"] * 2
    assert [json.loads(request.body) for request in seen] == [{"kind": "bird", "name": "Tweety"}] * 2
    shapes, _ = _both(api, lambda client: client.list_shapes(), token="t")
    # "Circle" is no mapped value (the mapping names another), and a circle without a radius is no circle.
    assert [[type(shape).__name__ for shape in result] for result in shapes] == [["ShapeKnown", "Blob", "Blob"]] * 2
    assert isinstance(shapes[0][0], api.models.Circle) and shapes[0][0].radius == 2
    dog = api.models.Dog(kind="dog")
    added, seen = _both(api, lambda client: client.add_animal(body=dog), token="t")
    assert [type(animal).__name__ for animal in added] == ["Dog"] * 2
    with pytest.raises(ValueError):
        api.models.Dog(kind="cat")  # a mapped schema keeps its own value


def test_self_is_the_base_of_relative_references(tmp_path: Path) -> None:
    base = "https://api.example.com/specs/v2/openapi.yaml"
    spec = {
        "openapi": "3.2.0",
        "$self": base,
        "info": {"title": "Selfish", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "responses": {
                        "200": {
                            "description": "ok",
                            # Relative to $self, not to the file's own name: this very document.
                            "content": _json(
                                {"type": "array", "items": {"$ref": "openapi.yaml#/components/schemas/Pet"}}
                            ),
                        }
                    },
                },
                "post": {
                    "operationId": "addPet",
                    # Absolute, by $self: this document again.
                    "requestBody": {"content": _json({"$ref": base + "#/components/schemas/Pet"})},
                    "responses": {"204": {"description": "added"}},
                },
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        # Beside $self: the file beside this one.
                        "owner": {"$ref": "https://api.example.com/specs/v2/people.yaml#/Person"},
                    },
                }
            }
        },
    }
    (tmp_path / "people.yaml").write_text(
        yaml.safe_dump({"Person": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}})
    )
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    package = generate(tmp_path / "spec.yaml")
    assert package.warnings == []
    write_tree(package.files, tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        selfish = __import__("selfish")
        pets = [{"name": "Rex", "owner": {"id": 1}}]
        with serve([Reply(200, pets), Reply(204)]) as server:
            listed = selfish.Client(base_url=server.url).list_pets()
            asyncio.run(selfish.AsyncClient(base_url=server.url).add_pet(body={"name": "Tom", "owner": {"id": 2}}))
            with pytest.raises(selfish.errors.RequestValidationError):
                selfish.Client(base_url=server.url).add_pet(body={"owner": {"id": "two"}})
        assert isinstance(listed[0].owner, selfish.models.Person) and listed[0].owner.id == 1
        assert [request.method for request in server.seen] == ["GET", "POST"]
    finally:
        sys.path.remove(str(tmp_path / "out"))


def _generate_cli(tmp_path: Path, document: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(document))
    return subprocess.run(
        [sys.executable, "-m", "generator", "spec.yaml", "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "OPENAPI_PYCLIENT_CACHE": "off"},
    )


_MINIMAL = {"openapi": "3.2.0", "info": {"title": "Bad", "version": "1"}, "paths": {}}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"$self": "https://example.com/a.yaml#top"},
            'error: spec.yaml#/$self: does not match the pattern "^[^#]*$": "https://example.com/a.yaml#top"',
        ),
        (
            {
                "$self": "https://example.com/api/openapi.yaml",
                "components": {"schemas": {"A": {"$ref": "../elsewhere.yaml#/A"}}},
            },
            "error: spec.yaml#/components/schemas/A/$ref: remote reference '../elsewhere.yaml#/A' (by $self:"
            " 'https://example.com/elsewhere.yaml') is not fetched; only files inside the spec's folder are",
        ),
    ],
)
def test_bad_3_2_documents_are_one_line_errors(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    result = _generate_cli(tmp_path, {**_MINIMAL, **change})
    assert (result.returncode, result.stderr.strip()) == (2, expected)
    assert not (tmp_path / "out").exists()


def test_broken_3_2_parts_are_repaired_with_a_warning(tmp_path: Path) -> None:
    operation = {"responses": {"200": {"description": "ok"}}}
    document = {
        **_MINIMAL,
        "tags": [{"name": "a", "parent": "b"}, {"name": "b", "parent": "a"}, {"name": "c", "parent": "nope"}],
        "paths": {
            "/x": {
                "get": {
                    **operation,
                    "parameters": [
                        {"name": "q", "in": "querystring", "content": {"application/json": {"schema": {}}}},
                        {"name": "r", "in": "query", "schema": {"type": "string"}},
                    ],
                },
                "query": operation,
            },
            "/y": {"additionalOperations": {"GET": operation, "BAD METHOD": operation, "LINK": operation}},
        },
    }
    document["components"] = {
        "schemas": {
            "A": {"type": "object"},
            "P": {"oneOf": [_ref("A")], "discriminator": {"propertyName": "k", "defaultMapping": "#/nowhere"}},
        }
    }
    result = _generate_cli(tmp_path, document)
    assert result.returncode == 0, result.stderr
    assert 'method="LINK"' in (tmp_path / "out" / "bad" / "_endpoints" / "y.py").read_text()  # grouped by path
    assert result.stderr.splitlines() == [
        "warning: spec.yaml#/components/schemas/P/discriminator/defaultMapping: the default mapping leads to no"
        " schema: \"#/nowhere\"; 'discriminator' dropped",
        "warning: spec.yaml#/paths/~1x/get/parameters: a querystring parameter must be the only parameter of its"
        " operation in query or querystring; operation GET /x skipped",
        'warning: spec.yaml#/paths/~1y/additionalOperations/BAD METHOD: the name "BAD METHOD" does not match the'
        ' pattern "^[a-zA-Z0-9!#$%&\'*+.^_`|~-]+$"; operation BAD METHOD /y skipped',
        'warning: spec.yaml#/paths/~1y/additionalOperations/GET: the name "GET" is not allowed here;'
        " operation GET /y skipped",
        'warning: spec.yaml#/tags/0/parent: the tag "a" is nested in itself; dropped',
        'warning: spec.yaml#/tags/1/parent: the tag "b" is nested in itself; dropped',
        'warning: spec.yaml#/tags/2/parent: the parent tag "nope" is not declared; dropped',
    ]
    # The same document as 3.1 loses the 3.2 fields, each with a warning.
    result = _generate_cli(tmp_path, {**document, "openapi": "3.1.0"})
    assert "warning: spec.yaml#/paths/~1x/query: unknown field; dropped" in result.stderr.splitlines()
