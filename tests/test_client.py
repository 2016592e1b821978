"""Behaviour of the generated stackone_lms client, through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from stackone_lms import APIResponse, AsyncClient, Client, errors, models
from stackone_lms.testing import MockAPI, MockRequestError, load_fixture

Handler = Callable[[httpx.Request], httpx.Response]
ERROR_CLASSES = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    408: errors.RequestTimeoutError,
    409: errors.ConflictError,
    412: errors.PreconditionFailedError,
    422: errors.UnprocessableEntityError,
    429: errors.RateLimitError,
    500: errors.InternalServerError,
    501: errors.APINotImplementedError,
    502: errors.BadGatewayError,
}


class Recorder:
    def __init__(self, *responses: httpx.Response) -> None:
        self.requests: list[httpx.Request] = []
        self.responses = list(responses)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]


def make_client(handler: Handler, **options: Any) -> Client:
    options.setdefault("username", "API_KEY")
    options.setdefault("account_id", "acc-1")
    return Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)


def accepted(seed_response: Any) -> httpx.Response:
    return httpx.Response(202, json=seed_response)


def test_seed_request_goes_out_byte_exact_with_auth_and_account(seed_request: Any, seed_response: Any) -> None:
    recorder = Recorder(accepted(seed_response))
    result = make_client(recorder, password="").lms_batch_upsert_course(body=seed_request)
    [request] = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.stackone.com/unified/lms/courses/batch"
    assert request.content == json.dumps(seed_request, separators=(",", ":"), ensure_ascii=False).encode()
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"API_KEY:").decode()
    assert request.headers["x-account-id"] == "acc-1"
    assert request.headers["content-type"] == "application/json"
    # The localizations' "languages" key is not in the schema and must survive.
    assert json.loads(request.content)["items"][0]["localizations"][0]["languages"] == {
        "value": "en-GB",
        "source_value": "string",
    }
    assert isinstance(result, models.BatchResultApiModel)


def test_seed_response_parses(seed_request: Any, seed_response: Any) -> None:
    result = make_client(Recorder(accepted(seed_response))).lms_batch_upsert_course(body=seed_request)
    assert result.status_code == 202
    assert result.message == "Batch operation accepted"
    assert result.errors == [["Missing field: name"], [], []]
    assert result.timestamp is not None and result.timestamp.year == 2021


def test_model_body_round_trips_to_the_same_json(seed_request: Any, seed_response: Any) -> None:
    recorder = Recorder(accepted(seed_response))
    body = models.LmsBatchUpsertCourseRequestDto.model_validate(seed_request)
    make_client(recorder).lms_batch_upsert_course(body=body, x_account_id="acc-2")
    assert json.loads(recorder.requests[0].content) == seed_request
    assert b'"order":1' in recorder.requests[0].content  # not 1.0
    assert recorder.requests[0].headers["x-account-id"] == "acc-2"


def test_unset_fields_are_not_sent_and_explicit_nulls_are(seed_response: Any) -> None:
    recorder = Recorder(accepted(seed_response))
    course = models.LmsUpsertCourseRequestDto(external_reference="c-1", title=None)
    make_client(recorder).lms_batch_upsert_course(body=models.LmsBatchUpsertCourseRequestDto(items=[course]))
    assert json.loads(recorder.requests[0].content) == {"items": [{"external_reference": "c-1", "title": None}]}


def test_source_value_objects_and_arrays_pass_through(seed_response: Any) -> None:
    recorder = Recorder(accepted(seed_response))
    body = {
        "items": [
            {
                "languages": [
                    {"value": "en_GB", "source_value": {"a": [1, True]}},
                    {"value": None, "source_value": [1, "x"]},
                ],
                "active": False,
            }
        ]
    }
    make_client(recorder).lms_batch_upsert_course(body=body)
    assert json.loads(recorder.requests[0].content) == body


def test_invalid_bodies_are_rejected_before_sending(seed_response: Any) -> None:
    recorder = Recorder(accepted(seed_response))
    client = make_client(recorder)
    for bad in (
        {},
        {"items": None},
        {"items": [{"active": "maybe"}]},
        {"items": [{"languages": [{"value": "xx_XX"}]}]},
    ):
        with pytest.raises(errors.RequestValidationError):
            client.lms_batch_upsert_course(body=bad)
    assert recorder.requests == []


def test_open_enum_pseudo_member_in_a_success_response() -> None:
    from stackone_lms._open_enum import lenient_enums

    with lenient_enums():
        parsed = models.LanguageEnum.model_validate_json('{"value": "tlh_KX", "source_value": 3}')
    assert parsed.value is not None and parsed.value.value == "tlh_KX"
    assert parsed.model_dump(mode="json") == {"value": "tlh_KX", "source_value": 3}


@pytest.mark.parametrize("status", sorted(ERROR_CLASSES))
def test_each_declared_error_status_raises_its_class(status: int) -> None:
    body = load_fixture("lms_batch_upsert_course", f"response_{status}")
    client = make_client(Recorder(httpx.Response(status, json=body, headers={"x-request-id": "req-9"})), max_retries=0)
    with pytest.raises(ERROR_CLASSES[status]) as caught:
        client.lms_batch_upsert_course(body={"items": []})
    error = caught.value
    assert isinstance(error, errors.APIStatusError) and isinstance(error, errors.APIError)
    assert error.status_code == status
    assert error.headers["x-request-id"] == "req-9"
    assert "(request id req-9)" in str(error)
    assert type(error.body).__name__.endswith("Response")


def test_unparseable_error_body_is_kept_as_text() -> None:
    client = make_client(Recorder(httpx.Response(418, text="I'm a teapot")))
    with pytest.raises(errors.APIStatusError) as caught:
        client.lms_batch_upsert_course(body={"items": []})
    assert type(caught.value) is errors.APIStatusError
    assert caught.value.body == "I'm a teapot"


def test_malformed_success_body_raises_a_typed_error() -> None:
    for response in (httpx.Response(202, text="<html>oops"), httpx.Response(202, json={"errors": "nope"})):
        client = make_client(Recorder(response))
        with pytest.raises(errors.APIResponseValidationError) as caught:
            client.lms_batch_upsert_course(body={"items": []})
        assert caught.value.status_code == 202
    # A body that does not match says where: the first problem, and how many more there are.
    wrong = {"errors": [["fine"], [1, 2]], "meta": "x"}
    with pytest.raises(errors.APIResponseValidationError) as caught:
        make_client(Recorder(httpx.Response(202, json=wrong))).lms_batch_upsert_course(body={"items": []})
    assert "body does not match" in str(caught.value) and "(errors.1.0: Input should be a valid string" in str(
        caught.value
    )


def test_transport_failures_raise_connection_and_timeout_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(errors.APIConnectionError) as refused:
        make_client(refuse, max_retries=0).lms_batch_upsert_course(body={"items": []})
    assert not isinstance(refused.value, errors.APITimeoutError)
    with pytest.raises(errors.APITimeoutError):
        make_client(slow, max_retries=0).lms_batch_upsert_course(body={"items": []})


def test_retries_honour_retry_after_and_resend_the_same_bytes(seed_request: Any, seed_response: Any) -> None:
    recorder = Recorder(
        httpx.Response(429, json=load_fixture("lms_batch_upsert_course", "response_429"), headers={"Retry-After": "0"}),
        httpx.Response(408, headers={"retry-after-ms": "1"}),
        accepted(seed_response),
    )
    client = make_client(recorder, max_retries=2)
    raw = client.with_raw_response.lms_batch_upsert_course(body=seed_request)
    assert isinstance(raw, APIResponse)
    assert raw.retries_taken == 2 and raw.status_code == 202
    assert len({request.content for request in recorder.requests}) == 1
    assert len(recorder.requests) == 3


def test_no_retry_on_other_4xx_and_retry_count_on_errors() -> None:
    recorder = Recorder(httpx.Response(400, json={}))
    with pytest.raises(errors.BadRequestError):
        make_client(recorder, max_retries=3).lms_batch_upsert_course(body={"items": []})
    assert len(recorder.requests) == 1
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": "0"}))
    with pytest.raises(errors.APIStatusError) as caught:
        make_client(recorder, max_retries=2).lms_batch_upsert_course(body={"items": []})
    assert caught.value.retries_taken == 2 and len(recorder.requests) == 3


def test_retry_after_beyond_the_cap_raises_at_once() -> None:
    recorder = Recorder(httpx.Response(429, json={}, headers={"Retry-After": "3600"}))
    with pytest.raises(errors.RateLimitError) as caught:
        make_client(recorder, max_retries=5).lms_batch_upsert_course(body={"items": []})
    assert caught.value.retry_after == 3600
    assert len(recorder.requests) == 1


def test_credentials_never_leak_into_repr_str_or_errors() -> None:
    secret = "sk_live_SECRET_VALUE"
    recorder = Recorder(
        httpx.Response(401, json={"statusCode": 401, "message": "no", "timestamp": "2021-01-01T00:00:00Z"})
    )
    client = make_client(recorder, username=secret, password=secret)
    assert secret not in repr(client) and secret not in str(client)
    assert secret not in repr(client._settings)
    with pytest.raises(errors.AuthenticationError) as caught:
        client.lms_batch_upsert_course(body={"items": []})
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert secret not in repr(caught.value.body)


def test_missing_credentials_fail_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STACKONE_LMS_USERNAME", raising=False)
    with pytest.raises(errors.APIError, match="STACKONE_LMS_USERNAME"):
        Client()
    monkeypatch.setenv("STACKONE_LMS_USERNAME", "from-env")
    monkeypatch.setenv("STACKONE_LMS_ACCOUNT_ID", "acc-env")
    recorder = Recorder(httpx.Response(202, json={}))
    Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder))).lms_batch_upsert_course(
        body={"items": []}
    )
    assert recorder.requests[0].headers["x-account-id"] == "acc-env"
    assert recorder.requests[0].headers["authorization"] == "Basic " + base64.b64encode(b"from-env:").decode()


def test_header_values_with_line_breaks_are_refused() -> None:
    recorder = Recorder(httpx.Response(202, json={}))
    with pytest.raises(errors.RequestValidationError):
        make_client(recorder).lms_batch_upsert_course(body={"items": []}, x_account_id="acc\r\nX-Evil: 1")
    assert recorder.requests == []


def test_a_header_given_in_another_case_replaces_the_generated_one() -> None:
    # A header is one header in any case: both were sent (Accept: application/json and accept: text/csv).
    recorder = Recorder(httpx.Response(202, json={}))
    client = make_client(recorder, default_headers={"user-agent": "mine/1"})
    client.lms_batch_upsert_course(body={"items": []}, extra_headers={"accept": "text/csv", "X-ACCOUNT-ID": "acc-2"})
    sent = [(name.lower(), value) for name, value in recorder.requests[0].headers.raw]
    assert [value for name, value in sent if name == b"accept"] == [b"text/csv"]
    assert [value for name, value in sent if name == b"user-agent"] == [b"mine/1"]
    assert [value for name, value in sent if name == b"x-account-id"] == [b"acc-2"]


def test_async_client_matches_the_sync_client(seed_request: Any, seed_response: Any) -> None:
    recorder = Recorder(httpx.Response(500, headers={"Retry-After": "0"}), accepted(seed_response))

    async def main() -> models.BatchResultApiModel:
        http_client = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with AsyncClient(username="API_KEY", account_id="acc-1", http_client=http_client) as client:
            return await client.lms_batch_upsert_course(body=seed_request)

    result = asyncio.run(main())
    assert isinstance(result, models.BatchResultApiModel)
    assert len(recorder.requests) == 2
    assert recorder.requests[1].content == json.dumps(seed_request, separators=(",", ":"), ensure_ascii=False).encode()


def test_testing_module_as_a_consumer_uses_it(seed_request: Any) -> None:
    mock = MockAPI()
    client = mock.client()
    result = client.lms_batch_upsert_course(body=seed_request)
    # The success fixture, with one empty error list per item sent (its own three lists
    # would make every batch ambiguous).
    assert result.errors == [[] for _ in seed_request["items"]]
    assert result.message == load_fixture("lms_batch_upsert_course", "response_202")["message"]
    [call] = mock.calls
    assert call.operation == "lms_batch_upsert_course"
    assert call.json == seed_request
    mock.respond("lms_batch_upsert_course", status=409)
    with pytest.raises(errors.ConflictError):
        client.lms_batch_upsert_course(body=seed_request)
    mock.respond("lms_batch_upsert_course", json={"message": "custom"})
    assert client.lms_batch_upsert_course(body={"items": []}).message == "custom"
    # Requests sent around the client are checked too, as the real API would.
    raw = httpx.Client(transport=mock.transport, base_url=mock.base_url)
    with pytest.raises(MockRequestError, match="x-account-id"):
        raw.post("/unified/lms/courses/batch", json={"items": []}, headers={"authorization": "Basic eDo="})
    with pytest.raises(MockRequestError, match="invalid request body"):
        raw.post(
            "/unified/lms/courses/batch",
            json={"items": [{"active": "maybe"}]},
            headers={"authorization": "Basic eDo=", "x-account-id": "a"},
        )
    with pytest.raises(MockRequestError, match="no operation matches"):
        raw.get("/unified/lms/courses")


def test_testing_module_async() -> None:
    mock = MockAPI()

    async def main() -> None:
        async with mock.async_client() as client:
            await client.lms_batch_upsert_course(body=load_fixture("lms_batch_upsert_course", "request"))

    asyncio.run(main())
    assert len(mock.calls) == 1


def test_async_raw_response_gives_status_headers_and_retries() -> None:
    replies = [
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.Response(202, json={"message": "ok"}, headers={"x-request-id": "r1"}),
    ]

    async def main() -> APIResponse[models.BatchResultApiModel]:
        transport = httpx.MockTransport(lambda request: replies.pop(0))
        async with AsyncClient(
            username="u", account_id="a", http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            return await client.with_raw_response.lms_batch_upsert_course(body={"items": []})

    raw = asyncio.run(main())
    assert (raw.status_code, raw.headers["x-request-id"], raw.retries_taken) == (202, "r1", 1)
    assert raw.parsed.message == "ok"
