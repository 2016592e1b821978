"""Write a generated tree atomically, or compare it with what is on disk."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {name!r}")
    return path


# Caches that tools leave in a tree; they are not part of the generated output.
_TOOL_CACHES = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as ``{posix relative path: bytes}`` (tool caches and build metadata excluded)."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not _TOOL_CACHES & set(path.relative_to(root).parts)
        and not path.name.endswith(".pyc")
        and not any(part.endswith(".egg-info") for part in path.relative_to(root).parts)
    }


def diff_summary(expected: Mapping[str, bytes], actual: Mapping[str, bytes]) -> list[str]:
    """One line per file that differs: missing, extra or changed."""
    lines = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            lines.append(f"missing: {name}")
        elif name not in expected:
            lines.append(f"extra:   {name}")
        elif expected[name] != actual[name]:
            lines.append(f"changed: {name}")
    return lines


class RefusedOutput(Exception):
    """The output folder holds something this generator did not make; it is left alone."""


def check_replaceable(out: Path, marker: str) -> None:
    """Refuse to replace a file, or a non-empty folder without ``marker`` (this generator's manifest):
    ``--out .`` by mistake must not wipe a project."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise RefusedOutput(f"{out} is not a folder; refusing to replace it")
    if out.is_dir() and any(out.iterdir()) and not (out / marker).is_file():
        raise RefusedOutput(
            f"{out} is not empty and holds no {marker}, so it was not generated here; refusing to replace it"
        )


def write_tree(files: Mapping[str, bytes], out: Path) -> None:
    """Replace ``out`` with exactly ``files``; on any failure ``out`` is left as it was."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name, content in files.items():
            target = staging.joinpath(*_safe_relative(name).parts)
            if not target.resolve().is_relative_to(staging.resolve()):
                raise ValueError(f"refusing to write outside the output folder: {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        backup = None
        if out.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, backup / out.name)
        os.replace(staging, out)
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
