"""A small deflection scenario built by hand, every figure of the report checked against
the method worked out here: visitors, views, survey answers, support requests, a general
cost change in the middle of the period and a category with its own cost."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import func, select

from analytics.costs import change_call_cost
from analytics.models import RollupDay
from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions.models import Category, Question
from tests.test_analytics_support import add_answer, add_request, add_view, make_thread

Z = 1.959963984540054


def wilson_by_hand(x: int, n: int) -> tuple[float, float]:
    """(x + z^2/2 -/+ z sqrt(x (n - x) / n + z^2 / 4)) / (n + z^2)."""
    spread = Z * math.sqrt(x * (n - x) / n + Z * Z / 4)
    return (x + Z * Z / 2 - spread) / (n + Z * Z), (x + Z * Z / 2 + spread) / (n + Z * Z)


def cents(amount: Fraction | float) -> str:
    exact = (
        Decimal(amount.numerator) / Decimal(amount.denominator)
        if isinstance(amount, Fraction)
        else Decimal(repr(amount))
    )
    return str(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "ANALYTICS_MIN_SAMPLE": 5, "ANALYTICS_ASSUMED_RATE": 0.25}


@pytest.fixture
def scenario(app, make_user) -> dict[str, Any]:
    """Four closed days D1..D4 (ten days ago on), as listed in each comment."""
    author = make_user("author", role="advocate")
    admin = make_user("boss", role="admin")
    q1 = make_thread(app, author, "How do I download last year's invoices?", "billing", "accepted")
    q2 = make_thread(app, author, "The desktop app will not sync after the update", "technical", "verified")
    q3 = make_thread(app, author, "Is there a dark mode for the mobile app?", "technical", None)
    d1 = utcnow().date() - timedelta(days=10)
    d2, d3, d4 = (d1 + timedelta(days=n) for n in (1, 2, 3))
    with app.app_context():
        billing = db.session.scalars(select(Category).where(Category.slug == "billing")).one()
        boss = db.session.get_one(User, admin.id)
        # Billing calls cost 40.00 from D1 on; the general cost goes from 25.00 to 30.00 on D3.
        change_call_cost(boss, Decimal("40.00"), d1, billing, today=d1)
        change_call_cost(boss, Decimal("30.00"), d3, None, today=d3)
        Q1, Q2, Q3 = (db.session.get_one(Question, q) for q in (q1, q2, q3))
        # Outside the period: the day before D1 and the day after D4.
        add_view(d1 - timedelta(days=1), Q1, "v:z", True)
        add_answer(d1 - timedelta(days=1), Q1, "v:z", True, True)
        add_view(d4 + timedelta(days=1), Q1, "v:z", True)
        # D1: a reads Q1 then Q2 (credited to Q1, billing); b and member 77 read Q2 (technical);
        # c reads only the unanswered Q3; d reads Q1 but asks support that day; "late" read Q1
        # before it was answered.
        add_view(d1, Q1, "v:a", True, 3600)
        add_view(d1, Q2, "v:a", True, 7200)
        add_view(d1, Q2, "v:b", True)
        add_view(d1, Q2, "m:77", True)
        add_view(d1, Q3, "v:c", False)
        add_view(d1, Q1, "v:d", True)
        add_request(d1, "v:d", Q1)
        add_view(d1, Q1, "v:late", False)
        # D2: a reads Q2 twice (one visit); e reads Q1 three times (one visit); a support request
        # from an integration without visitor or category; a bot's request is not counted.
        for _ in range(2):
            add_view(d2, Q2, "v:a", True)
        for _ in range(3):
            add_view(d2, Q1, "v:e", True)
        add_request(d2, None)
        add_request(d2, None, category=billing.id, counted=False)
        # D3 (general cost now 30.00): b reads Q2, f reads Q1, g reads Q2 then asks support.
        add_view(d3, Q2, "v:b", True)
        add_view(d3, Q1, "v:f", True)
        add_view(d3, Q2, "v:g", True)
        add_request(d3, "v:g", Q2)
        # D4: h and i read Q2; a reads Q1; j reads the unanswered Q3 first, then Q1 (credited).
        add_view(d4, Q2, "v:h", True)
        add_view(d4, Q2, "v:i", True)
        add_view(d4, Q1, "v:a", True)
        add_view(d4, Q3, "v:j", False, 3600)
        add_view(d4, Q1, "v:j", True, 5400)
        # Survey. Billing (Q1): 5 responses, 2 deflecting. Technical (Q2): 7 responses, 3 deflecting.
        add_answer(d1, Q1, "v:a", True, True)
        add_answer(d1, Q1, "v:x1", False, None)
        add_answer(d2, Q1, "v:e", True, False)
        add_answer(d4, Q1, "v:a2", True, True)
        add_answer(d4, Q1, "v:x2", True, None)  # a yes without the second answer: not deflecting
        add_answer(d1, Q2, "v:b", True, True)
        add_answer(d2, Q2, "v:y1", True, True)
        add_answer(d2, Q2, "v:y2", False, None)
        add_answer(d3, Q2, "v:y3", True, False)
        add_answer(d3, Q2, "v:y4", True, True)
        add_answer(d4, Q2, "v:y5", False, None)
        add_answer(d4, Q2, "v:y6", True, None)
        db.session.commit()
    return {"d1": d1, "d5": d4 + timedelta(days=1)}


def report(
    client, headers: dict[str, str], start: date, end: date, category: str | None = None
) -> dict[str, Any]:
    query = f"/api/v1/analytics/deflection?from={start.isoformat()}&to={end.isoformat()}"
    response = client.get(query + (f"&category={category}" if category else ""), headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def finance_headers(make_user, token_for) -> dict[str, str]:
    return token_for(make_user("counter", role="finance"))


def test_every_figure_of_the_whole_period(app, client, scenario, finance_headers):
    got = report(client, finance_headers, scenario["d1"], scenario["d5"])
    # V: billing a(D1), e(D2), f(D3), a and j(D4) = 5; technical b and 77 (D1), a (D2), b (D3),
    # h and i (D4) = 6. Not c (unanswered only), d and g (asked support), late, or z (outside).
    assert got["self_service_visits"] == 11
    assert (got["survey_responses"], got["survey_deflecting_responses"]) == (12, 5)
    r = Fraction(5, 12)
    low, high = wilson_by_hand(5, 12)
    assert got["rate_is_assumed"] is False
    assert got["deflection_rate"] == pytest.approx(float(r))
    assert got["deflection_rate_low"] == pytest.approx(low, rel=1e-12)
    assert got["deflection_rate_high"] == pytest.approx(high, rel=1e-12)
    # D = V x r, and V x the interval's ends.
    assert got["estimated_deflected_calls"] == pytest.approx(11 * 5 / 12)
    assert got["estimated_deflected_calls_low"] == pytest.approx(11 * low)
    assert got["estimated_deflected_calls_high"] == pytest.approx(11 * high)
    # E: d (D1, billing), the integration (D2), g (D3, technical); not the bot's.
    assert got["escalations"] == 3
    assert got["deflection_share"] == pytest.approx((11 * 5 / 12) / (11 * 5 / 12 + 3))
    assert got["benchmark"] == "above_norm"  # 4.58 / 7.58 = 60.4%
    # S: billing 5 visits x 40.00 = 200; technical D1-D2 3 x 25.00 = 75, D3-D4 3 x 30.00 = 90.
    visit_cost = 5 * 40 + 3 * 25 + 3 * 30
    assert got["estimated_savings"] == cents(visit_cost * r) == "152.08"
    assert got["estimated_savings_low"] == cents(Fraction(visit_cost) * Fraction(repr(low)))
    assert got["estimated_savings_high"] == cents(Fraction(visit_cost) * Fraction(repr(high)))
    assert got["currency"] == "USD"
    assert (got["from"], got["to"], got["category"]) == (
        scenario["d1"].isoformat(),
        scenario["d5"].isoformat(),
        None,
    )
    d1, d3 = scenario["d1"], scenario["d1"] + timedelta(days=2)
    costs = {
        (c["category"], c["cost_per_call"], c["from"], c["to"], c["self_service_visits"])
        for c in got["costs"]
    }
    assert costs == {
        ("billing", "40.00", d1.isoformat(), scenario["d5"].isoformat(), 5),
        ("technical", "25.00", d1.isoformat(), (d1 + timedelta(days=2)).isoformat(), 3),
        ("technical", "30.00", d3.isoformat(), scenario["d5"].isoformat(), 3),
    }


def test_each_category_uses_its_own_visits_answers_and_costs(client, scenario, finance_headers):
    billing = report(client, finance_headers, scenario["d1"], scenario["d5"], "billing")
    low, high = wilson_by_hand(2, 5)
    assert (
        billing["self_service_visits"],
        billing["survey_responses"],
        billing["survey_deflecting_responses"],
    ) == (5, 5, 2)
    assert billing["deflection_rate"] == pytest.approx(0.4)
    assert (billing["deflection_rate_low"], billing["deflection_rate_high"]) == pytest.approx(
        (low, high), rel=1e-12
    )
    assert billing["estimated_deflected_calls"] == pytest.approx(2.0)
    assert billing["escalations"] == 1
    assert billing["deflection_share"] == pytest.approx(2 / 3)
    assert billing["estimated_savings"] == "80.00"  # 5 x 40.00 x 0.4: billing's own cost all period
    technical = report(client, finance_headers, scenario["d1"], scenario["d5"], "technical")
    assert (
        technical["self_service_visits"],
        technical["survey_responses"],
        technical["survey_deflecting_responses"],
    ) == (6, 7, 3)
    assert technical["escalations"] == 1
    assert technical["estimated_savings"] == cents((3 * 25 + 3 * 30) * Fraction(3, 7)) == "70.71"


def test_below_the_minimum_sample_the_assumed_rate_is_used_and_marked(client, scenario, finance_headers):
    d1 = scenario["d1"]
    got = report(client, finance_headers, d1, d1 + timedelta(days=1))
    # D1 alone: 3 responses < 5, so r is the configured 0.25, with no interval around it.
    assert (got["survey_responses"], got["survey_deflecting_responses"]) == (3, 2)
    assert got["rate_is_assumed"] is True
    assert got["deflection_rate"] == got["deflection_rate_low"] == got["deflection_rate_high"] == 0.25
    assert got["self_service_visits"] == 3  # a (billing), b and 77 (technical)
    assert got["estimated_deflected_calls"] == pytest.approx(0.75)
    assert got["escalations"] == 1
    assert got["estimated_savings"] == "22.50"  # (1 x 40.00 + 2 x 25.00) x 0.25


def test_closed_days_are_rolled_up_once_and_read_back_the_same(app, client, scenario, finance_headers):
    first = report(client, finance_headers, scenario["d1"], scenario["d5"])
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(RollupDay))
    assert stored == 4
    assert report(client, finance_headers, scenario["d1"], scenario["d5"]) == first


def test_the_dashboard_shows_the_same_figures(client, auth, scenario):
    auth.login_as("finance")
    d1, d5 = scenario["d1"], scenario["d5"]
    through = (d5 - timedelta(days=1)).isoformat()
    page = client.get(f"/analytics/?period=custom&from={d1.isoformat()}&through={through}").get_data(
        as_text=True
    )
    assert 'data-testid="savings">152.08 <small>USD</small>' in page
    assert 'data-testid="deflected-calls">4.6<' in page
    assert 'data-testid="escalations">3<' in page
    assert 'data-testid="visits">11<' in page
    assert "r = 5 / 12 = 41.7%" in page  # the calculation panel
    billing = client.get(
        f"/analytics/?period=custom&from={d1.isoformat()}&through={through}&category=billing"
    )
    assert 'data-testid="savings">80.00 <small>USD</small>' in billing.get_data(as_text=True)
