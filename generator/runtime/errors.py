"""Stand-in for the package's ``errors`` (rendered from ``templates/package/errors.py.jinja``): no declared statuses."""

from __future__ import annotations

from ._exceptions import *  # noqa: F403
from ._exceptions import APIStatusError

#: The exception class raised for each status the API declares.
STATUS_ERRORS: dict[int, type[APIStatusError]] = {}
