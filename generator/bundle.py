"""Bring ``$ref``s to other files into one document.

Only files inside the root spec's folder are read, never anything over the
network. Referenced schemas become entries of ``components/schemas`` (so they
keep a name and a class of their own); any other referenced object is copied in
place of its reference.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.errors import SpecError, escape_pointer_token, pointer
from generator.loader import LoadedSpec, load_spec
from generator.naming import pascal_case, unique
from generator.validate import resolve_pointer

_SCHEMAS = "/components/schemas/"


def _tokens(fragment: str) -> tuple[str, ...]:
    """The unescaped tokens of a JSON pointer, for locating errors in the file it points into."""
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in fragment.strip("/").split("/") if token)


class _Bundler:
    def __init__(self, root: LoadedSpec) -> None:
        self.root = root
        self.folder = root.path.resolve().parent
        self.documents: dict[Path, dict[str, Any]] = {root.path.resolve(): root.document}
        self.schemas: dict[str, Any] = root.document.setdefault("components", {}).setdefault("schemas", {})
        self.taken = set(self.schemas)
        self.imported: dict[tuple[Path, str], str] = {}

    def display(self, path: Path) -> str:
        """A file's name as the user would write it: relative to the root spec as given."""
        if path.is_relative_to(self.folder):
            return str(Path(self.root.source).parent / path.relative_to(self.folder))
        return str(path)

    def document(self, path: Path, referrer: Path, where: str) -> dict[str, Any]:
        if path not in self.documents:
            if not path.is_relative_to(self.folder):
                raise SpecError(self.display(referrer), where, f"reference to {path} leaves the spec's folder")
            if not path.is_file():
                raise SpecError(self.display(referrer), where, f"referenced file {self.display(path)} does not exist")
            self.documents[path] = load_spec(path).document
        return self.documents[path]

    def target(self, ref: str, current: Path, where: str) -> tuple[Path, str]:
        if "://" in ref or ref.startswith("//"):
            raise SpecError(
                self.display(current),
                where,
                f"remote reference {ref!r} is not fetched; only files inside the spec's folder are",
            )
        file_part, _, fragment = ref.partition("#")
        path = (current.parent / unquote(file_part)).resolve() if file_part else current
        return path, fragment

    def walk(self, node: Any, current: Path, path: tuple[str | int, ...]) -> Any:
        """Return ``node`` with every reference resolved for the root document."""
        if isinstance(node, list):
            return [self.walk(item, current, (*path, index)) for index, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and (current != self.root.path.resolve() or not ref.startswith("#")):
            where = pointer(*path, "$ref")
            target_path, fragment = self.target(ref, current, where)
            document = self.document(target_path, current, where)
            try:
                target = resolve_pointer(document, fragment)
            except KeyError:
                raise SpecError(
                    self.display(current), where, f"reference {ref!r} points to nothing in {self.display(target_path)}"
                ) from None
            if target_path == self.root.path.resolve():
                return {**node, "$ref": "#" + fragment}
            if fragment.startswith(_SCHEMAS) or fragment in ("", "/") or fragment.startswith("/definitions/"):
                return {
                    **node,
                    "$ref": "#/components/schemas/"
                    + escape_pointer_token(self.import_schema(target_path, fragment, target)),
                }
            return self.walk(copy.deepcopy(target), target_path, _tokens(fragment))
        return {key: self.walk(value, current, (*path, key)) for key, value in node.items()}

    def import_schema(self, path: Path, fragment: str, schema: Any) -> str:
        key = (path, fragment)
        if key not in self.imported:
            tokens = _tokens(fragment)
            name = unique(pascal_case(tokens[-1] if tokens else path.stem), self.taken)
            self.imported[key] = name
            self.schemas[name] = {}  # reserve the name first: the schema may refer to itself
            self.schemas[name] = self.walk(copy.deepcopy(schema), path, _tokens(fragment))
        return self.imported[key]


def bundle(spec: LoadedSpec) -> list[Path]:
    """Replace references to other files in ``spec.document`` (in place); return every file read, the spec's first."""
    bundler = _Bundler(spec)
    for key in list(spec.document):
        spec.document[key] = bundler.walk(spec.document[key], spec.path.resolve(), (key,))
    return list(bundler.documents)
