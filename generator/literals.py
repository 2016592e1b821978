"""Python literals of spec values, the escaper every step that writes code uses (the IR's declarations, the
templates), and the characters no generated code holds as they are (:data:`DISPLAY_UNSAFE`)."""

from __future__ import annotations

import ast
import functools
import re
import tokenize

from generator.emit.sourcelines import physical_lines

_ESCAPE_OR_QUOTE = re.compile(r'\\.|"')

#: The characters a spec's text never carries into generated code as they are: the controls (but the tab and
#: the line feed) and the line breaks Python does not read as such (U+2028...), which a terminal or an editor
#: acts on or breaks a line at, and the bidirectional marks, embeddings, overrides and isolates, which make
#: code display otherwise than it runs ("Trojan Source"). In prose they become spaces, in data escapes.
DISPLAY_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def plain_prose(text: str) -> str:
    """A spec's prose (a description, a title) as generated docs show it: a space for each
    :data:`DISPLAY_UNSAFE` character, a ``\\r\\n`` line break as ``\\n``."""
    return DISPLAY_UNSAFE.sub(" ", text.replace("\r\n", "\n"))


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


def escaped_display_unsafe(source: str) -> str:
    """``source`` (Python) meaning the same, with each :data:`DISPLAY_UNSAFE` character of its string literals
    written as an escape (the model generator writes an enum's value, a description's docstring, as the
    document has them) and every line ending ``\\n`` (Python reads ``\\r\\n`` and ``\\r`` so, in a literal
    too). A raw literal is written anew (:func:`python_literal`); one with no escapes (an f-string, bytes)
    is left as it is: the caller checks what is written."""
    lines = [line.rstrip("\r\n") + "\n" if "\r" in line[-2:] else line for line in physical_lines(source)]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    text = "".join(lines)
    edits = []
    for token in tokenize.generate_tokens(functools.partial(next, iter(lines), "")):
        if token.type == tokenize.STRING and DISPLAY_UNSAFE.search(token.string):
            escaped = _escaped_literal(token.string)
            if escaped is not None:
                edits.append(
                    (starts[token.start[0] - 1] + token.start[1], starts[token.end[0] - 1] + token.end[1], escaped)
                )
    for start, end, escaped in reversed(edits):
        text = text[:start] + escaped + text[end:]
    return text


def _escaped_literal(literal: str) -> str | None:
    """The string ``literal`` (one token) with its display-unsafe characters as escapes; ``None`` if it has none
    to mean the same."""
    prefix = literal[: len(literal) - len(literal.lstrip("rRbBuUfF"))].lower()
    if "f" in prefix or "b" in prefix:
        return None
    if "r" in prefix:
        return python_literal(ast.literal_eval(literal)) if "\n" not in literal else None
    written: list[str] = []
    characters = iter(literal)
    for character in characters:
        if character == "\\":
            escaped = next(characters, "")
            # An escape Python does not know keeps its backslash: written as one, before the character's escape.
            written.append("\\\\" + _escape(escaped) if DISPLAY_UNSAFE.fullmatch(escaped) else character + escaped)
        else:
            written.append(_escape(character) if DISPLAY_UNSAFE.fullmatch(character) else character)
    return "".join(written)


def _escape(character: str) -> str:
    """``character`` as Python's escape of it (``\\x1b``, ``\\u202e``)."""
    return character.encode("unicode_escape").decode("ascii")
