"""The client's base URL: given, or built from one of the document's servers and its variables."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

import httpx

from . import errors
from ._spec import ENV_PREFIX, SERVERS

# What a variable the document does not enumerate may hold: unreserved URL characters, so that a
# value stays within its part of the URL (no "/", "@", ":", "?" or "#" to add a path or a host).
_SAFE_VALUE = re.compile(r"[A-Za-z0-9._~-]+")
_VARIABLE = re.compile(r"\{([^{}]*)\}")


def base_url_of(
    base_url: str | httpx.URL | None, server: str | None, values: Mapping[str, str | None]
) -> str | httpx.URL:
    """``base_url`` when given; else the chosen server's URL when a server or a variable is given;
    else ``<PREFIX>_BASE_URL``; else the server of ``<PREFIX>_SERVER`` (or the first one).

    ``values``: the client's server-variable arguments by name; an argument not given is read from
    ``<PREFIX>_<ARGUMENT>``, then the document's default.
    """
    chosen = server is not None or any(value is not None for value in values.values())
    if base_url is not None:
        if chosen:
            raise errors.APIError("pass base_url, or a server and its variables, not both")
        return base_url
    if not chosen and (from_env := os.environ.get(f"{ENV_PREFIX}_BASE_URL")):
        return from_env
    if not SERVERS:
        raise errors.APIError(
            f"base_url is missing: pass it to the client or set {ENV_PREFIX}_BASE_URL"
        )
    if server is None:
        server = os.environ.get(f"{ENV_PREFIX}_SERVER") or next(iter(SERVERS))
    if server not in SERVERS:
        raise errors.APIError(
            f"server {server!r} is not one of the API's: {', '.join(map(repr, SERVERS))}"
        )
    template, variables = SERVERS[server]
    arguments = {argument for argument, _, _ in variables.values()}
    unused = [name for name, value in values.items() if value is not None and name not in arguments]
    if unused:
        raise errors.APIError(f"server {server!r} takes no {', '.join(unused)}")
    resolved = {
        name: _value(argument, values.get(argument), default, enum)
        for name, (argument, default, enum) in variables.items()
    }
    # One pass: a value is never read as a template.
    return _VARIABLE.sub(lambda match: resolved.get(match[1], match[0]), template)


def _value(argument: str, given: str | None, default: str | None, enum: tuple[str, ...]) -> str:
    """A variable's value: given (checked), else from the environment (checked), else the default."""
    value = given if given is not None else os.environ.get(f"{ENV_PREFIX}_{argument.upper()}")
    if value is None:
        if default is None:
            raise errors.APIError(
                f"{argument} is missing: pass it to the client or set {ENV_PREFIX}_{argument.upper()}"
            )
        return default
    if enum:
        if value not in enum:
            raise errors.APIError(
                f"{argument} must be one of {', '.join(map(repr, enum))}, not {value!r}"
            )
    elif not _SAFE_VALUE.fullmatch(value) or value in (".", ".."):
        raise errors.APIError(
            f"{argument} may hold only letters, digits, '-', '.', '_' and '~' (and not be"
            " '.' or '..'), so that it cannot change the URL's host or path"
        )
    return value
