"""What a batch operation says about its API comes from the document: the field items are matched on
(``x-upsert-key``) and where the answer lists each item's errors (``x-batch-item-errors``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.emit.render import render_package
from generator.errors import Diagnostics
from generator.model.ir import Api, Operation
from generator.model.normalize import normalize
from generator.model.parse import build_api
from generator.paths import TEMPLATE_DIR

_ARRAY_OF_ARRAYS = {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
_RESEND = "sending a batch again"


_BATCH = {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {}}}}


def _api(
    extensions: dict[str, Any], answer: dict[str, Any] | None = None, content: dict[str, Any] | None = None
) -> tuple[Api, list[str]]:
    """An API with one batch operation (and its ``extensions``) answering ``answer``, and the warnings; its
    body's ``content`` is a JSON batch unless given."""
    answer = answer or {"type": "object", "properties": {"errors": _ARRAY_OF_ARRAYS}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Batches", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "import_things",
                    **extensions,
                    "requestBody": {"required": True, "content": content or {"application/json": {"schema": _BATCH}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": answer}}}},
                },
                "get": {"operationId": "list_things", **extensions, "responses": {"204": {"description": "ok"}}},
            }
        },
    }
    diagnostics = Diagnostics("spec.json")
    api = build_api(normalize(document), "spec.json", "batches", diagnostics)
    return api, diagnostics.warnings


def _batch(api: Api) -> Operation:
    return next(op for op in api.operations if op.method_name == "import_things")


def _group_module(api: Api) -> str:
    return render_package(api, TEMPLATE_DIR / "package", "1", {"spec": "s", "generator": "g"})[
        "batches/_endpoints/things.py"  # untagged: grouped by the first path segment
    ]


def test_an_upsert_key_is_claimed_only_when_the_document_names_it() -> None:
    plain, warnings = _api({})
    assert warnings == [] and _batch(plain).upsert_key is None
    assert _RESEND not in _group_module(plain)
    keyed, warnings = _api({"x-upsert-key": "ref"})
    assert _batch(keyed).upsert_key == "ref"
    assert "The API matches items on ``ref``, so sending a batch again" in _group_module(keyed)
    # Only the batch operation reads it; on the other one it is ignored, with a warning.
    assert warnings == [
        "spec.json#/paths/~1things/get/x-upsert-key: only a batch operation (a body of one required array) uses it; ignored"
    ]


def test_item_errors_live_where_the_document_says_else_in_the_only_array_of_arrays() -> None:
    two_lists = {"type": "object", "properties": {"problems": _ARRAY_OF_ARRAYS, "matrix": _ARRAY_OF_ARRAYS}}
    assert _batch(_api({}, two_lists)[0]).batch_errors is None  # ambiguous: none is guessed
    assert _batch(_api({"x-batch-item-errors": "problems"}, two_lists)[0]).batch_errors == "problems"
    assert _batch(_api({})[0]).batch_errors == "errors"


@pytest.mark.parametrize("named", ["missing", 3])
def test_item_errors_named_wrong_are_ignored_with_a_warning(named: Any) -> None:
    api, warnings = _api({"x-batch-item-errors": named})
    assert _batch(api).batch_errors is None
    assert (
        "spec.json#/paths/~1things/post/x-batch-item-errors: "
        "expected the name of an array property of the success response; ignored"
    ) in warnings


def test_the_batch_is_read_from_the_media_type_sent_not_the_first_listed() -> None:
    one_list = {"type": "object", "required": ["rows"], "properties": {"rows": {"type": "array", "items": {}}}}
    sent_json = {"application/xml": {"schema": one_list}, "application/json": {"schema": {"type": "object"}}}
    batch_in_json = {"application/xml": {"schema": {"type": "object"}}, "application/json": {"schema": _BATCH}}
    bodies = [_batch(_api({}, content=content)[0]).body for content in (sent_json, batch_in_json)]
    assert [body.batch_items if body else "no body" for body in bodies] == [None, "items"]


def test_the_default_spec_declares_its_upsert_key_and_item_errors() -> None:
    from generator.paths import DEFAULT_SPEC
    from generator.spec.loader import load_spec

    loaded = load_spec(Path(DEFAULT_SPEC))
    api = build_api(normalize(loaded.document), loaded.source, "stackone_lms", Diagnostics(loaded.source))
    batch = next(op for op in api.operations if op.body and op.body.batch_items)
    assert (batch.upsert_key, batch.batch_errors) == ("external_reference", "errors")
