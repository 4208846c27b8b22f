"""No lost survey answers: 200 visitors answer at the same moment through 4 gunicorn workers.

Each answer is one ``INSERT ... ON CONFLICT DO UPDATE`` on the unique (thread, visitor)
pair, so every answer is stored once, and a second wave from the same visitors replaces
their answers instead of adding rows, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from analytics.models import SurveyAnswer
from forum.extensions import db
from tests import support
from tests.test_analytics_support import BROWSER_UA, make_thread

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
