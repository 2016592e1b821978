"""Format generated Python with black, using fixed settings.

black is called as a library with an explicit mode, so no ``pyproject.toml``
near the output folder (or anywhere else) can change the result. black is the
slow step on big specs, so modules are formatted in parallel (in the executor
the pipeline gives) and results are cached by content hash (see :mod:`generator.cache`).
"""

from __future__ import annotations

import hashlib
import io
import re
import tokenize
from collections.abc import Mapping
from concurrent.futures import Executor, Future
from importlib.metadata import version

from generator import cache

# black's settings; part of every cache key, since they shape the output.
LINE_LENGTH = 100
_SETTINGS = f"line_length={LINE_LENGTH} target=py311 magic_trailing_comma=True"


def format_python(source: str, name: str) -> str:
    """Return ``source`` formatted; raise ``RuntimeError`` naming the file if it is not valid Python."""
    # Imported here: black is slow to import, and the pipeline formats in worker processes.
    import black
    from black.mode import Mode, TargetVersion
    from black.parsing import InvalidInput

    mode = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH, magic_trailing_comma=True)
    try:
        return black.format_str(source, mode=mode)
    except InvalidInput as error:
        raise RuntimeError(f"generated {name} is not valid Python: {error}") from error


# A class docstring black separates from the body by one blank line.
_CLASS_DOCSTRING = re.compile(r'(\nclass [^\n]*:\n    """.*?"""\n)(?!\n)', re.DOTALL)


def pre_format(source: str) -> str:
    """Make the cheap changes black would make anyway: double quotes, a blank line after class docstrings.

    black formats a second time whenever its first pass changed anything, so
    text that needs no change costs half as much. The result is still black's.
    """
    lines = source.splitlines(keepends=True)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source  # black will say what is wrong with it
    strings = [
        token
        for token in tokens
        if token.type == tokenize.STRING
        and token.string[0] == "'"
        and not token.string.startswith("'''")
        and '"' not in token.string
        and "\\" not in token.string
    ]
    for token in reversed(strings):  # from the end, so earlier positions stay valid
        (row, start), (_, end) = token.start, token.end
        line = lines[row - 1]
        lines[row - 1] = f'{line[:start]}"{line[start + 1 : end - 1]}"{line[end:]}'
    return _CLASS_DOCSTRING.sub(r"\1\n", "".join(lines))


def _key(source: str) -> str:
    return hashlib.sha256(f"{_SETTINGS}\0{source}".encode()).hexdigest()


class FormatJobs:
    """Modules being formatted: answered from the cache where possible, sent to ``pool`` otherwise."""

    def __init__(self, pool: Executor) -> None:
        self._pool = pool
        self._folder = cache.cache_dir(f"black-{version('black')}")
        self._done: dict[str, str] = {}
        self._pending: dict[str, tuple[str, Future[str]]] = {}

    def submit(self, sources: Mapping[str, str]) -> None:
        """Start formatting ``{name: source}``; the largest modules first, so the longest job starts at once."""
        for name in sorted(sources, key=lambda name: -len(sources[name])):
            key = _key(sources[name])
            cached = cache.read(self._folder, key)
            if cached is None:
                self._pending[name] = (key, self._pool.submit(format_python, sources[name], name))
            else:
                self._done[name] = cached

    def results(self) -> dict[str, str]:
        """Every submitted module, formatted (waits for the pending ones)."""
        for name, (key, future) in self._pending.items():
            self._done[name] = future.result()
            cache.write(self._folder, key, self._done[name])
        self._pending.clear()
        return dict(self._done)
