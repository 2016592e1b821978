"""Break schemas that are defined by themselves, before anything tries to follow them.

A schema may refer to itself through an object's property or an array's items (a tree);
but ``E: anyOf [$ref E, string]``, ``A: allOf [$ref A]`` or ``A: oneOf [$ref B]; B: oneOf
[$ref A]`` define a schema as (a combination of) itself, with no value in between. The
validators recurse on them without end and pydantic builds models that crash the
interpreter. Such a reference is an alternative that can never be chosen: it is dropped
with a warning, and a schema left with no alternative at all is refused.

Which member of a cycle goes: where a subtype is ``allOf`` its parent and the parent ``oneOf`` (or
``anyOf``) its subtypes (the polymorphism Spring and others write: Brex's originating account and
its one kind), the subtype's reference to the parent becomes a copy of the parent without its
alternatives: the subtype keeps what the parent declares, and the parent keeps its subtypes. Else the
last member met that leaves its combination some alternative, else the last.
"""

from __future__ import annotations

import copy
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
        if (inherited := _subtype_of_union(document, cycle)) is not None:
            subtype, parent = inherited
            _node(document, subtype[:-1])[int(subtype[-1])] = {
                key: copy.deepcopy(value) for key, value in _node(document, parent).items() if key not in _UNIONS
            }
            diagnostics.warn(
                pointer(*subtype),
                f"this member refers back to the schema it defines through the alternatives of {pointer(*parent)};"
                " what that schema declares but its alternatives is used here instead",
            )
            continue
        members = [member for edge in cycle if (member := _member(edge)) is not None]
        if not members:
            raise SpecError(source, pointer(*cycle[-1]), "this reference makes the schema an alias of itself")
        kept = [m for m in members if m[-2] == "allOf" or len(_node(document, m[:-1])) > 1]
        member = (kept or members)[-1]
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


# The keywords of a parent that lists its subtypes: dropped from the copy a subtype inherits.
_UNIONS = ("oneOf", "anyOf", "discriminator")


def _subtype_of_union(document: dict[str, Any], cycle: list[Where]) -> tuple[Where, Where] | None:
    """``(member, parent)`` for an ``allOf`` member of ``cycle`` that is a reference to a schema
    (``parent``, written out: not a reference itself) the cycle leaves through one of its ``oneOf`` or
    ``anyOf`` alternatives."""
    for index, edge in enumerate(cycle):
        member = _member(edge)
        if member is None or member[-2] != "allOf" or edge[-1] != "$ref":
            continue
        onward = _member(cycle[(index + 1) % len(cycle)])
        if onward is None or onward[-2] not in ("oneOf", "anyOf"):
            continue
        if isinstance(node := _node(document, onward[:-2]), dict) and "$ref" not in node:
            return member, onward[:-2]
    return None
