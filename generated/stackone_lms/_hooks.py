"""Hooks: the caller's functions run around each request, given to the client as ``hooks=Hooks(...)``.

``before_request`` and ``after_response`` run on every attempt (a retried call runs them
again), with the request as sent (credentials included) and the response as received
(status and headers; its body is read by the client); they may change either in place,
e.g. add a header. ``on_error`` runs once per call, with the :class:`~.errors.APIError` about to be
raised. An OAuth 2 token request is not an attempt: hooks never see the client secret.
The blocking client takes plain functions; the async client takes plain or async ones.
A hook's own exception ends the call.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from . import errors

__all__ = ["Hooks"]

T = TypeVar("T")


@dataclass(frozen=True)
class Hooks:
    """Functions to run before each attempt, after each response, and once on a call's error."""

    before_request: Sequence[Callable[[httpx.Request], Any]] = ()
    after_response: Sequence[Callable[[httpx.Response], Any]] = ()
    on_error: Sequence[Callable[[errors.APIError], Any]] = ()


def run(hooks: Sequence[Callable[[T], Any]], value: T) -> None:
    """Run the blocking client's ``hooks`` on ``value``, in order."""
    for hook in hooks:
        result = hook(value)
        if inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()  # never awaited: closed, so Python does not warn about it
            raise TypeError(
                f"hook {getattr(hook, '__name__', hook)!r} is async: give it to the AsyncClient"
            )


async def arun(hooks: Sequence[Callable[[T], Any]], value: T) -> None:
    """Run the async client's ``hooks`` on ``value``, in order, awaiting the async ones."""
    for hook in hooks:
        result = hook(value)
        if inspect.isawaitable(result):
            await result
