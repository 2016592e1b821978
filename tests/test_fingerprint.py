"""The generator's fingerprint (in every manifest and package) changes with any of its code or templates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.output import manifest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("changed", ["pipeline.py", "model/parse.py", "spec/pointers.py", "emit/render.py"])
def test_every_generator_module_is_part_of_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    code = shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(manifest, "PACKAGE_DIR", code)
    before = manifest.generator_fingerprint()
    with (code / changed).open("a") as module:
        module.write("\n# changed\n")
    assert manifest.generator_fingerprint() != before


def test_every_template_is_part_of_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    monkeypatch.setattr(manifest, "TEMPLATE_DIR", templates)
    before = manifest.generator_fingerprint()
    nested = sorted(path for path in templates.rglob("*.jinja") if path.parent != templates)[0]
    nested.write_text(nested.read_text() + "\n")
    assert manifest.generator_fingerprint() != before
