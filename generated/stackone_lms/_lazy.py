"""Operation methods loaded on first use, so that importing the package imports none of them.

For type checkers, a client class inherits the methods class of every group of operations. At
run time it inherits :func:`methods_base`'s class instead: the first look-up of one of its
methods finds the method's group in the package's table (``_endpoints.GROUPS``), imports that
group's module (``_endpoints.<group>``) and copies all of the group's methods onto the class, so
every later look-up is a plain attribute hit. ``dir()`` lists every method all the same.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._runtime import OperationSpec, raw_response

__all__ = [
    "AsyncStreamingResponses",
    "Groups",
    "LazyMethods",
    "RawResponses",
    "StreamingResponses",
    "is_operation",
    "methods_base",
    "operations",
]

#: ``{group: the names of the methods its module defines}``: the package's ``_endpoints.GROUPS``.
Groups = Mapping[str, Iterable[str]]


def _group_module(group: str) -> ModuleType:
    return importlib.import_module(f"{__package__}._endpoints.{group}")


def _operation_names(module: ModuleType) -> set[str]:
    return {value.name for value in vars(module).values() if isinstance(value, OperationSpec)}


class _Table:
    """Which group defines each method (one group each), and the operations of the groups loaded."""

    def __init__(self, groups: Groups, kind: str) -> None:
        self.kind = kind
        self.groups = {group: tuple(names) for group, names in groups.items()}
        self.group_of: dict[str, str] = {}
        for group, names in self.groups.items():
            for name in names:
                first = self.group_of.setdefault(name, group)
                if first != group:
                    # One would silently hide the other; the generator names methods apart.
                    raise TypeError(
                        f"the method {name!r} is in two groups, {first!r} and {group!r}"
                    )
        self.operations: set[str] = set()

    def load(self, owner: type, group: str) -> None:
        """Copy the methods of ``group`` onto ``owner``."""
        module = _group_module(group)
        methods = vars(getattr(module, self.kind))
        defined = {name for name in methods if not name.startswith("_")}
        if defined != set(self.groups[group]):
            raise TypeError(f"the table of the group {group!r} does not list its methods")
        for name in self.groups[group]:
            setattr(owner, name, methods[name])
        self.operations |= _operation_names(module)


def _table(cls: type) -> tuple[type, _Table] | None:
    """The class of ``cls``'s ancestry that holds the table (a user's subclass shares its methods), and it."""
    for klass in cls.__mro__:
        if "_table" in vars(klass):
            return klass, vars(klass)["_table"]
    return None


def _load(cls: type, name: str) -> bool:
    """Load the group that defines the method ``name`` of ``cls``; whether there is one."""
    found = _table(cls)
    if found is None or name.startswith("__"):
        return False
    owner, table = found
    group = table.group_of.get(name)
    if group is None:
        return False
    if name not in vars(owner):  # another thread may have loaded it meanwhile
        table.load(owner, group)
    return True


def is_operation(cls: type, name: str) -> bool:
    """Whether ``name`` is an operation's method of ``cls`` (not ``<method>_iter`` or ``close``)."""
    found = _table(cls)
    return found is not None and _load(cls, name) and name in found[1].operations


class LazyMethods(type):
    """The type of a client class whose operation methods are loaded on first use."""

    def __getattr__(cls, name: str) -> Any:
        # Called only when the ordinary look-up failed: the method's group is not loaded yet.
        if not _load(cls, name):
            raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")
        return type.__getattribute__(cls, name)

    def __dir__(cls) -> Iterable[str]:
        found = _table(cls)
        return sorted({*super().__dir__(), *(found[1].group_of if found else ())})


class _Lazy:
    """The instances' side of :class:`LazyMethods`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A method a subclass overrides may call the client's own with super(), which looks in
        # the classes' dictionaries only: its group is loaded now.
        for name in list(vars(cls)):
            _load(cls, name)

    def __getattr__(self, name: str) -> Any:
        if not _load(type(self), name):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return object.__getattribute__(self, name)

    def __dir__(self) -> Iterable[str]:
        return sorted({*super().__dir__(), *dir(type(self))})


def methods_base(transport: type, kind: str, groups: Groups) -> LazyMethods:
    """A subclass of ``transport`` with the methods of each group's ``kind`` class (``SyncMethods``),
    each group loaded on the first use of one of its methods."""
    namespace = {"_table": _Table(groups, kind), "__module__": transport.__module__}
    return LazyMethods(f"Lazy{kind}", (_Lazy, transport), namespace)


def operations(groups: Groups) -> dict[str, OperationSpec[Any]]:
    """Every operation of the ``groups``, by method name; imports every group."""
    found: dict[str, OperationSpec[Any]] = {}
    for group in groups:
        found.update(
            (value.name, value)
            for value in vars(_group_module(group)).values()
            if isinstance(value, OperationSpec)
        )
    return found


class _Wrapped:
    """A client's operation methods, each wrapped by :meth:`_wrap` on its first use."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        raise NotImplementedError

    if not TYPE_CHECKING:  # type checkers see the generated declarations of each method

        def __getattr__(self, name: str) -> Any:
            if name.startswith("_") or not is_operation(type(self._client), name):
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            wrapped = self._wrap(getattr(self._client, name))
            setattr(self, name, wrapped)  # later look-ups are plain attribute hits
            return wrapped

    def __dir__(self) -> Iterable[str]:
        client = type(self._client)
        operations = (name for name in dir(client) if is_operation(client, name))
        return sorted({*super().__dir__(), *operations})


class RawResponses(_Wrapped):
    """``client.with_raw_response``: methods that return the whole :class:`APIResponse`."""

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        return raw_response(method)


class StreamingResponses(_Wrapped):
    """``Client.with_streaming_response``: methods that give the response with its body unread."""

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        from ._streams import streaming_response  # only when streaming: it is large

        return streaming_response(method)


class AsyncStreamingResponses(_Wrapped):
    """``AsyncClient.with_streaming_response``: :class:`StreamingResponses` of the async client."""

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        from ._streams import async_streaming_response  # only when streaming: it is large

        return async_streaming_response(method)
