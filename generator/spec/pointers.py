"""JSON pointers (RFC 6901): building, splitting and following them, for every step that reads a document."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from generator.spec.schemakeys import as_all_of


def escape_token(token: str | int) -> str:
    """Escape one reference token for a JSON pointer."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """The raw key one escaped reference token names (``~1pets`` -> ``/pets``)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer such as ``/paths/~1pets/get`` from raw tokens."""
    return "".join("/" + escape_token(token) for token in tokens)


def tokens(json_pointer: str) -> tuple[str, ...]:
    """The raw tokens of a JSON pointer (``/paths/~1pets`` -> ``("paths", "/pets")``); ``""`` has none."""
    return tuple(unescape_token(raw) for raw in json_pointer[1:].split("/")) if json_pointer else ()


def resolve_path(document: Any, json_pointer: str) -> tuple[tuple[str | int, ...], Any]:
    """Follow a local JSON pointer (``/a/b``): the keys it takes, and what it leads to.

    A token is also tried percent-decoded, as a pointer in a URI fragment is written
    (``~1pets~1%7Bid%7D`` names ``/pets/{id}``). Raises ``KeyError`` when it leads nowhere.
    """
    node = document
    path: list[str | int] = []
    for token in tokens("/" + json_pointer.lstrip("/")) if json_pointer else ():
        if isinstance(node, dict) and (token in node or unquote(token) in node):
            key = token if token in node else unquote(token)
            node = node[key]
            path.append(key)
        elif isinstance(node, list) and token.isascii() and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
            path.append(int(token))
        else:
            raise KeyError(json_pointer)
    return tuple(path), node


def resolve(document: Any, json_pointer: str) -> Any:
    """Follow a local JSON pointer (``/a/b``) as :func:`resolve_path` does: what it leads to."""
    return resolve_path(document, json_pointer)[1]


def deref(document: Any, node: Any, *, schema: bool = False) -> Any:
    """Follow ``node``'s local ``$ref`` chain to the object it names; a chain that loops raises ``ValueError``.
    A ``schema`` read so stops at a reference with constraints beside it, which it reads as an ``allOf`` of
    the two (:func:`~generator.spec.schemakeys.as_all_of`): following it would lose them."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        if schema and (both := as_all_of(node)) is not None:
            return both
        ref = node["$ref"]
        if ref in seen:
            raise ValueError(f"reference cycle through {ref!r}")
        seen.add(ref)
        node = resolve(document, ref[1:])
    return node


# A "$ref" with a string value, as json.dumps writes it.
_REF = re.compile(r'"\$ref": ("(?:[^"\\]|\\.)*")')


def refers_into(document: dict[str, Any], text: str, top: str) -> bool:
    """Whether a local ``$ref`` in ``text`` (``document`` or a part of it, as ``json.dumps`` writes it)
    leads into ``document[top]``, however its pointer is written (``#/%70aths/...`` too)."""
    for match in _REF.finditer(text):
        ref = json.loads(match.group(1))
        if not isinstance(ref, str) or not ref.startswith("#") or ref.startswith("#/components/"):
            continue  # leads into components, or nowhere (top is never "components")
        try:
            keys, _ = resolve_path(document, ref[1:])
        except KeyError:
            continue
        if keys[:1] == (top,):
            return True
    return False
