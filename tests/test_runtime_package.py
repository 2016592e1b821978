"""The runtime (generator/runtime) is plain Python, copied as it is into every generated package."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.emit.formatting import format_python
from generator.emit.runtime import runtime_files
from generator.paths import RUNTIME_DIR, TEMPLATE_DIR

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "stackone_lms"
RUNTIME = sorted(RUNTIME_DIR.glob("*.py"))
# The modules a template renders, which replace the runtime's stand-ins.
RENDERED = {path.name.removesuffix(".jinja") for path in (TEMPLATE_DIR / "package" / "__package__").glob("*.jinja")}


@pytest.mark.parametrize("path", RUNTIME, ids=lambda path: path.name)
def test_runtime_module_is_black_clean_with_the_generated_packages_settings(path: Path) -> None:
    # Copied without a black pass, so it must already be what black writes for the packages.
    text = path.read_text()
    assert format_python(text, path.name) == text


@pytest.mark.parametrize("path", RUNTIME, ids=lambda path: path.name)
def test_runtime_module_is_copied_byte_for_byte_unless_rendered(path: Path) -> None:
    written = (GENERATED / path.name).read_bytes()
    if path.name in RENDERED:
        assert written != path.read_bytes()  # a stand-in: the rendered module replaced it
    else:
        assert written == path.read_bytes()


def test_runtime_files_are_named_for_the_package() -> None:
    files = runtime_files("acme")
    assert set(files) == {f"acme/{path.name}" for path in RUNTIME}
    assert files["acme/_exchange.py"] == (RUNTIME_DIR / "_exchange.py").read_bytes()


def test_every_stand_in_is_replaced_by_a_template() -> None:
    stand_ins = {path.name for path in RUNTIME} & RENDERED
    assert stand_ins == {"__init__.py", "errors.py", "_spec.py"}
