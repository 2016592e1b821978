"""Spec file in, generated package files out: load -> validate -> normalize -> model -> render -> format."""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator import manifest
from generator.bundle import bundle
from generator.errors import Diagnostics, SpecError
from generator.fixtures import build_fixtures
from generator.formatting import format_modules
from generator.loader import LoadedSpec, load_spec
from generator.modelgen import generate_models
from generator.naming import snake_case
from generator.normalize import normalize
from generator.parse import build_api
from generator.paths import TEMPLATE_DIR
from generator.render import render_package
from generator.sanitize import sanitize
from generator.validate import validate_spec_cached

# From this many paths on, validation runs in a worker process beside the build.
_PARALLEL_VALIDATION_PATHS = 50


@dataclass(frozen=True)
class GeneratedPackage:
    """The generated files, by path relative to the output folder, and what was skipped."""

    package: str
    files: dict[str, bytes]
    warnings: list[str]


def package_name_for(title: str) -> str:
    """``StackOne LMS`` -> ``stackone_lms``: words are split on punctuation and spaces only."""
    return snake_case(re.sub(r"[^0-9A-Za-z]+", "_", title).lower(), fallback="api_client")


def _validation_error(spec: LoadedSpec) -> SpecError | None:
    """Validate in a worker process; the error is returned, since raising would lose its place."""
    try:
        validate_spec_cached(spec)
    except SpecError as error:
        return error
    return None


def generate(spec_path: Path, package_name: str | None = None) -> GeneratedPackage:
    """Run the whole pipeline in memory; raises :class:`~generator.errors.SpecError` for bad input."""
    package = _generate(spec_path, package_name)
    package.files[manifest.NAME] = manifest.build(spec_path, package_name, package.files)
    return package


def _generate(spec_path: Path, package_name: str | None) -> GeneratedPackage:
    loaded = load_spec(spec_path)
    bundle(loaded)
    diagnostics = Diagnostics(loaded.source)
    sanitize(loaded.document, diagnostics)
    if len(loaded.document.get("paths") or ()) < _PARALLEL_VALIDATION_PATHS:
        validate_spec_cached(loaded)
        return _build(loaded, package_name, diagnostics)
    # On a big document validation takes as long as everything else: run it beside
    # the build, and let its verdict win over whatever the build made of a bad document.
    with ProcessPoolExecutor(max_workers=1) as pool:
        verdict = pool.submit(_validation_error, loaded)
        try:
            package = _build(loaded, package_name, diagnostics)
        except Exception:
            error = verdict.result()
            if error is not None:
                raise error from None
            raise
        error = verdict.result()
    if error is not None:
        raise error
    return package


def _build(loaded: LoadedSpec, package_name: str | None, diagnostics: Diagnostics) -> GeneratedPackage:
    normalized = normalize(loaded.document)
    title = str((loaded.document.get("info") or {}).get("title") or "")
    package = package_name or package_name_for(title)
    api = build_api(normalized, loaded.source, package, diagnostics)
    referenced = {
        name
        for op in api.operations
        for name in [op.body.model if op.body else None, *(r.model for r in op.responses)]
        if name
    }
    texts = render_package(api, TEMPLATE_DIR / "package")
    texts[f"{package}/models.py"] = generate_models(
        normalized, package=package, template_dir=TEMPLATE_DIR / "models", referenced=referenced
    )
    formatted = format_modules({name: text for name, text in texts.items() if name.endswith(".py")})
    files: dict[str, bytes] = {}
    for name, text in sorted(texts.items()):
        files[name] = formatted.get(name, text).encode()
    for name, text in sorted(build_fixtures(normalized, api).items()):
        files[name] = text.encode()
    files[f"{package}/py.typed"] = b""
    files[f"{package}/fixtures/__init__.py"] = b""
    return GeneratedPackage(package=package, files=dict(sorted(files.items())), warnings=diagnostics.warnings)
