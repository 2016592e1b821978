"""Deterministic synthetic OpenAPI 3.1 documents of a chosen size, for benchmarks.

``make_spec(n)`` returns a document with exactly ``n`` operations spread over
resources of five operations each (list, create, get, update, delete), grouped
under tags.  Every resource has its own component schemas with the shapes real
APIs have: nested objects, arrays of objects, string enums, nullable fields
(``type: [..., "null"]``), formats (date-time, uri, email), ``$ref`` reuse,
path parameters, query parameters (paging, filters, enum filters), request
bodies on create/update and 2xx plus 4xx/5xx error responses with a shared
error schema.  The same ``n`` always gives the same document (no randomness).

Command line::

    .venv/bin/python bench/synthetic.py 100 --out /tmp/spec100.yaml   # YAML by suffix
    .venv/bin/python bench/synthetic.py 1000 --out /tmp/spec1000.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

_NOUNS = [
    "course",
    "lesson",
    "learner",
    "instructor",
    "enrollment",
    "assignment",
    "category",
    "skill",
    "certificate",
    "quiz",
    "module",
    "badge",
    "cohort",
    "report",
    "invoice",
    "account",
]
_VERBS = ["list", "create", "get", "update", "delete"]
_TAG_COUNT = 12
_ERRORS = {
    "400": "The request was malformed or failed validation.",
    "401": "The credentials are missing or wrong.",
    "404": "The resource does not exist.",
    "429": "Too many requests were sent.",
    "500": "The server failed unexpectedly.",
}


def _resource_name(index: int) -> tuple[str, str]:
    """(snake_case, PascalCase) name of resource ``index``: ``course``, ``lesson``, ..., ``course_2``."""
    noun = _NOUNS[index % len(_NOUNS)]
    round_ = index // len(_NOUNS)
    snake = noun if round_ == 0 else f"{noun}_{round_ + 1}"
    pascal = "".join(part.capitalize() for part in snake.split("_"))
    return snake, pascal


def _schemas_for(snake: str, pascal: str) -> dict[str, Any]:
    status = f"{pascal}Status"
    address = f"{pascal}Address"
    line = f"{pascal}Line"
    resource = pascal
    create = f"{pascal}CreateRequest"
    update = f"{pascal}UpdateRequest"
    page = f"{pascal}Page"
    return {
        status: {
            "type": "string",
            "description": f"Lifecycle state of a {snake}.",
            "enum": ["draft", "active", "archived", "deleted"],
        },
        address: {
            "type": "object",
            "description": f"Where a {snake} is located.",
            "properties": {
                "street": {"type": "string", "examples": ["1 Main Street"]},
                "city": {"type": "string"},
                "postal_code": {"type": ["string", "null"]},
                "country": {"type": "string", "minLength": 2, "maxLength": 2, "examples": ["GB"]},
            },
            "required": ["city", "country"],
        },
        line: {
            "type": "object",
            "properties": {
                "position": {"type": "integer", "minimum": 0},
                "label": {"type": "string"},
                "weight": {"type": ["number", "null"], "minimum": 0},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["position", "label"],
        },
        resource: {
            "type": "object",
            "description": f"A {snake} as the API returns it.",
            "properties": {
                "id": {"type": "string", "description": "Server-assigned identifier.", "examples": ["a1b2c3"]},
                "name": {"type": "string", "maxLength": 200},
                "description": {"type": ["string", "null"]},
                "status": {"$ref": f"#/components/schemas/{status}"},
                "priority": {"type": "integer", "enum": [1, 2, 3]},
                "score": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                "active": {"type": "boolean", "default": True},
                "homepage": {"type": ["string", "null"], "format": "uri"},
                "contact_email": {"type": "string", "format": "email"},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "address": {"$ref": f"#/components/schemas/{address}"},
                "lines": {"type": "array", "items": {"$ref": f"#/components/schemas/{line}"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "metadata": {
                    "type": "object",
                    "properties": {
                        "source": {"type": "string", "enum": ["api", "import", "sync"]},
                        "revision": {"type": "integer"},
                        "notes": {"type": ["array", "null"], "items": {"type": "string"}},
                    },
                },
            },
            "required": ["id", "name", "status", "created_at"],
        },
        create: {
            "type": "object",
            "description": f"What a client sends to create a {snake}.",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": {"type": ["string", "null"]},
                "status": {"$ref": f"#/components/schemas/{status}"},
                "priority": {"type": "integer", "enum": [1, 2, 3]},
                "address": {"$ref": f"#/components/schemas/{address}"},
                "lines": {"type": "array", "items": {"$ref": f"#/components/schemas/{line}"}, "maxItems": 100},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "required": ["name"],
        },
        update: {
            "type": "object",
            "description": f"Fields of a {snake} to change; absent fields are kept.",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": {"type": ["string", "null"]},
                "status": {"$ref": f"#/components/schemas/{status}"},
                "score": {"type": ["number", "null"]},
                "lines": {"type": "array", "items": {"$ref": f"#/components/schemas/{line}"}},
            },
        },
        page: {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{resource}"}},
                "next_cursor": {"type": ["string", "null"]},
                "total": {"type": "integer"},
            },
            "required": ["data"],
        },
    }


def _error_responses() -> dict[str, Any]:
    return {
        code: {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code, text in _ERRORS.items()
    }


def _json(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _operation(verb: str, snake: str, pascal: str, tag: str, status: str) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{verb}_{snake}",
        "summary": f"{verb.capitalize()} {snake.replace('_', ' ')}",
        "description": f"{verb.capitalize()}s {snake.replace('_', ' ')} records of the account.",
        "tags": [tag],
        "parameters": [
            {
                "name": "x-request-id",
                "in": "header",
                "required": False,
                "description": "Correlation id echoed in logs.",
                "schema": {"type": "string"},
            }
        ],
    }
    if verb == "list":
        op["parameters"] += [
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
            },
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            {"name": "status", "in": "query", "schema": {"$ref": f"#/components/schemas/{status}"}},
            {"name": "updated_after", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            {"name": "include_deleted", "in": "query", "schema": {"type": "boolean", "default": False}},
        ]
        op["responses"] = {"200": {"description": "A page of results.", **_json(f"{pascal}Page")}}
    elif verb == "create":
        op["requestBody"] = {"required": True, **_json(f"{pascal}CreateRequest")}
        op["responses"] = {"201": {"description": "Created.", **_json(pascal)}}
    elif verb == "get":
        op["responses"] = {"200": {"description": "The record.", **_json(pascal)}}
    elif verb == "update":
        op["requestBody"] = {"required": True, **_json(f"{pascal}UpdateRequest")}
        op["responses"] = {"200": {"description": "The updated record.", **_json(pascal)}}
    else:
        op["responses"] = {"204": {"description": "Deleted."}}
    op["responses"].update(_error_responses())
    return op


def make_spec(operations: int) -> dict[str, Any]:
    """An OpenAPI 3.1 document with exactly ``operations`` operations (deterministic)."""
    if operations < 1:
        raise ValueError("operations must be at least 1")
    tags = [f"Group{t + 1}" for t in range(min(_TAG_COUNT, (operations + 4) // 5))]
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "description": "Error body of every 4xx/5xx response.",
            "properties": {
                "status_code": {"type": "integer"},
                "message": {"type": "string"},
                "details": {
                    "type": ["array", "null"],
                    "items": {
                        "type": "object",
                        "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
                    },
                },
            },
            "required": ["status_code", "message"],
        }
    }
    count = 0
    resource = 0
    while count < operations:
        snake, pascal = _resource_name(resource)
        tag = tags[resource % len(tags)]
        schemas.update(_schemas_for(snake, pascal))
        collection = f"/v1/{snake.replace('_', '-')}s"
        item = f"{collection}/{{{snake}_id}}"
        id_param = {
            "name": f"{snake}_id",
            "in": "path",
            "required": True,
            "description": f"Identifier of the {snake}.",
            "schema": {"type": "string"},
        }
        for verb in _VERBS:
            if count >= operations:
                break
            op = _operation(verb, snake, pascal, tag, f"{pascal}Status")
            if verb in ("get", "update", "delete"):
                op["parameters"].insert(0, id_param)
            method = {"list": "get", "create": "post", "get": "get", "update": "patch", "delete": "delete"}[verb]
            paths.setdefault(item if verb in ("get", "update", "delete") else collection, {})[method] = op
            count += 1
        resource += 1
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Synthetic API {operations}",
            "version": "1.0.0",
            "description": f"A generated benchmark API with {operations} operations.",
        },
        "servers": [{"url": "https://api.example.com"}],
        "tags": [{"name": t, "description": f"Operations of {t}."} for t in tags],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
    }


def write_spec(operations: int, out: Path) -> Path:
    """Write ``make_spec(operations)`` to ``out``: JSON for ``.json``, YAML otherwise."""
    spec = make_spec(operations)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".json":
        out.write_text(json.dumps(spec, indent=1) + "\n")
    else:
        import yaml

        out.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operations", type=int, help="number of operations (e.g. 10, 100, 1000)")
    parser.add_argument("--out", type=Path, help="file to write (.json -> JSON, else YAML); default: stdout as YAML")
    args = parser.parse_args(argv)
    if args.out:
        write_spec(args.operations, args.out)
        print(args.out)
    else:
        import yaml

        sys.stdout.write(yaml.safe_dump(make_spec(args.operations), sort_keys=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
