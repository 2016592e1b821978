"""Format generated Python with black, using fixed settings.

black is called as a library with an explicit mode, so no ``pyproject.toml``
near the output folder (or anywhere else) can change the result. black is the
slow step on big specs, so modules are formatted in parallel and results are
cached by content hash (see :mod:`generator.cache`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from generator import cache

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=100, magic_trailing_comma=True)
# Below this many characters in total, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 400_000


def format_python(source: str, name: str) -> str:
    """Return ``source`` formatted; raise ``RuntimeError`` naming the file if it is not valid Python."""
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as error:
        raise RuntimeError(f"generated {name} is not valid Python: {error}") from error


def _key(source: str) -> str:
    return hashlib.sha256(f"{MODE!r}\0{source}".encode()).hexdigest()


def format_modules(sources: Mapping[str, str]) -> dict[str, str]:
    """Format every module (``{name: source}``), from the cache where possible, in parallel otherwise."""
    folder = cache.cache_dir(f"black-{version('black')}")
    keys = {name: _key(source) for name, source in sources.items()}
    result: dict[str, str] = {}
    todo: list[str] = []
    for name in sources:
        cached = cache.read(folder, keys[name])
        if cached is None:
            todo.append(name)
        else:
            result[name] = cached
    if len(todo) > 1 and sum(len(sources[name]) for name in todo) > _PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        # Largest first, so the longest job starts at once.
        todo.sort(key=lambda name: -len(sources[name]))
        with ProcessPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1)) as pool:
            formatted = list(pool.map(format_python, [sources[name] for name in todo], todo))
    else:
        formatted = [format_python(sources[name], name) for name in todo]
    for name, text in zip(todo, formatted, strict=True):
        cache.write(folder, keys[name], text)
        result[name] = text
    return result
