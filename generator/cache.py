"""A small on-disk cache for slow, pure steps (models, formatting, validation), keyed by content hash.

``OPENAPI_PYCLIENT_CACHE`` chooses the folder (default ``~/.cache/openapi-pyclient``);
``off`` disables it. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir(kind: str) -> Path | None:
    """The cache folder for ``kind``, or ``None`` when caching is off."""
    setting = os.environ.get("OPENAPI_PYCLIENT_CACHE", "")
    if setting.lower() in ("off", "0", "false", "no"):
        return None
    base = (
        Path(setting)
        if setting
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "openapi-pyclient"
    )
    return base / kind


def read(folder: Path | None, key: str) -> str | None:
    if folder is None:
        return None
    try:
        return (folder / key).read_text(encoding="utf-8")
    except OSError:
        return None


def write(folder: Path | None, key: str, text: str) -> None:
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as handle:
            handle.write(text)
        os.replace(handle.name, folder / key)
    except OSError:
        pass
