"""How a media type is read or written: the kinds the generator knows, in order of preference."""

from __future__ import annotations

#: Preferred first when a body or response offers several media types.
MEDIA_RANK = ["json", "sse", "jsonl", "json-seq", "form", "multipart", "text", "binary"]
#: The kinds read as a stream of items, each validated against the item schema.
STREAM_KINDS = frozenset({"sse", "jsonl", "json-seq"})
_STREAMS = {
    "text/event-stream": "sse",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/json-seq": "json-seq",
}


def media_kind(media_type: str) -> str:
    """The kind of ``media_type`` (parameters ignored): one of :data:`MEDIA_RANK`."""
    base = media_type.split(";")[0].strip().lower()
    if base in _STREAMS:
        return _STREAMS[base]
    if base in ("application/json", "text/json") or base.endswith("+json"):  # text/json: ASP.NET's
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "multipart/form-data":
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"
