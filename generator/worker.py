"""A worker process's life: import what its job needs, run the one job it is sent, send back what came of it.

Its own module, light to import: the process starts by importing the module of its entry point, and
the pipeline's would load all of the generator (templates, fixtures, black) for a job that needs none
of it.
"""

from __future__ import annotations

import gc
import importlib
from multiprocessing.connection import Connection
from typing import Any


def serve(connection: Connection, collector_pace: tuple[int, int, int], preload: str) -> None:
    """Import ``preload`` (while the process that started this one goes on), then run the one job sent over
    ``connection`` and send back ``(True, result)`` or ``(False, error)``."""
    gc.set_threshold(*collector_pace)
    importlib.import_module(preload)
    try:
        fn, args, kwargs = connection.recv()
    except EOFError:
        return  # the process that started this one went on without it
    try:
        answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
    except Exception as error:  # raised in the process that asked
        answer = (False, error)
    try:
        connection.send(answer)
    except Exception as error:  # what came of it does not pickle: its words do
        connection.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
