"""Stoplight Prism mocking a document on a free local port: for the contract tests of our own document and
for the real-world gate's second reading of published ones.

Prism is pinned in ``package.json`` (``npm ci`` installs it to ``node_modules/.bin/prism``).
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRISM = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "prism"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(spec: Path, tail: deque[str], *, errors: bool, timeout: float) -> Iterator[str | None]:
    """Prism mocking ``spec`` (answering an invalid request with an error where ``errors``, else with its
    violations in the ``sl-violations`` header): its URL, or ``None`` when it did not start listening
    within ``timeout`` seconds (``tail`` holds its last lines, which say why)."""
    port = _free_port()
    process = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), *(["--errors"] if errors else []), str(spec)],
        env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:  # for Prism's whole life: it logs every request and would block on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            tail.append(line.rstrip())
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, name="prism-output", daemon=True).start()
    url = None
    deadline = time.monotonic() + timeout
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:
                tail.append(f"(Prism exited with status {process.wait()})")
                break
            if "Prism is listening" in line:
                url = f"http://127.0.0.1:{port}"
                break
        yield url
    finally:
        process.kill()
        process.wait()
