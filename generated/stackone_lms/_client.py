"""The StackOne LMS clients: :class:`Client` (blocking) and :class:`AsyncClient`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

import httpx

from . import _endpoints, _lazy, _runtime, _servers, _transport, errors
from ._hooks import Hooks
from ._runtime import Settings

__all__ = [
    "AsyncClient",
    "AsyncClientWithRawResponse",
    "AsyncClientWithStreamingResponse",
    "Client",
    "ClientWithRawResponse",
    "ClientWithStreamingResponse",
]

_MISSING_CREDENTIALS = (
    "credentials are missing: pass username to the client, or set STACKONE_LMS_USERNAME"
)


def _settings(
    *,
    base_url: str | httpx.URL | None,
    server: str | None,
    username: str | None,
    password: str | None,
    account_id: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    default_headers: Mapping[str, str] | None,
    max_response_bytes: int,
    max_connections: int,
    pause_gc: bool,
    hooks: Hooks | None,
) -> Settings:
    _url = _servers.base_url_of(base_url, server, {})
    _credentials: dict[str, _runtime.Secret] = {}
    username = _runtime.setting(username, "STACKONE_LMS_USERNAME")
    if username is not None:
        _credentials["username"] = _runtime.Secret(username)
    password = _runtime.setting(password, "STACKONE_LMS_PASSWORD")
    if password is not None:
        _credentials["password"] = _runtime.Secret(password)
    # HTTP Basic with an API key alone: the password may be empty.
    if "username" in _credentials:
        _credentials.setdefault("password", _runtime.Secret(""))
    if not any(_name in _credentials for _name in ["username"]):
        raise errors.APIError(_MISSING_CREDENTIALS)
    _defaults: dict[str, str] = {}
    account_id = _runtime.setting(account_id, "STACKONE_LMS_ACCOUNT_ID")
    if account_id is not None:
        _defaults["x-account-id"] = account_id
    if max_retries is not None and max_retries < 0:
        raise ValueError("max_retries must be 0 or more")
    if max_connections < 1:
        raise ValueError("max_connections must be at least 1")
    return Settings(
        base_url=_runtime.base_url(_url, "STACKONE_LMS_BASE_URL"),
        credentials=_credentials,
        defaults=_defaults,
        headers=dict(default_headers or {}),
        timeout=_runtime.as_timeout(timeout),
        max_retries=_runtime.DEFAULT_MAX_RETRIES if max_retries is None else max_retries,
        max_response_bytes=max_response_bytes,
        max_connections=max_connections,
        pause_gc=pause_gc,
        hooks=hooks or Hooks(),
    )


if TYPE_CHECKING:

    class _SyncMethods(
        _endpoints.courses.SyncMethods,
    ):
        """Every group's ``SyncMethods``, for type checkers."""

    class _AsyncMethods(
        _endpoints.courses.AsyncMethods,
    ):
        """Every group's ``AsyncMethods``, for type checkers."""

    class _SyncRawResponses(
        _endpoints.courses.SyncRawResponses,
    ):
        """Every group's ``SyncRawResponses``, for type checkers."""

    class _AsyncRawResponses(
        _endpoints.courses.AsyncRawResponses,
    ):
        """Every group's ``AsyncRawResponses``, for type checkers."""

    class _SyncStreamingResponses(
        _endpoints.courses.SyncStreamingResponses,
    ):
        """Every group's ``SyncStreamingResponses``, for type checkers."""

    class _AsyncStreamingResponses(
        _endpoints.courses.AsyncStreamingResponses,
    ):
        """Every group's ``AsyncStreamingResponses``, for type checkers."""

else:
    # At run time each group's methods are loaded on first use, and wrapped on first use (see ._lazy).
    _SyncMethods = _lazy.methods_base(_transport.SyncTransport, "SyncMethods", _endpoints.GROUPS)
    _AsyncMethods = _lazy.methods_base(_transport.AsyncTransport, "AsyncMethods", _endpoints.GROUPS)
    _SyncRawResponses = _AsyncRawResponses = _lazy.RawResponses
    _SyncStreamingResponses = _lazy.StreamingResponses
    _AsyncStreamingResponses = _lazy.AsyncStreamingResponses


class Client(_SyncMethods):
    """Blocking client of the StackOne LMS API.

    Use it as a context manager, or call :meth:`close`, to release connections.
    """

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        server: str | None = None,
        username: str | None = None,
        password: str | None = None,
        account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int = _runtime.MAX_RESPONSE_BYTES,
        max_connections: int = _runtime.MAX_CONNECTIONS,
        pause_gc: bool = False,
        hooks: Hooks | None = None,
    ) -> None:
        """Create a client.

        Args:
            base_url: Defaults to ``STACKONE_LMS_BASE_URL``, else the URL of the ``server``.
            server: One of the API's servers (default ``STACKONE_LMS_SERVER``, else the first):
                ``stack_one_production_api``: https://api.stackone.com (StackOne production API)
            username: Defaults to ``STACKONE_LMS_USERNAME``.
            password: Defaults to ``STACKONE_LMS_PASSWORD``.
            account_id: Default ``x-account-id`` header of every call; defaults to ``STACKONE_LMS_ACCOUNT_ID``.
            timeout: Seconds, or an ``httpx.Timeout``; default 60 s (10 s to connect). Each
                attempt also ends after the largest of these values in all, whatever the server does.
            max_retries: Retries after connection errors, timeouts, 408, 429 and 5xx; default 2.
            http_client: An ``httpx.Client`` to send requests with, used as given.
            default_headers: Headers sent with every request.
            max_response_bytes: Larger responses (received or decoded) are refused; default 50 MB.
            max_connections: Requests in flight at once, and connections open; default 100.
                Further calls wait for a free slot. With an ``http_client``, match its pool limits.
            pause_gc: Pause Python's garbage collector (process-wide) while validating bodies,
                about twice as fast on large batches; off by default.
            hooks: Functions run before each attempt, after each response and on a call's
                error (see :class:`Hooks`).
        """
        self._settings = _settings(
            base_url=base_url,
            server=server,
            username=username,
            password=password,
            account_id=account_id,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            max_response_bytes=max_response_bytes,
            max_connections=max_connections,
            pause_gc=pause_gc,
            hooks=hooks,
        )
        self._open(http_client)

    @functools.cached_property
    def with_raw_response(self) -> ClientWithRawResponse:
        """The same methods, returning an :class:`APIResponse` (status, headers, retries)."""
        return ClientWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> ClientWithStreamingResponse:
        """The same methods, as ``with`` blocks giving the response with its body unread:
        iterate its bytes or write it to a file, in bounded memory."""
        return ClientWithStreamingResponse(self)


class AsyncClient(_AsyncMethods):
    """Asynchronous client of the StackOne LMS API; the twin of :class:`Client`.

    Use it as an async context manager, or await :meth:`close`.
    """

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        server: str | None = None,
        username: str | None = None,
        password: str | None = None,
        account_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int = _runtime.MAX_RESPONSE_BYTES,
        max_connections: int = _runtime.MAX_CONNECTIONS,
        pause_gc: bool = False,
        hooks: Hooks | None = None,
    ) -> None:
        """Create a client.

        Args:
            base_url: Defaults to ``STACKONE_LMS_BASE_URL``, else the URL of the ``server``.
            server: One of the API's servers (default ``STACKONE_LMS_SERVER``, else the first):
                ``stack_one_production_api``: https://api.stackone.com (StackOne production API)
            username: Defaults to ``STACKONE_LMS_USERNAME``.
            password: Defaults to ``STACKONE_LMS_PASSWORD``.
            account_id: Default ``x-account-id`` header of every call; defaults to ``STACKONE_LMS_ACCOUNT_ID``.
            timeout: Seconds, or an ``httpx.Timeout``; default 60 s (10 s to connect). Each
                attempt also ends after the largest of these values in all, whatever the server does.
            max_retries: Retries after connection errors, timeouts, 408, 429 and 5xx; default 2.
            http_client: An ``httpx.AsyncClient`` to send requests with, used as given.
            default_headers: Headers sent with every request.
            max_response_bytes: Larger responses (received or decoded) are refused; default 50 MB.
            max_connections: Requests in flight at once, and connections open; default 100.
                Further calls wait for a free slot. With an ``http_client``, match its pool limits.
            pause_gc: Pause Python's garbage collector (process-wide) while validating bodies,
                about twice as fast on large batches; off by default.
            hooks: Functions run before each attempt, after each response and on a call's
                error (see :class:`Hooks`).
        """
        self._settings = _settings(
            base_url=base_url,
            server=server,
            username=username,
            password=password,
            account_id=account_id,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            max_response_bytes=max_response_bytes,
            max_connections=max_connections,
            pause_gc=pause_gc,
            hooks=hooks,
        )
        self._open(http_client)

    @functools.cached_property
    def with_raw_response(self) -> AsyncClientWithRawResponse:
        """The same methods, returning an :class:`APIResponse` (status, headers, retries)."""
        return AsyncClientWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> AsyncClientWithStreamingResponse:
        """The same methods, as ``async with`` blocks giving the response with its body unread:
        iterate its bytes or write it to a file, in bounded memory."""
        return AsyncClientWithStreamingResponse(self)


class ClientWithRawResponse(_SyncRawResponses):
    """:class:`Client`'s methods, returning the :class:`APIResponse` instead of only the parsed body."""


class AsyncClientWithRawResponse(_AsyncRawResponses):
    """:class:`AsyncClient`'s methods, returning the :class:`APIResponse` instead of only the parsed body."""


class ClientWithStreamingResponse(_SyncStreamingResponses):
    """:class:`Client`'s methods, each a ``with`` block giving a :class:`~._streams.StreamedResponse`."""


class AsyncClientWithStreamingResponse(_AsyncStreamingResponses):
    """:class:`AsyncClient`'s methods, each an ``async with`` block giving a :class:`~._streams.StreamedResponse`."""
