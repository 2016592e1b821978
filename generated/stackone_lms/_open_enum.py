"""Enums that tolerate values the API adds after this package was generated."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import Any, TypeVar

import pydantic

T = TypeVar("T")

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


def validated_openly(validate: Callable[[], T]) -> T:
    """``validate()`` with enums closed and, only where that fails, again inside :func:`lenient_enums`.

    A union whose members are told apart by their enums alone (no discriminator) so takes
    the member that lists the value received, where open enums would let the first member
    take any; a value the API added later is still read, at the cost of a second pass.
    """
    try:
        return validate()
    except pydantic.ValidationError:
        with lenient_enums():
            return validate()


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
