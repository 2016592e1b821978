"""Spec names never collide with the names the generated code uses itself (generator/naming.py)."""

from __future__ import annotations

import ast
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.emit.render import credentials
from generator.errors import Diagnostics
from generator.model.ir import Api
from generator.model.naming import (
    BATCH_METHOD_NAMES,
    CLIENT_NAMES,
    FIELD_NAMES_TAKEN,
    METHOD_NAMES,
    Names,
    snake_case,
    unique,
)
from generator.model.normalize import normalize
from generator.model.parse import build_api
from generator.spec.loader import load_spec

SPEC = Path(__file__).resolve().parent / "hostile" / "reserved_names.json"


def _neutral(document: dict[str, Any]) -> dict[str, Any]:
    """The same API with parameters named ``p0``, ``p1``... (but the cursor, ``next``): no spec name hides
    a name of the templates."""
    document = json.loads(json.dumps(document))
    document["info"]["title"] = "Neutral Names"
    for path_item in document["paths"].values():
        for operation in path_item.values():
            for index, parameter in enumerate(operation.get("parameters", ())):
                if parameter["name"] != "next":
                    parameter["name"] = f"p{index}"
    return document


def _generate(document: dict[str, Any], folder: Path) -> tuple[Path, Api]:
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    spec = folder / "spec.json"
    spec.write_text(json.dumps(document))
    package = generate(spec)
    write_tree(package.files, folder / "out")
    loaded = load_spec(spec)
    api = build_api(normalize(loaded.document), loaded.source, package.package, Diagnostics(loaded.source))
    return folder / "out" / package.package, api


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The hostile package (parameters named like the generated code's names) and the neutral one, importable."""
    document = json.loads(SPEC.read_text())
    hostile = _generate(document, tmp_path_factory.mktemp("hostile"))
    neutral = _generate(_neutral(document), tmp_path_factory.mktemp("neutral"))
    sys.path[:0] = [str(hostile[0].parent), str(neutral[0].parent)]
    try:
        yield {"hostile": hostile, "neutral": neutral}
    finally:
        del sys.path[:2]
        for name in [n for n in sys.modules if n.split(".")[0] in ("reserved_names", "neutral_names")]:
            del sys.modules[name]


def _own_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Arguments of ``function`` and every name its body reads or sets that a spec name could be:
    lower case and not starting with "_" (annotations in the signature are resolved outside it)."""
    names = {argument.arg for argument in function.args.args + function.args.kwonlyargs}
    for statement in function.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if name.islower() and not name.startswith("_")}


def _functions(path: Path, classes: set[str]) -> dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Functions of ``path`` by name: top-level ones and the methods of ``classes``."""
    tree = ast.parse(path.read_text())
    found: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for node in tree.body:
        members = node.body if isinstance(node, ast.ClassDef) and node.name in classes else [node]
        for member in members:
            if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                found.setdefault(member.name, []).append(member)
    return found


@pytest.mark.parametrize("kind", ["neutral", "hostile"])
def test_every_name_the_generated_methods_use_is_reserved(generated: dict[str, Any], kind: str) -> None:
    package, api = generated[kind]
    checked = 0
    # Each group's module; the package's __init__ is their index (GROUPS, OPERATIONS made on demand).
    for module in (package / "_endpoints").glob("*.py"):
        if module.name == "__init__.py":
            continue
        for name, functions in _functions(module, {"SyncMethods", "AsyncMethods"}).items():
            batch = name.endswith("_in_batches")
            operation = next(
                op
                for op in api.operations
                if name in (op.method_name, f"{op.method_name}_iter", f"{op.method_name}_in_batches")
            )
            spec_names = {p.python_name for p in operation.parameters}
            for function in functions:
                unregistered = _own_names(function) - spec_names - (BATCH_METHOD_NAMES if batch else METHOD_NAMES)
                assert not unregistered, f"{name} uses names generator/naming.py does not reserve: {unregistered}"
                checked += 1
    # list_items (and _iter), batch (and _in_batches), close_, list_items_iter_, batch_in_batches_; sync and async
    assert checked == 2 * 7


@pytest.mark.parametrize("kind", ["neutral", "hostile"])
def test_every_name_the_client_constructors_and_command_line_use_is_reserved(
    generated: dict[str, Any], kind: str
) -> None:
    package, api = generated[kind]
    spec_names = {option.name for option in api.client_options} | set(credentials(api))
    functions = _functions(package / "_client.py", {"Client", "AsyncClient"})
    for function in [*functions["_settings"], *functions["__init__"]]:
        assert not _own_names(function) - spec_names - CLIENT_NAMES
    cli = __import__(f"{api.package}.__main__", fromlist=["_parser"])
    subcommand = next(iter(cli._parser()._subparsers._group_actions[0].choices.values()))
    assert not {action.dest for action in subcommand._actions} - spec_names - CLIENT_NAMES


def test_parameters_named_like_generated_names_keep_their_wire_names(generated: dict[str, Any]) -> None:
    testing = __import__("reserved_names.testing", fromlist=["MockAPI"])
    mock = testing.MockAPI()
    with mock.client(timeout_="T", errors_="E", token_="K", base_url_="U", hooks_="H", client_id_="C") as client:
        # Deprecated, so that its body reads ``warnings`` while an argument is named so.
        with pytest.warns(DeprecationWarning, match="list_items is deprecated"):
            client.list_items(warnings_="L", self_="S", body_="B", extra_headers_="X", items="I", timeout=5)
        report = client.batch_in_batches(
            [{"id": "1"}, {"id": "2"}], batch_size=1, items_="I", batch_size_="7", on_progress_="P"
        )
    assert report.ok and report.total == 2
    query = mock.calls[0].request.url.params
    assert (query["warnings"], query["self"], query["body"], query["extra_headers"], query["items"]) == tuple("LSBXI")
    for call in mock.calls:
        headers = call.request.headers
        assert (headers["timeout"], headers["x-errors"], headers["x-token"], headers["x-base-url"]) == tuple("TEKU")
        assert (headers["x-hooks"], headers["x-client-id"]) == ("H", "C")
        assert headers["authorization"] == "Bearer test-token"
    assert [call.json for call in mock.calls[1:]] == [{"items": [{"id": "1"}]}, {"items": [{"id": "2"}]}]
    assert all(call.request.headers["batch_size"] == "7" for call in mock.calls[1:])


def _pages(mock: Any) -> None:
    for cursor, ids in ((1, ["a", "b"]), (2, ["c"]), (None, ["d"])):
        mock.respond(
            "list_items", json={"next": None if cursor is None else f"c{cursor}", "data": [{"id": i} for i in ids]}
        )


def _sent(mock: Any) -> list[tuple[str | None, str | None]]:
    return [(call.request.url.params.get("page"), call.request.url.params.get("next")) for call in mock.calls]


@pytest.mark.filterwarnings("ignore:list_items is deprecated:DeprecationWarning")
def test_iter_sends_the_callers_page_parameter_on_every_request(generated: dict[str, Any]) -> None:
    testing = __import__("reserved_names.testing", fromlist=["MockAPI"])
    mock = testing.MockAPI()
    _pages(mock)
    with mock.client() as client:
        assert [item.id for item in client.list_items_iter(page="3")] == ["a", "b", "c", "d"]
    assert _sent(mock) == [("3", None), ("3", "c1"), ("3", "c2")]

    async def collect() -> list[str]:
        async with mock.async_client() as client:
            return [item.id async for item in client.list_items_iter(page="3")]

    mock.calls.clear()
    _pages(mock)
    assert asyncio.run(collect()) == ["a", "b", "c", "d"]
    assert _sent(mock) == [("3", None), ("3", "c1"), ("3", "c2")]


def test_names_do_not_depend_on_the_interpreters_builtins() -> None:
    """3.13 added the builtin PythonFinalizationError; a schema of that name gets the same class name on 3.11."""
    from generator.model.naming import pascal_case

    assert pascal_case("PythonFinalizationError") == "PythonFinalizationError_"


@pytest.mark.parametrize(
    "spec", ["specs/branches.yaml", "specs/stackone-lms-full.yaml", "hostile/imported_names.json"], ids=lambda s: s
)
def test_no_model_can_be_named_like_what_the_models_modules_import(spec: str) -> None:
    """A schema named like an import of the models (``TypeAliasType``, ``FileInput``) would be renamed by the
    model generator, and the client would name a class that is not there: normalizing keeps every name the
    models modules import from the class names, and this finds a new one (another option, format or version)."""
    from generator.model.naming import class_name
    from generator.model.normalize import IMPORTED_NAMES
    from generator.pipeline import generate

    package = generate(Path(__file__).resolve().parent / spec)
    imported: set[str] = set()
    for name, text in package.files.items():
        if name.startswith(f"{package.package}/models/") and name.endswith(".py"):
            for node in ast.parse(text).body:
                # A module of the models imports others' models relatively (``from ._shared import Pet``).
                if isinstance(node, ast.ImportFrom) and not (node.level == 1 and node.module):
                    imported.update(alias.asname or alias.name for alias in node.names)
    assert {"Annotated", "Field", "TypeAliasType"} & imported  # it reads the imports
    # A lower-case name (``datetime``) is no class name: class names are PascalCase.
    assert {name for name in imported if class_name(name) == name} - IMPORTED_NAMES == set()


class _Counted(Names):
    """Names that count how often they are looked in."""

    looks = 0

    def __contains__(self, name: object) -> bool:
        type(self).looks += 1
        return super().__contains__(name)


def test_a_name_asked_for_many_times_is_numbered_in_one_look_each() -> None:
    """A document may ask for one name as often as it likes (properties ``x!``, ``x@``... are all ``X``):
    each copy is found in a look or two, not by counting up from 2 again (quadratic: 34 s for 20,000)."""
    taken = _Counted({"Item3"})
    given = [unique("Item", taken) for _ in range(2000)]
    assert given[:4] == ["Item", "Item2", "Item4", "Item5"] and len(set(given)) == 2000
    assert _Counted.looks < 3 * 2000


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ListSLOs", "list_slos"),  # Datadog's operation: an acronym's plural is one word, not "sl_os"
        ("userIDs", "user_ids"),
        ("getAPIsByID", "get_apis_by_id"),
        ("MyURLsV2", "my_urls_v2"),
        ("HTTPSConnection", "https_connection"),  # a plain acronym ending in S is not a plural
        ("lmsBatchUpsertCourse", "lms_batch_upsert_course"),
        ("x-account-id", "x_account_id"),
    ],
)
def test_snake_case_keeps_acronyms_and_their_plurals_whole(text: str, name: str) -> None:
    assert snake_case(text) == name


def test_a_fields_acronym_plural_is_one_word_unless_another_property_takes_that_name(import_generated: Any) -> None:
    schema = {
        "type": "object",
        "properties": {
            "sourceServerIDs": {"type": "string"},
            "userIDs": {"type": "string"},
            "user_ids": {"type": "string"},  # takes the name: the model generator's user_i_ds stays
            "modelFIELDs": {"type": "string"},  # pydantic's namespace: left to the model generator
        },
    }
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    spec["components"] = {"schemas": {"Server": schema}}
    models = import_generated(spec, "acronyms").models
    fields = set(models.Server.model_fields)
    assert {"source_server_ids", "user_i_ds", "user_ids"} <= fields and "model_fields" not in fields
    server = models.Server.model_validate({"sourceServerIDs": "a", "userIDs": "b", "user_ids": "c"})
    assert (server.source_server_ids, server.user_i_ds, server.user_ids) == ("a", "b", "c")


def test_an_id_fastapi_made_is_its_functions_name_where_no_other_operation_takes_that_name() -> None:
    loaded = load_spec(Path(__file__).resolve().parent / "specs" / "fastapi_ids.json")
    normalized = normalize(loaded.document)
    api = build_api(normalized, loaded.source, "fastapi_ids", Diagnostics(loaded.source))
    names = {operation.operation_id: operation.method_name for operation in api.operations}
    assert names == {
        "read_item_items__item_id__get": "read_item",
        "update_item_items__item_id__put": "update_item",
        # Every character of the path but a letter, digit or '_' is a '_' in FastAPI's ids.
        "get_avatar_users__user_id__avatar_png_get": "get_avatar",
        # Two functions of one name: the ids stay whole rather than be numbered in the document's order.
        "list_items_items_get": "list_items_items_get",
        "list_items_v2_items_get": "list_items_v2_items_get",
        # The name another operation's id already is.
        "create_item": "create_item",
        "create_item_admin_items_post": "create_item_admin_items_post",
        # A builtin the signatures read, as any operation's name.
        "list_admin_list_get": "list_",
        "read_item_items__item_id__get_other": "read_item_items_item_id_get_other",
    }
    # The schemas of an operation are named after its method.
    assert set(normalized.class_names.values()) == {"ReadItemResponseModel200"}


def test_a_property_named_with_a_leading_underscore_is_a_field_without_it_where_no_other_takes_that_name(
    import_generated: Any,
) -> None:
    document = json.loads((Path(__file__).resolve().parent / "specs" / "underscored_properties.json").read_text())
    package = import_generated(document, "underscored")
    package.models.Order.model_rebuild()  # its fields' annotations read the models after it
    fields = {name: field.alias or name for name, field in package.models.Order.model_fields.items()}
    assert fields == {
        "links": "_links",  # HAL's, and the class Links beside it
        "embedded": "_embedded",
        "field_id": "_id",  # ID is the field id
        "id": "ID",
        "field_json": "_json",  # pydantic's BaseModel.json
        "field_str": "_str",  # what annotations read
        "v": "__v",
    }
    # A model takes the properties of those it extends: Named's name.
    assert set(package.models.Renamed.model_fields) == {"name", "field_name"}
    order = package.models.Order.model_validate({"_links": {"self": {"href": "/orders/1"}}, "_id": "1", "__v": 2})
    assert (order.links.self.href, order.field_id, order.v) == ("/orders/1", "1", 2)
    assert order.model_dump(by_alias=True, exclude_none=True) == {
        "_links": {"self": {"href": "/orders/1"}},
        "_id": "1",
        "__v": 2,
    }


def test_a_leading_underscore_stays_where_the_class_extends_one_with_that_name_by_a_reference_beside_it(
    import_generated: Any,
) -> None:
    # 3.1: Retitled extends Titled by a $ref beside its own properties; made `title` too, its _title was
    # refused by the model generator (two fields of one alias), and the package was not made.
    response = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Retitled"}}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Retitled", "version": "1"},
        "paths": {"/r": {"get": {"operationId": "getR", "responses": {"200": {"description": "ok", **response}}}}},
        "components": {
            "schemas": {
                "Titled": {"type": "object", "properties": {"title": {"type": "string"}}},
                "Retitled": {"$ref": "#/components/schemas/Titled", "properties": {"_title": {"type": "string"}}},
            }
        },
    }
    package = import_generated(document, "retitled")
    read = package.models.Retitled.model_validate({"title": "a", "_title": "b"})
    assert (read.title, read.field_title) == ("a", "b")


def test_the_names_no_field_may_take_hold_every_member_of_pydantics_base_model() -> None:
    import pydantic

    members = {name for name in dir(pydantic.BaseModel) if not name.startswith(("_", "model_"))}
    assert members <= FIELD_NAMES_TAKEN
