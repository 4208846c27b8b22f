"""Login and registration rate limits (Flask-Limiter), per address and per account."""

from __future__ import annotations

from flask import current_app, request
from flask.wrappers import Response

from forum.accounts.services import normalise_username


def login_limit_per_ip() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_IP"])


def login_limit_per_account() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def register_limit_per_ip() -> str:
    return str(current_app.config["REGISTER_LIMIT_PER_IP"])


def login_account_key() -> str:
    """The rate-limit key of the account a login attempt names (form or JSON)."""
    payload = request.get_json(silent=True) if request.is_json else None
    if isinstance(payload, dict):
        username = str(payload.get("username", ""))
    else:
        username = request.form.get("username", "")
    return "login-account:" + normalise_username(username)[:64]


def failed_login(response: Response) -> bool:
    """Only failed attempts count against the account: a success redirects (HTML) or is 201."""
    return response.status_code not in (201, 302, 303)
