"""Probe a generated package in a fresh interpreter: imports, complete models, one mock call per operation
(and its iterator's pages, where it has one) on the client and again on the async client, which must
answer alike, and every JSON fixture read by its own model; writes a caller of every body for mypy.

Usage: ``python -P probe.py OUT PACKAGE RESULT.json``. Writes ``{"modules", "import_errors",
"incomplete_models", "operations", "call_failures", "fixture_failures"}``; a failure is
``{item: "Type: first line"}``.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import importlib
import inspect
import itertools
import json
import pkgutil
import sys
import types
import typing
import uuid
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class NoParsedSuccess(Exception):
    """A call returned nothing where its success fixture is JSON."""


class WrongResult(Exception):
    """A call returned something else than its success's model."""


def _describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


def _import_all(package: str) -> tuple[list[str], dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        root = importlib.import_module(package)
    except Exception as error:  # any failure to import is what is measured
        return [package], {package: _describe(error)}
    names = [
        package,
        *sorted(
            name for _, name, _ in pkgutil.walk_packages(root.__path__, f"{package}.") if not name.endswith("__main__")
        ),
    ]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:
            errors[name] = _describe(error)
            # Every later use would run the whole (megabytes long) module again only to fail the same
            # way: one call per operation of GitHub's document takes over ten minutes so.
            sys.modules[name] = _FailedModule(name, errors[name])
    return names, errors


class _FailedModule(types.ModuleType):
    """Stands for a module that failed to import: any use of it fails at once, saying why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name)
        self.__reason = reason

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise ImportError(f"{self.__name__} failed to import ({self.__reason})")


def _incomplete_models(package: str) -> dict[str, str]:
    import pydantic

    incomplete: dict[str, str] = {}
    for name, module in sorted(sys.modules.items()):
        if not (name == package or name.startswith(f"{package}.")) or module is None:
            continue
        for value in list(vars(module).values()):
            if not (isinstance(value, type) and issubclass(value, pydantic.BaseModel)):
                continue
            if value.__module__ != name or value.__pydantic_complete__:
                continue
            try:
                value.model_rebuild(raise_errors=True)
            except Exception as error:
                incomplete[f"{name}.{value.__qualname__}"] = _describe(error)
    return incomplete


def _value(annotation: Any) -> Any:
    """A plain valid-looking argument for a parameter annotated ``annotation``."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _value(arguments[0])
    if origin in (typing.Union, types.UnionType):
        chosen = [argument for argument in arguments if argument is not type(None)]
        return _value(chosen[0]) if chosen else None
    # Any but an empty string, which is no path segment (Brex's datasets list "" first).
    if origin is typing.Literal:
        return next((argument for argument in arguments if argument != ""), arguments[0])
    if origin in (list, tuple, set, frozenset) or (
        isinstance(origin, type) and origin.__module__ == "collections.abc" and origin is not Mapping
    ):
        return [_value(arguments[0])] if arguments else ["1"]
    if origin in (dict, Mapping):
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return next((member for member in annotation if member.value != ""), next(iter(annotation)))
        if issubclass(annotation, bool):
            return True
        if issubclass(annotation, int):
            return 1
        if issubclass(annotation, float):
            return 1.0
        if issubclass(annotation, bytes):
            return b"1"
        if issubclass(annotation, datetime.datetime):
            return datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        if issubclass(annotation, datetime.date):
            return datetime.date(2024, 1, 1)
        if issubclass(annotation, uuid.UUID):
            return uuid.UUID(int=1)
    return "1"


def _arguments(method: Any, testing: Any, name: str) -> dict[str, Any]:
    try:
        hints = typing.get_type_hints(method)
    except Exception:  # mypy reports unresolvable annotations; the call is still tried
        hints = {}
    kwargs: dict[str, Any] = {}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.name == "body":
            try:
                kwargs["body"] = testing.load_fixture(name, "request")
            except FileNotFoundError:
                if parameter.default is inspect.Parameter.empty:
                    raise
        elif parameter.default is inspect.Parameter.empty and parameter.kind is not parameter.VAR_KEYWORD:
            kwargs[parameter.name] = _value(hints.get(parameter.name, str))
    return kwargs


#: The items an iterator is read for at most: the mock answers every page with the same fixture.
_PAGE_ITEMS = 200


async def _walk_pages(iterator: Any, testing: Any, name: str) -> None:
    """Read ``iterator`` (an operation's ``<method>_iter``, of either client) through the mock: it ends, or
    stops on the page it was answered twice (the fixture repeats its cursor, URL or items: the iterator's
    guard against a loop), or on a next URL with no query (an example's, Azure's
    ``https://management.azure.com/####``: a path the iterator does not follow). It must yield the items of
    a page whose body holds some where its pagination says they are."""
    pager = importlib.import_module(f"{testing.__name__.rpartition('.')[0]}._paging").Pager
    pages: list[tuple[Any, Any]] = []
    advance = pager.advance

    def recorded(self: Any, response: Any) -> Any:
        pages.append((self._paging.items, response))
        return advance(self, response)

    yielded = 0
    pager.advance = recorded
    try:
        items = iterator(**_arguments(iterator, testing, name))
        if hasattr(items, "__aiter__"):
            async for _ in items:
                yielded += 1
                if yielded == _PAGE_ITEMS:
                    break
        else:
            for _ in itertools.islice(items, _PAGE_ITEMS):
                yielded += 1  # counted as they come: the guard raises after a page's items
    except Exception as error:
        guarded = ("was returned twice", "returned the same items as the page before", "has no query to send")
        if not (type(error).__name__ == "APIError" and any(reason in str(error) for reason in guarded)):
            raise RuntimeError(f"{name}_iter: {_describe(error)}") from error
    finally:
        pager.advance = advance
    if yielded == 0 and pages:
        path, response = pages[0]
        body = response.http_response.json()
        for key in path:
            body = body.get(key) if isinstance(body, dict) else None
        if isinstance(body, list) and body:
            raise RuntimeError(f"{name}_iter: no item of the {len(body)} at {'.'.join(path) or 'the body'}")


def _call_all(package: str) -> tuple[int, dict[str, str]]:
    try:
        testing = importlib.import_module(f"{package}.testing")
        operations = importlib.import_module(f"{package}._endpoints").OPERATIONS
    except Exception as error:
        return -1, {"*": _describe(error)}
    failures: dict[str, str] = {}
    asyncio.run(_call_both(testing, operations, failures))
    return len(operations), failures


async def _call_both(testing: Any, operations: Mapping[str, Any], failures: dict[str, str]) -> None:
    """Each operation called on the client, then on the async client, whose answer must be the same."""
    answers: dict[str, Any] = {}
    with testing.MockAPI().client() as client:
        for name, operation in operations.items():
            try:
                answers[name] = await _call(client, testing, name, operation)
            except Exception as error:
                failures[name] = _describe(error)
    async with testing.MockAPI().async_client() as client:
        for name, operation in operations.items():
            if name in failures:
                continue  # the same failure, once
            try:
                answer = await _call(client, testing, name, operation)
                if not _alike(answer, answers[name]):
                    failures[name] = (
                        f"AsyncDiffers: {_describe_value(answer)} where the client gave {_describe_value(answers[name])}"
                    )
            except Exception as error:
                failures[name] = f"async: {_describe(error)}"


async def _call(client: Any, testing: Any, name: str, operation: Any) -> Any:
    """The answer of one call of ``name`` on ``client`` (awaited where it is the async client's), its
    iterator's pages read."""
    import pydantic

    method = getattr(client, name)
    result = method(**_arguments(method, testing, name))
    if inspect.isawaitable(result):
        result = await result
    status = testing._success_status(operation)
    kind, model = operation.successes.get(status, operation.successes.get(status // 100, ("none", None)))
    fixture = testing._fixture(name, status)
    expected = kind == "json" and fixture is not testing._NO_BODY and fixture is not None
    if expected and result is None:
        raise NoParsedSuccess("the call returned None for a JSON success fixture")
    if expected and isinstance(model, type) and issubclass(model, pydantic.BaseModel) and not isinstance(result, model):
        raise WrongResult(f"{type(result).__name__} instead of {model.__name__}")
    if hasattr(client, f"{name}_iter"):
        await _walk_pages(getattr(client, f"{name}_iter"), testing, name)
    return result


def _alike(answer: Any, expected: Any) -> bool:
    """Whether the async client's ``answer`` is the client's: equal data, or a stream of the same kind
    (``AsyncStream`` for ``Stream``)."""
    if type(answer).__name__ == f"Async{type(expected).__name__}":
        return True
    return type(answer) is type(expected) and bool(answer == expected)


def _describe_value(value: Any) -> str:
    return f"{type(value).__name__} {str(value)[:80]!r}"


def _fixture_model(operation: Any, stem: str) -> Any:
    """The model a fixture (``request`` or ``response_<status>``) is read with, or ``None`` when none reads it."""
    if stem == "request":
        # Form and multipart bodies are sent field by field, not as the JSON of the fixture.
        return operation.body_model if operation.body_kind == "json" else None
    status = stem.removeprefix("response_")
    key = int(status) if status.isdigit() else int(status[0])
    if 200 <= key < 300 or key == 2:
        kind, model = operation.successes.get(key, ("none", None))
        return model if kind == "json" else None
    return operation.error_models.get(key)


def _fixture_failures(package: str) -> dict[str, str]:
    """Every JSON fixture read by its model as the client reads it: a request strictly, a response leniently.

    The mock call of each operation reads one fixture, its success; this reads all of them, so a
    fixture of an error response, or one whose call fails for another reason, is held to its model too.
    """
    try:
        runtime = importlib.import_module(f"{package}._runtime")
        stems = importlib.import_module(f"{package}._stems")
        base_model = importlib.import_module(f"{package}._base_model")
        operations = importlib.import_module(f"{package}._endpoints").OPERATIONS
    except Exception as error:
        return {"*": _describe(error)}
    root = Path(importlib.import_module(package).__path__[0]) / "fixtures"
    failures: dict[str, str] = {}
    for name, operation in operations.items():
        for file in sorted((root / stems.file_stem(name)).glob("*.json")):
            try:
                model = _fixture_model(operation, file.stem)
                if model is None:
                    continue
                text = file.read_text("utf-8")
                if file.stem == "request" and text.strip() == "null" and not operation.body_required:
                    continue  # the client sends no body for None, which an optional body allows
                if file.stem == "request":
                    runtime.adapter(model).validate_json(text, strict=True)
                else:
                    base_model.response_validator(model).validate_json(text)
            except Exception as error:
                failures[f"{name}/{file.name}"] = _describe(error)
    return failures


#: The module written beside the package for mypy to check with it (harness.py): a caller giving each
#: body as the plain values of its request fixture, as the method's annotation says it may be given.
TYPED_CALLS = "_typed_calls"


def _write_typed_calls(out: Path, package: str) -> None:
    """:data:`TYPED_CALLS`: each operation with a body and a request fixture called once, its other
    arguments passed as ``**rest`` (mypy holds the body alone to its annotation)."""
    try:
        testing = importlib.import_module(f"{package}.testing")
        operations = importlib.import_module(f"{package}._endpoints").OPERATIONS
    except Exception:  # reported as an import error
        return
    calls = []
    for name in operations:
        try:  # only an operation with a body has a request fixture
            body = testing.load_fixture(name, "request")
        except FileNotFoundError:
            continue
        calls.append(f"    client.{name}(body={body!r}, **rest)")
    (out / f"{TYPED_CALLS}.py").write_text(
        "\n".join(
            [
                "from typing import Any\n",
                f"from {package} import Client\n\n",
                "def calls(client: Client, rest: dict[str, Any]) -> None:",
                *(calls or ["    pass"]),
                "",
            ]
        ),
        "utf-8",
    )


def main() -> None:
    out, package, result_file = sys.argv[1:4]
    sys.path.insert(0, out)
    warnings.simplefilter("ignore")
    modules, import_errors = _import_all(package)
    incomplete = _incomplete_models(package)
    operations, call_failures = _call_all(package)
    fixture_failures = _fixture_failures(package)
    _write_typed_calls(Path(out), package)
    Path(result_file).write_text(
        json.dumps(
            {
                "modules": len(modules),
                "import_errors": import_errors,
                "incomplete_models": incomplete,
                "operations": operations,
                "call_failures": call_failures,
                "fixture_failures": fixture_failures,
            }
        )
    )


if __name__ == "__main__":
    main()
