"""The operations of a path item: one per fixed method (``get`` ... 3.2's ``query``) and, in
OpenAPI 3.2, one per entry of ``additionalOperations`` (``LINK``), found in one place."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: The path item's fixed fields that hold an operation; 3.0/3.1 documents lose ``query`` in validation.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")


def path_operations(item: Any) -> Iterator[tuple[str, tuple[str, ...], dict[str, Any]]]:
    """``(method as sent, pointer tokens below the path item, operation)`` of each operation of ``item``.

    A fixed field's method is sent in capitals (``query`` -> ``QUERY``); an ``additionalOperations``
    key exactly as written, since methods are case-sensitive (RFC 9110).
    """
    if not isinstance(item, dict):
        return
    for method in HTTP_METHODS:
        if isinstance(item.get(method), dict):
            yield method.upper(), (method,), item[method]
    additional = item.get("additionalOperations")
    for method, operation in additional.items() if isinstance(additional, dict) else ():
        if isinstance(operation, dict):
            yield str(method), ("additionalOperations", str(method)), operation
