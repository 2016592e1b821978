"""The generated client against hostile servers and hostile input, over real loopback HTTP.

Each test holds one guarantee of the README's security section: the size cap on
decoded bytes, the per-attempt deadline, no credentials in the base URL, one
error hierarchy, one path segment per parameter, any number of concurrent calls,
no redirect followed, and the host's garbage collector left alone.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import gzip
import json
import re
import socket
import sys
import threading
import time
import traceback
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from loopback import Reply, Seen, serve
from stackone_lms import AsyncClient, Client, errors
from stackone_lms.__main__ import main as cli_main

ACCEPTED = {
    "statusCode": 202,
    "message": "Batch operation accepted",
    "timestamp": "2021-01-01T01:01:01.000Z",
    "errors": [[]],
}
BODY = {"items": [{"external_reference": "c-1", "title": "T"}]}
SECRET = "s3cr3t-PASSWORD"


def client(url: str, **options: Any) -> Client:
    options.setdefault("username", "key")
    options.setdefault("account_id", "acc-1")
    return Client(base_url=url, **options)


def async_client(url: str, **options: Any) -> AsyncClient:
    options.setdefault("username", "key")
    options.setdefault("account_id", "acc-1")
    return AsyncClient(base_url=url, **options)


def call(url: str, *, use_async: bool, **options: Any) -> Any:
    """One batch upsert through the blocking or the async client."""
    if not use_async:
        with client(url, **options) as blocking:
            return blocking.lms_batch_upsert_course(body=BODY)

    async def run() -> Any:
        async with async_client(url, **options) as ac:
            return await ac.lms_batch_upsert_course(body=BODY)

    return asyncio.run(run())


# --- 1. the size cap applies to decoded bytes, for any chain of encodings ---------------


@functools.cache
def _gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzipped twice (``Content-Encoding: gzip, gzip``), built without holding them."""
    inner = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1024 * 1024)
    layer = b"".join(inner.compress(block) for _ in range(size // len(block))) + inner.flush()
    return gzip.compress(layer, 9)


@pytest.mark.parametrize("use_async", [False, True])
def test_stacked_gzip_bomb_is_refused_with_bounded_memory(use_async: bool) -> None:
    bomb = _gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    with serve([Reply(202, bomb, {"content-encoding": "gzip, gzip"})]) as server:
        tracemalloc.start()
        try:
            with pytest.raises(errors.APIResponseTooLargeError):
                call(server.url, use_async=use_async, max_response_bytes=1024 * 1024, max_retries=0)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # httpx's own decoder inflated the inner layer in one piece: 64 MB for this bomb.
    assert peak < 16 * 1024 * 1024


def test_stacked_encodings_decode_and_bad_ones_are_typed_errors() -> None:
    twice = gzip.compress(zlib.compress(json.dumps(ACCEPTED).encode()))
    replies = [
        Reply(202, twice, {"content-encoding": "deflate, gzip"}),
        Reply(202, gzip.compress(json.dumps(ACCEPTED).encode()) + b"trailing", {"content-encoding": "gzip"}),
        Reply(202, b"\x1f\x8b not gzip at all", {"content-encoding": "gzip"}),
        Reply(202, b"...", {"content-encoding": "br"}),
    ]
    with serve(replies) as server:
        blocking = client(server.url, max_retries=0)
        assert blocking.lms_batch_upsert_course(body=BODY).errors == [[]]
        assert blocking.lms_batch_upsert_course(body=BODY).errors == [[]]
        with pytest.raises(errors.APIResponseDecodingError, match="not valid"):
            blocking.lms_batch_upsert_course(body=BODY)
        with pytest.raises(errors.APIResponseDecodingError, match="cannot decode"):
            blocking.lms_batch_upsert_course(body=BODY)


# --- 2. a wall-clock deadline per attempt, whatever the server does ----------------------


@contextmanager
def trickling_server(*, headers_too: bool, interval: float = 0.05) -> Iterator[str]:
    """Answers every request with a 202 sent one byte every ``interval`` seconds (about 15 s in all).

    Each read of the client gets a byte long before its read timeout, so only a
    deadline on the whole attempt can end the call early.
    """
    body = json.dumps(ACCEPTED).encode() + b" " * 100
    head = (
        b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\n"
        + b"x-pad: "
        + b"a" * 100
        + b"\r\n"
        + b"content-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
    )
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def answer(connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(65536)
            slow = head + body
            if not headers_too:
                connection.sendall(head)
                slow = body
            for byte in slow:
                if stop.is_set():
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(interval)

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_trickling_server_cannot_hold_a_call_past_its_deadline(use_async: bool, headers_too: bool) -> None:
    with trickling_server(headers_too=headers_too) as url:
        with pytest.raises(errors.APITimeoutError, match=r"DeadlineExceeded|ReadTimeout"):
            call(url, use_async=use_async, timeout=0.5, max_retries=0)


def test_trickled_body_is_cut_with_a_callers_http_client_too() -> None:
    with trickling_server(headers_too=False) as url, httpx.Client() as http_client:
        with pytest.raises(errors.APITimeoutError, match="DeadlineExceeded"):
            client(url, http_client=http_client, timeout=0.5, max_retries=0).lms_batch_upsert_course(body=BODY)


# --- 3. no credentials in the base URL --------------------------------------------------


def _assert_secret_absent(error: BaseException) -> None:
    assert SECRET not in "".join(traceback.format_exception(error))


def test_userinfo_in_base_url_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.APIError, match="must not contain credentials") as caught:
        Client(base_url=f"https://key:{SECRET}@api.example.com", username="key", account_id="a")
    _assert_secret_absent(caught.value)
    with pytest.raises(errors.APIError, match="must not contain credentials") as caught:
        AsyncClient(base_url=httpx.URL(f"https://{SECRET}@api.example.com"), username="key", account_id="a")
    _assert_secret_absent(caught.value)
    monkeypatch.setenv("STACKONE_LMS_BASE_URL", f"https://key:{SECRET}@api.example.com")
    with pytest.raises(errors.APIError, match="must not contain credentials") as caught:
        Client(username="key", account_id="a")
    _assert_secret_absent(caught.value)
    with pytest.raises(errors.APIError, match="not a valid URL") as caught:
        Client(base_url=f"https://key:{SECRET}@[::1", username="key", account_id="a")
    _assert_secret_absent(caught.value)


def test_cli_refuses_userinfo_without_echoing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"external_reference": "c-1", "title": "T"}) + "\n")
    monkeypatch.setenv("STACKONE_LMS_USERNAME", "key")
    monkeypatch.setenv("STACKONE_LMS_ACCOUNT_ID", "acc-1")
    monkeypatch.setenv("STACKONE_LMS_BASE_URL", f"https://key:{SECRET}@api.example.com")
    assert cli_main(["batch-upsert-course", str(items)]) == 2
    out = capsys.readouterr()
    assert "must not contain credentials" in out.err and SECRET not in out.err + out.out


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Sec Path", "version": "1"},
    "servers": [{"url": f"https://robot:{SECRET}@api.example.com/v1"}],
    "paths": {
        "/tenants/{tenant}/items/{item}": {
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    for name in ("tenant", "item")
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
    },
}


@pytest.fixture(scope="module")
def sec_path(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A package generated from SPEC, its warnings and its files."""
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    folder = tmp_path_factory.mktemp("sec_path")
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(SPEC))
    generated = generate(spec_path, "sec_path")
    write_tree(generated.files, folder / "out")
    sys.path.insert(0, str(folder / "out"))
    try:
        import sec_path as package  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(folder / "out"))
    return package, generated


def test_generation_strips_userinfo_from_the_server_url(sec_path: Any) -> None:
    package, generated = sec_path
    assert any("/servers/0/url" in warning and "credentials" in warning for warning in generated.warnings)
    assert all(SECRET.encode() not in content for content in generated.files.values())
    assert not any(SECRET in warning for warning in generated.warnings)
    default = package.Client()
    assert str(default._settings.base_url) == "https://api.example.com/v1" and SECRET not in repr(default)


# --- 4. every failure of a call is an APIError -----------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"extra_headers": {"X-Note": "caf\u00e9"}},  # UnicodeEncodeError in httpx
        {"extra_headers": {"X-Note": "a\x01b"}},
        {"extra_headers": {"X-Note": f" {SECRET}"}},  # h11 echoes the value in its error
        {"extra_headers": {"X Note": "v"}},
        {"extra_headers": {"Content-Length": "5"}},  # h11.LocalProtocolError, unwrapped
        {"x_account_id": "acc-\u00e9"},
    ],
)
def test_unsendable_headers_are_request_validation_errors(options: dict[str, Any]) -> None:
    with serve([Reply(202, ACCEPTED)]) as server:
        with pytest.raises(errors.RequestValidationError) as caught:
            client(server.url).lms_batch_upsert_course(body=BODY, **options)
    assert server.seen == [] and SECRET not in str(caught.value)


def test_protocol_errors_of_the_http_library_become_api_errors() -> None:
    def forge_length(request: httpx.Request) -> None:
        request.headers["Content-Length"] = "1"  # a caller's hook breaking the framing

    with serve([Reply(202, ACCEPTED)]) as server:
        with httpx.Client(event_hooks={"request": [forge_length]}) as http_client:
            with pytest.raises(errors.APIConnectionError, match="LocalProtocolError"):
                client(server.url, http_client=http_client).lms_batch_upsert_course(body=BODY)


def test_a_content_length_of_other_digits_is_no_size_and_no_crash() -> None:
    """``"²".isdigit()`` holds and ``int("²")`` fails: a server's header of such digits is not a length."""

    def answer(request: httpx.Request) -> httpx.Response:
        headers = [(b"content-type", b"application/json"), (b"content-length", "²".encode("latin-1"))]
        return httpx.Response(202, headers=headers, stream=httpx.ByteStream(json.dumps(ACCEPTED).encode()))

    with httpx.Client(transport=httpx.MockTransport(answer)) as http_client:
        accepted = client("https://api.example.com", http_client=http_client).lms_batch_upsert_course(body=BODY)
    assert accepted.status_code == 202


def test_a_broken_batch_does_not_abort_a_bulk_run() -> None:
    def responder(seen: Seen) -> Reply:
        if b'"c-1"' in seen.body:
            return Reply(202, b"\x1f\x8b broken", {"content-encoding": "gzip"})
        return Reply(202, {**ACCEPTED, "errors": [[], []]})

    items = [{"external_reference": f"c-{i}", "title": "T"} for i in range(6)]
    with serve(responder=responder) as server:
        report = client(server.url, max_retries=0).lms_batch_upsert_course_in_batches(
            items, batch_size=2, max_concurrency=2
        )
    assert report.total == 6 and report.succeeded == 4
    assert [f.index for f in report.failed] == [0, 1]
    assert isinstance(report.batches[0].error, errors.APIResponseDecodingError)


# --- 5. a path parameter is always exactly one segment ---------------------------------


@pytest.mark.parametrize(
    ("tenant", "sent"),
    [("..", "%2E%2E"), (".", "%2E"), ("a/../b", "a%2F..%2Fb"), ("...", "..."), ("%2e", "%252e")],
)
def test_dot_segments_stay_one_segment(sec_path: Any, tenant: str, sent: str) -> None:
    package, _ = sec_path
    with serve([Reply(200, {})]) as server:
        package.Client(base_url=server.url + "/v1").get_item(tenant=tenant, item="x")
    assert server.seen[0].path == f"/v1/tenants/{sent}/items/x"


def test_empty_path_parameter_is_refused(sec_path: Any) -> None:
    package, _ = sec_path
    with serve([Reply(200, {})]) as server:
        with pytest.raises(package.errors.RequestValidationError, match=r"'tenant'.* is empty"):
            package.Client(base_url=server.url).get_item(tenant="", item="x")
    assert server.seen == []


# --- 6. any number of concurrent calls on one AsyncClient completes ---------------------


@contextmanager
def fast_server() -> Iterator[str]:
    """A keep-alive HTTP/1.1 server on its own event loop answering every request with a 202."""
    payload = json.dumps(ACCEPTED).encode()
    reply = (
        b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(payload)).encode()
        + b"\r\n\r\n"
        + payload
    )
    loop = asyncio.new_event_loop()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                await reader.readexactly(int(length.group(1)) if length else 0)
                writer.write(reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    handlers: set[asyncio.Task[None]] = set()

    async def track(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            await handle(reader, writer)
        finally:
            handlers.discard(task)

    async def shut_down() -> None:
        server.close()
        for task in list(handlers):
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    server = loop.run_until_complete(asyncio.start_server(track, "127.0.0.1", 0, backlog=4096))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        asyncio.run_coroutine_threadsafe(shut_down(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def test_hundreds_of_concurrent_calls_on_one_async_client_all_complete() -> None:
    """Without a bound, httpcore's pool stalls when hundreds of requests wait in it: every call times out."""
    in_flight = 0
    most = 0

    async def started(request: httpx.Request) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)

    async def finished(response: httpx.Response) -> None:
        nonlocal in_flight
        in_flight -= 1

    async def run(url: str) -> list[Any]:
        hooks = {"request": [started], "response": [finished]}
        limits = httpx.Limits(max_connections=10)
        async with httpx.AsyncClient(event_hooks=hooks, limits=limits) as http_client:
            ac = async_client(url, http_client=http_client, max_connections=10, max_retries=0)
            return await asyncio.gather(*[ac.lms_batch_upsert_course(body=BODY) for _ in range(300)])

    with fast_server() as url:
        results = asyncio.run(run(url))
    assert len(results) == 300 and most == 10


# --- 7. credentials never follow a redirect to another origin ----------------------------


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_redirects_are_not_followed_even_by_a_following_http_client(status: int, use_async: bool) -> None:
    with serve([Reply(202, ACCEPTED)]) as other, serve([Reply(status, b"", {"location": other.url + "/steal"})]) as api:

        async def run_async() -> None:
            async with httpx.AsyncClient(follow_redirects=True) as http_client:
                await async_client(api.url, http_client=http_client, password=SECRET).lms_batch_upsert_course(body=BODY)

        with pytest.raises(errors.APIStatusError) as caught:
            if use_async:
                asyncio.run(run_async())
            else:
                with httpx.Client(follow_redirects=True) as http_client:
                    client(api.url, http_client=http_client, password=SECRET).lms_batch_upsert_course(body=BODY)
    assert caught.value.status_code == status
    assert caught.value.headers["location"] == other.url + "/steal"
    assert other.seen == [] and len(api.seen) == 1


# --- 8. the host's garbage collector is left alone ---------------------------------------


@pytest.mark.parametrize("pause_gc", [False, True])
def test_the_garbage_collector_is_left_alone_unless_asked(pause_gc: bool) -> None:
    """While the collector runs, each collection starts once about ``threshold`` objects were
    allocated; after a pause, the first one finds every object allocated meanwhile."""
    largest = 0

    def record(phase: str, info: dict[str, Any]) -> None:
        nonlocal largest
        if phase == "start":
            largest = max(largest, gc.get_count()[0])

    items = [{"external_reference": f"c-{i}", "title": "T", "languages": [{"value": "en_GB"}]} for i in range(3000)]
    accepted = {**ACCEPTED, "errors": [[] for _ in range(3000)]}
    threshold = gc.get_threshold()[0]
    with serve([Reply(202, accepted)]) as server:
        blocking = client(server.url, pause_gc=pause_gc)
        gc.callbacks.append(record)
        try:
            blocking.lms_batch_upsert_course(body={"items": items})
        finally:
            gc.callbacks.remove(record)
    assert gc.isenabled()
    # The parsed result alone holds over 3,000 tracked objects (threshold: 700).
    assert (largest > 2 * threshold) is pause_gc
