"""The one exception type the generator raises for bad input, and the warnings it gives."""

from __future__ import annotations

from collections.abc import Iterable

# A report lists at most this many problems, then says how many more there are.
REPORT_LIMIT = 50
# No reported line is longer: a long pointer is shortened in its middle, never the reason.
LINE_LIMIT = 200


def printable(text: str) -> str:
    """``text`` with what a terminal would not show as is (line breaks, escapes) written as Python escapes."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _pointer_order(location: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key of a pointer: token by token, array indices in numeric order."""
    return tuple(
        (0, int(token), "") if token.isascii() and token.isdigit() else (1, 0, token) for token in location.split("/")
    )


def format_line(source: str, location: str, message: str) -> str:
    """``source#location: message`` on one line, of at most :data:`LINE_LIMIT` characters where it can be.

    The folder part of ``source`` (as the user gave it) is not counted. A pointer too long for the
    line loses tokens in its middle (``/paths/~1pets/…/schema``); the message is never cut.
    """
    message = printable(" ".join(message.split()))  # spec text: a terminal acts on none of its controls
    location = printable(location)
    if location.startswith(":"):
        return f"{source}{location}: {message}"
    uncounted = len(source) - len(source.replace("\\", "/").rsplit("/", 1)[-1])
    line = f"{source}#{location}: {message}"
    head, tail = location.split("/")[1:3], location.split("/")[3:]
    while len(line) - uncounted > LINE_LIMIT and len(tail) > 1:
        tail = tail[1:]
        line = f"{source}#/{'/'.join([*head, '…', *tail])}: {message}"
    return line


def capped(lines: list[str]) -> list[str]:
    """``lines`` up to :data:`REPORT_LIMIT`, then one line saying how many were left out."""
    if len(lines) <= REPORT_LIMIT:
        return lines
    return [*lines[:REPORT_LIMIT], f"... and {len(lines) - REPORT_LIMIT} more"]


class SpecError(Exception):
    """A problem with the input document, located by file and JSON pointer.

    ``str(error)`` is one line meant for a terminal, for example
    ``spec.yaml#/paths/~1pets/get/responses: must not be empty`` or, before the
    document has a tree to point into, ``spec.yaml:3:7: ...`` (line and column).
    An error made by :meth:`several` holds every problem; :meth:`lines` lists them.
    """

    def __init__(self, source: str, location: str, message: str) -> None:
        self.source = source
        self.location = printable(location)
        self.message = " ".join(message.split())
        self.problems: list[tuple[str, str]] = [(location, self.message)]
        super().__init__(self.source, self.location, self.message)

    @classmethod
    def several(cls, source: str, problems: Iterable[tuple[str, str]]) -> SpecError:
        """One error for all of ``problems`` (location, message), in location order."""
        ordered = sorted(set(problems), key=lambda problem: (_pointer_order(problem[0]), problem[1]))
        error = cls(source, *ordered[0])
        error.problems = ordered
        return error

    def lines(self) -> list[str]:
        """One line per problem, in location order, capped at :data:`REPORT_LIMIT`."""
        return capped([format_line(self.source, location, message) for location, message in self.problems])

    def __str__(self) -> str:
        return "\n".join(self.lines())


class Diagnostics:
    """Warnings about parts of a document that are skipped, dropped or repaired, and notes (what
    ``--verbose`` tells, such as a list operation without an iterator), each with its place."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._entries: list[tuple[str, str, str]] = []  # (source, location, message)
        self._notes: list[tuple[str, str, str]] = []

    def warn(self, location: str, message: str) -> None:
        self._entries.append((self.source, location, " ".join(message.split())))

    def note(self, location: str, message: str) -> None:
        """Something worth knowing that is no fault of the document (``--verbose`` prints it)."""
        self._notes.append((self.source, location, " ".join(message.split())))

    def extend(self, other: Diagnostics) -> None:
        """Take on the warnings and notes of ``other`` (about another file, say), each keeping its source."""
        self._entries.extend(other._entries)
        self._notes.extend(other._notes)

    @property
    def warnings(self) -> list[str]:
        """Every warning, one line each: this document's first, then other files', each in location order."""
        return self._lines(self._entries)

    @property
    def notes(self) -> list[str]:
        """Every note, one line each, ordered like the warnings."""
        return self._lines(self._notes)

    def _lines(self, entries: list[tuple[str, str, str]]) -> list[str]:
        # Stable: entries about one place keep the order they were given in.
        ordered = sorted(entries, key=lambda entry: (entry[0] != self.source, entry[0], _pointer_order(entry[1])))
        return [format_line(source, location, message) for source, location, message in ordered]
