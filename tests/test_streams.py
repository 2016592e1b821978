"""Streamed responses and files, end to end: a package generated from a small inline spec, over loopback HTTP.

Streams (text/event-stream, JSON Lines, JSON text sequences) are typed iterators that validate
each item; downloads, binary bodies and multipart files go through in pieces. Bounded memory
is shown with tracemalloc on bodies many times larger than the peak allowed.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import io
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loopback import Reply, Seen, serve

from generator.model.normalize import normalize

TICK = {
    "type": "object",
    "required": ["n"],
    "properties": {"n": {"type": "integer"}, "note": {"type": "string"}},
}


def _stream_response(media_type: str, items: Any) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {media_type: {"schema": {"type": "array", "items": items}}}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Streams", "version": "1.0.0"},
    "servers": [{"url": "http://127.0.0.1:9"}],
    "paths": {
        "/events": {
            "get": {
                "operationId": "watchEvents",
                # Declaring Last-Event-ID is what lets the client reopen a broken stream.
                "parameters": [{"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}}],
                "responses": _stream_response("text/event-stream", {"$ref": "#/components/schemas/Tick"}),
            }
        },
        "/text-events": {
            "get": {
                "operationId": "textEvents",
                "responses": {"200": {"description": "ok", "content": {"text/event-stream": {}}}},
            }
        },
        "/ticks": {
            "get": {
                "operationId": "listTicks",
                "responses": _stream_response("application/x-ndjson", TICK),
            }
        },
        "/ticks-seq": {
            "get": {
                "operationId": "sequenceTicks",
                "responses": _stream_response("application/json-seq", {"$ref": "#/components/schemas/Tick"}),
            }
        },
        "/files/{name}": {
            "get": {
                "operationId": "download",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "the file",
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
            },
            "put": {
                "operationId": "upload",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {
                    "required": True,
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                },
                "responses": {
                    "200": {"description": "stored", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            },
        },
        "/forms": {
            "post": {
                "operationId": "submitForm",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["title", "attachment"],
                                "properties": {
                                    "title": {"type": "string"},
                                    "attachment": {"type": "string", "format": "binary"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "stored", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            }
        },
    },
    "components": {"schemas": {"Tick": TICK}},
}


@pytest.fixture
def pkg(import_generated: Any) -> Any:
    return import_generated(SPEC, "streams_client")


def _sse(*events: str) -> list[bytes]:
    return [event.encode() for event in events]


# -- the decoders, directly -------------------------------------------------------------------------


def _feed_sse(chunks: list[bytes], limit: int = 1 << 20) -> list[Any]:
    from generator.runtime._streams import SSEDecoder

    decoder = SSEDecoder(limit)
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events + decoder.end()


def _bytewise(text: bytes) -> list[bytes]:
    return [text[i : i + 1] for i in range(len(text))]


def test_sse_decoder_follows_the_whatwg_rules() -> None:
    body = (
        b"\xef\xbb\xbf: a comment, ignored\r\n"
        b"retry: 1500\r\n"
        b"id: 7\r\n"
        b"event: tick\r\n"
        b"data: first\r\n"
        b"data:second\r\n"
        b"\r\n"
        b"data: no id given, so the last one stays\r"
        b"\r"
        b"id\n"  # an id field without a value resets it
        b"data\n"  # a data field without a value: an empty line of data
        b"\n"
        b"retry: soon\n"  # not digits: ignored
        b"unknown: field\n"
        b'data: {"n": 1}\n'
        b"\n"
        b"\n\n"  # blank lines with no data dispatch nothing
        b"data: an event without its blank line is dropped at the end"
    )
    expected = [
        ("tick", "7", 1500, "first\nsecond"),
        ("message", "7", 1500, "no id given, so the last one stays"),
        ("message", "", 1500, ""),
        ("message", "", 1500, '{"n": 1}'),
    ]
    # Whole, and one byte at a time (CR LF split across chunks, the BOM and UTF-8 split too).
    for chunks in ([body], _bytewise(body)):
        events = _feed_sse(chunks)
        assert [(e.event, e.id, e.retry, e.data) for e in events] == expected


def test_sse_decoder_bom_only_at_the_start_and_utf8_across_chunks() -> None:
    events = _feed_sse([b"data: caf\xc3", b"\xa9\n\n", b"data: \xef\xbb\xbfkept\n\n"])
    assert [e.data for e in events] == ["café", "\ufeffkept"]


def test_decoders_refuse_an_item_over_the_limit() -> None:
    from generator.runtime import errors
    from generator.runtime._streams import decoder

    for kind, body in (("sse", b"data: " + b"x" * 100), ("jsonl", b"1" * 100), ("json-seq", b"\x1e" + b"1" * 100)):
        with pytest.raises(errors.APIResponseTooLargeError, match="max_response_bytes=64"):
            decode = decoder(kind, 64)
            for piece in _bytewise(body):
                decode.feed(piece)
    # Items under the limit pass, however long the stream.
    jsonl = decoder("jsonl", 64)
    assert [json.loads(r) for r in jsonl.feed(b'{"n": 1}\r\n\n{"n": 2}\n' * 1000) + jsonl.end()] == [
        {"n": 1},
        {"n": 2},
    ] * 1000


def test_the_runtime_reads_every_stream_kind_the_generator_emits() -> None:
    from generator.model.media import STREAM_KINDS
    from generator.runtime import _streams

    assert _streams.STREAM_KINDS == STREAM_KINDS


def test_record_decoders_split_json_lines_and_json_text_sequences() -> None:
    from generator.runtime._streams import decoder

    lines = decoder("jsonl", 1024)
    assert lines.feed(b'{"n": 1}\n{"n"') == [b'{"n": 1}']
    assert lines.feed(b": 2}\n\n") == [b'{"n": 2}']
    assert lines.feed(b'{"n": 3}') == [] and lines.end() == [b'{"n": 3}']  # no final LF needed
    sequence = decoder("json-seq", 1024)
    assert sequence.feed(b'\x1e{"n": 1}\n\x1e{"n": ') == [b'{"n": 1}']
    assert sequence.feed(b"2}\n") == [] and sequence.end() == [b'{"n": 2}']


def test_item_schema_of_3_2_and_items_of_3_0_and_3_1_both_become_the_item_model() -> None:
    def document(media: dict[str, Any]) -> dict[str, Any]:
        responses = {"200": {"description": "ok", "content": {"application/jsonl": media}}}
        return {"paths": {"/t": {"get": {"operationId": "t", "responses": responses}}}, "components": {"schemas": {}}}

    for media in ({"itemSchema": TICK}, {"schema": {"type": "array", "items": TICK}}):
        normalized = normalize(document(media))
        content = normalized.document["paths"]["/t"]["get"]["responses"]["200"]["content"]["application/jsonl"]
        name = content["itemSchema"]["$ref"].removeprefix("#/components/schemas/")
        assert name.endswith("Item")
        assert normalized.document["components"]["schemas"][name]["properties"] == TICK["properties"]


def test_an_event_schema_of_3_2_stands_for_its_datas_content_schema() -> None:
    def item(media: dict[str, Any]) -> Any:
        responses = {"200": {"description": "ok", "content": {"text/event-stream": media}}}
        document = {
            "paths": {"/e": {"get": {"operationId": "e", "responses": responses}}},
            "components": {"schemas": {}},
        }
        normalized = normalize(document)
        content = normalized.document["paths"]["/e"]["get"]["responses"]["200"]["content"]["text/event-stream"]
        ref = content.get("itemSchema", {}).get("$ref", "")
        return normalized.document["components"]["schemas"].get(ref.removeprefix("#/components/schemas/"))

    json_data = {"type": "string", "contentMediaType": "application/json", "contentSchema": TICK}
    event = {"type": "object", "required": ["event"], "properties": {"event": {"type": "string"}, "data": json_data}}
    assert item({"itemSchema": event})["properties"] == TICK["properties"]
    # 3.1: the array's items describe the events the same way.
    assert item({"schema": {"type": "array", "items": event}})["properties"] == TICK["properties"]
    # Data without a content schema is text; a schema that is not of an event is the data's.
    text_event = {"type": "object", "properties": {"data": {"type": "string"}, "id": {"type": "string"}}}
    assert item({"itemSchema": text_event}) is None
    assert item({"itemSchema": TICK})["properties"] == TICK["properties"]


# -- streams over loopback HTTP ---------------------------------------------------------------------


def test_event_stream_is_a_typed_iterator_sync_and_async(pkg: Any) -> None:
    events = _sse('event: tick\nid: 1\ndata: {"n": 1}\n\n', ": keep-alive\n\n", 'data: {"n": 2, "note": "x"}\n\n')
    reply = Reply(200, chunks=events, headers={"content-type": "text/event-stream"})
    with serve([reply]) as server:
        client = pkg.Client(base_url=server.url)
        stream = client.watch_events()
        assert isinstance(stream, pkg._streams.Stream)
        got = [(e.event, e.id, e.data) for e in stream]
        assert got == [("tick", "1", pkg.models.Tick(n=1)), ("message", "1", pkg.models.Tick(n=2, note="x"))]
        assert server.seen[0].headers["accept"] == "text/event-stream"

        async def run() -> tuple[list[Any], bool]:
            async with pkg.AsyncClient(base_url=server.url) as client:
                async with await client.watch_events() as stream:
                    numbers = [event.data.n async for event in stream]
                return numbers, stream.response.is_closed

        assert asyncio.run(run()) == ([1, 2], True)


def test_event_stream_without_item_schema_gives_text(pkg: Any) -> None:
    reply = Reply(200, chunks=_sse("data: plain\ndata: text\n\n"), headers={"content-type": "text/event-stream"})
    with serve([reply]) as server:
        assert [e.data for e in pkg.Client(base_url=server.url).text_events()] == ["plain\ntext"]


def test_json_lines_and_json_seq_validate_each_item(pkg: Any) -> None:
    lines = Reply(
        200, chunks=[b'{"n": 1}\n{"n"', b': 2}\n{"n": "three"}\n'], headers={"content-type": "application/x-ndjson"}
    )
    with serve([lines]) as server:
        client = pkg.Client(base_url=server.url)
        stream = client.list_ticks()
        assert next(iter(stream)).n == 1
        items = iter(client.list_ticks())
        assert [next(items).n, next(items).n] == [1, 2]
        with pytest.raises(
            pkg.errors.APIResponseValidationError,
            match=r"an item of the stream does not match .* \(n: Input should be a valid integer",
        ):
            next(items)
    sequence = Reply(200, chunks=[b'\x1e{"n": 1}\n\x1e{"n": 2}\n'], headers={"content-type": "application/json-seq"})
    with serve([sequence]) as server:

        async def run() -> list[int]:
            async with pkg.AsyncClient(base_url=server.url) as client:
                return [tick.n async for tick in await client.sequence_ticks()]

        assert asyncio.run(run()) == [1, 2]


def test_an_error_status_is_raised_before_any_item(pkg: Any) -> None:
    with serve([Reply(404, body={"message": "no such stream"})]) as server:
        with pytest.raises(pkg.errors.NotFoundError) as raised:
            pkg.Client(base_url=server.url, max_retries=0).list_ticks()
        assert "no such stream" in raised.value.body


def test_a_broken_event_stream_is_reopened_with_last_event_id(pkg: Any) -> None:
    first = Reply(
        200,
        chunks=_sse('retry: 0\nid: 41\ndata: {"n": 41}\n\n', 'id: 42\ndata: {"n": 42}\n\ndata: {"n"'),
        cut=True,
        headers={"content-type": "text/event-stream"},
    )
    second = Reply(200, chunks=_sse('id: 43\ndata: {"n": 43}\n\n'), headers={"content-type": "text/event-stream"})
    with serve([first, second]) as server:
        assert [e.data.n for e in pkg.Client(base_url=server.url).watch_events()] == [41, 42, 43]
        assert "last-event-id" not in server.seen[0].headers
        assert server.seen[1].headers["last-event-id"] == "42"
    with serve([first, second]) as server:

        async def run() -> list[int]:
            async with pkg.AsyncClient(base_url=server.url) as client:
                return [e.data.n async for e in await client.watch_events()]

        assert asyncio.run(run()) == [41, 42, 43]
        assert server.seen[1].headers["last-event-id"] == "42"


def test_a_broken_stream_that_may_not_resume_raises(pkg: Any) -> None:
    cut = Reply(200, chunks=[b'{"n": 1}\n{"n"'], cut=True, headers={"content-type": "application/jsonl"})
    with serve([cut]) as server:
        items = iter(pkg.Client(base_url=server.url).list_ticks())
        assert next(items).n == 1
        with pytest.raises(pkg.errors.APIConnectionError, match="the stream broke off"):
            next(items)
        assert len(server.seen) == 1


def test_leaving_the_loop_closes_the_connection(pkg: Any) -> None:
    endless = Reply(200, chunks=iter(lambda: b'{"n": 1}\n', None), headers={"content-type": "application/jsonl"})
    with serve([endless]) as server:
        stream = pkg.Client(base_url=server.url).list_ticks()
        for _tick in stream:
            break
        assert stream.response.is_closed
        with pkg.Client(base_url=server.url).list_ticks() as stream:
            next(iter(stream))
        assert stream.response.is_closed


def test_max_response_bytes_caps_each_item_not_the_stream(pkg: Any) -> None:
    small = b'{"n": 1}\n' * 500  # 4.5 KB in all, over the limit, in items under it
    huge = b'{"n": 2, "note": "' + b"x" * 2000 + b'"}\n'
    reply = Reply(200, chunks=[small, huge], headers={"content-type": "application/jsonl"})
    with serve([reply]) as server:
        items = iter(pkg.Client(base_url=server.url, max_response_bytes=1024).list_ticks())
        assert [next(items).n for _ in range(500)] == [1] * 500
        with pytest.raises(pkg.errors.APIResponseTooLargeError, match="an item of the stream"):
            next(items)


def _ticks(total_bytes: int) -> Iterator[bytes]:
    chunk = b'{"n": 1, "note": "' + b"x" * 1000 + b'"}\n'
    block = chunk * 64
    for _ in range(total_bytes // len(block)):
        yield block


def test_a_large_stream_is_read_in_bounded_memory(pkg: Any) -> None:
    total = 40 * 1024 * 1024
    reply = Reply(200, chunks=_ticks(total), headers={"content-type": "application/jsonl"})
    with serve([reply]) as server:
        client = pkg.Client(base_url=server.url, max_response_bytes=1024 * 1024)
        tracemalloc.start()
        try:
            count = sum(1 for _ in client.list_ticks())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert count == total // (64 * 1021) * 64
    assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes for a {total:,}-byte stream"


# -- files -------------------------------------------------------------------------------------------


def _blob(size: int) -> bytes:
    return hashlib.sha256(b"seed").digest() * (size // 32)


def test_download_with_streaming_response_sync_and_async(pkg: Any, tmp_path: Path) -> None:
    piece = _blob(64 * 1024)
    count = 500  # 32 MB
    expected = hashlib.sha256(piece * count).hexdigest()

    def responder(seen: Seen) -> Reply:
        return Reply(200, chunks=(piece for _ in range(count)))

    with serve(responder=responder) as server:
        client = pkg.Client(base_url=server.url)
        target = tmp_path / "download.bin"
        tracemalloc.start()
        try:
            with client.with_streaming_response.download(name="a") as response:
                assert response.status_code == 200
                written = response.write_to_file(target)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert written == len(piece) * count
        assert hashlib.sha256(target.read_bytes()).hexdigest() == expected
        assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes for a {written:,}-byte download"
        with client.with_streaming_response.download(name="a") as response:
            digest = hashlib.sha256()
            for chunk in response.iter_bytes():
                digest.update(chunk)
            assert digest.hexdigest() == expected

        async def run() -> int:
            async with pkg.AsyncClient(base_url=server.url) as client:
                async with client.with_streaming_response.download(name="a") as response:
                    return await response.awrite_to_file(tmp_path / "async.bin")

        tracemalloc.start()
        try:
            assert asyncio.run(run()) == written
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes for a {written:,}-byte async download"
        assert hashlib.sha256((tmp_path / "async.bin").read_bytes()).hexdigest() == expected


def test_a_failed_download_leaves_the_file_as_it_was(pkg: Any, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    target = folder / "kept.bin"
    target.write_bytes(b"old")
    cut = Reply(200, chunks=[b"partial"], cut=True)
    with serve([cut]) as server:
        with pkg.Client(base_url=server.url).with_streaming_response.download(name="a") as response:
            with pytest.raises(pkg.errors.APIConnectionError, match="the download broke off"):
                response.write_to_file(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["kept.bin"]


def _echo_digest(seen: Seen) -> Reply:
    return Reply(200, body=seen.body, headers={"content-type": "text/plain"})


def test_binary_body_from_a_file_is_streamed_sync_and_async(pkg: Any, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    data = _blob(32 * 1024 * 1024)
    source.write_bytes(data)
    expected = f"{len(data)} {hashlib.sha256(data).hexdigest()}"
    del data
    with serve(responder=_echo_digest, digest_bodies=True) as server:
        client = pkg.Client(base_url=server.url)
        with source.open("rb") as file:
            tracemalloc.start()
            try:
                assert client.upload(name="big", body=file) == expected
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes for a 32 MB upload"
        assert client.upload(name="small", body=b"abc") == f"3 {hashlib.sha256(b'abc').hexdigest()}"

        async def run() -> str:
            async with pkg.AsyncClient(base_url=server.url) as client:
                with source.open("rb") as file:
                    file.seek(1024)  # sent from where the file stands
                    return str(await client.upload(name="big", body=file))

        tail = source.read_bytes()[1024:]
        assert asyncio.run(run()) == f"{len(tail)} {hashlib.sha256(tail).hexdigest()}"


def test_a_file_body_is_sent_whole_again_on_a_retry(pkg: Any) -> None:
    replies = [Reply(503), Reply(200, body=b"ok", headers={"content-type": "text/plain"})]
    with serve(replies) as server:
        client = pkg.Client(base_url=server.url, max_retries=1)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("time.sleep", lambda seconds: None)
            assert client.upload(name="x", body=io.BytesIO(b"0123456789")) == "ok"
        assert [seen.body for seen in server.seen] == [b"0123456789", b"0123456789"]


def test_multipart_file_inputs_are_streamed_from_disk(pkg: Any, tmp_path: Path) -> None:
    source = tmp_path / "attachment.bin"
    data = _blob(32 * 1024 * 1024)
    source.write_bytes(data)
    del data

    def parts(seen: Seen) -> Reply:
        return Reply(200, body=seen.body, headers={"content-type": "text/plain"})

    with serve(responder=parts, digest_bodies=True) as server:
        client = pkg.Client(base_url=server.url)
        with source.open("rb") as file:
            tracemalloc.start()
            try:
                size, _ = client.submit_form(
                    body={"title": "big", "attachment": ("a.bin", file, "application/x-a")}
                ).split()
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        assert int(size) > 32 * 1024 * 1024
        assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes for a 32 MB multipart upload"
    with serve(responder=lambda seen: Reply(200, body=seen.body, headers={"content-type": "text/plain"})) as server:

        async def run() -> list[str]:
            async with pkg.AsyncClient(base_url=server.url) as client:
                sent = [await client.submit_form(body={"title": "t", "attachment": b"raw bytes"})]
                with source.open("rb") as file:
                    sent.append(await client.submit_form(body={"title": "t", "attachment": file}))
                return sent

        as_bytes, as_file = asyncio.run(run())
        # The model types the file field as a file input: it takes a file object as well.
        with source.open("rb") as file:
            form = pkg.models.SubmitFormBody(title="t", attachment=("named.bin", file, "application/x-a"))
            sent = pkg.Client(base_url=server.url).submit_form(body=form)
        assert 'filename="named.bin"' in sent and "Content-Type: application/x-a" in sent
        with pytest.raises(pkg.errors.RequestValidationError, match="attachment"):
            pkg.Client(base_url=server.url).submit_form(body={"title": "t", "attachment": 42})
        # Text, all a JSON fixture can give a binary field, is taken and sent as a plain form field.
        for body in (
            {"title": "t", "attachment": "plain text"},
            pkg.models.SubmitFormBody(title="t", attachment="plain text"),
        ):
            text = pkg.Client(base_url=server.url).submit_form(body=body)
            assert 'name="attachment"\r\n\r\nplain text\r\n' in text
        assert 'name="attachment"' in as_bytes and "raw bytes" in as_bytes
        assert 'name="attachment"; filename="attachment.bin"' in as_file
        with pytest.raises(pkg.errors.RequestValidationError, match="title"):
            pkg.Client(base_url=server.url).submit_form(body={"attachment": b"x"})


def test_a_streamed_body_is_what_mock_api_reads(pkg: Any) -> None:
    """A body read from files as it is sent is still the request's content for what reads it before
    the wire (the test double): it once read as empty there, so ``MockAPI`` refused every multipart
    call as having no body."""
    mock = importlib.import_module(f"{pkg.__name__}.testing").MockAPI()
    client = mock.client()
    assert client.submit_form(body={"title": "t", "attachment": b"raw bytes"}) is not None
    assert client.upload(name="x", body=io.BytesIO(b"0123456789")) is not None

    async def run() -> None:
        async with mock.async_client() as async_client:
            await async_client.submit_form(body={"title": "t", "attachment": io.BytesIO(b"from a file")})

    asyncio.run(run())
    multipart, binary, from_file = (call.request for call in mock.calls)
    assert b"raw bytes" in multipart.content and b'name="title"' in multipart.content
    assert binary.content == b"0123456789"
    assert b"from a file" in from_file.content
    assert all(request.headers["host"] for request in (multipart, binary, from_file))


def test_mock_api_streams_each_kind_of_stream_and_the_client_reads_it_as_one(pkg: Any) -> None:
    """The test double answers a stream's success as a stream (it once sent its fixture as a JSON body,
    which the client then read whole: the item itself where a stream was typed, or an error where the
    stream had no schema)."""
    testing = importlib.import_module(f"{pkg.__name__}.testing")
    mock = testing.MockAPI()
    client = mock.client()
    tick = testing.load_fixture("watch_events", "response_200")
    assert tick == {"n": 0}  # one item of the stream
    for method in (client.watch_events, client.list_ticks, client.sequence_ticks):
        with method() as stream:
            items = [getattr(item, "data", item) for item in stream]
        assert [item.model_dump(exclude_unset=True) for item in items] == [tick]
    with client.text_events() as stream:
        assert list(stream) == []  # a stream of text, no fixture: no event
    mock.respond("text_events", json="hello\nworld")
    with client.text_events() as stream:
        assert [event.data for event in stream] == ["hello\nworld"]
    assert mock.calls[-1].request.headers["accept"] == "text/event-stream"
