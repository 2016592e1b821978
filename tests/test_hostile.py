"""A corpus of hostile specs: generating, importing and calling them never runs their payloads."""

from __future__ import annotations

import faulthandler
import inspect
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
# Every payload in the corpus would create this file if it ever ran.
MARKER = Path("/tmp/openapi-generator-pwned-marker")
# Longer than any spec of the corpus takes by far (about a second each): one that hangs (a pattern
# matched by a backtracking engine: backtracking.json) ends the run with every thread's traceback, as a
# hang in C (``re``) cannot be interrupted from Python.
HANG_SECONDS = 600


@pytest.fixture(autouse=True)
def no_marker() -> Any:
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), "a spec payload was executed"


def _call_every_method(package: Any) -> int:
    testing = __import__(f"{package.__name__}.testing", fromlist=["MockAPI"])
    mock = testing.MockAPI()
    client = mock.client()
    called = 0
    for name, method in inspect.getmembers(client, inspect.ismethod):
        if name.startswith("_") or name == "close" or name.endswith("_in_batches"):
            continue
        kwargs: dict[str, Any] = {}
        for parameter in inspect.signature(method).parameters.values():
            if parameter.default is not inspect.Parameter.empty:
                continue
            kwargs[parameter.name] = testing.load_fixture(name, "request") if parameter.name == "body" else "1"
        method(**kwargs)
        called += 1
    return called


@pytest.mark.parametrize("spec", sorted(HOSTILE.glob("*.json")), ids=lambda path: path.stem)
@pytest.mark.filterwarnings("ignore:list_items is deprecated by the API:DeprecationWarning")  # reserved_names
def test_hostile_spec_generates_imports_and_runs_safely(spec: Path, import_generated: Any) -> None:
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        package = import_generated(json.loads(spec.read_text()), f"hostile_{spec.stem}")
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert _call_every_method(package) >= 1
    out = Path(package.__file__).resolve().parent.parent
    written = [path.resolve() for path in out.rglob("*")]
    assert all(path.is_relative_to(out) for path in written)
    assert not any(".." in path.name for path in written)


def test_breakout_strings_survive_as_data(import_generated: Any) -> None:
    package = import_generated(json.loads((HOSTILE / "breakout.json").read_text()), "hostile_data")
    evil = package.models.Evil.model_validate({'a"b': "v"})
    assert evil.model_dump(by_alias=True, exclude_unset=True) == {'a"b': "v"}
    testing = __import__("hostile_data.testing", fromlist=["load_fixture"])
    [operation] = testing.OPERATIONS
    assert testing.load_fixture(operation, "request")['a"b'].startswith('"""; __import__')
    assert "__import__" in (package.models.Evil.__doc__ or "")


def test_display_controls_reach_code_as_escapes_and_data_as_written(import_generated: Any, tmp_path: Path) -> None:
    # Trojan Source's bidirectional overrides, a terminal's escapes, line breaks Python does not read as such:
    # in the code (enum values, aliases, patterns) only as escapes, in prose (docstrings, the README) as
    # spaces; in the warnings as escapes; the values the API sends and reads as the document wrote them.
    from generator.literals import DISPLAY_UNSAFE
    from generator.pipeline import generate

    spec = json.loads((HOSTILE / "display_controls.json").read_text())
    package = import_generated(spec, "hostile_display")
    root = Path(package.__file__).parent.parent
    written = [
        path for path in sorted(root.rglob("*")) if path.is_file() and path.suffix in (".py", ".md", ".json", ".toml")
    ]
    assert [path.name for path in written if DISPLAY_UNSAFE.search(path.read_text())] == []
    # At run time too: a model's docstring is the document's prose with a space for each.
    assert [model for model in ("Thing", "Kind") if DISPLAY_UNSAFE.search(getattr(package.models, model).__doc__)] == []
    kinds = spec["components"]["schemas"]["Kind"]["enum"]
    assert sorted(member.value for member in package.models.Kind) == sorted(kinds)
    name = next(key for key in spec["components"]["schemas"]["Thing"]["properties"] if key.startswith("na"))
    thing = package.models.Thing.model_validate({"kind": kinds[0], name: "ab"})
    assert thing.model_dump(by_alias=True, exclude_unset=True) == {"kind": kinds[0], name: "ab"}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    warnings = generate(tmp_path / "spec.json", "hostile_display").warnings
    assert warnings and [line for line in warnings if not line.isprintable()] == []


def test_a_description_is_wrapped_before_it_is_escaped(import_generated: Any) -> None:
    # Wrapped after escaping, a line could end between the two backslashes of an escaped one: the next
    # line's \N{BULLET} became a bullet, and \N{NOPE} a module that does not parse.
    spec = json.loads((HOSTILE / "wrapped_escapes.json").read_text())
    package = import_generated(spec, "hostile_wrapped")
    for path, item in spec["paths"].items():
        method = getattr(package.Client, item["get"]["operationId"])
        assert item["get"]["description"] in " ".join((method.__doc__ or "").split()), path


def test_no_template_changes_a_text_after_its_escaper() -> None:
    """An escaper's output is final: only ``indent`` (which adds spaces after line breaks) may follow it."""
    from jinja2 import nodes

    from generator.emit.render import environment
    from generator.paths import TEMPLATE_DIR

    env = environment(TEMPLATE_DIR / "package")
    escapers = {"pyrepr", "docstring", "tomlstr", "mdcode", "mdtext"}
    for name in env.list_templates():
        tree = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
        for node in tree.find_all(nodes.Filter):
            if isinstance(node.node, nodes.Filter) and node.node.name in escapers:
                assert node.name == "indent", f"{name}:{node.lineno}: {node.node.name} | {node.name}"


def test_names_are_sanitized(import_generated: Any) -> None:
    package = import_generated(json.loads((HOSTILE / "names.json").read_text()), "hostile_names")
    fields = package.models.ModelConfig.model_fields
    aliases = {info.alias or name for name, info in fields.items()}
    assert {"model_fields", "model_config", "__class__", "9lives", "with space", "\ufb01eld", "field"} <= aliases
    assert {"BaseModel2", "Field2", "Enum2", "Any2", "First", "First2", "Model1st"} <= set(dir(package.models))
    value = package.models.ModelConfig.model_validate({"\ufb01eld": "ligature", "field": "plain"})
    assert value.model_dump(by_alias=True, exclude_unset=True) == {"\ufb01eld": "ligature", "field": "plain"}


def test_hostile_security_schemes_and_servers_are_data(import_generated: Any) -> None:
    """A key's name and a server's variables reach the request only as data, encoded where they go (a server
    whose URL would end in a query or a fragment is dropped); a header's name that is no header token is a
    scheme the client cannot serve, and a cookie's name that would split the header is refused before
    anything is sent."""
    package = import_generated(json.loads((HOSTILE / "security_schemes.json").read_text()), "hostile_security")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    def client(**credentials: str) -> Any:
        return package.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)), **credentials)

    client(query_key_api_key="k").with_keys()
    assert seen[-1].url.host == "eu.example.com" and seen[-1].url.params.multi_items() == [
        ("\"\"\"'; __import__('os').system('touch /tmp/openapi-generator-pwned-marker') #", "k")
    ]
    # The server whose default ends in "#" is dropped (every path would have gone into the fragment).
    assert seen[-1].url.path == "/v1/\"\"\"'; __import__('os').system('touch /tmp/openapi-generator-pwned-marker')/keys"
    assert seen[-1].url.fragment == ""
    with pytest.raises(package.errors.RequestValidationError, match="header 'Cookie' has a value with a line break"):
        client(cookie_key_api_key="v").with_keys()
    assert len(seen) == 1


def test_a_header_or_cookie_named_by_no_http_token_is_left_out_with_a_warning(import_generated: Any) -> None:
    """No request can carry it: httpx refuses such a name (a test double of httpx does not, so the method
    would have passed every test and failed against the API); a query parameter's name is only encoded."""
    from generator.pipeline import generate

    left_out = [w.split(": ", 1)[1] for w in generate(HOSTILE / "header_names.json").warnings]
    assert [message.split(" is no token")[0] for message in left_out] == [
        "header 'X-Path-Item\\r\\nX-Injected: 1'",
        "header 'X-Trace\\r\\nX-Injected: \"\"\"\\'; __import__(\\'os\\').system(\\'touch /tmp/openapi-generator-pwned-marker\\') #'",
        "header 'X-Colon: value'",
        "header 'Accept Language'",
        "header 'X-Ünïcode'",
        "cookie 'session\\r\\nSet-Cookie: x=1'",
        "cookie 'session;admin=1'",
    ]
    package = import_generated(json.loads((HOSTILE / "header_names.json").read_text()), "hostile_header_names")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "1"})

    transport = httpx.MockTransport(answer)
    client = package.Client(base_url="https://api.example.com", http_client=httpx.Client(transport=transport))
    assert [*inspect.signature(client.list_things).parameters][:3] == ["q_x_injected_1", "x_good", "tracking"]
    client.list_things(x_good="g", tracking="t", q_x_injected_1="v")
    assert seen[0].headers["X-Good"] == "g" and seen[0].headers["Cookie"] == "tracking=t"
    assert seen[0].url.params.multi_items() == [("q\r\nX-Injected: 1", "v")]


def test_schemas_defined_by_themselves_lose_that_alternative_with_a_warning() -> None:
    from generator.pipeline import generate

    warnings = generate(HOSTILE / "self_defined.json").warnings
    dropped = [w.split("#", 1)[1].split(":", 1)[0] for w in warnings if "refers back to the schema" in w]
    assert dropped == [  # warnings come in location order
        "/components/schemas/A/allOf/0",
        "/components/schemas/E/anyOf/0",
        "/components/schemas/N/anyOf/0/oneOf/0",
        "/components/schemas/Via/anyOf/0",
    ]


def test_malformed_vendor_extensions_are_ignored_with_a_warning() -> None:
    from generator.pipeline import generate

    package = generate(HOSTILE / "vendor_extensions.json")
    assert [w.split("#", 1)[1] for w in package.warnings] == [
        "/paths/~1a/get/x-speakeasy-retries/statusCodes/0: '²' is not an HTTP status; ignored",
        "/paths/~1a/get/x-speakeasy-retries/statusCodes/1: True is not an HTTP status; ignored",
        "/paths/~1a/get/x-speakeasy-retries/statusCodes/4: '٤٢٩' is not an HTTP status; ignored",
        "/paths/~1b/get/x-speakeasy-pagination/parameter: a cursor style needs the name of one of its query"
        " parameters; no iterator",
        "/paths/~1e/get/x-pagination: Datadog's form names no cursorParam, pageParam or pageOffsetParam; no iterator",
        "/x-speakeasy-retries: expected an object with a statusCodes list; ignored",
    ]
    endpoints = package.files["vendor_extensions/_endpoints/a.py"].decode()
    assert "retry_statuses=frozenset({429})" in endpoints and endpoints.count("retry_statuses") == 1
    # A body field named by hostile text reaches the code only as a string literal (the probe runs it).
    assert 'body_field=("q", "x\\"\\"\\"\'\\u2028)]; open(\'pwned\', \'w\')#")' in (
        package.files["vendor_extensions/_endpoints/d.py"].decode()
    )


def test_inline_objects_take_no_component_s_name_and_keep_their_data(import_generated: Any) -> None:
    package = import_generated(json.loads((HOSTILE / "inline_objects.json").read_text()), "hostile_inline")
    models = package.models
    body = {
        "owner": {"login": "x"},
        "nested": [{"by_name": {"k": {"deep": {"v": True}}, "n": None}}],
        "tagged": {"kind": "b", "b": 1},
        "class": {"def": "d"},
    }
    repo = models.Repo.model_validate(body)
    assert set(models.RepoOwner.model_fields) == {"id"}  # the component keeps its name; the inline object takes another
    assert isinstance(repo.owner, models.RepoOwner2) and repo.owner.login == "x"
    assert repo.nested is not None and repo.nested[0].by_name is not None
    assert repo.nested[0].by_name["k"].deep.v is True and repo.nested[0].by_name["n"] is None
    assert repo.model_dump(mode="json", by_alias=True, exclude_unset=True) == body
    # The property's description stays the field's docstring (text, never code); the object's class has none.
    assert "__import__('os')" in inspect.getsource(models.Repo) and models.RepoOwner2.__doc__ is None


def test_a_reference_in_data_is_a_value_as_written(import_generated: Any) -> None:
    """An API that stores JSON Schemas has ``$ref`` in its examples: no file or URL is read for one, no schema
    renamed or made of one (it used to refuse the document: a remote reference it does not fetch)."""
    document = json.loads((HOSTILE / "refs_in_data.json").read_text())
    package = import_generated(document, "hostile_refs_in_data")
    testing = __import__("hostile_refs_in_data.testing", fromlist=["load_fixture"])
    media = document["paths"]["/schemas"]["post"]["requestBody"]["content"]["application/json"]
    written = [media["example"], *(example["value"] for example in media["examples"].values())]
    assert testing.load_fixture("store_schema", "request") in written
    assert package.models.__all__ == ["StoredSchema"]  # no model of the pointer into it an example holds
    assert package.models.StoredSchema.model_fields["body"].examples == [{"$ref": "#/$defs/Thing"}]


def test_a_schema_written_elsewhere_is_one_class_wherever_it_is_referred_to(import_generated: Any) -> None:
    """References to schemas inside an operation, a parameter or a response component (which hoisting
    moves, leaving the reference dangling: an internal error) name the class made there."""
    package = import_generated(json.loads((HOSTILE / "refs_elsewhere.json").read_text()), "hostile_elsewhere")
    models = package.models
    meta, item = models.ListSystemsResponseModel200Meta, models.ListSystemsResponseModel200DataItem
    refuelled = models.RefuelResponseModel200.model_validate(
        {"meta": {"total": 1}, "page": {"data": [], "meta": {"total": 2}}}
    )
    assert isinstance(refuelled.meta, meta) and isinstance(refuelled.page.meta, meta)
    assert isinstance(refuelled.page, models.ListSystemsResponseModel200)
    assert isinstance(models.Fleet.model_validate({"meta": {"total": 3}}).meta, meta)
    assert isinstance(item.model_validate({"parent": {"symbol": "b"}}).parent, item)  # it refers to itself there
    company = models.Company.model_validate({"address": {"line": "1 Main St"}, "items": {"results": ["a"]}})
    assert isinstance(company.address, models.DatasetAddressesItem) and company.items.results == ["a"]
    assert isinstance(company.items, models.Items) and "results" in models.Items.model_fields
    # Bodies and responses written inline among the components: typed by a class of their own.
    testing = __import__("hostile_elsewhere.testing", fromlist=["MockAPI"])
    mock = testing.MockAPI()
    created = mock.client().create_pet(body={"name": "Rex"})
    assert isinstance(created, models.PetCreatedResponse)
    mock.client().upload_pet(body={"photo": b"\x89PNG"})
    assert b"\x89PNG" in mock.calls[-1].request.content
    assert models.NewPetBody.model_fields["name"].is_required()
    assert "file" in models.Form.model_fields and models.Problem.model_fields["title"].annotation == str | None
    assert inspect.signature(package.Client.refuel).parameters["body"].annotation.startswith("models.Form")


def test_patterns_are_matched_by_the_models_engine() -> None:
    """A document's patterns, matched against its examples (the fixtures' checker), by an engine whose
    time is linear in the text: with Python's backtracking ``re`` each of these takes minutes. One the
    engine cannot read (a look-ahead) is dropped: the model generator would match it with ``re``."""
    from generator.pipeline import generate

    package = generate(HOSTILE / "backtracking.json")
    assert [w.split(" (at ")[-1] for w in package.warnings if "does not match" in w] == [
        "/url)); the fixture is made from the schema"
    ] * 2
    assert [w.split(": ", 1)[1] for w in package.warnings if "patternProperties" in w] == [
        "invalid regular expression dropped, with its schema (look-around, including look-ahead and"
        " look-behind, is not supported)"
    ]
    models = [text for name, text in package.files.items() if "/models/" in name]
    assert models and not any(b"compile(" in text for text in models)


def test_a_title_past_the_basic_plane_makes_a_pyproject_installers_read(tmp_path: Path) -> None:
    # JSON escapes an emoji as two surrogates, which TOML refuses: no installer could read the file.
    import tomllib

    from generator.pipeline import generate

    title = 'Emoji \U0001f600 "quoted" \\ \u00e9 \x01'
    spec = {"openapi": "3.1.0", "info": {"title": title, "version": "1"}, "paths": {}}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    package = generate(tmp_path / "spec.json", "emoji")
    text = package.files["pyproject.toml"].decode()
    assert text.isascii() and tomllib.loads(text)["project"]["description"] == f"Typed Python client of the {title} API"


def test_a_title_that_names_an_api_is_not_followed_by_api_again(tmp_path: Path) -> None:
    # Zoom's "Zoom API" was "the Zoom API API" in every docstring, the README and the description.
    import tomllib

    from generator.pipeline import generate

    for title, name in (("Zoom API", "Zoom API"), ("Google APIs", "Google APIs"), ("Rapid", "Rapid API")):
        spec = {"openapi": "3.1.0", "info": {"title": title, "version": "1"}, "paths": {}}
        (tmp_path / "spec.json").write_text(json.dumps(spec))
        package = generate(tmp_path / "spec.json", "named")
        description = tomllib.loads(package.files["pyproject.toml"].decode())["project"]["description"]
        assert description == f"Typed Python client of the {name}"
        assert package.files["named/__init__.py"].startswith(f'"""Typed Python client of the {name} (version'.encode())
        assert f"Blocking client of the {name}.".encode() in package.files["named/_client.py"]


def test_keywords_the_model_generator_reads_as_python_are_dropped_with_a_warning() -> None:
    """``x-python-type``, ``customTypePath``, ``x-python-import``... would let a document choose what the
    models import (a module runs when imported); enum names that do not name each value once are dropped
    too. What the models import is held to what models are made of whatever the document says."""
    import ast

    from generator.emit.astguard import MODEL_MODULES
    from generator.pipeline import generate

    package = generate(HOSTILE / "model_generator_keywords.json")
    assert sorted(w.split("#", 1)[1] for w in package.warnings) == [
        "/components/schemas/Box/properties/colour/x-enumNames: expected one name (a string) per enum value; ignored",
        *(
            f"{where}: the model generator would read it as Python or as its own option; ignored"
            for where in (
                "/components/schemas/Box/properties/kind/x-enum-descriptions",
                "/components/schemas/Box/properties/label/x-python-type",
                "/components/schemas/Box/properties/path/customTypePath",
                "/components/schemas/Box/properties/size/x-python-type",
                "/components/schemas/Twig/customBasePath",
                "/components/schemas/Twig/properties/leaf/x-is-classvar",
                "/components/schemas/Twig/x-datamodel-code-generator-field-name",
                "/components/schemas/Twig/x-is-base-class",
                "/components/schemas/Twig/x-python-import",
            )
        ),
    ]
    allowed = {module.format(package=package.package) for module in MODEL_MODULES}
    for name, text in package.files.items():
        if "/models/" in name and not name.endswith("__init__.py"):  # the index is a template's
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    assert node.module in allowed, (name, node.module)
                assert not isinstance(node, ast.Import), name


def test_a_subtype_of_a_union_keeps_what_its_parent_declares() -> None:
    """Brex's originating account: the parent ``oneOf`` its one subtype, the subtype ``allOf`` the parent.
    The subtype's reference becomes the parent's own keywords; the parent keeps its subtype. A union
    whose one alternative leads back loses that one and keeps the others, wherever the cycle is met."""
    from generator.errors import Diagnostics
    from generator.spec.cycles import break_self_definitions

    parent = {
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "discriminator": {"propertyName": "kind", "mapping": {"CASH": "#/components/schemas/Cash"}},
        "oneOf": [{"$ref": "#/components/schemas/Cash"}],
    }
    cash = {"allOf": [{"$ref": "#/components/schemas/Account"}, {"properties": {"id": {"type": "string"}}}]}
    schemas = {
        "Cash": cash,
        "Account": parent,
        "First": {"oneOf": [{"$ref": "#/components/schemas/Second"}]},
        "Second": {"oneOf": [{"$ref": "#/components/schemas/First"}, {"type": "string"}]},
    }
    document = {"components": {"schemas": schemas}}
    diagnostics = Diagnostics("spec.json")
    break_self_definitions(document, "spec.json", diagnostics)
    assert cash["allOf"][0] == {"type": "object", "properties": {"kind": {"type": "string"}}}
    assert parent["oneOf"] == [{"$ref": "#/components/schemas/Cash"}]
    assert schemas["First"]["oneOf"] == [{"$ref": "#/components/schemas/Second"}]
    assert schemas["Second"]["oneOf"] == [{"type": "string"}]
    assert [w.split(": ", 1)[1] for w in diagnostics.warnings] == [
        "this member refers back to the schema it defines through the alternatives of"
        " /components/schemas/Account; what that schema declares but its alternatives is used here instead",
        "this member refers back to the schema it defines, with no object or array in between; dropped",
    ]
