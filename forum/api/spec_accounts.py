"""OpenAPI description of health, accounts and tokens."""

from __future__ import annotations

from forum.api.spec import error_responses, json_body, ok, ref, register_paths

USER = {
    "type": "object",
    "required": ["id", "username", "role", "reputation"],
    "properties": {
        "id": {"type": "integer"},
        "username": {"type": "string"},
        "role": {"type": "string", "enum": ["member", "advocate", "moderator", "finance", "admin"]},
        "reputation": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
    },
}

register_paths(
    {
        "/healthz": {
            "get": {
                "summary": "Database and search index answer",
                "security": [],
                "responses": {**ok("Healthy"), **error_responses(503)},
            }
        },
        "/api/v1/openapi.json": {
            "get": {"summary": "This document", "security": [], "responses": ok("OpenAPI 3")}
        },
        "/api/v1/users": {
            "post": {
                "summary": "Register",
                "security": [],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["username", "email", "password"],
                        "properties": {
                            "username": {"type": "string", "minLength": 3, "maxLength": 30},
                            "email": {"type": "string", "format": "email"},
                            "password": {"type": "string", "minLength": 12},
                        },
                    }
                ),
                "responses": {**ok("Registered", ref("User"), 201), **error_responses(409, 422, 429)},
            }
        },
        "/api/v1/tokens": {
            "post": {
                "summary": "Exchange a username and password for an API token",
                "security": [],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["username", "password"],
                        "properties": {
                            "username": {"type": "string"},
                            "password": {"type": "string"},
                            "label": {"type": "string"},
                        },
                    }
                ),
                "responses": {
                    **ok("Token", {"type": "object", "properties": {"token": {"type": "string"}}}, 201),
                    **error_responses(401, 422, 429),
                },
            }
        },
        "/api/v1/me": {
            "get": {"summary": "The caller", "responses": {**ok("User", ref("User")), **error_responses(401)}}
        },
        "/api/v1/users/{user_id}/role": {
            "put": {
                "summary": "Change a user's role (admins)",
                "parameters": [
                    {"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "requestBody": json_body(
                    {"type": "object", "required": ["role"], "properties": {"role": {"type": "string"}}}
                ),
                "responses": {**ok("User", ref("User")), **error_responses(401, 403, 404, 422)},
            }
        },
    },
    {"User": USER},
)
