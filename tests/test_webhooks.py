"""Webhooks: payload models, ``<package>.webhooks.unwrap`` and its signature check, on deliveries
sent over real HTTP to a loopback receiver."""

from __future__ import annotations

import copy
import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.loopback import Reply, Seen, serve

SECRET = "whsec-current"
OLD_SECRET = "whsec-previous"


def _payload(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "required": required, "properties": copy.deepcopy(properties)}
    return {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "received"}},
        }
    }


ADOPTED_SCHEMA = {"type": {"const": "pet.adopted"}, "pet_id": {"type": "integer"}, "owner": {"type": "string"}}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "x-webhook-signature": {
        "header": "X-Pets-Signature",
        "timestamp-header": "X-Pets-Timestamp",
        "tolerance": 300,
        "prefix": "sha256=",
    },
    "paths": {},
    "webhooks": {
        "pet.created": _payload(
            {"type": {"const": "pet.created"}, "pet": {"$ref": "#/components/schemas/Pet"}},
            ["type", "pet"],
        ),
        # Through a path item and a request body of the components.
        "pet.adopted": {"$ref": "#/components/pathItems/Adopted"},
    },
    "components": {
        "pathItems": {
            "Adopted": {
                "post": {
                    "requestBody": {"$ref": "#/components/requestBodies/Adopted"},
                    "responses": {"200": {"description": "received"}},
                }
            }
        },
        "requestBodies": {"Adopted": _payload(ADOPTED_SCHEMA, ["type", "pet_id", "owner"])["post"]["requestBody"]},
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        },
    },
}

CREATED = json.dumps({"type": "pet.created", "pet": {"id": 7, "name": "Rex"}}).encode()
ADOPTED = json.dumps({"type": "pet.adopted", "pet_id": 7, "owner": "Ann"}).encode()


def _receive(webhooks: Any, secrets: Any) -> Any:
    """A receiver answering 200 with the payload's class, or 400 with the error's class and message."""

    def respond(seen: Seen) -> Reply:
        try:
            payload = webhooks.unwrap(seen.body, seen.headers, secret=secrets)
        except (webhooks.WebhookVerificationError, webhooks.WebhookPayloadError) as error:
            return Reply(400, {"error": type(error).__name__, "message": error.message})
        return Reply(200, {"model": type(payload).__name__, "payload": payload.model_dump(mode="json")})

    return respond


def test_signed_deliveries_over_http(import_generated: Any) -> None:
    package = import_generated(SPEC, "webhook_pets")
    webhooks = __import__("webhook_pets.webhooks", fromlist=["unwrap"])
    scheme = webhooks.SIGNATURE
    assert issubclass(webhooks.WebhookVerificationError, package.errors.APIError)
    assert set(webhooks.WEBHOOKS) == {"pet.created", "pet.adopted"}

    def deliver(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return httpx.post(url, content=body, headers={"content-type": "application/json", **headers})

    with serve(responder=_receive(webhooks, [SECRET, OLD_SECRET])) as server:
        created = deliver(server.url, CREATED, webhooks.sign(CREATED, SECRET, scheme))
        assert created.status_code == 200, created.text
        assert created.json() == {
            "model": "PetCreatedPayload",
            "payload": {"type": "pet.created", "pet": {"id": 7, "name": "Rex"}},
        }
        # Signed with the secret being rotated out: still accepted.
        adopted = deliver(server.url, ADOPTED, webhooks.sign(ADOPTED, OLD_SECRET, scheme))
        assert adopted.json()["model"] == "PetAdoptedPayload"

        refusals = {
            "tampered body": (ADOPTED.replace(b"Ann", b"Eve"), webhooks.sign(ADOPTED, SECRET, scheme)),
            "wrong secret": (CREATED, webhooks.sign(CREATED, "whsec-guessed", scheme)),
            "stale timestamp": (CREATED, webhooks.sign(CREATED, SECRET, scheme, timestamp=int(time.time()) - 301)),
            "no signature": (CREATED, {"X-Pets-Timestamp": str(int(time.time()))}),
        }
        for case, (body, headers) in refusals.items():
            refused = deliver(server.url, body, headers)
            assert refused.status_code == 400, case
            assert refused.json()["error"] == "WebhookVerificationError", case

        unknown = json.dumps({"type": "pet.lost"}).encode()
        refused = deliver(server.url, unknown, webhooks.sign(unknown, SECRET, scheme))
        assert refused.json() == {
            "error": "WebhookPayloadError",
            "message": "the payload matches none of the webhooks; pass event= to say which",
        }


def test_event_argument_and_errors(import_generated: Any) -> None:
    import_generated(SPEC, "webhook_direct")
    webhooks = __import__("webhook_direct.webhooks", fromlist=["unwrap"])
    headers = webhooks.sign(ADOPTED, SECRET, webhooks.SIGNATURE)
    assert webhooks.unwrap(ADOPTED, headers, secret=SECRET, event="pet.adopted").owner == "Ann"
    with pytest.raises(webhooks.WebhookPayloadError, match=re.escape("'pet.created' payload does not match")):
        webhooks.unwrap(ADOPTED, headers, secret=SECRET, event="pet.created")
    with pytest.raises(ValueError, match="pass the webhook secret"):
        webhooks.unwrap(ADOPTED, headers)
    too_deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(webhooks.WebhookPayloadError, match="not JSON"):
        webhooks.unwrap(too_deep, webhooks.sign(too_deep, SECRET, webhooks.SIGNATURE), secret=SECRET)
    not_json = b"{"
    with pytest.raises(webhooks.WebhookPayloadError, match="not JSON"):
        webhooks.unwrap(not_json, webhooks.sign(not_json, SECRET, webhooks.SIGNATURE), secret=SECRET)


def test_openapi_30_x_webhooks_picked_by_header(import_generated: Any) -> None:
    """3.0's ``x-webhooks``; the event header names the webhook (both payloads fit either model)."""
    spec = copy.deepcopy(SPEC)
    spec["openapi"] = "3.0.3"
    spec["x-webhooks"] = spec.pop("webhooks")
    spec["x-webhooks"]["pet.adopted"] = _payload(ADOPTED_SCHEMA, ["type", "pet_id", "owner"])
    del spec["components"]["pathItems"]  # 3.1 only
    del spec["x-webhook-signature"]
    spec["x-webhook-event-header"] = "X-Event"
    for path_item in spec["x-webhooks"].values():
        del path_item["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]["type"]
    import_generated(spec, "webhook_legacy")
    webhooks = __import__("webhook_legacy.webhooks", fromlist=["unwrap"])
    assert webhooks.SIGNATURE is None
    payload = webhooks.unwrap(ADOPTED, {"x-event": "pet.adopted"})
    assert type(payload).__name__ == "PetAdoptedPayload"
    with pytest.raises(webhooks.WebhookPayloadError, match=re.escape("unknown webhook 'pet.lost'")):
        webhooks.unwrap(ADOPTED, {"X-Event": "pet.lost"})
    with pytest.raises(ValueError, match="names no signature scheme"):
        webhooks.unwrap(ADOPTED, {"X-Event": "pet.adopted"}, secret=SECRET)
    # A scheme given by the caller instead of the document.
    scheme = webhooks.SignatureScheme(header="Signature", encoding="base64")
    signed = webhooks.sign(ADOPTED, SECRET, scheme)
    assert webhooks.unwrap(ADOPTED, {**signed, "X-Event": "pet.adopted"}, secret=SECRET, scheme=scheme).pet_id == 7
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.unwrap(ADOPTED, {**signed, "X-Event": "pet.adopted"}, secret=OLD_SECRET, scheme=scheme)


def test_payloads_told_apart_by_an_enum_are_read_with_enums_closed_first(import_generated: Any) -> None:
    """Open enums would let either model take either payload; a value neither lists is still read."""

    def status(value: str) -> dict[str, Any]:
        return _payload({"status": {"type": "string", "enum": [value]}, "order": {"type": "integer"}}, ["status"])

    spec = copy.deepcopy(SPEC)
    spec["webhooks"] = {"order.paid": status("paid"), "order.refunded": status("refunded")}
    del spec["x-webhook-signature"]
    import_generated(spec, "webhook_enums")
    webhooks = __import__("webhook_enums.webhooks", fromlist=["unwrap"])
    for event in ("paid", "refunded"):
        payload = webhooks.unwrap(json.dumps({"status": event, "order": 7}), {})
        assert type(payload).__name__ == f"Order{event.title()}Payload"
    voided = json.dumps({"status": "voided", "order": 7})
    assert webhooks.unwrap(voided, {}, event="order.paid").status.value == "voided"
    with pytest.raises(webhooks.WebhookPayloadError, match=re.escape("matches 'order.paid', 'order.refunded' of")):
        webhooks.unwrap(voided, {})


@pytest.mark.parametrize(
    ("extension", "problem"),
    [
        ({"header": "X-Sig", "algorithm": "md5"}, "x-webhook-signature/algorithm: only hmac-sha256"),
        ({"header": "X Sig\n"}, "x-webhook-signature/header: expected a header name"),
        ({"header": "X-Sig", "tolerance": -1}, "x-webhook-signature/tolerance: expected a positive"),
        ({"header": "X-Sig", "prefix": "v1, "}, "x-webhook-signature/prefix: expected printable ASCII"),
    ],
)
def test_bad_signature_extension_is_ignored_with_a_warning(
    tmp_path: Path, extension: dict[str, Any], problem: str
) -> None:
    from generator.pipeline import generate

    spec = copy.deepcopy(SPEC)
    spec["x-webhook-signature"] = extension
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    generated = generate(path, "webhook_warned")
    assert any(problem in warning for warning in generated.warnings), generated.warnings
    assert b"SIGNATURE: SignatureScheme | None = None" in generated.files["webhook_warned/webhooks.py"]


def test_hostile_webhook_names_stay_data(import_generated: Any) -> None:
    """Names and the signature prefix from tests/hostile/webhooks.json reach the code only as literals."""
    spec = json.loads((Path(__file__).resolve().parent / "hostile" / "webhooks.json").read_text())
    import_generated(spec, "webhook_hostile")
    webhooks = __import__("webhook_hostile.webhooks", fromlist=["unwrap"])
    assert list(webhooks.WEBHOOKS) == list(spec["webhooks"])
    scheme = webhooks.SIGNATURE
    assert scheme.prefix == spec["x-webhook-signature"]["prefix"]
    for name, body in zip(spec["webhooks"], [{"a": "x"}, {"b": 1}, {"c": True}, {"d": "y"}], strict=True):
        raw = json.dumps(body).encode()
        payload = webhooks.unwrap(raw, {**webhooks.sign(raw, SECRET, scheme), "X-Event": name}, secret=SECRET)
        assert payload.model_dump() == body
    assert not Path("/tmp/openapi-generator-pwned-marker").exists()


def test_no_webhooks_no_module(tmp_path: Path) -> None:
    from generator.pipeline import generate

    spec = copy.deepcopy(SPEC)
    del spec["webhooks"]
    spec["paths"] = {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    assert "webhook_none/webhooks.py" not in generate(path, "webhook_none").files
