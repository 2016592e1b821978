"""Parameters as OpenAPI's styles write them: query pairs, path segments and header values.

A scalar is its text (``true``/``false`` for a boolean, an enum's value). An array or an object (a
mapping, or a model: the fields its caller set, by wire name) is written by its parameter's ``style``
and ``explode``, as the specification's table shows for ``color``::

    style, explode      array ["blue", "black"]        object {"R": 100, "G": 200}
    form, true          color=blue&color=black         R=100&G=200
    form, false         color=blue,black               color=R,100,G,200
    spaceDelimited      color=blue%20black             color=R%20100%20G%20200
    pipeDelimited       color=blue|black               color=R|100|G|200
    deepObject          color[]=blue&color[]=black     color[R]=100&color[G]=200
    simple, false/true  blue,black                     R,100,G,200 / R=100,G=200
    label, false/true   .blue,black / .blue.black      .R,100,G,200 / .R=100.G=200
    matrix, false       ;color=blue,black              ;color=R,100,G,200
    matrix, true        ;color=blue;color=black        ;R=100;G=200

The specification leaves out a deepObject's arrays and the objects inside one; they are written as
Stripe, Rack and qs read them: ``expand[]=customer``, ``card[address][city]=Paris``,
``items[0][price]=p``. In other styles an object or array inside one is its JSON (sinao's form
array of objects ``documents={"id":1}``), never Python's text of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import pydantic
import pydantic_core

from ._open_enum import OpenEnum

#: The style and explode of a query parameter given none, and of a path parameter or a header.
QUERY_DEFAULT = ("form", True)
SIMPLE_DEFAULT = ("simple", False)
_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def scalar_text(value: Any) -> str:
    """A scalar parameter's (or form field's) text; a date or time in ISO 8601 (``str()`` of a datetime
    puts a space for its ``T``); an object or array that no style writes (one inside an array or an
    object not written as deepObject) is its JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, OpenEnum):
        return str(value.value)
    value = _plain(value)
    if isinstance(value, (Mapping, list, tuple)):
        return pydantic_core.to_json(value).decode()
    return str(value)


def _plain(value: Any) -> Any:
    """A model as the fields its caller set, by wire name (the JSON it is sent as); the rest as given."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def _parts(value: Any, explode: bool, text: Callable[[str], str] = str) -> list[str]:
    """The texts a value's items are joined from: an array's items; an object's keys and values one
    after the other, or with ``explode`` each ``key=value``; each made by ``text`` (a quoting)."""
    if isinstance(value, Mapping):
        entries = [
            (text(str(key)), text(scalar_text(item)))
            for key, item in value.items()
            if item is not None
        ]
        return (
            [f"{key}={item}" for key, item in entries]
            if explode
            else [part for pair in entries for part in pair]
        )
    if isinstance(value, (list, tuple)):
        return [text(scalar_text(item)) for item in value]
    return [text(scalar_text(value))]


def query_pairs(
    name: str, value: Any, style: tuple[str, bool] = QUERY_DEFAULT
) -> list[tuple[str, str]]:
    """The query pairs of the parameter ``name`` given ``value`` (none for ``None``)."""
    if value is None:
        return []
    kind, explode = style
    value = _plain(value)
    if kind == "deepObject" and isinstance(value, (Mapping, list, tuple)):
        return _bracketed(name, value)
    if not isinstance(value, (Mapping, list, tuple)):
        return [(name, scalar_text(value))]
    if not explode:
        return [(name, _DELIMITERS.get(kind, ",").join(_parts(value, False)))]
    if isinstance(value, Mapping):
        return [(str(key), scalar_text(item)) for key, item in value.items() if item is not None]
    return [(name, scalar_text(item)) for item in value]


def _bracketed(name: str, value: Any) -> list[tuple[str, str]]:
    """deepObject's pairs: ``name[key]=value``, and in brackets too what an object or array holds."""
    value = _plain(value)
    if isinstance(value, Mapping):
        return [
            pair
            for key, item in value.items()
            if item is not None
            for pair in _bracketed(f"{name}[{key}]", item)
        ]
    if isinstance(value, (list, tuple)):
        if any(isinstance(_plain(item), (Mapping, list, tuple)) for item in value):
            return [
                pair
                for index, item in enumerate(value)
                for pair in _bracketed(f"{name}[{index}]", item)
            ]
        return [(f"{name}[]", scalar_text(item)) for item in value]
    return [(name, scalar_text(value))]


def simple_text(value: Any, explode: bool = False) -> str:
    """A header's value, or a value put into a path's query: simple style."""
    return ",".join(_parts(_plain(value), explode))


def path_text(name: str, value: Any, style: tuple[str, bool] = SIMPLE_DEFAULT) -> str:
    """The path parameter ``name`` given ``value``: every character of its texts quoted (so "a/b"
    stays inside its segment), the style's delimiters not."""
    kind, explode = style
    value = _plain(value)
    parts = _parts(value, explode, lambda text: quote(text, safe=""))
    if kind == "label":
        return "." + ("." if explode else ",").join(parts)
    if kind == "matrix":
        named = f";{quote(name, safe='')}="
        if explode and isinstance(value, (list, tuple)):
            return "".join(named + part for part in parts)
        if explode and isinstance(value, Mapping):
            return "".join(";" + part for part in parts)
        return named + ",".join(parts)
    return ",".join(parts)
