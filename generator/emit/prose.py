"""A document's descriptions as docstring prose: Markdown paragraphs reflowed to a width.

Descriptions are CommonMark, where the lines of a paragraph are one text: a document wrapped at 100
columns, wrapped again line by line at 80, left a short line after each long one. Paragraphs and list
items are joined and wrapped whole here; what Markdown lays out by lines (code, tables, headings,
quotes, HTML, a hard break) is kept line for line. The result is plain text, to be escaped for its
place like any text of the document.
"""

from __future__ import annotations

import re
import textwrap

#: A list item's marker, after at most three spaces: ``-``, ``*``, ``+``, ``1.`` or ``1)``.
_ITEM = re.compile(r"( {0,3}(?:[-*+]|[0-9]{1,9}[.)]))[ \t]+(?=\S)")
#: Lines Markdown lays out as they are, which end a paragraph: a heading, a quote, a table's row, HTML.
_KEPT = re.compile(r" {0,3}(?:[|#>]|<[A-Za-z/!])")
#: Code indented, kept as it is too, but only outside a paragraph (within, its words go on).
_CODE = re.compile(r" {4}|\t")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")


def reflowed(text: str, width: int = 80) -> str:
    """``text`` with each paragraph and list item wrapped at ``width`` (a word longer than it, a URL,
    stays whole on a line of its own), a list item's lines after its first under its text."""
    lines: list[str] = []
    words: list[str] = []
    first = hanging = ""

    def flush() -> None:
        if words:
            lines.extend(
                textwrap.wrap(
                    " ".join(words),
                    width,
                    initial_indent=first,
                    subsequent_indent=hanging,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
            words.clear()

    fenced = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if fenced or _FENCE.match(line):
            flush()
            lines.append(line)
            fenced ^= bool(_FENCE.match(line))
            continue
        item = _ITEM.match(line)
        kept = not line.strip() or bool(_KEPT.match(line)) or (not words and bool(_CODE.match(line)))
        if kept or item:
            flush()
        if kept:
            lines.append(line)
            continue
        if item:
            first = item.group(1) + " "
            hanging = " " * len(first)
            line = line[item.end() :]
        elif not words:
            first = hanging = line[: len(line) - len(line.lstrip(" "))]
        words.extend(line.split())
        if line.endswith(("  ", "\\")):  # a hard break ends the line here
            flush()
            first = hanging
    flush()
    return "\n".join(lines)
