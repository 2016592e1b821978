"""Which module each operation lives in (``_endpoints/<group>.py``, ``models/<group>.py``).

An operation's group is its first tag or, without tags, the first segment of its path
that names something (``/v1/customers/{id}`` -> ``customers``). A group whose module
would pass about :data:`MODULE_LINES` lines, as the renderer measures it, is split by the
next such segment of its paths (``customers_sources``), again if need be. A name is made
from the operation's own tag and path only, so adding an operation never renames another group;
a name too long for a file is shortened as fixtures folders are (:func:`file_stem`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from generator.model.ir import Operation
from generator.model.naming import snake_case
from generator.runtime._stems import file_stem

#: About the most lines one generated module should hold: beyond it editors, linters and
#: type checkers slow down, and importing one operation would load many others.
MODULE_LINES = 5000
#: The lines of the endpoints module of some operations, named by its first argument, as written; past
#: the bound (the last argument), a lower bound of them may do.
Measure = Callable[[str, Sequence[Operation], int], int]
# Segments that name no resource: ``/api/v1/...`` and ``/v2beta/...`` prefixes.
_PREFIX = re.compile(r"api|v\d+(?:[._-]?\d+)*(?:alpha|beta)?\d*", re.IGNORECASE)


def first_group(tags: tuple[str, ...], path: str) -> str:
    """The group before any split: the first tag, else the path's first naming segment, else ``default``."""
    if tags:
        # Tags that differ only in case or punctuation share a module.
        return snake_case(tags[0], fallback="default")
    segments = _segments(path)
    return segments[0] if segments else "default"


def split_large_groups(operations: tuple[Operation, ...], measure: Measure, module_lines: int) -> tuple[Operation, ...]:
    """``operations`` with the groups whose endpoints module would pass ``module_lines`` (by ``measure``) split."""
    groups: dict[str, list[Operation]] = {}
    for operation in operations:
        groups.setdefault(operation.group, []).append(operation)
    chosen: dict[int, str] = {}
    for name, members in groups.items():
        for operation, group in _split(name, members, {name}, measure, module_lines):
            chosen[id(operation)] = file_stem(group)
    return tuple(replace(op, group=chosen[id(op)]) if chosen[id(op)] != op.group else op for op in operations)


def _split(
    name: str, members: list[Operation], consumed: set[str], measure: Measure, limit: int
) -> list[tuple[Operation, str]]:
    """Each member with its group: ``name``, or ``name_<segment>`` by the first path segment not yet used."""
    if measure(name, members, limit) <= limit:
        return [(op, name) for op in members]
    subgroups: dict[str, list[Operation]] = {}
    for operation in members:
        rest = [segment for segment in _segments(operation.path) if segment not in consumed]
        subgroups.setdefault(rest[0] if rest else "", []).append(operation)
    if list(subgroups) == [""]:
        return [(op, name) for op in members]  # nothing left to split by: one large module
    result = []
    for segment, subgroup in subgroups.items():
        if segment:
            result += _split(f"{name}_{segment}", subgroup, consumed | {segment}, measure, limit)
        else:
            result += [(op, name) for op in subgroup]
    return result


def _segments(path: str) -> list[str]:
    """The path's segments that name something, as Python names: no parameters, no version prefixes."""
    words = [segment for segment in path.split("?")[0].split("/") if segment and "{" not in segment]
    return [snake_case(word, fallback="path") for word in words if not _PREFIX.fullmatch(word)]
