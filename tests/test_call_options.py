"""Call options and shape: ``extra_query``/``extra_body``, enum-typed and ``const`` parameters, generated
from a small inline spec, imported, and called over loopback HTTP, sync and async."""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.loopback import LoopbackServer, Reply, serve


def _body(content_type: str, schema: str) -> dict[str, Any]:
    return {"required": True, "content": {content_type: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Call Options", "version": "1.0.0"},
    "servers": [
        {
            "url": "http://{host}:{port}/{base}/",
            "x-speakeasy-server-id": "local",
            "variables": {
                "host": {"default": "127.0.0.1"},
                "port": {"default": "1"},
                "base": {"default": "v1", "enum": ["v1", "v2"]},
            },
        },
        {"url": "http://127.0.0.1:{port}/eu", "description": "EU region", "variables": {"port": {"default": "1"}}},
    ],
    "paths": {
        "/v/{version}/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {"name": "version", "in": "path", "required": True, "schema": {"const": "v2"}},
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/PetStatus"}},
                    },
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
                    {"name": "Api-Version", "in": "header", "required": True, "schema": {"const": '2024"""'}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            },
            "post": {
                "operationId": "addPet",
                "parameters": [{"name": "version", "in": "path", "required": True, "schema": {"const": "v2"}}],
                "requestBody": _body("application/json", "Pet"),
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            },
            "put": {
                "operationId": "putForm",
                "parameters": [{"name": "version", "in": "path", "required": True, "schema": {"const": "v2"}}],
                "requestBody": _body("application/x-www-form-urlencoded", "Pet"),
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            },
            "patch": {
                "operationId": "patchBlob",
                "parameters": [{"name": "version", "in": "path", "required": True, "schema": {"const": "v2"}}],
                "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            },
        },
    },
    "components": {
        "schemas": {
            "PetStatus": {"type": "string", "enum": ["available", "sold"]},
            "Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        }
    },
}


@pytest.fixture
def package(import_generated: Any) -> Any:
    return import_generated(SPEC, "call_options")


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve([Reply(200, {"ok": True})]) as running:
        yield running


def _run(package: Any, url: str | None, awaited: bool, call: Callable[[Any], Any], **options: Any) -> Any:
    """``call(client)`` on a blocking or an async client of ``url`` (or of the server ``options`` choose)."""
    if url is not None:
        options["base_url"] = url
    if not awaited:
        with package.Client(**options) as client:
            return call(client)

    async def main() -> Any:
        async with package.AsyncClient(**options) as client:
            return await call(client)

    return asyncio.run(main())


def _query(seen_path: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(seen_path).query, keep_blank_values=True)


@pytest.mark.parametrize("awaited", [False, True])
def test_extra_query_adds_replaces_and_removes_pairs(package: Any, server: LoopbackServer, awaited: bool) -> None:
    status = package.models.PetStatus
    _run(
        package,
        server.url,
        awaited,
        lambda c: c.list_pets(
            status=[status.available, status.sold],
            sort="asc",
            extra_query={"sort": None, "debug": True, "tag": ["a b", "c&d"]},
        ),
    )
    assert _query(server.seen[0].path) == [
        ("status", "available"),
        ("status", "sold"),
        ("debug", "true"),
        ("tag", "a b"),
        ("tag", "c&d"),
    ]


@pytest.mark.parametrize("awaited", [False, True])
def test_extra_body_merges_into_json_objects_and_forms(package: Any, server: LoopbackServer, awaited: bool) -> None:
    pet = package.models.Pet(name="Rex")
    _run(package, server.url, awaited, lambda c: c.add_pet(body=pet, extra_body={"beta": [1], "name": "Max"}))
    _run(package, server.url, awaited, lambda c: c.put_form(body={"name": "Rex"}, extra_body={"beta": "1"}))
    json_call, form_call = server.seen
    assert json.loads(json_call.body) == {"name": "Max", "beta": [1]}
    assert parse_qsl(form_call.body.decode()) == [("name", "Rex"), ("beta", "1")]


@pytest.mark.parametrize("awaited", [False, True])
def test_extra_body_is_refused_where_it_cannot_apply(package: Any, server: LoopbackServer, awaited: bool) -> None:
    calls: list[Callable[[Any], Any]] = [
        lambda c: c.patch_blob(body=b"raw", extra_body={"a": 1}),
        lambda c: c.list_pets(extra_body={"a": 1}),
    ]
    for call in calls:
        with pytest.raises(package.errors.RequestValidationError, match=r"extra_body of .* cannot apply"):
            _run(package, server.url, awaited, call)
    # The body is still validated as given: extra fields do not stand in for a missing required one.
    with pytest.raises(package.errors.RequestValidationError, match="invalid request body"):
        _run(package, server.url, awaited, lambda c: c.add_pet(body={}, extra_body={"name": "Rex"}))
    assert not server.seen


@pytest.mark.parametrize("awaited", [False, True])
def test_const_parameters_are_sent_without_being_given(package: Any, server: LoopbackServer, awaited: bool) -> None:
    _run(package, server.url, awaited, lambda c: c.list_pets())
    seen = server.seen[0]
    assert urlsplit(seen.path).path == "/v/v2/pets"
    assert seen.headers["api-version"] == '2024"""'


def test_enum_and_const_parameters_are_typed(package: Any) -> None:
    module = inspect.getmodule(package.Client.list_pets)
    for method in (package.Client.list_pets, package.AsyncClient.list_pets):
        hints = typing.get_type_hints(method, vars(module))
        assert hints["status"] == list[package.models.PetStatus] | None
        assert hints["sort"] == typing.Literal["asc", "desc"] | None
        assert hints["version"] == typing.Literal["v2"]
        assert hints["api_version"] == typing.Literal['2024"""']
        signature = inspect.signature(method)
        assert signature.parameters["version"].default == "v2"
    # The hostile const stays inside the docstring, as the literal the method sends.
    doc = package.Client.list_pets.__doc__ or ""
    assert 'api_version: Sent as the ``Api-Version`` header. Always ``\'2024"""\'``, sent without' in doc


@pytest.mark.parametrize("awaited", [False, True])
def test_servers_are_chosen_by_name_with_their_variables(
    package: Any, server: LoopbackServer, awaited: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = server.url.rpartition(":")[2]
    _run(package, None, awaited, lambda c: c.list_pets(), port=port)
    _run(package, None, awaited, lambda c: c.list_pets(), port=port, base="v2")
    _run(package, None, awaited, lambda c: c.list_pets(), server="eu_region", port=port)
    monkeypatch.setenv("CALL_OPTIONS_SERVER", "eu_region")
    monkeypatch.setenv("CALL_OPTIONS_PORT", port)
    _run(package, None, awaited, lambda c: c.list_pets())
    assert [urlsplit(seen.path).path for seen in server.seen] == [
        "/v1/v/v2/pets",
        "/v2/v/v2/pets",
        "/eu/v/v2/pets",
        "/eu/v/v2/pets",
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base": "v3"}, "base must be one of 'v1', 'v2', not 'v3'"),
        ({"port": "1@evil.example"}, "port may hold only letters"),
        ({"port": "1/admin"}, "port may hold only letters"),
        ({"host": "evil.example#"}, "host may hold only letters"),
        ({"host": ".."}, "host may hold only letters"),
        ({"server": "nope"}, "server 'nope' is not one of the API's: 'local', 'eu_region'"),
        ({"server": "eu_region", "base": "v2"}, "server 'eu_region' takes no base"),
        ({"base_url": "http://127.0.0.1:1", "port": "2"}, "pass base_url, or a server and its variables, not both"),
        # Each operation's path is appended to the base URL: a query or a fragment would take it in.
        ({"base_url": "http://127.0.0.1:1/v1?key=k"}, "base_url must not hold a query or a fragment"),
        ({"base_url": "http://127.0.0.1:1/v1#"}, "base_url must not hold a query or a fragment"),
        # A document's server may be relative to where the document is served: no host to send to.
        ({"base_url": "/api/v3"}, "base_url must be an absolute http or https URL"),
        ({"base_url": "ftp://127.0.0.1/v1"}, "base_url must be an absolute http or https URL"),
    ],
)
def test_server_options_that_would_change_the_url_are_refused(
    package: Any, options: dict[str, str], message: str
) -> None:
    for client in (package.Client, package.AsyncClient):
        with pytest.raises(package.errors.APIError) as raised:
            client(**options)
        assert str(raised.value).startswith(message)


def test_a_base_url_from_the_environment_with_a_query_is_refused(package: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALL_OPTIONS_BASE_URL", "http://127.0.0.1:1/v1?key=secret")
    with pytest.raises(package.errors.APIError, match="must not hold a query or a fragment") as raised:
        package.Client()
    assert "secret" not in str(raised.value)  # a query may hold a key: the URL is never echoed


def test_the_default_server_is_the_first_at_its_defaults(package: Any) -> None:
    with package.Client() as client:
        assert str(client._settings.base_url) == "http://127.0.0.1:1/v1"


def test_a_relative_server_needs_a_base_url(import_generated: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # 100 of the directory's 2,600 documents name a server relative to where they are served (/api/v3):
    # a client of it sent nothing, failing at the first call with a connection error.
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Relative", "version": "1"},
        "servers": [{"url": "/api/v3"}],
        "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"204": {"description": "ok"}}}}},
    }
    package = import_generated(spec, "relative")
    with pytest.raises(package.errors.APIError, match=r"served\): pass one as base_url, or set RELATIVE_BASE_URL"):
        package.Client()
    monkeypatch.setenv("RELATIVE_BASE_URL", "https://pets.example.com/api/v3")
    assert str(package.Client()._settings.base_url) == "https://pets.example.com/api/v3"
    readme = (Path(package.__file__).parent.parent / "README.md").read_text()
    assert (
        'base_url="https://api.example.com/api/v3",  # the API\'s server, "/api/v3", is relative to its host' in readme
    )


def test_the_readmes_example_call_gives_exactly_the_arguments_a_call_must_give(import_generated: Any) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Example call", "version": "1"},
        "servers": [{"url": "https://example.com"}],
        "paths": {
            "/pets/{petId}/visits": {
                "post": {
                    "operationId": "addVisit",
                    "parameters": [
                        {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}},
                        {"name": "X-Clinic", "in": "header", "required": True, "schema": {"type": "string"}},
                        {"name": "X-Version", "in": "header", "required": True, "schema": {"const": "2"}},
                        {"name": "notify", "in": "query", "schema": {"type": "boolean"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    package = import_generated(spec, "example_call")
    readme = (Path(package.__file__).parent.parent / "README.md").read_text()
    usage = readme.split("```python\n", 1)[1].split("```", 1)[0]
    [call] = [
        node
        for node in ast.walk(ast.parse(usage))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_visit"
    ]
    must = {
        name
        for name, parameter in inspect.signature(package.Client.add_visit).parameters.items()
        if parameter.default is inspect.Parameter.empty and name != "self"
    }
    # X-Clinic, required by every operation, is a client option; X-Version is always "2".
    assert [keyword.arg for keyword in call.keywords] == ["body", "pet_id"]
    assert must == {"body", "pet_id"}
