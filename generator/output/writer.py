"""Write a generated tree atomically, or compare it with what is on disk."""

from __future__ import annotations

import contextlib
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
    parts = name.split("/")
    return (
        bool(_TOOL_CACHES.intersection(parts)) or name.endswith(".pyc") or any(p.endswith(".egg-info") for p in parts)
    )


def _entries(root: Path) -> list[tuple[str, os.DirEntry[str]]]:
    """Everything under the folder ``root`` by posix relative path, sorted; links to folders are not
    followed. (``os.scandir`` rather than ``Path.rglob``: a regeneration reads thousands of files twice.)"""
    found: list[tuple[str, os.DirEntry[str]]] = []
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                found.append((prefix + entry.name, entry))
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
    return sorted(found, key=lambda item: item[0])


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as ``{posix relative path: bytes}`` (tool caches and build metadata excluded)."""
    if not root.is_dir():
        return {}
    return {
        name: Path(entry.path).read_bytes()
        for name, entry in _entries(root)
        if entry.is_file() and not _is_tool_cache(name)
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
    for name, entry in _entries(out):
        if _is_tool_cache(name) or name == marker:
            continue
        expected = name in folders if entry.is_dir(follow_symlinks=False) else name in files
        if not expected:
            raise RefusedOutput(f"{out} holds {name!r}, which its {marker} does not list; refusing to replace it")


def write_tree(files: Mapping[str, bytes], out: Path, old: Mapping[str, bytes] | None = None) -> None:
    """Replace ``out`` with exactly ``files``; on any failure ``out`` is left as it was.

    ``old`` is what ``out`` holds (tool caches aside), as :func:`read_tree` read it: then only the files
    that differ are written or removed, since on a large tree removing and writing every file takes
    seconds where a regeneration after a small edit otherwise takes little more.
    """
    for name in files:
        _safe_relative(name)
    out = out.absolute()
    if old and out.is_dir() and not out.is_symlink():
        _update(files, out, old)
    else:
        _swap(files, out)


def _swap(files: Mapping[str, bytes], out: Path) -> None:
    """Build the tree beside ``out``, then swap it in.

    The staging folder is new, and this process makes every folder and file in it, each once (``mkdir``
    and exclusive creation fail on anything already there): nothing written can follow a link out of it,
    with no path resolved (a tree of thousands of files spent most of its writing time on those lookups).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        made: set[PurePosixPath] = set()
        for name, content in files.items():
            relative = _safe_relative(name)
            for folder in reversed(relative.parents[:-1]):  # from the top down; the last parent is "."
                if folder not in made:
                    os.mkdir(staging.joinpath(*folder.parts))
                    made.add(folder)
            with open(staging.joinpath(*relative.parts), "xb") as stream:
                stream.write(content)
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


def _inside(root: Path, name: str) -> Path:
    """``root``/``name``, refused if a symbolic link on the way leads out of ``root``."""
    target = root.joinpath(*_safe_relative(name).parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {name!r}")
    return target


def _update(files: Mapping[str, bytes], out: Path, old: Mapping[str, bytes]) -> None:
    """Write the files of ``files`` that differ from ``old`` and remove those it no longer has.

    Every new content is first written beside the tree, and every file about to be replaced or removed
    is kept (a hard link) until all are in place; a failure on the way puts each one back.
    """
    changed = {name: content for name, content in files.items() if old.get(name) != content}
    removed = [name for name in old if name not in files]
    if not changed and not removed:
        return
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.update-", dir=out.parent))
    kept: dict[Path, Path | None] = {}  # each file touched: its old content kept aside, None if it is new
    made: list[Path] = []  # folders made for new files, to remove again on failure
    try:
        staged = {}
        for number, (name, content) in enumerate(changed.items()):
            staged[name] = work / f"new-{number}"
            staged[name].write_bytes(content)
        for number, name in enumerate([*removed, *changed]):
            target = _inside(out, name)
            if target.is_file() and not target.is_symlink():
                os.link(target, work / f"old-{number}")
                kept[target] = work / f"old-{number}"
            else:
                kept[target] = None
        for name in removed:
            _inside(out, name).unlink()
        _remove_emptied(out, {_inside(out, name).parent for name in removed}, files)
        for name in changed:
            target = _inside(out, name)
            for folder in reversed(target.parents):
                if folder.is_relative_to(out) and not folder.is_dir():
                    folder.mkdir()
                    made.append(folder)
            os.replace(staged[name], target)
    except BaseException:
        _put_back(kept, made)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _remove_emptied(out: Path, folders: set[Path], files: Mapping[str, bytes]) -> None:
    """Remove the ``folders`` (and their parents in ``out``) no file of ``files`` is in any more; what is
    left in them is tool caches (:func:`check_replaceable` made sure of it)."""
    keep = {out.joinpath(*PurePosixPath(name).parent.parts) for name in files}
    keep |= {parent for folder in keep for parent in folder.parents}
    for folder in sorted(folders | {p for f in folders for p in f.parents}, key=lambda f: -len(f.parts)):
        if folder.is_relative_to(out) and folder != out and folder not in keep and folder.is_dir():
            shutil.rmtree(folder)


def _put_back(kept: dict[Path, Path | None], made: list[Path]) -> None:
    """Undo an unfinished update: each touched file as it was, new files and folders gone."""
    for target, saved in kept.items():
        with contextlib.suppress(OSError):
            if saved is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(saved, target)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()
