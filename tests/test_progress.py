"""Progress of a run on stderr: phases with counts and elapsed time, once the run takes a while."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from generator import progress as progress_module
from generator.cli import main
from generator.pipeline import generate
from generator.progress import Progress

SPEC = Path(__file__).resolve().parent.parent / "specs" / "stackone-lms.yaml"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_phases_with_counts_after_the_quiet_time(tmp_path: Path) -> None:
    plain = io.StringIO()
    generate(SPEC, progress=Progress(plain, after=0.0))
    lines = plain.getvalue().splitlines()
    assert any(re.fullmatch(r"\[ +\d+\.\d s\] validating 1 paths", line) for line in lines), lines
    assert any(re.search(r"rendering 1 operations in 1 groups", line) for line in lines), lines
    assert "\r" not in plain.getvalue()
    live = _Terminal()
    progress = Progress(live, after=0.0)
    generate(SPEC, progress=progress)
    progress.done("generated")
    assert live.getvalue().startswith("\r\x1b[K[") and live.getvalue().count("\n") == 1
    assert live.getvalue().endswith("generated\n")
    # A run shorter than the quiet time prints nothing.
    quiet = io.StringIO()
    generate(SPEC, progress=Progress(quiet, after=3600.0))
    assert quiet.getvalue() == ""


def test_quiet_silences_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "QUIET_SECONDS", 0.0)
    monkeypatch.delenv("OPENAPI_PYCLIENT_QUIET", raising=False)  # the test suite's setting
    assert main([str(SPEC), "--out", str(tmp_path / "loud")]) == 0
    # Not on a terminal: each phase a plain line with its time.
    assert re.search(r"^\[ +\d+\.\d s\] normalizing\n", capsys.readouterr().err, re.MULTILINE)
    assert main([str(SPEC), "--out", str(tmp_path / "quiet"), "--quiet"]) == 0
    assert "[" not in capsys.readouterr().err
