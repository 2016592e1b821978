"""Where a value sits in an OpenAPI document: the objects that describe the API, and the data among them.

An example, a schema's default, its enum and const values, an Example Object's value are data: a ``$ref``
in them is a value like any other (an API that stores JSON Schemas shows one in each example), never a
reference to follow, bundle or rename. Every walk that looks for references reads the document through
:func:`child_place`, so that none reads data as a description.

Places: ``document`` (an object of the description other than a schema), ``named`` (a map of them by a
name the document chooses: paths, responses, webhooks...; a name is never read as a keyword), ``schema``
(a Schema Object), ``schemas`` (a map of them: ``components/schemas``, ``properties``...), ``entries`` (a
map of Example or Link Objects) and ``entry`` (one of those, or a reference to one: nothing in it but
its ``$ref`` is more than data).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from generator.spec.schemakeys import DATA_KEYWORDS, SUBSCHEMA_KEYWORDS

Place = Literal["document", "named", "schema", "schemas", "entries", "entry"]

# Fixed fields (of the document, its components and the objects below) whose value maps names the document
# chooses to objects of the description.
_NAMED = frozenset(
    {
        "paths",
        "webhooks",
        "x-webhooks",  # 3.0's webhooks, read as 3.1's
        "callbacks",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "content",
        "encoding",
        "securitySchemes",
        "pathItems",
        "mediaTypes",
        "variables",
    }
)
_ENTRIES = frozenset({"examples", "links"})
# Fields of a non-schema object that hold a Schema Object: a parameter's, a header's, a media type's (3.2:
# each item of a sequential media type's too).
_SCHEMA_FIELDS = frozenset({"schema", "itemSchema"})


def child_place(place: Place, key: Any) -> Place | None:
    """Where the value under ``key`` of an object at ``place`` sits; ``None`` for data. A list's items
    sit at :func:`item_place`."""
    if place in ("named", "schemas"):
        return "schema" if place == "schemas" else "document"
    if place == "entries":
        return "entry"
    if place == "entry":
        return None
    if place == "schema":
        holds = SUBSCHEMA_KEYWORDS.get(key)
        return None if holds is None else "schemas" if holds == "map" else "schema"
    if key == "example":
        return None
    if key == "schemas":
        return "schemas"
    return (
        "entries"
        if key in _ENTRIES
        else "schema" if key in _SCHEMA_FIELDS else "named" if key in _NAMED else "document"
    )


def item_place(place: Place) -> Place:
    """Where the items of a list at ``place`` sit: there too (``allOf``'s schemas), but for an operation's
    ``parameters``, a list where a component's are a map by name."""
    return "document" if place == "named" else place


def place_of(keys: tuple[str | int, ...]) -> Place | None:
    """Where the value at ``keys`` (from the document down; an ``int`` indexes a list) sits; ``None`` in data."""
    place: Place | None = "document"
    for key in keys:
        if place is None:
            break
        place = item_place(place) if isinstance(key, int) else child_place(place, key)
    return place


def references(node: Any, place: Place = "document") -> Iterator[tuple[dict[str, Any], Place]]:
    """Every object at or below ``node`` (at ``place``) that holds a reference (a string ``$ref``) and is not
    data, with its place (``schema`` for a reference to a schema), depth first."""
    stack: list[tuple[Any, Place]] = [(node, place)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, list):
            stack.extend((item, item_place(where)) for item in current)
        elif isinstance(current, dict):
            if isinstance(current.get("$ref"), str):
                yield current, where
            for key, value in current.items():
                if isinstance(value, dict | list) and (inner := child_place(where, key)) is not None:
                    stack.append((value, inner))


def anchors(node: Any, document: bool = True) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """The ``$anchor`` of every Schema Object at or below ``node``, each with the keys that lead to its schema
    (JSON Schema 2020-12: ``$ref: "#thing"`` names the schema whose ``$anchor`` is ``thing``). ``node`` is an
    OpenAPI document, or (not ``document``) a file of schemas, any object of which may be one but data."""
    stack: list[tuple[Any, Place | None, tuple[str | int, ...]]] = [(node, "document" if document else None, ())]
    while stack:
        current, where, keys = stack.pop()
        if isinstance(current, list):
            stack.extend(
                (item, None if where is None else item_place(where), (*keys, index))
                for index, item in enumerate(current)
            )
        elif isinstance(current, dict):
            if where in ("schema", None) and isinstance(current.get("$anchor"), str):
                yield current["$anchor"], keys
            for key, value in current.items():
                if not isinstance(value, dict | list):
                    continue
                if where is None:
                    if key not in DATA_KEYWORDS:
                        stack.append((value, None, (*keys, key)))
                elif (inner := child_place(where, key)) is not None:
                    stack.append((value, inner, (*keys, key)))
