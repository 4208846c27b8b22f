"""No lost survey answers and no lost views: 200 visitors at the same moment through 4
gunicorn workers.

Each answer is one ``INSERT ... ON CONFLICT DO UPDATE`` on the unique (thread, visitor)
pair, so every answer is stored once, and a second wave from the same visitors replaces
their answers instead of adding rows, on SQLite and PostgreSQL alike. Thread views wait in
each worker's buffer and are all written, once, when the workers stop (or on their timer).
"""

from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from analytics.models import SurveyAnswer, ThreadView
from forum.extensions import db
from forum.questions.models import Question
from tests import support
from tests.test_analytics_support import BROWSER_UA, make_thread, thread_path

VISITORS = 200
WORKERS = 4


def answer_all_at_once(base: str, question_id: int, contacted: bool) -> list[tuple[int, Any]]:
    """Every visitor answers the survey at the same moment, each with its own visitor cookie."""
    payload = {"question_id": question_id, "solved": True, "would_have_contacted": contacted}
    requests = [
        (payload, {"User-Agent": BROWSER_UA, "Cookie": f"pd_vid=concurrent-visitor-{n:04d}"})
        for n in range(VISITORS)
    ]
    return support.post_all_at_once(base, "/api/v1/feedback", requests)


def stored(app, question_id: int) -> tuple[int, int, int]:
    """(rows, distinct visitors, deflecting rows) for the thread."""
    with app.app_context():
        where = SurveyAnswer.question_id == question_id
        rows = db.session.scalar(select(func.count()).select_from(SurveyAnswer).where(where))
        visitors = db.session.scalar(select(func.count(func.distinct(SurveyAnswer.visitor_key))).where(where))
        deflecting = db.session.scalar(
            select(func.count())
            .select_from(SurveyAnswer)
            .where(where, SurveyAnswer.would_have_contacted.is_(True))
        )
        return int(rows or 0), int(visitors or 0), int(deflecting or 0)


@pytest.mark.slow
def test_two_hundred_simultaneous_answers_are_all_stored_once(
    app, database_url, tmp_path: Path, make_user, token_for
):
    author = make_user("writer", role="advocate")
    question_id = make_thread(app, author, "Our invoices list the wrong VAT number", "billing", "accepted")
    finance = token_for(make_user("ledger", role="finance"))
    env = {
        "PEERDESK_DATABASE_URL": database_url,
        "PEERDESK_SEARCH_INDEX": str(tmp_path / "gunicorn-search-index"),
        "PEERDESK_SECRET_KEY": "x",
    }
    with support.gunicorn_server(env, workers=WORKERS) as base:
        started = time.perf_counter()
        first = answer_all_at_once(base, question_id, contacted=False)
        first_seconds = time.perf_counter() - started
        after_first = stored(app, question_id)
        started = time.perf_counter()
        second = answer_all_at_once(base, question_id, contacted=True)
        second_seconds = time.perf_counter() - started
        status, report = support.json_request(base, "GET", "/api/v1/analytics/deflection", headers=finance)
    print(
        f"\n{VISITORS} survey answers via {WORKERS} workers: {first_seconds:.2f}s; replacements {second_seconds:.2f}s"
    )

    assert [code for code, _ in first] == [201] * VISITORS, first
    assert all(body["counted"] for _, body in first)
    assert after_first == (VISITORS, VISITORS, 0)
    assert [code for code, _ in second] == [200] * VISITORS, second
    assert all(body["replaced"] for _, body in second)
    assert stored(app, question_id) == (VISITORS, VISITORS, VISITORS)
    assert status == 200
    assert (report["survey_responses"], report["survey_deflecting_responses"]) == (VISITORS, VISITORS)


def view_all_at_once(base: str, path: str) -> list[int]:
    """Every visitor opens the thread at the same moment, each with its own visitor cookie."""
    barrier = threading.Barrier(VISITORS)

    def view(n: int) -> int:
        request = urllib.request.Request(base + path)
        request.add_header("User-Agent", BROWSER_UA)
        request.add_header("Cookie", f"pd_vid=concurrent-viewer-{n:04d}")
        barrier.wait(timeout=120)
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return int(response.status)

    with ThreadPoolExecutor(max_workers=VISITORS) as pool:
        return list(pool.map(view, range(VISITORS)))


def stored_views(app, question_id: int) -> tuple[int, int, int]:
    """(view events, distinct visitors, the thread's view count)."""
    with app.app_context():
        where = ThreadView.question_id == question_id
        rows = db.session.scalar(select(func.count()).select_from(ThreadView).where(where))
        visitors = db.session.scalar(select(func.count(func.distinct(ThreadView.visitor_key))).where(where))
        return int(rows or 0), int(visitors or 0), db.session.get_one(Question, question_id).view_count


def viewing_env(database_url: str, tmp_path: Path, buffer: int, seconds: float) -> dict[str, str]:
    return {
        "PEERDESK_DATABASE_URL": database_url,
        "PEERDESK_SEARCH_INDEX": str(tmp_path / "gunicorn-search-index"),
        "PEERDESK_SECRET_KEY": "x",
        "PEERDESK_ANALYTICS_VIEW_BUFFER": str(buffer),
        "PEERDESK_ANALYTICS_VIEW_FLUSH_SECONDS": str(seconds),
    }


@pytest.mark.slow
def test_views_held_by_four_workers_are_all_written_once_when_they_stop(
    app, database_url, tmp_path, make_user
):
    author = make_user("writer", role="advocate")
    question_id = make_thread(app, author, "Our invoices list the wrong VAT number", "billing", "accepted")
    path = thread_path(app, question_id)
    env = viewing_env(database_url, tmp_path, buffer=1000, seconds=600)  # nothing is due before the stop
    with support.gunicorn_server(env, workers=WORKERS) as base:
        statuses = view_all_at_once(base, path)
        while_serving = stored_views(app, question_id)
    assert statuses == [200] * VISITORS
    assert while_serving == (0, 0, 0)  # held in the workers: no write per page
    assert stored_views(app, question_id) == (VISITORS, VISITORS, VISITORS)  # written at the workers' exit


@pytest.mark.slow
def test_views_held_by_busy_workers_arrive_on_their_timer_and_once(app, database_url, tmp_path, make_user):
    author = make_user("writer", role="advocate")
    question_id = make_thread(
        app, author, "Two-factor codes arrive after they expire", "technical", "verified"
    )
    path = thread_path(app, question_id)
    env = viewing_env(database_url, tmp_path, buffer=30, seconds=0.5)
    with support.gunicorn_server(env, workers=WORKERS) as base:
        statuses = view_all_at_once(base, path)
        deadline = time.monotonic() + 30
        while stored_views(app, question_id)[2] < VISITORS and time.monotonic() < deadline:
            time.sleep(0.1)
        while_serving = stored_views(app, question_id)
    assert statuses == [200] * VISITORS
    assert while_serving == (VISITORS, VISITORS, VISITORS)  # the workers are idle: their timers wrote
    assert stored_views(app, question_id) == (VISITORS, VISITORS, VISITORS)  # and their exit added nothing
