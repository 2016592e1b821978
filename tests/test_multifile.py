"""Specs split over several files, with relative $refs inside the spec's folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from generator.output import manifest
from generator.output.writer import write_tree
from generator.pipeline import generate

FILES = {
    "api.yaml": """
openapi: 3.0.3
info: {title: Multi, version: "1"}
paths:
  /things:
    get:
      parameters:
        - $ref: 'params.yaml#/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'schemas/thing.yaml'
""",
    "params.yaml": "limit:\n  name: limit\n  in: query\n  schema: {type: integer}\n",
    "schemas/thing.yaml": """
type: object
properties:
  name: {type: string, nullable: true}
  parts:
    type: array
    items:
      $ref: 'common.yaml#/components/schemas/Part'
""",
    "schemas/common.yaml": """
components:
  schemas:
    Part:
      type: object
      properties:
        id: {type: integer}
        child: {$ref: '#/components/schemas/Part'}
""",
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root / "api.yaml"


def test_relative_refs_across_files(tmp_path: Path, monkeypatch: Any) -> None:
    spec = _write(tmp_path / "spec", FILES)
    write_tree(generate(spec).files, tmp_path / "out")
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    multi = __import__("multi")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"name": None, "parts": [{"id": 1, "child": {"id": 2}}]})

    client = multi.Client(
        base_url="https://multi.example", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    thing = client.get_things(limit=5)
    assert thing.parts[0].child.id == 2 and thing.name is None
    assert seen[0].url.params["limit"] == "5"


def _generate(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", str(spec), "--out", str(out)], capture_output=True, text=True, check=False
    )


def test_refs_outside_the_folder_remote_refs_and_missing_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("type: string\n")
    cases = {
        "../secret.yaml": "leaves the spec's folder",
        "https://example.com/schema.yaml": "remote reference",
        "missing.yaml": "does not exist",
        "../params.yaml#/nope": "points to nothing",
        "..%2F..%2Fsecret.yaml": "leaves the spec's folder",  # percent-encoded, read as the path it spells
        "../params.yaml#/limit%2Fname": "points to nothing",  # %2F is a key's slash, not a separator
    }
    for ref, message in cases.items():
        files = {**FILES, "schemas/thing.yaml": f"$ref: '{ref}'\n".replace("'../secret.yaml'", "'../../secret.yaml'")}
        spec = _write(tmp_path / "spec", files)
        result = _generate(spec, tmp_path / "out")
        assert result.returncode == 2, ref
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_unquoted_yaml_status_codes_read_as_strings(tmp_path: Path, monkeypatch: Any) -> None:
    spec = _write(
        tmp_path / "spec",
        {"api.yaml": """
openapi: 3.0.3
info: {title: Ints, version: "1"}
paths:
  /things:
    get:
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
        404:
          description: missing
"""},
    )
    write_tree(generate(spec).files, tmp_path / "out")
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    ints = __import__("ints")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"name": "x"}))
    client = ints.Client(base_url="https://ints.example", http_client=httpx.Client(transport=transport))
    assert client.get_things().name == "x"


def _answering(package: Any, body: Any) -> Any:
    """A client of ``package`` that every request answers with ``body``."""
    answer = httpx.Response(200, json=body)
    return package.Client(
        base_url="http://test", http_client=httpx.Client(transport=httpx.MockTransport(lambda _: answer))
    )


def test_component_schemas_before_paths_may_refer_to_other_files(tmp_path: Path, monkeypatch: Any) -> None:
    """Schemas imported while components/schemas is walked (and after, from paths) all land in it."""
    spec = _write(
        tmp_path,
        {
            "api.yaml": """
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: 'people.yaml#/Person'}}}
info: {title: Ordered, version: "1"}
openapi: 3.1.0
paths:
  /pets:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: 'people.yaml#/Pets'}}}}
""",
            "people.yaml": "Person: {type: object, properties: {id: {type: integer}}}\n"
            "Pets: {type: array, items: {$ref: 'api.yaml#/components/schemas/Pet'}}\n",
        },
    )
    write_tree(generate(spec).files, tmp_path / "out")
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    import ordered

    client = _answering(ordered, [{"owner": {"id": 1}}])
    assert client.get_pets() == [ordered.models.Pet(owner=ordered.models.Person(id=1))]


def test_percent_encoded_pointers_name_the_keys_they_encode(tmp_path: Path, monkeypatch: Any) -> None:
    """A pointer in a URI fragment may be percent-encoded (RFC 6901): ``Foo%20Bar`` is the schema ``Foo Bar``,
    in this file, in a discriminator's mapping and in another file. Renamed ``FooBar``, the schema left
    the references written so pointing nowhere (an internal error)."""
    spec = _write(
        tmp_path,
        {
            "api.yaml": """
openapi: 3.0.3
info: {title: Encoded, version: "1"}
paths:
  /pets:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Foo%20Bar'}}}}
components:
  schemas:
    Foo Bar:
      type: object
      properties:
        kind: {type: string}
        owner: {$ref: 'people.yaml#/a~1b%7Bc%7D'}
        pet: {$ref: '#/components/schemas/Pet%20Kind'}
    Pet Kind:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat%20Pet'}}
    Cat Pet:
      allOf: [{$ref: '#/components/schemas/Pet%20Kind'}, {properties: {purrs: {type: boolean}}}]
""",
            "people.yaml": "a/b{c}: {type: object, properties: {id: {type: integer}}}\n",
        },
    )
    write_tree(generate(spec).files, tmp_path / "out")
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    import encoded

    found = _answering(encoded, {"owner": {"id": 1}, "pet": {"kind": "cat", "purrs": True}}).get_pets()
    assert isinstance(found, encoded.models.FooBar) and found.owner == encoded.models.ABC(id=1), found
    assert isinstance(found.pet, encoded.models.CatPet) and found.pet.purrs is True, found


def test_a_schema_s_anchor_names_it_here_and_in_another_file(tmp_path: Path, monkeypatch: Any) -> None:
    """JSON Schema 2020-12's ``$anchor``: ``#thing`` names the schema whose ``$anchor`` is ``thing`` (a value in an
    example is data, no anchor). It pointed to nothing: the document was refused."""
    api = """
openapi: 3.1.0
info: {title: Anchored, version: "1"}
paths:
  /things:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#thing'}}}}
components:
  schemas:
    Thing:
      $anchor: thing
      type: object
      properties:
        child: {$ref: '#thing'}
        owner: {$ref: 'people.yaml#person'}
      example: {$anchor: person}
"""
    spec = _write(
        tmp_path, {"api.yaml": api, "people.yaml": "Person: {$anchor: person, properties: {id: {type: integer}}}\n"}
    )
    write_tree(generate(spec).files, tmp_path / "out")
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    import anchored

    assert _answering(anchored, {"child": {"owner": {"id": 2}}}).get_things().child == anchored.models.Thing(
        owner=anchored.models.Person(id=2)
    )
    twice = api.replace("      example: {$anchor: person}\n", "    Other: {$anchor: thing}\n")
    # "#components" names no key: it is an anchor, which no schema has.
    for index, (text, message) in enumerate(
        (
            (twice, "anchor 'thing' names 2 schemas"),
            (api.replace("'#thing'}}}}", "'#components'}}}}"), "anchor 'components' is the $anchor of no schema"),
        )
    ):
        result = _generate(
            _write(tmp_path / f"wrong{index}", {"api.yaml": text, "people.yaml": "Person: {}\n"}), tmp_path / "x"
        )
        assert (
            result.returncode == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1
        ), result.stderr


ALIASED = """
openapi: 3.0.3
info: {title: Aliased, version: "1"}
paths:
  /things:
    get:
      parameters:
        - &limit {name: limit, in: query, schema: {type: integer, nullable: true}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: &thing
                type: object
                properties:
                  name: {type: string, nullable: true}
                  size: {type: string, enum: [small, large]}
  /others:
    get:
      parameters: [*limit]
      responses:
        '200': {description: ok, content: {application/json: {schema: *thing}}}
"""


def test_what_yaml_aliases_share_is_read_as_if_written_out_in_each_place(tmp_path: Path) -> None:
    """The document is rewritten in place from bundling on, each place its own way (an inline schema is
    hoisted under a name of its place): an object a YAML alias puts in two places is two objects."""
    inline = (
        "{type: object, properties: {name: {type: string, nullable: true}, size: {type: string, enum: [small, large]}}}"
    )
    expanded = ALIASED.replace("[*limit]", "[{name: limit, in: query, schema: {type: integer, nullable: true}}]")
    expanded = expanded.replace("schema: *thing", f"schema: {inline}")
    packages = []
    for name, text in (("aliased", ALIASED), ("expanded", expanded)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "api.yaml").write_text(text)
        files = generate(tmp_path / name / "api.yaml").files
        # The package says which document it was made from: those differ.
        made_from = json.loads(files.pop(manifest.NAME))["inputs"].encode()
        packages.append({path: content.replace(made_from, b"<spec>") for path, content in files.items()})
    assert packages[0] == packages[1]
    assert any("others" in path for path in packages[0])
