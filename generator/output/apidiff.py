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

import re
from collections.abc import Iterator
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


def compare(old_root: Path, new_root: Path, package: str) -> list[Change]:
    """The public API changes from the package ``package`` under ``old_root`` to the one under ``new_root``."""
    import griffe

    old = griffe.load(package, search_paths=[str(old_root)], allow_inspection=False, resolve_aliases=True)
    new = griffe.load(package, search_paths=[str(new_root)], allow_inspection=False, resolve_aliases=True)
    old_surface, new_surface = _surface(old), _surface(new)
    public_name = _by_place(old_surface) | _by_place(new_surface)
    changes: set[Change] = set()
    # A model now in another module (the cuts into parts moved) is missed where it was, under the same public
    # name: compared where it is instead.
    moved = [
        (old_surface[name][0], new_surface[name][0])
        for name in sorted(old_surface.keys() & new_surface.keys())
        if "(" not in name and old_surface[name][0].is_class and old_surface[name][0].path != new_surface[name][0].path
    ]
    for old_item, new_item in [(old, new), *moved]:
        for breakage in griffe.find_breaking_changes(old_item, new_item):
            names = public_name.get(breakage.obj.path)
            if names is None:
                continue  # private: callers cannot see it
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
        yield path, target, {target.path}
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
    """What an alias points to, or ``None`` where it leaves the package (``typing.Any``)."""
    if member is None:
        return None
    try:
        return member.final_target if member.is_alias else member
    except Exception:  # griffe raises its own alias errors for names from outside the package
        return None


def _by_place(surface: dict[str, tuple[Any, set[str]]]) -> dict[str, list[str]]:
    """The public names of each object, by every path griffe may report it by."""
    names: dict[str, list[str]] = {}
    for name, (_, places) in surface.items():
        for place in places:
            names.setdefault(place, []).append(name)
    return names
