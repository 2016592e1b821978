"""Every line separator ``str.splitlines`` knows, in every kind of spec string, next to a code payload.

A step that cut or edited generated source with one line model and applied the
positions with another would shift a rewrite onto a neighbouring line and let a
payload out of its string literal (a description holding U+2028 once did exactly
that). Each spec here is generated, imported, every model is built and every
operation called; none of the payloads may run, and every string must come out
as the spec wrote it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from pydantic import BaseModel
from test_hostile import MARKER, no_marker  # noqa: F401  (the marker, and the autouse fixture that checks it)

from generator.emit import astguard
from generator.emit.formatting import pre_formatted_lines
from generator.errors import SpecError

# What str.splitlines splits at; ast and tokenize end lines only at \n, \r\n and \r.
SEPARATORS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
_RUN = f"__import__('os').system('touch {MARKER}')"
# Payloads for each way out of a literal: double quotes, single quotes, triple quotes, a new line of code.
PAYLOADS = [
    f'AAA"+str({_RUN.replace(chr(39), chr(34))})[:0]+"BBB',
    f"AAA'+str({_RUN})[:0]+'BBB",
    f'"""; {_RUN}; """',
    f"\n{_RUN}\n#",
]


def _name(sep: str) -> str:
    return "+".join(f"U{ord(char):04X}" for char in sep)


def _hostile_spec(sep: str) -> dict[str, Any]:
    p1, p2, p3, p4 = PAYLOADS
    schema = {
        "type": "object",
        "title": f"Thing{sep}{p3}",
        "description": f"one{sep}{p1}{sep}{p2}",
        "properties": {
            f"p{sep}{p1}": {"type": "string", "description": f"x{sep}{p2}", "examples": [f"{p1}{sep}{p2}"]},
            "b": {"type": "string", "description": f"b{sep}b", "examples": [p1]},
            "c": {"type": "string", "description": f"c{sep}c", "examples": [p2]},
            "d": {"type": "string", "default": f"{p2}{sep}{p1}", "examples": [p4]},
            "kind": {"type": "string", "enum": [f"e{sep}{p1}", f"f{sep}{p2}", "plain"], "description": f"k{sep}{p3}"},
        },
    }
    operation = {
        "operationId": f"op{sep}{p2}",
        "tags": [f"tag{sep}{p1}"],
        "summary": f"s{sep}{p3}",
        "description": f"d{sep}{p1}{sep}{p4}",
        "parameters": [
            {
                "name": f"q{sep}{p1}",
                "in": "query",
                "description": f"q{sep}{p2}",
                "schema": {"type": "string", "default": f"{p1}{sep}"},
            },
            {"name": "X-Note", "in": "header", "description": f"h{sep}{p3}", "schema": {"type": "string"}},
        ],
        "requestBody": {
            "required": True,
            "description": f"body{sep}{p3}",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        },
        "responses": {
            "200": {
                "description": f"ok{sep}{p1}",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Seps{sep}{p3}", "version": "1", "description": f"i{sep}{p4}"},
        "tags": [{"name": f"tag{sep}{p1}", "description": f"t{sep}{p2}"}],
        "paths": {"/things": {"post": operation}},
        "components": {"schemas": {"Thing": schema}},
    }


def _call_every_operation(package: Any) -> int:
    testing = importlib.import_module(f"{package.__name__}.testing")
    client = testing.MockAPI().client()
    called = 0
    for name in testing.OPERATIONS:
        method = getattr(client, name)
        required = [p for p in inspect.signature(method).parameters.values() if p.default is inspect.Parameter.empty]
        kwargs = {p.name: testing.load_fixture(name, "request") if p.name == "body" else "1" for p in required}
        method(**kwargs)
        called += 1
    return called


@pytest.mark.parametrize("sep", SEPARATORS, ids=_name)
def test_separators_never_let_a_payload_out(sep: str, import_generated: Any) -> None:
    package = import_generated(_hostile_spec(sep), "hostile_seps")
    for module in pkgutil.walk_packages(package.__path__, prefix="hostile_seps."):
        importlib.import_module(module.name)
    models = [
        value
        for value in (getattr(package.models, name) for name in package.models.__all__)
        if isinstance(value, type) and issubclass(value, BaseModel)
    ]
    assert models
    for model in models:
        model.model_rebuild(force=True)
        assert model.__pydantic_complete__
    thing = package.models.Thing
    fields = {info.alias or name: info for name, info in thing.model_fields.items()}
    # Strings come out exactly as the spec wrote them.
    assert fields["b"].examples == [PAYLOADS[0]]
    assert fields["c"].examples == [PAYLOADS[1]]
    assert fields["d"].default == f"{PAYLOADS[1]}{sep}{PAYLOADS[0]}"
    assert fields[f"p{sep}{PAYLOADS[0]}"].examples == [f"{PAYLOADS[0]}{sep}{PAYLOADS[1]}"]
    kinds = {member.value for member in thing.model_fields["kind"].annotation.__args__[0]}  # Kind | None
    assert kinds == {f"e{sep}{PAYLOADS[0]}", f"f{sep}{PAYLOADS[1]}", "plain"}
    assert _call_every_operation(package) == 1


@pytest.mark.parametrize("sep", SEPARATORS, ids=_name)
def test_separators_in_server_urls_are_refused(sep: str, import_generated: Any) -> None:
    # Every separator here is a control character (C0, C1 or U+2028/9), which no URL can be sent with.
    spec = _hostile_spec(" ")
    spec["servers"] = [{"url": f"https://api.example.com/{sep}{PAYLOADS[0]}"}]
    with pytest.raises(SpecError, match=r"#/servers/0/url: a server URL must not hold a control character"):
        import_generated(spec, "hostile_server")


def test_pre_format_edits_the_lines_tokenize_numbered() -> None:
    # The exploit: U+2028 shifted str.splitlines() by a line, so a quote rewrite meant for
    # line N landed on the same columns of line N-1, inside another string.
    source = (
        "class M:\n"
        '    """one\u2028two"""\n'
        '    c = [\'CCCCCC+str(__import__("os").system("touch X"))[:0]+CCC\']\n'
        '    b = \'AAA"+str(__import__("os").system("touch X"))[:0]+"BBB\'\n'
        "    e = 'plain'\n"
    )
    formatted = "".join(pre_formatted_lines(source, ast.parse(source)))
    astguard.check_formatted("m.py", source, formatted)
    assert formatted.endswith('    e = "plain"\n')


def test_guard_refuses_a_changed_literal_an_extra_statement_and_a_stray_import() -> None:
    meant = 'import typing\n\nclass A:\n    """Doc\n    text."""\n    x: int = 1\n    y = "s"\n'
    astguard.check_formatted("a.py", meant, meant.replace('"""Doc\n    text."""', '"""Doc\n text.  """'))
    for written in (meant.replace('"s"', '"t"'), meant + "print(1)\n", meant.replace('y = "s"', "y = s")):
        with pytest.raises(astguard.UnsafeOutputError):
            astguard.check_formatted("a.py", meant, written)
    split = meant + '__all__ = ["A"]\n'
    astguard.check_split(ast.parse(meant), {"one": split}, {"one": ["A"]})
    with pytest.raises(astguard.UnsafeOutputError):
        astguard.check_split(ast.parse(meant), {"one": split, "two": "import os\n"}, {"one": ["A"], "two": []})
    with pytest.raises(astguard.UnsafeOutputError):
        astguard.check_split(ast.parse(meant), {"one": split.replace("x: int = 1\n", "")}, {"one": ["A"]})
