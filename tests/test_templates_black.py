"""The client modules are rendered as black writes them, so black makes one pass over each (it formats a
second time whenever its first pass changes anything): every rendered ``.py`` module of the specs below,
including the package's ``__init__``, ``__main__``, ``_client``, ``_spec``, ``testing``, ``webhooks``
and the operation modules. A template that drifts from black's form fails here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.emit.formatting import LINE_LENGTH, format_python
from generator.emit.render import assigned, bracketed, parameter_line, render_package
from generator.errors import Diagnostics
from generator.model.ir import Parameter
from generator.model.normalize import normalize
from generator.model.parse import build_api
from generator.paths import TEMPLATE_DIR
from generator.spec.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
# Between them they take every branch of the client templates: a batch command line, required
# credentials, servers with and without variables, webhooks, pagination styles.
SPECS = [
    ROOT / "specs" / "stackone-lms.yaml",
    ROOT / "tests" / "specs" / "branches.yaml",
    ROOT / "tests" / "specs" / "pagination.yaml",
]
PROVENANCE = {"spec": "0" * 64, "generator": "f" * 64}  # real fingerprints are 64 hex digits


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.stem)
def test_every_client_module_is_rendered_as_black_writes_it(spec: Path) -> None:
    loaded = load_spec(spec)
    api = build_api(normalize(loaded.document), loaded.source, "pkg", Diagnostics(loaded.source))
    texts = render_package(api, TEMPLATE_DIR / "package", "1.0", PROVENANCE)
    modules = {name: text for name, text in texts.items() if name.endswith(".py") and "/models/" not in name}
    assert {"pkg/__init__.py", "pkg/_client.py", "pkg/_spec.py", "pkg/testing.py"} <= set(modules)
    assert [name for name, text in modules.items() if format_python(text, name) != text] == []


def _long_names() -> dict[str, Any]:
    """Operations whose names and return types take every length around the layouts black gives an
    operation's constant (``NAME: OperationSpec[...] =``) and the ``) -> ...:`` line of its methods: a
    model, none, a list, and pages of a model (``Iterator[...]``)."""
    paths: dict[str, Any] = {}
    schemas = {f"Long{'x' * size}": {"type": "object"} for size in (10, 75, 80, 84, 88, 92, 106)}
    page = [{"name": "page", "in": "query", "schema": {"type": "integer"}}]
    page.append({"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 2}})
    for size in range(60, 101, 2):
        for index, schema in enumerate(schemas):
            returned = {"$ref": f"#/components/schemas/{schema}"}
            if index % 3 == 2:
                returned = {"type": "array", "items": returned}
            content = {"application/json": {"schema": returned}}
            operation = {"operationId": f"{'o' * (size - 2)}{index}", "responses": {"200": {"description": "ok"}}}
            if index % 4 != 3:
                operation["responses"]["200"]["content"] = content
            if index % 3 == 2:
                operation["parameters"] = page
            paths[f"/p{size}/{index}"] = {"get": operation}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_long_names_are_laid_out_as_black_lays_them_out(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_long_names()))
    loaded = load_spec(spec)
    api = build_api(normalize(loaded.document), loaded.source, "pkg", Diagnostics(loaded.source))
    texts = render_package(api, TEMPLATE_DIR / "package", "1.0", PROVENANCE)
    modules = {name: text for name, text in texts.items() if "/_endpoints/p" in name}
    assert len(modules) == 21 and any("OperationSpec[\n" in text for text in modules.values())
    assert [name for name, text in modules.items() if format_python(text, name) != text] == []


def _statement(indent: int, text: str) -> str:
    """``text`` as a statement at ``indent`` (nested in functions, so black accepts the indentation)."""
    opening = "".join(f"{' ' * level}def f{level}():\n" for level in range(0, indent, 4))
    return f"{opening}{' ' * indent}{text}\n"


@pytest.mark.parametrize("indent", [0, 8])
@pytest.mark.parametrize("count", [1, 3])
def test_bracketed_lays_out_as_black_around_each_boundary(indent: int, count: int) -> None:
    # Lengths around the two thresholds: the whole line, and the items on a line of their own.
    for total in range(LINE_LENGTH - indent - 30, LINE_LENGTH - indent + 8):
        size = max(1, (total - 30) // count)
        values = [f'"{"x" * size}"' for _ in range(count)]
        calls = [f"name{index}={value}" for index, value in enumerate(values)]
        parameters = [f"name{index}: str = {value}" for index, value in enumerate(values)]
        layouts = (
            ("value = call(", calls, ")"),
            ("def g(", parameters, ") -> None:"),
            ("value = [", values, "]"),  # a literal: never its items on one line of their own
            (f"long_name_{'n' * (total - 50)} = call(", calls, ")"),  # a first line too long: parentheses
        )
        for opening, items, closing in layouts:
            text = _statement(indent, bracketed(indent, opening, items, closing))
            if closing.endswith(":"):
                text += " " * (indent + 4) + "pass\n"
            assert format_python(text, "t.py") == text


@pytest.mark.parametrize("size", [80, 95, 96, 97, 100, 120])
def test_assigned_wraps_a_string_only_where_black_does(size: int) -> None:
    text = _statement(4, assigned(4, "MESSAGE", f'"{"y" * size}"'))
    assert format_python(text, "t.py") == text


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("count", [1, 5, 6, 7, 12])
def test_a_long_literal_parameter_is_split_as_black_splits_it(required: bool, count: int) -> None:
    values = ", ".join(f'"value, {index:04}"' for index in range(count))  # a comma inside a value too
    parameter = Parameter("dim", "dim", "query", required, f"Literal[{values}]", "")
    text = (
        f"def g(\n    self,\n    *,\n    {parameter_line(parameter, 4)}\n    timeout: int = 1,\n) -> None:\n    pass\n"
    )
    assert format_python(text, "t.py") == text


@pytest.mark.parametrize("size", range(50, 95, 3))
def test_a_wrapped_method_is_assigned_as_black_assigns_it(size: int) -> None:
    # In parentheses where then every line fits, else split at the call's own parentheses.
    name = "m" * size
    text = _statement(12, bracketed(12, f"self.{name} = async_streaming_response(", [f"client.{name}"]))
    assert format_python(text, "t.py") == text


def test_a_batch_methods_items_are_laid_out_as_black_lays_them_out(tmp_path: Path) -> None:
    """The async ``items`` annotation, around its boundaries: on the line, in parentheses on a line of its own
    (amazonaws.com's quicksight: ``models.Tag``), split at its ``|``."""
    schemas = {"T" * size: {"type": "object", "properties": {"v": {"type": "string"}}} for size in range(1, 9)}
    paths = {
        f"/tags/{name}": {
            "post": {
                "operationId": f"tag{name}",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["Tags"],
                                "properties": {
                                    "Tags": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}
                                },
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "ok"}},
            }
        }
        for name in schemas
    }
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas},
            }
        )
    )
    loaded = load_spec(spec)
    api = build_api(normalize(loaded.document), loaded.source, "pkg", Diagnostics(loaded.source))
    texts = render_package(api, TEMPLATE_DIR / "package", "1.0", PROVENANCE)
    modules = {name: text for name, text in texts.items() if "/_endpoints/" in name and "_in_batches" in text}
    assert len(modules) >= 1 and sum(text.count("async def tag") for text in modules.values()) >= 16
    assert [name for name, text in modules.items() if format_python(text, name) != text] == []


def test_literals_in_a_call_laid_out_in_parentheses_are_laid_out_as_black_lays_them_out(tmp_path: Path) -> None:
    """An operation whose constant's call goes in parentheses (``NAME: OperationSpec[...] = (``), whose
    styles of query parameters take lines of their own (apple.com's app store: written indented
    twice), one of them too long for its line."""
    array = {"type": "array", "items": {"type": "string"}}
    names = [f"fields[{'f' * 12}{n}]" for n in range(3)] + ["f" * 110]
    joined = [{"name": name, "in": "query", "explode": False, "schema": array} for name in names]
    ok = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tiny"}}}}
    }
    paths = {
        f"/p{size}": {"get": {"operationId": "o" * size, "parameters": joined, "responses": ok}}
        for size in range(40, 90)
    }
    spec = tmp_path / "spec.json"
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    spec.write_text(json.dumps({**document, "components": {"schemas": {"Tiny": {"type": "object"}}}}))
    loaded = load_spec(spec)
    api = build_api(normalize(loaded.document), loaded.source, "pkg", Diagnostics(loaded.source))
    texts = render_package(api, TEMPLATE_DIR / "package", "1.0", PROVENANCE)
    modules = {name: text for name, text in texts.items() if "/_endpoints/" in name and name.endswith(".py")}
    assert any(
        "] = (\n    OperationSpec(\n" in text and "query_styles={\n" in text and '"form",\n' in text
        for text in modules.values()
    )
    assert [name for name, text in modules.items() if format_python(text, name) != text] == []
