"""Read a spec file into plain Python data, treating the file as untrusted."""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from generator.errors import SpecError
from generator.spec.pointers import pointer

# The values bound what a document costs; the bytes, only what reading it costs before they are counted.
# Published documents come to about 60 bytes a value (GitHub's dereferenced one: 73 MB, 1.2 million
# values, 0.7 GB at the peak of its run), so this allows what the values do.
MAX_FILE_BYTES = 256 * 1024 * 1024
# An alias bomb is small on disk and huge once expanded; counting values after
# expansion catches it without walking all of it.
MAX_VALUES = 5_000_000
MAX_DEPTH = 256


@dataclass(frozen=True)
class LoadedSpec:
    """A parsed document and the file it came from."""

    path: Path
    document: dict[str, Any]

    @property
    def source(self) -> str:
        return str(self.path)


# libyaml's parser when PyYAML has it (several times faster); the constructor stays the safe one.
_BaseSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# YAML 1.2's core schema, the one JSON-minded tools (and so the authors of OpenAPI documents) expect:
# plain scalars become only JSON's types. PyYAML's YAML 1.1 rules would turn ``1981-12-15`` into a
# date (which JSON cannot hold), ``yes``/``on`` into booleans, ``012`` into 10 and ``1:30`` into 90.
# (tag, pattern, possible first characters: "" for the empty scalar)
_CORE_SCALARS: list[tuple[str, str, str | list[str]]] = [
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:merge", r"<<", "<"),
]


class _StrictSafeLoader(_BaseSafeLoader):  # type: ignore[valid-type,misc]
    """``SafeLoader`` that reads plain scalars by YAML 1.2's core schema, refuses duplicate keys
    instead of keeping the last one, and reads number keys as the strings JSON would have
    (``200:`` under ``responses`` means ``"200"``)."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        try:
            if text.startswith(("0o", "0x")):
                return int(text[2:], 8 if text[1] == "o" else 16)
            return int(text)  # decimal, even with leading zeros
        except ValueError:
            raise ConstructorError(None, None, _too_many_digits(), node.start_mark) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        self.flatten_mapping(node)
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, int | float) and not isinstance(key, bool):
                key = key_node.value  # the key as written, e.g. "200"
            if not isinstance(key, Hashable):
                raise ConstructorError(None, None, "a mapping key must be a scalar", key_node.start_mark)
            if key in mapping:
                raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


for _tag, _pattern, _first in _CORE_SCALARS:
    _StrictSafeLoader.add_implicit_resolver(_tag, re.compile(f"^(?:{_pattern})$"), list(_first))
_StrictSafeLoader.add_constructor("tag:yaml.org,2002:int", _StrictSafeLoader.construct_yaml_int)


def _mark(source: str, error: yaml.MarkedYAMLError) -> SpecError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    if mark is None:
        return SpecError(source, "", problem)
    return SpecError(source, f":{mark.line + 1}:{mark.column + 1}", problem)


def _reject_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


class _Overflow(float):
    """A JSON number past a float's range (``1e400``), which Python reads as an infinity, with its text."""

    text: str


def _problem(value: Any, subject: str = "the text") -> str | None:
    """Why a scalar (or a key) cannot be carried by JSON text, if it cannot."""
    if isinstance(value, _Overflow):
        return f"the number {value.text[:40]} is past the range of a float, which reads it as infinity"
    if isinstance(value, float) and not math.isfinite(value):
        name = "NaN" if math.isnan(value) else "-Infinity" if value < 0 else "Infinity"
        return f"{name} is not a JSON number"
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return f"{subject} holds a lone surrogate (U+{ord(value[error.start]):04X}), which is not a character"
    return None


def _locate_problem(document: Any) -> tuple[tuple[str | int, ...], str]:
    """Where the first value :func:`_problem` refuses is, and why (called once one is known to exist)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if (problem := _problem(key, "a key")) is not None:
                    return path, problem
                stack.append((child, (*path, key)))
        elif isinstance(value, list):
            stack.extend((child, (*path, index)) for index, child in enumerate(value))
        elif (problem := _problem(value)) is not None:
            return path, problem
    raise AssertionError("no problem to locate")


def _check_size(source: str, document: Any) -> None:
    """Fail fast on documents that are too deep or expand to too many values.

    A YAML alias makes one object appear in many places: each is sized once (values and height, after
    its children), so an alias bomb costs what its text holds, not what it expands to; met again, its
    size counts where it is met.
    """
    sized: dict[int, tuple[int, int]] = {}  # id of a dict or list -> (values it expands to, its height)
    open_: set[int] = set()  # started, not finished: met again below itself, it contains itself

    def size(value: dict[Any, Any] | list[Any], depth: int) -> tuple[int, int]:
        if depth > MAX_DEPTH:  # before Python's own recursion limit
            raise SpecError(source, "", f"the document nests deeper than {MAX_DEPTH} levels")
        if id(value) in open_:
            raise SpecError(source, "", "the document contains itself (a recursive YAML alias)")
        open_.add(id(value))
        values, height = 1, 0
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, (dict, list)):
                child_values, child_height = sized.get(id(child)) or size(child, depth + 1)
                values, height = values + child_values, max(height, child_height + 1)
            else:
                values, height = values + 1, max(height, 1)
        if values > MAX_VALUES:
            raise SpecError(source, "", f"the document expands to more than {MAX_VALUES:,} values (alias bomb?)")
        if depth + height > MAX_DEPTH:
            raise SpecError(source, "", f"the document nests deeper than {MAX_DEPTH} levels")
        open_.discard(id(value))
        sized[id(value)] = (values, height)
        return values, height

    if isinstance(document, (dict, list)):
        size(document, 0)


def _check_json(source: str, document: Any) -> None:
    """Refuse a value JSON text cannot carry: NaN or an infinity (Python's json reads both), a lone surrogate."""
    try:
        # Fast in the common case; only a faulty document is walked value by value.
        json.dumps(document, allow_nan=False, ensure_ascii=False, default=str).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        path, problem = _locate_problem(document)
        raise SpecError(source, pointer(*path), problem) from None


def _check_tree_size(source: str, document: Any) -> None:
    """:func:`_check_size` for a document without aliases (JSON text): the same limits, one plain walk
    (a third of the time on GitHub's document)."""
    values, stack = 1, [(document, 0)] if isinstance(document, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        values += len(children)
        if values > MAX_VALUES:
            raise SpecError(source, "", f"the document expands to more than {MAX_VALUES:,} values (alias bomb?)")
        if children and depth >= MAX_DEPTH:
            raise SpecError(source, "", f"the document nests deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


# A \u escape of half a surrogate pair: with a NaN or an infinity, the only ways JSON text gives a value
# JSON cannot carry (the text itself was read as UTF-8).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_text(source: str, text: str) -> Any:
    """Parse JSON or YAML text into a document JSON could carry, of a bounded size; any other is refused."""
    if text.lstrip().startswith(("{", "[")):  # JSON: much faster to read, and simpler to check
        document, constants = _parse_json(source, text)
        _check_tree_size(source, document)
        if constants or _SURROGATE_ESCAPE.search(text):
            _check_json(source, document)
        return document
    document = _parse_yaml(source, text)
    _check_size(source, document)
    _check_json(source, document)
    return document


def copied(document: Any) -> Any:
    """A deep copy of a parsed document (dicts, lists and immutable values), as ``copy.deepcopy`` makes
    it (a value met twice, by a YAML alias, is copied once) in half its time."""
    copies: dict[int, Any] = {}

    def copy(value: dict[Any, Any] | list[Any]) -> Any:
        if (found := copies.get(id(value))) is not None:
            return found
        if isinstance(value, dict):
            mapping: dict[Any, Any] = {}
            copies[id(value)] = mapping  # before the children: a value may contain itself
            for key, child in value.items():
                mapping[key] = copy(child) if isinstance(child, (dict, list)) else child
            return mapping
        items: list[Any] = []
        copies[id(value)] = items
        items.extend(copy(child) if isinstance(child, (dict, list)) else child for child in value)
        return items

    return copy(document) if isinstance(document, (dict, list)) else document


def _parse_json(source: str, text: str) -> tuple[Any, bool]:
    """The document of JSON ``text``, and whether it holds a NaN or an infinity (Python reads them, and
    a number past a float's range as an infinity)."""
    constants: list[str] = []

    def constant(name: str) -> float:
        constants.append(name)
        return float(name)

    def number(text: str) -> float:  # one with a fraction or an exponent
        value = float(text)
        if math.isfinite(value):
            return value
        constants.append(text)
        overflow = _Overflow(value)
        overflow.text = text
        return overflow

    try:
        document = json.loads(
            text, object_pairs_hook=_reject_duplicate_json_keys, parse_constant=constant, parse_float=number
        )
    except json.JSONDecodeError as error:
        raise SpecError(source, f":{error.lineno}:{error.colno}", f"invalid JSON: {error.msg}") from None
    except ValueError as error:
        # json says nothing of where; each run of digits read once (a search for a long one would
        # start again at each digit of every shorter run).
        limit = sys.get_int_max_str_digits()
        digits = next((run for run in re.finditer(r"\d+", text) if len(run[0]) > limit), None)
        if digits is None:
            raise SpecError(source, "", f"invalid JSON: {error}") from None
        line = text.count("\n", 0, digits.start()) + 1
        column = digits.start() - text.rfind("\n", 0, digits.start())
        raise SpecError(source, f":{line}:{column}", _too_many_digits()) from None
    except RecursionError:
        raise SpecError(source, "", f"the document nests deeper than {MAX_DEPTH} levels") from None
    return document, bool(constants)


def _too_many_digits() -> str:
    """What the YAML and JSON readers say of an integer of more digits than Python converts (4,300)."""
    return f"an integer of more than {sys.get_int_max_str_digits():,} digits"


def _parse_yaml(source: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)
    except yaml.MarkedYAMLError as error:
        raise _mark(source, error) from None
    except yaml.YAMLError as error:
        raise SpecError(source, "", f"invalid YAML: {error}") from None
    except RecursionError:
        raise SpecError(source, "", f"the document nests deeper than {MAX_DEPTH} levels") from None


def load_spec(path: Path) -> LoadedSpec:
    """Read and parse ``path``; every failure is a :class:`SpecError`."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SpecError(source, "", f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        text = path.read_text(encoding="utf-8")
    except SpecError:
        raise
    except UnicodeDecodeError as error:
        raise SpecError(source, "", f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise SpecError(source, "", f"cannot read the file: {error.strerror or error}") from None
    document = parse_text(source, text)
    if not isinstance(document, dict):
        kind = "empty" if document is None else f"a {type(document).__name__}"
        raise SpecError(source, "", f"the document must be a mapping at the top level, not {kind}")
    return LoadedSpec(path=path, document=document)
