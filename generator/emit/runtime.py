"""The runtime modules of a generated package: every module of ``generator/runtime``, as it is.

They need no rendering, formatting or guard: the text is the generator's own, checked by its
linters, type checker and tests, and the same for every API. A rendered file of the same name
replaces its stand-in (see :mod:`generator.runtime`); the pipeline lets the rendered one win.
"""

from __future__ import annotations

from generator.paths import RUNTIME_DIR


def runtime_files(package: str) -> dict[str, bytes]:
    """``{path relative to the output folder: bytes}`` of each runtime module, for ``package``."""
    return {f"{package}/{path.name}": path.read_bytes() for path in sorted(RUNTIME_DIR.glob("*.py"))}
