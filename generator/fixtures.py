"""Example payloads for every operation: the spec's examples, else a minimal valid instance."""

from __future__ import annotations

import json
import re
from typing import Any

from generator.ir import Api
from generator.normalize import NormalizedSpec
from generator.validate import deref, resolve_pointer

# A status code, or a range such as 5XX.
_STATUS = re.compile(r"[1-5](\d\d|[xX]{2})")

_FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "user@example.com",
    "uri": "https://example.com",
}
_MAX_DEPTH = 32


class _Instances:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def minimal(self, schema: Any, depth: int = 0) -> Any:
        """The smallest instance that satisfies ``schema`` (required fields only)."""
        if depth > _MAX_DEPTH or not isinstance(schema, dict):
            return None
        if isinstance(schema.get("$ref"), str):
            return self.minimal(resolve_pointer(self.document, schema["$ref"][1:]), depth + 1)
        for key in ("examples", "example", "const", "default", "enum"):
            if key in schema and key in ("examples", "enum"):
                values = (
                    [value for value in schema[key] or () if value is not None] if isinstance(schema[key], list) else []
                )
                if values:
                    return values[0]
            elif key in schema:
                return schema[key]
        for key in ("allOf",):
            if schema.get(key):
                merged: dict[str, Any] = {}
                for part in schema[key]:
                    value = self.minimal(part, depth + 1)
                    if isinstance(value, dict):
                        merged.update(value)
                return merged
        for key in ("anyOf", "oneOf"):
            if schema.get(key):
                non_null = [part for part in schema[key] if part.get("type") != "null"] or schema[key]
                return self.minimal(non_null[0], depth + 1)
        declared = schema.get("type")
        types = (
            [declared]
            if isinstance(declared, str)
            else [t for t in declared or () if t != "null"] or ["object" if "properties" in schema else "null"]
        )
        kind = types[0]
        if kind == "object":
            properties = schema.get("properties") or {}
            return {name: self.minimal(properties.get(name, {}), depth + 1) for name in schema.get("required") or ()}
        if kind == "array":
            return [self.minimal(schema.get("items", {}), depth + 1) for _ in range(int(schema.get("minItems", 0)))]
        if kind == "string":
            return _FORMAT_SAMPLES.get(str(schema.get("format")), "string")
        if kind in ("integer", "number"):
            return schema.get("minimum", 0)
        if kind == "boolean":
            return False
        return None


def _example(media: Any) -> Any:
    if not isinstance(media, dict):
        return None
    examples = media.get("examples")
    if isinstance(examples, dict):
        for example in examples.values():
            if isinstance(example, dict) and "value" in example:
                return example["value"]
    return media.get("example")


def build_fixtures(spec: NormalizedSpec, api: Api) -> dict[str, str]:
    """``{relative path: JSON text}`` for ``<package>/fixtures/<operation>/...``."""
    instances = _Instances(spec.document)
    files: dict[str, str] = {}
    for operation in api.operations:
        raw = resolve_pointer(spec.document, operation.pointer)
        folder = f"{api.package}/fixtures/{operation.method_name}"
        payloads: dict[str, Any] = {}
        body = raw.get("requestBody")
        if operation.body is not None and isinstance(body, dict):
            body = deref(spec.document, body)
            media = body["content"].get("application/json") or next(iter(body["content"].values()))
            example = _example(media)
            payloads["request"] = example if example is not None else instances.minimal(media.get("schema"))
        responses = raw.get("responses") or {}
        for status, response in responses.items():
            if status == "default" and not any(str(code).startswith("2") for code in responses):
                status = "2XX"  # a default alone describes the success too (see Operation.successes)
            if not _STATUS.fullmatch(str(status)):
                continue
            response = deref(spec.document, response)
            content = response.get("content") or {}
            media = content.get("application/json")
            if media is None:
                continue
            example = _example(media)
            payloads[f"response_{str(status).upper()}"] = (
                example if example is not None else instances.minimal(media.get("schema"))
            )
        for name, payload in payloads.items():
            files[f"{folder}/{name}.json"] = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return files
