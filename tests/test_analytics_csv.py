"""The CSV export of the daily series: header, ISO dates, plain decimals, and columns that
add up exactly to the figures on the page."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from analytics.costs import change_call_cost
from analytics.series import CSV_HEADER, allocate
from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions.models import Category, Question
from tests.test_analytics_support import add_answer, add_request, add_view, make_thread

DAYS = 40


@pytest.fixture
def busy_period(app, make_user) -> tuple[date, date]:
    """40 days up to today: random visits, answers and requests in three categories, an odd
    general cost that changes half-way, and billing's own cost (rounding has work to do)."""
    author, admin = make_user("writer", role="advocate"), make_user("chief", role="admin")
    ids = [
        make_thread(app, author, "Invoices show the wrong company address", "billing", "accepted"),
        make_thread(app, author, "Two-factor codes are rejected on the phone app", "technical", "verified"),
        make_thread(app, author, "Board filters reset after every reload", "product", "accepted"),
    ]
    today = utcnow().date()
    first = today - timedelta(days=DAYS - 1)
    rng = random.Random(42)
    with app.app_context():
        chief = db.session.get_one(User, admin.id)
        billing = db.session.scalars(select(Category).where(Category.slug == "billing")).one()
        change_call_cost(chief, Decimal("23.37"), first, None, today=first)
        change_call_cost(chief, Decimal("41.13"), first + timedelta(days=5), billing, today=first)
        change_call_cost(chief, Decimal("26.91"), first + timedelta(days=20), None, today=first)
        threads = [db.session.get_one(Question, qid) for qid in ids]
        for offset in range(DAYS):
            day = first + timedelta(days=offset)
            for n in range(rng.randrange(3, 12)):
                thread = rng.choice(threads)
                visitor = f"v:{offset}-{n}"
                add_view(day, thread, visitor, True)
                if rng.random() < 0.5:
                    add_answer(day, thread, visitor, rng.random() < 0.7, rng.random() < 0.5)
                if rng.random() < 0.15:
                    add_request(day, visitor, thread)
        db.session.commit()
    return first, today


def page_figure(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]+)<', page)
    assert match, testid
    return match.group(1).strip().replace(",", "")


def test_csv_columns_add_up_to_the_page(client, auth, busy_period):
    auth.login_as("finance")
    first, today = busy_period
    query = f"?period=custom&from={first.isoformat()}&through={today.isoformat()}"
    page = client.get("/analytics/" + query).get_data(as_text=True)
    response = client.get("/analytics/deflection.csv" + query)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        f'filename="deflection-{first.isoformat()}-to-{today.isoformat()}.csv"'
        in response.headers["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0].keys()) == CSV_HEADER

    # One row per day of the period, in order, as ISO dates.
    assert [date.fromisoformat(row["date"]) for row in rows] == [
        first + timedelta(days=n) for n in range(DAYS)
    ]
    for row in rows:
        assert re.fullmatch(r"\d+\.\d{2}", row["estimated_savings"]), row
        assert re.fullmatch(r"\d+\.\d{2}", row["cost_per_call"]), row
        assert re.fullmatch(r"\d+\.\d{4}", row["estimated_deflected_calls"]), row
        assert row["currency"] == "USD"

    savings = sum(Decimal(row["estimated_savings"]) for row in rows)
    assert str(savings) == page_figure(page, "savings").split()[0]
    calls = sum(Decimal(row["estimated_deflected_calls"]) for row in rows)
    assert f"{calls:.1f}" == page_figure(page, "deflected-calls")
    assert str(sum(int(row["self_service_visits"]) for row in rows)) == page_figure(page, "visits")
    assert str(sum(int(row["escalations"]) for row in rows)) == page_figure(page, "escalations")
    responses = sum(int(row["survey_responses"]) for row in rows)
    deflecting = sum(int(row["survey_deflecting_responses"]) for row in rows)
    assert f"{deflecting} / {responses}" == page_figure(page, "survey")


def test_csv_cost_column_is_the_cost_in_force_that_day(client, auth, busy_period):
    auth.login_as("finance")
    first, today = busy_period
    query = f"?period=custom&from={first.isoformat()}&through={today.isoformat()}&category=technical"
    rows = list(
        csv.DictReader(io.StringIO(client.get("/analytics/deflection.csv" + query).get_data(as_text=True)))
    )
    costs = {row["date"]: row["cost_per_call"] for row in rows}
    assert costs[first.isoformat()] == "23.37"
    assert costs[(first + timedelta(days=19)).isoformat()] == "23.37"
    assert costs[(first + timedelta(days=20)).isoformat()] == "26.91"  # the change applies from its day on


def test_allocation_keeps_the_total_and_stays_within_a_unit():
    from fractions import Fraction

    exact = [Fraction(1, 3)] * 3 + [Fraction(5, 2)]
    shares = allocate(exact, 4)  # 1/3 + 1/3 + 1/3 + 2.5 = 3.5, rounded half up
    assert sum(shares) == 4
    assert all(abs(share - value) < 1 for share, value in zip(shares, exact, strict=True))
    with pytest.raises(ValueError):
        allocate(exact, 9)
