"""Schemas a document writes alike, given to the model generator once: every other name is bound to that model.

Published documents repeat themselves, more so once normalizing has given each inline enum and object a
component of its own: 4,630 of GitHub's 7,302 schemas are written like another (923 are
``{"enum": ["read", "write"], "type": "string"}``), 4,622 of Stripe's 7,046. The model generator's time and
memory follow the schemas it reads, so it reads one of each (the first, in the document's order), and the
models module binds each other name to that model (``AppPermissionsAdministration = AppPermissionsActions``).

Exact by construction: two schemas with the same JSON text, references included, make the same class
body, so the bound name behaves as its own class would (only its ``__name__`` tells). A reference to a
name bound this way is pointed at the model, which can make more schemas alike: merged again until none is.

Merged never: the names in ``keep``; the members of a discriminated union and the targets of its mapping
(a member's tag may be its own name).
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Iterable
from typing import Any

from generator.model.normalize import SCHEMAS, referenced_schema, renamed_ref, walk_schemas
from generator.spec.places import Place, child_place, item_place, references
from generator.spec.pointers import unescape_token

# A class or a name defined by the model generator's module, at the start of a line.
_DEFINITION = re.compile(r"^(?:class (\w+)\b|(\w+) = )", re.MULTILINE)


def merge_identical(document: dict[str, Any], keep: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """``document`` with one schema of each text, and the model each other schema's name is bound to.

    ``document`` is left as it is: what changes is copied.
    """
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if (
        not isinstance(components, dict)
        or not isinstance(schemas, dict)
        or not all(isinstance(name, str) for name in schemas)
    ):
        return document, {}
    kept = set(keep) | _discriminated(schemas)
    merged = dict(schemas)
    texts = {name: _text(schema) for name, schema in merged.items() if name not in kept}
    uses = {name: _names(schema) for name, schema in merged.items()}
    bound: dict[str, str] = {}
    while found := _twins(texts):
        bound = {name: found.get(model, model) for name, model in bound.items()} | found
        for name in found:
            del merged[name], texts[name], uses[name]
        for name, schema in merged.items():
            if not uses[name].isdisjoint(found):
                merged[name] = _repointed(schema, found, "schema")
                uses[name] = _names(merged[name])
                if name in texts:
                    texts[name] = _text(merged[name])
    if not bound:
        return document, {}
    # What else refers to a schema (a response, a path item when the document is given whole) is repointed too.
    sections = {key: merged if key == "schemas" else _repointed_in(components, key, bound) for key in components}
    return {key: sections if key == "components" else _repointed_in(document, key, bound) for key in document}, bound


def bindings(bound: dict[str, str], order: Iterable[str]) -> str:
    """The statements binding each name of ``bound`` to its model, in ``order`` (the document's).

    The names are the document's class names, each checked to be an identifier: nothing else is written.
    """
    lines = []
    for name in order:
        if name in bound:
            lines.append(f"{_identifier(name)} = {_identifier(bound[name])}\n")
    return "".join(lines)


def all_defined(source: str, bound: dict[str, str]) -> bool:
    """Whether ``source`` (the model generator's module) defines each model of ``bound`` by the name it was
    given: the generator renames a class whose name it imports, say, and a name bound to the old one would
    lead nowhere. Read from the starts of lines, where a string could fake a definition: the models' split
    then refuses the module (a name nothing defines), it never writes it."""
    defined = {name for match in _DEFINITION.finditer(source) for name in match.groups() if name}
    return set(bound.values()) <= defined


def _identifier(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"not a class name: {name!r}")
    return name


def _twins(texts: dict[str, str]) -> dict[str, str]:
    """Each name whose text an earlier name has, with that earlier name."""
    first: dict[str, str] = {}
    return {name: model for name, text in texts.items() if (model := first.setdefault(text, name)) != name}


def _text(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


def _names(schema: Any) -> set[str]:
    """The component schemas the references of ``schema`` lead to or into (a ``$ref`` in its data is none)."""
    return {name for found, _ in references(schema, "schema") if (name := referenced_schema(found["$ref"])) is not None}


def _repointed_in(parent: dict[str, Any], key: str, bound: dict[str, str]) -> Any:
    """The value under ``key`` of ``parent`` (an object of the description outside the schemas) repointed."""
    place = child_place("document", key)
    return parent[key] if place is None else _repointed(parent[key], bound, place)


def _repointed(node: Any, bound: dict[str, str], place: Place) -> Any:
    """``node`` (at ``place``) with each reference to or into a schema of ``bound`` led to its model instead
    (the two are written alike, so a pointer into one leads to the same in the other), copied only where that
    changed; its data as written."""
    if isinstance(node, dict):
        changed = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                new = renamed_ref(value, bound)
            elif (inner := child_place(place, key)) is not None:
                new = _repointed(value, bound, inner)
            else:
                continue
            if new is not value:
                changed[key] = new
        return {**node, **changed} if changed else node
    if isinstance(node, list):
        items = [_repointed(item, bound, item_place(place)) for item in node]
        return items if any(new is not old for new, old in zip(items, node, strict=True)) else node
    return node


def _discriminated(schemas: dict[str, Any]) -> set[str]:
    """The names of the members and mapping targets of every discriminator in ``schemas``."""
    names: set[str] = set()
    for found in walk_schemas(schemas):
        discriminator = found.get("discriminator")
        if not isinstance(discriminator, dict):
            continue
        mapping = discriminator.get("mapping")
        values = list(mapping.values()) if isinstance(mapping, dict) else []
        for key in ("oneOf", "anyOf"):
            members = found.get(key)
            values += [member.get("$ref") for member in members or () if isinstance(member, dict)]
        names.update(unescape_token(value.removeprefix(SCHEMAS)) for value in values if isinstance(value, str))
    return names
