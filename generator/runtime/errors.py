"""Stand-in for the package's ``errors`` (rendered from ``templates/package/__package__/errors.py.jinja``):
no declared statuses."""

from __future__ import annotations

from ._exceptions import *  # noqa: F403
from ._exceptions import FIXED_STATUS_ERRORS, APIStatusError

#: The exception class raised for each status: here only the fixed ones.
STATUS_ERRORS: dict[int, type[APIStatusError]] = dict(FIXED_STATUS_ERRORS)
