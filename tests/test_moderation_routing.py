"""Routing: new questions join the advocates' queue with a priority from admin rules and a
team from their category; the queue is ordered by priority then age; advocates take and
assign questions; answers and accepts move the status on; age is shown against the target."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions import services, voting
from forum.questions.models import Answer, Category, Question
from moderation import routing, setting_changes
from moderation.routing_models import RoutedQuestion, RoutingTeam
from tests.conftest import PASSWORD


def ask(
    app: Flask, author: User, title: str, body: str = "Please help us with this.", category: str = "billing"
) -> int:
    with app.app_context():
        question = services.ask_question(db.session.get_one(User, author.id), title, body, category, ["help"])
        db.session.commit()
        return question.id


def routed(app: Flask, question_id: int) -> RoutedQuestion:
    with app.app_context():
        row = db.session.get_one(RoutedQuestion, question_id)
        db.session.expunge(row)
        return row


@pytest.fixture
def rules(app: Flask, make_user: Callable[..., User]) -> dict[str, Any]:
    """Suggested rules, a billing team with one advocate, and the admin who set them up."""
    admin, advocate = make_user("boss", role="admin"), make_user("nadia", role="advocate")
    with app.app_context():
        boss = db.session.get_one(User, admin.id)
        setting_changes.add_suggested_rules(boss)
        team = setting_changes.add_team(boss, "Billing desk")
        setting_changes.set_team_members(boss, team, [db.session.get_one(User, advocate.id)])
        billing = db.session.scalars(select(Category).where(Category.slug == "billing")).one()
        setting_changes.map_category(boss, billing, team)
        db.session.commit()
        return {"admin": admin, "advocate": advocate, "team_id": team.id}


def test_new_questions_get_priority_and_team(
    app: Flask, make_user: Callable[..., User], rules: dict[str, Any]
) -> None:
    asker = make_user()
    churn = ask(app, asker, "How do I cancel and get a refund", "We want to switch to another tool.")
    plain = ask(app, asker, "Where do I find my invoices", "They are not in the menu.")
    technical = ask(app, asker, "The API returns 500 on export", "Since this morning.", category="technical")
    first = routed(app, churn)
    assert first.status == "new" and first.team_id == rules["team_id"]
    assert {match["phrase"] for match in first.signals} == {"cancel", "refund", "switch to"}
    assert first.priority == 30 + 25 + 30
    assert routed(app, plain).priority == 0
    assert routed(app, technical).team_id is None  # technical is not mapped: every advocate sees it


def test_the_queue_orders_by_priority_then_age(
    app: Flask, make_user: Callable[..., User], rules: dict[str, Any]
) -> None:
    asker = make_user()
    old_plain = ask(app, asker, "An old plain question about invoices")
    new_plain = ask(app, asker, "A newer plain question about invoices")
    pricing = ask(app, asker, "What does the pricing look like for 50 seats")
    with app.app_context():
        db.session.get_one(RoutedQuestion, old_plain).created_at = utcnow() - timedelta(hours=30)
        db.session.commit()
        advocate = db.session.get_one(User, rules["advocate"].id)
        order = [r.question_id for r in db.session.scalars(routing.queue("team", advocate))]
        age = routing.age_of(db.session.get_one(RoutedQuestion, old_plain))
    assert order == [pricing, old_plain, new_plain]
    assert age.overdue and age.target_hours == 24 and age.label == "30 h"


def test_take_assign_and_status(
    app: Flask, make_user: Callable[..., User], rules: dict[str, Any], auth: Any
) -> None:
    asker, other = make_user(), make_user("sam", role="advocate")
    question_id = ask(app, asker, "How do I cancel my subscription")
    auth.login(rules["advocate"])
    client = auth._client
    assert client.post(f"/advocate/queue/{question_id}/take").status_code == 302
    taken = routed(app, question_id)
    assert (taken.status, taken.assignee_id) == ("assigned", rules["advocate"].id)
    assert (
        client.post(f"/advocate/queue/{question_id}/assign", data={"assignee": str(other.id)}).status_code
        == 302
    )
    assert routed(app, question_id).assignee_id == other.id
    client.post(
        f"/advocate/queue/{question_id}/assign", data={"assignee": str(asker.id)}
    )  # a member: refused
    assert routed(app, question_id).assignee_id == other.id
    client.post(f"/advocate/queue/{question_id}/status", data={"status": "escalated"})
    assert routed(app, question_id).status == "escalated"
    page = client.get("/advocate/queue?view=all").get_data(as_text=True)
    assert "How do I cancel my subscription" in page and "Escalated" in page


def test_answers_and_accepts_move_the_status(
    app: Flask, make_user: Callable[..., User], rules: dict[str, Any]
) -> None:
    asker, helper = make_user(), make_user()
    question_id = ask(app, asker, "Refund for unused seats please")
    with app.app_context():
        question = db.session.get_one(Question, question_id)
        services.post_answer(db.session.get_one(User, asker.id), question, "Adding details: annual plan.")
        db.session.commit()
    assert routed(app, question_id).status == "new"  # the asker's own follow-up is not a response
    with app.app_context():
        question = db.session.get_one(Question, question_id)
        answer = services.post_answer(
            db.session.get_one(User, helper.id), question, "Billing refunds within 5 days."
        )
        db.session.commit()
        answer_id = answer.id
    answered = routed(app, question_id)
    assert answered.status == "answered" and answered.first_response_at is not None
    with app.app_context():
        voting.accept_answer(db.session.get_one(User, asker.id), db.session.get_one(Answer, answer_id))
        db.session.commit()
    assert routed(app, question_id).status == "closed"


def test_changing_rules_reprioritizes_the_open_queue(
    app: Flask, make_user: Callable[..., User], rules: dict[str, Any]
) -> None:
    question_id = ask(app, make_user(), "Is there an enterprise discount for nonprofits")
    assert routed(app, question_id).priority == 0
    with app.app_context():
        setting_changes.add_priority_rule(
            db.session.get_one(User, rules["admin"].id), "nonprofits", "purchase", 40
        )
        db.session.commit()
    assert routed(app, question_id).priority == 40


def test_admins_edit_routing_in_the_settings_page(
    app: Flask, make_user: Callable[..., User], auth: Any
) -> None:
    advocate = make_user("ines", role="advocate")
    auth.login_as("admin", "root")
    client = auth._client
    assert (
        client.post(
            "/moderation/settings/routing/rules", data={"phrase": "Cancel", "signal": "churn", "weight": "30"}
        ).status_code
        == 302
    )
    assert (
        client.post("/moderation/settings/routing/teams", data={"name": "Product experts"}).status_code == 302
    )
    with app.app_context():
        team = db.session.scalars(select(RoutingTeam)).one()
        product = db.session.scalars(select(Category).where(Category.slug == "product")).one()
        team_id, product_id = team.id, product.id
    client.post(f"/moderation/settings/routing/teams/{team_id}/members", data={"members": [str(advocate.id)]})
    client.post(f"/moderation/settings/routing/categories/{product_id}", data={"team": str(team_id)})
    page = client.get("/moderation/settings/routing").get_data(as_text=True)
    assert "“cancel”" in page and "Product experts" in page and "ines" in page
    with app.app_context():
        assert [m.username for m in db.session.get_one(RoutingTeam, team_id).members] == ["ines"]
    question_id = ask(app, make_user(), "Can I cancel a project template", category="product")
    row = routed(app, question_id)
    assert (row.team_id, row.priority) == (team_id, 30)


def test_the_thread_shows_advocates_its_routing(
    app: Flask, make_user: Callable[..., User], rules: dict[str, Any]
) -> None:
    question_id = ask(app, make_user(), "Refund for the annual plan please")
    client = app.test_client()
    client.post("/login", data={"username": rules["advocate"].username, "password": PASSWORD})
    page = client.get(f"/questions/{question_id}", follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="routing-note"' in page and "Billing desk" in page and "Take it" in page
    member_page = (
        app.test_client().get(f"/questions/{question_id}", follow_redirects=True).get_data(as_text=True)
    )
    assert 'data-testid="routing-note"' not in member_page
