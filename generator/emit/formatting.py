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
import itertools
import sys
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


def long_line_splits(tree: ast.Module, lines: list[str]) -> Iterator[tuple[int, Callable[[str], str]]]:
    """The rows of the long lines black splits in one known way, each with the function that splits it
    so (see :func:`_known_split`). Any other long line is left to black (its rules are too many to copy),
    and a trailing comma is added only where black adds one, so what black makes of a line is the same
    either way. ``lines`` are ``tree``'s source's (:func:`physical_lines`); black formats a module once
    where it has nothing else to change.
    """
    statements = [(node, "") for node in tree.body]
    statements += [(node, "    ") for top in tree.body if isinstance(top, ast.ClassDef) for node in top.body]
    for node, indent in statements:
        line = lines[node.lineno - 1].rstrip("\n")
        one_line = node.end_lineno == node.lineno and node.end_col_offset == len(line)  # no comment after it
        if (
            len(line) > LINE_LENGTH
            and line.isascii()  # ast counts columns in UTF-8 bytes, black in characters of some width
            and node.col_offset == len(indent)
            and (one_line or isinstance(node, ast.ClassDef))
        ):
            found = _known_split(node, indent, line)
            if found is not None and (found[0] + found[3] <= LINE_LENGTH or _kept_long(node, indent)):
                yield node.lineno, functools.partial(_split_at, indent=indent, split=found)


def _kept_long(node: ast.stmt, indent: str) -> bool:
    """Whether black keeps a split of ``node`` whose first line is still too long. It does unless its
    second opinion (the optional parentheses of an assignment or annotation made real) fits, which it
    cannot for a class statement (there are none) or a type alias whose name does not fit a line of
    that opinion; anything else is left to black."""
    if isinstance(node, ast.ClassDef):
        return True
    value = node.value if isinstance(node, ast.Assign) else None
    return (
        isinstance(value, ast.Call)
        and bool(value.args)
        and len(indent) + 8 + (value.args[0].end_col_offset or 0) - value.args[0].col_offset + 1 > LINE_LENGTH
    )


#: where black splits a line: the span it takes out, the lines of the body it puts between the
#: bracket and what follows, and whether it puts the body in parentheses first
_Split = tuple[int, int, list[str], bool]


def _known_split(node: ast.stmt, indent: str, line: str) -> _Split | None:
    """How black splits ``line`` (``node``'s, at ``indent``), for the shapes datamodel-code-generator
    writes most: a class statement's bases; ``Name = TypeAliasType(...)``'s arguments (on one line, or
    one a line with a trailing comma); an enum member's value; a field's default (when what comes before
    it fits), its ``Annotated[...]``'s contents or its union annotation (on one line, or a part a line).
    """
    if isinstance(node, ast.ClassDef):
        bases = node.bases
        if node.keywords or not bases or node.body[0].lineno == node.lineno or node.decorator_list:
            return None
        return _one_line(indent, line, bases, "):")
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        value = node.value
        if not indent and isinstance(value, ast.Call) and _named(value.func, "TypeAliasType") and not value.keywords:
            return _one_line(indent, line, value.args, ")") or _one_each(indent, line, value.args, ")")
        if indent and isinstance(value, ast.Constant) and isinstance(value.value, str):
            return _parenthesized(_one_line(indent, line, [value], ""))
        return None
    if not (indent and isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
        return None
    annotation, default = node.annotation, node.value
    rest = "" if default is None else line[annotation.end_col_offset or 0 :]
    if isinstance(annotation, ast.Subscript) and _named(annotation.value, "Annotated"):
        head = _default(indent, line, default)
        items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
        return head or _one_line(indent, line, items, "]" + rest) or _one_each(indent, line, items, "]" + rest)
    parts: list[ast.expr] = []
    while isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        parts.insert(0, annotation.right)
        annotation = annotation.left
    parts.insert(0, annotation)
    if len(parts) < 2 or line[parts[-1].end_col_offset or 0 :] != rest:
        return None
    whole = _default(indent, line, default) or _parenthesized(_one_line(indent, line, parts, rest))
    spans = [(part.col_offset, part.end_col_offset or 0) for part in parts]
    if whole is not None or not all(line[end:start] == " | " for (_, end), (start, _) in itertools.pairwise(spans)):
        return whole
    body = [("| " if index else "") + line[start:end] for index, (start, end) in enumerate(spans)]
    if all(len(indent) + 4 + len(text) <= LINE_LENGTH for text in body):
        return spans[0][0], spans[-1][1], body, True
    return None


def _default(indent: str, line: str, value: ast.expr | None) -> _Split | None:
    """A field's default put in parentheses on a line of its own, as black does when what comes before it
    (with the opening parenthesis) fits; for a default without brackets, where black splits nowhere else."""
    if (
        value is None
        or not isinstance(value, (ast.Constant, ast.Name, ast.Attribute))
        or len(line[: value.col_offset]) + 1 > LINE_LENGTH
    ):
        return None
    return _parenthesized(_one_line(indent, line, [value], ""))


def _one_line(indent: str, line: str, items: list[ast.expr], rest: str) -> _Split | None:
    """``items`` as one line of body, if they fit on it and only ``rest`` follows them."""
    if not items or items[-1].end_col_offset is None:
        return None
    start, end = items[0].col_offset, items[-1].end_col_offset
    if line[end:] != rest or len(indent) + 4 + end - start > LINE_LENGTH:
        return None
    return start, end, [line[start:end]], False


def _one_each(indent: str, line: str, items: list[ast.expr], rest: str) -> _Split | None:
    """``items`` one a line, each with a trailing comma (black's form when they do not fit on one line),
    if each fits and only ``rest`` follows them."""
    ends = [item.end_col_offset for item in items]
    if not items or None in ends or line[ends[-1] :] != rest:
        return None
    body = [line[item.col_offset : item.end_col_offset] + "," for item in items]
    # A string black cannot split stays on its line however long; anything else must fit.
    if any(
        len(indent) + 4 + len(text) > LINE_LENGTH and not isinstance(item, ast.Constant)
        for item, text in zip(items, body, strict=True)
    ):
        return None
    return items[0].col_offset, ends[-1] or 0, body, False


def _parenthesized(split: _Split | None) -> _Split | None:
    return None if split is None else (*split[:3], True)


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _split_at(line: str, indent: str, split: _Split) -> str:
    """``line`` as black splits it at a bracket: the body's lines indented on lines of their own between
    what comes before and after it."""
    start, end, body, parenthesize = split
    opening, closing = ("(", ")") if parenthesize else ("", "")
    lines = "".join(f"{indent}    {text}\n" for text in body)
    return f"{line[:start]}{opening}\n{lines}{indent}{closing}{line[end:]}\n"


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
