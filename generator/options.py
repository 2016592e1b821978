"""What a user chooses beside the spec (kept import-light: the fast ``--check`` reads it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# PEP 508's names of distributions.
_DISTRIBUTION = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


@dataclass(frozen=True)
class Options:
    """Each ``None`` or empty choice is derived from the spec."""

    package_name: str | None = None
    package_version: str | None = None
    overlays: tuple[Path, ...] = ()
    dist_name: str | None = None


def is_distribution_name(name: str) -> bool:
    return bool(_DISTRIBUTION.match(name))
