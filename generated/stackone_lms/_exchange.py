"""One call, from the first attempt to the parsed result, and the retry policy between attempts.

:func:`exchange` is a generator that yields either an :class:`httpx.Request` to send
or a number of seconds to sleep; :class:`Client` and :class:`AsyncClient` only carry
out those steps, so both make exactly the same decisions.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import time
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from typing import TypeVar

import httpx

from . import errors
from ._request import build_request
from ._response import Received, _parse_success, _status_error
from ._runtime import (
    INITIAL_BACKOFF,
    MAX_BACKOFF,
    MAX_RETRY_AFTER,
    RETRYABLE_STATUSES,
    APIResponse,
    Call,
    OperationSpec,
    Settings,
)

logger = logging.getLogger(__package__)

T = TypeVar("T")


def parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            value = float(milliseconds) / 1000
            return value if math.isfinite(value) and value >= 0 else None
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
        return value if math.isfinite(value) and value >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def backoff(retries_taken: int, jitter: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: about 0.5 s, 1 s, 2 s... capped at 8 s.

    ``jitter`` gives a number in [0, 1) that takes up to a quarter off the delay.
    """
    delay: float = min(MAX_BACKOFF, INITIAL_BACKOFF * 2.0**retries_taken)
    return delay * (1 - 0.25 * jitter())


def _retryable_exception(error: BaseException) -> bool:
    return isinstance(
        error, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
    )


def _log_attempt(
    request: httpx.Request, outcome: Received | BaseException, started: float, retries_taken: int
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    status = (
        outcome.response.status_code if isinstance(outcome, Received) else type(outcome).__name__
    )
    # Only method, URL without query (query strings can carry keys), status and timing: never headers or bodies.
    logger.debug(
        "%s %s -> %s in %.3fs (retry %d)",
        request.method,
        request.url.copy_with(query=None),
        status,
        time.monotonic() - started,
        retries_taken,
    )


Step = httpx.Request | float


def exchange(
    settings: Settings,
    operation: OperationSpec[T],
    call: Call,
    *,
    clock: Callable[[], float] = time.time,
) -> Generator[Step, Received | BaseException | None, APIResponse[T]]:
    """Run one call: yield requests to send and delays to sleep; return the parsed response.

    The driver answers each request with a :class:`Received` or the exception the
    transport raised, and each delay with ``None``. ``clock`` (seconds since the epoch)
    dates a ``Retry-After`` given as an HTTP date.
    """
    request = build_request(settings, operation, call)
    max_retries = (
        settings.max_retries if call.options.max_retries is None else call.options.max_retries
    )
    retries_taken = 0
    while True:
        started = time.monotonic()
        outcome = yield request
        assert outcome is not None
        _log_attempt(request, outcome, started, retries_taken)
        can_retry = retries_taken < max_retries
        if isinstance(outcome, BaseException):
            if isinstance(outcome, errors.APIError):
                outcome.retries_taken = retries_taken
                raise outcome
            if not (can_retry and _retryable_exception(outcome)):
                raise _transport_error(outcome, request, retries_taken) from outcome
            delay = backoff(retries_taken)
        else:
            status = outcome.response.status_code
            if 200 <= status < 300:
                return APIResponse(
                    _parse_success(operation, outcome, retries_taken, settings.pause_gc),
                    outcome.response,
                    retries_taken,
                )
            retry_after = parse_retry_after(outcome.response.headers, clock())
            retryable = status in RETRYABLE_STATUSES or status in operation.retry_statuses
            if not (can_retry and retryable) or (
                retry_after is not None and retry_after > MAX_RETRY_AFTER
            ):
                raise _status_error(operation, outcome, retries_taken, retry_after)
            delay = backoff(retries_taken) if retry_after is None else retry_after
        retries_taken += 1
        yield delay


def _transport_error(
    error: BaseException, request: httpx.Request, retries_taken: int
) -> errors.APIError:
    if isinstance(error, httpx.TimeoutException):
        return errors.APITimeoutError(
            f"{request.method} {request.url.copy_with(query=None)} timed out ({type(error).__name__})",
            request=request,
            retries_taken=retries_taken,
        )
    return errors.APIConnectionError(
        f"{request.method} {request.url.copy_with(query=None)} failed: {type(error).__name__}: {error}",
        request=request,
        retries_taken=retries_taken,
    )
