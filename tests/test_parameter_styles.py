"""Parameters are written as their ``style`` and ``explode`` say (OpenAPI's Style Examples), not as
Python's ``str`` of a list or a dict: Stripe's 1,393 deepObject parameters (``created[gt]=...``) were
sent as ``created=%7B%27gt%27...``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest
from test_fixture_models import posting

from generator.output.writer import write_tree
from generator.pipeline import generate
from generator.runtime._parameters import path_text, query_pairs, simple_text

ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}


@pytest.mark.parametrize(
    ("style", "value", "pairs"),
    [
        (("form", True), "blue", [("color", "blue")]),
        (("form", True), ARRAY, [("color", "blue"), ("color", "black"), ("color", "brown")]),
        (("form", True), OBJECT, [("R", "100"), ("G", "200"), ("B", "150")]),
        (("form", False), ARRAY, [("color", "blue,black,brown")]),
        (("form", False), OBJECT, [("color", "R,100,G,200,B,150")]),
        (("spaceDelimited", False), ARRAY, [("color", "blue black brown")]),
        (("spaceDelimited", False), OBJECT, [("color", "R 100 G 200 B 150")]),
        (("pipeDelimited", False), ARRAY, [("color", "blue|black|brown")]),
        (("deepObject", True), OBJECT, [("color[R]", "100"), ("color[G]", "200"), ("color[B]", "150")]),
        # Left out by the specification; written as Stripe, Rack and qs read them.
        (("deepObject", True), ARRAY, [("color[]", "blue"), ("color[]", "black"), ("color[]", "brown")]),
        (("deepObject", True), {"a": {"b": True, "c": None}}, [("color[a][b]", "true")]),
        (("deepObject", True), {"items": [{"price": "p"}]}, [("color[items][0][price]", "p")]),
        (("deepObject", True), 5, [("color", "5")]),
        (("form", True), None, []),
        (("form", True), {"R": None, "G": False}, [("G", "false")]),
        # What no style writes (sinao's form array of objects) is JSON, never Python's text of it.
        (("form", True), [{"id": 1, "tags": ["a"]}], [("color", '{"id":1,"tags":["a"]}')]),
        (("form", False), {"R": [1, 2]}, [("color", "R,[1,2]")]),
    ],
)
def test_query_pairs_follow_the_style(style: tuple[str, bool], value: Any, pairs: list[tuple[str, str]]) -> None:
    assert query_pairs("color", value, style) == pairs


@pytest.mark.parametrize(
    ("style", "value", "text"),
    [
        (("simple", False), "blue", "blue"),
        (("simple", False), ARRAY, "blue,black,brown"),
        (("simple", False), OBJECT, "R,100,G,200,B,150"),
        (("simple", True), OBJECT, "R=100,G=200,B=150"),
        (("label", False), "blue", ".blue"),
        (("label", False), ARRAY, ".blue,black,brown"),
        (("label", True), ARRAY, ".blue.black.brown"),
        (("label", True), OBJECT, ".R=100.G=200.B=150"),
        (("matrix", False), "blue", ";color=blue"),
        (("matrix", False), ARRAY, ";color=blue,black,brown"),
        (("matrix", True), ARRAY, ";color=blue;color=black;color=brown"),
        (("matrix", False), OBJECT, ";color=R,100,G,200,B,150"),
        (("matrix", True), OBJECT, ";R=100;G=200;B=150"),
        # An item's own delimiters and slashes are quoted: it stays one item of one segment.
        (("simple", False), ["a/b", "c,d"], "a%2Fb,c%2Cd"),
        (("label", True), {"k=": "v."}, ".k%3D=v."),
    ],
)
def test_path_segments_follow_the_style(style: tuple[str, bool], value: Any, text: str) -> None:
    assert path_text("color", value, style) == text


def test_a_model_is_written_as_the_fields_its_caller_set_by_wire_name() -> None:
    class Range(pydantic.BaseModel):
        greater_than: int | None = pydantic.Field(None, alias="gt")
        less_than: int | None = pydantic.Field(None, alias="lt")

    assert query_pairs("created", Range(gt=1), ("deepObject", True)) == [("created[gt]", "1")]
    assert simple_text(Range(gt=1, lt=2), explode=True) == "gt=1,lt=2"


def _parameter(name: str, where: str, schema: dict[str, Any], **style: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "schema": schema, **style}


def test_a_generated_client_sends_each_parameter_in_its_style(tmp_path: Path) -> None:
    strings = {"type": "array", "items": {"type": "string"}}
    created = {"anyOf": [{"type": "object", "properties": {"gt": {"type": "integer"}}}, {"type": "integer"}]}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Styles", "version": "1"},
        "paths": {
            "/charges/{ids}/{filter}": {
                "get": {
                    "operationId": "listCharges",
                    "parameters": [
                        _parameter("ids", "path", strings, style="label", explode=True),
                        _parameter("filter", "path", {"type": "object"}, style="matrix", explode=True),
                        _parameter("created", "query", created, style="deepObject", explode=True),
                        _parameter("expand", "query", strings, style="deepObject", explode=True),
                        _parameter("tags", "query", strings, style="pipeDelimited"),
                        _parameter("fields", "query", strings, explode=False),
                        _parameter("at", "query", {"type": "object", "additionalProperties": {"type": "string"}}),
                        _parameter("X-Ids", "header", strings),
                        _parameter("X-Point", "header", {"type": "object"}, explode=True),
                    ],
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    write_tree(generate(tmp_path / "spec.json").files, tmp_path / "out")
    script = """
import sys
sys.path.insert(0, sys.argv[1])
from styles.testing import MockAPI
mock = MockAPI()
mock.client().list_charges(
    ids=["a", "b/c"], filter={"k": "v"}, created={"gt": 1}, expand=["customer", "invoice"],
    tags=["x", "y"], fields=["id", "amount"], at={"lat": "1", "lon": "2"}, x_ids=["1", "2"],
    x_point={"x": 1, "y": 2},
)
request = mock.calls[-1].request
print(request.url.raw_path.decode())
print(request.headers["X-Ids"])
print(request.headers["X-Point"])
"""
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    path, header, point = result.stdout.splitlines()
    assert path == (
        "/charges/.a.b%2Fc/;k=v?created%5Bgt%5D=1&expand%5B%5D=customer&expand%5B%5D=invoice"
        "&tags=x%7Cy&fields=id%2Camount&lat=1&lon=2"
    )
    assert (header, point) == ("1,2", "x=1,y=2")


def test_dates_times_and_uuids_are_typed_and_sent_as_iso_8601(tmp_path: Path) -> None:
    # Datadog's ``start_month`` (a date-time "precise to month") and ``app_id`` (a uuid) were ``str`` only;
    # a datetime given is sent as ISO 8601, never as ``str()`` writes it (a space for its ``T``).
    def formatted(name: str, place: str, form: str, **more: Any) -> dict[str, Any]:
        return _parameter(name, place, {"type": "string", "format": form}, **more)

    days = {"type": "array", "items": {"type": "string", "format": "date"}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Dated", "version": "1"},
        "paths": {
            "/apps/{app_id}": {
                "get": {
                    "operationId": "getApp",
                    "parameters": [
                        formatted("app_id", "path", "uuid"),
                        formatted("start", "query", "date-time", required=True),
                        formatted("day", "query", "date"),
                        _parameter("days", "query", days, explode=False),
                        formatted("X-Since", "header", "date-time"),
                    ],
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    source = package.files["dated/_endpoints/apps.py"].decode()
    assert "app_id: UUID | str," in source and "start: datetime.datetime | str," in source
    assert "day: datetime.date | str | None = None," in source and "days: list[datetime.date | str] | None" in source
    write_tree(package.files, tmp_path / "out")
    script = """
import datetime, sys, uuid
sys.path.insert(0, sys.argv[1])
from dated.testing import MockAPI
mock = MockAPI()
client = mock.client()
utc = datetime.timezone.utc
client.get_app(
    app_id=uuid.UUID(int=1), start=datetime.datetime(2024, 5, 1, 12, 30, tzinfo=utc), day=datetime.date(2024, 5, 2),
    days=[datetime.date(2024, 5, 3), "2024-05-04"], x_since=datetime.datetime(2024, 5, 1, tzinfo=utc),
)
client.get_app(app_id="65bb1f25", start="2024-05")
for call in mock.calls:
    print(call.request.url.raw_path.decode(), call.request.headers.get("X-Since"))
"""
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "/apps/00000000-0000-0000-0000-000000000001?start=2024-05-01T12%3A30%3A00%2B00%3A00&day=2024-05-02"
        "&days=2024-05-03%2C2024-05-04 2024-05-01T00:00:00+00:00",
        "/apps/65bb1f25?start=2024-05 None",
    ]


def test_a_content_type_header_parameter_is_left_out_for_the_bodys_media_type(tmp_path: Path) -> None:
    # spoonacular's: OpenAPI says to ignore it; its argument was replaced by the body's media type, and
    # in lower case it went beside it, two Content-Type headers.
    choices = {"type": "string", "enum": ["application/json", "multipart/form-data"]}
    body = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
    operation = {
        "operationId": "detect",
        "parameters": [_parameter("content-type", "header", choices), _parameter("X-Trace", "header", choices)],
        "requestBody": body,
        "responses": {"204": {"description": "done"}},
    }
    # Without a body it is sent as the document asks (Telstra's GETs require one).
    peek = {"operationId": "peek", "parameters": operation["parameters"][:1], "responses": operation["responses"]}
    paths = {"/detect": {"post": operation}, "/peek": {"get": peek}}
    spec = {"openapi": "3.1.0", "info": {"title": "Typed", "version": "1"}, "paths": paths}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json")
    source = package.files["typed/_endpoints/detect.py"].decode()
    assert "content_type: " not in source and "x_trace: " in source
    assert "content_type: " in package.files["typed/_endpoints/peek.py"].decode()
    assert any("header content-type is the body's media type (OpenAPI: ignored)" in note for note in package.notes)


def test_form_fields_follow_their_encoding_and_a_multipart_object_is_json(tmp_path: Path) -> None:
    # Stripe's forms: objects and the expand list are deepObjects by their Encoding Objects.
    address = {"type": "object", "properties": {"city": {"type": "string"}, "line": {"type": "string"}}}
    fields = {
        "type": "object",
        "properties": {
            "address": address,
            "expand": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "plain": address,
        },
    }
    deep = {"style": "deepObject", "explode": True}

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Forms", "version": "1"},
        "paths": {
            "/form": posting(
                "sendForm",
                "application/x-www-form-urlencoded",
                {"schema": fields, "encoding": {"address": deep, "expand": deep}},
            ),
            "/multipart": posting("sendParts", "multipart/form-data", {"schema": fields}),
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    write_tree(generate(tmp_path / "spec.json").files, tmp_path / "out")
    script = """
import sys
sys.path.insert(0, sys.argv[1])
from forms.testing import MockAPI
mock = MockAPI()
client = mock.client()
body = {"address": {"city": "Paris", "line": None}, "expand": ["a", "b"], "tags": ["x", "y"], "plain": {"city": "Oslo"}}
client.send_form(body=body)
print(mock.calls[-1].request.content.decode())
client.send_parts(body=body)
print(mock.calls[-1].request.content.decode().replace("\\r\\n", "|"))
"""
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    form, parts = result.stdout.splitlines()
    assert form == "address%5Bcity%5D=Paris&expand%5B%5D=a&expand%5B%5D=b&tags=x&tags=y&city=Oslo"
    assert 'name="address"|Content-Type: application/json||{"city": "Paris", "line": null}|' in parts
    assert 'name="tags"||x|' in parts and 'name="tags"||y|' in parts
