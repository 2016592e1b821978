"""Python literals of spec values, the escaper every step that writes code uses (the IR's declarations, the templates)."""

from __future__ import annotations

import re

_ESCAPE_OR_QUOTE = re.compile(r'\\.|"')


def python_literal(value: object) -> str:
    """``repr``, with the quotes black picks for a string: double ones unless single ones need fewer escapes.

    Emitting what black would write is what lets the generator write its modules without running black.
    """
    if isinstance(value, str):
        literal = repr(value)
        if literal[0] == '"' or value.count("'") < value.count('"'):
            return literal  # repr's double quotes, or single ones black keeps
        # Each escape whole (a backslash and the character after it), so "\\'" is not taken for "\'".
        return '"' + _ESCAPE_OR_QUOTE.sub(_requoted, literal[1:-1]) + '"'
    if isinstance(value, tuple):
        items = [python_literal(item) for item in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    return repr(value)


def _requoted(match: re.Match[str]) -> str:
    """An escape or a quote of a single-quoted literal's text, as it is written between double quotes."""
    found = match.group()
    return "'" if found == "\\'" else '\\"' if found == '"' else found
