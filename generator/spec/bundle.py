"""Bring ``$ref``s to other files into one document.

Only files inside the root spec's folder are read, never anything over the
network. A document's ``$self`` (OpenAPI 3.2) is the base its references are
resolved against: a reference to that URI, or to one beside it, reads this file,
or the one beside it. A reference in a schema's place (under ``schema``, in ``components/schemas``
or inside another schema), or a discriminator's mapping, makes its target an entry of
``components/schemas``, wherever the target sits in its file: it keeps a name and a
class of its own, and a schema that refers to itself stays finite. Any other referenced
object (a parameter, a response, a path item) is copied in place of its reference;
those cannot contain themselves, and a document where they do is refused.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from generator.errors import SpecError
from generator.model.naming import Names, pascal_case, unique
from generator.spec.loader import LoadedSpec, load_spec
from generator.spec.places import Place, anchors, child_place, item_place
from generator.spec.pointers import escape_token, pointer, resolve_path, unescape_token

_SCHEMAS = "/components/schemas/"
_SCHEMAS_REF = "#" + _SCHEMAS


def _canonical_local(ref: str) -> bool:
    """Whether ``ref`` is a pointer into its own document as every later step compares them. Percent-encoded
    (a pointer in a URI fragment may be: ``#/components/schemas/Foo%20Bar``, RFC 6901) it is rewritten to
    the key it names, else a schema renamed would leave its reference pointing nowhere; and a schema's
    ``$anchor`` (``#thing``) to the pointer of that schema."""
    return (ref == "#" or ref.startswith("#/")) and "%" not in ref


def _tokens(fragment: str) -> tuple[str, ...]:
    """The unescaped tokens of a JSON pointer, for locating errors in the file it points into."""
    return tuple(unescape_token(token) for token in fragment.strip("/").split("/") if token)


class _Bundler:
    def __init__(self, root: LoadedSpec) -> None:
        self.root = root
        # Resolved once: resolving asks the file system, and walk() compares with it at every reference.
        self.root_path = root.path.resolve()
        self.folder = self.root_path.parent
        self.documents: dict[Path, dict[str, Any]] = {self.root_path: root.document}
        components = root.document.setdefault("components", {})
        schemas = components.setdefault("schemas", {}) if isinstance(components, dict) else None
        # Not maps (the document check says so): a schema of another file has nowhere to go.
        self.schemas: dict[str, Any] | None = schemas if isinstance(schemas, dict) else None
        self.taken = Names(self.schemas or ())
        self.imported: dict[tuple[Path, str], str] = {}
        # By file, the pointers of the schemas each $anchor names, read when a reference first names one.
        self.anchors: dict[Path, dict[str, list[str]]] = {}
        # The non-schema objects being copied in, to refuse one that contains itself.
        self.expanding: set[tuple[Path, str]] = set()

    def display(self, path: Path) -> str:
        """A file's name as the user would write it: relative to the root spec as given."""
        if path.is_relative_to(self.folder):
            return str(Path(self.root.source).parent / path.relative_to(self.folder))
        return str(path)

    def document(self, path: Path, referrer: Path, where: str) -> dict[str, Any]:
        if path not in self.documents:
            if not path.is_relative_to(self.folder):
                raise SpecError(self.display(referrer), where, f"reference to {path} leaves the spec's folder")
            try:
                found = path.is_file()
            except OSError as error:  # a name the file system refuses: too long, say
                raise SpecError(
                    self.display(referrer), where, f"cannot read {self.display(path)}: {error.strerror}"
                ) from None
            if not found:
                raise SpecError(self.display(referrer), where, f"referenced file {self.display(path)} does not exist")
            self.documents[path] = load_spec(path).document
        return self.documents[path]

    def file(self, path: Path, referrer: Path, where: str) -> Path:
        """``path`` resolved; a name no file system takes (a NUL in it) is an error of ``referrer``'s at ``where``."""
        try:
            return path.resolve()
        except (OSError, ValueError) as error:
            raise SpecError(self.display(referrer), where, f"cannot read {path.name!r}: {error}") from None

    def target(self, ref: str, current: Path, where: str) -> tuple[Path, str]:
        file_part, _, fragment = ref.partition("#")
        if not file_part:
            return current, fragment
        declared = self.documents[current].get("$self")
        if isinstance(declared, str):
            return self.target_from_self(urljoin(current.as_uri(), declared), ref, current, where), fragment
        if "://" in ref or ref.startswith("//"):
            raise self.remote(ref, current, where)
        return self.file(current.parent / unquote(file_part), current, where), fragment

    def target_from_self(self, base: str, ref: str, current: Path, where: str) -> Path:
        """The file of ``ref`` in a document whose ``$self`` (3.2) is ``base``: references are resolved
        against that URI, and one that lands on it, or beside it, is this file, or one beside it."""
        uri = urljoin(base, ref.partition("#")[0])
        if uri == base:
            return current
        folder = urljoin(base, ".")
        if not uri.startswith(folder):
            raise self.remote(ref, current, where, uri)
        return self.file(current.parent / unquote(uri[len(folder) :]), current, where)

    def remote(self, ref: str, current: Path, where: str, uri: str | None = None) -> SpecError:
        through_self = f" (by $self: {uri!r})" if uri is not None and uri != ref else ""
        return SpecError(
            self.display(current),
            where,
            f"remote reference {ref!r}{through_self} is not fetched; only files inside the spec's folder are",
        )

    def walk(self, node: Any, current: Path, path: tuple[str | int, ...], place: Place = "document") -> Any:
        """Return ``node`` (at ``place``) with every reference resolved for the root document; its data (an
        example, a default) as written, a ``$ref`` in it a value like any other."""
        if isinstance(node, list):
            at = item_place(place)
            return [self.walk(item, current, (*path, index), at) for index, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and (current != self.root_path or not _canonical_local(ref)):
            where = pointer(*path, "$ref")
            target_path, fragment, target = self.resolve(ref, current, where)
            if target_path == self.root_path:
                return {**node, "$ref": "#" + fragment}
            if place == "schema":
                return {**node, "$ref": self.schema_ref(target_path, fragment, target)}
            if (target_path, fragment) in self.expanding:
                raise SpecError(self.display(current), where, f"reference {ref!r} contains itself")
            self.expanding.add((target_path, fragment))
            try:
                return self.walk(copy.deepcopy(target), target_path, _tokens(fragment), place)
            finally:
                self.expanding.discard((target_path, fragment))
        if node is self.schemas:
            # Schemas imported from other files join this very mapping, while it is walked and after:
            # it is walked in place (those already there), and stays the document's.
            for key, value in list(node.items()):
                node[key] = self.walk(value, current, (*path, key), "schema")
            return node
        walked: dict[str, Any] = {}
        for key, value in node.items():
            child_path = (*path, key)
            if place == "schema" and key == "discriminator" and isinstance(value, dict):
                walked[key] = self.discriminator(value, current, child_path)
            elif (inner := child_place(place, key)) is not None:
                walked[key] = self.walk(value, current, child_path, inner)
            else:
                walked[key] = value
        return walked

    def resolve(self, ref: str, current: Path, where: str) -> tuple[Path, str, Any]:
        """The file, fragment and value ``ref`` (found in ``current``) points to."""
        target_path, fragment = self.target(ref, current, where)
        document = self.document(target_path, current, where)
        if fragment and not fragment.startswith("/"):
            fragment = self.anchored(target_path, document, fragment, current, where)
        try:
            keys, target = resolve_path(document, fragment)
        except KeyError:
            raise SpecError(
                self.display(current), where, f"reference {ref!r} points to nothing in {self.display(target_path)}"
            ) from None
        return target_path, pointer(*keys), target

    def anchored(self, path: Path, document: dict[str, Any], anchor: str, current: Path, where: str) -> str:
        """The pointer of the schema of ``path`` whose ``$anchor`` is ``anchor`` (``#components`` names no key:
        an anchor no schema has points to nothing)."""
        if path not in self.anchors:
            found: dict[str, list[str]] = {}
            for name, keys in anchors(document, "openapi" in document):
                found.setdefault(name, []).append(pointer(*keys))
            self.anchors[path] = found
        pointers = self.anchors[path].get(anchor, [])
        if len(pointers) != 1:
            reason = f"names {len(pointers)} schemas of" if pointers else "is the $anchor of no schema in"
            raise SpecError(self.display(current), where, f"anchor {anchor!r} {reason} {self.display(path)}")
        return pointers[0]

    def schema_ref(self, path: Path, fragment: str, schema: Any) -> str:
        """The root document's reference to the schema at ``fragment`` of ``path``."""
        if path == self.root_path and fragment.startswith(_SCHEMAS):
            return "#" + fragment
        return _SCHEMAS_REF + escape_token(self.import_schema(path, fragment, schema))

    def discriminator(self, node: dict[str, Any], current: Path, path: tuple[str | int, ...]) -> dict[str, Any]:
        """A discriminator whose mapping values (references written as strings) point into the root document."""
        mapping = node.get("mapping")
        if not isinstance(mapping, dict):
            return node
        rewritten: dict[str, Any] = {}
        for key, value in mapping.items():
            if self.is_reference(value, current):
                try:
                    target_path, fragment, target = self.resolve(value, current, pointer(*path, "mapping", key))
                except SpecError:  # left as written: the check of mappings drops it with a warning
                    pass
                else:
                    value = self.schema_ref(target_path, fragment, target)
            rewritten[key] = value
        return {**node, "mapping": rewritten}

    def is_reference(self, value: Any, current: Path) -> bool:
        """Whether a mapping value is a reference the root document cannot read as it stands.

        A bare name ("Cat") is a schema of the root document; "Cat.yaml" is a file
        unless the root document has a schema of that name.
        """
        if not isinstance(value, str) or (current == self.root_path and _canonical_local(value)):
            return False
        if "#" in value or "/" in value:
            return True
        return value.endswith((".yaml", ".yml", ".json")) and value not in (self.schemas or ())

    def import_schema(self, path: Path, fragment: str, schema: Any) -> str:
        key = (path, fragment)
        if self.schemas is None:
            raise SpecError(
                self.root.source, "/components", "must be a map with a map of schemas, for other files' schemas"
            )
        if key not in self.imported:
            tokens = _tokens(fragment)
            name = unique(pascal_case(tokens[-1] if tokens else path.stem), self.taken)
            self.imported[key] = name
            self.schemas[name] = {}  # reserve the name first: the schema may refer to itself
            self.schemas[name] = self.walk(copy.deepcopy(schema), path, tokens, "schema")
        return self.imported[key]


def bundle(spec: LoadedSpec) -> list[Path]:
    """Replace references to other files in ``spec.document`` (in place); return every file read, the spec's first."""
    bundler = _Bundler(spec)
    for key in list(spec.document):
        if (place := child_place("document", key)) is not None:
            spec.document[key] = bundler.walk(spec.document[key], spec.path.resolve(), (key,), place)
    return list(bundler.documents)
