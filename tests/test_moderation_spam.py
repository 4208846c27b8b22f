"""Spam defences: admin rules hold posts for review, new accounts have first-day quotas, the
same text twice is refused, rate limits (Flask-Limiter) answer 429 with Retry-After, a
honeypot catches bots, and staff are exempt. Every hold and refusal is a rule hit."""

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
from forum.questions import services
from forum.questions.models import Question
from moderation.models import AuditEntry, RuleHit
from moderation.settings import spam_rules
from tests.conftest import PASSWORD

Headers = dict[str, str]


@pytest.fixture
def app_config(app_config: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    return {**app_config, **(getattr(request, "param", None) or {})}


@pytest.fixture
def veteran(make_user: Callable[..., User]) -> Callable[..., User]:
    """A member whose account is older than a day (outside the new-account rules)."""

    def _make(name: str | None = None, role: str = "member") -> User:
        return make_user(name, role=role, created_at=utcnow() - timedelta(days=30))

    return _make


def ask(app: Flask, headers: Headers, title: str, body: str = "Our invoices go to the wrong address.") -> Any:
    payload = {"title": title, "body": body, "category": "billing", "tags": ["invoices"]}
    return app.test_client().post("/api/v1/questions", headers=headers, json=payload)


def save_rules(app: Flask, admin: User, words: str = "", domains: str = "", hold_first: bool = False) -> Any:
    client = app.test_client()
    client.post("/login", data={"username": admin.username, "password": PASSWORD})
    data = {"banned_words": words, "banned_domains": domains}
    if hold_first:
        data["hold_first_posts"] = "y"
    return client.post("/moderation/settings/spam", data=data)


def hits(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (h.rule, h.outcome, h.detail) for h in db.session.scalars(select(RuleHit).order_by(RuleHit.id))
        ]


def test_admin_rules_are_saved_and_audited(app: Flask, make_user: Callable[..., User]) -> None:
    admin = make_user(role="admin")
    response = save_rules(app, admin, "Crypto Giveaway\ncasino, casino", "cheap-deals.example")
    assert response.status_code == 302
    with app.app_context():
        assert spam_rules()["banned_words"] == ["crypto giveaway", "casino"]
        assert spam_rules()["banned_domains"] == ["cheap-deals.example"]
        entry = db.session.scalars(select(AuditEntry)).one()
        assert entry.action == "setting.spam_rules" and entry.before["banned_words"] == []
        assert entry.after["banned_domains"] == ["cheap-deals.example"]
    bad = save_rules(app, admin, "", "not a domain")
    assert bad.status_code == 422 and "is not a domain" in bad.get_data(as_text=True)


def test_banned_words_and_domains_hold_posts_for_review(
    app: Flask,
    make_user: Callable[..., User],
    veteran: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    save_rules(app, make_user(role="admin"), "crypto giveaway", "cheap-deals.example")
    author = veteran()
    held = ask(
        app, token_for(author), "Join the crypto giveaway for customers", "Sign up today for free coins."
    )
    assert held.status_code == 201
    question_id = held.get_json()["id"]
    linked = ask(
        app, token_for(author), "Discount licence keys for everyone", "See https://shop.cheap-deals.example/x"
    )
    clean = ask(
        app, token_for(author), "Invoices go to the old billing address", "Since last week, please help."
    )
    with app.app_context():
        states = {q.id: q.held_for_review for q in db.session.scalars(select(Question))}
    assert states == {question_id: True, linked.get_json()["id"]: True, clean.get_json()["id"]: False}
    assert ("banned_word", "held", "crypto giveaway") in hits(app)
    assert ("link_domain", "held", "cheap-deals.example") in hits(app)
    other = make_user()
    assert (
        app.test_client().get(f"/api/v1/questions/{question_id}", headers=token_for(other)).status_code == 404
    )
    assert (
        app.test_client().get(f"/api/v1/questions/{question_id}", headers=token_for(author)).status_code
        == 200
    )
    moderator_client = app.test_client()
    moderator_client.post(
        "/login", data={"username": make_user(role="moderator").username, "password": PASSWORD}
    )
    queue = moderator_client.get("/moderation/held").get_data(as_text=True)
    assert "Join the crypto giveaway for customers" in queue and "Banned word" in queue


@pytest.mark.parametrize("app_config", [{"MODERATION_MAX_LINKS": 2}], indirect=True)
def test_too_many_links_hold_a_post(
    app: Flask, veteran: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    links = " ".join(f"https://example.com/{n}" for n in range(3))
    response = ask(app, token_for(veteran()), "Three links in one question body", f"See {links}")
    assert response.status_code == 201
    assert hits(app) == [("too_many_links", "held", "3 links (more than 2)")]


def test_first_posts_are_held_when_admins_say_so(
    app: Flask,
    make_user: Callable[..., User],
    veteran: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    save_rules(app, make_user(role="admin"), hold_first=True)
    headers = token_for(veteran())
    first = ask(app, headers, "My very first question in here")
    second = ask(app, headers, "My second question, after the first", "Another body of text here.")
    with app.app_context():
        held = {q.id: q.held_for_review for q in db.session.scalars(select(Question))}
    assert held == {first.get_json()["id"]: True, second.get_json()["id"]: False}


def test_the_same_text_twice_within_minutes_is_refused(
    app: Flask, veteran: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    author = veteran()
    assert ask(app, token_for(author), "Invoices go to the old address").status_code == 201
    again = ask(app, token_for(author), "Another title for the same body")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate_post"
    assert [hit[:2] for hit in hits(app)] == [("duplicate_body", "refused")]
    with app.app_context():  # after the window the same text is fine again
        for question in db.session.scalars(select(Question)):
            question.created_at = utcnow() - timedelta(minutes=11)
        db.session.commit()
    assert ask(app, token_for(author), "Another title for the same body").status_code == 201


def test_new_accounts_have_first_day_quotas(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    """Day one: 3 questions (the 4th is 429 with Retry-After) and at most 2 links a post."""
    newcomer = make_user()
    headers = token_for(newcomer)
    for n in range(3):
        assert (
            ask(app, headers, f"Question number {n} from a newcomer", f"Body number {n} of text").status_code
            == 201
        )
    fourth = ask(app, headers, "Question number 4 from a newcomer", "Body number 4 of text")
    assert fourth.status_code == 429 and fourth.get_json()["error"]["code"] == "new_account_limit"
    assert 0 < int(fourth.headers["Retry-After"]) <= 24 * 3600
    links = ask(
        app,
        token_for(make_user()),
        "Links from a brand new account",
        "a https://a.example b https://b.example www.c.example",
    )
    assert links.status_code == 422 and "body" in links.get_json()["error"]["fields"]
    assert {hit[0] for hit in hits(app)} == {"new_account_quota", "new_account_links"}


def test_staff_are_exempt(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    save_rules(app, make_user(role="admin"), "crypto giveaway")
    headers = token_for(make_user(role="advocate"))  # a brand-new account, too
    for n in range(5):
        assert (
            ask(
                app, headers, f"Staff question number {n} crypto giveaway", "The same body every time"
            ).status_code
            == 201
        )
    with app.app_context():
        assert not any(q.held_for_review for q in db.session.scalars(select(Question)))
    assert hits(app) == []


@pytest.mark.parametrize("app_config", [{"MODERATION_LIMIT_ANSWERS": "2 per minute"}], indirect=True)
def test_posting_rate_limit_is_429_with_retry_after(
    app: Flask,
    make_user: Callable[..., User],
    veteran: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    with app.app_context():
        question = services.ask_question(
            db.session.get_one(User, make_user().id),
            "Rate limits on answers",
            "Body of the question",
            "billing",
            ["x"],
        )
        db.session.commit()
        question_id = question.id
    headers = token_for(veteran())
    statuses = [
        app.test_client().post(
            f"/api/v1/questions/{question_id}/answers",
            headers=headers,
            json={"body": f"Answer number {n} here"},
        )
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [201, 201, 429]
    assert statuses[2].get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(statuses[2].headers["Retry-After"]) <= 60
    assert ("rate_limit", "refused", "answer") in hits(app)


@pytest.mark.parametrize(
    "app_config", [{"MODERATION_LIMIT_ANSWERS": "1 per minute", "RATELIMIT_ENABLED": False}], indirect=True
)
def test_ratelimit_enabled_false_turns_the_limits_off(
    app: Flask,
    make_user: Callable[..., User],
    veteran: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    with app.app_context():
        question = services.ask_question(
            db.session.get_one(User, make_user().id),
            "Rate limits switched off",
            "Body of the question",
            "billing",
            ["x"],
        )
        db.session.commit()
        question_id = question.id
    headers = token_for(veteran())
    for n in range(3):
        response = app.test_client().post(
            f"/api/v1/questions/{question_id}/answers",
            headers=headers,
            json={"body": f"Answer number {n} here"},
        )
        assert response.status_code == 201


@pytest.mark.parametrize("app_config", [{"MODERATION_LIMIT_VOTES": "2 per minute"}], indirect=True)
def test_votes_are_rate_limited_by_token_and_by_session(
    app: Flask,
    make_user: Callable[..., User],
    veteran: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    asker = make_user()
    with app.app_context():
        ids = [
            services.ask_question(
                db.session.get_one(User, asker.id),
                f"Question number {n} to vote on",
                f"Body {n} of it",
                "billing",
                ["x"],
            ).id
            for n in range(3)
        ]
        db.session.commit()
    headers = token_for(veteran())
    codes = [
        app.test_client().post(f"/api/v1/questions/{i}/vote", headers=headers, json={"value": 1}).status_code
        for i in ids
    ]
    assert codes == [200, 200, 429]
    voter = veteran()
    client = app.test_client()
    client.post("/login", data={"username": voter.username, "password": PASSWORD})
    html = [client.post(f"/questions/{i}/vote", data={"value": "1"}).status_code for i in ids]
    assert html == [302, 302, 429]


@pytest.mark.parametrize("app_config", [{"MODERATION_LIMIT_FLAGS": "1 per minute"}], indirect=True)
def test_flags_are_rate_limited(
    app: Flask,
    make_user: Callable[..., User],
    veteran: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    asker = make_user()
    with app.app_context():
        ids = [
            services.ask_question(
                db.session.get_one(User, asker.id),
                f"Question number {n} to flag",
                f"Body {n} of it",
                "billing",
                ["x"],
            ).id
            for n in range(2)
        ]
        db.session.commit()
    headers = token_for(veteran())
    codes = [
        app.test_client()
        .post(
            "/api/v1/flags",
            headers=headers,
            json={"target_type": "question", "target_id": i, "reason": "spam"},
        )
        .status_code
        for i in ids
    ]
    assert codes == [201, 429]


def test_the_honeypot_refuses_bots(app: Flask, veteran: Callable[..., User]) -> None:
    """A form that fills the hidden honeypot field is refused; nothing is saved."""
    bot = veteran()
    client = app.test_client()
    client.post("/login", data={"username": bot.username, "password": PASSWORD})
    response = client.post(
        "/ask",
        data={"title": "Buy followers cheap today", "body": "Visit our shop now please", "category": "billing",
              "tags": "promo", "website": "http://spam.example"},
    )  # fmt: skip
    assert "could not be accepted" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Question)) is None
    assert hits(app) == [("honeypot", "refused", "")]


def test_a_held_comment_is_refused_with_a_message(
    app: Flask,
    make_user: Callable[..., User],
    veteran: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    save_rules(app, make_user(role="admin"), "casino")
    asker = make_user()
    with app.app_context():
        question_id = services.ask_question(
            db.session.get_one(User, asker.id),
            "A question that gets comments",
            "Body of it here",
            "billing",
            ["x"],
        ).id
        db.session.commit()
    commenter = veteran()
    client = app.test_client()
    client.post("/login", data={"username": commenter.username, "password": PASSWORD})
    page = client.post(
        f"/questions/{question_id}/comments", data={"body": "Try the casino"}, follow_redirects=True
    )
    assert "needs a moderator" in page.get_data(as_text=True)
