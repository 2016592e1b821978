"""The whole StackOne LMS API shape (28 operations) generates a client that works over real HTTP."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from loopback import Reply, Seen, serve

SPEC = Path(__file__).resolve().parent / "specs" / "stackone-lms-full.yaml"


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import sys

    from generator.output.writer import write_tree
    from generator.pipeline import generate

    out = tmp_path_factory.mktemp("lms_full")
    package = generate(SPEC)
    assert package.warnings == []
    write_tree(package.files, out)
    sys.path.insert(0, str(out))
    try:
        yield __import__("stackone_lms_full")
    finally:
        sys.path.remove(str(out))


def _responder(lms: Any) -> Any:
    testing = __import__("stackone_lms_full.testing", fromlist=["OPERATIONS"])
    routes = []
    for name, operation in testing.OPERATIONS.items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(operation.path))
        routes.append((operation.method, re.compile(f"^{pattern}$"), name))

    def respond(seen: Seen) -> Reply:
        url = urlsplit(seen.path)
        for method, route, name in routes:
            if method == seen.method and route.match(url.path):
                status = testing._success_status(testing.OPERATIONS[name])
                if name.startswith("lms_list_"):
                    cursor = parse_qs(url.query).get("next", [""])[0]
                    page = int(cursor or 0)
                    items = [{"id": f"{page}-{i}", "title": f"item {page}-{i}"} for i in range(2)]
                    return Reply(200, {"next": str(page + 1) if page < 2 else None, "data": items})
                body = testing._fixture(name, status)
                return Reply(status, b"" if body is testing._NO_BODY else body)
        return Reply(404, {"statusCode": 404, "message": "no route", "timestamp": "2024-01-01T00:00:00Z"})

    return respond


def _arguments(method: Any, testing: Any, name: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.default is inspect.Parameter.empty:
            kwargs[parameter.name] = testing.load_fixture(name, "request") if parameter.name == "body" else "id/../x"
    return kwargs


def test_spec_has_the_28_operations_of_the_lms_api() -> None:
    spec = yaml.safe_load(SPEC.read_text())
    methods = [method for item in spec["paths"].values() for method in item]
    assert len(methods) == 28
    assert {"get", "put", "post", "patch", "delete"} == set(methods)


def test_every_operation_works_over_http(lms: Any) -> None:
    testing = __import__("stackone_lms_full.testing", fromlist=["OPERATIONS"])
    with serve(responder=_responder(lms)) as server:
        with lms.Client(base_url=server.url, username="k", account_id="acc", max_retries=0) as client:
            for name in testing.OPERATIONS:
                method = getattr(client, name)
                result = method(**_arguments(method, testing, name))
                if name.startswith("lms_delete_"):
                    assert result is None
                else:
                    assert result is not None, name
    assert len(server.seen) == 28
    # Path parameters are percent-encoded: "id/../x" stays inside its segment.
    assert any("/users/id%2F..%2Fx/completions/id%2F..%2Fx" in seen.path for seen in server.seen)
    assert all(seen.headers["x-account-id"] == "acc" for seen in server.seen)


def test_cursor_pagination_iterates_across_pages(lms: Any) -> None:
    with serve(responder=_responder(lms)) as server:
        with lms.Client(base_url=server.url, username="k", account_id="acc") as client:
            courses = list(client.lms_list_courses_iter(page_size="2"))
            completions = list(client.lms_list_user_completions_iter(id="u-1"))
    assert [course.id for course in courses] == ["0-0", "0-1", "1-0", "1-1", "2-0", "2-1"]
    assert isinstance(courses[0], lms.models.Course)
    assert len(completions) == 6
    first_pages = [seen.path for seen in server.seen[:3]]
    assert "next=" not in first_pages[0] and "next=1" in first_pages[1] and "next=2" in first_pages[2]


def test_async_pagination(lms: Any) -> None:
    async def collect(url: str) -> list[Any]:
        async with lms.AsyncClient(base_url=url, username="k", account_id="acc") as client:
            return [item async for item in client.lms_list_skills_iter()]

    with serve(responder=_responder(lms)) as server:
        assert len(asyncio.run(collect(server.url))) == 6


def test_deprecated_parameter_and_batch_content(lms: Any) -> None:
    with serve(responder=_responder(lms)) as server:
        with lms.Client(base_url=server.url, username="k", account_id="acc") as client:
            report = client.lms_batch_upsert_content_in_batches([{"title": "a"}, {"title": "b"}], batch_size=1)
    assert report.total == 2 and len(server.seen) == 2
    assert sorted(json.loads(seen.body)["items"][0]["title"] for seen in server.seen) == ["a", "b"]


def test_deprecated_parameter_warns_at_call_time(lms: Any) -> None:
    with serve(responder=_responder(lms)) as server:
        with lms.Client(base_url=server.url, username="k", account_id="acc") as client:
            with pytest.warns(DeprecationWarning, match=r"lms_list_courses\(updated_after=...\) is deprecated"):
                client.lms_list_courses(updated_after="2024-01-01")
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                client.lms_list_courses()


def test_testing_mock_records_path_parameters_by_name(lms: Any) -> None:
    testing = __import__("stackone_lms_full.testing", fromlist=["MockAPI"])
    mock = testing.MockAPI()
    with mock.client() as client:
        client.lms_get_user_completion(id="u/1", sub_resource_id="c-9")
    assert mock.calls[0].path_params == {"id": "u/1", "subResourceId": "c-9"}
