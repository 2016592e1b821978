"""What the runtime of this package takes from the StackOne LMS API's document."""

from __future__ import annotations

from collections.abc import Mapping

#: What the client's environment variables start with (``<ENV_PREFIX>_BASE_URL``, ...).
ENV_PREFIX = "STACKONE_LMS"
USER_AGENT = "stackone-lms-python/1.0.0"
#: Security scheme -> (how its credential is sent: "basic", "bearer", "header", "query" or
#: "cookie"; the API key's parameter name; the client's credential arguments).
SCHEMES: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "basic": ("basic", "", ("username", "password")),
}
#: Schemes the API marks deprecated: using one warns.
DEPRECATED_SCHEMES: frozenset[str] = frozenset()
#: Server name -> (URL template; variable -> (the client's argument, default, enum)); the first
#: server is the default.
SERVERS: Mapping[str, tuple[str, Mapping[str, tuple[str, str | None, tuple[str, ...]]]]] = {
    "stack_one_production_api": (
        "https://api.stackone.com",
        {},
    ),
}
#: OAuth 2 scheme with a client credentials flow -> (its token URL, relative to the base URL,
#: and how the client authenticates there: "client_secret_basic" or "client_secret_post").
OAUTH2: Mapping[str, tuple[str, str]] = {}
