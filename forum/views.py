"""Core pages: home and health. Q&A pages live in ``forum.questions``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Blueprint, current_app, has_app_context, render_template, request
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from sqlalchemy import text
from sqlalchemy.orm import defer

from forum.extensions import db
from forum.questions.models import Question
from forum.questions.queries import SORTS, question_list, visible_question_count
from forum.signals import post_changed, post_created

bp = Blueprint("forum", __name__)
QUESTIONS_PER_PAGE = 20
FRESH_SECONDS = 5.0
CACHED_PAGES = 5  # the first pages of each tab are the ones read; deeper pages render live
_CACHE_KEY = "peerdesk_home_cache"
T = TypeVar("T")


class FreshFor:
    """Values kept for a few seconds in this worker: the home page's list and counts.

    The home list is the same for every reader (no votes or buttons of one's own), and
    rendering 20 rows and counting 100,000 questions cost far more than the rest of the
    page. A post created, edited, hidden or deleted in this worker forgets everything at
    once (``post_changed`` and ``post_created``); other workers catch up within ``seconds``.
    """

    def __init__(self, seconds: float, max_entries: int = 64) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._values: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            cached = self._values.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        value = compute()
        with self._lock:
            if len(self._values) >= self.max_entries:
                self._values.clear()
            self._values[key] = (now + self.seconds, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._values.clear()


@bp.record_once
def _set_up_cache(state: BlueprintSetupState) -> None:
    state.app.extensions[_CACHE_KEY] = FreshFor(FRESH_SECONDS)


def _forget_cached(_sender: Any = None, **_kwargs: Any) -> None:
    if has_app_context() and _CACHE_KEY in current_app.extensions:
        current_app.extensions[_CACHE_KEY].forget()


post_changed.connect(_forget_cached)
post_created.connect(_forget_cached)


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def _render_questions(sort: str, page_number: int, cache: FreshFor) -> Markup:
    """The home page's content: heading with the count, sort tabs, one page of the list."""
    unanswered = sort == "unanswered"
    total = cache.get(
        ("count", unanswered), lambda: db.session.scalar(visible_question_count(unanswered)) or 0
    )
    # The list shows no bodies: leave them out of the query.
    statement = question_list(sort).options(defer(Question.body), defer(Question.body_html))
    page = db.paginate(statement, page=page_number, per_page=QUESTIONS_PER_PAGE, error_out=False, count=False)
    page.total = total
    return Markup(render_template("forum/_home_questions.html", page=page, sort=sort))


@bp.get("/")
def home() -> ResponseReturnValue:
    sort = request.args.get("sort", "newest")
    if sort not in SORTS:
        sort = "newest"
    page_number = _page_number()
    cache: FreshFor = current_app.extensions[_CACHE_KEY]
    # Links in the content repeat the query string, so only plain addresses are shared.
    if page_number <= CACHED_PAGES and set(request.args) <= {"sort", "page"}:
        content = cache.get(("list", sort, page_number), lambda: _render_questions(sort, page_number, cache))
    else:
        content = _render_questions(sort, page_number, cache)
    return render_template("forum/home.html", content=content)


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
