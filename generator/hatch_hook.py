"""A hatch build hook: a consumer's wheel carries a client generated from its spec at build time.

In the consumer's ``pyproject.toml``, with this generator in ``build-system.requires``::

    [tool.hatch.build.hooks.openapi-pyclient]
    spec = "openapi.yaml"            # relative to the project root
    package-name = "petstore_client" # optional, as --package-name
    package-version = "1.2.0"        # optional, as --package-version
    overlays = ["fixes.yaml"]        # optional, as --overlay

The generated package is added to the wheel and its runtime dependencies to the
wheel's metadata. Bad input fails the build with the generator's one-line error.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from generator.errors import SpecError
from generator.output.writer import write_tree

BUILD_FOLDER = Path("build") / "openapi-pyclient"


class OpenAPIClientBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "openapi-pyclient"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # an sdist carries the spec; its wheel generates the client when it is built
        from generator.pipeline import generate

        root = Path(self.root)
        spec = self.config.get("spec")
        if not isinstance(spec, str):
            raise ValueError("[tool.hatch.build.hooks.openapi-pyclient] needs spec = <path to the OpenAPI document>")
        try:
            package = generate(
                root / spec,
                self.config.get("package-name"),
                [root / overlay for overlay in self.config.get("overlays", [])],
                self.config.get("package-version"),
            )
        except SpecError as error:
            raise ValueError(f"openapi-pyclient: {error}") from None
        out = root / BUILD_FOLDER
        write_tree(package.files, out)
        build_data["force_include"][str(out / package.package)] = package.package
        runtime = tomllib.loads(package.files["pyproject.toml"].decode())["project"]["dependencies"]
        build_data["dependencies"].extend(runtime)
        for warning in package.warnings:
            self.app.display_warning(f"openapi-pyclient: {warning}")


@hookimpl
def hatch_register_build_hook() -> type[OpenAPIClientBuildHook]:
    return OpenAPIClientBuildHook
