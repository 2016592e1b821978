"""Path keys that carry a query or a fragment (every AWS query-protocol document has them)."""

from __future__ import annotations

from typing import Any

from generator.model.parse import wire_path


def test_fragment_pairs_become_query_pairs_and_markers_are_dropped() -> None:
    assert wire_path("/#Action=List") == "/?Action=List"
    assert wire_path("/#Action=Tag&Version=2") == "/?Action=Tag&Version=2"
    assert wire_path("/tags/{arn}#tagKeys") == "/tags/{arn}"
    assert wire_path("/services?funcs=News") == "/services?funcs=News"
    assert wire_path("/s?a=1#Action=X") == "/s?a=1&Action=X"
    assert wire_path("/plain/{id}") == "/plain/{id}"


def _spec() -> dict[str, Any]:
    empty = {"204": {"description": "ok"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Aws Like", "version": "1"},
        "paths": {
            "/#Action=List": {"get": {"operationId": "list", "responses": empty}},
            "/#Action=Describe": {
                "get": {
                    "operationId": "describe",
                    "parameters": [{"name": "Id", "in": "query", "required": True, "schema": {"type": "string"}}],
                    "responses": empty,
                }
            },
            "/tags/{arn}#tagKeys": {
                "delete": {
                    "operationId": "untag",
                    "parameters": [
                        {"name": "arn", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "tagKeys", "in": "query", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": empty,
                }
            },
            "/services?funcs=News": {"get": {"operationId": "news", "responses": empty}},
            # Paths alike but for their own query pairs (amazonaws.com's chime): the mock routes by them.
            "/channels#app-instance-arn": {"get": {"operationId": "listChannels", "responses": empty}},
            "/channels#scope=mine&app-instance-arn": {"get": {"operationId": "listMyChannels", "responses": empty}},
            # A path that goes on past a parameter (apigee.local's registry: ":deleteRevision").
            "/deployments/{name}": {
                "delete": {
                    "operationId": "deleteDeployment",
                    "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": empty,
                }
            },
            "/deployments/{name}:deleteRevision": {
                "delete": {
                    "operationId": "deleteRevision",
                    "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": empty,
                }
            },
            # A parameter in the path's own query pairs (learnifier.com).
            "/users/{userid}/pic?key={APIKEY}": {
                "get": {
                    "operationId": "picture",
                    "parameters": [
                        {"name": "userid", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "APIKEY", "in": "path", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": empty,
                }
            },
        },
        "components": {"schemas": {"Unused": {"type": "string"}}},
    }


def test_operations_send_their_pairs_and_the_mock_routes_by_them(import_generated: Any) -> None:
    package = import_generated(_spec(), "aws_like")
    from aws_like.testing import MockAPI

    mock = MockAPI()
    client = mock.client()
    client.describe(id="i-1")
    client.list_()  # named like the builtin its class's signatures read
    client.untag(arn="a:b", tag_keys="k")
    client.news()
    client.picture(userid="u 1", apikey="k&1")
    client.list_my_channels()
    client.list_channels()
    client.delete_revision(name="d1")
    client.delete_deployment(name="d1")
    assert [call.operation for call in mock.calls] == [
        "describe",
        "list_",
        "untag",
        "news",
        "picture",
        "list_my_channels",
        "list_channels",
        "delete_revision",
        "delete_deployment",
    ]
    assert mock.calls[4].path_params == {"userid": "u 1", "APIKEY": "k&1"}
    urls = [str(call.request.url) for call in mock.calls]
    assert urls == [
        "https://mock.invalid/?Action=Describe&Id=i-1",
        "https://mock.invalid/?Action=List",
        "https://mock.invalid/tags/a%3Ab?tagKeys=k",
        "https://mock.invalid/services?funcs=News",
        "https://mock.invalid/users/u%201/pic?key=k%261",
        "https://mock.invalid/channels?scope=mine",
        "https://mock.invalid/channels",
        "https://mock.invalid/deployments/d1:deleteRevision",
        "https://mock.invalid/deployments/d1",
    ]
    assert package.Client is not None
