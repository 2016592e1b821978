"""The physical lines of Python source, counted the way the parser counts them.

``ast`` and ``tokenize`` number lines at ``\\n``, ``\\r\\n`` and ``\\r`` only.
``str.splitlines`` also breaks at U+2028, U+2029, U+0085, ``\\x0b``, ``\\x0c`` and
``\\x1c``-``\\x1e``, all of which a spec string may carry into a docstring: text
sliced by those line numbers would land on the wrong lines. Every step that
edits or cuts generated source by positions takes its lines from here.
"""

from __future__ import annotations

import io


def physical_lines(source: str) -> list[str]:
    """``source`` split where Python ends a line, each line keeping its ending."""
    return io.StringIO(source, newline="").readlines()
