"""Lazy clients: importing a package loads no group of operations and no models; the first call of an
operation loads its group's module only, and the flat client API (raw and streaming responses, ``_iter``,
``dir()``) works as before. Each check runs in a fresh interpreter, against a loopback server."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.output.writer import write_tree
from generator.pipeline import generate
from generator.runtime import _lazy
from tests.loopback import LoopbackServer, Reply, Seen, serve

SPEC = Path(__file__).resolve().parent / "specs" / "branches.yaml"
#: The operations of SPEC, by method name.
OPERATIONS = ["attach", "download", "import_notes", "list_notes", "order_notes", "update_note", "upload"]

# What each script prints: the group modules and models parts loaded so far.
_PRELUDE = """
import json, sys
import branches

def loaded():
    return sorted(
        name for name in sys.modules if name.startswith(("branches._endpoints.", "branches.models."))
    )

steps = {"import": loaded()}
# What a plain import does not need, loaded where it is first used.
_LATER = ("asyncio", "pydantic", "h11", "httpcore", "difflib")
_LATER += tuple(f"branches.{name}" for name in ("_batching", "_exchange", "_oauth", "_request", "_streams"))
steps["loaded too soon"] = sorted(name for name in _LATER if name in sys.modules)
"""


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lazy")
    write_tree(generate(SPEC).files, folder)
    return folder


def _answer(seen: Seen) -> Reply:
    if seen.path.startswith("/v2/notes?") or seen.path == "/v2/notes":
        if "next=2" in seen.path:
            return Reply(200, {"data": [{"title": "b"}], "next": None})
        return Reply(200, {"data": [{"title": "a"}], "next": "2"})
    if seen.path.endswith("/attachment"):
        return Reply(200, b"file bytes", {"content-type": "application/octet-stream"})
    return Reply(200, {"stored": True})


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve(responder=_answer) as running:
        yield running


def _run(package_dir: Path, server: LoopbackServer, script: str) -> dict[str, Any]:
    options = f"base_url={server.url + '/v2'!r}, token='t', tenant='acme', max_retries=0"
    code = _PRELUDE + textwrap.dedent(script).replace("OPTIONS", options) + "\nprint(json.dumps(steps))\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=package_dir, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    steps: dict[str, Any] = json.loads(result.stdout)
    return steps


def test_importing_the_package_loads_no_group_and_a_call_loads_only_its_own(
    package_dir: Path, server: LoopbackServer
) -> None:
    steps = _run(
        package_dir,
        server,
        """
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)  # upload is deprecated
        client = branches.Client(OPTIONS)
        steps["client"] = loaded()
        steps["client loaded too soon"] = sorted(name for name in ("asyncio", "pydantic") if name in sys.modules)
        steps["upload"] = client.upload(body=b"data")
        steps["after upload"] = loaded()
        steps["raw"] = client.with_raw_response.list_notes().status_code
        steps["pages"] = [note.title for note in client.list_notes_iter()]
        with client.with_streaming_response.download(note_id="n1") as response:
            steps["streamed"] = b"".join(response.iter_bytes()).decode()
        steps["listed"] = {"list_notes_iter", "import_notes_in_batches", "close"} <= set(dir(client))
        steps["wrapped"] = sorted(name for name in dir(client.with_raw_response) if not name.startswith("_"))
        """,
    )
    assert steps["import"] == []
    assert steps["loaded too soon"] == []
    assert steps["client"] == []
    assert steps["client loaded too soon"] == []
    assert steps["upload"] == {"stored": True}
    # The upload group's module (and the models part it may need), nothing of the notes group.
    assert "branches._endpoints.upload" in steps["after upload"]
    assert [name for name in steps["after upload"] if "notes" in name] == []
    assert steps["raw"] == 200
    assert steps["pages"] == ["a", "b"]
    assert steps["streamed"] == "file bytes"
    assert steps["listed"] is True
    # Only the operations are wrapped, not their _iter and _in_batches helpers.
    assert steps["wrapped"] == OPERATIONS


def test_the_async_client_loads_only_the_group_it_calls(package_dir: Path, server: LoopbackServer) -> None:
    steps = _run(
        package_dir,
        server,
        """
        import asyncio
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)  # upload is deprecated

        async def main():
            async with branches.AsyncClient(OPTIONS) as client:
                page = await client.list_notes()
                steps["after list"] = [name for name in loaded() if "_endpoints" in name]
                steps["page"] = page.next
                steps["pages"] = [note.title async for note in client.list_notes_iter()]
                raw = await client.with_raw_response.upload(body=b"data")
                steps["raw"] = raw.status_code
                async with client.with_streaming_response.download(note_id="n1") as response:
                    steps["streamed"] = b"".join([part async for part in response.aiter_bytes()]).decode()
            steps["after all"] = [name for name in loaded() if "_endpoints" in name]

        asyncio.run(main())
        """,
    )
    assert steps["import"] == []
    assert steps["after list"] == ["branches._endpoints.notes"]
    assert steps["page"] == "2"
    assert steps["pages"] == ["a", "b"]
    assert steps["raw"] == 200
    assert steps["streamed"] == "file bytes"
    assert steps["after all"] == ["branches._endpoints.notes", "branches._endpoints.upload"]


def test_operations_are_made_on_demand_and_a_class_lookup_or_an_override_loads_the_method(
    package_dir: Path, server: LoopbackServer
) -> None:
    steps = _run(
        package_dir,
        server,
        """
        method = branches.Client.list_notes
        steps["method"] = [method.__name__, loaded()]
        class Mine(branches.Client):
            def upload(self, **kwargs):  # the group is not loaded yet: super() must find it all the same
                return ["mine", super().upload(**kwargs)]

        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)  # upload is deprecated
        steps["override"] = Mine(OPTIONS).upload(body=b"data")
        from branches._endpoints import OPERATIONS
        steps["operations"] = sorted(OPERATIONS)
        """,
    )
    assert steps["override"] == ["mine", {"stored": True}]
    assert steps["method"] == ["list_notes", ["branches._endpoints.notes"]]
    assert steps["operations"] == OPERATIONS


def test_a_table_that_misses_a_method_of_its_group_is_refused_on_first_use(
    package_dir: Path, server: LoopbackServer
) -> None:
    steps = _run(
        package_dir,
        server,
        """
        from branches import _lazy, _transport
        base = _lazy.methods_base(_transport.SyncTransport, "SyncMethods", {"notes": ("list_notes",)})
        try:
            base.list_notes
        except TypeError as error:
            steps["error"] = str(error)
        """,
    )
    assert steps["error"] == "the table of the group 'notes' does not list its methods"


def test_a_method_in_two_groups_is_refused() -> None:
    with pytest.raises(TypeError, match="the method 'find' is in two groups, 'a' and 'b'"):
        _lazy.methods_base(object, "SyncMethods", {"a": ("find",), "b": ("find", "other")})


def test_an_unknown_name_is_an_attribute_error_on_the_class_and_its_instances() -> None:
    base = _lazy.methods_base(object, "SyncMethods", {"a": ("find",)})
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        base.nope  # noqa: B018
    with pytest.raises(AttributeError, match="object has no attribute 'nope'"):
        base().nope  # noqa: B018
    assert "find" in dir(base) and "find" in dir(base())


def test_an_api_without_operations_makes_a_clean_client_with_an_empty_table(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: Empty, version: 1.0.0}\npaths: {}\n")
    write_tree(generate(spec).files, tmp_path / "out")
    checks = (
        ["-m", "ruff", "check", "--isolated", "--select", "F", "--line-length", "100", "empty"],
        ["-c", "import empty; from empty._endpoints import GROUPS, OPERATIONS; assert GROUPS == OPERATIONS == {}"],
    )
    for command in checks:
        result = subprocess.run([sys.executable, *command], cwd=tmp_path / "out", capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
