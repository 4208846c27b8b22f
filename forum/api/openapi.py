"""``GET /api/v1/openapi.json``: the OpenAPI 3 description of the API the app serves."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from forum.api import spec_accounts, spec_questions, spec_search  # noqa: F401  (register their paths)
from forum.api.spec import error_responses, json_body, ok, openapi_document, ref, register_paths

__all__ = ["bp", "error_responses", "json_body", "ok", "openapi_document", "ref", "register_paths"]

bp = Blueprint("openapi", __name__)


@bp.get("/api/v1/openapi.json")
def openapi_json() -> ResponseReturnValue:
    return openapi_document()
