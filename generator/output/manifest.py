"""A manifest of what generated a tree, so that ``--check`` can answer without regenerating.

The manifest (written into the output folder) records what the tree was made from as a
command line says it (the spec and overlays, relative to their project, and the options), the
spec files the generator read and a hash of the inputs (those files, the overlays, the options), of
the generator (its code, its templates and the versions of the tools that shape the output) and of
every generated file. When the inputs and the generator are unchanged, checking a tree only means
hashing its files, which still catches a hand edit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from generator.options import Options
from generator.paths import PACKAGE_DIR, TEMPLATE_DIR

NAME = ".generator-manifest.json"
_TOOLS = ("datamodel-code-generator", "black", "jinja2")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEYS = {"generator", "input_files", "inputs", "files"}
# What the tree was made from (absent from manifests of earlier versions, which stay replaceable).
MADE_FROM = "made_from"
PROJECT_FILE = "pyproject.toml"


def _digest(paths: list[Path], root: Path, extra: str = "") -> str:
    hasher = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        hasher.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def generator_fingerprint() -> str:
    code = [path for path in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in path.parts]
    templates = [path for path in TEMPLATE_DIR.rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    tools = ";".join(f"{tool}={version(tool)}" for tool in _TOOLS)
    return hashlib.sha256((_digest(code, PACKAGE_DIR) + _digest(templates, TEMPLATE_DIR) + tools).encode()).hexdigest()


def input_fingerprint(spec: Path, options: Options, input_files: Sequence[str]) -> str:
    """Hash of the spec files read (``input_files``, relative to the spec's folder) and of the
    options, overlays included, in their order. Raises ``OSError`` when one cannot be read."""
    folder = spec.resolve().parent
    overlay_hashes = "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}\0" for path in options.overlays)
    chosen = (options.package_name, options.package_version, options.dist_name)
    extra = f"{spec.resolve().name}\0{chosen!r}\0{overlay_hashes}"
    return _digest([folder / name for name in input_files], folder, extra)


def file_hashes(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items()) if name != NAME}


def provenance(spec: Path, options: Options, inputs: Sequence[Path]) -> dict[str, str]:
    """What a package is made from: the fingerprints of its inputs (``spec``) and of the ``generator``."""
    return {"spec": input_fingerprint(spec, options, _input_files(spec, inputs)), "generator": generator_fingerprint()}


def project_root(path: Path) -> Path:
    """The project ``path`` belongs to: the nearest folder at or above it holding a ``pyproject.toml``,
    else the folder of ``path``."""
    start = path.resolve().parent
    return next((folder for folder in (start, *start.parents) if (folder / PROJECT_FILE).is_file()), start)


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), root)).as_posix()
    except ValueError:  # another drive (Windows): no relative path
        return path.resolve().as_posix()


def made_from(spec: Path, options: Options) -> dict[str, object]:
    """What a tree is made from, as literally as a command line gives it: the spec and the overlays
    relative to the spec's project (:func:`project_root`), and every option (``None`` when not chosen)."""
    root = project_root(spec)
    return {
        "spec": _relative(spec, root),
        "overlays": [_relative(overlay, root) for overlay in options.overlays],
        "package-name": options.package_name,
        "package-version": options.package_version,
        "dist-name": options.dist_name,
    }


def recorded_origin(tree: dict[str, bytes]) -> dict[str, object] | None:
    """What the manifest in ``tree`` says the tree was made from; ``None`` when it does not say."""
    try:
        manifest = json.loads(tree[NAME])
    except (KeyError, ValueError):
        return None
    origin = manifest.get(MADE_FROM) if isinstance(manifest, dict) else None
    return origin if isinstance(origin, dict) and isinstance(origin.get("spec"), str) else None


def _input_files(spec: Path, inputs: Sequence[Path]) -> list[str]:
    folder = spec.resolve().parent
    return sorted(path.relative_to(folder).as_posix() for path in inputs)


def build(spec: Path, options: Options, files: dict[str, bytes], inputs: Sequence[Path]) -> bytes:
    """The manifest for ``files`` generated from ``spec`` with ``options`` (the spec files read: ``inputs``)."""
    fingerprints = provenance(spec, options, inputs)
    manifest = {
        "generator": fingerprints["generator"],
        "input_files": _input_files(spec, inputs),
        "inputs": fingerprints["spec"],
        "files": file_hashes(files),
        MADE_FROM: made_from(spec, options),
    }
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def listed_files(text: bytes) -> frozenset[str] | None:
    """The files a manifest lists, or ``None`` when ``text`` is not a manifest :func:`build` wrote."""
    try:
        manifest = json.loads(text)
    except ValueError:
        return None
    if not isinstance(manifest, dict) or set(manifest) - {MADE_FROM} != _KEYS:
        return None
    files, input_files = manifest["files"], manifest["input_files"]
    valid = (
        _is_digest(manifest["generator"])
        and _is_digest(manifest["inputs"])
        and isinstance(input_files, list)
        and all(isinstance(name, str) for name in input_files)
        and isinstance(files, dict)
        and all(_is_digest(digest) for digest in files.values())
    )
    return frozenset(files) if valid else None


def up_to_date(spec: Path, options: Options, tree: dict[str, bytes]) -> bool:
    """True when ``tree`` (the output folder's files) is exactly what the manifest inside it promises
    and the manifest was made by this generator from these inputs."""
    try:
        manifest = json.loads(tree[NAME])
    except (KeyError, ValueError):
        return False
    if not isinstance(manifest, dict):
        return False
    input_files = manifest.get("input_files")
    if not isinstance(input_files, list) or not all(isinstance(name, str) for name in input_files):
        return False
    try:
        inputs = input_fingerprint(spec, options, input_files)
    except (OSError, ValueError):
        return False  # an input that cannot be read (or a name that is no path): the full run says what is wrong
    return bool(
        manifest.get("inputs") == inputs
        and manifest.get("generator") == generator_fingerprint()
        and manifest.get("files") == file_hashes(tree)
        and manifest.get(MADE_FROM) == made_from(spec, options)
    )
