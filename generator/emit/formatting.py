"""Generated Python in black's form, with fixed settings, and black run only where it has work to do.

black is the formatter of record and the slowest step on a large document, so what is generated is
written in its form rather than passed through it: the client templates render what black writes
(``render.bracketed`` and its kin, tested at every length limit), and the models splitter writes the
model generator's statements with the pre-formatter's quotes and blank lines and its commonest long
lines split as black splits them. What a spec's text can still put out of form is found cheaply and
given to black: a model statement with a line of code over the limit, a class docstring not in its
form or an escape black rewrites (:func:`black_form`; black formats each top-level statement the same
alone as in its module); in a rendered module, the top-level statement holding such a docstring or
line, in a class the member holding it (:func:`rendered_black_form`). Each check
is held to black in ``tests/test_black_form.py``; every package the tests generate and every module of
the real-world corpus (``tests/realworld``, which also holds each long line split here to black's split
of it) must be black's form.

black is called as a library with an explicit mode, so no ``pyproject.toml`` near the output folder
(or anywhere else) can change the result.
"""

from __future__ import annotations

import ast
import functools
import io
import itertools
import re
import tokenize
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import version

from generator.emit.astwalk import walk
from generator.emit.sourcelines import physical_lines
from generator.literals import DISPLAY_UNSAFE, escaped_display_unsafe

# black's settings; part of the cache keys of what it formats, since they shape the output.
LINE_LENGTH = 100
SETTINGS = f"black={version('black')} line_length={LINE_LENGTH} target=py311 magic_trailing_comma=True"


def format_python(source: str, name: str) -> str:
    """Return ``source`` formatted; raise ``RuntimeError`` naming the file if it is not valid Python."""
    # Imported here: black is slow to import, and most runs need it for a few statements, if any.
    import black
    from black.mode import Mode, TargetVersion
    from black.parsing import InvalidInput

    mode = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH, magic_trailing_comma=True)
    try:
        return black.format_str(source, mode=mode)
    except InvalidInput as error:
        raise RuntimeError(f"generated {name} is not valid Python: {error}") from error


def black_form(statement: str, docstrings: Sequence[tuple[str, str]] = (), code: str | None = None) -> str:
    """``statement`` (top-level, alone, pre-formatted) as black writes it, ``docstrings`` being the literal
    and the indent of each docstring in it, and ``code`` its text but the lines of its standalone strings
    (black lays out none of their text, and checks a docstring's as one): as it is where black would
    change nothing (see :func:`_needs_black` and :func:`docstring_in_form`), through black otherwise."""
    docstrings_in_form = all(docstring_in_form(literal, indent) for literal, indent in docstrings)
    if docstrings_in_form and not _needs_black(statement, statement if code is None else code):
        return statement
    by_member = _members_black_form(statement) if docstrings_in_form else None
    return format_python(statement, "a models statement") if by_member is None else by_member


# What black is given for one member of a class, alone: the member is formatted as in its class.
_ALONE = "class _:\n"


def _members_black_form(statement: str) -> str | None:
    """``statement``, a class whose docstring is in form, with black run on each field or member it has
    work on alone (black formats a class's statements one by one; a model of hundreds of fields costs
    black seconds whole, where the one long field costs it milliseconds). ``None`` for anything else
    or where black's work is not only inside fields: its header, its docstring, a string after a field
    (alone, it would be a docstring to black), a line between them."""
    tree = ast.parse(statement)
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.ClassDef):
        return None
    node = tree.body[0]
    if node.body[0].lineno <= node.lineno:
        return None  # a member on the class's own line
    lines = physical_lines(statement)
    done = node.body[0].lineno - 1  # the rows before the first member: the header
    if _needs_black("".join(lines[:done]), "".join(lines[:done])):
        return None
    work = []  # the rows of each member black has work on
    for member in node.body:
        first, last = member.lineno, member.end_lineno or member.lineno
        between = "".join(lines[done : first - 1])  # blank lines, comments
        text = "".join(lines[first - 1 : last])
        if first <= done or _needs_black(between, between):
            return None
        done = last
        if is_standalone_string(member):  # black lays out none of its text: only its escapes could change
            if _needs_black(text, ""):
                return None
        elif _needs_black(text, text):
            work.append((first, last))
    rest = "".join(lines[done:])
    if _needs_black(rest, rest):
        return None
    rows = list(lines)  # each member's first row replaced by its form, the rest of it emptied
    for first, last in work:
        formatted = format_python(_ALONE + "".join(lines[first - 1 : last]), "a models statement")
        if not formatted.startswith(_ALONE):
            return None
        rows[first - 1 : last] = [formatted.removeprefix(_ALONE)] + [""] * (last - first)
    return "".join(rows)


def is_standalone_string(node: ast.stmt) -> bool:
    """Whether ``node`` is a string alone: a docstring, or the description the model generator puts after a field."""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def rendered_black_form(source: str, tree: ast.Module) -> str:
    """A rendered module (``source``, parsed as ``tree``) as black writes it, black given only what the
    templates cannot see to (:func:`_flagged_rows`: a docstring not in its form, a line over the limit
    that black splits): each top-level statement holding such a row, alone (black formats a statement
    the same alone as in its module), and in a class only the members holding one, each alone (a
    group's client class holds all its operations: the 15 modules of GitHub's dereferenced document
    that long unions put out of form took black 7.5 s whole, 0.7 s by member). The whole module where
    such a row is in no statement. ``source`` itself, and no black, where there is none."""
    lines = physical_lines(source)
    flagged = _flagged_rows(source, tree, lines)
    spans = {node: _span(node) for node in tree.body}
    if any(not any(first <= row <= last for first, last in spans.values()) for row in flagged):
        return format_python(source, "a rendered module")
    for node, (first, last) in reversed(spans.items()):  # from the end: the rows above keep their numbers
        rows = {row for row in flagged if first <= row <= last}
        if rows:
            by_member = _members_alone(node, lines, rows) if isinstance(node, ast.ClassDef) else None
            if by_member is None:
                by_member = format_python("".join(lines[first - 1 : last]), "a rendered statement")
            lines[first - 1 : last] = [by_member]
    return "".join(lines)


def _flagged_rows(source: str, tree: ast.Module, lines: list[str]) -> set[int]:
    """The rows (1-based) of ``source`` black may change, as far as the templates cannot see to: the first
    row of each docstring not in its form, and every other line over the limit by black's measure or with
    a space at its end, but those black keeps however long (:func:`_fits`, :func:`_kept_call`). (What the
    templates write themselves is held to black by the tests.)"""
    inside: set[int] = set()
    flagged: set[int] = set()
    for node in _docstring_nodes(tree):
        end = node.end_lineno or node.lineno
        inside.update(range(node.lineno, end + 1))
        if not docstring_in_form(source_segment(lines, node), " " * node.col_offset):
            flagged.add(node.lineno)
    rows = [row for row, line in enumerate(lines, 1) if row not in inside and not _fits(line.rstrip("\n"))]
    kept = {kept_row for row in rows for kept_row in _kept_call(lines, row)}
    return flagged | {row for row in rows if row not in kept}


def _members_alone(node: ast.ClassDef, lines: list[str], rows: set[int]) -> str | None:
    """The class ``node`` (its rows of ``lines``) with each member holding one of ``rows`` formatted by
    black alone, as the member of an empty class; ``None`` where a row is outside the members (its header,
    a comment between them) or a member is not alone on its rows."""
    first, last = _span(node)
    spans = [_span(member) for member in node.body]
    if any(not any(start <= row <= end for start, end in spans) for row in rows) or spans[0][0] <= node.lineno:
        return None
    if any(end >= start for (_, end), (start, _) in itertools.pairwise(spans)):
        return None
    out = lines[first - 1 : last]
    for member, (start, end) in reversed(list(zip(node.body, spans, strict=True))):
        if not any(start <= row <= end for row in rows):
            continue
        if is_standalone_string(member) and member is not node.body[0]:
            return None  # alone, a string after a field would be a docstring to black
        formatted = format_python(_ALONE + "".join(lines[start - 1 : end]), "a rendered statement")
        body = formatted.removeprefix(_ALONE)
        if body == formatted or body.startswith("\n"):
            return None
        out[start - first : end - first + 1] = [body]
    return "".join(out)


def _span(node: ast.stmt) -> tuple[int, int]:
    """The first and last rows of the statement ``node``, with its decorators."""
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(decorator.lineno for decorator in decorators)]), node.end_lineno or node.lineno


def value_in_parentheses(indent: int, target: str, value: str) -> bool:
    """Whether black puts the value of ``target = value`` (a statement at ``indent`` whose first line is
    too long) in parentheses: where ``target = (`` fits, and every line of ``value`` laid out on lines of
    its own, at ``indent + 4``, does; else it splits the value without them."""
    lines = (" " * (indent + 4) + value).splitlines()
    return indent + len(target) + 4 <= LINE_LENGTH and all(len(line) <= LINE_LENGTH for line in lines)


# `target = callee(`, its one argument alone on the next line and the closing bracket on the one after
# (render.bracketed's layout of a call whose names make it long).
_CALL_OPENING = re.compile(r"( *)([\w.]+) = ([\w.]+)\(\n")
_LONE_ARGUMENT = re.compile(r" *([\w.]+)\n")


def _kept_call(lines: list[str], row: int) -> tuple[int, ...]:
    """The rows of the call opening at ``row`` (1-based) where black keeps it as it is, however long (not
    :func:`value_in_parentheses`). Nothing for any other row."""
    if row + 1 >= len(lines):  # no room for the argument and the closing bracket
        return ()
    opening, argument = _CALL_OPENING.fullmatch(lines[row - 1]), _LONE_ARGUMENT.fullmatch(lines[row])
    if opening is None or argument is None or lines[row + 1].rstrip("\n") != f"{opening[1]})":
        return ()
    indent, target, callee = opening.groups()
    return () if value_in_parentheses(len(indent), target, f"{callee}({argument[1]})") else (row, row + 1)


def _docstring_nodes(tree: ast.Module) -> Iterator[ast.Expr]:
    """The strings black takes for docstrings: the first statement of any block, if it is a string."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(node, field, None)
            if not isinstance(block, list) or not block:
                continue
            first = block[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                yield first
            stack.extend(child for child in block if not isinstance(child, ast.expr))


def source_segment(lines: list[str], node: ast.expr | ast.stmt) -> str:
    """The text of ``node`` (ast counts its columns in UTF-8 bytes)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    head = lines[first].encode()[node.col_offset :].decode()
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode()
    tail = lines[last].encode()[: node.end_col_offset].decode()
    return head + "".join(lines[first + 1 : last]) + tail


def _fits(line: str) -> bool:
    """A line (not of a docstring) black keeps: with no space or carriage return at its end, and within
    the limit (for one not in ASCII, at two columns a character, the most black counts) or one black
    cannot split (:data:`_UNSPLITTABLE`)."""
    limit = LINE_LENGTH if line.isascii() else LINE_LENGTH // 2
    return line == line.rstrip() and (len(line) <= limit or _UNSPLITTABLE.match(line) is not None)


#: Lines black cannot split, however long: a comment alone; a string alone (an item, or a keyword's
#: value), with its comma; an imported name and its alias; a (dotted) name alone, with its comma; a
#: string key and a name, with their comma; a ``def`` opening its parameters, one a line below it.
_UNSPLITTABLE = re.compile(
    r"""\s*(?:\#.*|(?:\w+=)?"(?:[^"\\]|\\.)*",?|\w+ as \w+,|[\w.]+,?|"(?:[^"\\]|\\.)*": [\w.]+,"""
    r"""|(?:async )?def \w+\()\Z"""
)


# An escape black may write otherwise, after an odd number of backslashes: a hex or named one (in lower
# case, upper case for \N's name), an escaped quote (it picks the quotes that need fewer escapes).
_CHANGED_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[xuUN\"']")
# A number black writes otherwise: an exponent with a plus sign (Python's repr of a float past 1e16:
# 6.598123486451347e+27), a letter of its in upper case, or hex digits in lower case.
_CHANGED_NUMBER = re.compile(r"(?<![\w.])(?:(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE]\+|E|J)|0[XOB]|0x[\da-fA-F_]*[a-f])")


def _needs_black(statement: str, code: str) -> bool:
    """Whether black might change ``statement`` beyond its docstrings: a carriage return (black ends a
    docstring's lines with "\\n"), an escape it writes otherwise, or in ``code`` (its lines but those of
    strings) a number it writes otherwise, a line over the limit, one it measures by width (not ASCII),
    or a tab or a space at the end of a line (the model generator writes neither outside strings)."""
    return (
        "\r" in statement
        or ("\\" in statement and _CHANGED_ESCAPE.search(statement) is not None)
        or not code.isascii()
        or _CHANGED_NUMBER.search(code) is not None
        or "\t" in code
        or any(len(line) > LINE_LENGTH or line.endswith(" ") for line in code.split("\n"))
    )


def docstring_in_form(literal: str, indent: str) -> bool:
    """Whether black leaves the docstring ``literal`` (quotes and all, at ``indent``) as it is. Only the
    plain forms black keeps are recognized: triple double quotes; a first line with no space around it;
    later lines at ``indent`` or deeper (one exactly there), with no space at their end, blank ones
    empty; the closing quotes after text that ends in neither a quote nor a backslash, or alone at
    ``indent``."""
    if not (len(literal) >= 6 and literal.startswith('"""') and literal.endswith('"""')) or "\t" in literal:
        return False
    lines = literal[3:-3].split("\n")
    first, last = lines[0], lines[-1]
    if first != first.strip() or first.startswith('"') or (len(lines) == 1 and not first):
        return False
    # black puts the closing quotes on a line of their own where they would make the last one too long.
    if last.strip() and (last.endswith(('"', "\\")) or (len(lines) > 1 and len(last) + 3 > LINE_LENGTH)):
        return False
    later = lines[1:]
    depths = [len(line) - len(line.lstrip(" ")) for line in later if line.strip()]
    # black writes a blank line empty, but the last (before the closing quotes) as the indent.
    blanks = [""] * (len(later) - 1) + [indent] if later else []
    return (len(lines) == 1 or (bool(depths) and min(depths) == len(indent))) and all(
        line == line.rstrip() if line.strip() else line == blank for line, blank in zip(later, blanks, strict=True)
    )


def displayable(source: str, name: str) -> str:
    """``source`` (a module ``name`` in black's form) with its string literals' display-unsafe characters
    written as escapes (:func:`~generator.literals.escaped_display_unsafe`), in black's form again (an escape
    is longer); ``source`` itself when it holds none, as nearly every module does (one search)."""
    if DISPLAY_UNSAFE.search(source) is None:
        return source
    return format_python(escaped_display_unsafe(source), name)


def pre_formatted_lines(source: str, tree: ast.Module) -> list[str]:
    """The rows of ``source`` (parsed as ``tree``) with the cheap changes black would make anyway: double
    quotes, and a blank line after each class docstring, added to the end of its last row so that every
    row keeps the number ast gave it and ``tree`` still says where each statement is.

    Done on the model generator's whole module, so that most of its statements need no black at all;
    :func:`generator.emit.astguard.check_split` checks that the modules made of it mean what ``source`` meant.
    """
    lines = physical_lines(source)  # the lines tokenize numbers and ast counts: one line model for reading and editing
    for row, start, end in _single_quoted(tree, lines):  # a quote for a quote: every other place stays where it was
        line = lines[row - 1]
        lines[row - 1] = f'{line[:start]}"{line[start + 1 : end - 1]}"{line[end:]}'
    for row in _class_docstring_ends(tree):
        if row < len(lines) and lines[row] != "\n":
            lines[row - 1] += "\n"
    return lines


def _single_quoted(tree: ast.Module, lines: list[str]) -> list[tuple[int, int, int]]:
    """The row, start and end column (in characters) of each string literal black would requote
    (:func:`_requoted_at`), ``lines`` being ``tree``'s source's.

    Found from the syntax tree's string constants, not by tokenizing the module (seconds on a large one,
    most of them spent on the docstrings): only statements and class members with a single quote on
    their lines are walked. A constant of one literal is read as it is; one of several (``'a' 'b'``)
    is tokenized, alone; one over several lines, with the module it is in."""
    places = []
    for top in tree.body:
        parts: list[ast.expr | ast.keyword | ast.stmt] = [top]
        if isinstance(top, ast.ClassDef):  # a class's parts: its models are the most of a module
            parts = [*top.decorator_list, *top.bases, *top.keywords, *top.body]
        for part in parts:
            if not any("'" in line for line in lines[part.lineno - 1 : part.end_lineno]):
                continue
            nodes = list(walk(part))
            in_fstrings = {
                id(node) for fstring in nodes if isinstance(fstring, ast.JoinedStr) for node in walk(fstring)
            }
            for node in nodes:
                if (
                    not isinstance(node, ast.Constant)
                    or not isinstance(node.value, str | bytes)
                    or id(node) in in_fstrings
                ):
                    continue
                line = lines[node.lineno - 1]
                start = _characters(line, node.col_offset)
                if (opening := _SINGLE_QUOTE.match(line, start)) is None:
                    continue
                if node.end_lineno != node.lineno:
                    return _single_quoted_tokens(lines)
                end = _characters(line, node.end_col_offset or 0)
                literal = line[opening.end() - 1 : end]
                if "'" not in literal[1:-1] and '"' not in literal:  # one literal: nothing could end it before
                    places.append((node.lineno, opening.end() - 1, end))
                    continue
                tokens = tokenize.generate_tokens(io.StringIO(line[start:end]).readline)
                for token in tokens:
                    if (quote := _requoted_at(token)) is not None:
                        places.append((node.lineno, start + quote, start + token.end[1]))
    return places


def _single_quoted_tokens(lines: list[str]) -> list[tuple[int, int, int]]:
    """What :func:`_single_quoted` finds, found by tokenizing the whole of ``lines``."""
    places = []
    for token in tokenize.generate_tokens(functools.partial(next, iter(lines), "")):
        if (quote := _requoted_at(token)) is not None:
            (row, start), (end_row, end) = token.start, token.end
            if end_row != row or lines[row - 1][start:end] != token.string:
                raise RuntimeError(f"pre-formatter lost its place at line {row}")
            places.append((row, quote, end))
    return places


def _characters(line: str, offset: int) -> int:
    """The column in characters of ``offset``, a column in UTF-8 bytes (as ast counts) of ``line``."""
    return offset if line.isascii() else len(line.encode()[:offset].decode())


# The opening of a string literal in single quotes, after a prefix black writes as it is (the model
# generator writes a pattern of dictionary keys as r'...').
_SINGLE_QUOTE = re.compile(r"(?:rb|br|r|b)?'")


def _requoted_at(token: tokenize.TokenInfo) -> int | None:
    """Where the quotes of a single-quoted string black would requote begin (the column after its
    prefix), or ``None``: no quote inside, so only the delimiters change (an escape, a backslash's
    included, means the same between either quotes, raw or not)."""
    opening = _SINGLE_QUOTE.match(token.string) if token.type == tokenize.STRING else None
    if opening is None:
        return None
    text = token.string[opening.end() - 1 :]
    if text.startswith("'''") or '"' in text or "'" in text[1:-1]:
        return None
    return token.start[1] + opening.end() - 1


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


# Expressions that end in a bracket of their own.
_BRACKETED = (ast.Dict, ast.List, ast.Set, ast.Tuple, ast.Call, ast.Subscript, ast.DictComp, ast.ListComp, ast.SetComp)

#: where black splits a line: the span it takes out, the lines of the body it puts between the
#: bracket and what follows, and whether it puts the body in parentheses first
_Split = tuple[int, int, list[str], bool]


def _known_split(node: ast.stmt, indent: str, line: str) -> _Split | None:
    """How black splits ``line`` (``node``'s, at ``indent``), for the shapes datamodel-code-generator
    writes most: a class statement's bases; ``Name = TypeAliasType(...)``'s arguments (on one line, or
    one a line with a trailing comma); an enum member's value; a name bound to a model (``Name = Model``,
    see :mod:`generator.emit.identical`); a field's default (when what comes before
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
        if (indent and isinstance(value, ast.Constant) and isinstance(value.value, str)) or isinstance(value, ast.Name):
            return _parenthesized(_one_line(indent, line, [value], ""))
        return None
    if not (indent and isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
        return None
    annotation, default = node.annotation, node.value
    if isinstance(default, _BRACKETED):
        return None  # black splits at its last bracket first, the default's (netbox's dict defaults)
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


def _one_each(indent: str, line: str, items: Sequence[ast.expr | ast.keyword], rest: str) -> _Split | None:
    """``items`` one a line, each with a trailing comma (black's form when they do not fit on one line),
    if only ``rest`` follows them and each fits, or is a string (black cannot split it), or a call
    black splits in turn (:func:`_call_lines`)."""
    ends = [item.end_col_offset for item in items]
    if not items or None in ends or line[ends[-1] :] != rest:
        return None
    body = []
    for item in items:
        text = line[item.col_offset : item.end_col_offset] + ","
        value = item.value if isinstance(item, ast.keyword) else item
        if len(indent) + 4 + len(text) <= LINE_LENGTH or isinstance(value, ast.Constant):
            body.append(text)
        elif (lines := _call_lines(indent + "    ", line, item)) is not None:
            body += lines
        else:
            return None
    return items[0].col_offset, ends[-1] or 0, body, False


def _call_lines(indent: str, line: str, item: ast.expr | ast.keyword) -> list[str] | None:
    """``item`` (an item at ``indent`` too long for its line) as black splits it when it is a call with its
    arguments written ``, ``-apart: its arguments on one line of their own if they fit (or are one
    string), else one a line (:func:`_one_each`); the lines relative to ``indent``, the last ``),``."""
    if not isinstance(item, ast.Call) or item.func.end_col_offset is None or item.end_col_offset is None:
        return None
    arguments: list[ast.expr | ast.keyword] = [*item.args, *item.keywords]
    arguments.sort(key=lambda argument: argument.col_offset)
    # No *args or **kwargs (black splits nothing else about them, but they are not worth the rules).
    if not arguments or any(
        isinstance(a, ast.Starred) or (isinstance(a, ast.keyword) and a.arg is None) for a in arguments
    ):
        return None
    spans = [(argument.col_offset, argument.end_col_offset or 0) for argument in arguments]
    gaps = [line[end:start] for (_, end), (start, _) in itertools.pairwise(spans)]
    opening, closing = line[item.func.end_col_offset : spans[0][0]], line[spans[-1][1] : item.end_col_offset]
    if opening != "(" or closing != ")" or any(gap != ", " for gap in gaps):
        return None
    head = line[item.col_offset : item.func.end_col_offset] + "("
    inner = line[spans[0][0] : spans[-1][1]]
    lone = arguments[0].value if isinstance(arguments[0], ast.keyword) else arguments[0]
    if len(indent) + 4 + len(inner) <= LINE_LENGTH or (len(arguments) == 1 and isinstance(lone, ast.Constant)):
        return [head, f"    {inner}", "),"]  # a lone string stays on its line, however long, with no comma
    split = _one_each(indent, line[: spans[-1][1]], arguments, "")
    if split is None:
        return None
    return [head, *(f"    {text}" for text in split[2]), "),"]


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
