"""Small helpers the API views share: JSON input, pagination, the caller."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from forum.accounts.models import User
from forum.errors import NotAuthenticated, ValidationFailed

MAX_PER_PAGE = 100


def json_body() -> dict[str, Any]:
    """The request's JSON object, or ValidationFailed with a clear message."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ValidationFailed("Send a JSON object with Content-Type: application/json.", code="invalid_json")
    return payload


def string_field(payload: dict[str, Any], name: str, *, required: bool = True) -> str:
    """A string member of ``payload``; ValidationFailed names the field when it is wrong."""
    value = payload.get(name)
    if value is None:
        if required:
            raise ValidationFailed(f"{name} is required.", {name: "This field is required."})
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} must be a string.", {name: "Must be a string."})
    return value


def page_args() -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string (per_page at most 100)."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 20))
    except ValueError as exc:
        raise ValidationFailed("page and per_page must be whole numbers.", code="invalid_page") from exc
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationFailed(
            f"page starts at 1 and per_page is 1-{MAX_PER_PAGE}.",
            {"per_page": f"1-{MAX_PER_PAGE}"},
            code="invalid_page",
        )
    return page, per_page


def list_response(items: list[dict[str, Any]], page: int, per_page: int, total: int) -> dict[str, Any]:
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def api_user() -> User:
    """The signed-in caller, or NotAuthenticated (401)."""
    if not current_user.is_authenticated:
        raise NotAuthenticated("Sign in or send an API token (Authorization: Bearer ...).")
    return current_user._get_current_object()


def user_summary(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username}


def user_detail(user: User) -> dict[str, Any]:
    return {
        **user_summary(user),
        "role": user.role,
        "reputation": user.reputation,
        "created_at": user.created_at.isoformat(),
    }
