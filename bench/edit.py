"""The deterministic one-operation edit of the incremental figure (``bench/run.py --realworld``).

A user who regenerates after editing a document most often touches one operation: its text and a
parameter. :func:`edit_first_operation` does that to the document's first operation, so a warm
regeneration after it shows what the generator reuses of everything the edit did not change.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.spec.operations import path_operations
from generator.spec.pointers import deref

#: The optional query parameter added; a suffix keeps it apart from a parameter of that name.
PARAMETER = "bench_edit"


def edit_first_operation(document: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A copy of ``document`` whose first operation (the first path item that has one, its methods in
    ``path_operations``' order) has a new summary and one more optional string query parameter, and
    ``"METHOD /path"`` of that operation.

    ``ValueError`` when the document has no operation.
    """
    edited = copy.deepcopy(document)
    paths = edited.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        for method, _, operation in path_operations(item):
            summary = operation.get("summary")
            operation["summary"] = f"{summary} (edited)" if isinstance(summary, str) else "Edited"
            parameters = operation.setdefault("parameters", [])
            taken = {
                found.get("name")
                for parameter in [*parameters, *item.get("parameters", [])]
                if isinstance(found := deref(edited, parameter), dict)
            }
            name = next(f"{PARAMETER}{n or ''}" for n in range(len(taken) + 1) if f"{PARAMETER}{n or ''}" not in taken)
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": "Added by the benchmark's one-operation edit.",
                    "schema": {"type": "string"},
                }
            )
            return edited, f"{method} {path}"
    raise ValueError("the document has no operation to edit")
