"""What a long run is doing: its phases, with counts and the time elapsed, on stderr.

Nothing is shown for a run shorter than :data:`QUIET_SECONDS`; after that each phase
is shown as it starts, on one line rewritten in place on a terminal, a line each
otherwise (a log keeps them all). Labels are the generator's own words and numbers,
never text of the spec.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

#: Runs shorter than this print nothing.
QUIET_SECONDS = 2.0


class Progress:
    """Reports phases to ``stream`` (``None``: nowhere) once ``after`` seconds (default
    :data:`QUIET_SECONDS`) have passed."""

    def __init__(
        self,
        stream: TextIO | None,
        *,
        after: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._after = QUIET_SECONDS if after is None else after
        self._clock = clock
        self._start = clock()
        self._live = bool(stream is not None and stream.isatty())
        self._shown = False

    def phase(self, label: str) -> None:
        """A phase starts: ``label`` is what it does, with its counts (``formatting 120 modules``)."""
        elapsed = self._clock() - self._start
        if self._stream is None or elapsed < self._after:
            return
        line = f"[{elapsed:6.1f} s] {label}"
        if self._live:
            # Back to the start of the line and clear it: the line shows the current phase only.
            self._stream.write(f"\r\x1b[K{line}")
        else:
            self._stream.write(line + "\n")
        self._stream.flush()
        self._shown = True

    def done(self, label: str) -> None:
        """The run ended; shown (and the live line ended) only if phases were shown."""
        if self._shown and self._stream is not None:
            self._stream.write(("\r\x1b[K" if self._live else "") + f"[{self._clock() - self._start:6.1f} s] {label}\n")
            self._stream.flush()
            self._shown = False


#: Reports nothing: library calls and ``--quiet``.
SILENT = Progress(None)
