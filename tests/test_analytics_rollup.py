"""Daily roll-ups: right the moment events arrive, stored once a day is closed, recomputed
when a late change touches a closed day, and rebuilt on demand by the CLI."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from analytics.models import RollupDay
from forum.database import utcnow
from forum.extensions import db
from forum.questions.models import Question
from tests.test_analytics_support import BROWSER_UA, add_answer, add_view, make_thread


@pytest.fixture
def thread(app, make_user) -> int:
    return make_thread(
        app, make_user("writer", role="advocate"), "Why is my invoice in euros now?", "billing", "accepted"
    )


@pytest.fixture
def finance(make_user, token_for) -> dict[str, str]:
    return token_for(make_user("ledger", role="finance"))


def report(client, headers: dict[str, str], days_back: int, days: int = 1) -> dict[str, Any]:
    start = utcnow().date() - timedelta(days=days_back)
    url = f"/api/v1/analytics/deflection?from={start.isoformat()}&to={(start + timedelta(days=days)).isoformat()}"
    return client.get(url, headers=headers).get_json()


def add_events(app, thread: int, days_back: int, visitors: int) -> None:
    with app.app_context():
        question = db.session.get_one(Question, thread)
        day = utcnow().date() - timedelta(days=days_back)
        for n in range(visitors):
            add_view(day, question, f"v:{days_back}-{n}-{utcnow().timestamp()}", True)
        db.session.commit()


def stored_days(app) -> set[Any]:
    with app.app_context():
        return set(db.session.scalars(select(RollupDay.day)))


def test_today_counts_the_moment_events_arrive_and_is_never_stored(app, client, thread, finance):
    add_events(app, thread, 0, 2)
    assert report(client, finance, 0)["self_service_visits"] == 2
    add_events(app, thread, 0, 3)
    assert report(client, finance, 0)["self_service_visits"] == 5
    assert utcnow().date() not in stored_days(app)


def test_a_day_within_its_grace_period_stays_live(app, client, thread, finance):
    app.config["ANALYTICS_ROLLUP_GRACE_SECONDS"] = 2 * 24 * 3600
    add_events(app, thread, 1, 2)
    assert report(client, finance, 1)["self_service_visits"] == 2
    assert stored_days(app) == set()
    app.config["ANALYTICS_ROLLUP_GRACE_SECONDS"] = 0
    assert report(client, finance, 1)["self_service_visits"] == 2
    assert stored_days(app) == {utcnow().date() - timedelta(days=1)}


def test_a_replaced_survey_answer_leaves_its_old_closed_day(app, client, thread, finance):
    old_day = utcnow().date() - timedelta(days=4)
    with app.app_context():
        question = db.session.get_one(Question, thread)
        add_answer(old_day, question, "v:changes-her-mind-later", True, True)
        db.session.commit()
    assert report(client, finance, 4)["survey_responses"] == 1
    assert old_day in stored_days(app)
    client.set_cookie("pd_vid", "changes-her-mind-later")
    answer = {"question_id": thread, "solved": False}
    assert client.post("/api/v1/feedback", json=answer, headers={"User-Agent": BROWSER_UA}).status_code == 200
    assert report(client, finance, 4)["survey_responses"] == 0  # recomputed: the answer moved to today
    today = report(client, finance, 0)
    assert (today["survey_responses"], today["survey_deflecting_responses"]) == (1, 0)


def test_the_cli_rebuilds_closed_days_after_an_import(app, client, runner, thread, finance):
    add_events(app, thread, 3, 2)
    assert report(client, finance, 3)["self_service_visits"] == 2
    add_events(app, thread, 3, 4)  # events written behind the app's back, as an import would
    assert report(client, finance, 3)["self_service_visits"] == 2  # the stored roll-up is used
    result = runner.invoke(args=["analytics", "rollup", "--days", "10"])
    assert result.exit_code == 0, result.output
    assert "Rolled up" in result.output
    assert report(client, finance, 3)["self_service_visits"] == 6
    week = report(client, finance, 9, days=10)
    assert week["self_service_visits"] == 6
