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

from generator.emit.formatting import format_python
from generator.emit.render import render_package
from generator.emit.runtime import runtime_files
from generator.errors import Diagnostics
from generator.model.normalize import normalize
from generator.model.parse import build_api
from generator.output.manifest import generator_fingerprint
from generator.output.writer import write_tree
from generator.paths import TEMPLATE_DIR
from generator.pipeline import GeneratedPackage, generate
from generator.spec.loader import load_spec

SPEC = Path(__file__).resolve().parent / "specs" / "branches.yaml"
# The manifest only lists hashes of the files recorded here; the runtime modules are copied as they are
# (generator/runtime, tested there) and the same for every spec.
_MANIFEST = ".generator-manifest.json"


@pytest.fixture(scope="module")
def package() -> GeneratedPackage:
    return generate(SPEC)


def test_the_package_of_every_branch_matches_its_golden_record(
    package: GeneratedPackage, snapshot: SnapshotAssertion
) -> None:
    # The generator's own fingerprint changes with every edit of it; what it stamps does not.
    fingerprint = generator_fingerprint()
    runtime = runtime_files("branches")
    files = {
        name: data.decode().replace(fingerprint, "<generator fingerprint>")
        for name, data in package.files.items()
        if name != _MANIFEST and runtime.get(name) != data
    }
    assert package.warnings == []
    assert files == snapshot


# A caller of the package, type-checked with it: plain values where a model may be given instead.
_CONSUMER = """
from branches import Client


def order(client: Client) -> None:
    client.order_notes(body=["second", "first"], x_tenant="t")
    client.update_note(note_id="n", if_match="*", body={"title": "plain"}, x_tenant="t")
"""


def test_the_package_of_every_branch_passes_ruff_and_mypy_strict(package: GeneratedPackage, tmp_path: Path) -> None:
    write_tree(package.files, tmp_path)
    (tmp_path / "consumer.py").write_text(_CONSUMER)
    for command in (
        ["ruff", "check", "--isolated", "--select", "F", "--line-length", "100", "branches"],
        ["mypy", "--strict", "--config-file", "/dev/null", "branches", "consumer.py"],
    ):
        result = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_operation_modules_are_rendered_as_black_writes_them() -> None:
    # Each needs one black pass only (see test_quality.py), the long call arguments of update_note included.
    loaded = load_spec(SPEC)
    api = build_api(normalize(loaded.document), loaded.source, "branches", Diagnostics(loaded.source))
    texts = render_package(api, TEMPLATE_DIR / "package", "1.0", {"spec": "s", "generator": "g"})
    groups = {name: text for name, text in texts.items() if "/_endpoints/" in name and not name.endswith("__init__.py")}
    assert len(groups) == 2
    assert [name for name, text in groups.items() if format_python(text, name) != text] == []
