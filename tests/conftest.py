from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT.parent / "shared" / "seed" / "batch-upsert-course.txt"


def _seed_from_page() -> tuple[Any, Any]:
    """The request and response examples of the customer's documentation page."""
    text = SEED_PAGE.read_text()
    request_text = text[text.index("--data '") + len("--data '") : text.index("}'\n") + 1]
    response_text = text[text.index("}'\n") + 3 :]
    response_text = response_text[: response_text.index("\n}\n") + 2]
    return json.loads(request_text), json.loads(response_text)


@pytest.fixture(scope="session")
def seed() -> tuple[Any, Any]:
    if SEED_PAGE.exists():
        return _seed_from_page()
    # Without the shared folder, fall back to the copy the spec carries.
    from stackone_lms.testing import load_fixture

    return load_fixture("lms_batch_upsert_course", "request"), load_fixture("lms_batch_upsert_course", "response_202")


@pytest.fixture(scope="session")
def seed_request(seed: tuple[Any, Any]) -> Any:
    return seed[0]


@pytest.fixture(scope="session")
def seed_response(seed: tuple[Any, Any]) -> Any:
    return seed[1]


@pytest.fixture
def import_generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Generate a package from an inline spec into tmp_path and import it."""
    from generator.pipeline import generate
    from generator.writer import write_tree

    def build(spec: dict[str, Any], package: str) -> Any:
        spec_path = tmp_path / f"{package}.json"
        spec_path.write_text(json.dumps(spec))
        out = tmp_path / f"out_{package}"
        write_tree(generate(spec_path, package).files, out)
        monkeypatch.syspath_prepend(str(out))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        return __import__(package)

    return build


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
