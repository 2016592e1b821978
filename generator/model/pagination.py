"""Which pagination style a list operation uses, if any: the descriptor its ``<method>_iter`` follows.

A style is read from the operation's ``x-pagination`` (ours: any style, or ``false``; or Datadog's,
which shares its name), else its ``x-speakeasy-pagination``, else recognised from conventional
names. Styles that read where the next page is from the response (a Link header, a next URL or
cursor in the body, Stripe's ``has_more``) come before styles that count (page numbers, offsets).
Two styles of one kind both fitting is ambiguous: no iterator, and a note that says why, like every
list operation that gets none. A cursor is sent in a query parameter or a field of the request body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

from generator.model.ir import Pagination, PaginationStyle, Parameter
from generator.spec.schemakeys import only_annotates, value_types, wraps_one

# Conventional names, most specific first.
_CURSOR_PARAMETERS = (
    "cursor",
    "next",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "page",  # a string ``page`` is a cursor (Stripe's search); an integer one is a page number
)
_CURSOR_FIELDS = (
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "NextToken",
    "next_page",
    "cursor",
    "next",
    "pageToken",  # HERE's: the body names the next page's token as the parameter that sends it
    "page_token",
)
_URL_FIELDS = (
    "next_url",
    "nextUrl",
    "next_page_url",
    "nextPageUrl",
    "next_link",
    "nextLink",
    "@odata.nextLink",
    "next",
)
_PAGE_PARAMETERS = ("page", "page_number", "pageNumber")
_OFFSET_PARAMETERS = ("offset", "skip")
_SIZE_PARAMETERS = ("per_page", "perPage", "page_size", "pageSize", "limit", "size", "count", "top")
_TOTAL_FIELDS = ("total", "total_count", "totalCount", "total_results", "totalResults", "total_items", "totalItems")
# The usual names of a page's items, for a body with several lists (Box's ``entries`` beside ``order``).
_ITEM_FIELDS = ("data", "results", "items", "entries", "values", "value", "records")
# Objects of a body where the paging fields often sit, one level down.
_ENVELOPES = ("meta", "pagination", "paging", "page_info", "pageInfo", "links", "_links", "response_metadata")
# Query parameters that make a list operation look paginated, for the note when it gets no iterator.
_PAGING_WORDS = {*_CURSOR_PARAMETERS, *_PAGE_PARAMETERS, *_OFFSET_PARAMETERS, *_SIZE_PARAMETERS, "starting_after"}
_STYLES: tuple[PaginationStyle, ...] = get_args(PaginationStyle)
_POINTER_STYLES = ("link", "next_url", "cursor", "after_last")

Path = tuple[str, ...]


@dataclass(frozen=True)
class Unpaginated:
    """A list operation that gets no iterator, and why (for ``--verbose``)."""

    reason: str


@dataclass(frozen=True)
class Misconfigured:
    """A pagination extension that cannot be followed: a warning, and no iterator."""

    location: str
    reason: str


@dataclass(frozen=True)
class _Body:
    """What a success body offers: where its items are, their type, and its other fields by path."""

    items: Path | None  # None: no list found
    item_type: str
    fields: Mapping[Path, dict[str, Any]]


def _path(text: Any) -> Path | None:
    """``"$.meta.next"`` or ``"meta.next"`` -> ``("meta", "next")``; ``"$"`` -> ``()`` (the body itself)."""
    if not isinstance(text, str):
        return None
    stripped = text.removeprefix("$").removeprefix(".")
    return tuple(stripped.split(".")) if stripped else ()


class Detector:
    """Finds the pagination of operations of one document; ``item_type`` names a ``$ref``'s class."""

    def __init__(self, deref: Callable[[Any], Any], item_type: Callable[[Any], str]) -> None:
        self.deref = deref
        self.item_type = item_type

    def resolved(self, schema: Any) -> Any:
        """``schema`` dereferenced; an ``allOf`` of one schema beside parts that only annotate it (AWS's
        ``allOf: [{$ref: AccessorSummaryList}, {description: ...}]``) read as that schema."""
        seen: set[int] = set()
        schema = self.deref(schema)
        while wraps_one(schema) and id(schema) not in seen:
            seen.add(id(schema))
            schema = self.deref(next(part for part in schema["allOf"] if not only_annotates(part)))
        return schema

    def body(self, schema: Any) -> _Body:
        schema = self.resolved(schema)
        if not isinstance(schema, dict):
            return _Body(None, "Any", {})
        if "array" in value_types(schema):
            return _Body((), self.item_type(schema.get("items")), {})
        fields: dict[Path, dict[str, Any]] = {}
        properties, required = self.members(schema)
        for name, prop in properties.items():
            prop = self.resolved(prop)
            if not isinstance(prop, dict):
                continue
            fields[(name,)] = prop
            if name in _ENVELOPES and "object" in value_types(prop):
                for inner, value in self.members(prop)[0].items():
                    fields[(name, inner)] = value = self.resolved(value)
                    if inner == "next" and isinstance(value, dict):  # HubSpot's ``paging.next.after``
                        for innermost, leaf in self.members(value)[0].items():
                            fields[(name, inner, innermost)] = self.resolved(leaf)
        arrays: list[Path] = [path for path, prop in fields.items() if len(path) == 1 and "array" in value_types(prop)]
        if len(arrays) > 1:
            arrays = self.items_among(arrays, fields, required)
        if len(arrays) != 1:
            return _Body(None, "Any", fields)
        return _Body(arrays[0], self.item_type(fields[arrays[0]].get("items")), fields)

    def items_among(self, arrays: list[Path], fields: Mapping[Path, dict[str, Any]], required: set[str]) -> list[Path]:
        """Which of a body's several lists holds the page's items ("data" beside a "raw" list): the one
        required, else the one of a usual name, else the one of objects (Google's lists beside
        ``unreachable``, a list of locations); all of them when none stands out."""
        for preferred in (
            [path for path in arrays if path[0] in required],
            [path for path in arrays if path[0] in _ITEM_FIELDS],
            [path for path in arrays if self.of_objects(fields[path].get("items"))],
        ):
            if len(preferred) == 1:
                return preferred
        return arrays

    def of_objects(self, items: Any) -> bool:
        """Whether an array's ``items`` schema is an object's (or another array's): a model, not a scalar."""
        resolved = self.resolved(items)
        return isinstance(resolved, dict) and bool(
            {"object", "array"} & {*value_types(resolved)} or "properties" in resolved
        )

    def members(self, schema: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """The properties of an object schema and the names it requires, with those of its ``allOf`` parts:
        the models read them as one class (Box's pages: the paging fields in one part, ``entries`` in another)."""
        properties: dict[str, Any] = {}
        required: set[str] = set()
        seen: set[int] = set()
        pending = [schema]
        while pending:
            node = pending.pop()
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            for name, prop in (node.get("properties") or {}).items():
                properties.setdefault(name, prop)  # the schema's own first, then its parts in order
            required.update(name for name in node.get("required") or () if isinstance(name, str))
            pending.extend(self.deref(part) for part in reversed(node.get("allOf") or ()))
        return properties, required

    def field_at(self, schema: Any, path: Path) -> Any:
        """The schema of the property at ``path`` of the object ``schema`` (its ``allOf`` parts' too), resolved;
        ``None`` where it declares none."""
        node = self.resolved(schema)
        for name in path:
            node = self.resolved(self.members(node)[0].get(name)) if isinstance(node, dict) else None
        return node

    def items_at(self, schema: Any, path: Path) -> str:
        """The item type of the array at ``path`` of a body; ``Any`` when it cannot be told."""
        node = self.field_at(schema, path)
        return self.item_type(node.get("items")) if isinstance(node, dict) else "Any"

    def detect(
        self,
        operation: Mapping[str, Any],
        method: str,
        where: str,
        parameters: tuple[Parameter, ...],
        query_schemas: Mapping[str, Any],
        success: Mapping[str, Any] | None,
        success_schema: Any,
        request_schema: Any = None,
    ) -> Pagination | Unpaginated | Misconfigured | None:
        """The operation's pagination; why a list operation has none; or ``None`` for other operations.
        ``request_schema``: its JSON request body's, where a cursor may be sent (``in: body``)."""
        query = {p.wire_name: p for p in parameters if p.location == "query"}
        body = self.body(success_schema) if success_schema is not None else _Body(None, "Any", {})
        explicit = operation.get("x-pagination")
        if explicit is False:
            return None
        if explicit is not None:
            where = f"{where}/x-pagination"
            if isinstance(explicit, dict) and "style" not in explicit and _DATADOG_KEYS & explicit.keys():
                explicit = _from_datadog(explicit)
                if isinstance(explicit, str):
                    return Misconfigured(where, explicit)
            return self.explicit(explicit, where, query, query_schemas, body, success_schema, request_schema)
        if operation.get("x-speakeasy-pagination") is not None:
            translated = _from_speakeasy(operation["x-speakeasy-pagination"])
            where = f"{where}/x-speakeasy-pagination"
            if isinstance(translated, str):
                return Misconfigured(where, translated)
            return self.explicit(translated, where, query, query_schemas, body, success_schema, request_schema)
        if method != "GET":
            return None
        if body.items is None:
            return _unpaginated(query, "its body holds no one list of items")
        return self.conventional(query, query_schemas, body, success or {})

    def conventional(
        self,
        query: Mapping[str, Parameter],
        query_schemas: Mapping[str, Any],
        body: _Body,
        success: Mapping[str, Any],
    ) -> Pagination | Unpaginated | None:
        assert body.items is not None
        candidates: dict[PaginationStyle, Pagination] = {}

        def fields(names: tuple[str, ...], *wanted: str) -> list[Path]:
            found = [p for p in body.fields if p[-1] in names and set(wanted) & {*value_types(body.fields[p])}]
            return sorted(found, key=lambda p: (names.index(p[-1]), len(p)))

        def is_url(path: Path) -> bool:
            prop = body.fields[path]
            named = path[-1] in _URL_FIELDS and path[-1] != "next"  # a bare ``next`` may be either
            return named or prop.get("format") in ("uri", "url", "uri-reference")

        headers = {str(name).lower() for name in (success.get("headers") or {})}
        size = next((name for name in _SIZE_PARAMETERS if name in query), None)
        total = next(iter(fields(_TOTAL_FIELDS, *_COUNTS)), ())

        def make(style: PaginationStyle, parameter: str | None, following: Path = (), **more: Any) -> Pagination:
            return Pagination(
                style=style,
                parameter=parameter,
                controlled=query[parameter].python_name if parameter else None,
                items=body.items or (),
                next=following,
                item_type=body.item_type,
                **more,
            )

        if "link" in headers:
            candidates["link"] = make("link", None)
        strings = fields(_URL_FIELDS + _CURSOR_FIELDS, "string")
        urls = [path for path in strings if path[-1] in _URL_FIELDS and is_url(path)]
        cursors = [path for path in strings if path[-1] in _CURSOR_FIELDS and not is_url(path)]
        # Else a string in an envelope's ``next`` object named like a query parameter (HubSpot's ``after``).
        cursors = cursors or [
            path
            for path in body.fields
            if path[1:2] == ("next",) and len(path) == 3 and path[2] in query
            if "string" in value_types(body.fields[path]) and not is_url(path)
        ]
        # The parameter named like the cursor's field (``next`` for ``next``), else the usual names in order.
        names = (cursors[0][-1],) if cursors else ()
        cursor_parameter = next(
            (
                n
                for n in (*names, *_CURSOR_PARAMETERS)
                if n in query and "integer" not in value_types(query_schemas.get(n))
            ),
            None,
        )
        twins = sorted(name for name in query if cursor_parameter and name.lower() == cursor_parameter.lower())
        if cursors and len(twins) > 1:
            # AWS's documents add ``NextToken`` beside the ``nextToken`` the service reads: one is ignored.
            return Unpaginated(
                f"ambiguous: query parameters {' and '.join(twins)} differ only in case; say which with x-pagination"
            )
        if cursors and cursor_parameter:
            candidates["cursor"] = make("cursor", cursor_parameter, cursors[0])
        elif urls:
            candidates["next_url"] = make("next_url", None, urls[0])
        elif cursors and cursors[0] == ("next",):  # a bare ``next`` and no parameter to send it in: a URL
            candidates["next_url"] = make("next_url", None, cursors[0])
        has_more = fields(("has_more", "hasMore"), "boolean")
        if "starting_after" in query and has_more:
            candidates["after_last"] = make("after_last", "starting_after", has_more[0])
        page = next((n for n in _PAGE_PARAMETERS if n in query and _counts(query_schemas.get(n))), None)
        if page:
            start = _first_number(query_schemas.get(page))
            candidates["page"] = make(
                "page", page, size=size, size_default=_default(query_schemas, size), total=total, start=start
            )
        offset = next((n for n in _OFFSET_PARAMETERS if n in query and _counts(query_schemas.get(n))), None)
        if offset:
            candidates["offset"] = make(
                "offset", offset, size=size, size_default=_default(query_schemas, size), total=total
            )
        pointers = [style for style in _POINTER_STYLES if style in candidates]
        chosen = pointers or [style for style in ("page", "offset") if style in candidates]
        if len(chosen) == 1:
            return candidates[chosen[0]]
        if chosen:
            return Unpaginated(f"ambiguous: it fits {' and '.join(chosen)} pagination; say which with x-pagination")
        return _unpaginated(query, "no way to find the next page")

    def explicit(
        self,
        extension: Any,
        where: str,
        query: Mapping[str, Parameter],
        query_schemas: Mapping[str, Any],
        body: _Body,
        schema: Any,
        request_schema: Any = None,
    ) -> Pagination | Misconfigured:
        """``x-pagination: {style, parameter, in, items, next, size, total, start}``."""
        if not isinstance(extension, dict) or extension.get("style") not in _STYLES:
            return Misconfigured(where, f"expected false or an object whose style is one of {', '.join(_STYLES)}")
        style: PaginationStyle = extension["style"]
        parameter = _text(extension.get("parameter"))
        body_field: Path = ()
        if extension.get("in", "query") != "query":
            if extension.get("in") != "body" or style != "cursor":
                return Misconfigured(
                    f"{where}/in", "expected query, or body for a cursor sent in a field of the request body"
                )
            body_field = _path(parameter) or ()
            if not body_field or not isinstance(self.field_at(request_schema, body_field), dict):
                return Misconfigured(
                    f"{where}/parameter", "expected the dotted path of a field of the JSON request body"
                )
            parameter = None
        elif style in ("link", "next_url"):
            parameter = None  # the next URL gives the whole query
        elif parameter is None or parameter not in query:
            return Misconfigured(f"{where}/parameter", f"a {style} style needs the name of one of its query parameters")
        size = _text(extension.get("size")) if style in ("page", "offset") else None
        if size is not None and size not in query:
            return Misconfigured(f"{where}/size", f"{size!r} is not a query parameter of the operation")
        items = _path(extension["items"]) if "items" in extension else body.items
        following = _path(extension.get("next"))
        if style in ("cursor", "after_last", "next_url") and not following:
            return Misconfigured(f"{where}/next", f"a {style} style needs the body property to read, e.g. 'meta.next'")
        if items is None:
            return Misconfigured(f"{where}/items", "the page's items cannot be found: name their property")
        start = extension.get("start", _first_number(query_schemas.get(parameter or "")) if style == "page" else 0)
        if not isinstance(start, int) or isinstance(start, bool):
            return Misconfigured(f"{where}/start", "expected a whole number")
        return Pagination(
            style=style,
            parameter=parameter,
            controlled=query[parameter].python_name if parameter is not None else None,
            items=items,
            next=following or (),
            item_type=self.items_at(schema, items),
            size=size,
            size_default=_default(query_schemas, size),
            total=_path(extension.get("total")) or (),
            start=start,
            body_field=body_field,
        )


def _from_speakeasy(extension: Any) -> dict[str, Any] | str:
    """Speakeasy's ``{type: cursor | offsetLimit | url, inputs: [{name, in, type}], outputs: {...}}`` as
    ``x-pagination`` (a cursor ``in: requestBody`` is sent in that field of the body); or what is wrong with it."""
    if not isinstance(extension, dict):
        return "expected an object"
    raw_inputs = extension.get("inputs")
    inputs, body_inputs = (
        {
            str(i.get("type")): i.get("name")
            for i in (raw_inputs if isinstance(raw_inputs, list) else [])
            if isinstance(i, dict) and i.get("in", "parameters") == where
        }
        for where in ("parameters", "requestBody")
    )
    raw_outputs = extension.get("outputs")
    outputs: dict[str, Any] = raw_outputs if isinstance(raw_outputs, dict) else {}
    kind = extension.get("type")
    translated: dict[str, Any] = {"items": outputs["results"]} if "results" in outputs else {}
    if kind == "cursor":
        sent = {"in": "body", "parameter": body_inputs["cursor"]} if "cursor" in body_inputs else {}
        return (
            translated
            | {"style": "cursor", "parameter": inputs.get("cursor"), "next": outputs.get("nextCursor")}
            | sent
        )
    if kind == "url":
        return translated | {"style": "next_url", "next": outputs.get("nextUrl")}
    if kind == "offsetLimit":
        style = "page" if "page" in inputs else "offset"
        return translated | {"style": style, "parameter": inputs.get(style), "size": inputs.get("limit")}
    return "its type must be cursor, offsetLimit or url"


# Datadog's ``x-pagination``, which shares our extension's name: the request's parameters it names.
_DATADOG_PARAMETERS = ("cursorParam", "pageParam", "pageOffsetParam", "limitParam")
_DATADOG_KEYS = {*_DATADOG_PARAMETERS, "cursorPath", "resultsPath", "pageStart"}


def _from_datadog(extension: dict[str, Any]) -> dict[str, Any] | str:
    """Datadog's ``x-pagination`` (``{cursorParam, cursorPath | pageParam, pageStart | pageOffsetParam;
    limitParam, resultsPath}``) as ours, its first page numbered 0 as its own clients number it; or what
    of it an iterator cannot do."""
    named = {key: extension[key] for key in _DATADOG_PARAMETERS if isinstance(extension.get(key), str)}
    counted = sorted(named[key] for key in ("pageParam", "pageOffsetParam") if named.get(key, "").startswith("body."))
    if counted:
        return f"it sets {' and '.join(counted)} in the request body; an iterator sends only a cursor there"
    translated: dict[str, Any] = {"items": extension["resultsPath"]} if "resultsPath" in extension else {}
    if "cursorParam" in named:
        cursor = named["cursorParam"]
        sent = {"in": "body", "parameter": cursor.removeprefix("body.")} if cursor.startswith("body.") else {}
        return translated | {"style": "cursor", "parameter": cursor, "next": extension.get("cursorPath")} | sent
    if "pageParam" in named:
        page = {"style": "page", "parameter": named["pageParam"], "start": extension.get("pageStart", 0)}
        return translated | page | {"size": named.get("limitParam")}
    if "pageOffsetParam" in named:
        return translated | {"style": "offset", "parameter": named["pageOffsetParam"], "size": named.get("limitParam")}
    return "Datadog's form names no cursorParam, pageParam or pageOffsetParam"


#: The types of a count: a page number, an offset, a total (LaunchDarkly's are ``number``).
_COUNTS = ("integer", "number")


def _counts(schema: Any) -> bool:
    """Whether ``schema`` types a number (a string ``page`` is a cursor, as Stripe's search's)."""
    return bool(set(_COUNTS) & {*value_types(schema)})


def _unpaginated(query: Mapping[str, Parameter], reason: str) -> Unpaginated | None:
    """Why an operation with query parameters that look like paging gets no iterator; ``None`` without them."""
    paging = sorted(name for name in query if name in _PAGING_WORDS)
    if not paging:
        return None
    return Unpaginated(f"query parameter(s) {', '.join(paging)} but {reason}; describe it with x-pagination")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _default(query_schemas: Mapping[str, Any], name: str | None) -> int | None:
    value = (query_schemas.get(name) or {}).get("default") if name else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _first_number(schema: Any) -> int:
    """The first page's number: the parameter's default, else its minimum, else 1."""
    schema = schema if isinstance(schema, dict) else {}
    for key in ("default", "minimum"):
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return 1
