"""The base class of every generated model."""

from __future__ import annotations

import pydantic


class BaseModel(pydantic.BaseModel):
    """A pydantic model whose validator is built on first use, so importing many models stays fast."""

    model_config = pydantic.ConfigDict(defer_build=True)
