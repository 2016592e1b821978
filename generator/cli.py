"""Command line: ``openapi-pyclient [SPEC] [--out DIR] [options] [--check | --bump]``.

Without SPEC, the clients configured under ``[tool.openapi-pyclient]`` in the
nearest ``pyproject.toml`` are generated (or checked), each with the flags given
overriding its settings. Exit status: 0 done (or up to date), 1 stale
(``--check``), 2 bad input or usage (one line), 3 a generator bug.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator import __version__, config
from generator.errors import SpecError, capped
from generator.model.naming import package_name_problem
from generator.model.versions import is_version
from generator.options import Options, is_distribution_name
from generator.output import apidiff, cache, manifest
from generator.output.writer import RefusedOutput, check_replaceable, diff_summary, read_tree, write_tree
from generator.progress import SILENT, Progress

if TYPE_CHECKING:
    from generator.pipeline import GeneratedPackage

PROGRAM = "openapi-pyclient"
CHANGELOG = "CHANGELOG.md"
QUIET_ENV = "OPENAPI_PYCLIENT_QUIET"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Generate a typed Python client package from an OpenAPI 3.0/3.1/3.2 document. Without SPEC, "
        "generate the clients configured under [tool.openapi-pyclient] in pyproject.toml.",
    )
    parser.add_argument("spec", nargs="?", type=Path, help="OpenAPI document, YAML or JSON")
    parser.add_argument("--out", type=Path, help="output folder, replaced as a whole (default with SPEC: generated)")
    parser.add_argument("--client", help="with a configuration: only this configured client")
    parser.add_argument("--package-name", help="Python package name (default: info.title in snake_case)")
    parser.add_argument(
        "--package-version", help="the package's PEP 440 version (default: info.version, normalised where it maps)"
    )
    parser.add_argument("--dist-name", help="the distribution's name (default: the package name with dashes)")
    parser.add_argument(
        "--overlay",
        action="append",
        type=Path,
        metavar="FILE",
        help="an OpenAPI Overlay (1.0 or 1.1) applied to the spec before anything reads it; repeatable, in order",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings (skipped operations, dropped keywords) as errors"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="also print notes, such as each list operation that gets no iterator"
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output folder differs from what would be generated",
    )
    action.add_argument(
        "--bump",
        action="store_true",
        help="version the package by what changed in its public API (SemVer) and add a CHANGELOG.md entry",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"neither read nor write the cache of models, fixtures and validation (like {cache.ENV}=off)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help=f"print no progress (shown on stderr for runs longer than 2 s; {QUIET_ENV}=1 does the same)",
    )
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    return parser


class _Refused(Exception):
    """Bad usage, or an output folder that cannot be used: one line and exit status 2."""


@dataclass(frozen=True)
class _Job:
    """One client to generate or check, and the command that regenerates it."""

    spec: Path
    out: Path
    options: Options
    strict: bool
    command: str


def run() -> NoReturn:
    """The program: :func:`main`, then :func:`exit_at_once` with its status. Ctrl-C stops it with one
    line and status 130: the output folder is as it was (the writer puts back anything it had begun)."""
    try:
        status = main()
    except KeyboardInterrupt:
        print("error: interrupted; the output folder is as it was", file=sys.stderr)
        status = 130
    exit_at_once(status)


def exit_at_once(status: int) -> NoReturn:
    """Exit with ``status`` without tearing the interpreter down: everything is written and closed by
    then, and freeing the objects of black, datamodel-code-generator and pydantic one by one took about
    0.25 s of CPU, a tenth of a small document's run."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        jobs = _jobs(args)
        with cache.turned_off() if args.no_cache else contextlib.nullcontext():
            statuses = [_run(job, args) for job in jobs]
    except (_Refused, RefusedOutput, config.ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return max(statuses)


def _jobs(args: argparse.Namespace) -> list[_Job]:
    """What to do: the SPEC and flags, or the configured clients with the flags overriding them."""
    _check_choices(args)
    if args.spec is not None:
        if args.client is not None:
            raise _Refused("--client selects a configured client; it does not go with SPEC")
        options = Options(args.package_name, args.package_version, tuple(args.overlay or ()), args.dist_name)
        out = args.out or Path("generated")
        return [_Job(args.spec, out, options, args.strict, _command(args.spec, out, options))]
    found = config.find(Path.cwd())
    if found is None:
        raise _Refused(
            "no SPEC given and no [tool.openapi-pyclient] table in a pyproject.toml here or above: "
            f"run {PROGRAM} SPEC, or configure clients (see the README)"
        )
    clients = config.read(found)
    if args.client is not None:
        clients = [client for client in clients if client.name == args.client]
        if not clients:
            raise _Refused(f"{found}: no configured client named {args.client!r}")
    if len(clients) > 1 and (args.out or args.package_name or args.package_version or args.dist_name):
        raise _Refused(f"{found} configures {len(clients)} clients: choose one with --client to override its settings")
    return [_configured(client, args, len(clients) > 1 or args.client is not None) for client in clients]


def _configured(client: config.Client, args: argparse.Namespace, named: bool) -> _Job:
    options = Options(
        args.package_name or client.options.package_name,
        args.package_version or client.options.package_version,
        tuple(args.overlay) if args.overlay else client.options.overlays,
        args.dist_name or client.options.dist_name,
    )
    chosen = options != client.options or (args.out is not None and args.out != client.out)
    out = args.out or client.out
    command = _command(client.spec, out, options) if chosen else PROGRAM + (f" --client {client.name}" if named else "")
    return _Job(client.spec, out, options, args.strict or client.strict, command)


def _check_choices(args: argparse.Namespace) -> None:
    if args.package_name is not None and (problem := package_name_problem(args.package_name)):
        raise _Refused(f"--package-name {args.package_name!r} {problem}")
    if args.package_version is not None and not is_version(args.package_version):
        raise _Refused(f"--package-version {args.package_version!r} is not a PEP 440 version")
    if args.dist_name is not None and not is_distribution_name(args.dist_name):
        raise _Refused(f"--dist-name {args.dist_name!r} is not a valid distribution name")


def _command(spec: Path, out: Path, options: Options) -> str:
    """The command line that generates ``out`` from ``spec`` with ``options``."""
    words = [PROGRAM, str(spec), "--out", str(out)]
    for flag, value in (
        ("--package-name", options.package_name),
        ("--package-version", options.package_version),
        ("--dist-name", options.dist_name),
    ):
        if value is not None:
            words += [flag, value]
    for overlay in options.overlays:
        words += ["--overlay", str(overlay)]
    return shlex.join(words)


def _read_out(out: Path) -> dict[str, bytes]:
    try:
        return read_tree(out)
    except OSError as error:
        raise _Refused(f"cannot read {out}: {error.strerror or error}") from None


def _run(job: _Job, args: argparse.Namespace) -> int:
    old = _read_out(job.out)
    # What the manifest promises is what a run would write (the output is deterministic): a build step
    # that regenerates on every build finds it so in 0.35 s on GitHub's document (4-5 s from a warm cache). A run
    # asked to say more than the first one said (--strict, --verbose) or to make all again (--no-cache)
    # generates anyway; --check answers from the manifest whenever it can, as it always has.
    again = job.strict or args.verbose or args.no_cache
    if (args.check or not again) and manifest.up_to_date(job.spec, job.options, old):
        print(f"{job.out} is up to date (manifest and file hashes match){'' if args.check else '; nothing written'}")
        return 0
    if args.check:
        _check_same_spec(job, old)
    progress = SILENT if args.quiet or os.environ.get(QUIET_ENV, "") not in ("", "0") else Progress(sys.stderr)
    package = _generate(job, old, progress)
    progress.done("stopped" if isinstance(package, int) else "generated")
    if isinstance(package, int):
        return package
    for warning in capped(package.warnings):
        print(f"warning: {warning}", file=sys.stderr)
    for note in package.notes if args.verbose else ():
        print(f"note: {note}", file=sys.stderr)
    if job.strict and package.warnings:
        print(f"error: {len(package.warnings)} warning(s) and --strict is set; nothing written", file=sys.stderr)
        return 2
    differences = diff_summary(package.files, old)
    if args.check:
        if not differences:
            print(f"{job.out} is up to date ({len(package.files)} files)")
            return 0
        print(f"{job.out} is stale ({len(differences)} file(s) differ); run: {job.command}", file=sys.stderr)
        for line in differences[:20]:
            print(f"  {line}", file=sys.stderr)
        _print_api_changes(old, package)
        return 1
    check_replaceable(job.out, manifest.NAME, manifest.listed_files)
    if differences and old:
        changes = _print_api_changes(old, package)
        if args.bump and changes is not None:
            package = _bumped(job, old, changes)
    try:
        write_tree(package.files, job.out, old)
    except OSError as error:
        raise _Refused(f"cannot write {job.out}: {error.strerror or error}") from None
    print(f"generated {package.package} into {job.out} ({len(package.files)} files)")
    return 0


def _check_same_spec(job: _Job, tree: dict[str, bytes]) -> None:
    """Refuse to check a tree against another spec than the one its manifest says it was made from."""
    origin = manifest.recorded_origin(tree)
    if origin is None or origin["spec"] == manifest.made_from(job.spec, job.options)["spec"]:
        return
    # The record's paths are relative to the project; read them from the output's (above the
    # output folder, which holds the generated package's own pyproject.toml).
    root = manifest.project_root(job.out)

    def here(recorded: object) -> Path:
        return Path(os.path.relpath(root / str(recorded)))

    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    overlays = origin.get("overlays")
    options = Options(
        text(origin.get("package-name")),
        text(origin.get("package-version")),
        tuple(here(overlay) for overlay in overlays) if isinstance(overlays, list) else (),
        text(origin.get("dist-name")),
    )
    raise _Refused(
        f"{job.out} was generated from {here(origin['spec'])}, not {job.spec}; nothing compared."
        f" It is regenerated by: {_command(here(origin['spec']), job.out, options)}"
    )


def _generate(job: _Job, old: dict[str, bytes], progress: Progress) -> GeneratedPackage | int:
    """The package (the old tree's changelog carried over), or the exit status of a failure already reported."""
    # The full pipeline imports datamodel-code-generator and black: only load it when needed.
    from generator.emit.modelgen import ModelGenerationError
    from generator.pipeline import generate

    try:
        package = generate(job.spec, options=job.options, progress=progress)
    except SpecError as error:
        for line in error.lines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    except ModelGenerationError as error:
        print(f"error: {job.spec}: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a generator bug: still one line, and a distinct status
        line = f"internal error while generating from {job.spec} (please report): {type(error).__name__}: {error}"
        print(f"error: {line.splitlines()[0]}", file=sys.stderr)
        return 3
    return _with_changelog(job, package, old.get(CHANGELOG))


def _with_changelog(job: _Job, package: GeneratedPackage, changelog: bytes | None) -> GeneratedPackage:
    """``package`` with ``CHANGELOG.md`` (kept from one regeneration to the next), in its manifest too."""
    if changelog is None:
        return package
    files = {name: content for name, content in package.files.items() if name != manifest.NAME}
    files[CHANGELOG] = changelog
    files[manifest.NAME] = manifest.build(job.spec, job.options, files, package.inputs)
    return replace(package, files=dict(sorted(files.items())))


def _print_api_changes(old: Mapping[str, bytes], package: GeneratedPackage) -> list[apidiff.Change] | None:
    """Print what changed in the public API from the tree ``old`` (the output folder's files, as
    :func:`read_tree` read them); ``None`` when it has no such package."""

    def modules(files: Mapping[str, bytes]) -> dict[str, bytes]:  # griffe reads nothing else
        prefix = f"{package.package}/"
        return {
            name.removeprefix(prefix): text
            for name, text in files.items()
            if name.startswith(prefix) and name.endswith(".py")
        }

    if f"{package.package}/__init__.py" not in old:
        return None
    changes = apidiff.compare_modules(modules(old), modules(package.files), package.package)
    bump = apidiff.bump_for(changes)
    print(f"public API: {len(changes)} change(s){f', a {bump} version bump' if bump else ''}", file=sys.stderr)
    for change in changes:
        print(f"  {change}", file=sys.stderr)
    return changes


def _bumped(job: _Job, old: dict[str, bytes], changes: list[apidiff.Change]) -> GeneratedPackage:
    """The package regenerated at the version its API changes imply, with a changelog entry."""
    bump = apidiff.bump_for(changes) or "patch"
    previous = tomllib.loads(old.get("pyproject.toml", b"").decode() or "[project]\nversion='0.0.0'\n")
    version = apidiff.bumped(str(previous.get("project", {}).get("version", "0.0.0")), bump)
    regenerated = _generate(replace(job, options=replace(job.options, package_version=version)), {}, SILENT)
    if isinstance(regenerated, int):
        raise _Refused(f"regenerating {job.out} at version {version} failed")
    entry = apidiff.changelog_entry(version, changes).encode()
    history = old.get(CHANGELOG, b"# Changelog\n\n")
    title, _, rest = history.partition(b"\n\n")
    print(f"version {version} ({bump}); {CHANGELOG} updated", file=sys.stderr)
    return _with_changelog(job, regenerated, title + b"\n\n" + entry + b"\n" + rest)
