"""The cost of a call: admins change it from a date on, per category if they like; past
days keep their cost; every change is announced to the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from analytics.costs import load_cost_book
from analytics.models import CallCost
from forum.database import utcnow
from forum.extensions import db
from forum.questions.models import Category, Question
from forum.signals import privileged_action
from tests.test_analytics_support import add_view, make_thread


@pytest.fixture
def audit_calls() -> Iterator[list[dict[str, Any]]]:
    """Every privileged action announced during the test."""
    calls: list[dict[str, Any]] = []

    def receiver(_sender: Any = None, **kwargs: Any) -> None:
        calls.append({**kwargs, "actor_id": getattr(kwargs["actor"], "id", None)})

    privileged_action.connect(receiver)
    yield calls
    privileged_action.disconnect(receiver)


def post_cost(client, **fields: str) -> Any:
    data = {"amount": "", "effective_from": utcnow().date().isoformat(), "category": "", "note": "", **fields}
    return client.post("/analytics/admin/costs", data=data, follow_redirects=True)


def cost_on(app, day: date, slug: str | None) -> Decimal:
    with app.app_context():
        category_id = None
        if slug:
            category_id = db.session.scalar(select(Category.id).where(Category.slug == slug))
        return load_cost_book().cost_on(day, category_id)


def test_default_cost_is_25_until_an_admin_changes_it(app, client, auth, audit_calls):
    today = utcnow().date()
    assert cost_on(app, today, None) == Decimal("25.00")
    admin = auth.login_as("admin")
    page = post_cost(client, amount="31.50", note="New outsourcing contract").get_data(as_text=True)
    assert "a call in all categories costs 31.50" in page
    assert cost_on(app, today, None) == cost_on(app, today, "billing") == Decimal("31.50")
    assert cost_on(app, today - timedelta(days=1), None) == Decimal("25.00")  # yesterday keeps its cost
    (call,) = audit_calls
    assert (call["action"], call["target_type"], call["actor_id"]) == (
        "call_cost.change",
        "call_cost",
        admin.id,
    )
    assert call["before"] == {"cost": "25.00", "currency": "USD"}
    assert call["after"] == {"cost": "31.50", "currency": "USD"}
    assert call["details"]["effective_from"] == today.isoformat()
    assert call["details"]["note"] == "New outsourcing contract"


def test_a_category_cost_overrides_the_general_one_and_can_be_removed(app, client, auth, audit_calls):
    auth.login_as("admin")
    today = utcnow().date()
    later = today + timedelta(days=10)
    post_cost(client, amount="40", category="billing")
    post_cost(client, amount="30", effective_from=(today + timedelta(days=5)).isoformat())
    post_cost(
        client, amount="", category="billing", effective_from=later.isoformat()
    )  # back to the general cost
    assert cost_on(app, today, "billing") == Decimal("40.00")
    assert cost_on(app, today, "product") == Decimal("25.00")
    assert cost_on(app, today + timedelta(days=6), "billing") == Decimal("40.00")  # still its own
    assert cost_on(app, later, "billing") == Decimal("30.00")
    assert [call["details"]["category"] for call in audit_calls] == ["billing", None, "billing"]
    assert audit_calls[2]["after"]["cost"] is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "12.345"}, "whole cents"),
        ({"amount": "-3"}, "from 0.00"),
        ({"amount": "lots"}, "such as 25.00"),
        ({"amount": ""}, "Enter the cost of a call"),
        ({"amount": "20", "effective_from": "2001-01-01"}, "past days keep the cost they had"),
    ],
)
def test_bad_changes_are_refused_with_a_reason(app, client, auth, audit_calls, fields, message):
    auth.login_as("admin")
    page = post_cost(client, **fields).get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.scalars(select(CallCost)).all() == []
    assert audit_calls == []


def test_a_past_period_keeps_its_savings_after_a_change(app, client, auth, make_user):
    author = make_user("writer", role="advocate")
    qid = make_thread(app, author, "Where do I find the invoice for last month?", "billing", "accepted")
    day = utcnow().date() - timedelta(days=3)
    with app.app_context():
        question = db.session.get_one(Question, qid)
        for n in range(4):
            add_view(day, question, f"v:{n}", True)
        db.session.commit()
    auth.login_as("admin")
    url = f"/api/v1/analytics/deflection?from={day.isoformat()}&to={(day + timedelta(days=1)).isoformat()}"
    before = client.get(url).get_json()
    assert before["estimated_savings"] == "30.00"  # 4 visits x assumed 0.3 x 25.00
    post_cost(client, amount="99.00")
    assert client.get(url).get_json() == before


def test_finance_sees_costs_and_history_but_no_form(app, client, auth, make_user):
    admin_client = app.test_client()
    admin = make_user("chief", role="admin")
    admin_client.post("/login", data={"username": admin.username, "password": "correct horse battery staple"})
    post_cost(admin_client, amount="28.75", note="Annual review")
    auth.login_as("finance")
    page = client.get("/analytics/costs").get_data(as_text=True)
    assert "28.75 USD" in page and "Annual review" in page and "by chief" in page
    assert "Save the change" not in page
