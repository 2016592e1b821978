"""The exception classes of a generated package: the runtime's fixed ones, and a subclass for each
further status the API declares (under ``InternalServerError`` for a 5xx, else ``APIStatusError``)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.ir import Api
from generator.model.naming import pascal_case, shadows_builtin
from generator.model.statuses import PHRASES
from generator.runtime import _exceptions


@dataclass(frozen=True)
class DeclaredError:
    """The class of a status the API declares that the runtime has no class of its own for."""

    status: int
    name: str
    parent: str
    phrase: str


def error_class(status: int) -> str:
    """``404`` -> ``NotFoundError``, ``502`` -> ``BadGatewayError``; a name that would shadow a builtin
    gets an ``API`` prefix (``APINotImplementedError``), a status HTTP does not name is ``Status599Error``."""
    fixed = _exceptions.FIXED_STATUS_ERRORS.get(status)
    if fixed is not None:
        return fixed.__name__
    phrase = PHRASES.get(status, "")
    if not phrase:
        return f"Status{status}Error"
    name = pascal_case(phrase).rstrip("_").removesuffix("Error") + "Error"
    return "API" + name if shadows_builtin(name) else name


def declared_errors(api: Api) -> list[DeclaredError]:
    """The API's statuses that need a class of their own, in status order."""
    return [
        DeclaredError(
            status,
            error_class(status),
            "InternalServerError" if 500 <= status <= 599 else "APIStatusError",
            PHRASES.get(status, ""),
        )
        for status in api.error_statuses
        if status not in _exceptions.FIXED_STATUS_ERRORS
    ]


def runtime_error_names() -> list[str]:
    """What the package's ``errors`` module re-exports from the runtime's ``_exceptions``."""
    # In the order ruff's isort keeps imports: constants, then classes.
    return sorted(
        (name for name in _exceptions.__all__ if name != "status_error_class"),
        key=lambda name: (not name.isupper(), name),
    )


def fixed_errors() -> dict[str, str]:
    """The runtime's class of each common status, with the statuses it stands for."""
    statuses = {cls.__name__: str(status) for status, cls in _exceptions.FIXED_STATUS_ERRORS.items()}
    statuses[_exceptions.InternalServerError.__name__] = "500 and every other 5xx"
    return statuses


def error_tree(declared: list[DeclaredError]) -> list[str]:
    """The lines of the class tree, from ``APIError``, each class followed by its statuses."""
    statuses = fixed_errors()
    children: dict[str, list[str]] = {}
    _collect(_exceptions.APIError, "APIError", children)
    for error in declared:
        children.setdefault(error.parent, []).append(error.name)
        statuses[error.name] = str(error.status)
    drawn = [("APIError", "APIError"), *_draw("APIError", "", children)]
    width = max(len(line) for line, _ in drawn) + 2
    return [f"{line:<{width}}{statuses.get(name, '')}".rstrip() for line, name in drawn]


def _collect(cls: type[Exception], parent: str, children: dict[str, list[str]]) -> None:
    for sub in cls.__subclasses__():
        if sub.__module__ != _exceptions.__name__:
            continue
        if sub.__name__.startswith("_"):  # a private base: its subclasses hang from its parent
            _collect(sub, parent, children)
        else:
            children.setdefault(parent, []).append(sub.__name__)
            _collect(sub, sub.__name__, children)


def _draw(name: str, indent: str, children: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``(line, class name)`` for each class below ``name``, depth first."""
    drawn = []
    below = children.get(name, [])
    for index, child in enumerate(below):
        last = index == len(below) - 1
        drawn.append((f"{indent}{'└── ' if last else '├── '}{child}", child))
        drawn += _draw(child, indent + ("    " if last else "│   "), children)
    return drawn
