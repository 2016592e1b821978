"""The last check before anything is written: each module means what its generator meant.

A client module goes from its template to the disk as rendered, in black's form, and must be Python;
one black has something left to change in (a spec's text in a docstring, say) is formatted, and must
parse to the same tree as before. Between the model generator and the disk, text passes through the
pre-formatter, the models splitter (which gives black the statements it has work on) and the cache.
Each only moves text around, and is checked here: the models modules must hold exactly the statements
the model generator wrote (imports only from its own import list, or from ``_shared``), each with an
``__all__`` of exactly the names it defines, which the models index must list under its name; and the
model generator imports only what models are made of (:data:`MODEL_MODULES`), so that no text of a
document chooses a module to import (the generator drops the keywords it knows to do so); and Python
can order each model's bases. Only the layout of standalone strings (docstrings, which black reflows)
may change. A spec string that escaped its literal would show up as a different tree, so a mismatch
stops the run before anything is written.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.literals import DISPLAY_UNSAFE
from generator.model.classorder import c3_merge


class UnsafeOutputError(RuntimeError):
    """A generated module no longer means what its generator meant."""


def check_displayable(name: str, text: str) -> None:
    """``text`` (the generated file ``name``: a module, the README) holds no
    :data:`~generator.literals.DISPLAY_UNSAFE` character: it displays as it runs, and a terminal showing it
    acts on nothing a spec wrote."""
    if found := DISPLAY_UNSAFE.search(text):
        raise UnsafeOutputError(
            f"generated {name} holds {found.group()!r}, which would display otherwise than it runs; nothing written"
        )


def parsed(name: str, text: str) -> ast.Module:
    """``text`` (a generated module), which must be Python, parsed."""
    return _parse(name, text)


def check_formatted(name: str, meant: str, written: str) -> None:
    """``written`` (``meant`` formatted) must parse to the same tree as ``meant``."""
    if _shape(_parse(name, meant)) != _shape(_parse(name, written)):
        raise UnsafeOutputError(f"{name}: formatting changed what the code means; nothing written")


#: What the model generator's modules may import: typing, dates, enums and the like, pydantic, and the
#: package's own base model, open enum and file input (``{package}`` stands for the package).
MODEL_MODULES = frozenset(
    {
        *("__future__", "typing", "typing_extensions", "collections.abc", "enum", "datetime", "uuid"),
        *("decimal", "ipaddress", "re", "builtins", "pathlib", "annotated_types", "pydantic"),
        *("{package}._base_model", "{package}._open_enum", "{package}._files"),
    }
)


def check_model_imports(meant: ast.Module, package: str) -> None:
    """The model generator's module (``meant``, parsed) imports only from :data:`MODEL_MODULES`."""
    allowed = {module.format(package=package) for module in MODEL_MODULES}
    for node in _statements(meant.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for (module, level), name, _ in _imported(node):
                whole = module if module else name
                if level or (whole not in allowed and not whole.startswith("pydantic.")):
                    raise UnsafeOutputError(
                        f"the models import {'.' * level}{whole}, which no model is made of; nothing written"
                    )


def check_class_orders(meant: ast.Module) -> None:
    """Python can order the bases of each class of the model generator's module (``meant``, parsed): one
    it refuses would fail the module's import (the normalizer writes such a base in place)."""
    orders: dict[str, list[str]] = {}
    for node in meant.body:
        if isinstance(node, ast.ClassDef):
            bases = [base.id for base in node.bases if isinstance(base, ast.Name) and base.id in orders]
            merged = c3_merge([*(orders[base] for base in bases), bases])
            if merged is None:
                raise UnsafeOutputError(
                    f"the model {node.name} has bases Python cannot order ({', '.join(bases)}); nothing written"
                )
            orders[node.name] = [node.name, *merged]


def check_scopes(name: str, module: ast.Module) -> None:
    """The client module ``name`` (parsed) defines no name it imports (an operation ``uuid``'s constant
    ``UUID`` beside ``from uuid import UUID``), and no class of it binds a name its methods' annotations
    read: in the class's body the method ``list`` (or ``models``) would hide the builtin (the module) from
    the signatures after it (``list[str]``, ``models.Pet``). Either would make the code mean something
    else; operations are named so that none does (see ``client_method_name``)."""
    imported = {alias or imported.split(".")[0] for node in module.body for _, imported, alias in _imported(node)}
    if twice := sorted(imported & {defined for node in module.body for defined in defined_names(node)}):
        raise UnsafeOutputError(f"{name}: {', '.join(twice)} both imported and defined; nothing written")
    for node in _classes(module.body):
        bound = {member.name for member in node.body if isinstance(member, _DEFINITIONS)}
        bound.update(defined for member in node.body for defined in defined_names(member))
        read = {
            found.id
            for member in node.body
            if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
            for annotation in _annotations(member)
            for found in ast.walk(annotation)
            if isinstance(found, ast.Name)
        }
        if hidden := sorted(bound & read):
            raise UnsafeOutputError(
                f"{name}: the class {node.name} defines {', '.join(hidden)}, which its signatures read; nothing written"
            )


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# The fields that hold statements (an except clause's and a match case's body included).
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def _classes(statements: list[Any]) -> Iterator[ast.ClassDef]:
    """Every class ``statements`` define, at any depth."""
    return (statement for statement in _statements(statements) if isinstance(statement, ast.ClassDef))


def _statements(statements: list[Any]) -> Iterator[Any]:
    """``statements`` and those they hold, at any depth (an except clause and a match case as the
    statements they are part of): only statements hold a class or an import, so the expressions (most
    of a module: GitHub's models, 450,000 nodes) are not walked."""
    for statement in statements:
        yield statement
        for field in _STATEMENT_LISTS:
            inner = getattr(statement, field, None)
            if isinstance(inner, list):
                yield from _statements(inner)


def _annotations(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    found = [argument.annotation for argument in every if argument is not None and argument.annotation is not None]
    return [*found, function.returns] if function.returns is not None else found


def check_split(meant: ast.Module, modules: Mapping[str, str], names: Mapping[str, list[str]]) -> None:
    """The models ``modules`` together hold each statement of ``meant`` (the model generator's module,
    parsed; changed here) once, and import nothing else (but each other's names: ``from ._shared import
    Name``); the ``__all__`` of each lists, sorted, the names it defines, which are its ``names``."""
    if set(names) != set(modules):
        raise UnsafeOutputError("the models modules are not those whose names were given; nothing written")
    expected = Counter(_shape(node) for node in _definitions(meant))
    allowed_imports = {alias for node in meant.body for alias in _imported(node)}
    found: Counter[str] = Counter()
    for name, text in modules.items():
        module = _parse(name, text)
        for node in module.body:
            stray = {
                alias
                for alias in _imported(node)
                if alias not in allowed_imports
                and not (alias[0][1] == 1 and alias[0][0] in modules and alias[2] is None)
            }
            if stray:
                raise UnsafeOutputError(
                    f"models module {name} imports what the model generator did not; nothing written"
                )
        exported = [listed for node in module.body if (listed := _exports(node)) is not None]
        definitions = [node for node in _definitions(module) if _exports(node) is None]
        defined = sorted(set().union(*(defined_names(node) for node in definitions)))
        if exported != [defined] or defined != sorted(names.get(name, ())):
            raise UnsafeOutputError(f"models module {name}'s __all__ is not the names it defines; nothing written")
        found.update(_shape(node) for node in definitions)
    if found != expected:
        raise UnsafeOutputError("splitting the models changed their statements; nothing written")


def check_models_index(index: str, names: Mapping[str, list[str]]) -> None:
    """The models index (``models/__init__.py``) gives each module's ``names`` in its ``_MODULES``
    (sorted, apart by spaces), and star-imports each module for type checkers and no other."""
    tree = _parse("models/__init__.py", index)
    entries = [
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == "_MODULES" for target in _targets(node))
    ]
    try:
        listed = ast.literal_eval(entries[0]) if len(entries) == 1 and entries[0] is not None else None
    except ValueError:
        listed = None
    starred = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and any(alias.name == "*" for alias in node.names)
    }
    if (
        not isinstance(listed, dict)
        or any(not isinstance(value, str) for value in listed.values())
        or {module: value.split() for module, value in listed.items()} != {m: sorted(n) for m, n in names.items()}
        or starred != set(names)
    ):
        raise UnsafeOutputError("the models index does not list exactly the models of each module; nothing written")


def defined_names(node: ast.stmt) -> frozenset[str]:
    """The names a module's top-level statement defines: a class's, or those it assigns."""
    if isinstance(node, ast.ClassDef):
        return frozenset({node.name})
    return frozenset(target.id for target in _targets(node) if isinstance(target, ast.Name))


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return node.targets
    return [node.target] if isinstance(node, ast.AnnAssign) else []


def _exports(node: ast.stmt) -> list[str] | None:
    """The names an ``__all__ = [...]`` statement lists; ``None`` for any other statement."""
    if not (isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]):
        return None
    value = node.value
    if not isinstance(value, ast.List) or any(not isinstance(e, ast.Constant) for e in value.elts):
        raise UnsafeOutputError("a models module's __all__ is not a list of names; nothing written")
    return [str(element.value) for element in value.elts if isinstance(element, ast.Constant)]


def _parse(name: str, text: str) -> ast.Module:
    try:
        return _parse_once_more_on_system_error(text)
    except SyntaxError as error:
        raise UnsafeOutputError(f"generated {name} is not valid Python: {error.msg} (line {error.lineno})") from None


def _parse_once_more_on_system_error(text: str) -> ast.Module:
    # CPython before 3.11.8 and 3.12.1 (gh-106905) keeps one AST recursion counter for all threads:
    # another thread building an AST at the same moment makes ast.parse raise SystemError
    # ("AST constructor recursion depth mismatch"). The text is fine; parsing it again is.
    try:
        return ast.parse(text)
    except SystemError:
        return ast.parse(text)


def _definitions(module: ast.Module) -> Iterable[ast.stmt]:
    """The module's statements but its docstring and imports."""
    body = module.body
    if body and _is_standalone_string(body[0]):
        body = body[1:]
    return (node for node in body if not isinstance(node, (ast.Import, ast.ImportFrom)))


def _imported(node: ast.stmt) -> set[tuple[tuple[str, int], str, str | None]]:
    """``((module, level), name, asname)`` for each name an import statement binds."""
    if isinstance(node, ast.ImportFrom):
        return {((node.module or "", node.level), alias.name, alias.asname) for alias in node.names}
    if isinstance(node, ast.Import):
        return {(("", 0), alias.name, alias.asname) for alias in node.names}
    return set()


def _is_standalone_string(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _fold_standalone_strings(node: ast.AST) -> None:
    """Standalone strings compared as black treats docstrings: each line stripped, blank ends dropped.

    Only statements can be standalone strings, so only statement lists are visited, not expressions
    (most of a models module's nodes).
    """
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt) and _is_standalone_string(node):
            assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            node.value.value = "\n".join(line.strip() for line in str(node.value.value).splitlines()).strip()
            continue
        for field in _STATEMENT_LISTS:
            children = getattr(node, field, None)
            if isinstance(children, list):
                stack.extend(children)


def _shape(node: ast.AST) -> str:
    """The tree as text, without positions; ``node`` is changed (each caller parses afresh)."""
    _fold_standalone_strings(node)
    parts: list[str] = []
    _write_shape(node, parts)
    return "".join(parts)


def _write_shape(node: object, parts: list[str]) -> None:
    """Each node as its type and its fields in order, each value as its ``repr``: what ``ast.dump`` says
    but the field names, which the type fixes (it is general, and took most of the check's time)."""
    if isinstance(node, ast.AST):
        parts += (type(node).__name__, "(")
        for field in node._fields:
            _write_shape(getattr(node, field, None), parts)
            parts.append(",")
        parts.append(")")
    elif isinstance(node, list):
        parts.append("[")
        for item in node:
            _write_shape(item, parts)
            parts.append(",")
        parts.append("]")
    else:
        parts.append(repr(node))
