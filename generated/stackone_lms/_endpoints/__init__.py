"""The operations of the StackOne LMS API, one module per group (an operation's first tag).

Each module holds what the client knows about its operations and the methods that call
them. :class:`~stackone_lms.Client` and :class:`~stackone_lms.AsyncClient` have them all,
each group's module imported on the first use of one of its methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import _lazy
from .._runtime import OperationSpec

if TYPE_CHECKING:  # for the client's type, which inherits them all
    from . import (
        courses as courses,
    )

#: The methods of each group's module.
GROUPS: dict[str, tuple[str, ...]] = {
    "courses": (
        "lms_batch_upsert_course",
        "lms_batch_upsert_course_in_batches",
    ),
}

#: Every operation, by method name: made on first use, since it imports every group.
OPERATIONS: dict[str, OperationSpec[Any]]


def __getattr__(name: str) -> Any:
    if name != "OPERATIONS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    operations = globals()["OPERATIONS"] = _lazy.operations(GROUPS)
    return operations
