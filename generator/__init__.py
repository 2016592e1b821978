"""OpenAPI 3.0/3.1/3.2 to typed Python client generator.

``generator.generate(spec, package_name=None, overlays=(), package_version=None)`` runs the whole
pipeline in memory and returns the files, the package name and the warnings as data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["generate"]

if TYPE_CHECKING:
    from generator.pipeline import generate
else:

    def __getattr__(name: str) -> Any:
        # The pipeline imports the templates' engine and more: the fast `--check` path never needs it.
        if name == "generate":
            from generator.pipeline import generate

            return generate
        raise AttributeError(f"module 'generator' has no attribute {name!r}")
