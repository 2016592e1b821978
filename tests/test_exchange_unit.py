"""The sans-IO exchange core, driven by hand: retry policy, backoff, Retry-After, deadlines.

No sockets and no sleeps: :func:`exchange` yields requests and delays, the test answers
them; clocks are injected. The runtime is imported from the generator (its stand-ins:
no security schemes, no models).
"""

from __future__ import annotations

import itertools
from collections.abc import Generator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpcore
import httpx
import pytest

from generator.runtime import _deadline, _exceptions
from generator.runtime._exchange import Step, backoff, exchange, parse_retry_after
from generator.runtime._response import Received
from generator.runtime._runtime import (
    DEFAULT_TIMEOUT,
    MAX_BACKOFF,
    MAX_CONNECTIONS,
    MAX_RESPONSE_BYTES,
    APIResponse,
    Call,
    OperationSpec,
    RequestOptions,
    Settings,
)

NOW = 1_700_000_000.0
OPERATION: OperationSpec[Any] = OperationSpec(
    name="get_thing",
    method="GET",
    path="/things",
    body_model_name=None,
    success_kinds={200: ("json", None)},
    error_model_names={},
)
Flow = Generator[Step, Received | BaseException | None, APIResponse[Any]]


def settings(max_retries: int = 2) -> Settings:
    return Settings(
        base_url=httpx.URL("https://api.example"),
        credentials={},
        defaults={},
        headers={},
        timeout=DEFAULT_TIMEOUT,
        max_retries=max_retries,
        max_response_bytes=MAX_RESPONSE_BYTES,
        max_connections=MAX_CONNECTIONS,
        pause_gc=False,
    )


def start(max_retries: int = 2, call: Call | None = None) -> tuple[Flow, httpx.Request]:
    flow = exchange(settings(max_retries), OPERATION, call or Call(), clock=lambda: NOW)
    request = next(flow)
    assert isinstance(request, httpx.Request)
    return flow, request


def answer(request: httpx.Request, status: int, body: bytes = b"", **headers: str) -> Received:
    return Received(httpx.Response(status, headers=headers, content=body, request=request), body)


def finish(flow: Flow, outcome: Received | BaseException) -> APIResponse[Any]:
    with pytest.raises(StopIteration) as done:
        flow.send(outcome)
    result: APIResponse[Any] = done.value.value
    return result


def test_a_success_is_parsed_at_once() -> None:
    flow, request = start()
    assert (request.method, str(request.url)) == ("GET", "https://api.example/things")
    result = finish(flow, answer(request, 200, b'{"a": 1}'))
    assert (result.parsed, result.retries_taken) == ({"a": 1}, 0)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_wait_as_told_then_resend_the_same_request(status: int) -> None:
    flow, request = start()
    assert flow.send(answer(request, status, **{"Retry-After": "7"})) == 7.0
    again = flow.send(None)
    assert again is request  # the same bytes on every attempt
    assert finish(flow, answer(request, 200, b"{}")).retries_taken == 1


def test_retry_after_as_an_http_date_is_counted_from_the_injected_clock() -> None:
    flow, request = start()
    date = format_datetime(datetime.fromtimestamp(NOW + 30, UTC), usegmt=True)
    assert flow.send(answer(request, 503, **{"Retry-After": date})) == 30.0


def test_retry_after_in_milliseconds_wins_over_seconds() -> None:
    assert parse_retry_after(httpx.Headers({"retry-after-ms": "250", "retry-after": "9"})) == 0.25


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon", ""])
def test_a_retry_after_that_means_nothing_is_ignored(value: str) -> None:
    assert parse_retry_after(httpx.Headers({"retry-after": value}), NOW) is None


def test_a_retry_after_date_in_the_past_means_at_once() -> None:
    past = format_datetime(datetime.fromtimestamp(NOW - 60, UTC), usegmt=True)
    assert parse_retry_after(httpx.Headers({"retry-after": past}), NOW) == 0.0


def test_a_retry_after_beyond_the_cap_raises_at_once() -> None:
    flow, request = start(max_retries=5)
    with pytest.raises(_exceptions.RateLimitError) as caught:
        flow.send(answer(request, 429, **{"Retry-After": "3600"}))
    assert caught.value.retry_after == 3600 and caught.value.retries_taken == 0


@pytest.mark.parametrize("status", [400, 401, 404, 409, 422, 501])
def test_other_statuses_are_not_retried(status: int) -> None:
    flow, request = start(max_retries=5)
    with pytest.raises(_exceptions.APIStatusError) as caught:
        flow.send(answer(request, status))
    assert caught.value.status_code == status and caught.value.retries_taken == 0


def test_statuses_the_operation_names_are_retried_too() -> None:
    operation = OperationSpec[Any](
        "get_thing", "GET", "/things", None, {200: ("json", None)}, {}, retry_statuses=frozenset({409})
    )
    flow = exchange(settings(), operation, Call(), clock=lambda: NOW)
    request = next(flow)
    assert isinstance(request, httpx.Request)
    assert flow.send(answer(request, 409, **{"Retry-After": "1"})) == 1.0


def test_retries_stop_at_max_retries_with_the_count() -> None:
    flow, request = start(max_retries=2)
    for _ in range(2):
        assert flow.send(answer(request, 503, **{"Retry-After": "0"})) == 0.0
        assert flow.send(None) is request
    with pytest.raises(_exceptions.InternalServerError) as caught:
        flow.send(answer(request, 503))
    assert caught.value.retries_taken == 2


def test_max_retries_of_the_call_overrides_the_clients() -> None:
    flow, request = start(max_retries=5, call=Call(options=RequestOptions(max_retries=0)))
    with pytest.raises(_exceptions.InternalServerError):
        flow.send(answer(request, 503, **{"Retry-After": "0"}))


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped")]
)
def test_network_failures_back_off_then_resend(error: Exception) -> None:
    flow, request = start()
    delay = flow.send(error)
    assert isinstance(delay, float) and 0.375 <= delay <= 0.5  # the first backoff, with jitter
    assert flow.send(None) is request


def test_network_failures_become_api_errors_when_retries_run_out() -> None:
    flow, _ = start(max_retries=0)
    with pytest.raises(_exceptions.APITimeoutError) as timed_out:
        flow.send(httpx.ReadTimeout("slow"))
    assert isinstance(timed_out.value.__cause__, httpx.ReadTimeout)
    flow, _ = start(max_retries=0)
    with pytest.raises(_exceptions.APIConnectionError) as refused:
        flow.send(httpx.ConnectError("refused"))
    assert type(refused.value) is _exceptions.APIConnectionError


def test_other_exceptions_are_not_retried() -> None:
    flow, _ = start(max_retries=5)
    with pytest.raises(_exceptions.APIConnectionError):
        flow.send(httpx.UnsupportedProtocol("ftp"))
    flow, _ = start(max_retries=5)
    with pytest.raises(_exceptions.APIResponseTooLargeError) as caught:
        flow.send(_exceptions.APIResponseTooLargeError("big"))  # already an APIError: passed on as it is
    assert caught.value.retries_taken == 0


def test_backoff_doubles_up_to_the_cap_and_jitter_takes_at_most_a_quarter() -> None:
    assert [backoff(n, jitter=lambda: 0.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert backoff(1, jitter=lambda: 1.0) == 0.75
    assert backoff(50, jitter=lambda: 0.0) == MAX_BACKOFF


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def timed_request(timeout: httpx.Timeout) -> httpx.Request:
    return httpx.Request("GET", "https://api.example/", extensions={"timeout": timeout.as_dict()})


def test_an_attempt_lasts_its_longest_timeout_value() -> None:
    assert _deadline.seconds(timed_request(httpx.Timeout(60.0, connect=10.0))) == 60.0
    assert _deadline.seconds(timed_request(httpx.Timeout(None))) is None


def test_the_deadline_cuts_each_socket_wait_and_ends_the_attempt() -> None:
    clock = Clock()
    request = timed_request(httpx.Timeout(3.0))
    with _deadline.attempt(request, clock) as length:
        assert length == 3.0
        _deadline.check(request)
        assert _deadline._left(10.0) == 3.0 and _deadline._left(None) == 3.0
        clock.now += 2.5
        assert _deadline._left(10.0) == 0.5 and _deadline._left(0.1) == 0.1
        clock.now += 0.5
        with pytest.raises(_deadline.DeadlineExceeded):
            _deadline.check(request)
        with pytest.raises(httpcore.ReadTimeout):
            _deadline._left(10.0)
    _deadline.check(request)  # outside an attempt there is no deadline
    assert _deadline._left(10.0) == 10.0


def test_an_unlimited_timeout_has_no_deadline() -> None:
    clock = Clock()
    request = timed_request(httpx.Timeout(None))
    with _deadline.attempt(request, clock) as length:
        clock.now += 1e9
        _deadline.check(request)
    assert length is None


def test_the_same_answers_give_the_same_steps() -> None:
    # What lets the sync and async clients share one policy: the steps depend on the answers only.
    answers = [503, 429, 200]
    steps = []
    for _ in range(2):
        flow, request = start(max_retries=3)
        taken: list[object] = []
        for status in itertools.islice(answers, 2):
            taken.append(flow.send(answer(request, status, **{"Retry-After": "1"})))
            taken.append(flow.send(None) is request)
        taken.append(finish(flow, answer(request, 200, b"[]")).retries_taken)
        steps.append(taken)
    assert steps[0] == steps[1] == [1.0, True, 1.0, True, 2]
