"""The generated package's version: the spec's ``info.version`` as PEP 440 where it maps, else a choice."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from generator.errors import Diagnostics


def is_version(text: str) -> bool:
    """Whether ``text`` is a PEP 440 version (``2.3.0-beta.1`` is; ``2026-01-28.clover`` is not)."""
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def package_version(spec_version: str, chosen: str | None, diagnostics: Diagnostics) -> str:
    """``chosen`` (already checked), else ``info.version`` normalised (``2.3.0-beta.1`` -> ``2.3.0b1``),
    else ``0.0.0`` with a warning that says how to choose one."""
    if chosen is not None:
        return str(Version(chosen))
    if is_version(spec_version):
        return str(Version(spec_version))
    diagnostics.warn(
        "/info/version",
        f"{spec_version[:60]!r} is not a PEP 440 version; the package is versioned 0.0.0"
        " (choose one with --package-version)",
    )
    return "0.0.0"
