"""Static checks of the generator and of the generated package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_mypy_strict_on_the_generated_package() -> None:
    result = _run("mypy", "--strict", "--config-file", "/dev/null", "generated/stackone_lms")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_generator() -> None:
    result = _run("mypy", "generator")
    assert result.returncode == 0, result.stdout + result.stderr


def test_black_check() -> None:
    result = _run("black", "--check", "--quiet", "generator", "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    # The generated package is formatted with the generator's own fixed settings.
    result = _run("black", "--check", "--quiet", "--line-length", "100", "--target-version", "py311", "generated")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    result = _run("ruff", "check", "generator", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_package_has_no_unused_imports_or_undefined_names() -> None:
    result = _run("ruff", "check", "--isolated", "--select", "F", "--line-length", "100", "generated/stackone_lms")
    assert result.returncode == 0, result.stdout + result.stderr
