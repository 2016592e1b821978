"""The one exception type the generator raises for bad input."""

from __future__ import annotations


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer such as ``/paths/~1pets/get`` from raw tokens."""
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def printable(text: str) -> str:
    """``text`` with what a terminal would not show as is (line breaks, escapes) written as Python escapes."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class SpecError(Exception):
    """A problem with the input document, located by file and JSON pointer.

    ``str(error)`` is one line meant for a terminal, for example
    ``spec.yaml#/paths/~1pets/get/responses: must not be empty`` or, before the
    document has a tree to point into, ``spec.yaml:3:7: ...`` (line and column).
    """

    def __init__(self, source: str, location: str, message: str) -> None:
        self.source = source
        self.location = printable(location)
        self.message = " ".join(message.split())
        super().__init__(self.source, self.location, self.message)

    def __str__(self) -> str:
        if self.location.startswith(":"):
            return f"{self.source}{self.location}: {self.message}"
        return f"{self.source}#{self.location}: {self.message}"


class Diagnostics:
    """Warnings about parts of a document that are skipped or dropped, each with its place."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[str] = []

    def warn(self, location: str, message: str) -> None:
        self.warnings.append(f"{self.source}#{printable(location)}: {' '.join(message.split())}")
