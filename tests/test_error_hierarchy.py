"""One error hierarchy for every spec: fixed classes, declared statuses as subclasses, every 5xx under one class."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from stackone_lms import Client, errors

from generator.emit.errorclasses import declared_errors, error_class, error_tree
from generator.model.statuses import PHRASES
from generator.runtime import _exceptions

FIXED = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
}


def client_answering(status: int, **options: Any) -> Client:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"message": "no"})

    transport = httpx.MockTransport(answer)
    return Client(http_client=httpx.Client(transport=transport), username="k", account_id="a", max_retries=0, **options)


@pytest.mark.parametrize(
    ("status", "expected"),
    [(503, errors.InternalServerError), (599, errors.InternalServerError), (418, errors.APIStatusError)],
)
def test_a_status_the_spec_does_not_declare_raises_the_fixed_class(status: int, expected: type) -> None:
    assert status not in errors.STATUS_ERRORS  # the StackOne spec does not declare it
    with pytest.raises(errors.APIStatusError) as caught:
        client_answering(status).lms_batch_upsert_course(body={"items": []})
    assert type(caught.value) is expected and caught.value.status_code == status


def test_declared_5xx_statuses_are_internal_server_errors() -> None:
    assert issubclass(errors.BadGatewayError, errors.InternalServerError)
    assert issubclass(errors.APINotImplementedError, errors.InternalServerError)
    assert issubclass(errors.PreconditionFailedError, errors.APIStatusError)
    assert not issubclass(errors.PreconditionFailedError, errors.InternalServerError)


def test_fixed_classes_are_the_same_for_every_spec() -> None:
    assert {status: cls.__name__ for status, cls in _exceptions.FIXED_STATUS_ERRORS.items()} == FIXED
    assert {status: error_class(status) for status in FIXED} == FIXED
    for status, name in FIXED.items():
        assert errors.STATUS_ERRORS[status].__name__ == name


class _Api:
    error_statuses = (400, 405, 429, 502, 503, 599)


def test_declared_extras_hang_under_their_parent() -> None:
    extras = {error.status: (error.name, error.parent) for error in declared_errors(_Api())}  # type: ignore[arg-type]
    assert extras == {
        405: ("MethodNotAllowedError", "APIStatusError"),
        502: ("BadGatewayError", "InternalServerError"),
        503: ("ServiceUnavailableError", "InternalServerError"),
        599: ("Status599Error", "InternalServerError"),
    }


def test_no_declared_class_takes_a_runtime_name_or_mixed_casing() -> None:
    names = [error_class(status) for status in PHRASES if status >= 300]
    assert len(set(names)) == len(names)
    extras = {error_class(status) for status in PHRASES if status >= 300 and status not in FIXED}
    assert not extras & set(_exceptions.__all__)
    assert not [name for name in names if name.startswith("Api")]


def _shape(lines: list[str]) -> list[str]:
    """Each line's tree prefix and class name, without what follows."""
    return [match.group(0) for line in lines if (match := re.match(r"[ │├└─]*[A-Za-z]+", line))]


def test_the_tree_drawn_in_the_runtime_docstring_is_the_class_tree() -> None:
    doc = _exceptions.__doc__ or ""
    drawn = [line[4:] for line in doc.splitlines() if line.startswith("    ")]
    assert _shape(drawn) == _shape(error_tree([]))


def test_error_attributes_are_declared_on_the_classes() -> None:
    declared = {**errors.APIError.__annotations__, **errors.APIStatusError.__mro__[1].__annotations__}
    assert {"message", "request", "retries_taken", "response", "status_code", "headers", "body"} <= set(declared)
    assert "retry_after" in errors.APIStatusError.__annotations__


def test_with_raw_response_is_made_once_per_client() -> None:
    client = client_answering(202)
    assert client.with_raw_response is client.with_raw_response


def _disable_calls(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    calls: list[None] = []
    real: Callable[[], None] = gc.disable

    def disable() -> None:
        calls.append(None)
        real()

    monkeypatch.setattr(gc, "disable", disable)
    return calls


@pytest.mark.parametrize("pause_gc", [False, True])
def test_the_garbage_collector_is_left_alone_unless_asked(monkeypatch: pytest.MonkeyPatch, pause_gc: bool) -> None:
    calls = _disable_calls(monkeypatch)
    options = {"pause_gc": True} if pause_gc else {}
    with pytest.raises(errors.BadRequestError):  # the error body is validated against its model too
        client_answering(400, **options).lms_batch_upsert_course(body={"items": [{"external_reference": "x"}]})
    client_answering(202, **options).lms_batch_upsert_course(body={"items": [{"external_reference": "x"}]})
    assert bool(calls) is pause_gc  # by default (pause_gc=False), never
    assert gc.isenabled()


def test_errors_are_named_where_they_are_caught() -> None:
    assert errors.NotFoundError.__module__ == errors.BadGatewayError.__module__ == "stackone_lms.errors"
    assert errors.APIError.__module__ == "stackone_lms.errors"
