"""``models/__init__.py``: a line per few models however many there are, every model by name at run time
and for type checkers, and an index the generator checks against the modules it names."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.emit import astguard
from generator.emit.formatting import format_python
from generator.output.writer import write_tree
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_spec  # noqa: E402


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A package whose models fill several modules, some cut into parts (a small ``module_lines``)."""
    tmp_path = tmp_path_factory.mktemp("models_index")
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(make_spec(40), sort_keys=False))
    package = generate(spec_path, module_lines=100)
    write_tree(package.files, tmp_path / "out")
    return tmp_path / "out" / package.package


def _exports(package_dir: Path) -> dict[str, list[str]]:
    """Each models module's ``__all__``, read from its source."""
    found = {}
    for path in sorted((package_dir / "models").glob("*.py")):
        if path.stem != "__init__":
            assignments = [node for node in ast.parse(path.read_text()).body if isinstance(node, ast.Assign)]
            exported = [node.value for node in assignments if ast.unparse(node.targets[0]) == "__all__"]
            found[path.stem] = ast.literal_eval(exported[0])
    return found


def test_the_index_takes_a_line_per_few_models_as_black_writes_it(package_dir: Path) -> None:
    exports = _exports(package_dir)
    assert len(exports) > 10 and any("__" in module for module in exports)  # parts too
    index = (package_dir / "models" / "__init__.py").read_text()
    assert format_python(index, "models/__init__.py") == index
    assert max(len(line) for line in index.splitlines()) < 100
    entries = index[index.index("_MODULES: dict[str, str] = {") : index.index("\n}\n")].splitlines()[1:]
    models = sum(len(names) for names in exports.values())
    # A line a module whose models fit beside its name; else the module, a line per ~90 characters of names, ")".
    assert len(entries) < models / 2, (len(entries), models)


_PROBE = """
import importlib
import sys
from {package} import models

def loaded():
    return {{name for name in sys.modules if name.startswith("{package}.models.")}}

exports = {exports!r}
assert loaded() == set(), loaded()
assert models.__all__ == sorted(name for names in exports.values() for name in names)
assert dir(models) == models.__all__
star = {{}}
exec("from {package}.models import *", star)
assert sorted(set(star) - {{"__builtins__"}}) == models.__all__
assert loaded() == {{f"{package}.models.{{module}}" for module in exports}}  # * loads every module
for module, names in exports.items():
    defining = importlib.import_module(f"{package}.models.{{module}}")
    for name in names:
        namespace = {{}}
        exec(f"from {package}.models import {{name}}", namespace)
        assert namespace[name] is getattr(models, name) is getattr(defining, name), name
for name in ("Nope", "BaseModel", "Field"):
    try:
        getattr(models, name)
    except AttributeError as error:
        assert name in str(error)
    else:
        raise AssertionError(name)
print("ok")
"""


def test_every_model_is_one_name_of_the_models_package(package_dir: Path) -> None:
    exports = _exports(package_dir)
    probe = _PROBE.format(package=package_dir.name, exports=exports)
    result = subprocess.run([sys.executable, "-c", probe], cwd=package_dir.parent, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def _classes(package_dir: Path) -> dict[str, list[str]]:
    """The classes each models module defines (the names it binds to a model written alike aside)."""
    return {
        path.stem: [node.name for node in ast.parse(path.read_text()).body if isinstance(node, ast.ClassDef)]
        for path in sorted((package_dir / "models").glob("*.py"))
        if path.stem != "__init__"
    }


def _bound(package_dir: Path) -> dict[str, str]:
    """Each name a models module binds to a model (``Name = Model``), with that model."""
    return {
        node.targets[0].id: node.value.id
        for path in sorted((package_dir / "models").glob("*.py"))
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Name)
    }


def test_mypy_strict_knows_every_model_by_name_and_no_other_name(package_dir: Path) -> None:
    package = package_dir.name
    classes = {module: names for module, names in _classes(package_dir).items() if names}
    first = [names[0] for names in classes.values()]
    [(bound, model), *_] = sorted(_bound(package_dir).items())
    consumer = package_dir.parent / "consumer.py"
    consumer.write_text(
        f"from {package} import models\n"
        f"from {package}.models import {', '.join(first)}\n"
        f"from {package}.models import *  # noqa: F403\n\n"
        + "".join(f"assert {name} is models.{name}\n" for name in first)
        + f"reveal_type(models.{first[1]})\n"
        + f"reveal_type({classes['_shared'][0]})\n"
        + f"reveal_type(models.{bound})\n"
    )
    wrong = package_dir.parent / "wrong.py"
    wrong.write_text(
        f"from {package}.models import BaseModel, Nope\n"
        f"from {package} import models\n\n"
        "models.Field\n"
        "models.TYPE_CHECKING\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "/dev/null", "consumer.py", "wrong.py"],
        cwd=package_dir.parent,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.splitlines()
    revealed = [line for line in lines if line.startswith("consumer.py") and "Revealed type" in line]
    module = next(module for module in classes if classes[module][0] == first[1])
    assert len(revealed) == 3 and f"{package}.models.{module}.{first[1]}" in revealed[0], result.stdout
    assert f"{package}.models._shared.{classes['_shared'][0]}" in revealed[1], result.stdout
    assert revealed[2].endswith(f'.{model}"'), result.stdout  # a bound name is its model to type checkers too
    assert [line for line in lines if line.startswith("consumer.py") and "note:" not in line] == [], result.stdout
    errors = [line.split(": error: ")[1] for line in lines if line.startswith("wrong.py")]
    assert errors == [
        f'Module "{package}.models" has no attribute "BaseModel"  [attr-defined]',
        f'Module "{package}.models" has no attribute "Nope"  [attr-defined]',
        'Module has no attribute "Field"  [attr-defined]',
        f'Module "{package}.models" does not explicitly export attribute "TYPE_CHECKING"  [attr-defined]',
    ], result.stdout


def test_the_guard_refuses_an_index_or_an_all_that_is_not_what_a_module_defines(package_dir: Path) -> None:
    index = (package_dir / "models" / "__init__.py").read_text()
    names = _exports(package_dir)
    astguard.check_models_index(index, names)
    wrong = [
        index.replace(" ErrorDetailsItem ", " BaseModel ErrorDetailsItem "),  # a name _shared imports
        index.replace(" ErrorDetailsItem ", " "),  # a model left out
        index.replace("    from ._shared import *  # noqa: F403\n", ""),  # unknown to type checkers
        index.replace("    from ._shared import *  # noqa: F403\n", "    from ._shared import ErrorDetailsItem\n"),
        index.replace("_MODULES: dict[str, str] = {", "_MODULES: dict[str, str] = {**{}, "),
    ]
    for text in wrong:
        assert text != index
        with pytest.raises(astguard.UnsafeOutputError, match="models index"):
            astguard.check_models_index(text, names)
    meant = "from pydantic import BaseModel\n\nclass A(BaseModel):\n    x: int\n\nB = A\n"
    astguard.check_split(ast.parse(meant), {"m": meant + '__all__ = ["A", "B"]\n'}, {"m": ["B", "A"]})
    for exported in ('["A"]', '["A", "B", "BaseModel"]', '["B", "A"]', '"A B".split()'):
        with pytest.raises(astguard.UnsafeOutputError, match="__all__"):
            astguard.check_split(ast.parse(meant), {"m": f"{meant}__all__ = {exported}\n"}, {"m": ["A", "B"]})
    for split, given in ((meant, {"m": ["A", "B"]}), (meant + '__all__ = ["A", "B"]\n', {"m": ["A"]})):
        with pytest.raises(astguard.UnsafeOutputError, match="__all__"):
            astguard.check_split(ast.parse(meant), {"m": split}, given)
