from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The request and response examples of the customer's documentation page, copied as they are there.
SEED = ROOT / "tests" / "data" / "seed"


_RUN_CACHE = Path(tempfile.mkdtemp(prefix="openapi-pyclient-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    """The generator's cache in a folder of this run, for every test and subprocess: never the user's.

    Set unconditionally, so a user's own ``OPENAPI_PYCLIENT_CACHE`` is not read or written either;
    a test that needs the cache off or empty sets its own (see ``fresh_cache``). Progress lines are kept
    out of the stderr tests read (a loaded machine makes any run long enough to show them).
    """
    os.environ["OPENAPI_PYCLIENT_CACHE"] = str(_RUN_CACHE)
    os.environ.setdefault("OPENAPI_PYCLIENT_QUIET", "1")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_RUN_CACHE, ignore_errors=True)


@pytest.fixture
def fresh_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Path]:
    """Point the generator at a new, empty cache folder (each call another), so nothing is served from
    an earlier generation."""

    def fresh() -> Path:
        folder = tmp_path_factory.mktemp("cache")
        monkeypatch.setenv("OPENAPI_PYCLIENT_CACHE", str(folder))
        return folder

    return fresh


@pytest.fixture(scope="session")
def seed() -> tuple[Any, Any]:
    return json.loads((SEED / "request.json").read_text()), json.loads((SEED / "response.json").read_text())


@pytest.fixture(scope="session")
def seed_request(seed: tuple[Any, Any]) -> Any:
    return seed[0]


@pytest.fixture(scope="session")
def seed_response(seed: tuple[Any, Any]) -> Any:
    return seed[1]


@pytest.fixture
def import_generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Generate a package from an inline spec into tmp_path, check that it is black's form, and import it."""
    from generator.emit.formatting import format_python
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    def build(spec: dict[str, Any], package: str) -> Any:
        spec_path = tmp_path / f"{package}.json"
        spec_path.write_text(json.dumps(spec))
        out = tmp_path / f"out_{package}"
        files = generate(spec_path, package).files
        # black runs on little of it (generator/emit/formatting.py): what it would change is a defect
        modules = {name: content.decode() for name, content in files.items() if name.endswith(".py")}
        assert [name for name, text in modules.items() if format_python(text, name) != text] == []
        write_tree(files, out)
        monkeypatch.syspath_prepend(str(out))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        return __import__(package)

    return build


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
