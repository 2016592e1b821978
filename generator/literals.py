"""Python literals of spec values, the escaper every step that writes code uses (the IR's declarations, the templates)."""

from __future__ import annotations


def python_literal(value: object) -> str:
    """``repr``, with the double quotes black prefers when the text holds no quote at all.

    Emitting what black would write spares it the rewriting, the slow part of formatting.
    """
    if isinstance(value, str):
        literal = repr(value)
        return f'"{literal[1:-1]}"' if literal[0] == "'" and "'" not in value and '"' not in value else literal
    if isinstance(value, tuple):
        items = [python_literal(item) for item in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    return repr(value)
