"""The OpenAPI 3 document, assembled from the parts each area registers.

Each area registers its paths with ``register_paths``; a test checks that the document and
the app's routes match, so an endpoint cannot be added without describing it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

_PATH_PARTS: list[dict[str, Any]] = []

ERROR = {"$ref": "#/components/schemas/Error"}


def error_responses(*statuses: int) -> dict[str, Any]:
    return {
        str(status): {"description": "Error", "content": {"application/json": {"schema": ERROR}}}
        for status in statuses
    }


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def ok(description: str, schema: dict[str, Any] | None = None, status: int = 200) -> dict[str, Any]:
    content = {"application/json": {"schema": schema or {"type": "object"}}}
    return {str(status): {"description": description, "content": content}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def register_paths(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> None:
    """Add an area's paths (and component schemas) to the document."""
    _PATH_PARTS.append({"paths": paths, "schemas": schemas or {}})


def openapi_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message", "fields"],
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                }
            },
        }
    }
    for part in _PATH_PARTS:
        for path, operations in part["paths"].items():
            paths.setdefault(path, {}).update(operations)
        schemas.update(part["schemas"])
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{current_app.config['SITE_NAME']} API", "version": "1.0.0"},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
        "security": [{"bearer": []}, {}],
        "paths": dict(sorted(paths.items())),
    }
