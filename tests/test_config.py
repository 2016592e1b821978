"""[tool.openapi-pyclient] in a project's pyproject.toml: one client, several, and every mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import config
from generator.options import Options


def _project(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    return path


def test_the_top_table_alone_is_one_client(tmp_path: Path) -> None:
    path = _project(tmp_path, '[tool.openapi-pyclient]\nspec = "api.yaml"\nout = "client"\nstrict = true\n')
    assert config.read(path) == [config.Client("default", tmp_path / "api.yaml", tmp_path / "client", Options(), True)]


def test_several_clients_inherit_the_top_tables_keys(tmp_path: Path) -> None:
    path = _project(
        tmp_path,
        """
[tool.openapi-pyclient]
strict = true
out = "shared-out"

[tool.openapi-pyclient.clients.billing]
spec = "specs/billing.yaml"
out = "clients/billing"
package-name = "billing_client"
package-version = "2.0"
dist-name = "acme-billing"
overlays = ["specs/fix.yaml"]

[tool.openapi-pyclient.clients.auth]
spec = "specs/auth.yaml"
strict = false
""",
    )
    auth, billing = config.read(path)
    assert auth == config.Client("auth", tmp_path / "specs/auth.yaml", tmp_path / "shared-out", Options(), False)
    assert billing.out == tmp_path / "clients/billing" and billing.strict
    assert billing.options == Options("billing_client", "2.0", (tmp_path / "specs/fix.yaml",), "acme-billing")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('spec = "a.yaml"', "out is required"),
        ('spec = "a.yaml"\nout = "o"\npackage_name = "x"', "unknown key 'package_name'"),
        ('spec = 3\nout = "o"', "spec must be a string"),
        ('spec = "a.yaml"\nout = "o"\noverlays = "f.yaml"', "overlays must be a list of paths"),
        ('spec = "a.yaml"\nout = "o"\nstrict = "yes"', "strict must be true or false"),
        ('spec = "a.yaml"\nout = "o"\ndist-name = "-bad-"', "dist-name '-bad-' is not a valid distribution name"),
        ('spec = "a.yaml"\nout = "o"\npackage-name = "json"', "package-name 'json' would shadow a module"),
        ('spec = "a.yaml"\nout = "o"\npackage-name = "Not-Valid"', "package-name 'Not-Valid' is not a valid"),
        ('clients = ["a"]', "clients must hold one table per client"),
    ],
)
def test_every_mistake_is_one_line_naming_the_key(tmp_path: Path, table: str, message: str) -> None:
    path = _project(tmp_path, f"[tool.openapi-pyclient]\n{table}\n")
    with pytest.raises(config.ConfigError) as error:
        config.read(path)
    assert str(error.value).startswith(f"{path}: [tool.openapi-pyclient]")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_find_walks_up_to_the_project_that_configures_clients(tmp_path: Path) -> None:
    project = _project(tmp_path, '[tool.openapi-pyclient]\nspec = "a.yaml"\nout = "o"\n')
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    (tmp_path / "src" / "pyproject.toml").write_text("[tool.black]\nline-length = 99\n")
    assert config.find(nested) == project
    assert config.find(tmp_path.parent) is None or config.find(tmp_path.parent) != project
