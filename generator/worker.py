"""A worker process's life: import what its job needs, run the one job it is sent, send back what came of it.

Started as ``python -c`` :data:`START` with pipes for its standard input and output (not by
multiprocessing, whose "spawn" imports the calling script again and starts a resource tracker process
besides): it reads pickles from its input, the parent's import path first, and writes its one answer
to what was its output, where nothing else can print. Its own module, light to import: the pipeline's
would load all of the generator (templates, fixtures, black) for a job that needs none of it.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import signal
import sys
from typing import Any, BinaryIO

#: The worker's command line after ``python -c``: the import path comes first on its input, since the
#: generator itself may be importable only through it (a checkout, a build hook's path).
START = "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); from generator.worker import main; main()"


def main() -> None:
    """Serve the jobs of the process that started this one (:data:`START`)."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the job prints goes to the error stream, not into the answer
    # A Ctrl-C reaches the whole process group: the process that started this one decides and stops it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(sys.stdin.buffer, answers)


def serve(jobs: BinaryIO, answers: BinaryIO) -> None:
    """Read the collector's pace and a module to import at once (while the process that started this one
    goes on), import it, then run the one job read from ``jobs``, ``(fn, args, kwargs)``, and write
    ``(True, result)`` or ``(False, error)`` to ``answers``."""
    collector_pace, preload = pickle.load(jobs)
    gc.set_threshold(*collector_pace)
    importlib.import_module(preload)
    try:
        fn, args, kwargs = pickle.load(jobs)
    except EOFError:
        return  # the process that started this one went on without it
    try:
        answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
    except Exception as error:  # raised in the process that asked
        answer = (False, error)
    try:
        message = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # what came of it does not pickle: its words do
        message = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
    answers.write(message)
    answers.flush()
