"""The generator's cache cannot feed another user's (or a tampered) entry into generated code."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.output import cache

ROOT = Path(__file__).resolve().parent.parent

PAYLOAD = "__import__('os').system('touch /tmp/openapi-generator-pwned-marker')\n"


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", str(folder))
    return folder


def test_entries_are_private_and_read_back(base: Path) -> None:
    folder = cache.cache_dir("kind")
    assert folder == base / "signed" / "kind"
    cache.write(folder, "abc", "text\r\nwith a CR")
    assert cache.read(folder, "abc") == "text\r\nwith a CR"
    for path in (base, base / "signed", folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    for path in (folder / "abc", base / "signed" / ".hmac-key"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_entry_not_sealed_by_this_cache_is_a_miss(base: Path) -> None:
    folder = cache.cache_dir("kind")
    cache.write(folder, "abc", "x = 1\n")
    seal = (folder / "abc").read_text().partition("\n")[0]
    for forged in (PAYLOAD, f"{seal}\n{PAYLOAD}", f"{'0' * 64}\n{PAYLOAD}", "é\n", ""):
        (folder / "abc").write_text(forged)
        assert cache.read(folder, "abc") is None
    # An entry is sealed with its name and kind: copied elsewhere, it does not match.
    cache.write(folder, "abc", PAYLOAD)
    (folder / "other").write_bytes((folder / "abc").read_bytes())
    (base / "signed" / "kind2").mkdir(mode=0o700)
    (base / "signed" / "kind2" / "abc").write_bytes((folder / "abc").read_bytes())
    assert cache.read(folder, "other") is None and cache.read(cache.cache_dir("kind2"), "abc") is None
    assert cache.read(folder, "../kind/abc") is None


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_a_folder_others_can_write_is_not_used(base: Path, mode: int) -> None:
    assert cache.cache_dir("kind") is not None  # makes the folders
    for folder in (base, base / "signed", base / "signed" / "kind"):
        os.chmod(folder, mode)
        assert cache.cache_dir("kind") is None
        os.chmod(folder, 0o700)
    assert cache.cache_dir("kind") is not None


def test_a_symlinked_folder_is_not_used(base: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    base.symlink_to(tmp_path / "elsewhere")
    assert cache.cache_dir("kind") is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing an owner needs root")
def test_a_folder_owned_by_someone_else_is_not_used(base: Path) -> None:
    base.mkdir(mode=0o700)
    os.chown(base, 65534, 65534)
    assert cache.cache_dir("kind") is None


def test_a_poisoned_formatting_entry_never_reaches_the_output(base: Path, tmp_path: Path) -> None:
    from generator.pipeline import generate

    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.1.0",
                "info": {"title": "Cached", "version": "1"},
                "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}},
                "components": {"schemas": {"A": {"type": "object"}}},
            }
        )
    )
    clean = generate(spec).files
    entries = [path for path in base.rglob("*") if path.is_file() and path.name != ".hmac-key"]
    assert entries
    for entry in entries:  # what someone able to write the folder would do, without the key
        seal, _, text = entry.read_text().partition("\n")
        entry.write_text(f"{seal}\n{PAYLOAD}{text}")
    assert generate(spec).files == clean


def test_the_least_recently_used_entries_go_beyond_the_limit(base: Path) -> None:
    folder = cache.cache_dir("kind")
    assert folder is not None
    for index, name in enumerate(["a", "b", "c"]):
        cache.write(folder, name, "x" * 1000)
        os.utime(folder / name, (1_600_000_000 + index, 1_600_000_000 + index))  # written in this order, long ago
    size = (folder / "a").stat().st_size
    assert cache.read(folder, "a") is not None  # a read makes "a" the most recently used
    cache.prune(limit=2 * size)
    assert sorted(path.name for path in folder.iterdir()) == ["a", "c"]
    cache.prune(limit=0)
    assert list(folder.iterdir()) == [] and (base / "signed" / ".hmac-key").exists()


def test_a_shelf_keeps_what_a_run_used_and_writes_again_only_the_parts_that_changed(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cache.cache_dir("kind")
    written: list[str] = []
    write = cache.write
    monkeypatch.setattr(cache, "write", lambda *args: written.append(args[1]) or write(*args))
    keys = {"a1": "one", "a2": "two", "b1": "three", "c1": "gone next run"}
    first = cache.Shelf(folder, "doc")
    assert first.get("a1") is None
    for key, text in keys.items():
        first.put(key, text)
    first.save()
    assert len(written) == 3  # one entry a part: a, b and c
    assert first.get("b1") == "three"  # read again from the cache

    written.clear()
    second = cache.Shelf(folder, "doc")
    assert [second.get(key) for key in ("a1", "a2", "b1")] == ["one", "two", "three"]
    second.put("b2", "made by an edit")
    assert cache.Shelf(folder, "another document").get("a1") is None
    second.save()
    assert len(written) == 1  # b: a is as it was read; c (no longer used) is not read, nor written

    third = cache.Shelf(folder, "doc")
    assert [third.get(key) for key in ("a1", "b1", "b2", "c1")] == ["one", "three", "made by an edit", "gone next run"]
    third.save()  # a2 is no longer used: part a is written without it
    assert cache.Shelf(folder, "doc").get("a2") is None and cache.Shelf(folder, "doc").get("a1") == "one"


def test_no_cache_reads_and_writes_nothing(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([str(ROOT / "specs" / "stackone-lms.yaml"), "--out", str(out), "--no-cache"]) == 0
    assert not base.exists() and (out / "pyproject.toml").is_file()
    assert os.environ["OPENAPI_PYCLIENT_CACHE"] == str(base)


def _compiled(template: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many templates a fresh environment compiles to load ``template`` (the others come from the cache)."""
    from generator.emit import render
    from generator.paths import TEMPLATE_DIR

    render.environment.cache_clear()
    env = render.environment(TEMPLATE_DIR / "package")
    calls = []
    compile_ = env.compile
    monkeypatch.setattr(env, "compile", lambda *args, **kwargs: calls.append(args) or compile_(*args, **kwargs))
    env.get_template(template)
    render.environment.cache_clear()
    return len(calls)


@pytest.fixture
def beside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the generator keeps its own bytecode, for this test alone."""
    from generator.emit import render

    folder = tmp_path / "__pycache__"
    monkeypatch.setattr(render, "_BESIDE", folder)
    return folder


def test_templates_are_compiled_once_per_installation(
    base: Path, beside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert _compiled("__package__/errors.py.jinja", monkeypatch) == 1
    [entry] = beside.glob("templates-*/*")
    assert not list(base.glob("signed/templates-*/*"))  # not in the cache: emptying it keeps them
    assert _compiled("__package__/errors.py.jinja", monkeypatch) == 0
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _compiled("__package__/errors.py.jinja", monkeypatch) == 0  # read, as Python reads its bytecode
    entry.write_bytes(b"j2 not an entry")
    assert _compiled("__package__/errors.py.jinja", monkeypatch) == 1  # compiled again, into the cache
    assert len(list(base.glob("signed/templates-*/*"))) == 1


def test_templates_are_compiled_once_and_read_back_signed(
    base: Path, beside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # PYTHONDONTWRITEBYTECODE: none beside the generator
    assert _compiled("__package__/errors.py.jinja", monkeypatch) == 1
    assert not beside.exists()
    folder = next((base / "signed").glob("templates-*"))
    entries = sorted(folder.iterdir())
    assert len(entries) == 1 and stat.S_IMODE(entries[0].stat().st_mode) == 0o600
    assert _compiled("__package__/errors.py.jinja", monkeypatch) == 0  # read back, not compiled
    entries[0].write_bytes(b"0" * 64 + b"\n" + PAYLOAD.encode())
    assert _compiled("__package__/errors.py.jinja", monkeypatch) == 1  # a tampered entry is a miss
