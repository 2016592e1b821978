"""Enums that tolerate values the API adds after this package was generated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import Any

_lenient: ContextVar[bool] = ContextVar(f"{__package__}_lenient_enums", default=False)


@contextmanager
def lenient_enums() -> Iterator[None]:
    """Accept unknown enum values while parsing responses in this context.

    Outside it (building a request, say) an unknown value is a validation
    error, so typos are caught before anything is sent.
    """
    token = _lenient.set(True)
    try:
        yield
    finally:
        _lenient.reset(token)


class OpenEnum(Enum):
    """Base of every generated enum.

    Inside :func:`lenient_enums`, a value the enum does not list becomes a new
    pseudo-member whose ``.value`` is the value received, instead of an error.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        member_type: Any = getattr(cls, "_member_type_", object)
        if not _lenient.get() or (member_type is not object and not isinstance(value, member_type)):
            return None
        member: Any = (
            object.__new__(cls) if member_type is object else member_type.__new__(cls, value)
        )
        member._name_ = str(value)
        member._value_ = value
        return member
