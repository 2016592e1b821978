"""Turn arbitrary spec strings into safe, stable Python identifiers."""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

from generator.spec.operations import path_operations

# A word: an acronym's plural (``IDs``, ``SLOs``: one word, not ``I`` and ``Ds``), an acronym, a capitalized
# or lower-case word, a number.
_ACRONYM_PLURAL = r"[A-Z]{2,}s(?=[A-Z0-9]|$)"
_WORD = re.compile(_ACRONYM_PLURAL + r"|[A-Z]+(?=[A-Z][a-z0-9]|\b|_|$)|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)


# Documents name the same things thousands of times (a schema, a property): each text is cut once.
@functools.lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text)).encode("ascii", "ignore").decode()
    return tuple(word for part in re.split(r"[^A-Za-z0-9]+", ascii_text) for word in _WORD.findall(part))


def has_acronym_plural(text: str) -> bool:
    """Whether :func:`snake_case` keeps an acronym's plural of ``text`` whole (``userIDs``), where a
    split at each capital would not (``user_i_ds``, as datamodel-code-generator splits it)."""
    return any(re.search(_ACRONYM_PLURAL, word) for word in _words(text))


@functools.lru_cache(maxsize=1 << 16)
def snake_case(text: str, *, fallback: str = "value") -> str:
    """``lmsBatchUpsertCourse`` / ``x-account-id`` -> ``lms_batch_upsert_course`` / ``x_account_id``."""
    name = "_".join(word.lower() for word in _words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    # Shadowing a builtin ("id", "type") is harmless for a parameter; a keyword is a syntax error.
    if keyword.iskeyword(name):
        name += "_"
    return name


# The builtins of every Python the generator runs on, so that a name gets the same suffix on each
# (3.13 added PythonFinalizationError; the output must not depend on the interpreter).
_BUILTIN_NAMES = frozenset(dir(builtins)) | {"PythonFinalizationError"}


def shadows_builtin(name: str) -> bool:
    return name in _BUILTIN_NAMES


def pascal_case(text: str, *, fallback: str = "Model") -> str:
    """``lms_batch_upsert_course`` -> ``LmsBatchUpsertCourse``; keeps inner capitals of ``LmsDto``; ``_``
    after a keyword or a builtin's name."""
    name = _pascal_words(text, fallback)
    return name + "_" if name in _RESERVED or shadows_builtin(name) else name


def class_name(text: str) -> str:
    """A model's class name: :func:`pascal_case`, but ``Model`` after a keyword or a builtin's name
    (``BaseException`` -> ``BaseExceptionModel``): the model generator drops a ``_`` at the end of a
    class name, which would leave the builtin's name, and not the name the client refers to."""
    name = _pascal_words(text, "Model")
    return name + "Model" if name in _RESERVED or shadows_builtin(name) else name


@functools.lru_cache(maxsize=1 << 16)
def _pascal_words(text: str, fallback: str) -> str:
    name = "".join(word[:1].upper() + word[1:] for word in _words(text)) or fallback
    return f"{fallback}{name}" if name[0].isdigit() else name


# Names the generated code uses itself. Spec names reach it only through ``snake_case``, which
# makes lower-case names that never start with "_"; a spec name that is one of these gets a
# "_" suffix (its wire name is kept). The templates' own locals start with "_", so no spec name
# can shadow them. tests/test_generated_names.py checks the generated code against these sets.
#: Arguments of every operation method, and the names their bodies read (annotations in a
#: signature are resolved outside the function, so only bodies count).
METHOD_NAMES = frozenset(
    {
        "self",
        "body",
        "timeout",
        "max_retries",
        "extra_headers",
        "extra_query",
        "extra_body",
        "warnings",
        "str",
        "set",
        "list",
    }
)
#: Further arguments of the bulk helper ``<method>_in_batches``.
BATCH_METHOD_NAMES = METHOD_NAMES | {"items", "batch_size", "max_concurrency", "on_progress", "on_batch", "keep_failed"}
#: Arguments of the clients' constructors besides the credentials, the names their bodies read,
#: and the options of the package's command line: a client-wide option takes none of them.
CLIENT_NAMES = frozenset(
    {"self", "base_url", "server", "timeout", "max_retries", "http_client", "default_headers", "max_response_bytes"}
    | {"max_connections", "pause_gc", "hooks"}
    | {"httpx", "errors", "any", "dict", "str"}
    | {"command", "file", "dry_run", "report", "failed_out", "resume", "batch_size", "max_concurrency", "help"}
)
#: Methods of the clients besides the operations'; ``<method>_iter`` and ``<method>_in_batches``
#: are made for paginated and batch operations, so an operation's own name never ends so.
_CLIENT_METHODS = frozenset({"close", "with_raw_response"})
#: Names the signatures of a group module read, which a method's name would hide from the methods after
#: it in the class's body (``models.Pet`` after a method ``models``, ``list[str]`` after ``list``), and
#: those its operation constants (a method's name in upper case) must not take (``from uuid import
#: UUID``). The guard refuses a module where one does all the same (``astguard.check_scopes``).
_MODULE_NAMES = frozenset({"httpx", "models", "datetime", "TYPE_CHECKING", "UUID"})
_ANNOTATION_BUILTINS = frozenset({"bool", "bytes", "float", "int", "str", "list", "dict", "set", "tuple", "object"})
_DERIVED_METHOD_SUFFIXES = ("_iter", "_in_batches")
#: Names a field of a model must not take, which the model generator renames (``dict_``) where a property
#: has them: the members of pydantic's ``BaseModel`` not named ``model_*`` (a test holds the list to the
#: pydantic installed), and the names the models' annotations read.
FIELD_NAMES_TAKEN = (
    frozenset({"construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw"})
    | {"schema", "schema_json", "update_forward_refs", "validate"}
    | _ANNOTATION_BUILTINS
    | {"frozenset", "type", "date", "datetime", "time", "timedelta"}
)
#: Credential arguments end with one of these (``token``, ``partner_api_key``, OAuth 2's ``client_id``).
_CREDENTIAL_WORDS = ("username", "password", "token", "api_key", "client_id", "client_secret")


def parameter_name(wire_name: str, reserved: frozenset[str], taken: Names) -> str:
    """The Python name of a parameter: ``name_`` when the generated code uses ``name`` itself; unique in ``taken``."""
    name = snake_case(wire_name)
    return unique(f"{name}_" if name in reserved else name, taken)


def client_option_name(wire_name: str, taken: Names) -> str:
    """The constructor argument of a client-wide header (``x-account-id`` -> ``account_id``)."""
    name = snake_case(wire_name.lower().removeprefix("x-"))
    clash = name in CLIENT_NAMES or name.endswith(_CREDENTIAL_WORDS)
    return unique(f"{name}_" if clash else name, taken)


# A package named like a module of the standard library, or like a dependency of the client,
# would shadow it for every import. The standard library differs between Python versions:
# these are its modules on the other supported ones (3.11 to 3.14), so the verdict does not.
_STDLIB_ELSEWHERE = frozenset(
    {"aifc", "annotationlib", "asynchat", "asyncore", "audioop", "cgi", "cgitb", "chunk", "compression", "crypt"}
    | {"distutils", "imghdr", "imp", "lib2to3", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes"}
    | {"smtpd", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib"}
)
#: What a generated client imports, directly or through httpx and pydantic.
_CLIENT_DEPENDENCIES = frozenset(
    {"httpx", "httpcore", "h11", "anyio", "sniffio", "idna", "certifi", "exceptiongroup"}
    | {"pydantic", "pydantic_core", "typing_extensions", "annotated_types", "typing_inspection"}
)
_PACKAGE_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def shadows_a_module(package: str) -> bool:
    """Whether a top-level package named ``package`` would hide a module the client or Python needs."""
    return (
        package in sys.stdlib_module_names
        or package in _STDLIB_ELSEWHERE
        or package in _CLIENT_DEPENDENCIES
        or (package.startswith("__") and package.endswith("__"))
    )


def package_name_problem(package: str) -> str | None:
    """Why a package name a user chose cannot be used (``is not ...``), if it cannot."""
    if not _PACKAGE_NAME.fullmatch(package) or keyword.iskeyword(package):
        return "is not a valid lower-case Python identifier"
    if shadows_a_module(package):
        return (
            "would shadow a module of Python or of the client's dependencies;"
            f" choose another name (e.g. {package.strip('_')}_client)"
        )
    return None


class Names(set[str]):
    """Names given out, and for each name asked for again the number its next copy tries first: a document
    may ask for one name as often as it likes (properties ``x!``, ``x@``, ``x#``... are all ``X``), and the
    thousandth copy costs what the second does (numbering from 2 each time took 34 s for 20,000)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__(names)
        self.next_number: dict[str, int] = {}


def unique(name: str, taken: Names) -> str:
    """Return ``name`` or ``name2``, ``name3``... whichever is not in ``taken``; record it."""
    candidate = name
    if candidate in taken:
        # Every number below the one kept for ``name`` is taken: names are only ever added.
        number = taken.next_number.get(name, 2)
        while (candidate := f"{name}{number}") in taken:
            number += 1
        taken.next_number[name] = number + 1
    taken.add(candidate)
    return candidate


def fastapi_function_name(operation_id: str, method: str, path: str) -> str | None:
    """The name of the function FastAPI made ``operation_id`` of, else ``None``: FastAPI's ids are
    ``{function}{path}_{method}``, each character of the path but a letter, digit or ``_`` made a ``_``."""
    suffix = f"{re.sub(r'[^A-Za-z0-9_]', '_', path)}_{method.lower()}"
    function = operation_id.removesuffix(suffix)
    return function if function and function != operation_id else None


def _spelled_name(operation: dict[str, Any], method: str, path: str) -> str:
    operation_id = operation.get("operationId")
    if isinstance(operation_id, str) and operation_id.strip():
        return snake_case(operation_id, fallback="operation")
    by_params = [f"by_{segment.strip('{}')}" for segment in path.split("/") if segment.startswith("{")]
    plain = [segment for segment in path.split("/") if segment and not segment.startswith("{")]
    return snake_case("_".join([method, *plain, *by_params]), fallback="operation")


class OperationNames:
    """The Python names of a document's operations (before clashes with the clients' own names): each one's
    ``operationId`` in snake case, or a name derived from its method and path.

    An id FastAPI made is the name of its function where no other operation of the document would take that
    name: ``read_item``, not ``read_item_items__item_id__get`` (FastAPI's own documentation tells its users
    to change the ids for generated clients; most do not).
    """

    def __init__(self, paths: object) -> None:
        spelled: dict[tuple[str, str], str] = {}
        short: dict[tuple[str, str], str] = {}
        for path, item in paths.items() if isinstance(paths, dict) else ():
            for _, tokens, operation in path_operations(item):
                spelled[path, tokens[-1]] = _spelled_name(operation, tokens[-1], path)
                operation_id = operation.get("operationId")
                if isinstance(operation_id, str) and (
                    function := fastapi_function_name(operation_id, tokens[-1], path)
                ):
                    short[path, tokens[-1]] = snake_case(function, fallback="operation")
        counts = Counter([*short.values(), *(name for key, name in spelled.items() if key not in short)])
        self._names = spelled | {key: name for key, name in short.items() if counts[name] == 1}

    def __call__(self, path: str, method: str) -> str:
        """The name of the operation at ``path`` whose key in the path item is ``method``."""
        return self._names[path, method]


def client_method_name(name: str, taken: Names) -> str:
    """An operation's ``name`` (of :class:`OperationNames`), unique in ``taken`` and never a name the clients
    use themselves."""
    clash = (
        name in _CLIENT_METHODS
        or name.endswith(_DERIVED_METHOD_SUFFIXES)
        or bool({name, name.upper()} & _MODULE_NAMES)
        or name in _ANNOTATION_BUILTINS
    )
    return unique(f"{name}_" if clash else name, taken)
