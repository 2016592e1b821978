"""Format generated Python with black, using fixed settings.

black is called as a library with an explicit mode, so no ``pyproject.toml``
near the output folder (or anywhere else) can change the result.
"""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=100, magic_trailing_comma=True)


def format_python(source: str, name: str) -> str:
    """Return ``source`` formatted; raise ``RuntimeError`` naming the file if it is not valid Python."""
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as error:
        raise RuntimeError(f"generated {name} is not valid Python: {error}") from error
