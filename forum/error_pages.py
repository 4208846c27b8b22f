"""Errors as people and integrations see them: HTML pages, or API.md's error object."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.errors import DomainError
from forum.extensions import db

log = logging.getLogger(__name__)

CODES_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal_error",
}
TITLES = {
    400: "That request did not make sense",
    401: "Please sign in",
    403: "You cannot do that",
    404: "We could not find that page",
    405: "That is not allowed here",
    409: "That clashes with something",
    413: "That is too large",
    422: "Please check what you sent",
    429: "Slow down a little",
    500: "Something went wrong on our side",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_object(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _render(
    status: int, code: str, message: str, fields: dict[str, str] | None = None, headers: Any = None
) -> ResponseReturnValue:
    if wants_json():
        response = jsonify(error_object(code, message, fields))
    else:
        body = render_template(
            "errors/error.html", status=status, title=TITLES.get(status, "Error"), message=message
        )
        response = Response(body, mimetype="text/html")
    response.status_code = status
    for name in ("Retry-After", "Allow"):
        if headers is not None and name in headers:
            response.headers[name] = headers[name]
    return response


def handle_domain_error(error: DomainError) -> ResponseReturnValue:
    db.session.rollback()
    return _render(error.status, error.code, error.message, error.fields)


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    db.session.rollback()
    status = error.code or 500
    if isinstance(error, CSRFError):
        return _render(
            400,
            "csrf_failed",
            "The form expired or lacked its security token. Reload the page and try again.",
        )
    message = error.description or TITLES.get(status, "Error")
    if status == 429:
        message = "Too many attempts. Please wait a little and try again."
    headers = error.get_response().headers
    return _render(status, CODES_BY_STATUS.get(status, "error"), message, headers=headers)


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    log.exception("unexpected error on %s %s", request.method, request.path, exc_info=error)
    db.session.rollback()
    return _render(500, "internal_error", InternalServerError.description)
