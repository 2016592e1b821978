"""What changed in a generated package's public API between two trees, and the version bump it implies.

griffe, a maintained library that reads Python APIs statically, loads both
packages and finds what breaks callers (an operation or field removed, a
parameter now required, an enum member gone, ...). Additions are the public
names the new package has and the old one has not. The public surface is what
the package exports in ``__all__``: the clients and their methods with their
parameters, and the classes of ``models`` and ``errors`` with their fields and
members. Both report their place by that public name (``Client.list_pets``,
``models.Pet.name``), never by the private module that defines it.
"""

from __future__ import annotations

import ast
import contextlib
import re
import tempfile
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Bump = Literal["major", "minor", "patch"]


@dataclass(frozen=True, order=True)
class Change:
    """One change of the public API: where (its public name), what happened, and whether callers break."""

    where: str
    what: str
    breaking: bool

    def __str__(self) -> str:
        return f"{'breaking' if self.breaking else 'compatible'}: {self.where}: {self.what}"


def compare_modules(old_modules: Mapping[str, bytes], new_modules: Mapping[str, bytes], package: str) -> list[Change]:
    """The public API changes from the package ``package`` made of ``old_modules`` to the one made of
    ``new_modules`` (the text of each module, by its path relative to the package).

    Only the modules whose view can differ are written out and read (see :func:`affected`), the same ones
    on both sides: griffe takes 15-20 s to read each side of a large package, most of whose modules a
    regeneration after an edit leaves identical."""
    subset = affected(old_modules, new_modules, package)
    if not subset:
        return []
    with tempfile.TemporaryDirectory() as folder:
        for side, modules in (("old", old_modules), ("new", new_modules)):
            for name in subset & modules.keys():
                path = Path(folder, side, package, name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(modules[name])
        return compare_trees(Path(folder, "old"), Path(folder, "new"), package)


def compare_trees(old_root: Path, new_root: Path, package: str) -> list[Change]:
    """The public API changes between the two packages as griffe reads them, whole."""
    import griffe

    old = griffe.load(package, search_paths=[str(old_root)], allow_inspection=False, resolve_aliases=True)
    new = griffe.load(package, search_paths=[str(new_root)], allow_inspection=False, resolve_aliases=True)
    old_surface, new_surface = _surface(old), _surface(new)
    public_name = _by_place(old_surface) | _by_place(new_surface)
    changes: set[Change] = set()
    # A model now in another module (the cuts into parts moved), or whose name is now bound to another model
    # written alike (see _target), is missed where it was: compared where it is instead, under its public name
    # alone (a place may have several: each name bound to it).
    moved = {
        name: (old_surface[name][0], new_surface[name][0])
        for name in sorted(old_surface.keys() & new_surface.keys())
        if "(" not in name and old_surface[name][0].is_class and old_surface[name][0].path != new_surface[name][0].path
    }
    for compared, (old_item, new_item) in [(None, (old, new)), *moved.items()]:
        for breakage in griffe.find_breaking_changes(old_item, new_item):
            # Private when it has no public name; each name is reported by the comparison of its own model.
            names = [name for name in public_name.get(breakage.obj.path, ()) if _compared_in(name, moved) == compared]
            if not names:
                continue
            if breakage.kind is griffe.BreakageKind.OBJECT_REMOVED and set(names) <= new_surface.keys():
                continue  # moved, and still public by each of its names
            detail = getattr(breakage.new_value, "name", None) if breakage.kind.value.startswith("Parameter") else None
            what = breakage.kind.value + (f" ({detail})" if detail else "")
            changes.update(Change(name, what[0].lower() + what[1:], True) for name in names)
    for name in sorted(set(new_surface) - set(old_surface)):
        owner, _, parameter = name.partition("(")
        if not parameter:
            changes.add(Change(name, "added", False))
        elif owner in old_surface and new_surface[name][0].default is not None:
            changes.add(Change(name, "added with a default", False))  # griffe reports required ones as breaking
    return sorted(changes)


def affected(old: Mapping[str, bytes], new: Mapping[str, bytes], package: str) -> set[str]:
    """The modules (paths relative to the package) whose API as griffe reads it can differ between ``old``
    and ``new``, with the ``__init__`` modules that hold them; none when no module differs.

    A module's view is its text and what it imports (bases, aliases, ``*`` resolve through imports only), so
    it can differ only where its text does or where it imports, at any depth, a module that differs. An
    object left out is left out on both sides: an alias to it resolves on neither, and gives no change.
    """
    differing = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
    importers: dict[str, set[str]] = {}
    names = old.keys() | new.keys()
    for modules, read in ((old, old.keys()), (new, differing & new.keys())):  # an identical module: read once
        for name in read:
            for imported in _imports(name, modules[name], package, names):
                importers.setdefault(imported, set()).add(name)
    subset, pending = set(differing), list(differing)
    while pending:
        for importer in importers.get(pending.pop(), ()):
            if importer not in subset:
                subset.add(importer)
                pending.append(importer)
    # griffe finds a module through the packages that hold it.
    return subset | {_init(parts[:depth]) for parts in map(_parts, subset) for depth in range(len(parts))}


def bump_for(changes: list[Change]) -> Bump | None:
    """``major`` for a breaking change, ``minor`` for an addition, ``patch`` for anything else, ``None`` for none."""
    if any(change.breaking for change in changes):
        return "major"
    if changes:
        return "minor"
    return None


def bumped(version: str, bump: Bump) -> str:
    """``version`` raised by ``bump``; below 1.0 a breaking change raises the minor number (SemVer's rule for 0.x)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    major, minor, patch = [*numbers, 0, 0, 0][:3]
    if bump == "major" and major > 0:
        return f"{major + 1}.0.0"
    if bump in ("major", "minor"):
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def changelog_entry(version: str, changes: list[Change]) -> str:
    """A ``CHANGELOG.md`` section for ``version``."""
    lines = [f"## {version}", ""]
    for title, breaking in (("Breaking changes", True), ("Compatible changes", False)):
        listed = [change for change in changes if change.breaking is breaking]
        if listed:
            lines += [f"### {title}", "", *(f"- `{change.where}`: {change.what}" for change in listed), ""]
    return "\n".join(lines) + "\n"


def _parts(name: str) -> tuple[str, ...]:
    """The dotted parts of the module at ``name`` (``models/__init__.py`` is ``("models",)``)."""
    parts = tuple(name.removesuffix(".py").split("/"))
    return parts[:-1] if parts[-1] == "__init__" else parts


def _init(parts: tuple[str, ...]) -> str:
    return "/".join([*parts, "__init__.py"])


def _imports(name: str, text: bytes, package: str, modules: Set[str]) -> Iterator[str]:
    """The modules of ``modules`` (paths) that the module ``name`` imports, anywhere in it."""
    own = _parts(name)
    base = own if name.endswith("__init__.py") else own[:-1]
    for node in _import_statements(text):
        if isinstance(node, ast.Import):
            found = [tuple(alias.name.split(".")) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            start = (package, *base)[: len(base) + 2 - node.level] if node.level else ()
            module = start + tuple(node.module.split(".") if node.module else ())
            # A submodule imported from its package (``from .. import models``) is read from that module alone.
            submodules = [(*module, alias.name) for alias in node.names]
            found = submodules if all(_file(dotted, package, modules) for dotted in submodules) else [module]
        else:
            continue
        yield from filter(None, (_file(dotted, package, modules) for dotted in found))


#: An import statement from the start of a line: its parenthesised names, or the rest of the line.
_IMPORT = re.compile(rb"[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*)|import[ \t][^\n]*)")
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _import_words(text: bytes) -> Iterator[tuple[int, int]]:
    """Where the word ``import`` is in ``text`` (``bytes.find``: a regular expression's scan of a large
    models module took most of the time this part of the diff takes)."""
    start = text.find(b"import")
    while start != -1:
        end = start + len(b"import")
        if not (start and text[start - 1] in _WORD) and not (end < len(text) and text[end] in _WORD):
            yield start, end
        start = text.find(b"import", end)


def _import_statements(text: bytes) -> list[ast.stmt]:
    """The import statements of a module, parsed: those :data:`_IMPORT` finds at the start of the lines
    holding the word ``import`` when they hold each such word (what looks like one in a string adds a
    module to read, never loses one), else those of the whole module (parsing only them is most of the
    time the diff takes on a large package; reading only those lines, most of the rest)."""
    statements: list[bytes] = []
    end = 0  # where the last statement found ends
    for start, word_end in _import_words(text):
        if start < end:
            continue  # in a statement found: a parenthesised one's names
        match = _IMPORT.match(text, text.rfind(b"\n", 0, start) + 1)
        if match is None or match.end() < word_end:
            break
        statements.append(match.group().strip())
        end = match.end()
    else:
        with contextlib.suppress(SyntaxError):
            return ast.parse(b"\n".join(statements)).body
    try:
        tree = ast.parse(text)
    except SyntaxError:  # griffe cannot read it either, on a side where it differs or on both alike
        return []
    return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def _file(dotted: tuple[str, ...], package: str, modules: Set[str]) -> str | None:
    """The path in ``modules`` of the module named ``dotted``, if it is one of them."""
    if dotted[:1] != (package,):
        return None
    return next((name for name in ("/".join(dotted[1:]) + ".py", _init(dotted[1:])) if name in modules), None)


def _surface(package: Any) -> dict[str, tuple[Any, set[str]]]:
    """Every public name of ``package`` (``Client.list_pets``, ``Client.list_pets(limit)``, ``models.Pet.id``),
    with the object and the paths griffe may report it by (where it is defined, and where it is seen)."""
    return {name: (item, places) for name, item, places in _walk(package, "")}


def _walk(module: Any, prefix: str) -> Iterator[tuple[str, Any, set[str]]]:
    for name in _exported(module):
        target = _target(module.members.get(name))
        if target is None:
            continue
        path = f"{prefix}{name}"
        yield path, target, {target.path, f"{module.path}.{name}"}  # griffe reports a removed export by the latter
        if target.is_module:
            yield from _walk(target, f"{path}.")
        elif target.is_class:
            yield from _class_members(target, path)


def _class_members(cls: Any, path: str) -> Iterator[tuple[str, Any, set[str]]]:
    for name, member in sorted(cls.all_members.items()):
        if name.startswith("_") or name == "model_config":
            continue
        target = _target(member)
        if target is None:
            continue
        yield f"{path}.{name}", target, {target.path, f"{cls.path}.{name}"}
        if target.is_function:
            for parameter in target.parameters:
                if parameter.name not in ("self", "cls"):
                    yield f"{path}.{name}({parameter.name})", parameter, set()


def _exported(module: Any) -> list[str]:
    """The module's ``__all__`` when it has a literal one, else its names without a leading underscore but
    its submodules (``models`` computes its ``__all__``: its models are public, the modules that hold them
    are not)."""
    exported = module.members.get("__all__")
    value = getattr(exported, "value", None)
    elements = getattr(value, "elements", None)
    if elements is not None:
        return sorted(str(element).strip("'\"") for element in elements)
    return sorted(
        name
        for name, member in module.members.items()
        if not name.startswith("_") and (member.is_alias or not member.is_module)  # an alias may lead outside
    )


def _target(member: Any) -> Any:
    """What an alias points to, or ``None`` where it leaves the package (``typing.Any``); the class a name is
    bound to (``Name = Model``: a schema written like another, see :mod:`generator.emit.identical`)."""
    if member is None:
        return None
    try:
        target = member.final_target if member.is_alias else member
    except Exception:  # griffe raises its own alias errors for names from outside the package
        return None
    try:
        bound = getattr(target.value, "resolved", None) if target.is_attribute else None
    except Exception:  # a name it cannot resolve: the attribute is what callers see
        bound = None
    return bound if bound is not None and bound.is_class else target


def _compared_in(name: str, moved: Mapping[str, Any]) -> str | None:
    """The moved model whose own comparison reports ``name`` (``models.Pet.id`` is ``models.Pet``'s); ``None``
    for the comparison of the whole packages."""
    parts = name.split(".")
    return next((owner for end in range(1, len(parts) + 1) if (owner := ".".join(parts[:end])) in moved), None)


def _by_place(surface: dict[str, tuple[Any, set[str]]]) -> dict[str, list[str]]:
    """The public names of each object, by every path griffe may report it by."""
    names: dict[str, list[str]] = {}
    for name, (_, places) in surface.items():
        for place in places:
            names.setdefault(place, []).append(name)
    return names
