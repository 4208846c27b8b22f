"""The /api/v1 blueprint: bearer-token or session auth (with CSRF), JSON errors everywhere."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_login import current_user

from forum.accounts.services import user_for_token
from forum.errors import NotAuthenticated
from forum.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def bearer_token() -> str | None:
    """The raw token of an ``Authorization: Bearer`` header, '' when malformed, None if absent."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@bp.before_request
def authenticate_api_request() -> None:
    """Bearer tokens take precedence over the session; session writes need the CSRF token."""
    token = bearer_token()
    if token is not None:
        user = user_for_token(token) if token else None
        if user is None:
            raise NotAuthenticated("The API token is missing, malformed or was never issued.")
        g._login_user = user  # Flask-Login's per-request user; no session is written.
        g.api_token_auth = True
        return
    if request.method in WRITE_METHODS and current_user.is_authenticated:
        csrf.protect()
