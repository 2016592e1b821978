"""The generator's wheel carries its templates and default spec; the generated package's wheel its data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wheel(project: Path, out: Path) -> list[str]:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(project)],
        check=True,
        capture_output=True,
    )
    [wheel] = out.glob("*.whl")
    return zipfile.ZipFile(wheel).namelist()


def test_generator_wheel_ships_templates_and_the_default_spec(tmp_path: Path) -> None:
    names = _wheel(ROOT, tmp_path)
    templates = {path.relative_to(ROOT).as_posix() for path in (ROOT / "templates").rglob("*") if path.is_file()}
    assert {f"generator/{name}" for name in templates} <= set(names)
    assert "generator/specs/stackone-lms.yaml" in names


def test_generated_wheel_ships_fixtures_and_py_typed(tmp_path: Path) -> None:
    names = _wheel(ROOT / "generated", tmp_path)
    assert "stackone_lms/py.typed" in names
    assert "stackone_lms/fixtures/lms_batch_upsert_course/request.json" in names
    assert "stackone_lms/fixtures/lms_batch_upsert_course/response_202.json" in names
