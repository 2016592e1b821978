"""The clients a project configures in its ``pyproject.toml``, under ``[tool.openapi-pyclient]``.

One client::

    [tool.openapi-pyclient]
    spec = "specs/api.yaml"
    out = "src/api_client"

or several, each a table of its own; keys of the top table are defaults for every client::

    [tool.openapi-pyclient]
    strict = true

    [tool.openapi-pyclient.clients.billing]
    spec = "specs/billing.yaml"
    out = "clients/billing"
    package-name = "billing_client"
    overlays = ["specs/billing-fixes.yaml"]

Paths are relative to the ``pyproject.toml``. Every key is checked: a typo is an
error, not a silently ignored setting.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model.naming import package_name_problem
from generator.options import Options, is_distribution_name

FILE = "pyproject.toml"
TABLE = "openapi-pyclient"
_PATH_KEYS = ("spec", "out")
_TEXT_KEYS = ("package-name", "package-version", "dist-name")
_KEYS = {*_PATH_KEYS, *_TEXT_KEYS, "overlays", "strict"}


class ConfigError(Exception):
    """A configuration that cannot be used; ``str()`` is one line naming the file and the key."""


@dataclass(frozen=True)
class Client:
    """One configured client: where its spec is, where it goes, and the options."""

    name: str
    spec: Path
    out: Path
    options: Options
    strict: bool


def find(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has a ``[tool.openapi-pyclient]`` table."""
    for folder in (start, *start.parents):
        candidate = folder / FILE
        if candidate.is_file():
            try:
                if TABLE in tomllib.loads(candidate.read_text(encoding="utf-8")).get("tool", {}):
                    return candidate
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return None  # read() says what is wrong with the file that was meant
    return None


def read(path: Path) -> list[Client]:
    """The clients ``path`` configures, in name order (the top table alone is the client ``default``)."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get(TABLE)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the file: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    where = f"{path}: [tool.{TABLE}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    clients = table.get("clients", {})
    if not isinstance(clients, dict) or not all(isinstance(entry, dict) for entry in clients.values()):
        raise ConfigError(f"{where}.clients must hold one table per client")
    defaults = {key: value for key, value in table.items() if key != "clients"}
    entries = {name: {**defaults, **entry} for name, entry in clients.items()} or {"default": defaults}
    return [_client(path.parent, name, entries[name], where) for name in sorted(entries)]


def _client(root: Path, name: str, entry: dict[str, Any], where: str) -> Client:
    here = where if name == "default" else f"{where}.clients.{name}"
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ConfigError(f"{here}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    for key in (*_PATH_KEYS, *_TEXT_KEYS):
        if key in entry and not isinstance(entry[key], str):
            raise ConfigError(f"{here}: {key} must be a string")
    for key in _PATH_KEYS:
        if key not in entry:
            raise ConfigError(f"{here}: {key} is required")
    overlays = entry.get("overlays", [])
    if not isinstance(overlays, list) or not all(isinstance(overlay, str) for overlay in overlays):
        raise ConfigError(f"{here}: overlays must be a list of paths")
    if not isinstance(entry.get("strict", False), bool):
        raise ConfigError(f"{here}: strict must be true or false")
    if "package-name" in entry and (problem := package_name_problem(entry["package-name"])):
        raise ConfigError(f"{here}: package-name {entry['package-name']!r} {problem}")
    if "dist-name" in entry and not is_distribution_name(entry["dist-name"]):
        raise ConfigError(f"{here}: dist-name {entry['dist-name']!r} is not a valid distribution name")
    options = Options(
        package_name=entry.get("package-name"),
        package_version=entry.get("package-version"),
        overlays=tuple(root / overlay for overlay in overlays),
        dist_name=entry.get("dist-name"),
    )
    return Client(name, root / entry["spec"], root / entry["out"], options, entry.get("strict", False))
