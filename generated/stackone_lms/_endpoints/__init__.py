"""The operations of the StackOne LMS API, one module per group (an operation's first tag).

Each module holds what the client knows about its operations and the methods
that call them; :class:`~stackone_lms.Client` and :class:`~stackone_lms.AsyncClient` inherit them all.
"""

from __future__ import annotations

from typing import Any

from .._runtime import OperationSpec
from . import (
    courses,
)

#: Every operation, by method name.
OPERATIONS: dict[str, OperationSpec[Any]] = {
    "lms_batch_upsert_course": courses.LMS_BATCH_UPSERT_COURSE,
}
