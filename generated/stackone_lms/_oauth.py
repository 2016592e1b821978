"""OAuth 2 client credentials (RFC 6749, section 4.4): the client fetches, caches and renews its token.

:class:`TokenCache` decides, without I/O, when a token is fetched, the request that fetches
it and what the answer means; the transports send that request through their own
``_receive`` (the same size cap, deadline and connection limit as every call), under
the client's lock (a thread lock, or an asyncio lock for the async client), so that
concurrent calls wait for one fetch instead of each making their own. A token request that
fails at the network is retried like the call's own attempts; one the token URL refuses ends
the call with a status error that names the URL and the OAuth error code, never the secret.

Why no OAuth library: authlib, the maintained one with an httpx integration, fetches and
renews tokens in its own ``httpx.Client`` subclasses (``OAuth2Client``), which could serve
neither a caller's ``http_client`` nor the blocking client's deadline transport, nor renew
a token the API refuses with a 401; its ``OAuth2Auth`` only adds a token it is given. It
would also add ``cryptography``, a compiled wheel, to every generated package. The grant is
one form POST and one JSON answer; the state machine below is its whole client side.
"""

from __future__ import annotations

import base64
import json
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlencode

import httpx

from . import errors
from ._exceptions import status_error_class
from ._runtime import Secret, Settings
from ._spec import ENV_PREFIX, OAUTH2, USER_AGENT

if TYPE_CHECKING:
    from ._response import Received

__all__ = ["EXTENSION", "TokenCache", "Tokens", "uses_client_credentials"]

#: The request extension naming the scheme whose token a request waits for (set by ``_request``).
EXTENSION = "oauth2_client_credentials"
#: A token is renewed this long before it expires (clock skew, time in flight), or at half its life.
EXPIRY_MARGIN = 30.0
# A bearer token (RFC 6750's b64token, leniently): printable ASCII without spaces.
_TOKEN = re.compile(r"[\x21-\x7e]+")
# An OAuth 2 error code (RFC 6749, section 5.2): what an error message may quote of the answer.
_ERROR_CODE = re.compile(r"[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}")


def uses_client_credentials(scheme: str, credentials: Mapping[str, Secret]) -> bool:
    """Whether the client fetches ``scheme``'s token itself: it has a client id and no token of its own."""
    return scheme in OAUTH2 and "access_token" not in credentials and "client_id" in credentials


class TokenCache:
    """One scheme's token: when to fetch it, the request that does, what the answer means. No I/O."""

    def __init__(
        self,
        url: httpx.URL,
        method: str,
        client_id: Secret,
        client_secret: Secret,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._method = method
        self._client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self._token: Secret | None = None
        self._renew_at = -math.inf

    def __repr__(self) -> str:
        return f"TokenCache({str(self._url)!r})"

    def stale(self, refused: str | None = None) -> bool:
        """Whether to fetch a token first: none yet, near its expiry, or it is ``refused`` (by a 401).

        A token refused by one call but already renewed by another is not fetched again.
        """
        return (
            self._token is None
            or self._clock() >= self._renew_at
            or self._token.reveal() == refused
        )

    def fetch_request(self, request: httpx.Request) -> httpx.Request:
        """The token request to send before ``request``, within the same timeout."""
        client_id, client_secret = self._client_id.reveal(), self._client_secret.reveal()
        form = {"grant_type": "client_credentials"}
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": USER_AGENT,
        }
        if self._method == "client_secret_post":
            form.update(client_id=client_id, client_secret=client_secret)
        else:
            # RFC 6749, section 2.3.1: each form-encoded, then HTTP Basic.
            pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        timeout = request.extensions.get("timeout")
        return httpx.Request(
            "POST",
            self._url,
            headers=headers,
            content=urlencode(form).encode(),
            extensions={} if timeout is None else {"timeout": timeout},
        )

    def accept(self, outcome: Received | BaseException) -> BaseException | None:
        """Keep the token the answer to :meth:`fetch_request` brings; else the error to end the attempt with.

        No error carries the token request (its secret) or the token.
        """
        if isinstance(outcome, BaseException):
            if isinstance(outcome, httpx.RequestError):
                outcome.request = self._public_request()
            return outcome
        response = outcome.response
        try:
            payload: Any = json.loads(outcome.content)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            payload = {}
        public = httpx.Response(
            response.status_code, headers=response.headers, request=self._public_request()
        )
        if response.status_code != 200:
            code = payload.get("error")
            detail = f": {code}" if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else ""
            return status_error_class(response.status_code, errors.STATUS_ERRORS)(
                f"OAuth 2 token request to {self._url} failed:"
                f" HTTP {response.status_code} {response.reason_phrase}{detail}",
                response=public,
                body={"error": code} if detail else None,
            )
        token, kind = payload.get("access_token"), payload.get("token_type", "bearer")
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            return errors.APIResponseValidationError(
                f"OAuth 2 token response from {self._url} has no usable access_token",
                response=public,
                body=None,
            )
        if not isinstance(kind, str) or kind.lower() != "bearer":
            return errors.APIResponseValidationError(
                f"OAuth 2 token response from {self._url} is not a bearer token"
                f" (token_type {str(kind)[:40]!r})",
                response=public,
                body=None,
            )
        self._token = Secret(token)
        lifetime = _lifetime(payload.get("expires_in"))
        self._renew_at = self._clock() + lifetime - min(EXPIRY_MARGIN, lifetime / 2)
        return None

    def authorize(self, request: httpx.Request) -> str:
        """Put the token in ``request``; returns it, to name it if the API refuses it."""
        assert self._token is not None
        token = self._token.reveal()
        request.headers["Authorization"] = f"Bearer {token}"
        return token

    def _public_request(self) -> httpx.Request:
        return httpx.Request("POST", self._url)


def _lifetime(expires_in: Any) -> float:
    """Seconds a token lasts; without a usable ``expires_in``, until the API refuses it."""
    if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float, str)):
        return math.inf
    try:
        seconds = float(expires_in)
    except ValueError:
        return math.inf
    return seconds if math.isfinite(seconds) and seconds > 0 else math.inf


def refused(outcome: Received | BaseException) -> bool:
    """Whether the API refused the token (401): it is renewed once, then the 401 is the answer."""
    return not isinstance(outcome, BaseException) and outcome.response.status_code == 401


class Tokens:
    """The OAuth 2 tokens of one client, one per scheme."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        credentials = settings.credentials
        self._caches: dict[str, TokenCache] = {}
        if "client_id" in credentials and OAUTH2:
            if "client_secret" not in credentials:
                raise errors.APIError(
                    "client_secret is missing: pass it to the client or set"
                    f" {ENV_PREFIX}_CLIENT_SECRET"
                )
            self._caches = {
                scheme: TokenCache(
                    settings.base_url.join(url),
                    method,
                    credentials["client_id"],
                    credentials["client_secret"],
                    clock,
                )
                for scheme, (url, method) in OAUTH2.items()
            }

    def __repr__(self) -> str:
        return f"Tokens({sorted(self._caches)!r})"

    def cache_for(self, request: httpx.Request) -> TokenCache | None:
        """The token cache of the scheme ``request`` waits for a token of, if any."""
        return self._caches.get(request.extensions.get(EXTENSION, ""))
