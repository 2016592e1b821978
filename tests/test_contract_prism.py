"""Contract tests: the generated client against Stoplight Prism mocking the spec.

Prism (pinned in package.json; install it with ``npm ci``) validates every request
against ``specs/stackone-lms.yaml`` independently of our generator. The request bodies
are derived from the spec's own schemas, so these tests check that what the client
validates and sends agrees with what the spec (as Prism reads it) accepts.
"""

from __future__ import annotations

import base64
import shutil
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stackone_lms import Client, errors, models
from stackone_lms.testing import load_fixture

from tests.prismmock import PRISM, serving

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "specs" / "stackone-lms.yaml"
PATH = "/unified/lms/courses/batch"
REQUEST_REF = "#/components/schemas/LmsBatchUpsertCourseRequestDto"
ACCOUNT_ID = "acc-1"
STARTUP_TIMEOUT = 60.0

SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())


# --------------------------------------------------------------------------- Prism


@pytest.fixture(scope="session")
def prism_url() -> Iterator[str]:
    """Start ``prism mock --errors`` on a free port for the session; yield its base URL."""
    if shutil.which("node") is None or not PRISM.exists():
        pytest.fail(
            "Prism is not installed: the contract tests need Node.js and node_modules/.bin/prism. "
            "Run `npm ci` in the repository root.",
            pytrace=False,
        )
    tail: deque[str] = deque(maxlen=50)
    with serving(SPEC_PATH, tail, errors=True, timeout=STARTUP_TIMEOUT) as url:
        if url is None:
            pytest.fail(f"Prism did not start within {STARTUP_TIMEOUT:.0f} s:\n" + "\n".join(tail), pytrace=False)
        yield url


@pytest.fixture(scope="session")
def client(prism_url: str) -> Iterator[Client]:
    with Client(base_url=prism_url, username="key", password="", account_id=ACCOUNT_ID, max_retries=0) as c:
        yield c


@pytest.fixture(scope="session")
def raw_http(prism_url: str) -> Iterator[httpx.Client]:
    """Plain httpx, bypassing the generated client and its local validation."""
    token = base64.b64encode(b"key:").decode()
    headers = {"Authorization": f"Basic {token}", "x-account-id": ACCOUNT_ID}
    with httpx.Client(base_url=prism_url, headers=headers, timeout=30) as c:
        yield c


def assert_accepted_by_prism(client: Client, body: Any) -> models.BatchResultApiModel:
    raw = client.with_raw_response.lms_batch_upsert_course(body=body)
    assert 200 <= raw.status_code < 300, (raw.status_code, body)
    assert "sl-violations" not in raw.headers, (raw.headers["sl-violations"], body)
    assert isinstance(raw.parsed, models.BatchResultApiModel)
    return raw.parsed


def assert_rejected_by_prism(raw_http: httpx.Client, body: Any) -> str:
    response = raw_http.post(PATH, json=body)
    assert 400 <= response.status_code < 500, (response.status_code, response.text, body)
    assert "sl-violations" in response.headers, (response.headers, body)
    return response.headers["sl-violations"]


# ------------------------------------------------------- JSON Schema -> strategies


def resolve(ref: str) -> tuple[str, dict[str, Any]]:
    """Resolve a local ``#/...`` reference in the spec; return (pointer, schema)."""
    assert ref.startswith("#/"), ref
    node: Any = SPEC
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return ref, node


ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
TEXT = st.text(ASCII, max_size=8)
NUMBERS = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=2) | st.dictionaries(TEXT, children, max_size=2),
    max_leaves=4,
)
EXTRA_KEYS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz_"), min_size=1, max_size=6).map(lambda s: "x_" + s)

ABSENT = object()
Recorder = Callable[[tuple[str, ...]], None]


class SchemaStrategies:
    """Build hypothesis strategies from the spec's JSON Schemas (OpenAPI 3.1 = 2020-12 subset).

    Every branch a strategy can take is also listed in ``expected`` (as a key) and reported to
    ``record`` when drawn, so a test can check which parts of the schema the examples exercised.
    """

    def __init__(self, record: Recorder, max_items: int = 2) -> None:
        self.record = record
        self.max_items = max_items
        self.expected: set[tuple[str, ...]] = set()
        self._refs: dict[str, st.SearchStrategy[Any]] = {}

    def _mark(self, key: tuple[str, ...], strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        self.expected.add(key)
        record = self.record

        def seen(value: Any) -> Any:
            record(key)
            return value

        return strategy.map(seen)

    def ref(self, ref: str) -> st.SearchStrategy[Any]:
        if ref not in self._refs:
            self._refs[ref] = st.deferred(lambda: built)  # placeholder for recursive schemas
            pointer, schema = resolve(ref)
            built = self.build(schema, pointer)
            self._refs[ref] = built
        return self._refs[ref]

    def build(self, schema: dict[str, Any] | bool, pointer: str) -> st.SearchStrategy[Any]:
        if schema is True or schema == {} or (isinstance(schema, dict) and set(schema) <= {"description"}):
            return ANY_JSON
        assert isinstance(schema, dict), (pointer, schema)
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            # One branch per value; null (a type of its own) is as likely as all the other values together.
            keys = {v: (pointer, "enum", repr(v)) for v in schema["enum"] if v is not None}
            self.expected.update(keys.values())
            record = self.record

            def seen_value(value: Any) -> Any:
                record(keys[value])
                return value

            values = st.sampled_from(list(keys)).map(seen_value)
            if None in schema["enum"]:
                values = st.one_of(values, self._mark((pointer, "enum", "None"), st.none()))
            return values
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                return st.one_of(
                    [
                        self._mark((pointer, keyword, str(i)), self.build(sub, f"{pointer}/{keyword}/{i}"))
                        for i, sub in enumerate(schema[keyword])
                    ]
                )
        types = schema.get("type")
        if isinstance(types, list):
            return st.one_of(
                [self._mark((pointer, "type", t), self.build({**schema, "type": t}, pointer)) for t in types]
            )
        if types == "null":
            return st.none()
        if types == "boolean":
            return st.booleans()
        if types == "integer":
            return st.integers(min_value=-1000, max_value=1000)
        if types == "number":
            return NUMBERS
        if types == "string":
            return TEXT
        if types == "array":
            items = self.build(schema.get("items", True), f"{pointer}/items")
            return st.lists(items, max_size=self.max_items)
        if types == "object" or "properties" in schema:
            return self._object(schema, pointer)
        raise NotImplementedError(f"{pointer}: schema not handled by the strategy builder: {schema}")

    def _object(self, schema: dict[str, Any], pointer: str) -> st.SearchStrategy[Any]:
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        fields: dict[str, st.SearchStrategy[Any]] = {}
        for name, sub in properties.items():
            prop_pointer = f"{pointer}/properties/{name}"
            strategy = self._mark((prop_pointer, "present"), self.build(sub, prop_pointer))
            if name not in required:
                # Each optional property is present or absent; present is made three times as
                # likely so that the nested schemas get exercised within a few dozen examples.
                absent = self._mark((prop_pointer, "absent"), st.just(ABSENT))
                strategy = st.sampled_from((True, True, True, False)).flatmap(
                    lambda keep, s=strategy, a=absent: s if keep else a
                )
            fields[name] = strategy
        declared = st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not ABSENT})
        additional = schema.get("additionalProperties", True)
        if additional is False:
            return declared
        extra_values = ANY_JSON if additional is True else self.build(additional, f"{pointer}/additionalProperties")
        extras = st.dictionaries(
            EXTRA_KEYS.filter(lambda k: k not in properties), extra_values, max_size=1 if properties else 2
        )
        return st.builds(lambda d, e: {**e, **d}, declared, self._mark((pointer, "extra"), extras) | st.just({}))


def witnesses(schema: dict[str, Any] | bool, pointer: str = "") -> list[Any]:
    """Deterministic instances that together take every branch of ``schema``: each enum value,
    each oneOf/anyOf branch, each type (null included), each property present and absent.
    Variation is additive (one property varies at a time), so the list stays small."""
    if schema is True or schema == {} or (isinstance(schema, dict) and set(schema) <= {"description"}):
        return [None, True, 1, 1.5, "s", [], {"k": "v"}]
    assert isinstance(schema, dict)
    if "$ref" in schema:
        ptr, target = resolve(schema["$ref"])
        return witnesses(target, ptr)
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            return [w for i, sub in enumerate(schema[keyword]) for w in witnesses(sub, f"{pointer}/{keyword}/{i}")]
    types = schema.get("type")
    if isinstance(types, list):
        return [w for t in types for w in witnesses({**schema, "type": t}, pointer)]
    simple = {"null": [None], "boolean": [True, False], "integer": [0, 7], "number": [2, 2.5], "string": ["", "Ab1"]}
    if types in simple:
        return list(simple[types])
    if types == "array":
        return [[]] + [[w] for w in witnesses(schema.get("items", True), f"{pointer}/items")]
    if types == "object" or "properties" in schema:
        properties: dict[str, Any] = schema.get("properties", {})
        options = {name: witnesses(sub, f"{pointer}/properties/{name}") for name, sub in properties.items()}
        base = {name: values[0] for name, values in options.items()}
        out: list[Any] = [base, {n: base[n] for n in schema.get("required", [])}]
        out += [{**base, name: value} for name, values in options.items() for value in values[1:]]
        if schema.get("additionalProperties", True) is not False:
            out.append({**base, "x_unknown_extra": {"nested": [1, "two", None]}})
        return out
    raise NotImplementedError(f"{pointer}: schema not handled: {schema}")


REQUEST_VALIDATOR = jsonschema.Draft202012Validator({"$ref": REQUEST_REF, "components": SPEC["components"]})


# -------------------------------------------------------------------------- tests


def test_fixture_request_is_accepted_by_prism(client: Client) -> None:
    body = load_fixture("lms_batch_upsert_course", "request")
    result = assert_accepted_by_prism(client, body)
    assert isinstance(result, models.BatchResultApiModel)
    assert isinstance(client.lms_batch_upsert_course(body=body), models.BatchResultApiModel)


def test_property_based_valid_bodies_are_accepted(client: Client) -> None:
    seen: dict[tuple[str, ...], int] = {}
    sent: list[Any] = []

    def record(key: tuple[str, ...]) -> None:
        seen[key] = seen.get(key, 0) + 1

    builder = SchemaStrategies(record)
    bodies = builder.ref(REQUEST_REF)

    # derandomize: the same examples on every run, so the coverage floor below cannot flake.
    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=bodies)
    def check(body: Any) -> None:
        REQUEST_VALIDATOR.validate(body)  # the strategy itself must only produce valid bodies
        assert_accepted_by_prism(client, body)
        sent.append(body)

    check()
    assert len(sent) >= 50

    # Coverage floor that 60 random examples reach reliably: every optional field of a course
    # present and absent, each of its types (null included), unknown extra properties. Deeper branches (each value of each enum, each field of nested objects) are
    # covered exhaustively by the witness test; SourceValue variants and null language values
    # by the next test.
    course = "#/components/schemas/LmsUpsertCourseRequestDto"
    floor = {k for k in builder.expected if k[0].startswith(course + "/properties/") and k[0].count("/") == 5}
    floor |= {(course, "extra")}
    assert len(floor) > 40, len(floor)
    missing = sorted(floor - set(seen))
    assert not missing, f"{len(missing)} schema branches never generated: {missing}"
    print(f"\n{len(sent)} bodies, {len(set(seen) & builder.expected)}/{len(builder.expected)} schema branches hit")


def test_property_based_source_values_are_accepted(client: Client) -> None:
    """Every SourceValue oneOf variant, and null/non-null language values, reach Prism."""
    seen: set[tuple[str, ...]] = set()
    builder = SchemaStrategies(seen.add)
    language = builder.ref("#/components/schemas/LanguageEnum")
    source_value = builder.ref("#/components/schemas/SourceValue")
    sent: list[Any] = []

    # derandomize: the same examples on every run, so the coverage floor below cannot flake.
    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(lang=language, source=source_value)
    def check(lang: dict[str, Any], source: Any) -> None:
        body = {"items": [{"languages": [{**lang, "source_value": source}]}]}
        REQUEST_VALIDATOR.validate(body)
        assert_accepted_by_prism(client, body)
        sent.append(body)

    check()
    assert len(sent) >= 50
    variants = {k for k in builder.expected if k[0] == "#/components/schemas/SourceValue"}
    assert len(variants) == 6
    assert variants <= seen, sorted(variants - seen)
    assert ("#/components/schemas/LanguageEnum/properties/value", "enum", "None") in seen


def test_witness_bodies_cover_every_branch_and_are_accepted(client: Client) -> None:
    """Deterministic complement of the property test: every enum value, every oneOf variant,
    every property present/absent/null, in batches of 25 courses."""
    _, request_schema = resolve(REQUEST_REF)
    courses = witnesses(request_schema["properties"]["items"]["items"])
    languages = resolve("#/components/schemas/LanguageEnum")[1]["properties"]["value"]["enum"]
    assert len(courses) > len(languages)
    for start in range(0, len(courses), 25):
        body = {"items": courses[start : start + 25]}
        REQUEST_VALIDATOR.validate(body)
        assert_accepted_by_prism(client, body)


def test_negative_control_prism_validation_is_live(raw_http: httpx.Client) -> None:
    violations = assert_rejected_by_prism(raw_http, {"items": "not-an-array"})
    assert "items" in violations
    violations = assert_rejected_by_prism(raw_http, {"items": [{"active": "yes"}]})
    assert "active" in violations
    # ...and the same raw channel does get a 2xx for a valid body.
    response = raw_http.post(PATH, json={"items": []})
    assert response.status_code == 202 and "sl-violations" not in response.headers


INVALID_BODIES = {
    "active-as-string": {"items": [{"active": "yes"}]},
    "items-missing": {},
    "items-not-array": {"items": "not-an-array"},
    "order-as-string": {"items": [{"content": [{"order": "1"}]}]},
    "languages-as-object": {"items": [{"languages": {"value": "en_GB"}}]},
    "unknown-language": {"items": [{"languages": [{"value": "xx_XX"}]}]},
    "unknown-category-level": {"items": [{"categories": [{"hierarchy": {"value": "quaternary"}}]}]},
    "title-as-number": {"items": [{"title": 5}]},
    "tags-item-null": {"items": [{"localizations": [{"tags": [None]}]}]},
}


@pytest.mark.parametrize("body", INVALID_BODIES.values(), ids=INVALID_BODIES.keys())
def test_invalid_bodies_rejected_by_client_and_prism(client: Client, raw_http: httpx.Client, body: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        REQUEST_VALIDATOR.validate(body)
    # RequestValidationError (not an APIStatusError such as 422) shows nothing was sent.
    with pytest.raises(errors.RequestValidationError):
        client.lms_batch_upsert_course(body=body)
    assert_rejected_by_prism(raw_http, body)


VALID_EDGE_BODIES = {
    "empty-items": {"items": []},
    "empty-course": {"items": [{}]},
    "extra-properties": {"items": [{"title": "t", "x_unknown": {"a": [1, None]}}], "x_top": True},
    "explicit-nulls": {
        "items": [
            {
                "unified_custom_fields": None,
                "external_reference": None,
                "title": None,
                "languages": None,
                "active": None,
                "categories": [{"hierarchy": None, "level": None, "language": None}],
                "skills": [{"hierarchy": {"value": None, "source_value": None}}],
                "content": [{"order": None}],
                "localizations": [{"language": {"value": None}, "tags": None}],
            }
        ]
    },
    "source-value-variants": {
        "items": [{"languages": [{"value": "en_GB", "source_value": v} for v in ["s", 1, 1.5, True, {"a": 1}, [1]]]}]
    },
    "unmapped-value": {"items": [{"categories": [{"hierarchy": {"value": "unmapped_value", "source_value": "Z"}}]}]},
}


@pytest.mark.parametrize("body", VALID_EDGE_BODIES.values(), ids=VALID_EDGE_BODIES.keys())
def test_valid_edge_bodies_accepted_by_client_and_prism(client: Client, raw_http: httpx.Client, body: Any) -> None:
    REQUEST_VALIDATOR.validate(body)
    assert_accepted_by_prism(client, body)
    response = raw_http.post(PATH, json=body)
    assert response.status_code == 202 and "sl-violations" not in response.headers
