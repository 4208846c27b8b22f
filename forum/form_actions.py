"""What every staff form action does once its form is read and its object loaded.

The moderation panel, the advocate pages, the admin settings and the category admin all run
one service, commit once (or roll back when the service refuses with a DomainError), tell the
user what happened with a flash, and send them back to the page the form was on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, request
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from forum.accounts.models import User
from forum.errors import DomainError
from forum.extensions import db
from forum.urls import safe_next
from forum.web import apply_domain_error


def acting_user() -> User:
    """The signed-in staff member (the object itself, not the proxy) whom services record as the actor."""
    user: User = current_user._get_current_object()
    return user


def redirect_back(default: str) -> Response:
    """Back to the form's ``next`` field when it is a local URL, else to ``default``."""
    return redirect(safe_next(request.form.get("next")) or default)


def refuse(message: str, default: str) -> Response:
    """Say why the form was not accepted, and go back without changing anything."""
    flash(message, "error")
    return redirect_back(default)


def carry_out(
    service: Callable[[], Any],
    success: str | Callable[[Any], str],
    *,
    form: FlaskForm | None = None,
    abort_statuses: tuple[int, ...] = (),
) -> bool:
    """Run ``service`` and commit, flashing ``success`` (or ``success(what the service returned)``);
    True if it went through.

    A DomainError rolls back and is shown: on ``form``'s fields when one is given, else as an
    error flash. An error whose status is in ``abort_statuses`` aborts with that status instead
    (for refusals the page never offers, so only a crafted request meets them).
    """
    try:
        result = service()
    except DomainError as error:
        db.session.rollback()
        if error.status in abort_statuses:
            abort(error.status)
        if form is not None:
            apply_domain_error(form, error)
        else:
            flash(error.message, "error")
        return False
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return True
