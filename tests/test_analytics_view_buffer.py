"""Thread views held by the worker and written in batches, through the real thread page:
nothing is written per request, a batch arrives whole in one transaction, nothing is
counted twice, an idle worker still writes, and a late batch reopens a rolled-up day."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from analytics.batching import WriteBuffer
from analytics.capture import PendingView, record_views, view_buffer
from analytics.models import RollupDay, ThreadView
from forum.database import utcnow
from forum.extensions import db
from forum.questions.models import Question
from tests.support import QueryCounter
from tests.test_analytics_support import BOT_UA, BROWSER_UA, at, make_thread, thread_path


@pytest.fixture
def threads(app, make_user) -> dict[str, int]:
    author = make_user("writer", role="advocate")
    return {
        "accepted": make_thread(
            app, author, "How do I export a board to CSV with all fields?", "product", "accepted"
        ),
        "open": make_thread(app, author, "Can the mobile app work fully offline someday?", "product", None),
    }


@pytest.fixture
def buffered(app) -> Iterator[WriteBuffer[PendingView]]:
    """The production setting: views wait in the worker (written before the tables are emptied)."""
    app.config.update(ANALYTICS_VIEW_BUFFER=50, ANALYTICS_VIEW_FLUSH_SECONDS=60.0)
    buffer = view_buffer(app)
    yield buffer
    buffer.flush()


def visit(client, question_id: int, user_agent: str = BROWSER_UA) -> None:
    """GET a thread and close the response (the server does once the page is sent)."""
    response = client.get(thread_path(client.application, question_id), headers={"User-Agent": user_agent})
    response.close()
    assert response.status_code == 200


def stored(app, question_id: int) -> tuple[list[tuple[str, bool]], int]:
    """The thread's view events (visitor, answered) and its view count."""
    with app.app_context():
        events = db.session.execute(
            select(ThreadView.visitor_key, ThreadView.answered)
            .where(ThreadView.question_id == question_id)
            .order_by(ThreadView.id)
        )
        return [tuple(row) for row in events], db.session.get_one(Question, question_id).view_count


def test_views_wait_in_the_worker_then_arrive_in_one_batch_counted_once(app, client, threads, buffered):
    client.set_cookie("pd_vid", "returning-visitor-000001")
    for _ in range(3):
        visit(client, threads["accepted"])
    for _ in range(2):
        visit(client, threads["open"])
    visit(app.test_client(), threads["accepted"])  # no cookie yet: a view, not a counted visitor
    visit(app.test_client(), threads["accepted"], BOT_UA)  # never anything

    assert stored(app, threads["accepted"]) == ([], 0)  # no write per request
    assert len(buffered) == 6
    with app.app_context(), QueryCounter(db.engine) as queries:
        assert buffered.flush() == 6
    assert queries.count == 3  # answered threads, the events, the view counts: not one per view

    visitor = "v:returning-visitor-000001"
    assert stored(app, threads["accepted"]) == ([(visitor, True)] * 3, 4)
    assert stored(app, threads["open"]) == ([(visitor, False)] * 2, 2)
    assert buffered.flush() == 0
    assert stored(app, threads["accepted"]) == ([(visitor, True)] * 3, 4)


def test_the_view_that_fills_the_buffer_writes_it_after_its_response(app, client, threads, buffered):
    app.config["ANALYTICS_VIEW_BUFFER"] = 3
    client.set_cookie("pd_vid", "returning-visitor-000002")
    visit(client, threads["accepted"])
    visit(client, threads["accepted"])
    assert stored(app, threads["accepted"]) == ([], 0)
    visit(client, threads["accepted"])
    assert stored(app, threads["accepted"]) == ([("v:returning-visitor-000002", True)] * 3, 3)
    assert len(buffered) == 0


def test_an_idle_worker_writes_its_views_after_the_flush_interval(app, client, threads, buffered):
    app.config["ANALYTICS_VIEW_FLUSH_SECONDS"] = 0.2
    client.set_cookie("pd_vid", "returning-visitor-000003")
    visit(client, threads["open"])
    visit(client, threads["open"])
    deadline = time.monotonic() + 10
    while stored(app, threads["open"])[1] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stored(app, threads["open"]) == ([("v:returning-visitor-000003", False)] * 2, 2)


def test_a_batch_reaching_a_rolled_up_day_marks_that_day_stale(app, threads):
    today = utcnow().date()
    closed, other = today - timedelta(days=2), today - timedelta(days=3)
    with app.app_context():
        db.session.add_all([RollupDay(day=closed), RollupDay(day=other)])
        db.session.commit()
        question = db.session.get_one(Question, threads["accepted"])
        late = PendingView(question.id, question.category_id, "v:late-visitor-0000001", at(closed, 86_000))
        fresh = PendingView(question.id, question.category_id, "v:late-visitor-0000001", utcnow())
        record_views([late, fresh])
        stale = {day: flag for day, flag in db.session.execute(select(RollupDay.day, RollupDay.stale))}
        days = db.session.scalars(select(ThreadView.day).order_by(ThreadView.id)).all()
        total = db.session.scalar(select(func.sum(Question.view_count)))
    assert stale == {closed: True, other: False}
    assert days == [closed, today]  # each view keeps the day it happened, not the day it was written
    assert total == 2


def test_write_through_is_kept_for_a_zero_buffer(app, client, threads):
    """The tests' setting (and ``ANALYTICS_VIEW_BUFFER = 0``): each view right after its page."""
    assert app.config["ANALYTICS_VIEW_BUFFER"] == 0
    client.set_cookie("pd_vid", "returning-visitor-000004")
    visit(client, threads["accepted"])
    assert stored(app, threads["accepted"]) == ([("v:returning-visitor-000004", True)], 1)
    assert len(view_buffer(app)) == 0
