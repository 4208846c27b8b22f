"""The search service: one backend per app, kept in step by the outbox."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.hooks import add_health_check
from forum.search import indexing
from forum.search.backend import SearchBackend, SearchFilters, SearchPage, SimilarQuestion
from forum.signals import post_changed

log = logging.getLogger(__name__)
EXTENSION_KEY = "peerdesk_search"


def backend() -> SearchBackend:
    """The app's search backend (created on first use)."""
    state = current_app.extensions[EXTENSION_KEY]
    if state.get("backend") is None:
        from forum.search.whoosh_backend import AUTO, WhooshBackend

        encoder = AUTO if current_app.config.get("SEARCH_EMBEDDINGS", True) else None
        state["backend"] = WhooshBackend(current_app.config["SEARCH_INDEX"], encoder=encoder)
    return state["backend"]


def search_questions(query: str, filters: SearchFilters, page: int = 1, per_page: int = 20) -> SearchPage:
    """Visible threads matching ``query``, best first (solved and verified favoured)."""
    return backend().search(query, filters, page, per_page)


def similar_questions(
    title: str, body: str = "", limit: int = 5, exclude_id: int | None = None
) -> list[SimilarQuestion]:
    """Up to ``limit`` questions most like one being typed."""
    return backend().similar(title, body, limit=limit, exclude_id=exclude_id)


def sync_index(limit: int | None = None) -> int:
    """Apply every queued index change now; returns the number of questions refreshed."""
    return indexing.apply_pending(backend(), current_app.config["SEARCH_INDEX"], limit=limit)


def pending_changes() -> int:
    with Session(db.engine) as session:
        return indexing.pending_count(session)


def _queue_on_change(_sender: Any = None, *, question_id: int, **_kwargs: Any) -> None:
    indexing.queue_question(db.session(), question_id)


def _apply_after_commit(session: Session) -> None:
    """Right after a commit that queued changes, apply them (errors leave them queued)."""
    if session.in_nested_transaction():  # a savepoint was released; the outer transaction is still open
        return
    if not session.info.pop("search_queued", False):
        return
    try:
        sync_index()
    except Exception:  # the outbox keeps the change; the next commit or `search sync` retries
        log.exception("search index update deferred")


def _health() -> dict[str, object]:
    try:
        ok = backend().ping()
        return {"search": "ok" if ok else "unavailable", "search_pending": pending_changes()}
    except Exception as exc:  # a health check reports, never raises
        log.warning("search health: %s", exc)
        return {"search": "unavailable"}


_SIGNALS_CONNECTED = False


def init_app(app: Flask) -> None:
    global _SIGNALS_CONNECTED
    app.extensions[EXTENSION_KEY] = {"backend": None}
    add_health_check(app, _health)
    if not _SIGNALS_CONNECTED:  # process-wide receivers, connected once
        post_changed.connect(_queue_on_change)
        event.listen(Session, "after_commit", _apply_after_commit)
        _SIGNALS_CONNECTED = True
    from forum.search.cli import search_cli

    app.cli.add_command(search_cli)
