"""Unit tests of parse (generator/model/parse.py): small inline documents into the IR, no generation."""

from __future__ import annotations

from typing import Any

import pytest

from generator.errors import Diagnostics, SpecError
from generator.model.ir import Api, Operation
from generator.model.normalize import normalize
from generator.model.parse import build_api


def _api(paths: dict[str, Any], **top: Any) -> tuple[Api, list[str]]:
    document = {"openapi": "3.1.0", "info": {"title": "Pets", "version": "1.2"}, "paths": paths, **top}
    diagnostics = Diagnostics("spec.json")
    return build_api(normalize(document), "spec.json", "pets", diagnostics), diagnostics.warnings


def _operation(operation: dict[str, Any], **top: Any) -> Operation:
    api, _ = _api({"/pets/{pet-id}": {"get": operation}}, **top)
    [result] = api.operations
    return result


OK = {"200": {"description": "ok"}}


def test_parameters_merge_path_item_and_operation_required_first() -> None:
    path_item = {
        "parameters": [
            {"name": "pet-id", "in": "path", "schema": {"type": "integer"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}, "description": "from the path item"},
            # The same header as the operation's X-Trace, in another case (AWS CodeArtifact's).
            {"name": "x-trace", "in": "header", "schema": {"type": "string"}},
        ],
        "get": {
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "string"}, "description": "overrides"},
                {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "ids", "in": "query", "explode": False, "schema": {"type": "array"}},
                {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string"}},
                {"name": "limit", "in": "header", "deprecated": True, "schema": {"type": "boolean"}},
            ],
            "responses": OK,
        },
    }
    api, _ = _api({"/pets/{pet-id}": path_item})
    [operation] = api.operations
    by_place = {(p.wire_name, p.location): p for p in operation.parameters}
    # A path parameter is required even when the document forgets to say so.
    assert [(p.wire_name, p.location, p.required) for p in operation.parameters[:2]] == [
        ("pet-id", "path", True),
        ("X-Trace", "header", True),
    ]
    assert by_place[("pet-id", "path")].python_name == "pet_id"
    assert by_place[("pet-id", "path")].annotation == "int"
    # The operation's declaration of (name, in) replaces the path item's (a header's name in any case); another
    # location is another parameter.
    assert (by_place[("limit", "query")].annotation, by_place[("limit", "query")].description) == ("str", "overrides")
    assert by_place[("limit", "header")].deprecated is True
    assert by_place[("limit", "query")].python_name != by_place[("limit", "header")].python_name
    assert by_place[("tags", "query")].annotation == "list[str]"
    assert (by_place[("tags", "query")].explode, by_place[("ids", "query")].explode) == (True, False)
    assert len(operation.parameters) == 6


def test_a_parameter_of_a_reference_with_constraints_beside_it_is_of_its_type_and_const() -> None:
    # 3.1: the constraints narrow the type referred to, which is the argument's still; a const beside
    # the reference is read as the parameter's value.
    status = {"$ref": "#/components/schemas/Status"}
    parameters = [
        {"name": "status", "in": "query", "schema": {**status, "maxLength": 8}},
        {"name": "only", "in": "query", "required": True, "schema": {**status, "const": "sold"}},
    ]
    components = {"schemas": {"Status": {"type": "string", "enum": ["sold", "kept"]}}}
    operation = _operation({"parameters": parameters, "responses": OK}, components=components)
    by_name = {p.wire_name: p for p in operation.parameters}
    assert by_name["status"].annotation == "models.Status"
    assert by_name["only"].const == '"sold"'


def test_responses_are_ordered_by_status_with_kinds_and_models() -> None:
    responses = {
        "default": {"description": "error", "content": {"application/json": {"schema": {"type": "object"}}}},
        "4XX": {"description": "client error", "content": {"text/plain": {"schema": {"type": "string"}}}},
        "404": {"description": "missing"},
        "2XX": {"description": "also fine", "content": {"application/octet-stream": {}}},
        "200": {
            "description": "a pet",
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
            },
        },
        "x-note": "an extension, not a status",
    }
    operation = _operation(
        {"responses": responses}, components={"schemas": {"Pet": {"type": "object", "properties": {}}}}
    )
    assert [(r.status, r.kind, r.model, r.media_type) for r in operation.responses] == [
        (200, "json", "Pet", "application/json"),  # JSON is preferred over text
        (2, "binary", None, "application/octet-stream"),
        (404, "none", None, None),
        (4, "text", None, "text/plain"),
        (None, "json", operation.responses[-1].model, "application/json"),
    ]
    assert operation.responses[-1].model  # the inline default schema was given a model
    assert [r.status for r in operation.errors] == [404, 4]
    assert operation.return_type == "models.Pet | bytes"
    assert operation.accept == "application/json, application/octet-stream, text/plain"


def test_security_global_overridden_per_operation_and_unusable_schemes_warned() -> None:
    schemes = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "token": {"type": "http", "scheme": "bearer"},
        "tls": {"type": "mutualTLS"},
        # No request can carry a header of this name (RapidAPI's).
        "spaced": {"type": "apiKey", "in": "header", "name": "My API Key"},
    }
    paths = {
        "/a": {"get": {"responses": OK}},
        "/b": {"get": {"security": [], "responses": OK}},
        "/c": {"get": {"security": [{"key": [], "token": []}, {}], "responses": OK}},
    }
    api, warnings = _api(paths, security=[{"key": []}], components={"securitySchemes": schemes})
    assert [op.security for op in api.operations] == [(("key",),), (), (("key", "token"), ())]
    assert {s.name: (s.kind, s.location, s.parameter_name) for s in api.security_schemes} == {
        "key": ("api_key", "header", "X-Key"),
        "token": ("bearer", None, None),
    }
    assert any(w.startswith("spec.json#/components/securitySchemes/tls: ") for w in warnings), warnings
    assert any(w.startswith("spec.json#/components/securitySchemes/spaced: ") for w in warnings), warnings


def test_schemes_that_send_the_same_header_are_alternatives_with_a_warning() -> None:
    # Conjur's: HTTP Basic and its own token, both in Authorization, required together.
    schemes = {
        "basic": {"type": "http", "scheme": "basic"},
        "conjur": {"type": "apiKey", "in": "header", "name": "authorization"},
        "tenant": {"type": "apiKey", "in": "query", "name": "tenant"},
    }
    paths = {"/a": {"get": {"security": [{"basic": [], "conjur": [], "tenant": []}], "responses": OK}}}
    api, warnings = _api(paths, components={"securitySchemes": schemes})
    assert api.operations[0].security == (("basic", "tenant"), ("conjur", "tenant"))
    assert warnings == [
        "spec.json#/paths/~1a/get/security: the security schemes 'basic' and 'conjur' send the same header"
        " (authorization): each is sent alone, with the rest of their requirement"
    ]


def test_header_parameters_that_carry_the_operations_credentials_are_left_to_the_client() -> None:
    # NPR's: a required Authorization parameter beside the OAuth 2 scheme (OpenAPI: ignore it).
    schemes = {
        "token": {"type": "http", "scheme": "bearer"},
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
    }
    headers = [
        {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"}},
        {"name": "x-key", "in": "header", "required": True, "schema": {"type": "string"}},
    ]
    paths = {
        "/a": {"get": {"security": [{"token": []}, {"key": []}], "parameters": headers, "responses": OK}},
        "/b": {"get": {"security": [], "parameters": headers, "responses": OK}},
    }
    api, _ = _api(paths, components={"securitySchemes": schemes})
    assert [[p.wire_name for p in op.parameters] for op in api.operations] == [[], ["Authorization", "x-key"]]


def test_servers_take_variable_defaults_and_lose_credentials_and_trailing_slashes() -> None:
    servers = [
        {"url": "https://{region}.example.com/v1/", "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}}},
        {"url": "https://user:secret@api.example.com"},
    ]
    api, warnings = _api({}, servers=servers)
    assert tuple(server.url for server in api.servers) == ("https://eu.example.com/v1", "https://api.example.com")
    assert warnings == [
        "spec.json#/servers/1/url: the server URL carries credentials (user:password@); they were removed"
    ]
    assert "secret" not in " ".join(warnings)


def test_a_server_whose_url_would_hold_a_query_or_a_fragment_is_dropped() -> None:
    # Each operation's path is appended to the server's URL: after "?" or "#" it would be the query's or
    # the fragment's, and every request would go to the server's path.
    servers = [
        {"url": "https://api.example.com/v1?format=json"},
        {"url": "https://api.example.com/{base}", "variables": {"base": {"default": "v1#"}}},
        {"url": "https://{region}.example.com", "variables": {"region": {"default": "eu", "enum": ["eu", "x?"]}}},
        {"url": "https://api.example.com/v2"},
    ]
    api, warnings = _api({}, servers=servers)
    assert tuple(server.url for server in api.servers) == ("https://api.example.com/v2",)
    assert [warning.split(": ")[0] for warning in warnings] == [f"spec.json#/servers/{index}" for index in range(3)]


def test_servers_are_named_stably_and_their_variables_get_client_arguments() -> None:
    servers = [
        {"url": "https://a.example.com", "name": "EU", "x-speakeasy-server-id": "ignored"},
        {"url": "https://b.example.com", "x-speakeasy-server-id": "eu"},
        {"url": "https://c.example.com", "description": "Sandbox (testing)"},
        {"url": "https://{timeout}.example.com:{port}", "variables": {"timeout": {"default": "t"}, "port": {}}},
    ]
    api, _ = _api({}, servers=servers)
    assert [server.name for server in api.servers] == ["eu", "eu2", "sandbox_testing", "server_3"]
    # A variable named like a constructor argument of the client gets a suffix; one without a default
    # has none (the caller must give it).
    assert {argument: (v.name, v.default) for argument, v in api.server_arguments.items()} == {
        "timeout_": ("timeout", "t"),
        "port": ("port", None),
    }
    assert api.servers[3].template == "https://{timeout}.example.com:{port}"


def test_a_control_character_in_a_server_url_is_refused() -> None:
    with pytest.raises(SpecError, match=r"#/servers/0/variables/r/default: a server URL must not hold a control"):
        _api({}, servers=[{"url": "https://{r}.example.com", "variables": {"r": {"default": "eu\nX: 1"}}}])


def test_an_operation_the_client_cannot_call_is_skipped_with_a_warning() -> None:
    api, warnings = _api({"/a/../b": {"get": {"responses": OK}}, "/ok": {"get": {"responses": OK}}})
    assert [op.path for op in api.operations] == ["/ok"]
    assert warnings == [
        "spec.json#/paths/~1a~1..~1b: operation GET /a/../b skipped: the path contains '.' or '..' segments,"
        " which URLs collapse"
    ]


def test_a_request_body_of_no_media_type_sends_no_body() -> None:
    # Just Eat's channel subscriptions: "content": {} beside "required": false; the operations were skipped.
    api, warnings = _api({"/subscribe": {"post": {"requestBody": {"content": {}}, "responses": OK}}})
    [operation] = api.operations
    assert operation.body is None
    assert warnings == ["spec.json#/paths/~1subscribe/post/requestBody/content: no media type: no body is sent"]


@pytest.mark.parametrize(
    ("schema", "plain"),
    [
        ({"type": "object", "properties": {"a": {"type": "string"}}}, "Mapping[str, Any]"),
        ({"properties": {"a": {"type": "string"}}}, "Mapping[str, Any]"),  # an object by its keywords
        ({"type": "array", "items": {"type": "string"}}, "Sequence[Any]"),  # Jellyfin's, Meilisearch's
        ({"type": "string"}, "str"),  # Jellyfin's forgotten password pin
        ({"type": ["number", "null"]}, "float"),  # an int is a float to a type checker
        ({"enum": [1, 2]}, "int"),
        ({"const": True}, "bool"),
        # GitHub's labels were once an object, a list or a string
        (
            {"oneOf": [{"type": "object"}, {"type": "array"}, {"type": "string"}]},
            "Mapping[str, Any] | Sequence[Any] | str",
        ),
        ({"allOf": [{"$ref": "#/components/schemas/Tags"}, {"maxItems": 3}]}, "Sequence[Any]"),
        ({"$ref": "#/components/schemas/Tags", "maxItems": 3}, "Sequence[Any]"),  # 3.1: the same allOf
        ({"anyOf": [{"type": "string"}, {}]}, "Any"),  # a member that allows anything
        ({"description": "whatever JSON"}, "Any"),
        ({"$ref": "#/components/schemas/Tree"}, "Mapping[str, Any]"),
        ({"$ref": "#/components/schemas/Names"}, "Sequence[Any] | str"),  # a cycle adds no type
    ],
)
def test_a_json_body_may_be_given_as_the_plain_values_its_schema_allows(schema: dict[str, Any], plain: str) -> None:
    components = {
        "schemas": {
            "Tags": {"type": "array", "items": {"type": "string"}},
            "Names": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/Names"}},
                    {"$ref": "#/components/schemas/Names"},
                ]
            },
            "Tree": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
            },
        }
    }
    body = {"required": True, "content": {"application/json": {"schema": schema}}}
    operation = _operation({"requestBody": body, "responses": OK}, components=components)
    assert operation.body is not None
    assert operation.body.declaration == f"body: models.{operation.body.model} | {plain}"


def test_a_form_body_is_given_as_a_model_or_a_plain_dict() -> None:
    form = {
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}
    }
    operation = _operation({"requestBody": {"content": form}, "responses": OK})
    assert operation.body is not None
    assert operation.body.declaration == f"body: models.{operation.body.model} | Mapping[str, Any] | None = None"
    assert operation.body.given_as == "A model or a plain dict"


def test_names_groups_and_the_api_summary() -> None:
    paths = {
        "/pets": {
            "get": {"operationId": "listPets", "tags": ["Pet Store", "other"], "responses": OK},
            "post": {"responses": {"201": {"description": "made"}, "409": {"description": "taken"}}},
        }
    }
    api, warnings = _api(paths)
    listed, made = api.operations
    assert (listed.method_name, listed.operation_id, listed.http_method, listed.group) == (
        "list_pets",
        "listPets",
        "GET",
        "pet_store",
    )
    assert (made.operation_id, made.group) == ("post /pets", "pets")  # untagged: grouped by its first path segment
    assert made.method_name.isidentifier() and made.method_name != listed.method_name
    assert listed.pointer == "/paths/~1pets/get"
    assert (api.title, api.version, api.package, api.distribution) == ("Pets", "1.2", "pets", "pets")
    assert api.error_statuses == (409,)
    assert warnings == []


def test_a_required_header_every_operation_takes_becomes_a_client_option() -> None:
    header = {"name": "X-Account-Id", "in": "header", "required": True, "schema": {"type": "string"}}
    paths = {
        "/a": {"get": {"parameters": [header], "responses": OK}},
        "/b": {"post": {"parameters": [header], "responses": OK}},
    }
    api, _ = _api(paths)
    [option] = api.client_options
    assert (option.wire_name, option.location) == ("X-Account-Id", "header")
    assert all(
        [p.client_default for p in op.parameters if p.wire_name == "X-Account-Id"] == [option.name]
        for op in api.operations
    )
    one_only = {**paths, "/c": {"get": {"responses": OK}}}
    assert _api(one_only)[0].client_options == ()


def test_headers_that_frame_the_message_are_the_clients_to_set() -> None:
    from generator.model.parse import FRAMING_HEADERS
    from generator.runtime._request import _FRAMING_HEADERS

    assert FRAMING_HEADERS == _FRAMING_HEADERS  # the runtime refuses them from a caller
    length = {"name": "Content-Length", "in": "header", "required": True, "schema": {"type": "integer"}}
    operation = _operation({"parameters": [length, {"name": "X-Trace", "in": "header"}], "responses": OK})
    assert [parameter.wire_name for parameter in operation.parameters] == ["X-Trace"]
