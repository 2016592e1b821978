"""Format generated Python with black, using fixed settings.

black is called as a library with an explicit mode, so no ``pyproject.toml``
near the output folder (or anywhere else) can change the result. black is the
slow step on big specs, so modules are formatted in parallel (in the executor
the pipeline gives) and results are cached by content hash (see :mod:`generator.output.cache`).

A cache entry is also a proof: it is written only after :mod:`generator.emit.astguard` found the
formatted text to mean what its source meant, under a key made of that source, black's version and
settings, and the code of the guard and of this module. A hit is therefore not checked again. An entry
changed on disk fails its HMAC seal and is a miss (formatted and checked anew); planting one needs the
cache's private key, which whoever can read it could use to edit the generator itself; a changed guard
or formatter changes every key, so no proof of an older check is taken for a newer one.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import sys
import tokenize
from collections.abc import Mapping
from concurrent.futures import Executor, Future
from importlib.metadata import version

from generator.emit import astguard
from generator.emit.sourcelines import physical_lines
from generator.output import cache

# black's settings; part of every cache key, since they shape the output.
LINE_LENGTH = 100
_SETTINGS = f"line_length={LINE_LENGTH} target=py311 magic_trailing_comma=True"


def format_python(source: str, name: str) -> str:
    """Return ``source`` formatted; raise ``RuntimeError`` naming the file if it is not valid Python."""
    # Imported here: black is slow to import, and the pipeline formats in worker processes.
    import black
    from black.mode import Mode, TargetVersion
    from black.parsing import InvalidInput

    mode = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH, magic_trailing_comma=True)
    try:
        return black.format_str(source, mode=mode)
    except InvalidInput as error:
        raise RuntimeError(f"generated {name} is not valid Python: {error}") from error


def format_checked(source: str, name: str) -> str:
    """:func:`format_python`, and the guard's check that the result means what ``source`` meant."""
    formatted = format_python(source, name)
    astguard.check_formatted(name, source, formatted)
    return formatted


def pre_format(source: str) -> str:
    """Make the cheap changes black would make anyway: double quotes, a blank line after class docstrings.

    black formats a second time whenever its first pass changed anything, so
    text that needs no change costs half as much. The result is still black's,
    and :mod:`generator.emit.astguard` checks that what is written means what ``source`` meant.
    """
    if "\r" in source:
        return source  # tokenize and ast may count a lone CR inside a string differently: leave it all to black
    lines = physical_lines(source)  # the lines tokenize numbers and ast counts: one line model for reading and editing
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(functools.partial(next, iter(lines), "")))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return source  # black will say what is wrong with it
    for token in reversed(tokens):  # from the end, so earlier positions stay valid
        if not _needs_double_quotes(token):
            continue
        (row, start), (end_row, end) = token.start, token.end
        line = lines[row - 1]
        if end_row != row or line[start:end] != token.string:
            raise RuntimeError(f"pre-formatter lost its place at line {row}")
        lines[row - 1] = f'{line[:start]}"{token.string[1:-1]}"{line[end:]}'
    for row in sorted(_class_docstring_ends(tree), reverse=True):
        if row < len(lines) and lines[row] != "\n":
            lines.insert(row, "\n")
    return "".join(lines)


def _needs_double_quotes(token: tokenize.TokenInfo) -> bool:
    """A single-quoted string black would requote: no quote or backslash inside, so only the delimiters change."""
    text = token.string
    return (
        token.type == tokenize.STRING
        and text[0] == "'"
        and not text.startswith("'''")
        and '"' not in text
        and "\\" not in text
    )


def _class_docstring_ends(tree: ast.Module) -> list[int]:
    """The last line of each top-level class docstring (black puts a blank line after it)."""
    ends = []
    for node in tree.body:
        if (
            isinstance(node, ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
            and isinstance(node.body[0].value.value, str)
            and node.body[0].end_lineno is not None
        ):
            ends.append(node.body[0].end_lineno)
    return ends


def _key(source: str) -> str:
    """The name of the entry that holds ``source`` formatted and proved (see the module's docstring)."""
    proof = cache.code_fingerprint(astguard, sys.modules[__name__])
    return hashlib.sha256(f"{_SETTINGS}\0{proof}\0{source}".encode()).hexdigest()


class FormatJobs:
    """Modules being formatted: answered from the cache where possible, sent to ``pool`` otherwise.

    Every result is checked to mean what its source meant before it is handed out: by the worker that
    formats it, or, for a cache hit, by the check that let it into the cache.
    """

    def __init__(self, pool: Executor) -> None:
        self._pool = pool
        self._folder = cache.cache_dir(f"black-{version('black')}")
        self._done: dict[str, str] = {}
        self._pending: dict[str, tuple[str, Future[str]]] = {}

    def submit(self, sources: Mapping[str, str]) -> None:
        """Start formatting ``{name: source}``; the largest modules first, so the longest job starts at once."""
        for name in sorted(sources, key=lambda name: -len(sources[name])):
            key = _key(sources[name])
            cached = cache.read(self._folder, key)
            if cached is None:
                self._pending[name] = (key, self._pool.submit(format_checked, sources[name], name))
            else:
                self._done[name] = cached

    def results(self) -> dict[str, str]:
        """Every submitted module, formatted (waits for the pending ones)."""
        for name, (key, future) in self._pending.items():
            self._done[name] = future.result()
            cache.write(self._folder, key, self._done[name])
        self._pending.clear()
        return dict(self._done)
