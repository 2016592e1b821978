"""Call every operation of a generated package against Stoplight Prism mocking its document: a second
reader of the document, not ours, judges each request the client sends.

Usage: ``python -P prism.py OUT PACKAGE SPEC RESULT.json``. Prism (``node_modules/.bin/prism``, pinned in
``package.json``) serves ``SPEC`` without ``--errors``, so it answers every request it routes and lists
what it finds wrong with the request in the ``sl-violations`` header. Each operation is called once, with
the arguments of :mod:`probe` (its fixtures and plain values). Writes ``{"operations", "violations",
"values", "unrouted", "refused", "failures"}`` and ``"prism"`` (its last lines) when it did not start:
by operation, what Prism found wrong in how the request is made, and in the probe's plain values (a
pattern, a format); the requests it routed to no operation; the answers the client refused though the
document's schema (as openapi-schema-validator reads it, with the generator's one documented reading: a
schema with ``properties`` and no ``type`` is an object) allows them; the calls that failed otherwise
(Prism's answer, made from an example or a schema, read by the client, mostly).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import warnings
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx

HERE = Path(__file__).resolve().parent
STARTUP_TIMEOUT = 180.0

sys.path.insert(0, str(HERE))
from probe import _arguments, _describe  # noqa: E402

sys.path.insert(0, str(HERE.parent))
from prismmock import serving  # noqa: E402

from generator.spec.loader import parse_text  # noqa: E402
from generator.spec.schemakeys import SUBSCHEMA_KEYWORDS  # noqa: E402


class _Recording(httpx.HTTPTransport):
    """Real HTTP, keeping each response with its body as it came (the client reads it as a stream)."""

    def __init__(self, answered: list[tuple[httpx.Response, bytes]]) -> None:
        super().__init__()
        self.answered = answered

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        raw = b"".join(response.iter_raw())
        response.close()
        again = httpx.Response(response.status_code, headers=response.headers, content=raw, request=request)
        self.answered.append((again, raw))
        return again


# What Prism says of a value (the probe's plain arguments do not heed patterns, formats or bounds), not
# of how the request is made; and of a parameter's value against a union or an object (it reads "1"
# as a number and a string both, and an object from a path segment its own way).
_PARAMETER_VALUE_CODES = {"oneOf", "anyOf", "additionalProperties"}
_VALUE_CODES = {
    "pattern",
    "format",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "multipleOf",
    "const",
    "minItems",
    "maxItems",
}


def _violations(response: httpx.Response, body: Any, template: str = "") -> tuple[list[str], list[str]]:
    """The errors Prism found in the request of ``response`` (an operation's of path ``template``): of
    how it is made, and of a value in it. Prism lists them in its ``sl-violations`` header, or in its
    answer (``body``, JSON) where it refuses the request."""
    said = response.headers.get("sl-violations", "[]")
    try:  # past a count, Prism says "Too many violations! [...]"
        found = json.loads(said[said.find("[") :] if "[" in said else said)
    except ValueError:
        request = '"location":["request"' in said
        return ([said[:300]] if request else []), []
    if isinstance(body, dict) and isinstance(body.get("validation"), list):
        found = [*found, *[{"severity": "Error", **item} for item in body["validation"] if isinstance(item, dict)]]
    made, values = [], []
    for item in found:
        if isinstance(item, dict) and item.get("severity") in ("Error", 0):
            where = item.get("location") or []
            if where[:1] == ["request"] or (body is not None and where[:1] != ["response"]):
                place = ".".join(map(str, where[1:] if where[:1] == ["request"] else where))
                code = item.get("code")
                if _bracketed_name_missed(response, place, code, str(item.get("message", ""))):
                    continue
                if code == "required" and place == "path" and "}{" in template:
                    continue  # Prism cannot split one segment into two parameters (healthcare.gov's)
                text = f"{place} ({code}): {item.get('message', '')}"[:300]
                parameter = place.split(".")[0] in ("path", "query", "header", "cookie")
                value = code in _VALUE_CODES or (parameter and code in _PARAMETER_VALUE_CODES)
                (values if value else made).append(text)
    return made, values


# Prism (5.14) looks a required query parameter whose name has brackets (Datadog's ``filter[env]``) up by
# its own lower-case percent-encoding of the name, and finds none however a request spells it (``%5B%5D``,
# ``%5b%5d`` or raw brackets all refused).
_MISSING_QUERY = re.compile(r"Request query must have required property '(.+)'")


def _bracketed_name_missed(response: httpx.Response, place: str, code: Any, message: str) -> bool:
    """Whether Prism says a bracketed query parameter is missing from a request that carries it."""
    missing = _MISSING_QUERY.fullmatch(message)
    if place != "query" or code != "required" or missing is None or "%5b" not in missing[1].lower():
        return False
    try:
        request = response.request
    except RuntimeError:  # a response made without its request
        return False
    return unquote(missing[1]) in request.url.params


def _json(body: Any) -> Any:
    """An error's body as JSON, where it is JSON text."""
    try:
        return json.loads(body) if isinstance(body, (str, bytes)) else body
    except ValueError:
        return None


def _document_allows(document: dict[str, Any], operation: Any, response: httpx.Response, raw: bytes) -> bool:
    """Whether the JSON body ``raw`` of ``response`` (to ``operation``, the package's spec of it) fits
    the schema its document gives that status, as openapi-schema-validator reads the document."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    found = ((document.get("paths") or {}).get(operation.path) or {}).get(operation.method.lower()) or {}
    responses = found.get("responses") or {}
    status = str(response.status_code)
    declared = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default") or {}
    while isinstance(declared, dict) and isinstance(declared.get("$ref"), str):
        declared = _pointed(document, declared["$ref"])
    content = declared.get("content") if isinstance(declared, dict) else None
    schema = next((media.get("schema") for kind, media in (content or {}).items() if "json" in kind), None)
    if not isinstance(schema, dict):
        return False
    try:
        body = json.loads(raw)
    except ValueError:  # not JSON, or encoded (Prism sends neither)
        return False
    # The document is the root the schema's references resolve against; its keys are no keywords.
    validator = OAS30Validator if str(document.get("openapi", "")).startswith("3.0") else OAS31Validator
    if not validator(_as_objects({**document, **schema})).is_valid(body):
        return False
    tagged = _member_tag(document, schema)
    return tagged is None or not isinstance(body, dict) or body.get(tagged[0]) == tagged[1]


def _member_tag(document: dict[str, Any], schema: dict[str, Any]) -> tuple[str, str] | None:
    """``(property, tag)`` where ``schema`` refers to a schema that extends a discriminated base: its class
    takes its own tag only (README, discriminators: the models fix it on the class wherever it is used;
    Service Fabric's 200 ``SuccessfulPropertyBatchInfo``, whose example, shared with the 409, is ``Failed``).
    Its tag is the base's mapping key that leads to it, else its ``x-ms-discriminator-value``, else its name."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/components/schemas/"):
        return None
    member = _pointed(document, ref)
    for part in member.get("allOf") or () if isinstance(member, dict) else ():
        base = (
            _pointed(document, part["$ref"]) if isinstance(part, dict) and isinstance(part.get("$ref"), str) else None
        )
        discriminator = base.get("discriminator") if isinstance(base, dict) else None
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            mapping = discriminator.get("mapping") or {}
            name = ref.rpartition("/")[2]
            keys = [key for key, target in mapping.items() if target in (ref, name)]
            tag = keys[0] if keys else member.get("x-ms-discriminator-value", name)
            return discriminator["propertyName"], str(tag)
    return None


def _as_objects(node: Any, names: bool = False) -> Any:
    """``node`` with each schema that has ``properties`` and no ``type`` typed ``object``, as the models read
    it (README, "Strict requests, lenient responses"): Azure's examples give a string or a list there, which
    JSON Schema allows and the models refuse, by design. ``names``: ``node`` maps names to schemas (an
    Azure resource's property named ``properties`` is no keyword). Examples and defaults are walked too:
    as data, nothing validates against them."""
    if isinstance(node, list):
        return [_as_objects(item) for item in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {key: _as_objects(value) for key, value in node.items()}
    read = {key: _as_objects(value, SUBSCHEMA_KEYWORDS.get(key) == "map") for key, value in node.items()}
    if isinstance(node.get("properties"), dict) and "type" not in node:
        read["type"] = "object"
    return read


def _pointed(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for token in ref.removeprefix("#/").split("/"):
        node = node.get(token.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
    return node


def main() -> None:
    out, package, spec, result_file = sys.argv[1:5]
    sys.path.insert(0, out)
    warnings.simplefilter("ignore")
    importlib.import_module(package)
    testing = importlib.import_module(f"{package}.testing")
    operations = importlib.import_module(f"{package}._endpoints").OPERATIONS
    document = parse_text(spec, Path(spec).read_text(encoding="utf-8"))
    result: dict[str, Any] = {"operations": len(operations), "violations": {}, "values": {}, "unrouted": {}}
    result.update(refused={}, failures={})
    tail: deque[str] = deque(maxlen=20)
    with serving(Path(spec), tail, errors=False, timeout=STARTUP_TIMEOUT) as url:
        if url is None:
            result["prism"] = list(tail)
        else:
            answered: list[tuple[httpx.Response, bytes]] = []
            # The package's own mock gives the client its test credentials and options; its transport is
            # real HTTP to Prism instead of the mock's answers.
            live = type("Live", (testing.MockAPI,), {"transport": property(lambda _: _Recording(answered))})
            with live(base_url=url).client() as client:
                for name, operation in operations.items():
                    answered.clear()
                    try:
                        method = getattr(client, name)
                        method(**_arguments(method, testing, name))
                    except Exception as error:
                        failure = _describe(error)
                        said = str(getattr(error, "body", None) or "")[:300]
                        body = _json(getattr(error, "body", None))
                        unread = type(error).__name__ == "APIResponseValidationError"
                    else:
                        failure = said = ""
                        body, unread = None, False
                    if not answered:
                        result["failures"][name] = failure or "no request was sent"
                        continue
                    response, raw = answered[-1]
                    if response.status_code in (404, 405) and "NO_" in said:
                        result["unrouted"][name] = f"{response.request.method} {response.request.url.path}"
                    elif any(found := _violations(response, body, operation.path)):
                        made, values = found
                        result["violations" if made else "values"][name] = made or values
                    elif unread and _document_allows(document, operation, response, raw):
                        result["refused"][name] = failure
                    elif failure:
                        result["failures"][name] = f"{response.status_code}: {failure} ({said})"
    Path(result_file).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
