"""OAuth 2 client credentials, idempotency keys and hooks: generated from a small inline spec,
called over loopback HTTP with the blocking and the async client; the token cache unit-tested
with an injected clock (no sockets, no sleeps)."""

from __future__ import annotations

import asyncio
import base64
import importlib
import inspect
import json
import logging
import math
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from loopback import Reply, Seen, serve

CLIENT_ID = "client-1"
SECRET = "s3cr3t/+ &client"
TOKEN_PREFIX = "tok-"


def _spec(*, token_auth: str | None = None, root_idempotency: Any = None) -> dict[str, Any]:
    flow: dict[str, Any] = {"tokenUrl": "/oauth/token", "scopes": {}}
    if token_auth:
        flow["x-token-endpoint-auth-method"] = token_auth
    thing = {"type": "object", "properties": {"id": {"type": "string"}}}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Auth Test", "version": "1.0.0"},
        "paths": {
            "/things": {
                "get": {"operationId": "listThing", "responses": ok},
                "post": {
                    "operationId": "createThing",
                    "parameters": [
                        {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": {"content": {"application/json": {"schema": thing}}},
                    "responses": ok,
                },
            },
            "/things/{id}": {
                "patch": {
                    "operationId": "renameThing",
                    "x-idempotency-key": "X-Request-Key",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": ok,
                },
                "delete": {
                    "operationId": "dropThing",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": ok,
                },
            },
        },
        "components": {"securitySchemes": {"cc": {"type": "oauth2", "flows": {"clientCredentials": flow}}}},
        "security": [{"cc": []}],
    }
    if root_idempotency is not None:
        spec["x-idempotency-key"] = root_idempotency
    return spec


@pytest.fixture(scope="module")
def import_generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[dict[str, Any], str], Any]]:
    """conftest's fixture, once per module: each package is generated once for all the tests here."""
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    built: dict[str, Any] = {}
    folders: list[str] = []

    def build(spec: dict[str, Any], package: str) -> Any:
        if package not in built:
            root = tmp_path_factory.mktemp(package)
            (root / "spec.json").write_text(json.dumps(spec))
            write_tree(generate(root / "spec.json", package).files, root / "out")
            folders.append(str(root / "out"))
            sys.path.insert(0, folders[-1])
            built[package] = importlib.import_module(package)
        return built[package]

    yield build
    for folder in folders:
        sys.path.remove(folder)
    for name in [n for n in sys.modules if n.split(".")[0] in built]:
        del sys.modules[name]


@pytest.fixture
def auth_test(import_generated: Any) -> Any:
    return import_generated(_spec(), "auth_test")


class TokenServer:
    """A token endpoint and an API on one loopback server; the API accepts only the latest token
    (or every token ever issued, with ``accept_all``)."""

    def __init__(self, expires_in: Any = 3600, refuse: bool = False) -> None:
        self.issued: list[str] = []
        self.expires_in = expires_in
        self.refuse = refuse
        self.lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        if seen.path == "/oauth/token":
            with self.lock:
                token = f"{TOKEN_PREFIX}{len(self.issued) + 1}"
                self.issued.append(token)
            return Reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in})
        if self.refuse or seen.headers.get("authorization") != f"Bearer {self.issued[-1]}":
            return Reply(401, {"message": "bad token"})
        return Reply(200, {"id": "1"})


def _run(auth_test: Any, url: str, use_async: bool, call: Callable[[Any], Any], **options: Any) -> Any:
    options = {"base_url": url, "client_id": CLIENT_ID, "client_secret": SECRET, "max_retries": 0, **options}
    if not use_async:
        with auth_test.Client(**options) as client:
            return call(client)

    async def run() -> Any:
        async with auth_test.AsyncClient(**options) as client:
            result = call(client)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(run())


def _two_calls(client: Any) -> Any:
    if asyncio.iscoroutinefunction(client.list_thing):

        async def both() -> list[Any]:
            return [await client.list_thing(), await client.list_thing()]

        return both()
    return [client.list_thing(), client.list_thing()]


# --- OAuth 2 client credentials ------------------------------------------------------------


@pytest.mark.parametrize("use_async", [False, True])
def test_token_fetched_once_with_basic_auth_and_sent_as_bearer(auth_test: Any, use_async: bool) -> None:
    server_state = TokenServer()
    with serve(responder=server_state) as server:
        results = _run(auth_test, server.url, use_async, _two_calls)
    assert [r.id for r in results] == ["1", "1"]
    token_requests = [s for s in server.seen if s.path == "/oauth/token"]
    assert len(token_requests) == 1  # cached for the second call
    (fetch,) = token_requests
    assert fetch.method == "POST"
    assert parse_qs(fetch.body.decode()) == {"grant_type": ["client_credentials"]}
    # RFC 6749 2.3.1: form-encoded, then Basic.
    scheme, _, encoded = fetch.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == "client-1:s3cr3t%2F%2B+%26client"
    assert [s.headers["authorization"] for s in server.seen if s.path == "/things"] == ["Bearer tok-1"] * 2


@pytest.mark.parametrize("use_async", [False, True])
def test_client_secret_post_where_the_document_asks(import_generated: Any, use_async: bool) -> None:
    package = import_generated(_spec(token_auth="client_secret_post"), "auth_post")
    with serve(responder=TokenServer()) as server:
        _run(package, server.url, use_async, lambda c: c.list_thing())
    fetch = server.seen[0]
    assert "authorization" not in fetch.headers
    assert parse_qs(fetch.body.decode()) == {
        "grant_type": ["client_credentials"],
        "client_id": [CLIENT_ID],
        "client_secret": [SECRET],
    }


@pytest.mark.parametrize("use_async", [False, True])
def test_credentials_from_the_environment(auth_test: Any, use_async: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_TEST_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AUTH_TEST_CLIENT_SECRET", SECRET)
    with serve(responder=TokenServer()) as server:
        _run(auth_test, server.url, use_async, lambda c: c.list_thing(), client_id=None, client_secret=None)
    assert server.seen[0].path == "/oauth/token"


def test_a_client_id_without_a_secret_is_a_clear_error(auth_test: Any) -> None:
    with pytest.raises(auth_test.errors.APIError, match=r"client_secret is missing: .*AUTH_TEST_CLIENT_SECRET"):
        auth_test.Client(base_url="http://127.0.0.1:9", client_id=CLIENT_ID)


@pytest.mark.parametrize("use_async", [False, True])
def test_a_refused_token_is_renewed_once(auth_test: Any, use_async: bool) -> None:
    # The API accepts only the latest token: the cached one is refused after a second fetch elsewhere.
    state = TokenServer()

    def call(client: Any) -> Any:
        async def go() -> Any:
            first = await client.list_thing()
            state.issued.append("tok-revoked-elsewhere")
            return [first, await client.list_thing()]

        if asyncio.iscoroutinefunction(client.list_thing):
            return go()
        first = client.list_thing()
        state.issued.append("tok-revoked-elsewhere")
        return [first, client.list_thing()]

    # Every token but the newest is refused: the renewed one is tok-3 (tok-2 is taken by the append).
    with serve(responder=state) as server:
        results = _run(auth_test, server.url, use_async, call)
    assert [r.id for r in results] == ["1", "1"]
    assert [s.path for s in server.seen] == ["/oauth/token", "/things", "/things", "/oauth/token", "/things"]


@pytest.mark.parametrize("use_async", [False, True])
def test_refused_twice_is_a_clear_error_without_secrets(
    auth_test: Any, use_async: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with serve(responder=TokenServer(refuse=True)) as server:
        with pytest.raises(auth_test.errors.AuthenticationError) as caught:
            _run(auth_test, server.url, use_async, lambda c: c.list_thing())
    assert [s.path for s in server.seen] == ["/oauth/token", "/things", "/oauth/token", "/things"]
    error = caught.value
    assert "HTTP 401" in str(error)
    for text in (str(error), repr(error), repr(error.__dict__), caplog.text):
        assert SECRET not in text and TOKEN_PREFIX not in text and "czNjcjN0" not in text


@pytest.mark.parametrize("use_async", [False, True])
def test_a_failing_token_endpoint_is_a_clear_error_without_secrets(auth_test: Any, use_async: bool) -> None:
    reply = Reply(401, {"error": "invalid_client", "error_description": "unknown client"})
    with serve(responder=lambda seen: reply) as server:
        with pytest.raises(auth_test.errors.AuthenticationError) as caught:
            _run(auth_test, server.url, use_async, lambda c: c.list_thing())
    assert [s.path for s in server.seen] == ["/oauth/token"]
    error = caught.value
    assert (
        str(error) == f"OAuth 2 token request to {server.url}/oauth/token failed: HTTP 401 Unauthorized: invalid_client"
    )
    assert "authorization" not in error.request.headers and error.request.content == b""


@pytest.mark.parametrize("use_async", [False, True])
def test_concurrent_calls_share_one_token_fetch(auth_test: Any, use_async: bool) -> None:
    calls = 8
    state = TokenServer()
    release = threading.Event()

    def responder(seen: Seen) -> Reply:
        if seen.path == "/oauth/token":
            release.wait(10)  # every call is waiting on this one fetch by now, or never fetches
        return state(seen)

    with serve(responder=responder) as server:
        options = {"base_url": server.url, "client_id": CLIENT_ID, "client_secret": SECRET}
        if use_async:

            async def run() -> list[Any]:
                async with auth_test.AsyncClient(**options) as client:
                    tasks = [asyncio.create_task(client.list_thing()) for _ in range(calls)]
                    await asyncio.sleep(0)
                    while len(server.seen) < 1:
                        await asyncio.sleep(0.01)
                    release.set()
                    return list(await asyncio.gather(*tasks))

            results = asyncio.run(run())
        else:
            with auth_test.Client(**options) as client:
                out: list[Any] = []
                threads = [threading.Thread(target=lambda: out.append(client.list_thing())) for _ in range(calls)]
                for thread in threads:
                    thread.start()
                while len(server.seen) < 1:
                    threading.Event().wait(0.01)
                release.set()
                for thread in threads:
                    thread.join()
                results = out
    assert len(results) == calls
    assert [s.path for s in server.seen].count("/oauth/token") == 1


def test_secrets_not_in_repr(auth_test: Any) -> None:
    client = auth_test.Client(base_url="http://127.0.0.1:9", client_id=CLIENT_ID, client_secret=SECRET)
    texts = [repr(client), repr(client.__dict__), repr(client._tokens), repr(client._tokens._caches)]
    assert not any(SECRET in text for text in texts)


def test_token_cache_renews_shortly_before_expiry(auth_test: Any) -> None:
    from auth_test._oauth import TokenCache
    from auth_test._response import Received
    from auth_test._runtime import Secret

    now = [1000.0]
    cache = TokenCache(
        httpx.URL("https://auth.example/token"), "client_secret_basic", Secret("a"), Secret("b"), lambda: now[0]
    )

    def answer(payload: Any, status: int = 200) -> Any:
        return cache.accept(Received(httpx.Response(status), json.dumps(payload).encode()))

    assert cache.stale()
    assert answer({"access_token": "t1", "token_type": "bearer", "expires_in": 300}) is None
    assert not cache.stale()
    now[0] += 300 - 31
    assert not cache.stale()
    now[0] += 2
    assert cache.stale()  # 30 s before expiry
    assert answer({"access_token": "t2", "expires_in": 10}) is None
    now[0] += 4
    assert not cache.stale()
    now[0] += 1
    assert cache.stale()  # half the life of a short-lived token
    assert answer({"access_token": "t3", "expires_in": "nonsense"}) is None
    now[0] += 1e9
    assert not cache.stale()  # no usable expires_in: kept until refused
    assert cache.stale(refused="t3") and not cache.stale(refused="t2")
    assert isinstance(answer({"token_type": "bearer"}), auth_test.errors.APIResponseValidationError)
    assert isinstance(answer({"access_token": "x", "token_type": "mac"}), auth_test.errors.APIResponseValidationError)
    assert isinstance(answer({"access_token": "bad\nvalue"}), auth_test.errors.APIResponseValidationError)
    assert math.isinf(cache._renew_at)


def test_every_realworld_oauth2_shape_builds_and_calls_without_key_errors(import_generated: Any) -> None:
    spec = _spec()
    # An implicit-only flow and openIdConnect beside client credentials, given a token.
    spec["components"]["securitySchemes"] |= {
        "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "/a", "scopes": {}}}},
        "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x/.well-known"},
    }
    # A client credentials scheme given only a token sends it (its client_id and secret are absent).
    spec["security"] = [{"cc": []}, {"implicit": []}, {"oidc": []}]
    package = import_generated(spec, "auth_shapes")
    with serve([Reply(200, {"id": "1"})]) as server:
        with package.Client(base_url=server.url, access_token="given") as client:
            assert client.list_thing().id == "1"
    assert server.seen[0].headers["authorization"] == "Bearer given"


# --- idempotency -----------------------------------------------------------------------------


@pytest.mark.parametrize("use_async", [False, True])
def test_one_idempotency_key_per_call_the_same_on_every_retry(import_generated: Any, use_async: bool) -> None:
    package = import_generated(_spec(), "idem_test")
    replies = [Reply(503, headers={"retry-after": "0"}), Reply(200, {"id": "1"})] * 2 + [Reply(200, {"id": "1"})]

    def calls(client: Any) -> Any:
        async def go() -> None:
            await client.create_thing(body={})
            await client.create_thing(body={})
            await client.rename_thing(id="a")
            await client.create_thing(body={}, idempotency_key="mine")

        if asyncio.iscoroutinefunction(client.create_thing):
            return go()
        client.create_thing(body={})
        client.create_thing(body={})
        client.rename_thing(id="a")
        client.create_thing(body={}, idempotency_key="mine")
        return None

    with serve(replies) as server:
        _run(package, server.url, use_async, calls, access_token="t", max_retries=2)
    keys = [s.headers.get("idempotency-key") or s.headers.get("x-request-key") for s in server.seen]
    assert len(keys) == 6 and all(keys)
    assert keys[0] == keys[1] and keys[2] == keys[3]  # the same on the retry
    assert keys[0] != keys[2]  # one per call
    assert "x-request-key" in server.seen[4].headers  # the operation's x-idempotency-key
    assert keys[5] == "mine"
    assert "idempotency-key" not in server.seen[4].headers


def test_document_wide_idempotency_extension_covers_unsafe_methods(import_generated: Any) -> None:
    package = import_generated(_spec(root_idempotency=True), "idem_root")
    with serve([Reply(200, {"id": "1"})]) as server:
        with package.Client(base_url=server.url, access_token="t") as client:
            client.list_thing()
            client.drop_thing(id="a")
    assert "idempotency-key" not in server.seen[0].headers  # GET is safe
    assert len(server.seen[1].headers["idempotency-key"]) == 36


# --- hooks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("use_async", [False, True])
def test_hooks_see_and_change_each_attempt_and_the_error(auth_test: Any, use_async: bool) -> None:
    events: list[str] = []

    def before(request: httpx.Request) -> None:
        events.append(f"before {request.method} {request.url.path}")
        request.headers["X-Trace"] = "t-1"

    def after(response: httpx.Response) -> None:
        events.append(f"after {response.status_code}")

    async def on_error(error: Exception) -> None:
        events.append(f"error {type(error).__name__}")

    hooks = auth_test.Hooks(
        before_request=[before], after_response=[after], on_error=[on_error] if use_async else [events.append]
    )
    replies = [Reply(503, headers={"retry-after": "0"}), Reply(200, {"id": "1"}), Reply(404, {"message": "gone"})]
    with serve(replies) as server:
        _run(
            auth_test,
            server.url,
            use_async,
            lambda c: c.list_thing(),
            access_token="t",
            max_retries=1,
            hooks=hooks,
        )
        with pytest.raises(auth_test.errors.NotFoundError):
            _run(auth_test, server.url, use_async, lambda c: c.list_thing(), access_token="t", hooks=hooks)
    assert all(s.headers["x-trace"] == "t-1" for s in server.seen)
    assert events[:4] == ["before GET /things", "after 503", "before GET /things", "after 200"]
    assert events[4:6] == ["before GET /things", "after 404"]
    assert len(events) == 7 and (
        events[6] == "error NotFoundError" or isinstance(events[6], auth_test.errors.NotFoundError)
    )


def test_hooks_never_see_the_token_request(auth_test: Any) -> None:
    seen: list[str] = []
    hooks = auth_test.Hooks(before_request=[lambda request: seen.append(request.url.path)])
    with serve(responder=TokenServer()) as server:
        _run(auth_test, server.url, False, lambda c: c.list_thing(), hooks=hooks)
    assert seen == ["/things"]


def test_an_async_hook_on_the_blocking_client_is_a_clear_error(auth_test: Any) -> None:
    async def hook(request: httpx.Request) -> None:
        pass

    with serve([Reply(200, {"id": "1"})]) as server:
        with pytest.raises(TypeError, match="is async: give it to the AsyncClient"):
            _run(
                auth_test,
                server.url,
                False,
                lambda c: c.list_thing(),
                access_token="t",
                hooks=auth_test.Hooks(before_request=[hook]),
            )


def test_an_idempotency_header_every_operation_requires_is_not_a_client_wide_option(import_generated: Any) -> None:
    # A required header every operation takes becomes a client option, one value for every call:
    # for an idempotency key that would make the server drop every call after the first.
    spec = _spec()
    spec["paths"] = {"/things": {"post": spec["paths"]["/things"]["post"]}}
    package = import_generated(spec, "idem_only")
    assert "idempotency_key" not in inspect.signature(package.Client).parameters
    with serve([Reply(200, {"id": "1"})]) as server:
        with package.Client(base_url=server.url, access_token="t") as client:
            client.create_thing(body={})
            client.create_thing(body={})
    first, second = (seen.headers["idempotency-key"] for seen in server.seen)
    assert first != second
