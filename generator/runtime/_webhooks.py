"""Webhook deliveries: check a delivery's signature, then parse its body into the webhook's model.

The package's ``webhooks`` module (rendered where the document declares webhooks) names the
webhooks, their models and the signature scheme, and calls :func:`unwrap_delivery`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pydantic

from ._base_model import response_validator
from ._exceptions import APIError
from ._open_enum import lenient_enums, validated_openly

__all__ = [
    "SignatureScheme",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "sign",
    "unwrap_delivery",
    "verify",
]

Secrets = str | bytes | Sequence[str | bytes]
# Several signatures may share the header (one per secret while secrets rotate).
_SEPARATORS = re.compile(r"[\s,]+")


class WebhookVerificationError(APIError):
    """The delivery's signature is missing, wrong, or its timestamp is missing or outside the tolerance."""


class WebhookPayloadError(APIError):
    """The delivery's body is not JSON, names an unknown webhook, or does not match its model."""


@dataclass(frozen=True)
class SignatureScheme:
    """An HMAC-SHA256 of the raw body, keyed by the shared secret, sent in ``header``.

    With a ``timestamp_header``, the signed text is ``<timestamp>.<body>`` and the timestamp
    (Unix seconds) must be within ``tolerance`` seconds of now. Each signature in the header
    may start with ``prefix`` (``sha256=``; no space or comma, which separate signatures) and
    is written in ``encoding``.
    """

    header: str
    timestamp_header: str | None = None
    tolerance: int = 300
    prefix: str = ""
    encoding: Literal["hex", "base64"] = "hex"


def _key_list(secrets: Secrets) -> list[bytes]:
    given = [secrets] if isinstance(secrets, (str, bytes)) else list(secrets)
    keys = [key.encode() if isinstance(key, str) else key for key in given]
    if not keys or not all(keys):
        raise ValueError("webhook secrets must not be empty")
    return keys


def _digest(key: bytes, body: bytes, timestamp: str | None, scheme: SignatureScheme) -> bytes:
    signed = body if timestamp is None else timestamp.encode() + b"." + body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return mac.hex().encode() if scheme.encoding == "hex" else base64.b64encode(mac)


def sign(
    body: bytes, secret: str | bytes, scheme: SignatureScheme, *, timestamp: int | None = None
) -> dict[str, str]:
    """The headers a sender would add to a delivery of ``body``: for tests of a webhook receiver."""
    [key] = _key_list(secret)
    headers = {}
    stamp = None
    if scheme.timestamp_header is not None:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers[scheme.timestamp_header] = stamp
    headers[scheme.header] = scheme.prefix + _digest(key, body, stamp, scheme).decode()
    return headers


def verify(
    body: bytes,
    headers: Mapping[str, str],
    secrets: Secrets,
    scheme: SignatureScheme,
    *,
    now: float | None = None,
) -> None:
    """Raise :class:`WebhookVerificationError` unless a signature in the header matches one of ``secrets``."""
    lowered = {name.lower(): value for name, value in headers.items()}
    stamp = None
    if scheme.timestamp_header is not None:
        stamp = lowered.get(scheme.timestamp_header.lower(), "").strip()
        # Bounded, since int() refuses very long digit strings.
        if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 15:
            raise WebhookVerificationError(
                f"the {scheme.timestamp_header} header is missing or not a timestamp"
            )
        age = (time.time() if now is None else now) - int(stamp)
        if abs(age) > scheme.tolerance:
            raise WebhookVerificationError(
                f"the delivery's timestamp is {int(abs(age))} s away from now, beyond the {scheme.tolerance} s tolerance"
            )
    given = [
        sent.removeprefix(scheme.prefix).encode()
        for sent in _SEPARATORS.split(lowered.get(scheme.header.lower(), ""))
        if sent and sent.isascii() and sent.startswith(scheme.prefix)
    ]
    if scheme.encoding == "hex":
        given = [sent.lower() for sent in given]
    expected = [_digest(key, body, stamp, scheme) for key in _key_list(secrets)]
    # Every pair is compared, in constant time, so timing says nothing about which part matched.
    matched = False
    for sent in given:
        for wanted in expected:
            matched |= hmac.compare_digest(sent, wanted)
    if not matched:
        raise WebhookVerificationError(f"no valid signature in the {scheme.header} header")


def _validate(model_name: str, data: Any) -> Any:
    """``data`` as the model named ``model_name``, by the validator of responses (``response_validator``),
    with enums closed unless the caller opens them."""
    model = getattr(importlib.import_module(f"{__package__}.models"), model_name)
    return response_validator(model).validate_python(data)


def _matches(webhooks: Mapping[str, str], data: Any) -> list[tuple[str, Any]]:
    """Each webhook whose model ``data`` matches, with what it reads."""
    matches = []
    for name, model_name in webhooks.items():
        try:
            matches.append((name, _validate(model_name, data)))
        except pydantic.ValidationError:
            continue
    return matches


def unwrap_delivery(
    body: bytes | str,
    headers: Mapping[str, str],
    webhooks: Mapping[str, str],
    *,
    secret: Secrets | None,
    scheme: SignatureScheme | None,
    event: str | None,
    event_header: str | None,
) -> Any:
    """Check the signature (when there is a ``scheme``), then parse ``body`` into a webhook's model.

    ``webhooks`` maps each webhook's name to its model's name. The webhook is ``event`` when
    given, else the one ``event_header`` names, else the only one whose model the body matches.
    """
    raw = body.encode() if isinstance(body, str) else bytes(body)
    if scheme is not None:
        if secret is None:
            raise ValueError(
                f"the deliveries are signed ({scheme.header}): pass the webhook secret"
            )
        verify(raw, headers, secret, scheme)
    elif secret is not None:
        raise ValueError(
            "the document names no signature scheme: pass scheme=SignatureScheme(...) with the secret"
        )
    try:
        data = json.loads(raw)
    except (
        ValueError,
        RecursionError,
    ) as error:  # also a body that is not UTF-8, or nested too deep
        raise WebhookPayloadError(f"the delivery's body is not JSON: {error}") from None
    if event is None and event_header is not None:
        event = {name.lower(): value for name, value in headers.items()}.get(event_header.lower())
    if event is not None:
        if event not in webhooks:
            raise WebhookPayloadError(f"unknown webhook {event!r}")
        try:
            return validated_openly(lambda: _validate(webhooks[event], data))
        except pydantic.ValidationError as error:
            raise WebhookPayloadError(
                f"the {event!r} payload does not match its model: {error}"
            ) from None
    # Enums closed first, as for a response: a payload told from another by an enum's value alone
    # matches its own webhook, not every one whose open enum would take that value.
    matches = _matches(webhooks, data)
    if not matches:
        with lenient_enums():
            matches = _matches(webhooks, data)
    if len(matches) != 1:
        names = ", ".join(repr(name) for name, _ in matches) or "none"
        raise WebhookPayloadError(
            f"the payload matches {names} of the webhooks; pass event= to say which"
        )
    return matches[0][1]
