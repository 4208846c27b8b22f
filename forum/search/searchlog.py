"""The search log: every search with its true result count, and the result opened."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import update

from forum.database import rows_matched, utcnow, write_intent
from forum.extensions import db
from forum.search.models import SearchLog
from forum.search.normalize import normalize_query
from forum.signals import search_performed


def visitor_id() -> str | None:
    """The first-party visitor id cookie (set by the analytics area), if the browser kept it."""
    value = request.cookies.get(current_app.config.get("VISITOR_COOKIE", "pd_vid"), "")
    return value[:64] or None


def log_search(query: str, results_count: int, filters: dict[str, str], source: str = "search") -> int | None:
    """Record a search in its own short write transaction; returns the log id (None if empty)."""
    normalized = normalize_query(query)
    if not normalized:
        return None
    db.session.commit()  # end the page's read transaction before writing (SQLite: BEGIN IMMEDIATE)
    entry = SearchLog(
        normalized_query=normalized,
        results_count=results_count,
        filters={key: value for key, value in filters.items() if value},
        visitor_id=visitor_id(),
        user_id=current_user.id if current_user.is_authenticated else None,
        source=source,
    )
    with write_intent():
        db.session.add(entry)
        db.session.commit()
    search_performed.send(log_id=entry.id, query=normalized, results_count=results_count)
    return entry.id


def record_click(log_id: int, question_id: int) -> bool:
    """Mark the result a searcher opened (the first click counts); False for an unknown log."""
    db.session.commit()
    with write_intent():
        result = db.session.execute(
            update(SearchLog)
            .where(SearchLog.id == log_id, SearchLog.clicked_question_id.is_(None))
            .values(clicked_question_id=question_id, clicked_at=utcnow())
        )
        db.session.commit()
    return bool(rows_matched(result))
