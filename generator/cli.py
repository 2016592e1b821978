"""Command line: ``python -m generator [SPEC] [--out DIR] [--package-name NAME] [--check]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import manifest
from generator.errors import SpecError
from generator.naming import package_name_problem
from generator.options import Options
from generator.paths import DEFAULT_SPEC
from generator.versions import is_version
from generator.writer import RefusedOutput, check_replaceable, diff_summary, read_tree, write_tree


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate a typed Python client package from an OpenAPI 3.0/3.1 document.",
    )
    parser.add_argument(
        "spec",
        nargs="?",
        type=Path,
        default=DEFAULT_SPEC,
        help="OpenAPI document, YAML or JSON (default: the bundled StackOne LMS spec)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("generated"), help="output folder, replaced as a whole (default: generated)"
    )
    parser.add_argument("--package-name", help="Python package name (default: info.title in snake_case)")
    parser.add_argument(
        "--package-version", help="the package's PEP 440 version (default: info.version, normalised where it maps)"
    )
    parser.add_argument(
        "--overlay",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="an OpenAPI Overlay (1.0 or 1.1) applied to the spec before anything reads it; repeatable, in order",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings (skipped operations, dropped keywords) as errors"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output folder differs from what would be generated",
    )
    return parser


class _Refused(Exception):
    """Bad usage, or an output folder that cannot be used: one line and exit status 2."""


def _read_out(out: Path) -> dict[str, bytes]:
    try:
        return read_tree(out)
    except OSError as error:
        raise _Refused(f"cannot read {out}: {error.strerror or error}") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (_Refused, RefusedOutput) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.package_name is not None and (problem := package_name_problem(args.package_name)):
        raise _Refused(f"--package-name {args.package_name!r} {problem}")
    if args.package_version is not None and not is_version(args.package_version):
        raise _Refused(f"--package-version {args.package_version!r} is not a PEP 440 version")
    options = Options(args.package_name, args.package_version, tuple(args.overlay))
    if args.check and manifest.up_to_date(args.spec, options, _read_out(args.out)):
        print(f"{args.out} is up to date (manifest and file hashes match)")
        return 0
    # The full pipeline imports datamodel-code-generator and black: only load it when needed.
    from generator.modelgen import ModelGenerationError
    from generator.pipeline import generate

    try:
        package = generate(args.spec, options.package_name, options.overlays, options.package_version)
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ModelGenerationError as error:
        print(f"error: {args.spec}: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a generator bug: still one line, and a distinct status
        print(
            f"error: internal error while generating from {args.spec} (please report): {type(error).__name__}: {error}".splitlines()[
                0
            ],
            file=sys.stderr,
        )
        return 3
    for warning in package.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.strict and package.warnings:
        print(f"error: {len(package.warnings)} warning(s) and --strict is set; nothing written", file=sys.stderr)
        return 2
    if args.check:
        differences = diff_summary(package.files, _read_out(args.out))
        if differences:
            print(
                f"{args.out} is stale ({len(differences)} file(s) differ); run: python -m generator --out {args.out}",
                file=sys.stderr,
            )
            for line in differences[:20]:
                print(f"  {line}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({len(package.files)} files)")
        return 0
    try:
        check_replaceable(args.out, manifest.NAME, manifest.listed_files)
        write_tree(package.files, args.out)
    except OSError as error:
        raise _Refused(f"cannot write {args.out}: {error.strerror or error}") from None
    print(f"generated {package.package} into {args.out} ({len(package.files)} files)")
    return 0
