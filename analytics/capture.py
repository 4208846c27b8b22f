"""Capture thread views without slowing the page.

The thread page sends ``question_viewed``; the receiver only notes the view in ``g``. The
write happens after the response has been sent (``Response.call_on_close``), in its own
short transaction that declares its write intent first (SQLite: ``BEGIN IMMEDIATE``), so
the reader never waits for it and several workers never trip over each other.

Bots are ignored altogether. Every other view adds one to ``Question.view_count``
(atomically, ``view_count = view_count + 1``); only counted visitors' views are stored as
events (see ``analytics.visitors``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, g
from flask.wrappers import Response
from sqlalchemy import exists, or_, select, update

from analytics.models import ThreadView
from analytics.visitors import current_visitor
from forum.database import mark_write_intent, reset_write_intent, utcnow
from forum.extensions import db
from forum.questions.models import Answer, Question

log = logging.getLogger(__name__)
_PENDING_KEY = "analytics_after_response"


@dataclass(frozen=True)
class PendingView:
    question_id: int
    category_id: int
    visitor_key: str | None
    viewed_at: datetime


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


def after_response(task: Callable[[], None]) -> None:
    """Run ``task`` once the current response has been sent, inside an app context."""
    g.setdefault(_PENDING_KEY, []).append(task)


def attach_after_response_tasks(response: Response) -> Response:
    """``after_request``: hand the tasks noted during the request to the response's close."""
    tasks: list[Callable[[], None]] = g.pop(_PENDING_KEY, [])
    if tasks:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        response.call_on_close(lambda: _run_tasks(app, tasks))
    return response


def _run_tasks(app: Flask, tasks: list[Callable[[], None]]) -> None:
    for task in tasks:
        with app.app_context():
            try:
                task()
            except Exception:  # a lost view or a late delivery must never break a response
                log.exception("analytics task after the response failed")
                db.session.rollback()
            finally:
                reset_write_intent()


def on_question_viewed(_sender: Any, question: Question, viewer: Any = None, **_: Any) -> None:
    """Receiver of ``forum.signals.question_viewed``: note the view for after the response."""
    visitor = current_visitor()
    if visitor.reason == "bot":
        return
    view = PendingView(question.id, question.category_id, visitor.key, utcnow())
    after_response(lambda: record_view(view))


def record_view(view: PendingView) -> None:
    """Store one view in its own write transaction and commit it."""
    db.session.commit()  # end any read transaction before asking for the write lock
    mark_write_intent()
    if view.visitor_key is not None:
        answered = db.session.scalar(select(answered_condition()).where(Question.id == view.question_id))
        db.session.add(
            ThreadView(
                question_id=view.question_id,
                category_id=view.category_id,
                visitor_key=view.visitor_key,
                answered=bool(answered),
                day=view.viewed_at.date(),
                viewed_at=view.viewed_at,
            )
        )
    db.session.execute(
        update(Question).where(Question.id == view.question_id).values(view_count=Question.view_count + 1)
    )
    db.session.commit()
