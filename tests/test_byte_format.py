"""A ``format: byte`` string (base64) is kept as the text the API sends (mux.com's signing keys).

pydantic's ``Base64Str``, which the model generator picks for it, decodes the value and then
refuses any that is not UTF-8 text, so a base64 private key or image made every such response fail
its own model, fixtures included.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.output.writer import write_tree
from generator.pipeline import generate

PROBE = Path(__file__).parent / "realworld" / "probe.py"
NOT_UTF8 = "abcd123="  # decodes to 0x69 0xb7 ...: not UTF-8

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Keys", "version": "1"},
    "paths": {
        "/keys": {
            "post": {
                "operationId": "createKey",
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Key"},
                                "example": {"id": "k1", "private_key": NOT_UTF8},
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Key": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "private_key": {"type": "string", "format": "byte"}},
            }
        }
    },
}


def test_base64_that_is_not_text_is_kept_as_sent(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(SPEC))
    package = generate(tmp_path / "spec.json")
    out = tmp_path / "out"
    write_tree(package.files, out)
    report = tmp_path / "probe.json"
    subprocess.run(
        [sys.executable, "-P", str(PROBE), str(out), package.package, str(report)], cwd=out, check=True, timeout=300
    )
    probed = json.loads(report.read_text())
    assert (probed["call_failures"], probed["fixture_failures"]) == ({}, {})
    script = f"from {package.package}.models import Key; print(Key.model_validate({{'private_key': {NOT_UTF8!r}}}).private_key)"
    shown = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == NOT_UTF8
