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


def test_operation_and_model_modules_need_no_change_from_black() -> None:
    """black formats twice whenever its first pass changes something; the bulk of a large
    package (operation groups and models) is emitted as black writes it, so it costs one pass."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_spec

    from generator.emit.formatting import format_python
    from generator.emit.modelgen import make_models, models_job
    from generator.emit.render import render_package
    from generator.errors import Diagnostics
    from generator.model.normalize import normalize
    from generator.model.parse import build_api
    from generator.paths import TEMPLATE_DIR
    from generator.pipeline import _model_modules

    normalized = normalize(make_spec(30))
    api = build_api(normalized, "spec.yaml", "pkg", Diagnostics("spec.yaml"))
    texts = {
        name: text
        for name, text in render_package(api, TEMPLATE_DIR / "package", "1.0", {"spec": "s", "generator": "g"}).items()
        if "/_endpoints/" in name
    }
    roots = {group: {name for op in operations for name in op.models} for group, operations in api.groups.items()}
    source = make_models(models_job(normalized, package="pkg", template_dir=TEMPLATE_DIR / "models"))
    texts.update(_model_modules(source, roots, api)[1].sources)
    assert len(texts) > 10
    changed = [name for name, text in texts.items() if format_python(text, name) != text]
    assert changed == []


def test_mypy_strict_where_only_signatures_use_any(tmp_path: Path) -> None:
    """A group module imports from typing what its signatures use: ``Any`` from a return type alone, or from a
    deepObject query parameter and the items of an untyped paginated list, not from a body."""
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    write_tree(generate(ROOT / "tests" / "specs" / "any_annotations.json").files, tmp_path / "out")
    result = _run("mypy", "--strict", "--config-file", "/dev/null", str(tmp_path / "out" / "anyp"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_where_operations_are_named_like_what_annotations_use(tmp_path: Path) -> None:
    """A method named ``models``, ``list`` or ``datetime`` hid the module's name from the annotations of the
    methods after it in its class (``models.Thing``, ``list[str]``); a method ``uuid`` made a constant
    ``UUID``, which the module imports. Each gets a ``_``."""
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    package = generate(ROOT / "tests" / "specs" / "shadowing_names.json")
    source = package.files["shadowing_names/_endpoints/all.py"].decode()
    for name in ("models", "httpx", "datetime", "uuid", "type_checking", "str", "list", "object"):
        assert f"    def {name}_(" in source and f"    def {name}(" not in source
    write_tree(package.files, tmp_path / "out")
    result = _run("mypy", "--strict", "--config-file", "/dev/null", str(tmp_path / "out" / "shadowing_names"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_where_an_enum_is_of_numbers(tmp_path: Path) -> None:
    """An enum of numbers mixes ``float`` in: before the enum bases, as Python and mypy read them (after
    ``OpenEnum``, mypy refused every such module)."""
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    package = generate(ROOT / "tests" / "specs" / "number_enums.json")
    source = package.files["number_enums/models/r.py"].decode()
    assert "class Half(float, OpenEnum, Enum):" in source and "class Whole(OpenEnum, IntEnum):" in source
    write_tree(package.files, tmp_path / "out")
    result = _run("mypy", "--strict", "--config-file", "/dev/null", str(tmp_path / "out" / "number_enums"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_where_the_field_type_converts_a_default(tmp_path: Path) -> None:
    """A default the field's type converts was written as its JSON value: linqr's ``output: OutputFile =
    {"filename": ...}``, Rudder's ``id: UUID = "..."`` (which pydantic left a ``str``); mypy refuses both. Such
    a default is dropped, and the field is optional. Defaults of plain values stay."""
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    package = generate(ROOT / "tests" / "specs" / "model_defaults.json")
    source = package.files["model_defaults/models/jobs.py"].decode()
    fields = {line.split(":")[0].strip(): line for line in source.splitlines() if line.startswith("    ")}
    for name in ("output", "wrapped", "inline", "files", "by_name", "either", "run_id", "starts", "parent_id"):
        assert fields[name].endswith(" | None = None"), fields[name]
    assert 'labels: dict[str, str] = {"k": "v"}' in source and "sizes: list[int] = [1, 2]" in source
    assert 'email: str = "a@example.com"' in source and fields["ref_or_name"].endswith(' = "latest"')
    assert "none_yet: Annotated[list[OutputFile], Field(validate_default=True)] = []" in source
    write_tree(package.files, tmp_path / "out")
    result = _run("mypy", "--strict", "--config-file", "/dev/null", str(tmp_path / "out" / "model_defaults"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_where_an_all_of_part_declares_the_tag_its_variants_narrow(tmp_path: Path) -> None:
    """JupyterHub's ``RequestIdentity``: ``allOf`` a ``oneOf: [User, Service]`` and a part whose ``kind`` is
    ``user`` or ``service``. The model generator makes each variant's class extend the variant and the part:
    two bases declaring ``kind`` as two enums, which mypy refuses. The part's ``kind`` says nothing the
    variants do not, and is left to them."""
    from generator.output.writer import write_tree
    from generator.pipeline import generate

    package = generate(ROOT / "tests" / "specs" / "variant_tags.json")
    write_tree(package.files, tmp_path / "out")
    result = _run("mypy", "--strict", "--config-file", "/dev/null", str(tmp_path / "out" / "variant_tags"))
    assert result.returncode == 0, result.stdout + result.stderr
    # Each variant's class still reads its own tag, and the part's other fields.
    read = (
        "import pydantic\n"
        "from variant_tags import models\n"
        "for kind in ('user', 'service'):\n"
        "    body = {'kind': kind, 'name': 'n', 'session_id': 's'}\n"
        "    found = pydantic.TypeAdapter(models.RequestIdentity).validate_python(body)\n"
        "    print(type(found).__mro__[1].__name__, found.kind.value, found.session_id)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", read], cwd=tmp_path / "out", capture_output=True, text=True, check=True
    )
    assert shown.stdout.split("\n")[:2] == ["User user s", "Service service s"]
