"""The demo's search log: 90 days of searches with their true result counts, so the
knowledge-gap report shows failing searches right after ``make run``."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Row, func, or_, select

from forum.database import utcnow
from forum.demo.loader import DEMO_PASSWORD
from forum.questions.models import Answer, Question
from forum.search import search_questions
from forum.search.backend import SearchFilters
from forum.search.gaps import gap_report, parse_period
from forum.search.models import SearchLog

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_DIGITS = re.compile(r"\d[\d\s().-]{6,}\d")
GAP_KINDS = ("zero_result", "no_click", "unanswered", "unsolved")


def load_demo(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert " searches, " in result.output, "the summary counts the searches"


def search_rows(db: Any) -> list[Row[Any]]:
    """The logged searches as plain rows (they outlive the session), oldest first."""
    columns = [column for column in SearchLog.__table__.columns]
    return list(db.session.execute(select(*columns).order_by(SearchLog.created_at)))


def rows_per_kind(page: str) -> dict[str, int]:
    """The rows of each section of the gap page (each row has a "mark addressed" form)."""
    return {kind: page.count(f'name="kind" value="{kind}"') for kind in GAP_KINDS}


def check_ninety_days(rows: list[Row[Any]]) -> None:
    now = utcnow()
    assert len(rows) > 2000
    assert now - timedelta(days=90) <= rows[0].created_at and rows[-1].created_at <= now
    assert (rows[-1].created_at - rows[0].created_at).days >= 88
    assert len({row.created_at.date() for row in rows}) >= 89, "searches on (almost) every day"


def check_gap_report(client: FlaskClient) -> None:
    """The report's default period shows several gaps of each kind, to a demo advocate too."""
    report = gap_report(parse_period(None, None))
    zero = {gap["query"]: gap["searches"] for gap in report["zero_result_queries"]}
    assert len(zero) >= 5
    assert max(zero.values()) >= 5, "the same failing search, however typed, is one group"
    assert "hipaa compliance" in zero
    assert len(report["no_click_queries"]) >= 3
    assert all(len(report[name]) >= 3 for name in ("unanswered_questions", "unsolved_questions"))

    client.post("/login", data={"username": "advocate", "password": DEMO_PASSWORD})
    response = client.get("/analytics/gaps/")
    assert response.status_code == 200
    assert all(count >= 3 for count in rows_per_kind(response.get_data(as_text=True)).values())


def check_no_personal_data(rows: list[Row[Any]]) -> None:
    queries = [row.normalized_query for row in rows]
    assert not [query for query in queries if EMAIL.search(query) or PHONE_DIGITS.search(query)]
    assert any("[email]" in query for query in queries) and any("[phone]" in query for query in queries), (
        "some visitors pasted personal data, and only the placeholders were kept"
    )


def check_clicks_filters_and_searchers(db: Any, rows: list[Row[Any]]) -> None:
    """Opened results are real demo threads from searches that found something."""
    question_ids = set(db.session.scalars(select(Question.id)))
    clicked = [row for row in rows if row.clicked_question_id is not None]
    assert len(clicked) > len(rows) / 4
    assert all(row.clicked_question_id in question_ids and row.results_count > 0 for row in clicked)
    assert all(row.clicked_at is not None and row.created_at < row.clicked_at for row in clicked)
    assert any(row.filters.get("category") for row in rows) and any(not row.filters for row in rows)
    assert {row.user_id is None for row in rows} == {True, False}, "visitors and members search"


def withdrawn_posts(db: Any) -> int:
    """Questions and answers not shown now (the moderation demo hides and holds a few after
    the searches were logged, so a search may find up to this many fewer today)."""
    count = 0
    for model in (Question, Answer):
        hidden = or_(model.hidden_at.is_not(None), model.deleted_at.is_not(None), model.held_for_review)
        count += db.session.scalar(select(func.count()).select_from(model).where(hidden)) or 0
    return count


def check_true_counts(db: Any, rows: list[Row[Any]]) -> None:
    """A sample of the logged (query, filter) pairs finds as many threads when searched now,
    give or take the posts moderation withdrew since."""
    withdrawn = withdrawn_posts(db)
    assert withdrawn < 10
    logged = {(row.normalized_query, row.filters.get("category") or ""): row.results_count for row in rows}
    samples = [key for key in sorted(logged) if "[" not in key[0]][::10]
    assert len(samples) > 30
    exact = 0
    for query, category in samples:
        total = search_questions(query, SearchFilters(category=category or None), 1, 5).total
        assert 0 <= logged[query, category] - total <= withdrawn, (query, category, total)
        exact += logged[query, category] == total
    assert exact > len(samples) * 0.8


@pytest.mark.slow
def test_demo_logs_ninety_days_of_searches_that_fill_the_gap_report(
    runner: FlaskCliRunner, db: Any, client: FlaskClient
) -> None:
    """One demo load (it takes a while) and each promise about its search log in turn."""
    load_demo(runner)
    rows = search_rows(db)
    check_ninety_days(rows)
    check_gap_report(client)
    check_no_personal_data(rows)
    check_clicks_filters_and_searchers(db, rows)
    check_true_counts(db, rows)

    again = runner.invoke(args=["demo"])
    assert "already has content" in again.output
    assert db.session.scalar(select(func.count()).select_from(SearchLog)) == len(rows), "loaded once"
