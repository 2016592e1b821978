"""A small on-disk cache for slow, pure steps (models and their split, fixtures, validation), keyed by content hash.

``OPENAPI_PYCLIENT_CACHE`` chooses the folder (default ``~/.cache/openapi-pyclient``);
``off`` disables it (so does ``--no-cache``). A cache that cannot be read or written only costs time.
It is bounded: after each run the least recently used entries go until it holds at most
``OPENAPI_PYCLIENT_CACHE_MB`` megabytes (default :data:`DEFAULT_LIMIT_MB`).

What is read back becomes generated code, so the cache must not be a way in: it is used only
when its folders belong to this user and no one else can write them (they are made 0700), and
each entry carries an HMAC of its name and content under a key only this user can read; an
entry that does not match it is a miss.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

ENV = "OPENAPI_PYCLIENT_CACHE"
LIMIT_ENV = "OPENAPI_PYCLIENT_CACHE_MB"
#: The cache's bound in megabytes: room for the models and formatted modules of a few large APIs.
DEFAULT_LIMIT_MB = 256
_KEY_FILE = ".hmac-key"
_ENTRY_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _private_folder(path: Path) -> bool:
    """Make ``path`` (0700) if missing; whether it is a real folder of this user that no one else can write."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _signed_dir() -> Path | None:
    """The folder of the entries, or ``None`` when caching is off or the folder is not safe to use."""
    setting = os.environ.get(ENV, "")
    if setting.lower() in ("off", "0", "false", "no"):
        return None
    base = (
        Path(setting)
        if setting
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "openapi-pyclient"
    )
    # Signed entries live apart from the unsigned ones of earlier versions, which read them as plain text.
    signed = base / "signed"
    if not all(_private_folder(path) for path in (base, signed)) or _key(signed) is None:
        return None
    return signed


def cache_dir(kind: str) -> Path | None:
    """The cache folder for ``kind``, or ``None`` when caching is off or the folder is not safe to use."""
    signed = _signed_dir()
    if signed is None or not _private_folder(signed / kind):
        return None
    return signed / kind


@contextlib.contextmanager
def turned_off() -> Iterator[None]:
    """No cache inside, in this process and in the worker processes it starts meanwhile."""
    before = os.environ.get(ENV)
    os.environ[ENV] = "off"
    try:
        yield
    finally:
        if before is None:
            del os.environ[ENV]
        else:
            os.environ[ENV] = before


def limit_bytes() -> int:
    """The cache's bound: ``OPENAPI_PYCLIENT_CACHE_MB`` megabytes, or :data:`DEFAULT_LIMIT_MB` if unset or invalid."""
    try:
        megabytes = float(os.environ.get(LIMIT_ENV) or DEFAULT_LIMIT_MB)
    except ValueError:
        megabytes = DEFAULT_LIMIT_MB
    return int(max(megabytes, 0) * 1_000_000)


def prune(limit: int | None = None) -> None:
    """Delete the least recently used entries (written or read) until the entries take at most ``limit``
    bytes (default :func:`limit_bytes`)."""
    signed = _signed_dir()
    if signed is None:
        return
    limit = limit_bytes() if limit is None else limit
    entries: list[tuple[float, int, Path]] = []
    try:
        for kind in signed.iterdir():
            if kind.is_dir() and not kind.is_symlink():
                for entry in os.scandir(kind):
                    if entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        entries.append((info.st_mtime, info.st_size, Path(entry.path)))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size


@functools.cache
def code_fingerprint(*modules: ModuleType) -> str:
    """A hash of the source files of ``modules``: a key part for results that code decides or has checked."""
    hasher = hashlib.sha256()
    for module in modules:
        hasher.update(Path(str(module.__file__)).read_bytes() + b"\0")
    return hasher.hexdigest()


@functools.lru_cache(maxsize=8)
def _key(base: Path) -> bytes | None:
    """The secret that signs ``base``'s entries, made on first use; ``None`` if it cannot be trusted."""
    path = base / _KEY_FILE
    try:
        if not path.exists():
            with tempfile.NamedTemporaryFile(dir=base, delete=False, suffix=".tmp") as handle:  # made 0600
                handle.write(secrets.token_bytes(32))
            try:
                os.link(handle.name, path)  # never replaces a key another process made meanwhile
            except FileExistsError:
                pass
            finally:
                os.unlink(handle.name)
        info = path.lstat()
        key = path.read_bytes()
    except OSError:
        return None
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    private = stat.S_ISREG(info.st_mode) and owned and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    return key if private and len(key) == 32 else None


def _seal(folder: Path, name: str, text: str) -> str | None:
    """The HMAC of an entry, binding its kind, name and content; ``None`` without a trusted key."""
    key = _key(folder.parent)
    if key is None:
        return None
    return hmac.new(key, f"{folder.name}\0{name}\0{text}".encode(), hashlib.sha256).hexdigest()


def read(folder: Path | None, name: str) -> str | None:
    """The entry ``name`` of ``folder``, or ``None`` when missing or not sealed by this cache."""
    if folder is None or not _ENTRY_NAME.fullmatch(name):
        return None
    try:
        seal, _, text = (folder / name).read_bytes().decode().partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    expected = _seal(folder, name, text)
    if expected is None or not hmac.compare_digest(seal.encode(), expected.encode()):
        return None
    with contextlib.suppress(OSError):
        os.utime(folder / name)  # recently used: pruned last
    return text


def write(folder: Path | None, name: str, text: str) -> None:
    if folder is None or not _ENTRY_NAME.fullmatch(name):
        return
    try:
        seal = _seal(folder, name, text)
        if seal is None:
            return
        entry = f"{seal}\n{text}".encode()
    except UnicodeEncodeError:
        return
    # Written beside the entry and moved in place: a reader sees the old entry or the new one. Not with
    # tempfile, which costs four times the write itself: a cold run of a large API writes thousands.
    staged = folder / f".{secrets.token_hex(8)}.tmp"
    try:
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
        with open(descriptor, "wb") as handle:
            handle.write(entry)
        os.replace(staged, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            staged.unlink()


class Shelf:
    """Entries kept together under a name that stays from run to run (the document's file, say), each
    under its own key (a content hash, as a plain entry's name), in a few entries of ``folder``.

    A run writes hundreds to thousands of results (an operation's methods, its fixtures): a file apiece
    cost a cold run of Trello's document a sixth of its time, in the file system. A shelf keeps them in
    parts by the first character of the key (16 for hashes in hex): each part is an entry, read whole
    when first asked and written whole by :meth:`save` if it changed, with the entries this run used or
    made (one that no run uses any more goes when its part is written next; a part no run reads goes
    as any entry, the least recently used). Regenerating after an edit writes again only the parts
    holding what it changed.
    """

    def __init__(self, folder: Path | None, name: str) -> None:
        self._folder = folder
        self._name = name
        self._stored: dict[str, dict[str, str]] = {}  # by part, each read on the first get of its keys
        self._used: dict[str, dict[str, str]] = {}
        self._made: set[str] = set()

    def get(self, key: str) -> str | None:
        """The entry ``key``, or ``None``."""
        part = key[:1]
        if part not in self._stored:
            self._stored[part] = self._read(part)
        text = self._stored[part].get(key)
        if text is not None:
            self._used.setdefault(part, {})[key] = text
        return text

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` as the entry ``key`` (written by :meth:`save`)."""
        part = key[:1]
        self._used.setdefault(part, {})[key] = text
        self._made.add(part)

    def save(self) -> None:
        """Write each part whose entries changed (those used or made since it was read), and let go of
        them all: a large document's are tens of megabytes, held while its models are made."""
        for part in sorted(self._made | self._stored.keys()):
            used = self._used.get(part, {})
            if part in self._made or self._stored[part].keys() != used.keys():
                write(self._folder, self._entry(part), json.dumps(used, sort_keys=True))
        self._stored, self._used, self._made = {}, {}, set()

    def _entry(self, part: str) -> str:
        return hashlib.sha256(f"shelf\0{self._name}\0{part}".encode()).hexdigest()

    def _read(self, part: str) -> dict[str, str]:
        text = read(self._folder, self._entry(part))
        try:
            entries = json.loads(text) if text is not None else {}
        except ValueError:
            return {}
        if not isinstance(entries, dict) or not all(isinstance(value, str) for value in entries.values()):
            return {}
        return entries
