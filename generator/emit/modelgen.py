"""Pydantic v2 models for a normalized document, made by datamodel-code-generator."""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import hashlib
import io
import json
import re
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.emit import identical
from generator.model.normalize import NormalizedSpec, referenced_schema
from generator.output import cache
from generator.spec.places import references
from generator.spec.pointers import tokens

# The parts of a document datamodel-code-generator reads, its scope being components/schemas (the
# default): the version, the base of references and the schemas. Not paths, info, tags or servers, nor
# the other components: GitHub's examples are 40 % of its components, sent to the worker and hashed.
_READ = ("openapi", "jsonSchemaDialect", "$self")
# A local reference anywhere but the schemas (``"#/paths/..."``, ``"#/components/parameters/..."``):
# the document is given whole then. Looked for in the JSON text first (cheap: a string in an example
# may look like one too), then among the references.
_OUTSIDE_SCHEMAS = re.compile(r'"#(?:"|/(?!components/schemas/))')


class ModelGenerationError(RuntimeError):
    """datamodel-code-generator failed or produced something unusable."""


@dataclass(frozen=True)
class ModelsJob:
    """What the model generator is given: the part of the document it reads (:func:`model_input`) with
    what normalizing found, the package and the templates; and the key its source is cached under."""

    spec: NormalizedSpec
    package: str
    template_dir: Path
    key: str


def models_job(spec: NormalizedSpec, *, package: str, template_dir: Path) -> ModelsJob:
    """The job of making ``spec``'s models.

    Every option that affects the output is set here explicitly, so that the
    result depends on nothing but what the model generator reads of the document
    (see :func:`model_input`), the templates and the pinned version; that is also
    the key under which the result is cached, so editing an operation, the info or
    the servers does not make the models again.
    """
    document, text = model_input(spec.document, spec.file_inputs)
    key = _cache_key(text, spec, package, template_dir)
    return ModelsJob(dataclasses.replace(spec, document=document), package, template_dir, key)


def cached_models(job: ModelsJob) -> str | None:
    """The source of the job's models if they need no making: from the cache, or none to make."""
    if not (job.spec.document.get("components") or {}).get("schemas"):
        return ""  # datamodel-code-generator refuses a document without models; there is nothing to make
    return cache.read(_folder(), job.key)


def make_models(job: ModelsJob) -> str:
    """The source of ``models.py`` (unformatted; black runs later), made by datamodel-code-generator (and cached).

    Schemas written alike are given to it once (:mod:`generator.emit.identical`), the other names bound
    to their model at the end of the module.
    """
    document = _with_file_inputs(job.spec.document, job.spec.file_inputs, job.package)
    # A union tried in order is wrapped by name afterwards (_left_to_right): each keeps its own statement.
    merged, bound = identical.merge_identical(document, keep=job.spec.left_to_right)
    source = _run_datamodel_codegen(job.spec, merged, package=job.package, template_dir=job.template_dir)
    if not identical.all_defined(source, bound):
        # It renamed a model names are bound to: made again, every schema a model of its own.
        source, bound = (
            _run_datamodel_codegen(job.spec, document, package=job.package, template_dir=job.template_dir),
            {},
        )
    try:
        # After a newline: the library's module may end without one.
        source += "\n" + identical.bindings(bound, order=job.spec.document["components"]["schemas"])
    except ValueError as error:
        raise ModelGenerationError(f"a schema bound to another has {error}") from error
    cache.write(_folder(), job.key, source)
    return source


def _folder() -> Path | None:
    return cache.cache_dir(f"models-{version('datamodel-code-generator')}")


def model_input(document: dict[str, Any], file_inputs: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """The part of ``document`` the model generator reads, and its canonical JSON text.

    The whole document if a reference in that part is local and outside the schemas, or a file
    input (a pointer, typed in the part later) is: the part alone would leave it dangling. (Not a
    ``$ref`` in an example or a default: data, which the model generator does not follow either.)
    """
    part = {key: document[key] for key in _READ if key in document}
    if "schemas" in (components := document.get("components") or {}):
        part["components"] = {"schemas": components["schemas"]}
    text = json.dumps(part, sort_keys=True, default=str)
    dangling = _OUTSIDE_SCHEMAS.search(text) is not None and any(
        node["$ref"].startswith("#") and referenced_schema(node["$ref"]) is None for node, _ in references(part)
    )
    if dangling or not all(where.startswith("/components/schemas/") for where in file_inputs):
        return document, json.dumps(document, sort_keys=True, default=str)
    return part, text


def _cache_key(text: str, spec: NormalizedSpec, package: str, template_dir: Path) -> str:
    hasher = hashlib.sha256(
        json.dumps([text, spec.field_aliases, sorted(spec.left_to_right), spec.file_inputs, package]).encode()
    )
    for template in sorted(template_dir.rglob("*")):
        if template.is_file():
            hasher.update(template.read_bytes())
    # The options below are part of the key, and which schemas are merged.
    for module in (__file__, identical.__file__):
        hasher.update(Path(module).read_bytes())
    return hasher.hexdigest()


def _with_file_inputs(document: dict[str, Any], file_inputs: tuple[str, ...], package: str) -> dict[str, Any]:
    """``document`` with each file input (a pointer) typed by the package's ``FileInput``: the library types
    such a field by that import, and pydantic then accepts a file object there. The schemas changed are copies."""
    for where in file_inputs:
        document = _assigned(document, tokens(where), "customTypePath", f"{package}._files.FileInput")
    return document


def _assigned(node: dict[str, Any], path: tuple[str, ...], key: str, value: str) -> dict[str, Any]:
    """A copy of ``node`` with ``key`` set to ``value`` in the object at ``path``; all off the path shared."""
    if not path:
        return {**node, key: value}
    return {**node, path[0]: _assigned(node[path[0]], path[1:], key, value)}


def _run_datamodel_codegen(spec: NormalizedSpec, document: dict[str, Any], *, package: str, template_dir: Path) -> str:
    # Imported here: it is slow to import, and a cache hit does not need it.
    import datamodel_code_generator as dcg
    from datamodel_code_generator.enums import DataModelType

    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            warnings.simplefilter("ignore")
            source = dcg.generate(
                document,
                input_file_type=dcg.InputFileType.OpenAPI,
                output_model_type=DataModelType.PydanticV2BaseModel,
                target_python_version=dcg.PythonVersion.PY_311,
                custom_template_dir=template_dir,
                # Always offered: the splitter keeps an import only where a module uses it, and the
                # library does not always ask for it (a nullable const, say).
                # (A union tried in order is wrapped in Annotated[..., Field(...)] afterwards.)
                additional_imports=[f"{package}._open_enum.OpenEnum"]
                + (["typing.Annotated", "pydantic.Field"] if spec.left_to_right else []),
                base_class=f"{package}._base_model.BaseModel",
                formatters=[],
                disable_timestamp=True,
                custom_file_header=f'"""Data models of the {package} API, generated from its OpenAPI document."""',
                use_annotated=True,
                field_constraints=True,
                use_field_description=True,
                use_schema_description=True,
                strict_nullable=True,
                snake_case_field=True,
                aliases=spec.field_aliases or None,
                allow_population_by_field_name=True,
                use_type_alias=True,
                output_datetime_class=dcg.DatetimeClassType.Datetime,
                use_double_quotes=True,
                keep_model_order=True,
                set_default_enum_member=True,
                capitalise_enum_members=False,
                use_subclass_enum=True,
            )
    except Exception as error:  # the library raises many unrelated types
        raise ModelGenerationError(f"datamodel-code-generator failed: {type(error).__name__}: {error}") from error
    if not isinstance(source, str):
        raise ModelGenerationError("datamodel-code-generator returned several modules; expected one")
    return _left_to_right(source, spec.left_to_right)


def _left_to_right(source: str, names: frozenset[str]) -> str:
    """``source`` with the union of each type alias in ``names`` tried member by member, in order.

    datamodel-code-generator has no option for it (see ``split_default_mappings`` in normalize); each
    ``Name = TypeAliasType("Name", <union>)`` gets ``Annotated[<union>, Field(union_mode=...)]``. The
    change is made to the syntax tree and the module written again from it (black formats it later),
    never by cutting the text at positions; the tree is what the AST guard then holds the output to.
    """
    if not names:
        return source
    tree = ast.parse(source)
    imported = {
        alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    wrapped = 0
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in names
            and isinstance(node.value, ast.Call)
            and len(node.value.args) == 2
        ):
            in_order = ast.Call(
                ast.Name("Field", ast.Load()), [], [ast.keyword("union_mode", ast.Constant("left_to_right"))]
            )
            node.value.args[1] = ast.Subscript(
                ast.Name("Annotated", ast.Load()), ast.Tuple([node.value.args[1], in_order], ast.Load()), ast.Load()
            )
            wrapped += 1
    if wrapped != len(names) or not {"Annotated", "Field"} <= imported:
        raise ModelGenerationError("datamodel-code-generator wrote a union tried in order in an unexpected form")
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def check_class_names(defined: set[str], expected: set[str]) -> None:
    """The client refers to models by the names normalization chose; make sure they were ``defined``."""
    missing = sorted(expected - defined)
    if missing:
        raise ModelGenerationError(f"datamodel-code-generator renamed or dropped models: {', '.join(missing[:10])}")
