"""What a user chooses beside the spec (kept import-light: the fast ``--check`` reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    """Each ``None`` or empty choice is derived from the spec."""

    package_name: str | None = None
    package_version: str | None = None
    overlays: tuple[Path, ...] = ()
