"""Core pages: home and health. Q&A pages live in ``forum.questions``."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from forum.extensions import db
from forum.questions.queries import SORTS, categories, question_list

bp = Blueprint("forum", __name__)
QUESTIONS_PER_PAGE = 20


@bp.get("/")
def home() -> ResponseReturnValue:
    sort = request.args.get("sort", "newest")
    if sort not in SORTS:
        sort = "newest"
    page = db.paginate(question_list(sort), per_page=QUESTIONS_PER_PAGE, error_out=False, count=True)
    return render_template(
        "forum/home.html", page=page, sort=sort, categories=db.session.scalars(categories()).all()
    )


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """``{"status": "ok"}`` when the database and search index answer (503 otherwise)."""
    checks: dict[str, object] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # a health check reports, never raises
        current_app.logger.warning("health check: database: %s", exc)
        checks["database"] = "unavailable"
    for hook in current_app.extensions.get("peerdesk_health", []):
        checks.update(hook())
    healthy = all(value == "ok" for key, value in checks.items() if key in {"database", "search"})
    return {"status": "ok" if healthy else "unavailable", **checks}, 200 if healthy else 503
