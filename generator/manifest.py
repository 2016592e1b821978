"""A manifest of what generated a tree, so that ``--check`` can answer without regenerating.

The manifest (written into the output folder) records a hash of the inputs
(every spec file in the spec's folder, the package name), of the generator
(its code, its templates and the versions of the tools that shape the output)
and of every generated file. When the inputs and the generator are unchanged,
checking a tree only means hashing its files, which still catches a hand edit.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from generator.paths import PACKAGE_DIR, TEMPLATE_DIR

NAME = ".generator-manifest.json"
_TOOLS = ("datamodel-code-generator", "black", "jinja2")
_SPEC_SUFFIXES = {".yaml", ".yml", ".json"}
_MAX_SPEC_FILES = 500


def _digest(paths: list[Path], root: Path, extra: str = "") -> str:
    hasher = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        hasher.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def generator_fingerprint() -> str:
    code = [path for path in PACKAGE_DIR.glob("*.py")]
    templates = [path for path in TEMPLATE_DIR.rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    tools = ";".join(f"{tool}={version(tool)}" for tool in _TOOLS)
    return hashlib.sha256((_digest(code, PACKAGE_DIR) + _digest(templates, TEMPLATE_DIR) + tools).encode()).hexdigest()


def input_fingerprint(spec: Path, package_name: str | None) -> str | None:
    """Hash of every spec file beside (and below) ``spec``; ``None`` if there are too many to hash cheaply."""
    folder = spec.resolve().parent
    files = [path for path in folder.rglob("*") if path.suffix in _SPEC_SUFFIXES and path.is_file()]
    if len(files) > _MAX_SPEC_FILES:
        return None
    return _digest(files, folder, f"{spec.resolve().name}\0{package_name or ''}\0")


def file_hashes(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items()) if name != NAME}


def build(spec: Path, package_name: str | None, files: dict[str, bytes]) -> bytes:
    """The manifest for ``files`` generated from ``spec``."""
    manifest = {
        "generator": generator_fingerprint(),
        "inputs": input_fingerprint(spec, package_name),
        "files": file_hashes(files),
    }
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()


def up_to_date(spec: Path, package_name: str | None, tree: dict[str, bytes]) -> bool:
    """True when ``tree`` (the output folder's files) is exactly what the manifest inside it promises
    and the manifest was made by this generator from these inputs."""
    try:
        manifest = json.loads(tree[NAME])
    except (KeyError, ValueError):
        return False
    inputs = input_fingerprint(spec, package_name)
    return (
        inputs is not None
        and manifest.get("inputs") == inputs
        and manifest.get("generator") == generator_fingerprint()
        and manifest.get("files") == file_hashes(tree)
    )
