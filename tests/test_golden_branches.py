"""The second golden record: the package made from tests/specs/branches.yaml, a small spec that takes every
branch of the client templates (pagination, forms, multipart, cookies, API keys and bearer tokens,
deprecations, an operation without a tag, enums, defaults, binary and text responses, batches), so that a
change to any branch shows in review as a change to tests/__snapshots__/test_golden_branches.ambr.

After an intended change: ``pytest tests/test_golden_branches.py --snapshot-update``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from generator.output.manifest import generator_fingerprint
from generator.output.writer import write_tree
from generator.pipeline import GeneratedPackage, generate

SPEC = Path(__file__).resolve().parent / "specs" / "branches.yaml"
# The same for every spec, and recorded with the default spec's package (tests/test_snapshot.py); the
# manifest only lists hashes of the files recorded here.
_SAME_FOR_EVERY_SPEC = {
    ".generator-manifest.json",
    "branches/_base_model.py",
    "branches/_batching.py",
    "branches/_deadline.py",
    "branches/_exchange.py",
    "branches/_open_enum.py",
    "branches/_request.py",
    "branches/_response.py",
    "branches/_runtime.py",
    "branches/_transport.py",
    "branches/py.typed",
}


@pytest.fixture(scope="module")
def package() -> GeneratedPackage:
    return generate(SPEC)


def test_the_package_of_every_branch_matches_its_golden_record(
    package: GeneratedPackage, snapshot: SnapshotAssertion
) -> None:
    # The generator's own fingerprint changes with every edit of it; what it stamps does not.
    fingerprint = generator_fingerprint()
    files = {
        name: data.decode().replace(fingerprint, "<generator fingerprint>")
        for name, data in package.files.items()
        if name not in _SAME_FOR_EVERY_SPEC
    }
    assert package.warnings == []
    assert files == snapshot


def test_the_package_of_every_branch_passes_ruff_and_mypy_strict(package: GeneratedPackage, tmp_path: Path) -> None:
    write_tree(package.files, tmp_path)
    for command in (
        ["ruff", "check", "--isolated", "--select", "F", "--line-length", "100", "branches"],
        ["mypy", "--strict", "--config-file", "/dev/null", "branches"],
    ):
        result = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
