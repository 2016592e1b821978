"""Format generated Python with black, using fixed settings.

black is called as a library with an explicit mode, so no ``pyproject.toml``
near the output folder (or anywhere else) can change the result. black is the
slow step on big specs, so modules are formatted in parallel (in the executor
the pipeline gives) and results are cached by content hash (see :mod:`generator.output.cache`).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import tokenize
from collections.abc import Callable, Iterator, Mapping
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


def long_line_splits(tree: ast.Module, lines: list[str]) -> Iterator[tuple[int, Callable[[str], str]]]:
    """The rows of the long one-line statements black splits in one known way, each with the function
    that splits it so: ``Name = TypeAliasType(...)`` whose arguments fit on a line of their own, and an
    enum member whose value does. Any other long line is left to black (its rules are too many to copy);
    no trailing comma is added, so what black makes of a line is the same either way. ``lines`` are
    ``tree``'s source's (:func:`physical_lines`), which black then formats in one pass where it has
    nothing else to change.
    """
    statements = [(node, "") for node in tree.body]
    statements += [(node, "    ") for top in tree.body if isinstance(top, ast.ClassDef) for node in top.body]
    for node, indent in statements:
        line = lines[node.lineno - 1].rstrip("\n")
        if (
            len(line) <= LINE_LENGTH
            or not line.isascii()  # ast counts columns in UTF-8 bytes, black in characters of some width
            or node.end_lineno != node.lineno
            or node.col_offset != len(indent)
            or node.end_col_offset != len(line)  # no comment after it
            or not isinstance(node, ast.Assign)
            or len(node.targets) != 1
            or not isinstance(node.targets[0], ast.Name)
        ):
            continue
        value = node.value
        if (
            not indent
            and isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "TypeAliasType"
            and value.args
            and not value.keywords
        ):
            start, end, parenthesize = value.args[0].col_offset, value.args[-1].end_col_offset, False
            rest = ")"  # not ",)": a trailing comma is black's to keep
        elif indent and isinstance(value, ast.Constant) and isinstance(value.value, str):
            start, end, parenthesize = value.col_offset, value.end_col_offset, True
            rest = ""
        else:
            continue
        if end is not None and line[end:] == rest and len(indent) + 4 + end - start <= LINE_LENGTH:
            yield node.lineno, functools.partial(
                _split_at, indent=indent, start=start, end=end, parenthesize=parenthesize
            )


def _split_at(line: str, indent: str, start: int, end: int, parenthesize: bool) -> str:
    """``line`` as black splits it at a bracket: the body (``start`` to ``end``) indented on a line of its
    own between what comes before and after it; a bare value is put in parentheses first, as black does."""
    opening, closing = ("(", ")") if parenthesize else ("", "")
    return f"{line[:start]}{opening}\n{indent}    {line[start:end]}\n{indent}{closing}{line[end:]}\n"


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
    return hashlib.sha256(f"{_SETTINGS}\0{source}".encode()).hexdigest()


class FormatJobs:
    """Modules being formatted: answered from the cache where possible, sent to ``pool`` otherwise.

    Every result, cached or not, is checked to mean what its source meant before it is handed out.
    """

    def __init__(self, pool: Executor) -> None:
        self._pool = pool
        self._folder = cache.cache_dir(f"black-{version('black')}")
        self._sources: dict[str, str] = {}
        self._done: dict[str, str] = {}
        self._pending: dict[str, tuple[str, Future[str]]] = {}

    def submit(self, sources: Mapping[str, str]) -> None:
        """Start formatting ``{name: source}``; the largest modules first, so the longest job starts at once."""
        self._sources.update(sources)
        for name in sorted(sources, key=lambda name: -len(sources[name])):
            key = _key(sources[name])
            cached = cache.read(self._folder, key)
            if cached is None:
                self._pending[name] = (key, self._pool.submit(format_python, sources[name], name))
            else:
                self._finish(name, cached)

    def results(self) -> dict[str, str]:
        """Every submitted module, formatted (waits for the pending ones)."""
        for name, (key, future) in self._pending.items():
            self._finish(name, future.result())
            cache.write(self._folder, key, self._done[name])
        self._pending.clear()
        return dict(self._done)

    def _finish(self, name: str, formatted: str) -> None:
        astguard.check_formatted(name, self._sources.pop(name), formatted)
        self._done[name] = formatted
