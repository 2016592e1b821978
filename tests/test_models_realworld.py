"""Model-side defects real documents showed (issue 10), each as the smallest spec that shows it.

A generated client counts only if every module imports, every model is complete,
every operation can be called through the package's own MockAPI with its
fixtures, and mypy --strict passes.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.emit.formatting import format_python
from generator.emit.modelsplit import split_models
from generator.errors import SpecError
from generator.output.writer import write_tree
from generator.pipeline import GeneratedPackage, generate
from generator.spec.loader import parse_text


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _get(operation_id: str, schema: Any, tag: str = "default") -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "tags": [tag],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
        }
    }


# Each schema is the smallest form of one defect; the comments name it.
REAL: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Real", "version": "1"},
    "paths": {
        # A default naming an enum that sorts after the model (NameError at import).
        "/comments": _get("getComment", _ref("Comment")),
        # Inherited fields naming classes only _shared imports (models never fully defined).
        "/dogs": _get("getDog", _ref("Dog"), tag="dogs"),
        "/cats": _get("getCat", _ref("Cat"), tag="cats"),
        # __pydantic_extra__ naming a class of another module; a recursive type alias.
        "/trees": _get("getTree", _ref("Tree"), tag="trees"),
        "/leaves": _get("getLeaf", _ref("Leaf"), tag="leaves"),
        # allOf overrides that narrow a field's type (mypy).
        "/children": _get("getChild", _ref("Child")),
        # Boolean schemas.
        "/anything": _get("getAnything", True),
        # An example written as a string of JSON, for a schema with properties but no type.
        "/invoices": _get("getInvoice", _ref("Invoice")),
        "/charges": _get("getCharge", _ref("Charge")),
        # Two operations whose requests are alike (Box's "/shared_items#folders": a path's fragment is
        # no part of a request): the mock answered both with the first one's fixture.
        "/shared": _get("getSharedFile", {"type": "object", "required": ["file"], "properties": {"file": {}}}),
        "/shared#folders": _get(
            "getSharedFolder", {"type": "object", "required": ["folder"], "properties": {"folder": {}}}
        ),
        # A JSON answer whose one example is null, and no schema (the mock sent no body for it).
        "/nothing": {
            "get": {
                "operationId": "getNothing",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"examples": {"none": {"value": None}}}},
                    }
                },
            }
        },
        "/competitions": {
            "get": {
                "operationId": "getCompetition",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"properties": {"id": {"type": "string"}}, "required": ["id"]},
                                "examples": {"one": {"$ref": "#/components/examples/Competition"}},
                            }
                        },
                    }
                },
            }
        },
        "/things": {
            "post": {
                "operationId": "makeThing",
                "requestBody": {
                    "required": True,
                    "content": {
                        # A vendor's example that does not fit its own schema.
                        "application/json": {"schema": _ref("Thing"), "example": {"id": "string", "n": 0}}
                    },
                },
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("Thing")}}}},
            }
        },
        "/upload": {
            "put": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                },
                "responses": {"204": {"description": "done"}},
            }
        },
    },
    "components": {
        "examples": {"Competition": {"value": '{"id": "OB_TY1733"}'}},
        "schemas": {
            "Comment": {
                "type": "object",
                "properties": {
                    "side": {"allOf": [_ref("CommentSide")], "default": "right"},
                    "word": _ref("StrWords"),
                    "kind": {"const": "x", "type": ["string", "null"]},
                },
            },
            "CommentSide": {"type": "string", "enum": ["left", "right"]},
            # Members named after str methods.
            "StrWords": {"type": "string", "enum": ["count", "title", "index", "format"]},
            "Animal": {
                "type": "object",
                "properties": {
                    "owner": _ref("Owner"),
                    "tags": {"type": "object", "additionalProperties": _ref("Owner")},
                    "seen": {"type": "string", "format": "date-time"},
                    # An alias of a class defined later: Annotated[Owner, Field(alias=...)], read in the
                    # subclasses' modules too (Field among its names).
                    "formerOwner": _ref("Owner"),
                },
            },
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Dog": {"allOf": [_ref("Animal"), {"type": "object", "properties": {"bark": {"type": "boolean"}}}]},
            "Cat": {"allOf": [_ref("Animal"), {"type": "object", "properties": {"lives": {"type": "integer"}}}]},
            "Tree": {"anyOf": [{"type": "array", "items": _ref("Tree")}, {"type": "integer"}, _ref("Leaf")]},
            "Leaf": {
                "type": "object",
                "properties": {"v": {"type": "integer"}},
                "additionalProperties": _ref("Tree"),
            },
            "Base": {
                "type": "object",
                "properties": {
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "size": {"type": "integer", "description": "A size, described at such length that the line wraps."},
                },
            },
            "Child": {
                "allOf": [
                    _ref("Base"),
                    {
                        "type": "object",
                        "properties": {
                            "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                            "size": {
                                "type": "string",
                                "description": "Now a string, with a pattern so long that black splits the line.",
                                "maxLength": 40,
                                "pattern": "^(small|medium|large|extra-large|extra-extra-large|enormous|gigantic)$",
                            },
                        },
                    },
                ]
            },
            "Thing": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "n"],
                "properties": {
                    "id": {"type": "string", "pattern": "^acct_[A-Za-z0-9]{4,}$"},
                    "n": {"type": "integer", "minimum": 3, "maximum": 9, "multipleOf": 2},
                    "when": {"type": "string", "format": "date-time"},
                    "code": {"type": "string", "minLength": 2, "maxLength": 4},
                    # Named types used twice become pydantic-core definitions, which must keep their names.
                    "since": _ref("Stamp"),
                    "until": _ref("Stamp"),
                    "level": _ref("Level"),
                    "rank": _ref("Level"),
                },
            },
            # An inline schema named after its property takes a component's name (Stripe's charge.invoice).
            "Charge": {
                "type": "object",
                "properties": {"invoice": {"anyOf": [{"type": "string", "maxLength": 50}, _ref("Invoice")]}},
            },
            "Invoice": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "Stamp": {"type": "string", "format": "date-time"},
            "Level": {"type": "number", "minimum": 1},
            "Anything": True,
            "Nothing": False,
        },
    },
}


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False)


def _probe(out: Path, script: str) -> None:
    """Run ``script`` in a fresh interpreter beside the package; it must print ok."""
    result = _run(out, "-c", script)
    assert result.stdout.strip().endswith("ok"), result.stdout + result.stderr


def _probe_mock(out: Path, package: str, script: str) -> None:
    """:func:`_probe` with ``mock`` (the package's MockAPI) and ``client`` (a client of it) made for ``script``."""
    _probe(out, f"from {package}.testing import MockAPI\nmock = MockAPI()\nclient = mock.client()\n{script}")


def _generate(tmp_path: Path, spec: dict[str, Any]) -> tuple[GeneratedPackage, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec))
    package = generate(spec_path)
    write_tree(package.files, tmp_path / "out")
    return package, tmp_path / "out"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[GeneratedPackage, Path]:
    return _generate(tmp_path_factory.mktemp("real"), REAL)


# Imports every module, builds every model (pydantic's own completeness, and the type
# hints every module's names must resolve), then calls every operation through MockAPI.
# Subclasses are built before their bases (group modules before _shared, later classes
# first), as a client's first call may do: a built base would hide a subclass's defect.
_WORKS = """
import importlib, inspect, pkgutil, typing
import pydantic
from typing_extensions import TypeAliasType

package = importlib.import_module({package!r})
modules = [importlib.import_module(info.name) for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for module in sorted(modules, key=lambda module: module.__name__.endswith("._shared")):
    if ".models." not in module.__name__:
        continue
    for name, value in reversed(list(vars(module).items())):
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel) and value.__module__ == module.__name__:
            value.model_rebuild(raise_errors=True)
            assert value.__pydantic_complete__, name
            typing.get_type_hints(value)
        elif isinstance(value, TypeAliasType):
            pydantic.TypeAdapter(value).validate_python
from {package}._endpoints import OPERATIONS
from {package}.testing import MockAPI, load_fixture

client = MockAPI().client()
for name, operation in OPERATIONS.items():
    method = getattr(client, name)
    arguments = {{}}
    if "body" in inspect.signature(method).parameters:
        arguments["body"] = load_fixture(name, "request")
    method(**arguments)
print("ok")
"""


def test_every_module_imports_every_model_is_complete_and_every_operation_answers(
    real: tuple[GeneratedPackage, Path],
) -> None:
    package, out = real
    _probe(out, _WORKS.format(package=package.package))


def test_the_package_passes_mypy_strict(real: tuple[GeneratedPackage, Path]) -> None:
    package, out = real
    result = _run(out, "-m", "mypy", "--strict", "--config-file", "/dev/null", package.package)
    assert result.returncode == 0, result.stdout


def test_enum_members_avoid_str_methods_and_defaults_follow_their_enum(real: tuple[GeneratedPackage, Path]) -> None:
    package, out = real
    _probe(
        out,
        f"""
from {package.package}.models import Comment, CommentSide, StrWords
assert StrWords("count") is StrWords.count_ and StrWords.title_.value == "title"
assert Comment().side is CommentSide.right
print("ok")
""",
    )


def test_an_example_that_does_not_fit_is_replaced_with_a_warning_naming_it(real: tuple[GeneratedPackage, Path]) -> None:
    package, out = real

    # Long pointers are shortened in the middle: their start and end name the example.
    def warned(start: str, end: str, reason: str) -> bool:
        return any(start in warning and end + ":" in warning and reason in warning for warning in package.warnings)

    assert warned("#/paths/~1things", "/application~1json/example", "does not match '^acct_")
    # An example kept in components/examples is read (and checked) too.
    assert warned("#/paths/~1competitions", "/application~1json/examples/one/value", "is not of type 'object'")
    fixture = json.loads((out / package.package / "fixtures/make_thing/request.json").read_text())
    assert fixture["id"].startswith("acct_") and fixture["n"] in (4, 6, 8)
    assert (out / package.package / "fixtures/upload/request.bin").read_bytes() == b"example"


def test_responses_are_typed_but_not_held_to_constraints_while_requests_are(
    real: tuple[GeneratedPackage, Path],
) -> None:
    package, out = real
    _probe_mock(
        out,
        package.package,
        f"""
import datetime
from {package.package}.errors import RequestValidationError
sent = {{"id": "nope", "n": 99, "when": "yesterday", "code": "toolong", "extra": 1, "since": "then", "level": 0}}
mock.respond("make_thing", json=sent)
thing = client.make_thing(body={{"id": "acct_abcd", "n": 4}})
assert (thing.id, thing.n, thing.when, thing.code) == ("nope", 99, "yesterday", "toolong"), thing
assert (thing.since, thing.level) == ("then", 0), thing
assert thing.model_extra == {{"extra": 1}}
mock.respond("make_thing", json={{"id": "acct_abcd", "n": 4, "when": "2024-01-01T00:00:00Z"}})
assert isinstance(client.make_thing(body={{"id": "acct_abcd", "n": 4}}).when, datetime.datetime)
try:
    client.make_thing(body=sent)
except RequestValidationError:
    print("ok")
""",
    )


def test_documents_without_schemas_or_operations_generate(tmp_path: Path) -> None:
    for index, paths in enumerate([{}, {"/ping": {"get": {"responses": {"204": {"description": "pong"}}}}}]):
        spec = {"openapi": "3.1.0", "info": {"title": f"Bare{index}", "version": "1"}, "paths": paths}
        package, out = _generate(tmp_path / str(index), spec)
        _probe(out, _WORKS.format(package=package.package))


def test_definitions_are_ordered_by_what_they_need_at_import() -> None:
    source = """from enum import Enum
class A(B):
    side: C = C.right
class B:
    pass
class C(Enum):
    right = "right"
D = list[A]
"""
    modules = split_models(source, {"g": {"D"}}, {"g": "G.", "_shared": "S."})
    order = [line.split("(")[0].split(":")[0].split(" =")[0] for line in modules.sources["g"].splitlines()]
    defined = [name.removeprefix("class ") for name in order if name.startswith("class ") or name == "D"]
    assert defined == ["B", "C", "A", "D"]
    with pytest.raises(RuntimeError, match="need each other at import"):
        split_models("class A(B):\n    pass\nclass B(A):\n    pass\n", {}, {"_shared": "S."})


def test_yaml_is_read_with_json_types() -> None:
    document = parse_text("spec.yaml", "a: 1981-12-15\nb: yes\nc: 012\nd: 1:30\ne: 0x1F\nf: ~\ng: 1e3\nh: true\n")
    assert document == {"a": "1981-12-15", "b": "yes", "c": 12, "d": "1:30", "e": 31, "f": None, "g": 1000.0, "h": True}


_FRAGMENTS = {
    "api.yaml": """
openapi: 3.0.3
info: {title: Frag, version: "1"}
paths:
  /tree:
    $ref: 'paths.yaml#/tree'
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'pets.yaml#/Pet'}
""",
    # A schema that refers to itself, not under components/schemas.
    "paths.yaml": """
tree:
  get:
    responses:
      '200':
        description: ok
        content:
          application/json:
            schema: {$ref: '#/defs/Node'}
defs:
  Node:
    type: object
    properties:
      children: {type: array, items: {$ref: '#/defs/Node'}}
""",
    # A discriminator mapping into other files.
    "pets.yaml": """
Pet:
  oneOf: [{$ref: '#/Cat'}, {$ref: 'dog.yaml'}]
  discriminator:
    propertyName: kind
    mapping: {cat: '#/Cat', dog: 'dog.yaml'}
Cat:
  type: object
  required: [kind]
  properties:
    kind: {type: string}
    friend: {$ref: '#/Pet'}
""",
    "dog.yaml": "type: object\nrequired: [kind]\nproperties:\n  kind: {type: string}\n",
}


def test_multi_file_fragments_anywhere_cycles_included(tmp_path: Path) -> None:
    for name, text in _FRAGMENTS.items():
        (tmp_path / "spec" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "spec" / name).write_text(text)
    package = generate(tmp_path / "spec" / "api.yaml")
    write_tree(package.files, tmp_path / "out")
    _probe(tmp_path / "out", _WORKS.format(package=package.package))
    # An object other than a schema that contains itself cannot be copied in: a clean error.
    (tmp_path / "spec" / "paths.yaml").write_text("tree:\n  $ref: '#/tree'\n")
    with pytest.raises(SpecError, match="contains itself"):
        generate(tmp_path / "spec" / "api.yaml")


def test_the_splitter_leaves_the_tree_the_guard_then_reads_as_it_was() -> None:
    # The pipeline parses the model generator's module once, for the split and then the guard's check:
    # a split that changed the tree would change what its output is held to.
    source = 'from pydantic import BaseModel\nfrom typing_extensions import TypeAliasType\n\n\nclass A(BaseModel):\n    """Doc."""\n    x: int = 1\n    y: str = \'s\'\n\n\nB = TypeAliasType("B", A | None)\n'
    tree = ast.parse(source)
    before = ast.dump(tree, include_attributes=True)
    split_models(source, {"g": {"A", "B"}}, {"g": "G.", "_shared": "S."}, tree=tree)
    assert ast.dump(tree, include_attributes=True) == before


def _union(*members: str, **discriminator: Any) -> dict[str, Any]:
    return {"oneOf": [_ref(member) for member in members], "discriminator": {"propertyName": "type", **discriminator}}


def _base(prop: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {prop: {"type": "string"}},
        "discriminator": {"propertyName": prop},
    }


# Unions whose discriminator a member's own schema contradicts (Linode's document): the model generator
# would fix each member's property to its tag, and the client refuse the member wherever it is used.
CONTRADICTED: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Tags", "version": "1"},
    "paths": {
        "/domains": _get("getDomain", _ref("Domain")),
        "/linodes": _get("getLinode", _ref("Linode")),
        "/tagged": _get("getTagged", _ref("Tagged")),
        "/pets": _get("getPet", _ref("Pet")),
        "/repositories": _get("getRepository", _ref("repository")),
        # An example whose subject carries no tag (Azure's protection intents): the fixture is made instead.
        "/hooks": {
            "get": {
                "operationId": "getHook",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"properties": {"subject": _ref("object")}},
                                "example": {"subject": {"head": "main"}},
                            }
                        },
                    }
                },
            }
        },
        "/selectors": _get("getSelector", _ref("selector")),
        "/reviews": _get("getReviews", _ref("Reviews")),
    },
    "components": {
        "schemas": {
            # Tagged "Domain" by its name, but its type is master or slave.
            "Domain": {"type": "object", "properties": {"type": {"enum": ["master", "slave"]}}},
            # Tagged "Linode", but its type is a plan's name, as its example says.
            "Linode": {"type": "object", "properties": {"type": {"type": "string", "example": "g6-standard-1"}}},
            "Volume": {"type": "object", "properties": {"size": {"type": "integer"}}},
            "Tagged": {
                "type": "object",
                "properties": {"domain": _union("Volume", "Domain"), "linode": _union("Linode", "Volume")},
            },
            # Tags the members agree with: kept.
            "Pet": _union("Cat", "Dog", mapping={"cat": "#/components/schemas/Cat", "dog": "Dog"}),
            "Cat": {"type": "object", "properties": {"type": {"enum": ["cat"]}}, "required": ["type"]},
            "Dog": {"type": "object", "properties": {"type": {"type": "string", "example": "dog"}}},
            # Bitbucket's: bases told apart by the schemas that extend them, tagged by their names.
            "object": _base("type"),
            "repository": {"allOf": [_ref("object"), {"properties": {"name": {"type": "string"}}}]},
            "branch": {"allOf": [_ref("object"), {"properties": {"head": {"type": "string"}}}]},
            "target": _base("kind"),
            "selector": {"allOf": [_ref("target"), {"properties": {"kind": {"enum": ["branches", "tags"]}}}]},
            # Zalando's pages: told apart by their content, a list.
            "Page": {
                "type": "object",
                "properties": {"content": {"type": "array", "items": {}}},
                "discriminator": {"propertyName": "content"},
            },
            "Reviews": {"allOf": [_ref("Page"), {"properties": {"content": {"type": "array", "items": _ref("Dog")}}}]},
        }
    },
}


def test_a_discriminator_its_members_contradict_is_dropped_with_a_warning(tmp_path: Path) -> None:
    package, out = _generate(tmp_path, CONTRADICTED)
    dropped = [warning for warning in package.warnings if "discriminator is dropped" in warning]
    assert len(dropped) == 4, package.warnings
    assert "#/components/schemas/Domain: its type is never 'Domain'" in dropped[0]
    assert "'master', 'slave'" in dropped[0] and "its example is 'g6-standard-1'" in dropped[1]
    assert "#/components/schemas/selector: its kind is never 'selector'" in dropped[3]
    assert "#/components/schemas/Reviews: its content is never 'Reviews' (it is of type array)" in dropped[2]
    assert any("example does not fit its schema ('type' is a required property" in w for w in package.warnings)
    _probe(out, _WORKS.format(package=package.package))
    _probe_mock(
        out,
        package.package,
        f"""
from {package.package}.models import Domain, Dog, Linode
mock.respond("get_domain", json={{"type": "master"}})
assert client.get_domain().type.value == "master"
mock.respond("get_linode", json={{"type": "g6-standard-1"}})
assert client.get_linode().type == "g6-standard-1"
mock.respond("get_tagged", json={{"domain": {{"type": "slave"}}, "linode": {{"type": "g6-nanode-1"}}}})
tagged = client.get_tagged()
assert isinstance(tagged.domain, Domain) and isinstance(tagged.linode, Linode), tagged
mock.respond("get_pet", json={{"type": "dog"}})
assert isinstance(client.get_pet(), Dog)
mock.respond("get_selector", json={{"kind": "branches"}})
assert client.get_selector().kind.value == "branches"
assert client.get_repository().type == "repository"  # its fixture carries its tag
mock.respond("get_hook", json={{"subject": {{"type": "branch", "head": "main"}}}})
assert type(client.get_hook().subject).__name__ == "Branch"
print("ok")
""",
    )
    models = "".join(text.decode() for name, text in package.files.items() if "/models/" in name)
    assert models.count('discriminator="type"') == 2  # Pet's, and the hook's subject's
    assert 'type: Literal["repository"]' in models and "kind: Literal" not in models


def _post(operation_id: str, media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {"required": True, "content": {media_type: {"schema": schema}}},
            "responses": {"204": {"description": "done"}},
        }
    }


def test_text_bodies_and_form_bodies_whose_schema_is_no_object_are_sent(tmp_path: Path) -> None:
    # LibreTranslate's document: form fields cannot be read from a string. Conjur's: policies are text.
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Forms", "version": "1"},
        "paths": {
            "/detect": _post("detect", "application/x-www-form-urlencoded", {"type": "string", "example": "q=hi"}),
            "/upload": _post("upload", "multipart/form-data", {"type": "string"}),
            "/login": _post("login", "application/x-www-form-urlencoded", {"properties": {"user": {"type": "string"}}}),
            "/policy": _post("load_policy", "text/plain", {"type": "string", "example": "- !user ada"}),
            "/latin": _post("latin", "text/csv; charset=ISO-8859-1", {"type": "string"}),
        },
    }
    package, out = _generate(tmp_path, spec)
    assert sum("body is the bytes given" in warning for warning in package.warnings) == 2, package.warnings
    _probe(out, _WORKS.format(package=package.package))
    _probe_mock(
        out,
        package.package,
        f"""
from {package.package}.errors import RequestValidationError
client.detect(body=b"q=hello&source=auto")
client.login(body={{"user": "ada"}})
client.load_policy(body="- !user zoë")
client.latin(body="zoë")
detect, login, policy, latin = mock.calls
assert detect.request.content == b"q=hello&source=auto", detect.request
assert detect.request.headers["content-type"] == "application/x-www-form-urlencoded"
assert login.request.content == b"user=ada", login.request
assert policy.request.content == "- !user zoë".encode(), policy.request
assert policy.request.headers["content-type"] == "text/plain"
assert latin.request.content == "zoë".encode("latin-1"), latin.request
try:
    client.latin(body="ünïcödé ✓")
except RequestValidationError as error:
    assert "cannot be sent as ISO-8859-1" in str(error), error
    print("ok")
""",
    )


def test_paths_alike_but_for_names_a_path_that_starts_with_two_slashes_and_floats_past_1e16(
    tmp_path: Path,
) -> None:
    # Reverb's and VTEX's documents: two paths alike but for their parameters' names, each with a body
    # of its own; Clever Cloud's: a path "//openapi"; Mastercard's: an example Python writes 6.5e+27;
    # Gitea's: a commit's diff at "{sha}.{diffType}", which its commit's path "{sha}" matches too.
    def put(operation_id: str, field: str) -> dict[str, Any]:
        body = {"type": "object", "required": [field], "properties": {field: {"type": "string"}}}
        return {
            "put": {
                "operationId": operation_id,
                "parameters": [{"name": operation_id, "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                "responses": {"204": {"description": "done"}},
            }
        }

    message = {
        "type": "object",
        "properties": {
            "message_identifier": {"type": "string", "maxLength": 64, "example": 6598123486451347000000000000},
        },
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Alike", "version": "1"},
        "paths": {
            "/accounts/{open}": put("open", "limit"),
            "/accounts/{rename}": put("rename", "email"),
            "//openapi": _get("getOpenapi", _ref("Message")),
            "/commits/{sha}": _get("getCommit", _ref("Message")),
            "/commits/{sha}.{diffType}": _get("getCommitDiff", {"type": "string"}),
        },
        "components": {"schemas": {"Message": message}},
    }
    for path, names in (("/commits/{sha}", ["sha"]), ("/commits/{sha}.{diffType}", ["sha", "diffType"])):
        spec["paths"][path]["get"]["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in names
        ]
    package, out = _generate(tmp_path, spec)
    assert package.warnings == [
        f"{tmp_path / 'spec.json'}#/paths/~1accounts~1{{rename}}/put: PUT /accounts/{{rename}} is PUT"
        " /accounts/{open} but for its parameters' names (OpenAPI calls the two one path): a server tells"
        " their requests apart by nothing else"
    ]
    for name, text in package.files.items():
        if name.endswith(".py"):
            assert format_python(text.decode(), name) == text.decode(), name
    _probe_mock(
        out,
        package.package,
        """
client.rename(rename="a1", body={"email": "ada@example.com"})
client.open(open="a1", body={"limit": "9"})
client.get_openapi()
assert client.get_commit_diff(sha="a1", diff_type="diff") == "string"
client.get_commit(sha="a1")
operations = ["rename", "open", "get_openapi", "get_commit_diff", "get_commit"]
assert [call.operation for call in mock.calls] == operations, mock.calls
assert mock.calls[2].request.url.raw_path == b"//openapi"
print("ok")
""",
    )


def test_schemas_that_extend_a_discriminated_base_and_add_nothing_stay_classes(tmp_path: Path) -> None:
    # Azure's Data Lake exceptions: ten subclasses that add only their tag. Made aliases of their base,
    # the model generator took a minute for nine of them, and for ten did not finish.
    names = [f"Failure{number}" for number in range(10)]
    schemas: dict[str, Any] = {
        "Failure": {
            "type": "object",
            "discriminator": {"propertyName": "exception"},
            "properties": {"exception": {"type": "string"}, "message": {"type": "string"}},
        },
        "Error": {"type": "object", "properties": {"remoteException": _ref("Failure")}},
    }
    for name in names:
        schemas[name] = {"allOf": [_ref("Failure")], "description": f"A {name}.", "x-ms-discriminator-value": name[-1]}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Lake", "version": "1"},
        "paths": {"/errors": _get("getError", _ref("Error"))},
        "components": {"schemas": schemas},
    }
    package, out = _generate(tmp_path, spec)
    _probe_mock(
        out,
        package.package,
        """
mock.respond("get_error", json={"remoteException": {"exception": "7", "message": "no"}})
assert type(client.get_error().remote_exception).__name__ == "Failure7"
print("ok")
""",
    )


def test_a_schema_that_extends_a_member_of_a_discriminated_base_is_a_member_too(tmp_path: Path) -> None:
    # Azure media services: JobInputAsset extends JobInputClip, which extends the discriminated JobInput.
    # The model generator maps the classes that name the base themselves: the asset took the clip's tag
    # and refused its own, and was no member of the union a JobInput field holds.
    tagged = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
    schemas: dict[str, Any] = {
        "Input": {**tagged, "discriminator": {"propertyName": "kind"}},
        "Clip": {"allOf": [_ref("Input")], "properties": {"files": {"type": "array", "items": {"type": "string"}}}},
        "Asset": {
            "allOf": [_ref("Clip")],
            "properties": {"asset": {"type": "string"}},
            "x-ms-discriminator-value": "#A",
        },
        "Job": {"type": "object", "required": ["input"], "properties": {"input": _ref("Input")}},
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Media", "version": "1"},
        "paths": {"/jobs": _get("getJob", _ref("Job")), "/assets": _get("getAsset", _ref("Asset"))},
        "components": {"schemas": schemas},
    }
    package, out = _generate(tmp_path, spec)
    # The fixtures' checker reads each tag as the classes do: the clip's rule, which the asset's allOf reads,
    # takes the asset's tag too (else no instance of the asset fits, and none of a job is written).
    assert not [warning for warning in package.warnings if "fixture" in warning], package.warnings
    _probe_mock(
        out,
        package.package,
        """
assert client.get_job().input is not None and client.get_asset().kind == "#A"
for sent, made in (({"kind": "#A", "asset": "a"}, "Asset"), ({"kind": "Clip", "files": []}, "Clip")):
    mock.respond("get_job", json={"input": sent})
    assert type(client.get_job().input).__name__ == made
print("ok")
""",
    )


def test_bases_whose_orders_conflict_are_written_in_place(tmp_path: Path) -> None:
    # datamodel-code-generator's own test document: C(A, B), D(B, A), E(C, D). Python refuses E, and
    # the models module with it, so E extends C and has D's own properties written in place.
    def extends(*names: str, own: str) -> dict[str, Any]:
        return {"allOf": [*(_ref(name) for name in names), {"type": "object", "properties": {own: {"type": "string"}}}]}

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Orders", "version": "1"},
        "paths": {"/e": _get("getE", _ref("E"))},
        "components": {
            "schemas": {
                "A": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
                "B": {"type": "object", "properties": {"b": {"type": "string"}}},
                "C": extends("A", "B", own="c"),
                "D": {**extends("B", "A", own="d"), "required": ["d"]},
                "E": extends("C", "D", own="e"),
            }
        },
    }
    package, out = _generate(tmp_path, spec)
    _probe(out, _WORKS.format(package=package.package))
    _probe_mock(
        out,
        package.package,
        """
from orders.models import C, E
assert [base.__name__ for base in E.__mro__[:4]] == ["E", "C", "A", "B"]
assert set(E.model_fields) == {"a", "b", "c", "d", "e"}
assert E.model_fields["a"].is_required() and E.model_fields["d"].is_required()
assert isinstance(client.get_e(), C)
print("ok")
""",
    )


def test_a_member_two_unions_tell_apart_by_different_values_takes_both(tmp_path: Path) -> None:
    # datamodel-code-generator's test document: Pet maps "kitty" to Cat, a list's union knows it by its
    # name. The class took Literal["Cat"] alone, and refused every cat the API sent or took.
    def union(mapping: dict[str, str] | None) -> dict[str, Any]:
        discriminator = {"propertyName": "kind", **({"mapping": mapping} if mapping else {})}
        return {"oneOf": [_ref("Cat"), _ref("Dog")], "discriminator": discriminator}

    def pet(own: str) -> dict[str, Any]:
        return {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, own: {}}}

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Tags", "version": "1"},
        "paths": {
            "/pet": _get("getPet", _ref("Pet")),
            "/pets": _get("listPets", {"type": "array", "items": union(None)}),
        },
        "components": {
            "schemas": {
                "Pet": union({"kitty": "Cat", "doggo": "#/components/schemas/Dog"}),
                "Cat": pet("lives"),
                "Dog": pet("bark"),
            }
        },
    }
    package, out = _generate(tmp_path, spec)
    assert not [warning for warning in package.warnings if "fixture" in warning], package.warnings
    _probe(out, _WORKS.format(package=package.package))
    _probe_mock(
        out,
        package.package,
        """
mock.respond("get_pet", json={"kind": "kitty", "lives": 9})
assert type(client.get_pet()).__name__ == "Cat"
mock.respond("list_pets", json=[{"kind": "Cat"}, {"kind": "doggo"}])
assert [type(each).__name__ for each in client.list_pets()] == ["Cat", "Dog"]
print("ok")
""",
    )


def test_a_mapping_that_leads_nowhere_drops_the_discriminator_with_a_warning(tmp_path: Path) -> None:
    # DigitalOcean's document was bundled from YAML files and kept mapping values into them: it was refused
    # as a whole. With only the broken entries dropped, the implicit tags (the members' names) would refuse
    # every record of those members ("A" is no "ARecord"), so the discriminator goes. Without it, each
    # member's own enum tells them apart (read closed first: open, ARecord's would take "NS" too), and a
    # kind the API added later is still read.
    def record(tag: str) -> dict[str, Any]:
        return {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": [tag]}}}

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Records", "version": "1"},
        "paths": {"/records": _get("listRecords", {"type": "array", "items": _ref("Record")})},
        "components": {
            "schemas": {
                "Record": {
                    "oneOf": [_ref("ARecord"), _ref("NsRecord")],
                    "discriminator": {
                        "propertyName": "type",
                        "mapping": {"A": "models/records.yml#/a", "NS": "#/components/schemas/NsRecord"},
                    },
                },
                "ARecord": record("A"),
                "NsRecord": record("NS"),
            }
        },
    }
    package, out = _generate(tmp_path, spec)
    assert [warning.removeprefix(f"{tmp_path}/") for warning in package.warnings] == [
        'spec.json#/components/schemas/Record/discriminator/mapping/A: the mapping of "A" leads to no schema:'
        " \"models/records.yml#/a\"; 'discriminator' dropped"
    ]
    _probe_mock(
        out,
        package.package,
        """
mock.respond("list_records", json=[{"type": "NS"}, {"type": "A"}])
records = client.list_records()
assert [type(each).__name__ for each in records] == ["NsRecord", "ARecord"], records
mock.respond("list_records", json=[{"type": "NS"}, {"type": "MX"}])
assert [each.model_dump(mode="json") for each in client.list_records()] == [{"type": "NS"}, {"type": "MX"}]
print("ok")
""",
    )


def test_a_reference_to_a_discriminated_base_is_read_as_its_members(tmp_path: Path) -> None:
    # The model generator makes a union of a base's members only for a property that refers to it: a
    # response of the base was read as the base, the items of an array of it as the first member that
    # fit (a Dog read as a Cat: neither had a tag of its own), and so its own list of itself.
    pet = {
        "type": "object",
        "required": ["petType"],
        "properties": {
            "petType": {"type": "string"},
            "name": {"type": "string"},
            "young": {"type": "array", "items": _ref("Pet")},
        },
        "discriminator": {"propertyName": "petType", "mapping": {"cat": "#/components/schemas/Cat"}},
    }
    # A base that is one of its own members stays itself: the model generator makes no union of it.
    plant = {
        **pet,
        "properties": {"petType": {"type": "string"}},
        "discriminator": {"propertyName": "petType", "mapping": {"plant": "#/components/schemas/Plant"}},
    }
    body = {"required": True, "content": {"application/json": {"schema": _ref("Pet")}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pet": {
                **_get("getPet", _ref("Pet")),
                "post": {"operationId": "createPet", "requestBody": body, "responses": {"204": {"description": "ok"}}},
            },
            "/pets": _get("listPets", {"type": "array", "items": _ref("Pet")}),
            "/plant": _get("getPlant", _ref("Plant")),
            "/animal": _get("getAnimal", _ref("Animal")),
            "/fish": _get("getFish", _ref("Fish")),
        },
        "components": {
            "schemas": {
                "Pet": pet,
                "Cat": {"allOf": [_ref("Pet"), {"type": "object", "properties": {"lives": {"type": "integer"}}}]},
                "Dog": {"allOf": [_ref("Pet"), {"type": "object", "properties": {"bark": {"type": "boolean"}}}]},
                "Plant": plant,
                "Tree": {"allOf": [_ref("Plant")]},
                # A base of one member stays itself too: the model generator would not check its tag.
                "Fish": {**plant, "discriminator": {"propertyName": "petType", "mapping": {"trout": "Trout"}}},
                "Trout": {"allOf": [_ref("Fish")]},
                # Another union, which tells a Cat by its name: a Cat takes both tags, in both unions.
                "Animal": {"oneOf": [_ref("Cat"), _ref("Dog")], "discriminator": {"propertyName": "petType"}},
            }
        },
    }
    package, out = _generate(tmp_path, spec)
    _probe(out, _WORKS.format(package=package.package))
    _probe_mock(
        out,
        package.package,
        """
from pets.models import Cat, Dog, Pet, Plant
mock.respond("get_pet", json={"petType": "Dog", "bark": True, "young": [{"petType": "Dog"}, {"petType": "cat"}]})
assert client.get_pet() == Dog(pet_type="Dog", bark=True, young=[Dog(pet_type="Dog"), Cat(pet_type="cat")])
mock.respond("list_pets", json=[{"petType": "Dog"}, {"petType": "cat", "lives": 9}, {"petType": "Fish"}])
assert [type(pet) for pet in client.list_pets()] == [Dog, Cat, Pet]
client.create_pet(body=Cat(pet_type="cat", lives=9))
assert mock.calls[-1].json == {"petType": "cat", "lives": 9}
mock.respond("get_animal", json={"petType": "Cat"})
assert type(client.get_animal()) is Cat
mock.respond("get_pet", json={"petType": "Cat"})
assert type(client.get_pet()) is Cat
mock.respond("get_plant", json={"petType": "plant"})
assert type(client.get_plant()) is Plant
print("ok")
""",
    )
    models = "".join(text.decode() for name, text in package.files.items() if "/models/" in name)
    assert "PetUnion" in models and "PlantUnion" not in models and "FishUnion" not in models


def test_members_a_base_maps_by_their_names_as_written_are_its_union_when_renamed(tmp_path: Path) -> None:
    # opto22's groov: tagValue's members (booleanValue, stringValue) extend it, no mapping; the implicit
    # one named them by their class names (BooleanValue), which no mapping value is read as: no union, no
    # tags, and a value of a tag no member has ({"valueType": "string"}) was refused, not read as the base.
    base = {
        "type": "object",
        "required": ["valueType"],
        "properties": {"valueType": {"type": "string"}},
        "discriminator": {"propertyName": "valueType"},
    }

    def member(kind: str) -> dict[str, Any]:
        value = {"type": "object", "required": ["value"], "properties": {"value": {"type": kind}}}
        return {"allOf": [_ref("tagValue"), value]}

    spec = {
        "openapi": "3.0.1",
        "info": {"title": "Tags", "version": "1"},
        "paths": {"/tags": _get("readTags", {"type": "array", "items": _ref("tagValue")})},
        "components": {
            "schemas": {"tagValue": base, "booleanValue": member("boolean"), "stringValue": member("string")}
        },
    }
    package, out = _generate(tmp_path, spec)
    _probe_mock(
        out,
        package.package,
        """
from tags.models import BooleanValue, StringValue, TagValue
mock.respond("read_tags", json=[{"valueType": "booleanValue", "value": True}, {"valueType": "string"}])
assert client.read_tags() == [BooleanValue(value_type="booleanValue", value=True), TagValue(value_type="string")]
print("ok")
""",
    )
    models = "".join(text.decode() for name, text in package.files.items() if "/models/" in name)
    assert "TagValueUnion" in models and 'Literal["stringValue"]' in models


def test_a_member_other_members_extend_is_read_as_them(tmp_path: Path) -> None:
    # Azure Service Fabric's events: a list of ApplicationEvent (itself a FabricEvent, tagged so) holds
    # ApplicationCreated events and others that extend it; read as the class, its tag fixed, all refused.
    def event(base: str, tag: str, field: str) -> dict[str, Any]:
        return {"allOf": [_ref(base)], "properties": {field: {"type": "string"}}, "x-ms-discriminator-value": tag}

    fabric = {"type": "object", "required": ["Kind"], "properties": {"Kind": {"type": "string"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Events", "version": "1"},
        "paths": {
            "/events": _get("listAppEvents", {"type": "array", "items": _ref("ApplicationEvent")}),
            "/event": _get("getEvent", _ref("FabricEvent")),
        },
        "components": {
            "schemas": {
                "FabricEvent": {**fabric, "discriminator": {"propertyName": "Kind"}},
                "ApplicationEvent": event("FabricEvent", "ApplicationEvent", "ApplicationId"),
                "ApplicationCreatedEvent": event("ApplicationEvent", "ApplicationCreated", "Version"),
                "ApplicationDeletedEvent": event("ApplicationEvent", "ApplicationDeleted", "Reason"),
                "NodeEvent": event("FabricEvent", "NodeEvent", "NodeName"),
            }
        },
    }
    package, out = _generate(tmp_path, spec)
    _probe(out, _WORKS.format(package=package.package))
    _probe_mock(
        out,
        package.package,
        """
from events.models import ApplicationCreatedEvent, ApplicationDeletedEvent, ApplicationEvent, NodeEvent
sent = [{"Kind": "ApplicationCreated", "Version": "2"}, {"Kind": "ApplicationEvent"}, {"Kind": "ApplicationDeleted"}]
mock.respond("list_app_events", json=sent)
events = client.list_app_events()
assert [type(each) for each in events] == [ApplicationCreatedEvent, ApplicationEvent, ApplicationDeletedEvent]
assert events[0].version == "2", events
mock.respond("get_event", json={"Kind": "ApplicationCreated"})
assert type(client.get_event()) is ApplicationCreatedEvent
mock.respond("get_event", json={"Kind": "NodeEvent"})
assert type(client.get_event()) is NodeEvent
print("ok")
""",
    )


def test_a_tag_no_member_has_is_read_as_their_base(tmp_path: Path) -> None:
    # Azure's AutoRest bases list a kind no schema extends (`Invalid`), which its APIs send: 16 answers
    # of recoveryservicesbackup refused ("Input tag 'Invalid' found"). A kind added later is the same, and
    # no kind, which the bases do not require.
    item = {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["Invalid", "A", "B"]}, "name": {"type": "string"}},
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"A": "#/components/schemas/A", "B": "#/components/schemas/B"},
        },
    }
    extending = {
        name: {"allOf": [_ref("Item"), {"type": "object", "properties": {name.lower(): {"type": "integer"}}}]}
        for name in ("A", "B")
    }
    # Members used twice are references to definitions in pydantic-core's schema.
    holder = {"type": "object", "properties": {"first": _ref("Item"), "all": {"type": "array", "items": _ref("Item")}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Kinds", "version": "1"},
        "paths": {"/holder": _get("getHolder", _ref("Holder"))},
        "components": {"schemas": {"Item": item, **extending, "Holder": holder}},
    }
    package, out = _generate(tmp_path, spec)
    _probe_mock(
        out,
        package.package,
        """
from kinds.models import A, Item
import kinds.errors
mock.respond("get_holder", json={"first": {"kind": "A", "a": 1}, "all": [{"kind": "Invalid", "name": "x", "more": 2}]})
holder = client.get_holder()
assert type(holder.first) is A and holder.first.a == 1
[other] = holder.all
assert type(other) is Item and (other.kind, other.name, other.more) == ("Invalid", "x", 2)
mock.respond("get_holder", json={"first": {"kind": "Later"}, "all": [{"name": "kindless"}]})
holder = client.get_holder()
assert type(holder.first) is Item and type(holder.all[0]) is Item, holder
mock.respond("get_holder", json={"first": {"kind": "A", "a": "one"}})  # a known kind: its member's alone
try:
    client.get_holder()
except kinds.errors.APIResponseValidationError as error:
    assert "valid integer" in str(error), error
else:
    raise AssertionError("A's a read from a word")
print("ok")
""",
    )


def test_a_media_range_of_a_schema_of_objects_is_json(tmp_path: Path) -> None:
    # Kubernetes' 292 bodies of */*: sent as bytes, its objects refused; a */* answer read as bytes.
    # And text/json, ASP.NET's name of JSON, read as text; the empty key of a conversion from Swagger 2
    # without `consumes` (spoonacular's six operations skipped).
    thing = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Ranges", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "requestBody": {"required": True, "content": {"*/*": {"schema": _ref("Thing")}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/*": {"schema": _ref("Thing")}}}
                    },
                }
            },
            # ASP.NET's legacy name of JSON.
            "/legacy": {
                "get": {
                    "operationId": "getLegacy",
                    "responses": {"200": {"description": "ok", "content": {"text/json": {"schema": _ref("Thing")}}}},
                }
            },
            "/said": {
                "post": {
                    "operationId": "sayNothing",
                    "requestBody": {"required": True, "content": {"": {"schema": _ref("Thing")}}},
                    "responses": {"204": {"description": "done"}},
                }
            },
            "/blob": {
                "put": {
                    "operationId": "putBlob",
                    "requestBody": {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                    "responses": {"204": {"description": "done"}},
                }
            },
        },
        "components": {"schemas": {"Thing": thing}},
    }
    package, out = _generate(tmp_path, spec)
    _probe_mock(
        out,
        package.package,
        """
from ranges.models import Thing
mock.respond("create_thing", json={"name": "back"})
assert client.create_thing(body={"name": "sent"}) == Thing(name="back")
request = mock.calls[-1].request
assert request.headers["Content-Type"] == "application/json" and request.headers["Accept"] == "application/json"
assert mock.calls[-1].json == {"name": "sent"}
client.say_nothing(body=Thing(name="quiet"))
assert mock.calls[-1].request.headers["Content-Type"] == "application/json"
assert mock.calls[-1].json == {"name": "quiet"}
client.put_blob(body=b"raw")
assert mock.calls[-1].request.headers["Content-Type"] == "application/octet-stream"
mock.respond("get_legacy", json={"name": "old"})
assert client.get_legacy() == Thing(name="old")
print("ok")
""",
    )


def test_a_request_fixture_sets_the_properties_only_requests_carry(tmp_path: Path) -> None:
    # bunq's devices: a secret writeOnly and required, in a schema responses use too, which so requires
    # it of neither; the API refused the request fixture that left it out.
    device = {
        "type": "object",
        "required": ["name", "secret", "id"],
        "properties": {
            "name": {"type": "string"},
            "secret": {"type": "string", "writeOnly": True},
            "id": {"type": "integer", "readOnly": True},
        },
    }
    request, response = _device_fixtures(tmp_path, device)
    assert request == {"name": "string", "secret": "string"}
    assert response == {"name": "string", "id": 0}


def _device_fixtures(tmp_path: Path, device: dict[str, Any], **examples: Any) -> tuple[Any, Any]:
    """The request and response fixtures of an operation that takes and answers ``device``, its media
    types given the ``sent`` and ``read`` examples, if any."""
    sent, read = ({"example": examples[way]} if way in examples else {} for way in ("sent", "read"))
    body = {"required": True, "content": {"application/json": {"schema": _ref("Device"), **sent}}}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("Device"), **read}}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Devices", "version": "1"},
        "paths": {"/devices": {"post": {"operationId": "createDevice", "requestBody": body, "responses": ok}}},
        "components": {"schemas": {"Device": device}},
    }
    package, out = _generate(tmp_path, spec)
    fixtures = out / package.package / "fixtures" / "create_device"
    return json.loads((fixtures / "request.json").read_text()), json.loads((fixtures / "response_200.json").read_text())


def test_an_example_fixture_leaves_out_the_properties_only_the_other_way_carries(tmp_path: Path) -> None:
    # Jira's components: the request's example holds the readOnly isAssigneeTypeValid, which the API (a
    # closed schema) refuses in a request; and a response's example a writeOnly secret, nested in a list.
    device = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "secret": {"type": "string", "writeOnly": True},
            "valid": {"type": "boolean", "readOnly": True},
            "parts": {"type": "array", "items": _ref("Device")},
        },
    }
    sent = {"name": "a", "valid": True, "secret": "s", "parts": [{"name": "b", "valid": False}]}
    read = {"name": "a", "valid": True, "secret": "s", "parts": [{"name": "b", "secret": "t"}]}
    request, response = _device_fixtures(tmp_path, device, sent=sent, read=read)
    assert request == {"name": "a", "secret": "s", "parts": [{"name": "b"}]}
    assert response == {"name": "a", "valid": True, "parts": [{"name": "b"}]}


def test_a_form_field_of_any_value_is_text_in_its_fixture(tmp_path: Path) -> None:
    # Twilio's Sync items: a required Data of any value. An empty object, written as an exploded form
    # field, is no field at all: the request fixture lacked the required Data.
    fields = {"type": "object", "required": ["Key", "Data"], "properties": {"Key": {"type": "string"}, "Data": {}}}
    body = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": fields}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Sync", "version": "1"},
        "paths": {
            "/items": {
                "post": {
                    "operationId": "createItem",
                    "requestBody": body,
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    package, out = _generate(tmp_path, spec)
    request = out / package.package / "fixtures" / "create_item" / "request.json"
    assert json.loads(request.read_text()) == {"Key": "string", "Data": "string"}


def test_a_required_name_no_property_declares_is_required(tmp_path: Path) -> None:
    # Postmark's templated email: TemplateId required and declared by no property. The model left it
    # out, so a request without it passed and the API refused it.
    fields = {"type": "object", "required": ["To", "TemplateId"], "properties": {"To": {"type": "string"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Mail", "version": "1"},
        "paths": {"/send": _post("send", "application/json", fields)},
    }
    package, out = _generate(tmp_path, spec)
    request = json.loads((out / package.package / "fixtures" / "send" / "request.json").read_text())
    assert set(request) == {"To", "TemplateId"}, request
    _probe(out, _WORKS.format(package=package.package))
    _probe_mock(
        out,
        package.package,
        f"""
from {package.package}.errors import RequestValidationError
client.send(body={{"To": "ada@example.com", "TemplateId": 7}})
assert mock.calls[0].request.content == b'{{"To":"ada@example.com","TemplateId":7}}', mock.calls[0].request
try:
    client.send(body={{"To": "ada@example.com"}})
except RequestValidationError as error:
    assert "TemplateId" in str(error), error
    print("ok")
""",
    )


def test_an_all_of_part_that_is_a_reference_with_constraints_beside_it_keeps_them(tmp_path: Path) -> None:
    # 3.1, Codat's tax component: allOf [..., {$ref: ModifiedDates, required: [name]}]. The model generator
    # read the part as the reference alone: name, required, came out optional (and a property declared
    # beside the reference was left out).
    stamped = {"type": "object", "properties": {"modified": {"type": "string"}}}
    component = {
        "allOf": [
            {"type": "object", "properties": {"name": {"type": "string"}}},
            {**_ref("Stamped"), "required": ["name"], "properties": {"rate": {"type": "number"}}},
        ]
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Tax", "version": "1"},
        "paths": {"/components": _post("createComponent", "application/json", _ref("Component"))},
        "components": {"schemas": {"Stamped": stamped, "Component": component}},
    }
    package, out = _generate(tmp_path, spec)
    request = json.loads((out / package.package / "fixtures" / "create_component" / "request.json").read_text())
    assert set(request) == {"name"}, request
    _probe(
        out,
        f"""
from {package.package}.models import Component
fields = Component.model_fields
assert fields["name"].is_required() and "rate" in fields and "modified" in fields, fields
print("ok")
""",
    )
