"""The base class of every generated model."""

from __future__ import annotations

import pydantic


class BaseModel(pydantic.BaseModel):
    """A pydantic model whose validator is built on first use, so importing many models stays fast."""

    # Field names are already kept clear of BaseModel's own members ("model_dump" becomes
    # "model_dump_"), so pydantic's warning about its namespace would only be noise.
    model_config = pydantic.ConfigDict(defer_build=True, protected_namespaces=())
