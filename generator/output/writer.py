"""Write a generated tree atomically, or compare it with what is on disk."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {name!r}")
    return path


# Caches that tools leave in a tree; they are not part of the generated output.
_TOOL_CACHES = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


def _is_tool_cache(name: str) -> bool:
    """Whether the relative path ``name`` is (in) a cache or build metadata that tools leave in a tree."""
    parts = PurePosixPath(name).parts
    return bool(_TOOL_CACHES & set(parts)) or name.endswith(".pyc") or any(p.endswith(".egg-info") for p in parts)


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as ``{posix relative path: bytes}`` (tool caches and build metadata excluded)."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not _is_tool_cache(path.relative_to(root).as_posix())
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


def check_replaceable(out: Path, marker: str, listed: Callable[[bytes], frozenset[str] | None]) -> None:
    """Refuse to replace a file, or a non-empty folder unless its ``marker`` (this generator's manifest,
    read by ``listed``) lists exactly the files it holds: ``--out .`` by mistake must not wipe a project,
    nor a regeneration a ``.git`` folder or a file someone added to the output."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise RefusedOutput(f"{out} is not a folder; refusing to replace it")
    if not out.is_dir() or not any(out.iterdir()):
        return
    manifest = out / marker
    if manifest.is_symlink() or not manifest.is_file():
        raise RefusedOutput(
            f"{out} is not empty and holds no {marker}, so it was not generated here; refusing to replace it"
        )
    files = listed(manifest.read_bytes())
    if files is None:
        raise RefusedOutput(f"{manifest} is not a manifest this generator wrote; refusing to replace {out}")
    folders = {parent.as_posix() for name in files for parent in PurePosixPath(name).parents}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if _is_tool_cache(name) or name == marker:
            continue
        expected = name in folders if path.is_dir() and not path.is_symlink() else name in files
        if not expected:
            raise RefusedOutput(f"{out} holds {name!r}, which its {marker} does not list; refusing to replace it")


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
