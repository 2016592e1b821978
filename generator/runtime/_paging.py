"""Walking the pages of a list operation: which request comes next, read from the response before it.

No I/O here: a :class:`Pager` holds the next :class:`~._runtime.Call` and learns from each
response; ``<method>_iter`` of the sync and the async client only sends it, so both walk the
pages the same way, whatever the style.

A next URL (a ``Link`` header's or the body's) lends only its query string: it is sent to the
same operation, through the client's own base URL, so credentials never go to a host the
server names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx

from . import errors
from ._request import plain_json
from ._response import wire_field
from ._runtime import APIResponse, Call

__all__ = ["Pager", "Paging"]

# One link of a Link header (RFC 8288): ``<url>; rel="next"; ...``; commas may sit inside ``<>``.
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]*)*)")
_REL = re.compile(r"""(?i)\brel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""")


@dataclass(frozen=True)
class Paging:
    """How an operation's pages follow each other (made by the generator; see ``style``).

    Body properties are paths of wire names; ``items=()`` is the body itself.
    """

    #: ``cursor``: send the body's ``next`` as ``parameter``; ``after_last``: while ``next``
    #: (``has_more``) is true, send the last item's ``id`` as ``parameter``; ``link``: the Link
    #: header's ``rel="next"`` URL; ``next_url``: the body's ``next`` URL; ``page``: page
    #: numbers from ``start``; ``offset``: item offsets from 0.
    style: str
    parameter: str | None
    items: tuple[str, ...]
    next: tuple[str, ...] = ()
    #: For ``page`` and ``offset``: the page size parameter (its default when the caller gives
    #: none), and the body's total count: a shorter page, or reaching the total, is the last.
    size: str | None = None
    size_default: int | None = None
    total: tuple[str, ...] = ()
    start: int = 0
    #: The field of the JSON request body (a path of wire names) that is sent instead of ``parameter``.
    body_field: tuple[str, ...] = ()


def field_at(value: Any, path: Sequence[str]) -> Any:
    """The property at ``path`` (wire names) of a parsed body: a model or plain JSON."""
    for name in path:
        value = wire_field(value, name)
    return value


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, if any."""
    for url, parameters in _LINK.findall(header or ""):
        for quoted, bare in _REL.findall(parameters):
            if "next" in (quoted or bare).lower().split():
                return str(url).strip()
    return None


class Pager:
    """The pages of one ``<method>_iter`` call: :attr:`call` is the next request (``None``: done);
    :meth:`advance` takes its response and returns the page's items."""

    def __init__(self, paging: Paging, first: Call) -> None:
        """``first``: the call the caller's arguments make, without the parameter the pager sets."""
        self._paging = paging
        self._first = first
        self._next: Call | None = first
        # Why the page after the last one read cannot be asked for: raised once its items are yielded.
        self._refused: errors.APIError | None = None
        if paging.style == "page":
            self._next = self._sending(paging.start)
        self._seen: set[str] = set()
        self._page = paging.start
        self._count = 0
        self._previous: list[Any] | None = None

    @property
    def call(self) -> Call | None:
        """The request of the next page; raises ``APIError`` where the last page's answer named one
        that cannot be followed (after its items were read)."""
        if self._refused is not None:
            raise self._refused
        return self._next

    def advance(self, response: APIResponse[Any]) -> list[Any]:
        """The items of ``response``'s page; :attr:`call` becomes the request of the next one."""
        paging = self._paging
        found = field_at(response.parsed, paging.items)
        items = (
            list(found)
            if isinstance(found, Sequence) and not isinstance(found, (str, bytes))
            else []
        )
        style = paging.style
        if style in ("page", "offset"):
            # Raised at once: a page that repeats the one before holds no item to read.
            self._next = self._counted(items, response.parsed)
            return items
        try:
            if style == "cursor":
                self._next = self._cursor(field_at(response.parsed, paging.next))
            elif style == "after_last":
                more = field_at(response.parsed, paging.next) is True and items
                self._next = self._cursor(field_at(items[-1], ("id",)) if more else None)
            else:
                url = (
                    next_link(response.headers.get("link"))
                    if style == "link"
                    else field_at(response.parsed, paging.next)
                )
                self._next = self._url(url)
        except errors.APIError as refused:
            # This page's items are new (its request was); the next page's pointer is what failed.
            self._next, self._refused = None, refused
        return items

    def _sending(self, value: Any) -> Call:
        """The first call, with ``value`` sent as the parameter the pager sets, or in its body field."""
        paging = self._paging
        if paging.body_field:
            body = _with_field(plain_json(self._first.body), paging.body_field, value)
            return replace(self._first, body=body)
        return replace(self._first, query={**self._first.query, paging.parameter or "": value})

    def _once(self, key: str) -> None:
        """Refuse a cursor or URL seen before: following it would loop forever."""
        if key in self._seen:
            raise errors.APIError(
                f"pagination: {key[:60]!r} was returned twice; stopping to avoid an endless loop"
            )
        self._seen.add(key)

    def _cursor(self, cursor: Any) -> Call | None:
        if cursor is None or cursor == "":
            return None
        self._once(str(cursor))
        return self._sending(str(cursor))

    def _url(self, url: Any) -> Call | None:
        if not isinstance(url, str) or not url:
            return None
        self._once(url)
        try:
            pairs = httpx.URL(url).params.multi_items()
        except httpx.InvalidURL:
            pairs = []
        if not pairs:  # a path of its own (``/items/page/2``) is not followed: only a query is
            raise errors.APIError(
                f"pagination: the next page's URL {url[:60]!r} has no query to send"
            )
        query: dict[str, Any] = {}
        for name, value in pairs:
            query.setdefault(name, []).append(value)
        # Only the URL's query is sent: it replaces the whole query of the first call.
        return replace(
            self._first, query={name: v[0] if len(v) == 1 else v for name, v in query.items()}
        )

    def _counted(self, items: list[Any], parsed: Any) -> Call | None:
        """Page numbers and offsets: the next page, unless this one was empty, short or the last of the total."""
        paging = self._paging
        if self._previous is not None and items == self._previous:
            raise errors.APIError(
                f"pagination: {paging.parameter}={self._page if paging.style == 'page' else self._count}"
                " returned the same items as the page before; stopping to avoid an endless loop"
            )
        self._count += len(items)
        self._previous = items
        given = self._first.query.get(paging.size) if paging.size else None
        size = given if isinstance(given, int) and given > 0 else paging.size_default
        total = field_at(parsed, paging.total) if paging.total else None
        if (
            not items
            or (size is not None and len(items) < size)
            or (isinstance(total, int) and self._count >= total)
        ):
            return None
        self._page += 1
        return self._sending(self._page if paging.style == "page" else self._count)


def _with_field(body: Any, path: Sequence[str], value: Any) -> dict[str, Any]:
    """A copy of the JSON object ``body`` with ``value`` at ``path``, the objects on the way copied (or
    made, where there are none); the rest shared."""
    copied = dict(body) if isinstance(body, Mapping) else {}
    name, *rest = path
    copied[name] = _with_field(copied.get(name), rest, value) if rest else value
    return copied
