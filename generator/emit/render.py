"""Render the client modules from the Jinja2 templates in ``templates/package``."""

from __future__ import annotations

import ast
import base64
import functools
import hashlib
import json
import os
import re
import sys
import tempfile
import textwrap
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from generator.emit.errorclasses import declared_errors, error_class, error_tree, fixed_errors, runtime_error_names
from generator.emit.formatting import LINE_LENGTH, value_in_parentheses
from generator.emit.prose import reflowed
from generator.literals import plain_prose, python_literal
from generator.model.ir import Api, Operation, Parameter
from generator.model.naming import Names, snake_case, unique
from generator.output import cache
from generator.paths import PACKAGE_DIR

# A quote that starts a run of three, or ends the text (the closing quotes follow it).
_CLOSING_QUOTES = re.compile(r'"(?="")|"$')


def docstring_text(value: object) -> str:
    """Make ``value`` safe to place inside a triple-quoted docstring."""
    text = plain_prose(str(value)).replace("\\", "\\\\")
    # No blank line first and no space at the end of a line: black strips those from a docstring, so the
    # module is black's form as written.
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n").rstrip()
    return _CLOSING_QUOTES.sub(r'\\"', text) or "-"


def markdown_text(value: object) -> str:
    """A spec's prose as Markdown text that stays on one line and in one table cell: line breaks and
    :data:`~generator.literals.DISPLAY_UNSAFE` characters made spaces, ``|`` escaped."""
    return re.sub(r"\s", " ", plain_prose(str(value))).replace("|", "\\|")


def markdown_code(value: object) -> str:
    """``value`` as a Markdown code span that stays one table cell: fenced by more backticks than it
    holds in a row, ``|`` escaped (tables split at it even inside code), line breaks and
    :data:`~generator.literals.DISPLAY_UNSAFE` characters made spaces."""
    text = markdown_text(value)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def toml_string(value: object) -> str:
    """A TOML basic string, in ASCII. JSON's escapes are TOML's but for a character past U+FFFF, which
    JSON writes as a pair of surrogates and TOML refuses (an emoji in a title made a pyproject.toml
    no installer could read): TOML's own escape writes it whole (``\\U0001F600``)."""
    escaped = []
    for character in str(value):
        code = ord(character)
        if character in '"\\':
            escaped.append("\\" + character)
        elif 0x20 <= code < 0x7F:
            escaped.append(character)
        else:
            escaped.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    return '"' + "".join(escaped) + '"'


def operation_constant(operation: Operation) -> str:
    return operation.method_name.upper()


def call_expression(operation: Operation, indent: int, given: Mapping[str, str] | None = None, batch: str = "") -> str:
    """``Call(...)``: each argument of a method of ``operation`` forwarded to where it goes, laid out as
    black writes it for an expression whose closing parenthesis is at ``indent``. ``given`` replaces the
    value forwarded for the parameters it names; ``batch``, the items sent in the body's batch array."""
    given = given or {}
    inner = " " * (indent + 4)

    def mapping(name: str, entries: list[str]) -> str:
        line = f"{inner}{name}={{{', '.join(entries)}}},"
        if len(line) <= LINE_LENGTH:
            return line
        # black puts a dict that does not fit one entry a line.
        return "\n".join([f"{inner}{name}={{", *(f"{inner}    {entry}," for entry in entries), f"{inner}}},"])

    fields = [
        mapping(
            field_name, [f"{python_literal(p.wire_name)}: {given.get(p.python_name, p.python_name)}" for p in params]
        )
        for field_name, params in operation.arguments
    ]
    fields += [f"{inner}querystring={given.get(p.python_name, p.python_name)}," for p in operation.querystring]
    if operation.body and batch:
        fields.append(mapping("body", [f"{python_literal(operation.body.batch_items)}: {batch}"]))
    elif operation.body:
        fields.append(f"{inner}body=body,")
    options = "timeout, max_retries, extra_headers, extra_query, extra_body"
    line = f"{inner}options=RequestOptions({options}),"
    # black moves arguments that do not fit the call's line to a line of their own.
    fields.append(
        line if len(line) <= LINE_LENGTH else f"{inner}options=RequestOptions(\n{inner}    {options}\n{inner}),"
    )
    # The trailing commas keep black from joining the lines again.
    return "\n".join(["Call(", *fields, " " * indent + ")"])


def send_call(operation: Operation, indent: int, given: Mapping[str, str] | None = None, batch: str = "") -> str:
    """``self._call(OPERATION, Call(...))`` (see :func:`call_expression`) for a statement at ``indent``."""
    outer = " " * (indent + 4)
    call = call_expression(operation, indent + 4, given, batch)
    lines = ["self._call(", f"{outer}{operation_constant(operation)},", f"{outer}{call},"]
    return "\n".join([*lines, " " * indent + ")"])


def bracketed(indent: int, opening: str, items: Sequence[str], closing: str = ")") -> str:
    """``opening`` + the items + ``closing`` (a call, a ``def``'s parameters, a literal), ending a statement
    at ``indent``, laid out as black writes it: one line if it fits; else the items on a line of their own
    between the brackets if that fits and this is a call or a ``def`` (never a literal of several items);
    else one item a line, each with a (magic) trailing comma. An assignment whose first line cannot fit
    gets its value in parentheses where then every line fits. An item too long for a line of its own is black's to split further.
    """
    inner = " " * (indent + 4)
    joined = ", ".join(items)
    if indent + len(opening) + len(joined) + len(closing) <= LINE_LENGTH:
        return f"{opening}{joined}{closing}"
    target, _, value = opening.rpartition(" = ")
    if target and indent + len(opening) > LINE_LENGTH:
        laid_out = bracketed(indent + 4, value, items, closing)
        if value_in_parentheses(indent, target, laid_out):
            return f"{target} = (\n{inner}{laid_out}\n{' ' * indent})"
    # A literal's brackets follow no name, call or subscript.
    literal = not re.search(r"[\w\])]$", opening[:-1])
    if len(items) == 1 or (not literal and len(inner) + len(joined) <= LINE_LENGTH):
        # black gives a lone parameter of a ``def`` a trailing comma (not a lone argument of a call).
        comma = "," if len(items) == 1 and opening.startswith(("def ", "async def ")) else ""
        return f"{opening}\n{inner}{joined}{comma}\n{' ' * indent}{closing}"
    return "\n".join([opening, *(f"{inner}{item}," for item in items), " " * indent + closing])


def literal_lines(indent: int, head: str, value: object, tail: str, shift: int = 0) -> str:
    """``head`` + ``value``'s literal + ``tail``, a line at ``indent``, laid out as black writes it: on one
    line if it fits; else a tuple's or list's items one a line, each laid out so, with a trailing comma;
    a string or a number is never split. ``shift``: the indent the template adds to the lines after the
    first (an ``indent`` filter), measured but not written."""
    line = f"{head}{python_literal(value)}{tail}"
    if indent + len(line) <= LINE_LENGTH or not isinstance(value, tuple | list) or not value:
        return line
    opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
    inner = " " * (indent + 4 - shift)
    items = [inner + literal_lines(indent + 4, "", item, ",", shift) for item in value]
    return "\n".join([head + opening, *items, " " * (indent - shift) + closing + tail])


def frozenset_lines(indent: int, head: str, values: Sequence[str], tail: str, shift: int = 0) -> str:
    """``head`` + ``frozenset({...})`` of the literals ``values`` + ``tail``, a line at ``indent``, laid
    out as black writes it: on one line if it fits; else the set on a line of its own in the call's
    parentheses if it fits there; else its items one a line, with a trailing comma. ``shift`` as for
    :func:`literal_lines`."""
    literal = "{" + ", ".join(values) + "}"
    line = f"{head}frozenset({literal}){tail}"
    if indent + len(line) <= LINE_LENGTH:
        return line
    inner = " " * (indent + 4 - shift)
    if indent + 4 + len(literal) <= LINE_LENGTH:
        body = inner + literal
    else:
        body = "\n".join([inner + "{", *(f"{inner}    {value}," for value in values), inner + "}"])
    return f"{head}frozenset(\n{body}\n{' ' * (indent - shift)}){tail}"


def union_lines(indent: int, head: str, members: Sequence[str]) -> str:
    """``head`` + the union of ``members`` (an assignment's value, ending its statement at ``indent``),
    laid out as black writes it: on one line if it fits; else in parentheses, on a line of its own if it
    fits there (always for a lone member: black wraps an annotated assignment's value that is no string
    even where that does not make it fit), else a member a line, each after its ``|``."""
    joined = " | ".join(members)
    if indent + len(head) + len(joined) <= LINE_LENGTH:
        return head + joined
    return f"{head}(\n{_union_body(indent + 4, members)}\n{' ' * indent})"


def parameter_line(parameter: Parameter, indent: int) -> str:
    """``parameter``'s declaration and its comma in a ``def`` at ``indent``, as black lays it out: a
    ``Literal[...]`` too long for the line is split between its values (in parentheses, with ``| None``
    on a line of its own, when optional); any other as :func:`declaration_line` lays it out."""
    line = f"{parameter.declaration},"
    values = _literal_values(parameter.annotation)
    if indent + len(line) <= LINE_LENGTH:
        return line
    if values is None:
        return declaration_line(parameter.declaration, indent)
    name = f"{parameter.python_name}: "
    rest = parameter.declaration.removeprefix(name + parameter.annotation)
    if not rest:
        return bracketed(indent, f"{name}Literal[", values, "],")
    if rest != " | None = None":
        return line
    inner = " " * (indent + 4)
    if len(inner) + len(parameter.annotation) + len(" | None") <= LINE_LENGTH:
        body = f"{inner}{parameter.annotation} | None"
    else:
        body = f"{inner}{bracketed(indent + 4, 'Literal[', values, ']')}\n{inner}| None"
    return f"{name}(\n{body}\n{' ' * indent}) = None,"


def declaration_line(declaration: str, indent: int) -> str:
    """A keyword argument's ``declaration`` (``name: annotation[ = default]``) and its comma in a ``def`` at
    ``indent``, as black lays it out: on one line if it fits; else a union annotation in parentheses, on
    a line of its own if it fits there, else a member a line, each after its ``|``; any other long
    declaration is left to black."""
    line = f"{declaration},"
    if indent + len(line) <= LINE_LENGTH:
        return line
    name, _, rest = declaration.partition(": ")
    annotation, equals, default = rest.partition(" = ")
    members = _union_members(annotation)
    if len(members) < 2:
        return line
    return f"{name}: (\n{_union_body(indent + 4, members)}\n{' ' * indent}){equals}{default},"


def returns_line(annotation: str, indent: int) -> str:
    """``) -> annotation:``, the line ending the parameters of a ``def`` at ``indent``, as black lays it
    out: on one line if it fits; else a subscript of one item split at its bracket, any other annotation
    in parentheses (a union as :func:`declaration_line` lays it out)."""
    line = f") -> {annotation}:"
    if indent + len(line) <= LINE_LENGTH:
        return line
    node = ast.parse(annotation, mode="eval").body
    if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Tuple):
        subscripted = ast.get_source_segment(annotation, node.value)
        return bracketed(indent, f") -> {subscripted}[", [ast.get_source_segment(annotation, node.slice) or ""], "]:")
    return f") -> (\n{_union_body(indent + 4, _union_members(annotation))}\n{' ' * indent}):"


def operation_spec_layout(constant: str, return_type: str) -> str:
    """How black lays out ``constant: OperationSpec[return_type] = OperationSpec(``: ``"line"`` where it
    fits; else ``"value"`` (the call in parentheses) where ``... = (`` fits. Else, where only
    ``constant: (`` fits, the annotation goes in parentheses, on a line of its own (``"annotation"``) or
    split at its bracket (``"annotation split"``), whichever makes it fit; anywhere else, and where
    neither does, black splits the annotation at its bracket alone (``"bracket"``)."""
    head = f"{constant}: OperationSpec[{return_type}] = "
    if len(head) + len("OperationSpec(") <= LINE_LENGTH:
        return "line"
    if len(head) + len("(") <= LINE_LENGTH:
        return "value"
    if len(f"{constant}: OperationSpec[") > LINE_LENGTH and len(f"{constant}: (") <= LINE_LENGTH:
        if 4 + len(f"OperationSpec[{return_type}]") <= LINE_LENGTH:
            return "annotation"
        if 8 + len(return_type) <= LINE_LENGTH:
            return "annotation split"
    return "bracket"


def _union_body(indent: int, members: Sequence[str]) -> str:
    """A union in parentheses, its lines at ``indent``: on one line if it fits, else a member a line,
    each after its ``|``."""
    inner = " " * indent
    joined = " | ".join(members)
    if len(inner) + len(joined) <= LINE_LENGTH:
        return inner + joined
    return "\n".join(f"{inner}{'| ' if index else ''}{member}" for index, member in enumerate(members))


def _union_members(annotation: str) -> list[str]:
    """The source of each member of the union ``annotation`` (``[annotation]`` if it is none)."""
    node = ast.parse(annotation, mode="eval").body
    members: list[ast.expr] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members.insert(0, node.right)
        node = node.left
    members.insert(0, node)
    return [ast.get_source_segment(annotation, member) or "" for member in members]


def _literal_values(annotation: str) -> list[str] | None:
    """The source of each value of ``Literal[...]``, or ``None`` for any other annotation."""
    tree = ast.parse(annotation, mode="eval").body
    if not (isinstance(tree, ast.Subscript) and isinstance(tree.value, ast.Name) and tree.value.id == "Literal"):
        return None
    values = tree.slice.elts if isinstance(tree.slice, ast.Tuple) else [tree.slice]
    return [ast.get_source_segment(annotation, value) or "" for value in values]


def assigned(indent: int, target: str, value: str) -> str:
    """``target = value`` for a value without brackets of its own (a string): black wraps the value in
    parentheses when the line is too long and that makes it fit, and leaves it alone otherwise."""
    line = f"{target} = {value}"
    if indent + len(line) <= LINE_LENGTH or indent + 4 + len(value) > LINE_LENGTH:
        return line
    return f"{target} = (\n{' ' * (indent + 4)}{value}\n{' ' * indent})"


def scheme_arguments(api: Api) -> dict[str, tuple[str, ...]]:
    """Constructor arguments of each security scheme; the first one is the scheme's key credential.

    Every OAuth 2 and OpenID Connect scheme takes the same ``access_token``, sent as given;
    one with a client credentials flow also takes ``client_id`` and ``client_secret``, with
    which the client fetches the token itself (see the runtime's ``_oauth``).
    """
    counts = {kind: sum(1 for s in api.security_schemes if s.kind == kind) for kind in ("basic", "bearer", "api_key")}
    result: dict[str, tuple[str, ...]] = {}
    # Scheme names that differ only in case or punctuation still get their own arguments.
    prefixes = {kind: Names() for kind in counts}
    for scheme in api.security_schemes:
        if scheme.kind == "oauth2":
            result[scheme.name] = (
                ("access_token", "client_id", "client_secret") if scheme.token_url else ("access_token",)
            )
            continue
        prefix = f"{unique(snake_case(scheme.name), prefixes[scheme.kind])}_" if counts[scheme.kind] > 1 else ""
        if scheme.kind == "basic":
            result[scheme.name] = (f"{prefix}username", f"{prefix}password")
        elif scheme.kind == "bearer":
            result[scheme.name] = (f"{prefix}token",)
        else:
            result[scheme.name] = (f"{prefix}api_key",)
    return result


def scheme_placement(api: Api) -> dict[str, tuple[str, str]]:
    """How each scheme's credential is sent: ``("basic" | "bearer" | "header" | "query" | "cookie", name)``."""
    placement: dict[str, tuple[str, str]] = {}
    for scheme in api.security_schemes:
        if scheme.kind == "api_key":
            placement[scheme.name] = (scheme.location or "header", scheme.parameter_name or "")
        else:
            placement[scheme.name] = ("bearer" if scheme.kind == "oauth2" else scheme.kind, "")
    return placement


def key_credentials(api: Api) -> list[str]:
    """The credentials any one of which makes a scheme usable: its first, and an OAuth 2 ``client_id``."""
    names = scheme_arguments(api)
    keys = [names[scheme.name][0] for scheme in api.security_schemes]
    keys += ["client_id" for scheme in api.security_schemes if scheme.token_url]
    return list(dict.fromkeys(keys))


def credentials_required(api: Api) -> bool:
    """Whether every operation needs a credential, so that a client without any is useless."""
    return bool(api.operations) and all(op.security and () not in op.security for op in api.operations)


def client_imports(api: Api) -> list[str]:
    """The package's imports of ``_client.py``: ``errors`` only where credentials can be missing."""
    modules = ["_endpoints", "_lazy", "_runtime", "_servers", "_transport"]
    if credentials_required(api):
        modules.append("errors")
    return [f"from . import {', '.join(modules)}", "from ._hooks import Hooks", "from ._runtime import Settings"]


def credentials(api: Api) -> dict[str, bool]:
    """Every credential argument of the client, with whether it is a scheme's key credential."""
    return {name: index == 0 for names in scheme_arguments(api).values() for index, name in enumerate(names)}


@dataclass(frozen=True)
class ErrorTables:
    """The distinct error-model tables of the API, and which one each operation uses."""

    tables: list[tuple[tuple[int, str], ...]]
    index: dict[str, int]


def error_tables(operations: tuple[Operation, ...]) -> ErrorTables:
    tables: dict[tuple[tuple[int, str], ...], int] = {}
    index: dict[str, int] = {}
    for operation in operations:
        table = tuple((r.status, r.model) for r in operation.errors if r.status is not None and r.model)
        index[operation.method_name] = tables.setdefault(table, len(tables))
    return ErrorTables(list(tables), index)


def batch_commands(api: Api) -> list[tuple[str, Operation]]:
    """Command-line names (``batch-upsert-course``, from the summary) of the batch operations."""
    taken = Names()
    commands = []
    for operation in api.operations:
        if operation.body is not None and operation.body.batch_items:
            name = snake_case(operation.summary or operation.method_name, fallback="command").rstrip("_")
            commands.append((unique(name, taken).replace("_", "-"), operation))
    return commands


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per installation, as Python compiles the generator's modules: read from
    beside its bytecode (``generator/__pycache__``, code trusted as the modules and templates beside it
    are, and kept when the generator's cache is emptied), written there unless Python writes no bytecode
    (``PYTHONDONTWRITEBYTECODE``) or cannot; in the generator's cache then, signed like every entry.
    Compiling the templates is most of a small document's rendering; Jinja checks each entry against its
    template's source."""

    _KIND = f"templates-{jinja2.__version__}-{sys.implementation.cache_tag}"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            bucket.bytecode_from_string((_BESIDE / self._KIND / bucket.key).read_bytes())
        except Exception:  # none, unreadable, or not an entry (Jinja unpickles its header): compiled again
            bucket.reset()
        if bucket.code is None and (text := cache.read(cache.cache_dir(self._KIND), bucket.key)) is not None:
            bucket.bytecode_from_string(base64.b64decode(text))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        if not sys.dont_write_bytecode and _written_beside(self._KIND, bucket.key, code):
            return
        cache.write(cache.cache_dir(self._KIND), bucket.key, base64.b64encode(code).decode())


#: Where Python keeps the generator's own bytecode.
_BESIDE = PACKAGE_DIR / "__pycache__"


def _written_beside(kind: str, key: str, code: bytes) -> bool:
    """Whether ``code`` was written to ``kind/key`` beside the generator's bytecode: whole or not at all
    (runs side by side may write the same entry)."""
    try:
        folder = _BESIDE / kind
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f"{key}.", delete=False) as handle:
            handle.write(code)
        try:
            os.replace(handle.name, folder / key)
        except OSError:
            os.unlink(handle.name)
            raise
    except OSError:
        return False
    return True


@functools.lru_cache(maxsize=4)
def environment(template_dir: Path) -> jinja2.Environment:
    """The templates of ``template_dir``, each compiled once per process (or read compiled from the cache)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        bytecode_cache=_CompiledTemplates(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # A line holding only a block tag makes no output of its own.
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        pyrepr=python_literal,
        docstring=docstring_text,
        tomlstr=toml_string,
        mdcode=markdown_code,
        mdtext=markdown_text,
        reflow=reflowed,
        prefixed=lambda text, prefix: prefix + text,
    )
    env.globals.update(
        error_class=error_class,
        op_const=operation_constant,
        send_call=send_call,
        call_expression=call_expression,
        bracketed=bracketed,
        literal_lines=literal_lines,
        frozenset_lines=frozenset_lines,
        union_lines=union_lines,
        parameter_line=parameter_line,
        declaration_line=declaration_line,
        returns_line=returns_line,
        spec_layout=operation_spec_layout,
        assigned=assigned,
        line_length=LINE_LENGTH,
    )
    return env


# The templates mirror the package: ``<path>.jinja`` makes ``<path>``, with these folder and file
# names replaced: the package's name, and each operation group (one module per group).
PACKAGE = "__package__"
GROUP = "__group__"
#: Rendered by :func:`render_models_index`, once the models are made.
MODELS_INDEX = f"{PACKAGE}/models/__init__.py.jinja"


def _templates(template_dir: Path) -> list[str]:
    """The templates that make a file; one whose name has no extension of its own (``macros.jinja``) is
    only imported by the others."""
    paths = (path.relative_to(template_dir).as_posix() for path in template_dir.rglob("*.jinja") if "." in path.stem)
    return sorted(path for path in paths if path != MODELS_INDEX)


def _target(template: str, package: str, group: str = "") -> str:
    return template.removesuffix(".jinja").replace(PACKAGE, package).replace(GROUP, group)


class OperationTexts:
    """The endpoints modules of the groups, and the methods each operation adds to its module on each
    client class (``methods`` in ``macros.jinja``; the call's docstring rendered once for both), worked
    out once: a module is rendered when :meth:`measure` sizes its group (``grouping`` splits large ones)
    and that text is the module :func:`render_package` writes. Both are cached across runs too, on
    ``shelf`` (written by :meth:`save`): an operation's methods under a key of the operation and
    ``fingerprint`` (the generator's), a module under the keys of its operations and what else its
    template reads. Regenerating after an edit renders again only the operations it changed and the
    modules holding them. The modules are checked as any rendered module."""

    def __init__(self, api: Api, template_dir: Path, shelf: cache.Shelf | None = None, fingerprint: str = "") -> None:
        env = environment(template_dir)
        self._macros: Any = env.get_template("macros.jinja").module
        self._group = env.get_template(f"{PACKAGE}/_endpoints/{GROUP}.py.jinja")
        self._api = api
        self._shelf = shelf or cache.Shelf(None, "")
        self._key = f"{fingerprint}\0{api.title!r}\0{api.name!r}\0{api.package!r}"
        self._methods: dict[str, tuple[tuple[str, str], str]] = {}  # each operation's methods and their key
        self._modules: dict[tuple[str, tuple[str, ...]], str] = {}

    def methods(self, operation: Operation, awaited: bool) -> str:
        """The methods of ``operation`` on the sync or (``awaited``) the async client class."""
        return self._share(operation)[0][awaited]

    def measure(self, group: str, operations: Sequence[Operation], limit: int) -> int:
        """The lines of the endpoints module of ``operations`` named ``group``; or, when their methods alone
        pass ``limit``, those: a group that large is split, and its module is not rendered to be measured (a
        regeneration measures each large group again, its methods cached). Rendered modules are in black's
        form already (:func:`~generator.emit.formatting.rendered_black_form` changes a docstring here and
        there), so their lines are counted as they are."""
        methods = sum(self._method_lines(operation) for operation in operations)
        if methods > limit:
            return methods
        return self.module(group, tuple(operations)).count("\n")

    def module(self, group: str, operations: tuple[Operation, ...]) -> str:
        """The endpoints module of ``operations`` named ``group``, rendered once whether measured or written.

        The group template reads nothing but what is given here (its environment's undefined is strict),
        so the cache's key is of that: the API's name and package, ``group``, and each operation (by the
        key of its methods). It reads no operation's group: a split renames those, not what the module
        says of them.
        """
        # Method names are unique in an API: they name the operations of one.
        names = (group, tuple(operation.method_name for operation in operations))
        text = self._modules.get(names)
        if text is None:
            parts = [self._key, group, *(self._share(operation)[1] for operation in operations)]
            key = hashlib.sha256("\0".join(["module", *parts]).encode()).hexdigest()
            text = self._shelf.get(key)
            if text is None:
                text = self._render_module(group, operations)
                self._shelf.put(key, text)
            self._modules[names] = text
        return text

    def _render_module(self, group: str, operations: tuple[Operation, ...]) -> str:
        return self._group.render(
            name=self._api.name,
            package=self._api.package,
            group=group,
            operations=operations,
            error_tables=error_tables(operations),
            imports=group_imports(operations),
            methods=self.methods,
        )

    def _method_lines(self, operation: Operation) -> int:
        return sum(text.count("\n") for text in self._share(operation)[0])

    def _share(self, operation: Operation) -> tuple[tuple[str, str], str]:
        """The sync and async methods of ``operation``, and their cache key."""
        # What an operation adds does not depend on its group.
        share = self._methods.get(operation.method_name)
        if share is None:
            # The IR is made of frozen dataclasses, tuples and scalars: its repr is a faithful key.
            key = hashlib.sha256(f"{self._key}\0{operation!r}".encode()).hexdigest()
            if (cached := self._shelf.get(key)) is not None:
                sync, awaited = json.loads(cached)
                methods = (sync, awaited)
            else:
                methods = self._render(operation)
                self._shelf.put(key, json.dumps(methods))
            share = self._methods[operation.method_name] = (methods, key)
        return share

    def save(self) -> None:
        """Keep what was rendered for the next run."""
        self._shelf.save()

    def _render(self, operation: Operation) -> tuple[str, str]:
        doc = str(self._macros.docstring(operation))
        return str(self._macros.methods(operation, False, doc)), str(self._macros.methods(operation, True, doc))


def render_package(
    api: Api,
    template_dir: Path,
    package_version: str,
    provenance: Mapping[str, str],
    operation_texts: OperationTexts | None = None,
) -> dict[str, str]:
    """Render every template; returns ``{relative path: text}``, without the files that render empty (the
    command line of an API without batch operations). ``provenance``: the fingerprints of the spec (with
    the options) and of the generator, which the package carries; ``operation_texts``: those the
    measure of the groups worked out already."""
    env = environment(template_dir)
    context: dict[str, Any] = {
        "api": api,
        "credentials": credentials(api),
        "scheme_args": scheme_arguments(api),
        "scheme_placement": scheme_placement(api),
        "primary_credentials": key_credentials(api),
        "credentials_required": credentials_required(api),
        "client_imports": client_imports(api),
        "env_prefix": api.package.upper(),
        "package_version": package_version,
        "provenance": provenance,
        "batch_ops": batch_commands(api),
        "paged": [
            (f"{op.method_name}_iter", op.pagination.described(markdown_code)) for op in api.operations if op.pagination
        ],
        "declared_errors": declared_errors(api),
        "error_tree": error_tree(declared_errors(api)),
        "runtime_errors": runtime_error_names(),
        "fixed_errors": fixed_errors(),
    }
    modules = operation_texts or OperationTexts(api, template_dir)
    texts = {}
    for name in _templates(template_dir):
        template = env.get_template(name)
        if GROUP not in name:
            texts[_target(name, api.package)] = template.render(context)
            continue
        for group, operations in api.groups.items():
            texts[_target(name, api.package, group)] = modules.module(group, operations)
    _check_pyproject(texts["pyproject.toml"], api, package_version)
    return {name: text for name, text in texts.items() if text}


def _check_pyproject(text: str, api: Api, package_version: str) -> None:
    """The rendered ``pyproject.toml`` read back says what the template meant, as the Python modules
    are held to the syntax tree they were meant to have: a document's title is in it."""
    project = tomllib.loads(text)["project"]
    meant = {"name": api.distribution, "version": package_version}
    if {key: project[key] for key in meant} != meant or not project["description"].endswith(f" {api.name}"):
        raise RuntimeError("pyproject.toml does not say what its template meant")


def group_imports(operations: tuple[Operation, ...]) -> list[str]:
    """The import lines of a group module, what its signatures and bodies use, sections apart by a blank line."""
    paginated = any(operation.pagination for operation in operations)
    batched = any(operation.body and operation.body.batch_items for operation in operations)
    warns = any(operation.deprecations() for operation in operations)
    abc = [name for name, used in (("AsyncIterable", batched), ("AsyncIterator", paginated)) if used]
    abc += [name for name, used in (("Iterable", batched), ("Iterator", paginated)) if used]
    annotations = " ".join(parameter.annotation for operation in operations for parameter in operation.parameters)
    standard = ["import datetime"] if "datetime." in annotations else []
    standard += ["import warnings"] if warns else []
    listed = any(operation.body and "Sequence[Any]" in operation.body.plain for operation in operations)
    standard.append(f"from collections.abc import {', '.join([*abc, 'Mapping', *['Sequence'] * listed])}")
    standard.append(f"from typing import {', '.join(_typing_names(operations))}")
    if re.search(r"\bUUID\b", annotations):
        standard.append("from uuid import UUID")
    package = [f"from .. import {', '.join(names)}"] if (names := _package_modules(operations, paginated)) else []
    if batched:
        package.append("from .._batching import BatchCallback, BatchOptions, BatchReport, ProgressCallback")
    package.append("from .._runtime import Call, OperationSpec, RequestOptions")
    package.append("from .._transport import AsyncTransport, SyncTransport")
    return [*standard, "", "import httpx", "", *package]


def _package_modules(operations: tuple[Operation, ...], paginated: bool) -> list[str]:
    """The package's modules a group module names: ``_paging`` to follow pages, ``_streams`` and
    ``models`` in annotations."""
    streamed = any(operation.streams for operation in operations)
    used = (("_paging", paginated), ("_streams", streamed), ("models", _uses_models(operations)))
    return [name for name, wanted in used if wanted]


def _typing_names(operations: tuple[Operation, ...]) -> list[str]:
    """The names a group module imports from ``typing``: what its signatures and bodies use (every method
    takes ``extra_query`` and ``extra_body`` as ``Mapping[str, Any]``), and ``TYPE_CHECKING`` for the
    declarations of the client's wrapped methods."""
    annotations = [parameter.annotation for operation in operations for parameter in operation.parameters]
    names = {"Any"}
    if any(re.search(r"\bLiteral\[", annotation) for annotation in annotations):
        names.add("Literal")
    if any(operation.body and operation.body.kind == "binary" for operation in operations):
        names.add("BinaryIO")
    return ["TYPE_CHECKING", *sorted(names)]


def _uses_models(operations: tuple[Operation, ...]) -> bool:
    """Whether the methods name a model in their signatures (error models are named as text)."""
    return any(
        "models." in operation.return_type
        or bool(operation.body and operation.body.model)
        or any("models." in parameter.annotation for parameter in operation.parameters)
        for operation in operations
    )


def render_models_index(api: Api, template_dir: Path, modules: dict[str, list[str]]) -> dict[str, str]:
    """``{path: text}`` of ``models/__init__.py``: every model by name, loaded from its module on first use."""
    index = {module: _index_lines(module, names) for module, names in modules.items()}
    text = environment(template_dir).get_template(MODELS_INDEX).render(api=api, index=index)
    return {_target(MODELS_INDEX, api.package): text}


def _index_lines(module: str, names: list[str]) -> str | list[str]:
    """A module's entry in the models index: its models' names, sorted and apart by spaces; as one string
    when it fits beside the module's name, else as strings of a line each (Python joins them), even one."""
    words = " ".join(sorted(names))
    if len(f"    {python_literal(module)}: {python_literal(words)},") < LINE_LENGTH:
        return words
    # A string a line, 8 spaces in, between quotes; each but the first starts with the space before it.
    lines = textwrap.wrap(words, LINE_LENGTH - 12, break_long_words=False, break_on_hyphens=False)
    return lines[:1] + [f" {line}" for line in lines[1:]]
