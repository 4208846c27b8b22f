"""Capture thread views without slowing the page.

The thread page sends ``question_viewed``; the receiver adds the view to this worker's
buffer (``analytics.batching``), which writes the views it holds in one short transaction
that declares its write intent first (SQLite: ``BEGIN IMMEDIATE``): every
``ANALYTICS_VIEW_BUFFER`` views (100; that write runs once the response has been sent,
``Response.call_on_close``), every ``ANALYTICS_VIEW_FLUSH_SECONDS`` (2) and when the
worker exits. So a page view costs no write of its own and several workers never trip
over each other; a worker that crashes loses the views it held (at most those two limits).
``ANALYTICS_VIEW_BUFFER = 0`` writes each view on its own after its response.

Bots are ignored altogether. Every other view adds one to ``Question.view_count`` (one
atomic ``view_count = view_count + n`` per thread and batch); only counted visitors' views
are stored as events (see ``analytics.visitors``). An event keeps the time of the view;
whether its thread was answered is read when the batch is written, seconds later. A batch
that reaches a day already rolled up (a worker idle since before midnight) marks that day
stale, so its figures are computed again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from flask import Flask, current_app, g
from flask.wrappers import Response
from sqlalchemy import Table, bindparam, exists, insert, or_, select, update

from analytics.batching import WriteBuffer
from analytics.models import ThreadView
from analytics.rollup import first_open_day, mark_days_stale
from analytics.visitors import current_visitor
from forum.database import reset_write_intent, utcnow, write_intent
from forum.extensions import db
from forum.questions.models import Answer, Question

log = logging.getLogger(__name__)
_PENDING_KEY = "analytics_after_response"
_VIEWS_KEY = "analytics_views"

_questions = cast(Table, Question.__table__)
# One statement for every thread of a batch (executemany), built once.
_ADD_VIEWS = (
    update(_questions)
    .where(_questions.c.id == bindparam("thread"))
    .values(view_count=_questions.c.view_count + bindparam("views"))
)


@dataclass(frozen=True)
class PendingView:
    question_id: int
    category_id: int
    visitor_key: str | None
    viewed_at: datetime

    @property
    def day(self) -> date:
        return self.viewed_at.date()


def answered_condition() -> Any:
    """SQL truth of PRODUCT.md's "answered thread": an accepted answer, or a visible answer
    verified accurate (for a ``select`` over ``Question``)."""
    verified = exists().where(
        Answer.question_id == Question.id,
        Answer.accuracy == "verified",
        Answer.hidden_at.is_(None),
        Answer.deleted_at.is_(None),
        Answer.held_for_review.is_(False),
    )
    return or_(Question.accepted_answer_id.is_not(None), verified)


def after_response(task: Callable[[], object]) -> None:
    """Run ``task`` once the current response has been sent, inside an app context."""
    g.setdefault(_PENDING_KEY, []).append(task)


def attach_after_response_tasks(response: Response) -> Response:
    """``after_request``: hand the tasks noted during the request to the response's close."""
    tasks: list[Callable[[], object]] = g.pop(_PENDING_KEY, [])
    if tasks:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        response.call_on_close(lambda: _run_tasks(app, tasks))
    return response


def _run_tasks(app: Flask, tasks: list[Callable[[], object]]) -> None:
    for task in tasks:
        with app.app_context():
            try:
                task()
            except Exception:  # a lost view or a late delivery must never break a response
                log.exception("analytics task after the response failed")
                db.session.rollback()
            finally:
                reset_write_intent()


def set_up_view_buffer(app: Flask) -> None:
    app.extensions[_VIEWS_KEY] = WriteBuffer(
        app, record_views, "ANALYTICS_VIEW_BUFFER", "ANALYTICS_VIEW_FLUSH_SECONDS"
    )


def view_buffer(app: Flask | None = None) -> WriteBuffer[PendingView]:
    """This worker's views not written yet (``flush()`` writes them now)."""
    buffer: WriteBuffer[PendingView] = (app or current_app).extensions[_VIEWS_KEY]
    return buffer


def on_question_viewed(_sender: Any, question: Question, viewer: Any = None, **_: Any) -> None:
    """Receiver of ``forum.signals.question_viewed``: hold the view in this worker's buffer."""
    visitor = current_visitor()
    if visitor.reason == "bot":
        return
    view = PendingView(question.id, question.category_id, visitor.key, utcnow())
    buffer = view_buffer()
    if not buffer.holds_items:  # ANALYTICS_VIEW_BUFFER = 0: this view alone, once the page is sent
        after_response(lambda: record_views([view]))
    elif buffer.add(view):
        after_response(buffer.flush)  # full: written once the reader has the page


def record_views(views: Sequence[PendingView]) -> None:
    """Store ``views`` in one write transaction and commit it: an event per counted view,
    each thread's view count raised by its views, closed days they reach marked stale."""
    db.session.commit()  # end any read transaction before asking for the write lock
    with write_intent():
        counted = [view for view in views if view.visitor_key is not None]
        if counted:
            thread_ids = sorted({view.question_id for view in counted})
            answered = set(
                db.session.scalars(
                    select(Question.id).where(Question.id.in_(thread_ids), answered_condition())
                )
            )
            db.session.execute(
                insert(ThreadView),
                [
                    {
                        "question_id": view.question_id,
                        "category_id": view.category_id,
                        "visitor_key": view.visitor_key,
                        "answered": view.question_id in answered,
                        "day": view.day,
                        "viewed_at": view.viewed_at,
                    }
                    for view in counted
                ],
            )
        per_thread = Counter(view.question_id for view in views)
        # In id order, so two workers updating the same threads never wait on each other in a cycle.
        db.session.execute(_ADD_VIEWS, [{"thread": t, "views": n} for t, n in sorted(per_thread.items())])
        closed_before = first_open_day(utcnow())
        mark_days_stale(view.day for view in counted if view.day < closed_before)
        db.session.commit()
