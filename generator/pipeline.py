"""Spec file in, generated package files out: load -> validate -> normalize -> model -> render -> guard."""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from generator import literals, worker
from generator.emit import astguard, astwalk, modelsplit, sourcelines
from generator.emit import formatting as formatter
from generator.emit.formatting import SETTINGS, rendered_black_form
from generator.emit.modelgen import cached_models, check_class_names, make_models, models_job
from generator.emit.modelsplit import SHARED, ModelModules, split_models
from generator.emit.runtime import runtime_files
from generator.errors import Diagnostics
from generator.model.grouping import MODULE_LINES, split_large_groups
from generator.model.ir import Api
from generator.model.naming import package_name_problem, shadows_a_module, snake_case
from generator.model.normalize import normalize
from generator.model.parse import build_api
from generator.model.versions import package_version
from generator.options import Options
from generator.output import cache, manifest
from generator.paths import TEMPLATE_DIR
from generator.progress import SILENT, Progress
from generator.spec.bundle import bundle
from generator.spec.cycles import break_self_definitions
from generator.spec.loader import LoadedSpec, load_spec
from generator.spec.overlay import apply_overlays
from generator.spec.validate import validate_spec

T = TypeVar("T")

# The cache's folders of models modules and of rendered modules in black's form, each entry written
# after the guard's check; and of what each operation adds to its module, and of its fixtures.
_SPLIT_CACHE = "models-split"
_BLACK_CACHE = "black"
_OPERATIONS_CACHE = "operations"
_FIXTURES_CACHE = "fixtures"

#: The schema properties (the models' fields, anywhere in the document) from which the models are made
#: in a worker process, side by side with validating, rendering and making fixtures here. The model
#: generator's time follows them (about 1 ms each on 2 CPUs; the counts of operations or component
#: schemas do not: Stripe's 979 components take as long as GitHub's 969, inline bodies included). A
#: worker costs its start (a new interpreter importing datamodel-code-generator, about 2 s of CPU,
#: while the document is validated), its own copy of the tool and the document in memory, and the
#: source sent back. Measured on 2 CPUs: Magento's 2,527 take 2.5 s, where a worker saved 1.5 s of 6.2
#: for 80 MB more at the peak (past openapi-python-client's); Stripe's 13,370 and GitHub's 38,839
#: take about 21 s each, and everything else is done by then.
WORKER_FROM = 8000
# A run makes millions of objects (documents, syntax trees, models) that live long or are dropped all at
# once: at its default pace (a pass per 700 new objects) the cyclic collector took 10-20 % of a small
# document's time, mostly finding nothing. A pass per 20,000 costs about 5 MB more at the peak.
_GC_THRESHOLD = (20_000, 10, 10)
#: What a worker is told first (:func:`generator.worker.serve`): the collector's pace, and the module it
#: imports at once, before its job comes.
WORKER_SETUP = (_GC_THRESHOLD, "datamodel_code_generator.parser.openapi")


class _Deferred(Future[T]):
    """A job run in this process when its result is first asked for, or when :meth:`run` says so; what it
    raises is raised where the result is asked for, as a worker's is."""

    def __init__(self, job: Callable[[], T]) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        if not self.done():
            try:
                self.set_result(self._job())
            except Exception as error:
                self.set_exception(error)

    def result(self, timeout: float | None = None) -> T:
        self.run()
        return super().result(timeout)


class _InlineExecutor(Executor):
    """Runs each job in this process at once, as it is submitted: the executor of a small document, or of
    one CPU."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future = _Deferred(functools.partial(fn, *args, **kwargs))
        future.run()
        return future


def _done(value: T) -> Future[T]:
    """A job done already, its result ``value``."""
    future: Future[T] = Future()
    future.set_result(value)
    return future


def uses_a_worker(properties: int, cpus: int) -> bool:
    """Whether the models are made in a worker process: for work that pays for its start, given a second CPU."""
    return cpus >= 2 and properties >= WORKER_FROM


def _properties(document: dict[str, Any], enough: int) -> int:
    """How many properties the schemas of ``document`` declare, wherever they are (an example that has
    a ``properties`` object counts too: this measures work, it decides nothing else); counted up to
    ``enough``, which a large document reaches long before the end of its walk (GitHub's: 0.1 s)."""
    count, stack = 0, list[dict[str, Any] | list[Any]]([document])
    while stack and count < enough:
        node = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict) and isinstance(properties := node.get("properties"), dict):
            count += len(properties)
        stack.extend(child for child in children if isinstance(child, (dict, list)))
    return count


def _executor(document: dict[str, Any]) -> Executor:
    """Where the models are made: in a worker process for a large document, while this one goes on.
    A small document, or a machine with one CPU or without working processes, runs every step here, one
    after the other."""
    if not uses_a_worker(_properties(document, WORKER_FROM), os.cpu_count() or 1):
        return _InlineExecutor()
    try:
        return _Worker()
    except (NotImplementedError, OSError):  # e.g. a sandbox that allows no new process
        return _InlineExecutor()


class _Worker(Executor):
    """A process of its own that makes the models (:mod:`generator.worker`): a new interpreter (not a fork
    of this one, which holds the document), started at once, then given one job.

    Stopped at shutdown, its answer received or never asked for (a warm run finds the models in the
    cache: waiting for an import nobody needs cost Stripe's document a second), without tearing down its
    heap (GitHub's models: 0.3 s). A process pool can do neither to a worker in its initializer.
    """

    def __init__(self) -> None:
        if not sys.executable:
            raise OSError("no Python interpreter to start")
        command = [sys.executable, "-c", worker.START]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert process.stdin is not None and process.stdout is not None  # both piped
        self._process, self._jobs, self._answers = process, process.stdin, process.stdout
        # It imports the model generator at once, while this process validates and normalizes.
        self._send(sys.path)
        self._send(WORKER_SETUP)

    def _send(self, message: Any) -> None:
        pickle.dump(message, self._jobs, protocol=pickle.HIGHEST_PROTOCOL)
        self._jobs.flush()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with contextlib.suppress(BrokenPipeError):  # it stopped: the end of its answers says so
            self._send((fn, args, kwargs))
        return _Deferred(functools.partial(_answer, self._answers))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for pipe in (self._jobs, self._answers):
            with contextlib.suppress(OSError):  # a job it never read: nobody reads it now
                pipe.close()


def _answer(answers: IO[bytes]) -> Any:
    """The worker's result, or its error raised here; this process's freed memory given back while it waits."""
    _give_back_freed_memory()
    try:
        done, value = pickle.load(answers)
    except EOFError:
        raise RuntimeError("the worker making the models stopped before answering (out of memory?)") from None
    if not done:
        raise value
    return value


def _give_back_freed_memory() -> None:
    """Hand the C allocator's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Python gives what the large objects of the phases before held (the document's text, its big dicts,
    the validator's copy) back to the C allocator, which keeps it for this process: reused by this one,
    but counted in its memory while the worker peaks beside it. GitHub's document: this process at 224
    MB while the worker peaks at 371, 147 MB once its free pages are given back.
    """
    if sys.platform != "linux":
        return
    import ctypes  # here: only a run with a worker needs it

    with contextlib.suppress(OSError):
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # None: a C library without it (musl)
        if trim is not None:
            trim(0)


@contextlib.contextmanager
def _collector_paced() -> Iterator[None]:
    """The cyclic garbage collector at the pace of a run (:data:`_GC_THRESHOLD`), as it was after it."""
    before = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass(frozen=True)
class GeneratedPackage:
    """The generated files, by path relative to the output folder, and what was skipped."""

    package: str
    files: dict[str, bytes]
    warnings: list[str]
    inputs: list[Path]  # the spec files read, the spec's first
    notes: list[str] = dataclasses.field(default_factory=list)  # what --verbose prints


def package_name_for(title: str, diagnostics: Diagnostics) -> str:
    """``StackOne LMS`` -> ``stackone_lms``: words are split on punctuation and spaces only;
    ``JSON`` -> ``json_client``, with a warning, since ``json`` would shadow the standard library's."""
    name = snake_case(re.sub(r"[^0-9A-Za-z]+", "_", title).lower(), fallback="api_client")
    if shadows_a_module(name):
        diagnostics.warn("/info/title", f"the package is named {name}_client: {name} would shadow a Python module")
        name += "_client"
    return name


def generate(
    spec_path: Path,
    package_name: str | None = None,
    overlays: Sequence[Path] = (),
    package_version: str | None = None,
    *,
    options: Options | None = None,
    module_lines: int = MODULE_LINES,
    progress: Progress = SILENT,
) -> GeneratedPackage:
    """Run the whole pipeline in memory; raises :class:`~generator.errors.SpecError` for bad input,
    ``ValueError`` for a ``package_name`` that cannot be a package or would shadow a module.

    ``overlays`` (OpenAPI Overlay documents) are applied to the spec, in order, before anything reads it;
    ``package_version`` (PEP 440) replaces the version derived from ``info.version``. ``options`` gives
    all choices at once (the distribution's name too) instead of the arguments before it. Operation groups
    whose module would pass about ``module_lines`` lines are split (tests make it small). ``progress``
    hears of each phase as it starts. The models of a large document are made in a new worker process.
    """
    if options is None:
        options = Options(package_name, package_version, tuple(overlays))
    if options.package_name is not None and (problem := package_name_problem(options.package_name)):
        raise ValueError(f"package name {options.package_name!r} {problem}")
    with _collector_paced():
        package = _generate(spec_path, options, module_lines, progress)
    progress.phase("pruning the cache")
    cache.prune()  # once per run, after this run's entries were written and read
    package.files[manifest.NAME] = manifest.build(spec_path, options, package.files, package.inputs)
    return package


def _generate(spec_path: Path, options: Options, module_lines: int, progress: Progress) -> GeneratedPackage:
    progress.phase("reading the document")
    loaded = load_spec(spec_path)
    diagnostics = Diagnostics(loaded.source)
    apply_overlays(loaded.document, options.overlays, diagnostics)
    inputs = bundle(loaded)
    break_self_definitions(loaded.document, loaded.source, diagnostics)
    with _executor(loaded.document) as pool:
        paths = loaded.document.get("paths")
        progress.phase(f"validating {len(paths) if isinstance(paths, dict) else 0} paths")
        # Before the build, which so only ever reads a valid (maybe repaired) document.
        validate_spec(loaded, diagnostics)
        return _build(loaded, options, diagnostics, pool, inputs, module_lines, progress)


def _models_docstrings(api: Api) -> dict[str, str]:
    from generator.emit.render import docstring_text  # see _build

    name = docstring_text(api.name)
    docstrings = {group: f"Models of the {name} used by its {group} operations." for group in api.groups}
    docstrings[SHARED] = f"Models of the {name} that several operation groups use, or none."
    return docstrings


def _model_modules(
    source: str, roots: dict[str, set[str]], api: Api, module_lines: int = MODULE_LINES
) -> tuple[ast.Module | None, ModelModules, str]:
    """The models modules cut from the model generator's ``source`` in black's form, ``source`` parsed
    (``None`` when the modules are the cache's), and the split's cache key.

    The caller holds modules not from the cache to the source (:func:`astguard.check_split`). A cache
    entry is a proof: the caller writes one only after that check passed, under a key of everything
    the split and the check read (black's version and settings among them) and of their code, so a hit
    is not checked again; an entry changed on disk fails its seal and is a miss (see
    :mod:`generator.output.cache`).
    """
    docstrings = _models_docstrings(api)
    inputs = json.dumps([source, sorted((group, sorted(names)) for group, names in roots.items()), docstrings])
    proof = cache.code_fingerprint(astguard, astwalk, formatter, literals, modelsplit, sourcelines)
    key = hashlib.sha256(f"{module_lines}\0{SETTINGS}\0{proof}\0{inputs}".encode()).hexdigest()
    cached = cache.read(cache.cache_dir(_SPLIT_CACHE), key)
    tree = None
    if cached is None:
        tree = astguard.parsed("the models module", source)  # parsed once: for the split and the check
        models = split_models(source, roots, docstrings, module_lines, tree)
    else:
        models = ModelModules(*json.loads(cached))
    referenced = set().union(*roots.values(), (webhook.model for webhook in api.webhooks))
    check_class_names({name for names in models.names.values() for name in names}, referenced)
    return tree, models, key


def _checked_key(text: str) -> str:
    """The cache key of what was found of a rendered module's ``text``: of it, black's settings and the
    code that checked or formatted it."""
    proof = cache.code_fingerprint(astguard, astwalk, formatter, sourcelines)
    return hashlib.sha256(f"{SETTINGS}\0{proof}\0{text}".encode()).hexdigest()


def _black_form(name: str, text: str, shelf: cache.Shelf) -> str:
    """``text`` (the rendered module ``name``, which must be Python) as black writes it
    (:func:`rendered_black_form`: most modules are, and cost no black), held to its meaning. Cached like
    the split (see :func:`_model_modules`), on ``shelf``: an entry, ``""`` for a module in form, is put
    there only after the check passed (:func:`_checked_key`), so rendering an unchanged operation group
    again costs no parse, nor a module black has work on a second look by black."""
    key = _checked_key(text)
    found = shelf.get(key)
    if found is None:
        tree = astguard.parsed(name, text)
        astguard.check_scopes(name, tree)
        formatted = rendered_black_form(text, tree)
        if formatted != text:
            astguard.check_formatted(name, text, formatted)
        found = "" if formatted == text else formatted
        shelf.put(key, found)
    return found or text


def _shelf(kind: str, spec_path: Path, package: str) -> cache.Shelf:
    """The cache's shelf of ``kind`` for the document at ``spec_path`` made into ``package``: both stay
    from one regeneration to the next, whatever the edit."""
    return cache.Shelf(cache.cache_dir(kind), f"{spec_path.resolve()}\0{package}")


# How far past ``module_lines`` a module may come before it is reported: the splits measure
# modules as they were before black's splits.
_MODULE_LINES_SLACK = 1.15


def _note_long_modules(texts: dict[str, str], module_lines: int, diagnostics: Diagnostics) -> None:
    """Note each endpoints or models module that came out past its bound: a split that measured it
    wrong, or one operation or model too long alone."""
    for name, text in sorted(texts.items()):
        lines = text.count("\n")
        place = "/paths" if "/_endpoints/" in name else "/components/schemas" if "/models/" in name else ""
        if place and lines > module_lines * _MODULE_LINES_SLACK:
            diagnostics.note(place, f"{name} has {lines} lines, past the bound of about {module_lines}")


def _build(
    loaded: LoadedSpec,
    options: Options,
    diagnostics: Diagnostics,
    pool: Executor,
    inputs: list[Path],
    module_lines: int,
    progress: Progress,
) -> GeneratedPackage:
    progress.phase("normalizing")
    normalized = normalize(loaded.document, copy=False)  # nothing reads the document as written from here on
    for where, message in normalized.warnings:
        diagnostics.warn(where, message)
    title = str((normalized.document.get("info") or {}).get("title") or "")
    package = options.package_name or package_name_for(title, diagnostics)
    # All the model generator reads is ready: the models are made from here on, in a worker (if there is
    # one) while this process reads the operations, renders them and makes fixtures.
    modelling = models_job(normalized, package=package, template_dir=TEMPLATE_DIR / "models")
    cached = cached_models(modelling)  # found here: a worker is neither sent the document nor waited for
    in_a_worker = cached is None and not isinstance(pool, _InlineExecutor)
    making = f"making the models of {len(normalized.class_names)} schemas"
    if cached is None:
        if not in_a_worker:
            # Here and now, before the operations are read: the model generator's peak comes beside the
            # document alone, not beside the rendered modules and fixtures too (Magento's document: 121 MB
            # at the peak of the run against 134).
            progress.phase(making)
        source_job = pool.submit(make_models, modelling)
    else:
        source_job = _done(cached)
        pool.shutdown()  # a worker started for nothing is stopped now, not after the rendering
    # Imported once the models are made here, if they are: what the model generator frees is then reused
    # for the templates' and the fixture checker's modules (jinja2, jsonschema: 20 MB), not taken beside
    # it at the run's peak (Twilio's: 107.9 MB against 110.5).
    from generator.emit.fixtures import build_fixtures
    from generator.emit.render import OperationTexts, render_models_index, render_package

    progress.phase(f"reading the operations ({len(normalized.class_names)} schemas)")
    api = build_api(normalized, loaded.source, package, diagnostics)
    provenance = manifest.provenance(loaded.path, options, inputs)
    operation_texts = OperationTexts(
        api, TEMPLATE_DIR / "package", _shelf(_OPERATIONS_CACHE, loaded.path, package), provenance["generator"]
    )
    api = dataclasses.replace(api, operations=split_large_groups(api.operations, operation_texts.measure, module_lines))
    if options.dist_name is not None:
        api = dataclasses.replace(api, distribution=options.dist_name)
    roots = {group: {name for op in operations for name in op.models} for group, operations in api.groups.items()}
    version = package_version(api.version, options.package_version, diagnostics)
    aside = "; models in a worker" if in_a_worker else ""
    progress.phase(f"rendering {len(api.operations)} operations in {len(api.groups)} groups{aside}")
    texts = render_package(api, TEMPLATE_DIR / "package", version, provenance, operation_texts)
    operation_texts.save()
    black = _shelf(_BLACK_CACHE, loaded.path, package)
    for name, text in texts.items():
        if name.endswith(".py"):
            # A spec's text black lays out otherwise (in a docstring, say): the only parts of rendered
            # modules black formats.
            texts[name] = _black_form(name, text, black)
    black.save()
    progress.phase(f"fixtures of {len(api.operations)} operations{aside}")
    fixtures = build_fixtures(normalized, api, diagnostics, _shelf(_FIXTURES_CACHE, loaded.path, package))
    if in_a_worker:
        progress.phase(f"{making} in a worker")
    models_source = source_job.result()
    pool.shutdown()  # the worker's memory given back before the models are cut into modules here
    progress.phase(f"cutting the models into modules by the {len(roots)} groups using them")
    meant, models, split_key = _model_modules(models_source, roots, api, module_lines)
    if meant is not None:
        progress.phase(f"checking {len(models.sources)} models modules")
        astguard.check_model_imports(meant, package)
        astguard.check_class_orders(meant)
        astguard.check_split(meant, models.sources, models.names)
        cache.write(cache.cache_dir(_SPLIT_CACHE), split_key, json.dumps([models.sources, models.names]))
    texts.update({f"{package}/models/{module}.py": source for module, source in models.sources.items()})
    [(index_path, index)] = render_models_index(api, TEMPLATE_DIR / "package", models.names).items()
    astguard.check_models_index(index, models.names)
    texts[index_path] = index
    _note_long_modules(texts, module_lines, diagnostics)
    # Every run, cached files included; of the fixtures the JSON ones (a text or binary body is the bytes sent).
    for name, text in [
        *texts.items(),
        *((name, data.decode()) for name, data in fixtures.items() if name.endswith(".json")),
    ]:
        astguard.check_displayable(name, text)
    # The runtime first: a rendered module replaces the runtime's stand-in of the same name.
    files = runtime_files(package)
    for name, text in sorted(texts.items()):
        files[name] = text.encode()
    files.update(fixtures)
    files[f"{package}/py.typed"] = b""
    files[f"{package}/fixtures/__init__.py"] = b""
    return GeneratedPackage(
        package=package,
        files=dict(sorted(files.items())),
        warnings=diagnostics.warnings,
        inputs=inputs,
        notes=diagnostics.notes,
    )
