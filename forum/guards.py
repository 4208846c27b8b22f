"""Secure-by-default guards for whole blueprints (``bp.before_request(role_guard(...))``)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from forum.errors import NotAuthenticated
from forum.extensions import login_manager
from forum.roles import HasRole


def role_guard(allowed: Callable[[HasRole | None], bool]) -> Callable[[], ResponseReturnValue | None]:
    """A ``before_request`` hook: sign-in for visitors, 403 for those ``allowed`` refuses."""

    def guard() -> ResponseReturnValue | None:
        if not current_user.is_authenticated:
            if request.path.startswith("/api/"):
                raise NotAuthenticated("Sign in or send an API token.")
            return login_manager.unauthorized()
        if not allowed(current_user):
            abort(403)
        return None

    return guard
