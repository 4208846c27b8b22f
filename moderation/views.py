"""The moderation panel. Moderators and admins only, by default for every route."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from forum.extensions import db
from forum.guards import role_guard
from forum.models import Question
from forum.roles import is_moderator

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


bp.before_request(role_guard(is_moderator))


@bp.get("/")
def panel() -> ResponseReturnValue:
    held = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.held_for_review.is_(True))
    )
    return render_template("moderation/panel.html", held=held or 0)
