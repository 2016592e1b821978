"""Documents broken at random places, reproducibly: the generator ends each with a package or with its
one-line errors (``SpecError``, ``ModelGenerationError``), never with an exception of its own.

Each document is ``branches.yaml`` (every feature) with one to three mutations: a part copied over
another (a parameter where a schema is), a key deleted, or a keyword given an odd value (3.1's boolean
schemas, references to whole maps, types that contradict). What this found, each fixed and kept as a
case of its own elsewhere: a parameter's reference to a schema (a ``KeyError`` in parsing), an enum of
null beside a reference, ``true`` as an ``allOf`` part or a body's schema, 3.0's ``x-webhooks`` read
unchecked, components that are not a map, a reference to a file name with a NUL.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.emit.modelgen import ModelGenerationError
from generator.errors import SpecError
from generator.pipeline import generate

SPEC = Path(__file__).resolve().parent / "specs" / "branches.yaml"
MUTANTS = 300

# Odd values for keywords, each valid somewhere and most of them wrong where they land.
_ODD = {
    "$ref": ["#/components/schemas", "#/paths", "#", "#/info/title", "a\0.json", "x" * 300],
    "allOf": [[True], [False], [{"$ref": "#"}], [], [{"type": "array"}, {"type": "object"}]],
    "oneOf": [[False], [{"type": "string"}, {"type": "string"}]],
    "discriminator": [{"propertyName": "kind"}, {"propertyName": "x", "mapping": {"a": "#/components/schemas"}}, "x"],
    "enum": [[None], [1, "1"], [[]], [{}]],
    "type": [["string", "null"], "null", ["array", "object"], "integer", False],
    "items": [False, True, {}, {"$ref": "#"}],
    "additionalProperties": [False, {"type": "integer"}],
    "patternProperties": [{"^(?=a)": {}}, {"^a+$": False}],
    "pattern": ["^(a+)+$", "(?<=x)y"],
    "minimum": [1e300],
    "multipleOf": [1e-300],
    "content": [{}, 1, {"application/octet-stream": {}}, {"text/event-stream": {}}],
    "in": ["cookie", "querystring", "body"],
    "x-pagination": [{"style": "cursor"}, "page"],
    "security": [[{"nope": []}], [{}]],
    "servers": [[{"url": "{x}"}]],
}


def _places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, (*path, index))


def _mutant(base: dict[str, Any], seed: int) -> tuple[dict[str, Any], list[str]]:
    """``base`` with one to three mutations chosen by ``seed``, and what each was."""
    rng = random.Random(seed)
    document = copy.deepcopy(base)
    done = []
    for _ in range(rng.randint(1, 3)):
        places = list(_places(document))
        path, node = rng.choice(places)
        operation = rng.choice(["copy", "delete", "keyword", "keyword"])
        if operation == "keyword" and isinstance(node, dict):
            key = rng.choice(sorted(_ODD))
            node[key] = copy.deepcopy(rng.choice(_ODD[key]))
            done.append(f"{(*path, key)} = {str(node[key])[:40]}")
        elif path and operation in ("copy", "delete"):
            parent = document
            for key in path[:-1]:
                parent = parent[key]
            if operation == "copy":
                parent[path[-1]] = copy.deepcopy(rng.choice(places)[1])
            else:
                del parent[path[-1]]
            done.append(f"{operation} {path}")
    return document, done


def test_a_broken_document_ends_in_a_package_or_an_error_of_the_generator(tmp_path: Path) -> None:
    base = yaml.safe_load(SPEC.read_text())
    crashes = []
    for seed in range(MUTANTS):
        document, mutations = _mutant(base, seed)
        spec = tmp_path / "spec.json"
        spec.write_text(json.dumps(document, default=str))
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                generate(spec, "mutant")
        except (SpecError, ModelGenerationError):
            pass
        except Exception as error:  # the generator's own failure: what this test is for
            crashes.append(f"seed {seed}, {mutations}: {type(error).__name__}: {error}"[:300])
    assert crashes == []
