"""How a generated client reads a spec's security, bodies, media types and statuses (issue 10).

Each class of defect has its smallest spec here; each is generated, imported and called
over loopback HTTP or through the package's own ``testing.MockAPI``, sync and async.
"""

from __future__ import annotations

import asyncio
import http
import inspect
import json
import logging
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from loopback import Reply, Seen, serve

from generator.emit.errorclasses import error_class
from generator.model.statuses import PHRASES
from generator.output.writer import write_tree
from generator.pipeline import generate

_NO_CONTENT = {"204": {"description": "done"}}
_SCHEMAS = {"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}}


def _get(operation_id: str, security: list[dict[str, list[str]]]) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "security": security, "responses": _NO_CONTENT}}


SECURITY: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Sec", "version": "1"},
    "servers": [{"url": "https://sec.example.com"}],
    "paths": {
        # A token OR OAuth 2: whichever credential the client was given.
        "/either": _get("either", [{"oauth": ["read"]}, {"token": []}]),
        # Two API keys together.
        "/both": _get("both", [{"key": [], "tenant": []}]),
        "/oidc": _get("oidc", [{"oidc": []}]),
        # Schemes the client cannot serve: sent without them, never a KeyError.
        "/mtls": _get("mtls", [{"mtls": []}]),
        "/digest_or_key": _get("digest_or_key", [{"digest": []}, {"key": []}]),
        # Anonymous access allowed, listed first: a token given is still sent.
        "/optional": _get("optional", [{}, {"token": []}]),
        # Parameters that are the keys of its schemes (Trello's): what the caller gives is sent, once.
        "/keyed": {
            "get": {
                **_get("keyed", [{"key": []}, {"tenant": []}])["get"],
                "parameters": [
                    {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}},
                    {"name": "x-key", "in": "header", "schema": {"type": "string"}},
                ],
            }
        },
    },
    "components": {
        "schemas": _SCHEMAS,
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://sec.example.com/t", "scopes": {"read": "r"}}},
            },
            "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://sec.example.com/.well-known"},
            "token": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "tenant": {"type": "apiKey", "in": "query", "name": "tenant"},
            "mtls": {"type": "mutualTLS"},
            "digest": {"type": "http", "scheme": "digest"},
        },
    },
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


MEDIA: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Media", "version": "1"},
    "servers": [{"url": "https://media.example.com"}],
    "paths": {
        "/search": {
            "post": {
                "operationId": "search",
                # requestBody.required defaults to false.
                "requestBody": {"content": {"application/json": {"schema": _ref("Thing")}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("Thing")}}}},
            }
        },
        "/things": {
            "post": {
                "operationId": "create_thing",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Thing")}}},
                "responses": _NO_CONTENT,
            }
        },
        "/report": {
            "get": {
                "operationId": "report",
                "responses": {"200": {"description": "csv", "content": {"text/csv": {"schema": {"type": "string"}}}}},
            }
        },
        "/file": {
            "get": {
                "operationId": "file",
                "responses": {
                    "200": {"description": "pdf", "content": {"application/pdf": {"schema": {"type": "string"}}}},
                    "404": {"description": "missing", "content": {"application/json": {"schema": _ref("Thing")}}},
                },
            }
        },
        "/cached": {
            "get": {
                "operationId": "cached",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": _ref("Thing")}}},
                    "303": {"description": "elsewhere", "content": {"application/json": {"schema": _ref("Thing")}}},
                    "304": {"description": "unchanged"},
                    "422": {"description": "invalid"},
                },
            }
        },
        # Bodies without a schema (valid: any content; Greenhouse's): any JSON value, any form fields.
        "/anything": {
            "post": {
                "operationId": "anything",
                "requestBody": {"required": True, "content": {"application/json": {}}},
                "responses": _NO_CONTENT,
            },
            "put": {
                "operationId": "any_fields",
                "requestBody": {"content": {"application/x-www-form-urlencoded": {}}},
                "responses": _NO_CONTENT,
            },
        },
        "/pet": {
            "get": {
                "operationId": "pet",
                "responses": {
                    "200": {
                        "description": "either",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [_ref("Cat"), _ref("Dog")],
                                    "discriminator": {
                                        "propertyName": "kind",
                                        "mapping": {
                                            "cat": "#/components/schemas/Cat",
                                            "dog": "#/components/schemas/Dog",
                                        },
                                    },
                                }
                            }
                        },
                    }
                },
            },
            "patch": {
                "operationId": "cat",
                "responses": {
                    "200": {"description": "a cat", "content": {"application/json": {"schema": _ref("Cat")}}}
                },
            },
        },
        # A body compressed as the caller chooses (Datadog's metrics).
        "/metrics": {
            "post": {
                "operationId": "submit",
                "parameters": [
                    {
                        "name": "Content-Encoding",
                        "in": "header",
                        "schema": {"type": "string", "enum": ["gzip", "deflate", "zstd1"]},
                    }
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Thing")}}},
                "responses": _NO_CONTENT,
            }
        },
        # Media ranges, which are no Content-Type (Jellyfin's application/*+json comes first).
        "/ranged": {
            "post": {
                "operationId": "ranged",
                "requestBody": {
                    "content": {"application/*+json": {"schema": _ref("Thing")}, "text/json": {"schema": _ref("Thing")}}
                },
                "responses": _NO_CONTENT,
            },
            "put": {
                "operationId": "ranged_only",
                "requestBody": {"content": {"application/*+json": {"schema": _ref("Thing")}}},
                "responses": _NO_CONTENT,
            },
            "patch": {
                "operationId": "anything_binary",
                "requestBody": {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": _NO_CONTENT,
            },
        },
        # Content where HTTP allows none (Webflow's heartbeats): the empty body is not read.
        "/touch": {
            "post": {
                "operationId": "touch",
                "responses": {
                    "204": {"description": "done", "content": {"application/json": {"schema": _ref("Thing")}}}
                },
            },
            "head": {
                "operationId": "touched",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("Thing")}}}},
            },
        },
        "/plain": {
            "get": {
                "operationId": "plain",
                "responses": {
                    "default": {"description": "any", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            }
        },
        "/notes": {
            "post": {
                "operationId": "notes",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "note": {"type": "string"},
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                },
                            }
                        }
                    }
                },
                "responses": _NO_CONTENT,
            }
        },
        # Spec text is hostile: a media type that is no valid header text stays out of Accept.
        "/odd": {
            "get": {
                "operationId": "odd",
                "responses": {"200": {"description": "odd", "content": {"text/plain\r\nX-Evil: 1": {}}}},
            }
        },
        "/status": {
            "get": {
                "operationId": "status",
                "responses": {
                    "default": {"description": "any", "content": {"application/json": {"schema": _ref("Thing")}}}
                },
            }
        },
    },
    "components": {
        "schemas": {
            **_SCHEMAS,
            # Told apart by a tag neither requires (GitHub's private and public user).
            "Cat": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "kind": {}}},
            "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}, "kind": {"type": "string"}}},
        }
    },
}

DEPRECATION: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Dep", "version": "1"},
    "servers": [{"url": "https://dep.example.com"}],
    "paths": {
        "/pages": {
            "get": {
                "operationId": "pages",
                "deprecated": True,
                "parameters": [
                    {"name": "next", "in": "query", "schema": {"type": "string"}},
                    {"name": "legacy", "in": "query", "deprecated": True, "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("Page")}}}},
            }
        },
        "/notes": {
            "post": {
                "operationId": "import_notes",
                "deprecated": True,
                "parameters": [{"name": "legacy", "in": "query", "deprecated": True, "schema": {"type": "string"}}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["items"],
                                "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                            }
                        }
                    },
                },
                "responses": _NO_CONTENT,
            }
        },
    },
    "components": {
        "schemas": {
            "Page": {
                "type": "object",
                "properties": {"next": {"type": "string"}, "data": {"type": "array", "items": {"type": "string"}}},
            }
        }
    },
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Any, list[str]]]]:
    """Each spec generated once: ``{package: (module, generation warnings)}``."""
    root = tmp_path_factory.mktemp("semantics")
    built: dict[str, list[str]] = {}
    for package, spec in (("sec", SECURITY), ("media", MEDIA), ("dep", DEPRECATION)):
        (root / f"{package}.json").write_text(json.dumps(spec))
        generated = generate(root / f"{package}.json", package)
        write_tree(generated.files, root / package)
        sys.path.insert(0, str(root / package))
        built[package] = generated.warnings
    try:
        yield {package: (__import__(package), found) for package, found in built.items()}
    finally:
        for package in built:
            sys.path.remove(str(root / package))


@pytest.fixture
def sec(packages: dict[str, tuple[Any, list[str]]], monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in ("ACCESS_TOKEN", "TOKEN", "KEY_API_KEY", "TENANT_API_KEY"):
        monkeypatch.delenv(f"SEC_{name}", raising=False)
    return packages["sec"][0]


def _answer(seen: Seen) -> Reply:
    return Reply(204)


def _credentials(seen: Seen) -> tuple[str | None, str | None, list[str] | None]:
    """(Authorization, X-Key, tenant) as the server received them."""
    query = parse_qs(urlsplit(seen.path).query)
    return seen.headers.get("authorization"), seen.headers.get("x-key"), query.get("tenant")


# --- security ---------------------------------------------------------------------------


def test_unservable_schemes_are_generation_warnings(packages: dict[str, tuple[Any, list[str]]]) -> None:
    found = packages["sec"][1]
    assert [line.split(": ", 1)[0].split("#", 1)[1] for line in found] == [  # in location order
        "/components/securitySchemes/digest",
        "/components/securitySchemes/mtls",
    ]
    assert "http 'digest'" in found[0] and "'mutualTLS'" in found[1]


def test_alternatives_take_whichever_credential_was_given(sec: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(responder=_answer) as server:
        sec.Client(base_url=server.url, token="tok").either()
        sec.Client(base_url=server.url, access_token="acc").either()
        sec.Client(base_url=server.url, access_token="acc").oidc()
        monkeypatch.setenv("SEC_ACCESS_TOKEN", "from-env")
        sec.Client(base_url=server.url).either()
    assert [_credentials(seen)[0] for seen in server.seen] == [
        "Bearer tok",
        "Bearer acc",
        "Bearer acc",
        "Bearer from-env",
    ]


def test_combined_requirements_are_applied_together(sec: Any) -> None:
    async def call_async(url: str) -> None:
        async with sec.AsyncClient(base_url=url, key_api_key="k", tenant_api_key="t") as client:
            await client.both()
            await client.either()  # neither of its credentials was given

    with serve(responder=_answer) as server:
        sec.Client(base_url=server.url, key_api_key="k", tenant_api_key="t").both()
        with pytest.raises(sec.errors.RequestValidationError) as caught:
            asyncio.run(call_async(server.url))
    assert [_credentials(seen) for seen in server.seen] == [(None, "k", ["t"])] * 2
    assert str(caught.value) == (
        "either needs credentials the client was not given: pass access_token (or SEC_ACCESS_TOKEN)"
        " or client_id (or SEC_CLIENT_ID) or token (or SEC_TOKEN)"
    )


def test_parameters_that_carry_keys_are_the_clients_credentials(sec: Any) -> None:
    """Trello's ``key`` and ``token``: each its own alternative of the security, and both required query
    parameters. The parameters are left out of the method; the required one's key is needed in every
    alternative. A key the caller puts in the query itself is sent once, as given."""
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    def client(**credentials: str) -> Any:
        http = httpx.Client(transport=httpx.MockTransport(record))
        return sec.Client(base_url="https://sec.example.com", http_client=http, **credentials)

    assert list(inspect.signature(sec.Client.keyed).parameters)[:2] == ["self", "timeout"]
    client(key_api_key="k", tenant_api_key="t").keyed()
    client(key_api_key="k", tenant_api_key="t").keyed(extra_query={"tenant": "mine"})
    client(tenant_api_key="t").keyed()
    with pytest.raises(sec.errors.RequestValidationError) as caught:
        client(key_api_key="k").keyed()
    assert str(caught.value).endswith(" or tenant_api_key (or SEC_TENANT_API_KEY)")
    assert [(r.headers.get_list("x-key"), r.url.params.get_list("tenant")) for r in sent] == [
        (["k"], ["t"]),
        (["k"], ["mine"]),
        ([], ["t"]),
    ]


def test_a_missing_credential_is_a_clear_error_and_nothing_is_sent(sec: Any) -> None:
    with serve(responder=_answer) as server:
        client = sec.Client(base_url=server.url, key_api_key="k")
        with pytest.raises(sec.errors.RequestValidationError, match=r"pass key_api_key \(or SEC_KEY_API_KEY\) and "):
            client.both()
    assert server.seen == []


def test_unservable_schemes_send_without_them_and_optional_security_still_sends_a_token(sec: Any) -> None:
    with serve(responder=_answer) as server:
        anonymous = sec.Client(base_url=server.url)
        anonymous.mtls()
        anonymous.digest_or_key()
        anonymous.optional()
        sec.Client(base_url=server.url, key_api_key="k").digest_or_key()
        sec.Client(base_url=server.url, token="tok").optional()
    assert [_credentials(seen)[:2] for seen in server.seen] == [
        (None, None),
        (None, None),
        (None, None),
        (None, "k"),
        ("Bearer tok", None),
    ]


def test_access_token_stays_out_of_repr_logs_and_errors(sec: Any, caplog: pytest.LogCaptureFixture) -> None:
    client = sec.Client(base_url="http://127.0.0.1:9", access_token="acc-secret-1", max_retries=0)
    with caplog.at_level(logging.DEBUG, logger="sec"), pytest.raises(sec.errors.APIConnectionError) as caught:
        client.either()
    shown = [repr(client), repr(client._settings), str(caught.value), repr(caught.value), caplog.text]
    assert caplog.records and not [text for text in shown if "acc-secret-1" in text]


def test_mock_api_checks_alternatives_and_combined_schemes(sec: Any) -> None:
    from sec.testing import MockAPI, MockRequestError

    mock = MockAPI()
    client = mock.client()
    for method in ("either", "both", "oidc", "mtls", "digest_or_key", "optional"):
        getattr(client, method)()

    async def call_async() -> None:
        async with mock.async_client() as async_client:
            await async_client.both()

    asyncio.run(call_async())
    assert [call.operation for call in mock.calls][-2:] == ["optional", "both"]
    raw = httpx.Client(transport=mock.transport, base_url=mock.base_url)
    with pytest.raises(MockRequestError, match=r"no credentials for key and tenant$"):
        raw.get("/both", headers={"X-Key": "k"})


# --- bodies, media types and statuses ---------------------------------------------------


def _media_answer(seen: Seen) -> Reply:
    path = urlsplit(seen.path).path
    if path == "/search":
        return Reply(200, {"name": "found"})
    if path == "/report":
        return Reply(200, b"a,b\n1,2\n", {"content-type": "text/csv"})
    if path == "/file":
        return Reply(200, b"%PDF-1.7\x00", {"content-type": "application/pdf"})
    if path == "/cached":
        tag = seen.headers.get("x-case")
        if tag == "303":
            return Reply(303, {"name": "moved"}, {"location": "/elsewhere"})
        return Reply(304) if tag == "304" else Reply(422, b"bad", {"content-type": "text/plain"})
    if path == "/plain":
        return Reply(200, b"hello", {"content-type": "text/plain"})
    return Reply(204)


def test_optional_request_body_is_not_sent_when_omitted(packages: dict[str, tuple[Any, list[str]]]) -> None:
    media = packages["media"][0]

    async def call_async(url: str) -> Any:
        async with media.AsyncClient(base_url=url) as client:
            return await client.search()

    with serve(responder=_media_answer) as server:
        client = media.Client(base_url=server.url)
        assert client.search().name == "found"
        assert client.search(body={"name": "x"}).name == "found"
        assert asyncio.run(call_async(server.url)).name == "found"
    omitted, given, omitted_async = server.seen
    assert omitted.body == b"" and "content-type" not in omitted.headers
    assert json.loads(given.body) == {"name": "x"}
    assert omitted_async.body == b""


def test_mock_api_accepts_an_omitted_optional_body_and_refuses_a_missing_required_one(
    packages: dict[str, tuple[Any, list[str]]],
) -> None:
    from media.testing import MockAPI, MockRequestError

    mock = MockAPI()
    mock.client().search()
    mock.client().create_thing(body={"name": "x"})
    raw = httpx.Client(transport=mock.transport, base_url=mock.base_url)
    with pytest.raises(MockRequestError, match="body is required"):
        raw.post("/things")


def test_accept_names_the_declared_media_types_and_downloads_work(packages: dict[str, tuple[Any, list[str]]]) -> None:
    media = packages["media"][0]

    async def call_async(url: str) -> Any:
        async with media.AsyncClient(base_url=url) as client:
            return await client.file()

    with serve(responder=_media_answer) as server:
        client = media.Client(base_url=server.url)
        assert client.report() == "a,b\n1,2\n"
        assert client.file() == b"%PDF-1.7\x00"
        assert asyncio.run(call_async(server.url)) == b"%PDF-1.7\x00"
        client.search()
        assert client.odd() == ""
    assert [seen.headers["accept"] for seen in server.seen] == [
        "text/csv",
        "application/pdf, application/json",
        "application/pdf, application/json",
        "application/json",
        "*/*",
    ]
    assert "x-evil" not in server.seen[-1].headers


def test_declared_3xx_raise_typed_status_errors(packages: dict[str, tuple[Any, list[str]]]) -> None:
    media = packages["media"][0]
    errors = media.errors

    async def call_async(url: str) -> None:
        async with media.AsyncClient(base_url=url) as client:
            await client.cached(extra_headers={"x-case": "304"})

    with serve(responder=_media_answer) as server:
        client = media.Client(base_url=server.url)
        with pytest.raises(errors.SeeOtherError) as moved:
            client.cached(extra_headers={"x-case": "303"})
        with pytest.raises(errors.NotModifiedError):
            asyncio.run(call_async(server.url))
        with pytest.raises(errors.UnprocessableEntityError):
            client.cached(extra_headers={"x-case": "422"})
    assert moved.value.status_code == 303 and moved.value.headers["location"] == "/elsewhere"
    assert isinstance(moved.value.body, media.models.Thing) and moved.value.body.name == "moved"


def test_a_body_without_a_schema_takes_any_value(packages: dict[str, tuple[Any, list[str]]]) -> None:
    media = packages["media"][0]
    with serve(responder=_media_answer) as server:
        client = media.Client(base_url=server.url)
        client.anything(body=[1, "two", {"three": None}])
        client.any_fields(body={"a": "b", "n": 1})
    sent_json, sent_form = server.seen
    assert json.loads(sent_json.body) == [1, "two", {"three": None}]
    assert sent_form.body == b"a=b&n=1"
    assert sent_form.headers["content-type"] == "application/x-www-form-urlencoded"


def test_a_serialized_body_is_sent_in_the_content_encoding_chosen(packages: dict[str, tuple[Any, list[str]]]) -> None:
    import gzip
    import zlib

    media = packages["media"][0]
    with serve(responder=_media_answer) as server:
        client = media.Client(base_url=server.url)
        client.submit(body={"name": "g"}, content_encoding="gzip")
        client.submit(body={"name": "d"}, content_encoding="deflate")
        client.submit(body={"name": "i"})
        with pytest.raises(media.errors.RequestValidationError, match="'zstd1' encoding: gzip and deflate only"):
            client.submit(body={"name": "z"}, content_encoding="zstd1")
    gzipped, deflated, plain = server.seen
    assert json.loads(gzip.decompress(gzipped.body)) == {"name": "g"} and gzipped.headers["content-encoding"] == "gzip"
    assert json.loads(zlib.decompress(deflated.body)) == {"name": "d"}
    assert json.loads(plain.body) == {"name": "i"} and "content-encoding" not in plain.headers
    from media.testing import MockAPI

    mock = MockAPI()
    mock.client().submit(body={"name": "g"}, content_encoding="gzip")
    assert mock.calls[-1].json == {"name": "g"}


def test_a_union_member_is_read_alone_without_the_tag_it_does_not_require(
    packages: dict[str, tuple[Any, list[str]]],
) -> None:
    media = packages["media"][0]

    def answer(request: httpx.Request) -> httpx.Response:
        body = {"name": "Tom"} if request.method == "PATCH" else {"kind": "dog", "bark": True}
        return httpx.Response(200, json=body)

    client = media.Client(
        base_url="https://media.example.com", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    cat, dog = client.cat(), client.pet()
    assert (
        isinstance(cat, media.models.Cat)
        and cat.kind == "cat"
        and cat.model_dump(exclude_unset=True) == {"name": "Tom"}
    )
    assert isinstance(dog, media.models.Dog) and dog.bark is True


def test_a_body_is_sent_as_a_media_type_never_a_range(packages: dict[str, tuple[Any, list[str]]]) -> None:
    media = packages["media"][0]
    with serve(responder=_media_answer) as server:
        client = media.Client(base_url=server.url)
        client.ranged(body={"name": "a"})
        client.ranged_only(body={"name": "b"})
        client.anything_binary(body=b"\x00")
    assert [seen.headers["content-type"] for seen in server.seen] == [
        "text/json",  # a concrete type of the JSON kind before the range
        "application/json",  # the range alone: the plainest type of its kind
        "application/octet-stream",
    ]


def test_content_declared_where_http_allows_none_is_not_read(packages: dict[str, tuple[Any, list[str]]]) -> None:
    media = packages["media"][0]

    async def call_async(url: str) -> Any:
        async with media.AsyncClient(base_url=url) as client:
            return await client.touch(), await client.touched()

    with serve(responder=_media_answer) as server:
        client = media.Client(base_url=server.url)
        assert (client.touch(), client.touched(), asyncio.run(call_async(server.url))) == (None, None, (None, None))
    assert [(seen.method, seen.headers["accept"]) for seen in server.seen] == [("POST", "*/*"), ("HEAD", "*/*")] * 2
    from media.testing import MockAPI

    assert MockAPI().client().touch() is None


def test_default_only_text_response_returns_its_text(packages: dict[str, tuple[Any, list[str]]]) -> None:
    media = packages["media"][0]

    async def call_async(url: str) -> Any:
        async with media.AsyncClient(base_url=url) as client:
            return await client.plain()

    with serve(responder=_media_answer) as server:
        assert media.Client(base_url=server.url).plain() == "hello"
        assert asyncio.run(call_async(server.url)) == "hello"
    assert server.seen[0].headers["accept"] == "text/plain"
    # Through the mock, a default-only JSON operation answers with its default fixture.
    from media.testing import MockAPI

    assert isinstance(MockAPI().client().status(), media.models.Thing)


def test_multipart_bodies_stay_multipart_with_text_fields_only_or_none(
    packages: dict[str, tuple[Any, list[str]]],
) -> None:
    media = packages["media"][0]

    async def call_async(url: str) -> None:
        async with media.AsyncClient(base_url=url) as client:
            await client.notes(body={})

    with serve(responder=_media_answer) as server:
        media.Client(base_url=server.url).notes(body={"note": "hi", "tags": ["a", "b"]})
        asyncio.run(call_async(server.url))
    fields, empty = server.seen
    for seen in (fields, empty):
        assert seen.headers["content-type"].startswith("multipart/form-data; boundary=")
    boundary = fields.headers["content-type"].split("boundary=")[1]
    parts = fields.body.split(f"--{boundary}".encode())
    assert [part.split(b"\r\n\r\n") for part in parts[1:-1]] == [
        [b'\r\nContent-Disposition: form-data; name="note"', b"hi\r\n"],
        [b'\r\nContent-Disposition: form-data; name="tags"', b"a\r\n"],
        [b'\r\nContent-Disposition: form-data; name="tags"', b"b\r\n"],
    ]
    assert empty.body == f"--{empty.headers['content-type'].split('boundary=')[1]}--\r\n".encode()
    from media.testing import MockAPI, load_fixture

    assert MockAPI().client().notes(body=load_fixture("notes", "request")) is None


# --- deprecation warnings ---------------------------------------------------------------


def _pages(seen: Seen) -> Reply:
    return Reply(200, {"data": ["a"]})


def _deprecations(caught: list[warnings.WarningMessage]) -> list[tuple[str, str, int]]:
    """(message, file, line) of each deprecation warning; others (a socket collected late) do not count."""
    return [(str(w.message), w.filename, w.lineno) for w in caught if issubclass(w.category, DeprecationWarning)]


def test_deprecation_warnings_point_at_the_callers_line_through_every_wrapper(
    packages: dict[str, tuple[Any, list[str]]],
) -> None:
    # Each entry point warns once, from its own body: a bulk helper once per call, not once per batch
    # from a worker thread or task (whose stack holds no line of the caller).
    dep = packages["dep"][0]
    line = sys._getframe().f_lineno

    async def call_async(url: str) -> None:
        async with dep.AsyncClient(base_url=url) as client:
            await client.pages(legacy="x")  # line + 4
            await client.with_raw_response.pages()  # line + 5
            [item async for item in client.pages_iter()]  # line + 6
            await client.import_notes_in_batches(["a", "b"], batch_size=1, legacy="x")  # line + 7

    with serve(responder=_pages) as server, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = dep.Client(base_url=server.url)
        client.pages(legacy="x")  # line + 12
        client.with_raw_response.pages()  # line + 13
        list(client.pages_iter())  # line + 14
        report = client.import_notes_in_batches(["a", "b"], batch_size=1, legacy="x")  # line + 15
        asyncio.run(call_async(server.url))
    assert report.succeeded == 2
    operation, parameter = "pages is deprecated by the API", "pages(legacy=...) is deprecated by the API"
    bulk, bulk_parameter = (text.replace("pages", "import_notes") for text in (operation, parameter))
    here = str(Path(__file__))
    assert _deprecations(caught) == [
        (operation, here, line + 12),
        (parameter, here, line + 12),
        (operation, here, line + 13),
        (operation, here, line + 14),
        (bulk, here, line + 15),
        (bulk_parameter, here, line + 15),
        (operation, here, line + 4),
        (parameter, here, line + 4),
        (operation, here, line + 5),
        (operation, here, line + 6),
        (bulk, here, line + 7),
        (bulk_parameter, here, line + 7),
    ]


# --- output independent of the Python version -------------------------------------------


def test_error_class_names_come_from_a_fixed_table() -> None:
    # Names users catch; Python 3.13's http.HTTPStatus renamed 413, 414, 416 and 422.
    assert {status: error_class(status) for status in (404, 413, 414, 416, 422, 429, 599)} == {
        404: "NotFoundError",
        413: "RequestEntityTooLargeError",
        414: "RequestURITooLongError",
        416: "RequestedRangeNotSatisfiableError",
        422: "UnprocessableEntityError",
        429: "RateLimitError",
        599: "Status599Error",
    }
    renamed = {413, 414, 416, 422}
    # Every status this Python knows is in the table, with its phrase unless it is one of the renamed.
    differing = {status.value for status in http.HTTPStatus if PHRASES.get(status.value) != status.phrase}
    assert differing <= renamed
    assert {status.value for status in http.HTTPStatus} <= set(PHRASES)
