"""Split the single models module datamodel-code-generator makes into one module per operation group.

A model goes to the module of the only group whose operations reach it, and to
``_shared`` when several groups (or none) do. Every model a ``_shared`` model
needs is itself in ``_shared``, so group modules import from ``_shared`` and
never from each other: importing one group's models never loads the others'.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from generator.sourcelines import physical_lines

SHARED = "_shared"


@dataclass(frozen=True)
class _Definition:
    """One top-level statement of the models module and the model names it defines and uses."""

    text: str
    defines: frozenset[str]
    uses: frozenset[str]
    end: int  # its last line in the models module


@dataclass(frozen=True)
class ModelModules:
    """The models modules: their sources, and the names each defines, by module name."""

    sources: dict[str, str]
    names: dict[str, list[str]]


def split_models(source: str, roots: Mapping[str, set[str]], docstrings: Mapping[str, str]) -> ModelModules:
    """Split ``source`` into modules.

    ``roots`` gives, for each group, the models its operations name; ``docstrings``
    the docstring of each module (``_shared`` included). Modules without models are left out.
    """
    tree = ast.parse(source)
    lines = physical_lines(source)  # numbered as ast numbers them
    imports: list[ast.Import | ast.ImportFrom] = []
    definitions: list[_Definition] = []
    body = tree.body[1:] if tree.body and _is_string(tree.body[0]) else tree.body  # without the module docstring
    for node in body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif _is_string(node) and definitions:  # the docstring of the definition above it (a type alias)
            previous = definitions.pop()
            text = previous.text + "".join(lines[previous.end : node.end_lineno]).rstrip("\n") + "\n"
            definitions.append(_Definition(text, previous.defines, previous.uses, node.end_lineno or previous.end))
        else:
            start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            text = "".join(lines[start - 1 : node.end_lineno]).rstrip("\n") + "\n"
            definitions.append(_Definition(text, _defined(node), _names(node), node.end_lineno or start))
    models = {name for definition in definitions for name in definition.defines}
    placement = _place(definitions, models, roots)
    by_module: dict[str, list[_Definition]] = {}
    for definition in definitions:
        by_module.setdefault(_module_of(definition, placement), []).append(definition)
    return ModelModules(
        sources={
            module: _module_source(docstrings[module], imports, by_module[module], placement, module)
            for module in sorted(by_module)
        },
        names={
            module: [name for definition in by_module[module] for name in sorted(definition.defines)]
            for module in sorted(by_module)
        },
    )


def _is_string(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _defined(node: ast.stmt) -> frozenset[str]:
    if isinstance(node, ast.ClassDef):
        return frozenset({node.name})
    if isinstance(node, ast.Assign):
        return frozenset(target.id for target in node.targets if isinstance(target, ast.Name))
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return frozenset({node.target.id})
    return frozenset()


def _names(node: ast.AST) -> frozenset[str]:
    """Every plain name the statement reads (annotations included)."""
    return frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))


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
            uses[name] |= definition.uses & models - {name}
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
    # Models no operation reaches are shared, and so is everything they use.
    spread(SHARED, {name for name, groups in reached_by.items() if not groups})
    return {name: next(iter(groups)) if len(groups) == 1 else SHARED for name, groups in reached_by.items()}


def _module_source(
    docstring: str,
    imports: list[ast.Import | ast.ImportFrom],
    definitions: list[_Definition],
    placement: Mapping[str, str],
    module: str,
) -> str:
    used = frozenset().union(*(definition.uses for definition in definitions))
    defined = frozenset().union(*(definition.defines for definition in definitions))
    elsewhere = sorted(name for name in used - defined if placement.get(name, module) not in (module, SHARED))
    if elsewhere or (module == SHARED and any(placement.get(name, SHARED) != SHARED for name in used)):
        raise RuntimeError(f"models module {module} would import from another group: {', '.join(elsewhere)}")
    header = [f'"""{docstring}"""\n', "\nfrom __future__ import annotations\n\n"]
    for node in imports:
        kept = [alias for alias in node.names if (alias.asname or alias.name).split(".")[0] in used]
        if kept:
            header.append(ast.unparse(_with_names(node, kept)) + "\n")
    shared = sorted(name for name in used - defined if placement.get(name) == SHARED)
    if shared and module != SHARED:
        header.append(f"from .{SHARED} import {', '.join(shared)}\n")
    return "".join(header) + "".join("\n\n" + definition.text for definition in definitions)


def _with_names(node: ast.Import | ast.ImportFrom, names: list[ast.alias]) -> ast.Import | ast.ImportFrom:
    if isinstance(node, ast.Import):
        return ast.Import(names=names)
    return ast.ImportFrom(module=node.module, names=names, level=node.level)
