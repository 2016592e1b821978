"""Split the single models module datamodel-code-generator makes into one module per operation group.

A model goes to the module of the only group whose operations reach it, and to
``_shared`` when several groups (or none) do. Every model a ``_shared`` model
needs is itself in ``_shared``, so group modules import from ``_shared`` and
never from each other: importing one group's models never loads the others'.
A module over about ``module_lines`` lines is cut into parts (``_shared``,
``_shared__2``, ...) along what its models need: models that need each other
stay together, and a part imports only from the parts before it, so importing
one model loads the parts its models need, not the whole module.

Every module is importable and every model complete by construction: definitions
are ordered by what each needs at import time (bases, decorators, defaults, type
aliases), not by name, and a module imports every name its classes' annotations
name, those of inherited fields included, since pydantic resolves those in the
module of the subclass. A field that redeclares an inherited one (an ``allOf`` that
narrows its type) is marked for type checkers, which read a narrower type of a
mutable attribute as an incompatible override. Each module's ``__all__`` lists the names it
defines, for the models index to star-import them for type checkers.
"""

from __future__ import annotations

import ast
import builtins
import heapq
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from generator.emit.astguard import defined_names
from generator.emit.astwalk import walk
from generator.emit.formatting import (
    LINE_LENGTH,
    black_form,
    displayable,
    is_standalone_string,
    long_line_splits,
    pre_formatted_lines,
    source_segment,
)
from generator.emit.sourcelines import formatted_line_count
from generator.literals import python_literal
from generator.model.grouping import MODULE_LINES

SHARED = "_shared"
# Between a module's name and its part's number.
_PART = "__"
_BUILTINS = frozenset(dir(builtins))
# Imported for names only inherited fields' annotations name, which a linter cannot see used.
_INHERITED_IMPORT = "  # noqa: F401 (names of inherited fields' annotations)"
# "unused-ignore" keeps mypy --strict quiet where the new type happens to be compatible.
_OVERRIDE = "  # type: ignore[assignment, unused-ignore]"


@dataclass(frozen=True)
class _Definition:
    """One top-level statement of the models module and the names it defines and uses."""

    #: as black writes it (:func:`black_form`)
    text: str
    #: about the lines black makes of it (:func:`_formatted_lines`)
    size: float
    defines: frozenset[str]
    #: every name it reads, at import or when pydantic resolves its annotations
    uses: frozenset[str]
    #: the names it reads at import: they must be defined before it
    eager: frozenset[str]
    #: the names its fields' annotations read (``__pydantic_extra__``'s included)
    annotations: frozenset[str]
    bases: frozenset[str]
    #: the model a ``Name = Model`` statement binds its name to
    binds: str | None


@dataclass(frozen=True)
class ModelModules:
    """The models modules: their sources, and the names each defines, by module name."""

    sources: dict[str, str]
    names: dict[str, list[str]]


def split_models(
    source: str,
    roots: Mapping[str, set[str]],
    docstrings: Mapping[str, str],
    module_lines: int = MODULE_LINES,
    tree: ast.Module | None = None,
) -> ModelModules:
    """Split ``source`` (the model generator's, parsed as ``tree`` if given, which is left as it is)
    into modules, pre-formatted (:func:`pre_formatted_lines`).

    ``roots`` gives, for each group, the models its operations name; ``docstrings``
    the docstring of each module (``_shared`` included). Modules without models are left out;
    those over about ``module_lines`` lines are cut into parts.
    """
    tree = ast.parse(source) if tree is None else tree
    lines = pre_formatted_lines(source, tree)  # numbered as ast numbers them
    # The same rows, some split as black would split them (so black has less to do, often nothing); parts
    # are still cut by the lines as they were, so the modules do not depend on it.
    written = list(lines)
    for row, split in long_line_splits(tree, lines):
        written[row - 1] = split(lines[row - 1].rstrip("\n"))
    imports: list[ast.Import | ast.ImportFrom] = []
    statements: list[tuple[ast.stmt, int]] = []  # with the last line of its text
    # Without the module docstring.
    body = tree.body[1:] if tree.body and is_standalone_string(tree.body[0]) else tree.body
    for node in body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif is_standalone_string(node) and statements:  # the docstring of the definition above it (a type alias)
            statements[-1] = (statements[-1][0], node.end_lineno or node.lineno)
        else:
            statements.append((node, node.end_lineno or node.lineno))
    overrides = _overriding_fields([node for node, _ in statements])
    definitions: list[_Definition] = []
    for node, end in statements:
        marked = overrides.get(node.name, []) if isinstance(node, ast.ClassDef) else []
        defines = defined_names(node)
        text, code = _text(written, node, end, marked, _string_rows(node, end))
        definitions.append(
            _Definition(
                black_form(text, _class_docstring(lines, node), code),
                _formatted_lines(_text(lines, node, end, marked)[0], defines),
                defines,
                _names(node),
                _eager_names(node),
                _annotation_names(node),
                frozenset(_type_names(node.bases)) if isinstance(node, ast.ClassDef) else frozenset(),
                _bound_model(node),
            )
        )
    definitions = _in_dependency_order(definitions)
    models = {name for definition in definitions for name in definition.defines}
    placement = _place(definitions, models, roots)
    inherited = _inherited_annotation_names(definitions)
    grouped: dict[str, list[_Definition]] = {}
    for definition in definitions:
        grouped.setdefault(_module_of(definition, placement), []).append(definition)
    by_module: dict[str, list[_Definition]] = {}
    bases: dict[str, str] = {}  # each part's module
    for module, members in grouped.items():
        for index, part in enumerate(_parts(members, module_lines)):
            name = module if index == 0 else f"{module}{_PART}{index + 1}"
            if name in grouped and name != module:
                raise RuntimeError(f"models module {module}'s part {index + 1} would be named like a group")
            by_module[name], bases[name] = part, module
            placement.update({defined: name for definition in part for defined in definition.defines})
    return ModelModules(
        sources={
            module: displayable(
                _module_source(
                    docstrings[bases[module]], imports, by_module[module], placement, module, inherited, bases
                ),
                f"the models module {module}",
            )
            for module in sorted(by_module)
        },
        names={
            module: [name for definition in by_module[module] for name in sorted(definition.defines)]
            for module in sorted(by_module)
        },
    )


def _bound_model(node: ast.stmt) -> str | None:
    """The model ``node`` binds a name to, if it is ``Name = Model``."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.value.id if isinstance(node.value, ast.Name) else None
    return None


def _class_docstring(lines: list[str], node: ast.stmt) -> list[tuple[str, str]]:
    """The literal and indent of ``node``'s docstring if it is a class with one (the only docstring black
    rewrites in a models statement: a string after a field or a type alias is not one to it)."""
    if not (isinstance(node, ast.ClassDef) and node.body and is_standalone_string(node.body[0])):
        return []
    return [(source_segment(lines, node.body[0]), "    ")]


def _string_rows(node: ast.stmt, end: int) -> frozenset[int]:
    """The rows of the standalone strings of a statement ending at ``end``: a class's docstring and those
    after its fields, or the docstring after a type alias."""
    strings = [child for child in node.body if is_standalone_string(child)] if isinstance(node, ast.ClassDef) else []
    rows = {row for string in strings for row in range(string.lineno, (string.end_lineno or string.lineno) + 1)}
    return frozenset(rows | set(range((node.end_lineno or node.lineno) + 1, end + 1)))


def _text(
    lines: list[str], node: ast.stmt, end: int, marked: list[ast.AnnAssign], strings: frozenset[int] = frozenset()
) -> tuple[str, str]:
    """Lines of the statement up to ``end``, with :data:`_OVERRIDE` after the first line of each ``marked`` field;
    and the same without the rows of ``strings``."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
    chosen = lines[first - 1 : end]
    for field in marked:
        line = chosen[field.lineno - first]
        content = line.rstrip("\r\n")
        chosen[field.lineno - first] = content + _OVERRIDE + line[len(content) :]
    text = "".join(chosen).rstrip("\n") + "\n"
    if marked and ast.dump(ast.parse(text).body[0]) != ast.dump(node):
        # The line ended inside a string: the comment would have changed it.
        raise RuntimeError(f"cannot mark the overriding fields of {getattr(node, 'name', '?')}")
    return text, "".join(line for row, line in enumerate(chosen, first) if row not in strings)


def _overriding_fields(statements: list[ast.stmt]) -> dict[str, list[ast.AnnAssign]]:
    """For each class, its fields that redeclare one a base class (among these) declares."""
    classes = {node.name: node for node in statements if isinstance(node, ast.ClassDef)}

    def fields(node: ast.ClassDef) -> list[ast.AnnAssign]:
        return [s for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]

    def inherited(node: ast.ClassDef, seen: set[str]) -> set[str]:
        names: set[str] = set()
        for base in _type_names(node.bases):
            if base in classes and base not in seen:
                seen.add(base)
                names |= {f.target.id for f in fields(classes[base]) if isinstance(f.target, ast.Name)}
                names |= inherited(classes[base], seen)
        return names

    found: dict[str, list[ast.AnnAssign]] = {}
    for name, node in classes.items():
        parents = inherited(node, {name})
        marked = [f for f in fields(node) if isinstance(f.target, ast.Name) and f.target.id in parents]
        if marked:
            found[name] = marked
    return found


def _in_dependency_order(definitions: list[_Definition]) -> list[_Definition]:
    """``definitions`` ordered so that each comes after every one it needs at import time.

    Among those free to go next, the earliest in ``definitions`` goes first, so the
    order is stable. Annotations are postponed, so only a cycle of import-time needs
    (which no valid document makes) cannot be ordered.
    """
    definers: dict[str, int] = {name: index for index, d in enumerate(definitions) for name in d.defines}
    needs = [{definers[name] for name in d.eager if name in definers} - {index} for index, d in enumerate(definitions)]
    needed_by: list[list[int]] = [[] for _ in definitions]
    for index, required in enumerate(needs):
        for other in required:
            needed_by[other].append(index)
    waiting = [len(required) for required in needs]
    ready = [index for index, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        index = heapq.heappop(ready)
        order.append(index)
        for dependent in needed_by[index]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, dependent)
    if len(order) < len(definitions):
        stuck = sorted(name for index, count in enumerate(waiting) if count for name in definitions[index].defines)
        raise RuntimeError(f"models need each other at import time: {', '.join(stuck[:10])}")
    return [definitions[index] for index in order]


def _inherited_annotation_names(definitions: list[_Definition]) -> dict[str, frozenset[str]]:
    """For each class, the names the annotations of the fields it inherits read."""
    by_name = {name: d for d in definitions for name in d.defines}
    found: dict[str, frozenset[str]] = {}

    def of(name: str, seen: frozenset[str]) -> frozenset[str]:
        if name not in found:
            names: set[str] = set()
            for base in by_name[name].bases:
                if base in by_name and base not in seen:
                    names |= by_name[base].annotations | of(base, seen | {base})
            found[name] = frozenset(names)
        return found[name]

    for name in by_name:
        of(name, frozenset({name}))
    return found


def _names(node: ast.AST) -> frozenset[str]:
    """Every name the statement reads: plain names, and names inside string forward references
    (``Dict[str, "Tree"]``, ``TypeAliasType("T", "list[T] | int")``). One walk of the tree: models
    modules are large, and walking is most of the splitter's time."""
    loaded: set[str] = set()
    # Parameters and locals of the methods it may hold are not the module's names.
    bound: set[str] = set()
    forward: set[str] = set()
    for child in walk(node):
        if isinstance(child, ast.Name):
            (loaded if isinstance(child.ctx, ast.Load) else bound).add(child.id)
        elif isinstance(child, ast.arg):
            bound.add(child.arg)
        elif isinstance(child, ast.Subscript):
            forward.update(_type_names([child]))
        elif isinstance(child, ast.AnnAssign):
            forward.update(_type_names([child.annotation]))
        elif isinstance(child, ast.Call) and _called(child) == "TypeAliasType":
            forward.update(_type_names(child.args[1:]))
    return frozenset((loaded - bound) | forward)


def _called(call: ast.Call) -> str:
    function = call.func
    return (
        function.id if isinstance(function, ast.Name) else function.attr if isinstance(function, ast.Attribute) else ""
    )


def _type_names(expressions: list[ast.expr]) -> Iterator[str]:
    """The names a type expression reads, strings parsed as forward references; ``Literal`` values hold
    no names, nor the arguments of a metadata call such as ``Field(alias="...")`` (data), though its
    callee does (an inherited field's ``Field`` is resolved in the module of the subclass too)."""
    stack = list(expressions)
    while stack:
        expression = stack.pop()
        if isinstance(expression, ast.Name):
            yield expression.id
        elif isinstance(expression, ast.Attribute):
            stack.append(expression.value)
        elif isinstance(expression, ast.Subscript):
            stack.append(expression.value)
            if not (isinstance(expression.value, ast.Name) and expression.value.id == "Literal"):
                stack.append(expression.slice)
        elif isinstance(expression, ast.Tuple | ast.List):
            stack.extend(expression.elts)
        elif isinstance(expression, ast.Call):
            stack.append(expression.func)
        elif isinstance(expression, ast.BinOp):
            stack.extend((expression.left, expression.right))
        elif isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            try:
                stack.append(ast.parse(expression.value, mode="eval").body)
            except SyntaxError:
                pass  # not a forward reference


def _eager_names(node: ast.stmt) -> frozenset[str]:
    """The names a statement reads while the module is imported (annotations are postponed)."""
    if isinstance(node, ast.ClassDef):
        names = {n for part in (*node.bases, *node.keywords, *node.decorator_list) for n in _loads(part)}
        for statement in node.body:
            names |= _eager_names(statement)
        return frozenset(names)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        parts: list[ast.AST] = [*node.decorator_list, *node.args.defaults]
        parts += [default for default in node.args.kw_defaults if default is not None]
        return frozenset(n for part in parts for n in _loads(part))
    if isinstance(node, ast.AnnAssign):
        return frozenset(_loads(node.value)) if node.value is not None else frozenset()
    return frozenset(_loads(node))


def _loads(node: ast.AST) -> Iterator[str]:
    return (n.id for n in walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load))


def _annotation_names(node: ast.stmt) -> frozenset[str]:
    """The names a class's field annotations read, ``__annotations__ = {...}`` entries included."""
    if not isinstance(node, ast.ClassDef):
        return frozenset()
    names: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign):
            names.update(_type_names([statement.annotation]))
        elif (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__annotations__" for t in statement.targets)
            and isinstance(statement.value, ast.Dict)
        ):
            names.update(_type_names(statement.value.values))
    return frozenset(names)


def _module_of(definition: _Definition, placement: Mapping[str, str]) -> str:
    # A statement that defines nothing (``Model.model_rebuild()``) follows the model it uses.
    for name in sorted(definition.defines) or sorted(definition.uses):
        if name in placement:
            return placement[name]
    return SHARED


def _place(definitions: list[_Definition], models: set[str], roots: Mapping[str, set[str]]) -> dict[str, str]:
    """Each model's module: the one group that reaches it, else ``_shared``."""
    uses: dict[str, set[str]] = {name: set() for name in models}
    for definition in definitions:
        for name in definition.defines:
            uses[name] |= (definition.uses & models) - {name}  # not models - {name}: a copy each
    reached_by: dict[str, set[str]] = {name: set() for name in models}

    def spread(group: str, start: set[str]) -> None:
        stack = [name for name in start if name in models]
        while stack:
            name = stack.pop()
            if group not in reached_by[name]:
                reached_by[name].add(group)
                stack.extend(uses[name])

    for group, names in roots.items():
        spread(group, names)
    # A name bound to a model (a schema written like another) that no operation reaches goes with that model:
    # the definitions come in dependency order, so the model's groups are known.
    for definition in definitions:
        if definition.binds in models:
            (name,) = definition.defines
            if not reached_by[name]:
                reached_by[name] = set(reached_by[definition.binds])
    # Models no operation reaches are shared, and so is everything they use.
    spread(SHARED, {name for name, groups in reached_by.items() if not groups})
    return {name: next(iter(groups)) if len(groups) == 1 else SHARED for name, groups in reached_by.items()}


def _module_source(
    docstring: str,
    imports: list[ast.Import | ast.ImportFrom],
    definitions: list[_Definition],
    placement: Mapping[str, str],
    module: str,
    inherited: Mapping[str, frozenset[str]],
    bases: Mapping[str, str],
) -> str:
    used = frozenset().union(*(definition.uses for definition in definitions))
    defined = frozenset().union(*(definition.defines for definition in definitions))
    # Names only inherited annotations read: imported too, or pydantic cannot complete the subclass.
    hidden = frozenset().union(*(inherited.get(name, frozenset()) for name in defined)) - used - defined
    needed = used | hidden
    # A part imports from the parts of its own module and from _shared's, never from another group.
    allowed = {bases[module], SHARED}
    elsewhere = sorted(name for name in needed - defined if bases.get(placement.get(name, module)) not in allowed)
    if elsewhere:
        raise RuntimeError(f"models module {module} would import from another group: {', '.join(elsewhere)}")
    literal = f'"""{docstring}"""'
    header = [black_form(literal + "\n", [(literal, "")], ""), "\nfrom __future__ import annotations\n\n"]
    imported: set[str] = set()
    for names, comment in ((used, ""), (hidden, _INHERITED_IMPORT)):
        for node in imports:
            kept = [
                alias
                for alias in node.names
                if (alias.asname or alias.name).split(".")[0] in names - imported  # once, if imported twice
            ]
            if kept:
                header.append(_import_line(_source(node), [_alias(alias) for alias in kept], comment))
                imported.update((alias.asname or alias.name).split(".")[0] for alias in kept)
        siblings: dict[str, list[str]] = {}
        for name in sorted(names - defined - imported):
            if name in placement and placement[name] != module:
                siblings.setdefault(placement[name], []).append(name)
        for sibling in sorted(siblings):
            header.append(_import_line(f".{sibling}", siblings[sibling], comment))
            imported.update(siblings[sibling])
    unknown = sorted(needed - defined - imported - _BUILTINS)
    if unknown:
        raise RuntimeError(f"models module {module} uses names nothing defines or imports: {', '.join(unknown[:10])}")
    return "".join(header) + _exports(defined) + "".join("\n\n" + definition.text for definition in definitions)


def _exports(names: Iterable[str]) -> str:
    """The ``__all__`` of a models module: what ``from .module import *`` (the models index's, for type
    checkers) takes, never the helpers it imports. Several names a line, which black is told to keep:
    it would write one a line, a line a model."""
    listed = ", ".join(python_literal(name) for name in sorted(names)) + ","
    lines = textwrap.wrap(listed, LINE_LENGTH - 4, break_long_words=False, break_on_hyphens=False)
    return "\n# fmt: off\n__all__ = [\n" + "".join(f"    {line}\n" for line in lines) + "]\n# fmt: on\n"


def _import_line(source: str | None, names: list[str], comment: str) -> str:
    """The statement importing ``names`` from module ``source`` (None: a plain ``import``), written as
    black writes it: a ``from`` import over the line limit has one name a line, in parentheses, with a
    trailing comma."""
    if source is None:
        return f"import {', '.join(names)}{comment}\n"
    line = f"from {source} import {', '.join(names)}{comment}"
    if not line.isascii():  # black measures its width, not its length: not guessed at
        return black_form(line + "\n")
    if len(line) <= LINE_LENGTH:
        return line + "\n"
    return f"from {source} import (\n" + "".join(f"    {name},\n" for name in names) + f"){comment}\n"


def _source(node: ast.Import | ast.ImportFrom) -> str | None:
    return None if isinstance(node, ast.Import) else "." * node.level + (node.module or "")


def _alias(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _parts(definitions: list[_Definition], limit: int) -> list[list[_Definition]]:
    """``definitions`` (in dependency order) cut into parts of about ``limit`` lines at most.

    Definitions that need each other (a strongly connected set) stay in one part, and every
    part comes after the parts holding what it needs, so parts import only from earlier ones.
    Related definitions stay close: they are taken depth first from each in turn.
    """
    if sum(d.size for d in definitions) <= limit:
        return [definitions]
    definers = {name: index for index, d in enumerate(definitions) for name in d.defines}
    edges = [sorted({definers[n] for n in d.uses if n in definers} - {index}) for index, d in enumerate(definitions)]
    parts: list[list[_Definition]] = [[]]
    size = 0.0
    for component in _components_in_need_order(edges):
        members = [definitions[index] for index in sorted(component)]
        lines = sum(d.size for d in members)
        if parts[-1] and size + lines > limit:
            parts.append([])
            size = 0.0
        parts[-1].extend(members)
        size += lines
    return parts


def _formatted_lines(text: str, defines: frozenset[str]) -> float:
    """About the lines black makes of a definition's ``text``: with the blank lines before it and its
    names' share of its module's ``__all__``."""
    exported = sum(len(name) + 4 for name in defines) / (LINE_LENGTH - 4)
    return formatted_line_count(text, LINE_LENGTH) + 2 + exported


def _components_in_need_order(edges: list[list[int]]) -> list[list[int]]:
    """The strongly connected components of the graph ``edges`` (Tarjan's, without recursion), each after
    every component it has an edge to, found depth first from node 0, 1, ... in turn."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    components: list[list[int]] = []
    for root in range(len(edges)):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if child < len(edges[node]):
                work.append((node, child + 1))
                target = edges[node][child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
