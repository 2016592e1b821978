"""The webhooks of a normalized document: each one's payload model, and how deliveries are signed and named."""

from __future__ import annotations

import re
from typing import Any

from generator.errors import Diagnostics
from generator.model.ir import Webhook, WebhookSignature
from generator.model.normalize import SCHEMAS, NormalizedSpec, webhook_bodies
from generator.spec.pointers import pointer

SIGNATURE = "x-webhook-signature"
EVENT_HEADER = "x-webhook-event-header"
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP header name (RFC 9110 token)
# Printable ASCII but the space and the comma, which separate the signatures of one header.
_PREFIX = re.compile(r"[!-+\--~]*")
_JSON = re.compile(r"application/(?:[\w.+-]*\+)?json(?:;.*)?", re.IGNORECASE)


def read_webhooks(spec: NormalizedSpec, diagnostics: Diagnostics) -> tuple[Webhook, ...]:
    """Every webhook with a JSON payload; the others are skipped with a warning."""
    where = "webhooks" if "webhooks" in spec.document else "x-webhooks"
    found = []
    for name, bodies in webhook_bodies(spec.document).items():
        model = _payload_model(bodies)
        if model is None:
            diagnostics.warn(pointer(where, name), "no JSON request body with a schema; this webhook is skipped")
        else:
            found.append(Webhook(name=name, model=spec.class_for_ref(model)))
    return tuple(found)


def _payload_model(bodies: list[dict[str, Any]]) -> str | None:
    """The ``$ref`` of the first JSON payload schema (normalization made every one a reference)."""
    for body in bodies:
        content = body.get("content")
        for media_type, media in content.items() if isinstance(content, dict) else ():
            schema = media.get("schema") if isinstance(media, dict) else None
            ref = schema.get("$ref") if isinstance(schema, dict) else None
            if _JSON.fullmatch(str(media_type)) and isinstance(ref, str) and ref.startswith(SCHEMAS):
                return ref
    return None


def read_event_header(document: dict[str, Any], diagnostics: Diagnostics) -> str | None:
    """``x-webhook-event-header``: the header whose value is the name of the delivered webhook."""
    value = document.get(EVENT_HEADER)
    if value is None:
        return None
    if isinstance(value, str) and _TOKEN.fullmatch(value):
        return value
    diagnostics.warn(pointer(EVENT_HEADER), "expected a header name; ignored")
    return None


def read_signature(document: dict[str, Any], diagnostics: Diagnostics) -> WebhookSignature | None:
    """``x-webhook-signature: {header, algorithm, timestamp-header, tolerance, prefix, encoding}``; only
    ``hmac-sha256`` is known, and anything else makes the extension ignored with a warning."""
    value = document.get(SIGNATURE)
    if value is None:
        return None
    problem = _signature_problem(value)
    if problem:
        diagnostics.warn(pointer(SIGNATURE, *problem[:-1]), f"{problem[-1]}; the signature scheme is ignored")
        return None
    return WebhookSignature(
        header=value["header"],
        timestamp_header=value.get("timestamp-header"),
        tolerance=value.get("tolerance", 300),
        prefix=value.get("prefix", ""),
        encoding=value.get("encoding", "hex"),
    )


def _signature_problem(value: object) -> tuple[str, ...]:
    """``(key, message)`` of the first thing wrong with the extension, ``(message,)`` for the whole; ``()``."""
    if not isinstance(value, dict):
        return ("expected an object",)
    for key in ("header", "timestamp-header"):
        if (key in value or key == "header") and not (isinstance(value.get(key), str) and _TOKEN.fullmatch(value[key])):
            return (key, "expected a header name")
    if value.get("algorithm", "hmac-sha256") != "hmac-sha256":
        return ("algorithm", "only hmac-sha256 is supported")
    tolerance = value.get("tolerance", 300)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance <= 0:
        return ("tolerance", "expected a positive number of seconds")
    if not (isinstance(value.get("prefix", ""), str) and _PREFIX.fullmatch(value.get("prefix", ""))):
        return ("prefix", "expected printable ASCII without spaces or commas, which separate signatures")
    if value.get("encoding", "hex") not in ("hex", "base64"):
        return ("encoding", "expected hex or base64")
    unknown = sorted(set(value) - {"header", "algorithm", "timestamp-header", "tolerance", "prefix", "encoding"})
    return (unknown[0], "unknown key") if unknown else ()
