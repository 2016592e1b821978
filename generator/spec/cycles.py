"""Break schemas that are defined by themselves, before anything tries to follow them.

A schema may refer to itself through an object's property or an array's items (a tree);
but ``E: anyOf [$ref E, string]``, ``A: allOf [$ref A]`` or ``A: oneOf [$ref B]; B: oneOf
[$ref A]`` define a schema as (a combination of) itself, with no value in between. The
validators recurse on them without end and pydantic builds models that crash the
interpreter. Such a reference is an alternative that can never be chosen: it is dropped
with a warning, and a schema left with no alternative at all is refused.
"""

from __future__ import annotations

from typing import Any

from generator.errors import Diagnostics, SpecError
from generator.spec.pointers import pointer, resolve, unescape_token

_COMBINATORS = ("allOf", "anyOf", "oneOf")
Where = tuple[str | int, ...]


def _target(ref: str) -> Where | None:
    """The location a local ``$ref`` names; ``None`` for another document's (validation refuses those)."""
    if not ref.startswith("#"):
        return None
    fragment = ref[1:].lstrip("/")
    return tuple(unescape_token(raw) for raw in fragment.split("/")) if fragment else ()


def _node(document: dict[str, Any], where: Where) -> Any:
    try:
        return resolve(document, pointer(*where))
    except KeyError:
        return None


def _aliases(node: Any, where: Where) -> list[tuple[Where, Where]]:
    """``(edge, target)`` for each schema ``node`` is made of with nothing in between: its ``$ref``
    target (the edge is the ``$ref`` keyword) and its combined members (the edge is the member)."""
    if not isinstance(node, dict):
        return []
    steps: list[tuple[Where, Where]] = []
    ref = node.get("$ref")
    if isinstance(ref, str) and (target := _target(ref)) is not None:
        steps.append(((*where, "$ref"), target))
    for keyword in _COMBINATORS:
        members = node.get(keyword)
        if isinstance(members, list):
            steps.extend(((*where, keyword, index), (*where, keyword, index)) for index in range(len(members)))
    return steps


def _first_cycle(document: dict[str, Any], starts: list[Where]) -> list[Where] | None:
    """The edges of the first cycle of aliases met, in document order; ``None`` when there is none."""
    done: set[Where] = set()
    for start in starts:
        if start in done:
            continue
        # (schema, its edges not yet followed, the edge that led to it)
        path: list[tuple[Where, Any, Where]] = [(start, iter(_aliases(_node(document, start), start)), ())]
        while path:
            where, pending, _ = path[-1]
            step = next(pending, None)
            if step is None:
                done.add(where)
                path.pop()
                continue
            edge, target = step
            on_path = [index for index, entry in enumerate(path) if entry[0] == target]
            if on_path:
                return [entry[2] for entry in path[on_path[0] + 1 :]] + [edge]
            if target not in done and (node := _node(document, target)) is not None:
                path.append((target, iter(_aliases(node, target)), edge))
    return None


def _member(edge: Where) -> Where | None:
    """The combined member an edge belongs to (``.../anyOf/0`` for ``.../anyOf/0/$ref``), if any."""
    member = edge[:-1] if edge and edge[-1] == "$ref" else edge
    return member if len(member) >= 2 and member[-2] in _COMBINATORS else None


def break_self_definitions(document: dict[str, Any], source: str, diagnostics: Diagnostics) -> None:
    """Drop, in place, each combined member that defines a schema by itself, with a warning; raise
    :class:`SpecError` for a schema that is its own alias or would be left with no alternative."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return  # not maps: the document check, next, says so
    starts: list[Where] = [("components", "schemas", name) for name in schemas]
    while (cycle := _first_cycle(document, starts)) is not None:
        members = [member for edge in cycle if (member := _member(edge)) is not None]
        if not members:
            raise SpecError(source, pointer(*cycle[-1]), "this reference makes the schema an alias of itself")
        member = members[-1]
        combination = member[:-1]
        alternatives = _node(document, combination)
        del alternatives[int(member[-1])]
        diagnostics.warn(
            pointer(*member),
            "this member refers back to the schema it defines, with no object or array in between; dropped",
        )
        if not alternatives:
            if combination[-1] != "allOf":
                raise SpecError(
                    source,
                    pointer(*combination),
                    "every alternative leads back to this schema with no object or array in between; none is left",
                )
            del _node(document, combination[:-1])[combination[-1]]
