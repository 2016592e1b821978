"""The real-world harness itself: its list, its classification of outcomes and its baseline comparison.

The corpus run is the gate (tests/realworld/gate.py, run by .ci/run); these check that the harness
can see each kind of failure, so a green gate means something.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.output.writer import write_tree
from generator.pipeline import generate
from tests.realworld import corpus, harness


def test_the_corpus_list_is_big_enough_and_pinned() -> None:
    documents = corpus.read()
    names = [document.name for document in documents]
    assert len(documents) >= 100 and len(set(names)) == len(names)
    assert {"github", "stripe", "stackone-lms"} <= set(names)
    assert sum(1 for document in documents if 100 <= document.operations <= 1000) >= 20
    assert sum(1 for document in documents if document.mypy) >= 20
    for document in documents:
        assert document.source == corpus.REPO or re.fullmatch(r"[0-9a-f]{64}", document.sha256), document
    for version, integrity in corpus.pinned().values():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version) and integrity.startswith("sha512-")


def test_probe_sees_import_errors_and_incomplete_models(tmp_path: Path) -> None:
    package = tmp_path / "out" / "probed"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "broken.py").write_text("value = undefined_name\n")
    (package / "models.py").write_text(
        "from __future__ import annotations\nimport pydantic\n\n"
        "class Complete(pydantic.BaseModel):\n    a: int\n\n"
        "class Incomplete(pydantic.BaseModel):\n    b: NotDefinedAnywhere\n"
    )
    report = tmp_path / "probe.json"
    subprocess.run(
        [sys.executable, "-P", str(harness.HERE / "probe.py"), str(package.parent), "probed", str(report)], check=True
    )
    probed = json.loads(report.read_text())
    assert probed["import_errors"] == {"probed.broken": "NameError: name 'undefined_name' is not defined"}
    assert list(probed["incomplete_models"]) == ["probed.models.Incomplete"]
    assert probed["operations"] == -1  # no client to call: every operation of the document counts as failed


def _document(tmp_path: Path, name: str, spec: dict[str, object]) -> tuple[corpus.Document, Path]:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(spec))
    return corpus.Document(name, corpus.REPO, str(path), "-", 1, False), path


def test_harness_classifies_refusals_and_calls_operations(tmp_path: Path) -> None:
    swagger, swagger_path = _document(tmp_path, "swagger", {"swagger": "2.0", "info": {}, "paths": {}})
    refused = harness.run_document(swagger, swagger_path, tmp_path / "a", tmp_path / "mypy")
    assert refused.outcome == "refused" and refused.message.startswith("error:")
    assert refused.keys() == {"swagger | refused | generate"}

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets/{id}": {
                "get": {
                    "operationId": "getPet",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["name"],
                                        "properties": {"name": {"type": "string"}},
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    pets, pets_path = _document(tmp_path, "pets", spec)
    generated = harness.run_document(pets, pets_path, tmp_path / "b", tmp_path / "mypy")
    assert generated.outcome == "generated", generated
    assert (generated.operations, generated.failed_operations, generated.failures) == (1, 0, {})

    # An operation the generator leaves out (with a warning) is one a client cannot call.
    spec["paths"]["/events"] = {
        "post": {
            "requestBody": {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
            "responses": {"204": {"description": "sent"}},
        }
    }
    events, events_path = _document(tmp_path, "events", spec)
    skipped = harness.run_document(events, events_path, tmp_path / "c", tmp_path / "mypy")
    assert (skipped.operations, skipped.failed_operations) == (2, 1), skipped
    assert skipped.keys() == {"events | skipped operation | POST /events"}


def test_probe_calls_the_async_client_too_and_sees_it_answer_otherwise(tmp_path: Path) -> None:
    pet = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pet": {
                "get": {
                    "operationId": "getPet",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Pet": pet}},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    write_tree(package.files, tmp_path / "out")
    endpoints = tmp_path / "out" / package.package / "_endpoints" / "pet.py"

    def probed() -> dict[str, str]:
        report = tmp_path / "probe.json"
        command = [sys.executable, "-P", str(harness.HERE / "probe.py"), str(tmp_path / "out"), package.package]
        subprocess.run([*command, str(report)], check=True)
        failures: dict[str, str] = json.loads(report.read_text())["call_failures"]
        return failures

    assert probed() == {}
    # The async method answers another pet, then fails: each is the async client's failure alone.
    written = endpoints.read_text()
    changed = "async def _other(self, **_: object) -> object:\n    return models.Pet(name='other')\n"
    endpoints.write_text(f"{written}\n{changed}AsyncMethods.get_pet = _other\n")
    assert probed() == {"get_pet": "AsyncDiffers: Pet \"name='other'\" where the client gave Pet \"name='string'\""}
    failing = "async def _other(self, **_: object) -> object:\n    raise ValueError('async only')\n"
    endpoints.write_text(f"{written}\n{failing}AsyncMethods.get_pet = _other\n")
    assert probed() == {"get_pet": "async: ValueError: async only"}


def test_only_failures_missing_from_the_baseline_fail_the_gate() -> None:
    known = harness.Outcome("a", corpus.REPO, "a.yaml")
    known.add("call failure", "op_one", "MockRequestError: ...")
    regressed = harness.Outcome("b", corpus.REPO, "b.yaml")
    regressed.add("import error", "b.models", "NameError: ...")
    baseline = {"a | call failure | op_one", "a | call failure | op_two", "c | refused | generate"}
    new, fixed = harness.compare([known, regressed], baseline, {"a", "b"})
    assert new == ["b | import error | b.models"]
    assert fixed == ["a | call failure | op_two"]  # "c" was not run: not reported as fixed


def test_a_fixture_its_model_refuses_fails_the_gate_whatever_the_baseline_says() -> None:
    outcome = harness.Outcome("a", corpus.REPO, "a.yaml")
    outcome.add("fixture failure", "op/response_200.json", "ValidationError: ...")
    key = "a | fixture failure | op/response_200.json"
    new, _ = harness.compare([outcome], {key}, {"a"})
    assert new == [key]
    assert not harness.summarize([outcome]).targets_met()


def test_a_scan_draws_documents_the_corpus_does_not_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    held = corpus.read()[0]
    candidates = [(held.path, held.sha256, 5)] + [(f"package/api/api{n}.json", f"{n:064x}", n) for n in range(2000)]
    monkeypatch.setattr(corpus, "directory_candidates", lambda: sorted(candidates))
    drawn = corpus.scan_sample(50, seed=3)
    assert drawn == corpus.scan_sample(50, seed=3) != corpus.scan_sample(50, seed=4)
    assert len(drawn) == 50 and held.path not in {document.path for document in drawn}
    assert all(1 <= document.operations <= 1000 and document.source == corpus.DIRECTORY for document in drawn)
    assert [d.name for d in drawn if d.mypy] == [d.name for d in drawn if d.operations <= corpus.MYPY_MAX_OPERATIONS]
    assert any(d.mypy for d in drawn) and not all(d.mypy for d in drawn)


def test_prism_findings_are_told_apart() -> None:
    """Of what Prism says of a request, only how it is made counts against the client; an answer the
    client refused counts only when the document's schema (read by openapi-schema-validator) allows it."""
    from types import SimpleNamespace

    import httpx

    from tests.realworld import prism

    said = [
        {"location": ["request", "query", "key"], "severity": "Error", "code": "type", "message": "must be string"},
        {"location": ["request", "path", "id"], "severity": "Error", "code": "pattern", "message": "must match"},
        {"location": ["response", "body"], "severity": "Error", "code": "required", "message": "must have"},
        {"location": ["request", "header", "x"], "severity": "Warning", "code": "type", "message": "odd"},
    ]
    answer = httpx.Response(200, headers={"sl-violations": json.dumps(said)})
    assert prism._violations(answer, None) == (
        ["query.key (type): must be string"],
        ["path.id (pattern): must match"],
    )
    refusal = {"validation": [{"location": ["body"], "severity": "Error", "code": "required", "message": "x"}]}
    assert prism._violations(httpx.Response(422), refusal) == (["body (required): x"], [])
    # Prism's own miss of a bracketed name (Datadog's filter[env]), only where the request carries it.
    missed = {"location": ["query"], "severity": "Error", "code": "required"}
    missed["message"] = "Request query must have required property 'filter%5benv%5d'"
    for query, made in [("filter%5Benv%5D=prod", []), ("env=prod", [f"query (required): {missed['message']}"])]:
        request = httpx.Request("GET", f"http://prism/services?{query}")
        assert prism._violations(httpx.Response(422, request=request), {"validation": [missed]}) == (made, [])
    # Two parameters in one segment (healthcare.gov's /{statename}{mediaTypeExtension}): Prism splits none.
    unsplit = {"location": ["path"], "severity": "Error", "code": "required", "message": "must have 'statename'"}
    for template, made in [("/{statename}{ext}", []), ("/{statename}", ["path (required): must have 'statename'"])]:
        assert prism._violations(httpx.Response(422), {"validation": [unsplit]}, template) == (made, [])

    document = {
        "openapi": "3.0.3",
        "paths": {"/a": {"get": {"responses": {"2XX": {"$ref": "#/components/responses/A"}}}}},
        "components": {
            "responses": {"A": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}},
            "schemas": {"A": {"type": "object", "required": ["x"], "properties": {"x": {"nullable": True}}}},
        },
    }
    operation = SimpleNamespace(path="/a", method="GET")
    assert prism._document_allows(document, operation, httpx.Response(201), b'{"x": null}')
    assert not prism._document_allows(document, operation, httpx.Response(201), b'{"y": 1}')
    assert not prism._document_allows(document, operation, httpx.Response(201), b"not json")
    # A schema with properties and no type is an object's, as the models read it (Azure's sub-resources).
    # A property named "properties" (an Azure resource's) is a name, not the keyword.
    resource = {"properties": {"properties": {"properties": {"id": {"type": "string"}}}}}
    document["components"]["schemas"]["A"] = {"type": "array", "items": resource}
    assert prism._document_allows(document, operation, httpx.Response(200), b'[{"properties": {"id": "/a"}}]')
    assert not prism._document_allows(document, operation, httpx.Response(200), b'["/a/b"]')
    assert not prism._document_allows(document, operation, httpx.Response(200), b'[{"properties": "/a"}]')
    # A schema that extends a discriminated base takes its own tag only, as its class does (Service Fabric's
    # successful batch, whose example, shared with the failed one's status, is tagged Failed).
    base = {"type": "object", "required": ["Kind"], "properties": {"Kind": {"type": "string"}}}
    document["components"]["schemas"] = {
        "A": {"allOf": [{"$ref": "#/components/schemas/Batch"}], "x-ms-discriminator-value": "Successful"},
        "Batch": {**base, "discriminator": {"propertyName": "Kind"}},
    }
    assert prism._document_allows(document, operation, httpx.Response(200), b'{"Kind": "Successful"}')
    assert not prism._document_allows(document, operation, httpx.Response(200), b'{"Kind": "Failed"}')
    document["components"]["schemas"]["Batch"]["discriminator"]["mapping"] = {"ok": "#/components/schemas/A"}
    assert prism._document_allows(document, operation, httpx.Response(200), b'{"Kind": "ok"}')
    assert not prism._document_allows(document, operation, httpx.Response(200), b'{"Kind": "Successful"}')
