"""Apply OpenAPI Overlay 1.0 and 1.1 documents to a spec, before anything else reads it.

An overlay is an ordered list of actions. Each selects nodes of the document
with an RFC 9535 JSONPath ``target``, then removes them (``remove: true``),
updates them (``update``: merged into objects, recursively, or appended to
arrays; other values are replaced) or, from 1.1 on, does the same with a copy
of the one node another JSONPath selects (``copy``). A malformed overlay is a
:class:`~generator.errors.SpecError` naming the action; an action whose target
selects nothing is a warning, since the vendor's document may have moved on.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.errors import Diagnostics, SpecError
from generator.spec.loader import LoadedSpec, load_spec
from generator.spec.pointers import pointer

_VERSION = re.compile(r"^1\.([01])\.\d+$")
_Location = tuple[str | int, ...]


def apply_overlays(document: dict[str, Any], overlays: Sequence[Path], diagnostics: Diagnostics) -> None:
    """Apply each overlay file to ``document`` in place, in the order given."""
    for path in overlays:
        overlay = load_spec(path)
        warnings = Diagnostics(overlay.source)
        _apply(document, overlay, warnings)
        diagnostics.extend(warnings)


def _apply(document: dict[str, Any], overlay: LoadedSpec, warnings: Diagnostics) -> None:
    # Imported here: only documents with overlays need it.
    import jsonpath_rfc9535 as jsonpath

    spec = overlay.document
    version = _VERSION.match(str(spec.get("overlay", "")))
    if version is None:
        raise SpecError(overlay.source, pointer("overlay"), "must be an Overlay version 1.0.x or 1.1.x")
    actions = spec.get("actions")
    if not isinstance(actions, list) or not actions:
        raise SpecError(overlay.source, pointer("actions"), "must be a non-empty list of actions")
    for index, action in enumerate(actions):
        where = pointer("actions", index)
        if not isinstance(action, dict):
            raise SpecError(overlay.source, where, "an action must be a mapping")
        target = action.get("target")
        remove = action.get("remove", False)
        if not isinstance(target, str) or not target.startswith("$"):
            raise SpecError(overlay.source, f"{where}/target", "must be a JSONPath query starting with $")
        if not isinstance(remove, bool):
            raise SpecError(overlay.source, f"{where}/remove", "must be true or false")
        if "copy" in action and version.group(1) == "0":
            raise SpecError(overlay.source, f"{where}/copy", "copy actions need Overlay 1.1")
        if "copy" in action and "update" in action and not remove:
            raise SpecError(overlay.source, where, "an action takes update or copy, not both")
        try:
            nodes = [(tuple(node.location), node.value) for node in jsonpath.finditer(target, document)]
        except jsonpath.JSONPathError as error:
            raise SpecError(overlay.source, f"{where}/target", f"invalid JSONPath: {error}") from None
        if not nodes:
            warnings.warn(f"{where}/target", f"selects nothing in the document ({target})")
            continue
        if remove:
            _remove(document, [location for location, _ in nodes], overlay, where)
        elif "update" in action or "copy" in action:
            value = action["update"] if "update" in action else _copied(document, action["copy"], overlay, where)
            for location, node in nodes:
                _update(document, location, node, value, overlay, where)


def _copied(document: dict[str, Any], query: object, overlay: LoadedSpec, where: str) -> Any:
    import jsonpath_rfc9535 as jsonpath

    if not isinstance(query, str) or not query.startswith("$"):
        raise SpecError(overlay.source, f"{where}/copy", "must be a JSONPath query starting with $")
    try:
        values = [node.value for node in jsonpath.finditer(query, document)]
    except jsonpath.JSONPathError as error:
        raise SpecError(overlay.source, f"{where}/copy", f"invalid JSONPath: {error}") from None
    if len(values) != 1:
        raise SpecError(overlay.source, f"{where}/copy", f"must select exactly one node, selects {len(values)}")
    return values[0]


def _remove(document: dict[str, Any], locations: list[_Location], overlay: LoadedSpec, where: str) -> None:
    # The deepest and last first, so removing one node never moves another still to be removed.
    for location in sorted(locations, key=lambda loc: [(isinstance(key, str), key) for key in loc], reverse=True):
        if not location:
            raise SpecError(overlay.source, f"{where}/target", "cannot remove the whole document")
        parent = _node_at(document, location[:-1])
        del parent[location[-1]]


def _update(
    document: dict[str, Any], location: _Location, node: Any, value: Any, overlay: LoadedSpec, where: str
) -> None:
    if isinstance(node, dict) and isinstance(value, dict):
        _merge(node, value)
    elif isinstance(node, list):
        node.append(copy.deepcopy(value))
    elif not location:
        raise SpecError(overlay.source, f"{where}/update", "the document can only be merged with a mapping")
    else:
        _node_at(document, location[:-1])[location[-1]] = copy.deepcopy(value)


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """Merge ``update`` into ``target``: mappings key by key, anything else replaced."""
    for key, value in update.items():
        if isinstance(target.get(key), dict) and isinstance(value, dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _node_at(document: Any, location: _Location) -> Any:
    node = document
    for key in location:
        node = node[key]
    return node
