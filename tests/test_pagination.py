"""``<method>_iter`` for every pagination style (tests/specs/pagination.yaml), sync and async, through
``testing.MockAPI``: several pages, an empty last page, and a server that repeats itself."""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.output.writer import write_tree
from generator.pipeline import generate

SPEC = Path(__file__).resolve().parent / "specs" / "pagination.yaml"
IDS = ["a", "b", "c", "d", "e"]
ELSEWHERE = "https://elsewhere.example/repositories/1/items"
HOSTILE = "x\"\"\"'\\\u2028)]; open('pwned', 'w')#"
Responder = Callable[[Any], Any]


@pytest.fixture(scope="module")
def styles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The generated ``pagination_styles`` package, imported."""
    out = tmp_path_factory.mktemp("styles")
    write_tree(generate(SPEC).files, out)
    sys.path.insert(0, str(out))
    try:
        yield __import__("pagination_styles.testing").testing
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.split(".")[0] == "pagination_styles"]:
            del sys.modules[name]


def _items(ids: list[str]) -> list[dict[str, str]]:
    return [{"id": i} for i in ids]


def _param(call: Any, name: str) -> str | None:
    value: str | None = call.request.url.params.get(name)
    return value


def _walk(
    testing: Any, operation: str, responder: Responder | None, *queued: tuple[Any, dict[str, str]], **arguments: Any
) -> tuple[list[str], list[Any]]:
    """The ids ``<operation>_iter`` yields, sync then async (both must agree), and the requests of one walk;
    the mock answers with the ``(body, headers)`` queued, then with ``responder``."""
    mock = testing.MockAPI()
    mock.responder(operation, responder)
    for body, headers in queued:
        mock.respond(operation, json=body, headers=headers)
    with mock.client() as client:
        ids = [item.id for item in getattr(client, f"{operation}_iter")(**arguments)]
    sent = list(mock.calls)
    mock.calls.clear()

    for body, headers in queued:
        mock.respond(operation, json=body, headers=headers)

    async def collect() -> list[str]:
        async with mock.async_client() as client:
            return [item.id async for item in getattr(client, f"{operation}_iter")(**arguments)]

    assert asyncio.run(collect()) == ids
    assert [call.request.url for call in mock.calls] == [call.request.url for call in sent]
    return ids, sent


def _refused(testing: Any, operation: str, body: Any, headers: dict[str, str] | None = None) -> str:
    """The message with which ``<operation>_iter`` stops when every page is ``body``, sync and async alike."""
    mock = testing.MockAPI()
    mock.respond(operation, json=body, headers=headers, times=10)
    errors = __import__("pagination_styles.errors").errors
    with mock.client() as client, pytest.raises(errors.APIError) as caught:
        list(getattr(client, f"{operation}_iter")())

    async def collect() -> None:
        async with mock.async_client() as client:
            [item async for item in getattr(client, f"{operation}_iter")()]

    mock.respond(operation, json=body, headers=headers, times=10)
    with pytest.raises(errors.APIError) as caught_async:
        asyncio.run(collect())
    assert str(caught_async.value) == str(caught.value)
    return str(caught.value)


def test_cursor_in_the_body_is_sent_back_until_an_empty_last_page(styles: Any) -> None:
    pages = {None: (["a", "b"], "c1"), "c1": (["c", "d"], "c2"), "c2": ([], None)}

    def respond(call: Any) -> Any:
        ids, cursor = pages[_param(call, "cursor")]
        return {"data": _items(ids), "next_cursor": cursor}

    ids, sent = _walk(styles, "list_cursor", respond, limit=2)
    assert ids == ["a", "b", "c", "d"]
    assert [(_param(c, "cursor"), _param(c, "limit")) for c in sent] == [(None, "2"), ("c1", "2"), ("c2", "2")]
    message = _refused(styles, "list_cursor", {"data": _items(["a"]), "next_cursor": "same"})
    assert "'same' was returned twice" in message


def test_stripe_sends_the_last_items_id_while_has_more(styles: Any) -> None:
    def respond(call: Any) -> Any:
        after = _param(call, "starting_after")
        start = IDS.index(after) + 1 if after else 0
        page = IDS[start : start + 2]
        # Stripe may say has_more on a page that turns out to be the last: an empty page ends it.
        return {"object": "list", "data": _items(page), "has_more": bool(page), "url": "/v1/items"}

    ids, sent = _walk(styles, "list_stripe", respond)
    assert ids == IDS
    assert [_param(c, "starting_after") for c in sent] == [None, "b", "d", "e"]
    repeated = {"object": "list", "data": _items(["a", "b"]), "has_more": True, "url": "/v1/items"}
    assert "'b' was returned twice" in _refused(styles, "list_stripe", repeated)


def test_github_link_header_lends_its_query_to_the_same_operation(styles: Any) -> None:
    # GitHub's links name another path (and here another host): only their query is followed.
    pages = [
        (
            _items(IDS[page * 2 - 2 : page * 2]),
            {
                "Link": f'<{ELSEWHERE}?page={page + 1}&per_page=2>; rel="next", '
                f'<{ELSEWHERE}?page=3&per_page=2>; rel="last"'
            },
        )
        for page in (1, 2, 3)
    ]
    ids, sent = _walk(styles, "list_github", None, *pages, ([], {}), per_page=2)
    assert ids == IDS
    assert [str(c.request.url) for c in sent] == [
        "https://mock.invalid/github?per_page=2",
        "https://mock.invalid/github?page=2&per_page=2",
        "https://mock.invalid/github?page=3&per_page=2",
        "https://mock.invalid/github?page=4&per_page=2",
    ]
    message = _refused(styles, "list_github", _items(["a"]), {"Link": '<https://x.example/?page=2>; rel="next"'})
    assert "returned twice" in message


def test_page_numbers_stop_on_a_short_page_an_empty_page_or_the_total(styles: Any) -> None:
    def serve(ids: list[str], total: int | None = None) -> Responder:
        def respond(call: Any) -> Any:
            page, size = int(_param(call, "page") or 1), int(_param(call, "per_page") or 2)
            meta = {} if total is None else {"total": total}
            return {"items": _items(ids[(page - 1) * size : page * size]), "meta": meta}

        return respond

    ids, sent = _walk(styles, "list_pages", serve(IDS))  # a short last page: [e]
    assert ids == IDS
    assert [_param(c, "page") for c in sent] == ["1", "2", "3"]
    ids, sent = _walk(styles, "list_pages", serve(IDS[:4]))  # an empty last page
    assert (ids, len(sent)) == (IDS[:4], 3)
    ids, sent = _walk(styles, "list_pages", serve(IDS[:4], total=4))  # the total says page 2 is the last
    assert (ids, len(sent)) == (IDS[:4], 2)
    ids, sent = _walk(styles, "list_pages", serve(IDS), per_page=3)  # the caller's page size
    assert (ids, [_param(c, "per_page") for c in sent]) == (IDS, ["3", "3"])
    message = _refused(styles, "list_pages", {"items": _items(["a", "b"])})
    assert "page=2 returned the same items as the page before" in message


def test_offsets_advance_by_the_items_received_until_the_total(styles: Any) -> None:
    def serve(total: int | None) -> Responder:
        def respond(call: Any) -> Any:
            offset = int(_param(call, "offset") or 0)
            body: dict[str, Any] = {"results": _items(IDS[offset : offset + 2])}
            return body if total is None else {**body, "total": total}

        return respond

    ids, sent = _walk(styles, "list_offsets", serve(None))
    assert ids == IDS
    assert [_param(c, "offset") for c in sent] == [None, "2", "4"]
    ids, sent = _walk(styles, "list_offsets", serve(4))
    assert (ids, [_param(c, "offset") for c in sent]) == (IDS[:4], [None, "2"])
    message = _refused(styles, "list_offsets", {"results": _items(["a", "b"])})
    assert "offset=2 returned the same items as the page before" in message


@pytest.mark.parametrize("operation", ["list_boxed", "list_extended"])
def test_a_body_read_as_one_class_from_its_all_of_parts_gives_the_items_and_the_total(
    styles: Any, operation: str
) -> None:
    # list_extended: a reference with properties beside it (3.1), which the detector once followed alone.
    def respond(call: Any) -> Any:
        offset = int(_param(call, "offset") or 0)
        return {"entries": _items(IDS[offset : offset + 2]), "order": ["id"], "total_count": 4}

    ids, sent = _walk(styles, operation, respond)
    assert (ids, [_param(c, "offset") for c in sent]) == (IDS[:4], [None, "2"])


@pytest.mark.parametrize(
    ("operation", "parameter", "page"),
    [
        # AWS: each property an allOf of its schema and a description.
        ("list_aws", "nextToken", lambda items, token: {"Things": items, "NextToken": token}),
        # HubSpot: the cursor in paging.next.after.
        (
            "list_hubspot",
            "after",
            lambda items, token: {"results": items, "paging": token and {"next": {"after": token}}},
        ),
        # Google: the list beside a list of strings.
        ("list_google", "pageToken", lambda items, token: {"things": items, "unreachable": [], "nextPageToken": token}),
        # HERE: the next page's token named as the parameter.
        ("list_here", "pageToken", lambda items, token: {"data": items, "pageToken": token}),
    ],
)
def test_vendors_cursors_are_followed(
    styles: Any, operation: str, parameter: str, page: Callable[[list[dict[str, str]], str | None], Any]
) -> None:
    def respond(call: Any) -> Any:
        start = int(_param(call, parameter) or 0)
        return page(_items(IDS[start : start + 2]), str(start + 2) if start + 2 < len(IDS) else None)

    ids, sent = _walk(styles, operation, respond)
    assert (ids, [_param(c, parameter) for c in sent]) == (IDS, [None, "2", "4"])


def test_offsets_and_totals_typed_number_count(styles: Any) -> None:
    def respond(call: Any) -> Any:
        offset = int(_param(call, "offset") or 0)
        return {"items": _items(IDS[offset : offset + 2]), "totalCount": 4}

    ids, sent = _walk(styles, "list_numbered", respond)
    assert (ids, [_param(c, "offset") for c in sent]) == (IDS[:4], [None, "2"])


def test_a_next_url_in_the_body_is_followed_through_the_clients_base_url(styles: Any) -> None:
    def respond(call: Any) -> Any:
        token = _param(call, "token") or "0"
        start = int(token)
        following = f"https://elsewhere.example/v2/next-url?limit=2&token={start + 2}" if start < 4 else None
        return {"data": _items(IDS[start : start + 2]), "next": following}

    ids, sent = _walk(styles, "list_next_url", respond, limit=2)
    assert ids == IDS
    assert [str(c.request.url) for c in sent] == [
        "https://mock.invalid/next-url?limit=2",
        "https://mock.invalid/next-url?limit=2&token=2",
        "https://mock.invalid/next-url?limit=2&token=4",
    ]
    looping = {"data": _items(["a"]), "next": "/next-url?token=1"}
    assert "returned twice" in _refused(styles, "list_next_url", looping)
    path_only = {"data": _items(["a"]), "next": "https://elsewhere.example/next-url/page/2"}
    assert "has no query to send" in _refused(styles, "list_next_url", path_only)
    # The page's items are read first; the page after it is what cannot be asked for.
    mock, read = styles.MockAPI(), []
    mock.respond("list_next_url", json=path_only)
    with mock.client() as client, pytest.raises(__import__("pagination_styles.errors").errors.APIError):
        read.extend(item.id for item in client.list_next_url_iter())
    assert read == ["a"]


def test_speakeasy_extension_names_a_nested_cursor_and_the_items(styles: Any) -> None:
    def respond(call: Any) -> Any:
        after = _param(call, "after")
        return {"records": _items(["x"] if after is None else []), "meta": {"after": "" if after else "m1"}}

    ids, sent = _walk(styles, "list_speakeasy", respond)
    assert ids == ["x"]
    assert [_param(c, "after") for c in sent] == [None, "m1"]


def test_an_extension_pages_a_post_sending_its_body_with_every_page(styles: Any) -> None:
    def respond(call: Any) -> Any:
        assert call.json == {"query": "q"}
        cursor = _param(call, "cursor")
        return {"hits": _items(["a"] if cursor is None else ["b"]), "meta": {"next": None if cursor else "n1"}}

    ids, sent = _walk(styles, "search", respond, body={"query": "q"})
    assert (ids, [_param(c, "cursor") for c in sent]) == (["a", "b"], [None, "n1"])


def test_datadogs_form_of_the_extension_is_read_as_ours(styles: Any) -> None:
    def events(call: Any) -> Any:
        start = int(_param(call, "page[cursor]") or 0)
        after = str(start + 2) if start + 2 < len(IDS) else None
        return {"data": _items(IDS[start : start + 2]), "meta": {"page": {"after": after}}}

    ids, sent = _walk(styles, "list_datadog_cursor", events)
    assert (ids, [_param(c, "page[cursor]") for c in sent]) == (IDS, [None, "2", "4"])

    def tests(call: Any) -> Any:
        page, size = int(_param(call, "page_number") or 0), int(_param(call, "page_size") or 2)
        return {"tests": _items(IDS[page * size : (page + 1) * size])}

    ids, sent = _walk(styles, "list_datadog_pages", tests)  # pages from 0, as Datadog's clients count them
    assert (ids, [_param(c, "page_number") for c in sent]) == (IDS, ["0", "1", "2"])


@pytest.mark.parametrize("operation", ["search_datadog", "search_speakeasy"])
def test_a_cursor_in_a_field_of_the_request_body_is_sent_there_with_the_rest_of_the_body(
    styles: Any, operation: str
) -> None:
    sent_bodies: list[Any] = []

    def respond(call: Any) -> Any:
        sent_bodies.append(call.json)
        start = int(((call.json or {}).get("page") or {}).get("cursor") or 0)
        after = str(start + 2) if start + 2 < len(IDS) else None
        return {"data": _items(IDS[start : start + 2]), "meta": {"page": {"after": after}}}

    ids, sent = _walk(styles, operation, respond, body={"query": "q", "page": {"limit": 2}})
    assert ids == IDS and [_param(c, "cursor") for c in sent] == [None] * 3
    assert sent_bodies[:3] == [
        {"query": "q", "page": {"limit": 2}},
        {"query": "q", "page": {"limit": 2, "cursor": "2"}},
        {"query": "q", "page": {"limit": 2, "cursor": "4"}},
    ]
    sent_bodies.clear()
    model = __import__("pagination_styles.models").models.Search(query="q")  # a model: what its caller set
    ids, _ = _walk(styles, operation, respond, body=model)
    assert ids == IDS and sent_bodies[1] == {"query": "q", "page": {"cursor": "2"}}


def test_a_page_number_in_the_request_body_or_a_field_it_lacks_is_a_warning_and_no_iterator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = {"type": "object", "properties": {"number": {"type": "integer"}}}
    body = {"type": "object", "properties": {"page": page}}
    found = {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}}}
    spec, out = tmp_path / "spec.json", tmp_path / "out"

    def warnings_of(extension: dict[str, Any]) -> list[str]:
        operation = {
            "operationId": "search",
            "x-pagination": extension,
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "Found.", "content": {"application/json": {"schema": found}}}},
        }
        document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/s": {"post": operation}}}
        spec.write_text(json.dumps(document))
        assert main([str(spec), "--out", str(out)]) == 0
        assert "def search_iter(" not in (out / "t" / "_endpoints" / "s.py").read_text()
        return [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]

    assert warnings_of({"pageParam": "body.page.number", "resultsPath": "data"}) == [
        f"warning: {spec}#/paths/~1s/post/x-pagination: it sets body.page.number in the request body; an iterator"
        " sends only a cursor there; no iterator"
    ]
    # Ours, with a field the body does not have:
    assert warnings_of({"style": "cursor", "in": "body", "parameter": "page.cursor", "next": "next"}) == [
        f"warning: {spec}#/paths/~1s/post/x-pagination/parameter: expected the dotted path of a field of the JSON"
        " request body; no iterator"
    ]


def test_the_iterators_signature_leaves_out_only_the_parameter_it_sets(styles: Any) -> None:
    client = __import__("pagination_styles").Client

    assert "page" not in inspect.signature(client.list_pages_iter).parameters
    assert "per_page" in inspect.signature(client.list_pages_iter).parameters
    assert "starting_after" not in inspect.signature(client.list_stripe_iter).parameters
    assert "ending_before" in inspect.signature(client.list_stripe_iter).parameters
    assert "page" in inspect.signature(client.list_github_iter).parameters  # the Link header drives it
    assert not hasattr(client, "list_ambiguous_iter") and not hasattr(client, "list_unpaged_iter")


def test_verbose_lists_list_operations_without_an_iterator_and_an_overlay_can_choose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main([str(SPEC), "--out", str(out), "--verbose"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: {SPEC}#/paths/~1ambiguous/get: no iterator: ambiguous: it fits page and offset pagination;"
        " say which with x-pagination",
        f"note: {SPEC}#/paths/~1aws-twins/get: no iterator: ambiguous: query parameters NextToken and nextToken"
        " differ only in case; say which with x-pagination",
        f"note: {SPEC}#/paths/~1unpaged/get: no iterator: query parameter(s) limit but no way to find the next page;"
        " describe it with x-pagination",
    ]
    overlay = tmp_path / "choose.json"
    actions = [
        {"target": "$.paths['/ambiguous'].get", "update": {"x-pagination": {"style": "offset", "parameter": "offset"}}},
        {"target": "$.paths['/stripe'].get", "update": {"x-pagination": False}},
        {
            "target": "$.paths['/aws-twins'].get",
            "update": {"x-pagination": {"style": "cursor", "parameter": "nextToken", "next": "NextToken"}},
        },
        {"target": "$.paths['/unpaged'].get", "update": {"x-pagination": {"style": "page", "parameter": "nope"}}},
        # Names of the document reach the code only escaped: the module still parses to what was meant.
        {"target": "$.paths['/next-url'].get", "update": {"x-pagination": {"style": "next_url", "next": HOSTILE}}},
    ]
    overlay.write_text(json.dumps({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}))
    assert main([str(SPEC), "--out", str(out), "--overlay", str(overlay), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert "note:" not in err
    assert (
        f"warning: {SPEC}#/paths/~1unpaged/get/x-pagination/parameter: a page style needs the name of one of its"
        " query parameters; no iterator" in err
    )
    # Untagged operations are grouped by their first path segment: one module each here.
    source = "\n".join(path.read_text() for path in sorted((out / "pagination_styles" / "_endpoints").glob("*.py")))
    assert "def list_ambiguous_iter(" in source and "def list_stripe_iter(" not in source
    assert "def list_aws_twins_iter(" in source
    assert "def list_unpaged_iter(" not in source
    nexts = [
        ast.literal_eval(keyword.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Paging"
        for keyword in node.keywords
        if keyword.arg == "next"
    ]
    assert nexts.count((HOSTILE,)) == 2  # the sync and the async iterator
    # And the README's table: one row, two cells, the name a code span of one line.
    readme = (out / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `list_next_url_iter` |"))
    assert row == f"| `list_next_url_iter` | following the `{HOSTILE.replace(chr(0x2028), ' ')}` URL of each page |"


def test_the_readme_lists_every_iterator_and_how_it_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([str(SPEC), "--out", str(out), "--quiet"]) == 0
    readme = (out / "README.md").read_text()
    section = readme.split("## Pagination\n", 1)[1].split("\n## ", 1)[0]
    rows = dict(line[3:-2].split("` | ", 1) for line in section.splitlines() if line.startswith("| `"))
    source = "\n".join(path.read_text() for path in (out / "pagination_styles" / "_endpoints").glob("*.py"))
    assert set(rows) == set(re.findall(r"    def (\w+_iter)\(", source))
    assert rows["list_stripe_iter"] == "while `has_more` is true, sending the last item's `id` as `starting_after`"
    assert rows["list_github_iter"] == 'following the `rel="next"` URL of the `Link` header'
    assert rows["list_pages_iter"] == "page by page (`page`), until a short or empty page, or the total"
