"""The moderation panel: queue pages and counts, bulk actions, moderator edits, locking,
warnings and suspensions (and what the member is told), checks and balances, demo content."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions import services, voting
from forum.questions.models import Answer, Question, Revision
from moderation.demo import load_demo_moderation
from moderation.flags import create_flag
from moderation.models import AuditEntry, Flag, MemberWarning
from tests.conftest import PASSWORD


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def seed(
    app: Flask, asker: User, answerers: list[User], title: str = "Invoices go to the old billing email"
) -> tuple[int, list[int]]:
    with app.app_context():
        question = services.ask_question(
            db.session.get_one(User, asker.id), title, "Since last week.", "billing", ["billing"]
        )
        answers = [
            services.post_answer(
                db.session.get_one(User, person.id),
                question,
                f"Try Billing > Contacts, says {person.username}.",
            )
            for person in answerers
        ]
        db.session.commit()
        return question.id, [answer.id for answer in answers]


def flag(app: Flask, reporter: User, target_type: str, target_id: int, reason: str = "spam") -> None:
    with app.app_context():
        create_flag(
            db.session.get_one(User, reporter.id),
            target_type,
            target_id,
            reason,
            "note" if reason == "other" else "",
        )
        db.session.commit()


def test_the_queue_page_groups_flags_by_post_and_counts_them_in_the_nav(
    app: Flask, make_user: Callable[..., User]
) -> None:
    question_id, (answer_id,) = seed(app, make_user(), [make_user("helper")])
    for reporter in (make_user("ann"), make_user("ben")):
        flag(app, reporter, "answer", answer_id, "off_topic")
    moderator = signed_in(app, make_user(role="moderator"))
    page = moderator.get("/moderation/").get_data(as_text=True)
    assert page.count('data-testid="queue-item"') == 1
    assert "Off-topic × 2" in page and "ann" in page and "ben" in page
    assert 'data-testid="review-count">1<' in page
    filtered = moderator.get("/moderation/?reason=spam").get_data(as_text=True)
    assert 'data-testid="queue-item"' not in filtered and "No open flags match" in filtered
    assert 'data-testid="queue-item"' in moderator.get("/moderation/?flagger=ben").get_data(as_text=True)
    assert moderator.get("/moderation/rule-hits").status_code == 200
    assert moderator.get("/moderation/held").status_code == 200
    assert f"/questions/{question_id}" in page


def test_bulk_actions_apply_to_each_selected_post(app: Flask, make_user: Callable[..., User]) -> None:
    _question_id, answer_ids = seed(app, make_user(), [make_user(), make_user(), make_user()])
    for answer_id in answer_ids:
        flag(app, make_user(), "answer", answer_id, "off_topic")
    moderator = signed_in(app, make_user(role="moderator"))
    response = moderator.post(
        "/moderation/bulk",
        data={"action": "hide", "items": [f"answer:{i}" for i in answer_ids[:2]], "note": "spam run"},
    )
    assert response.status_code == 302
    with app.app_context():
        hidden = {a.id: a.hidden_at is not None for a in db.session.scalars(select(Answer))}
        assert hidden == {answer_ids[0]: True, answer_ids[1]: True, answer_ids[2]: False}
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "post.hide")
            )
            == 2
        )
        open_flags = db.session.scalar(select(func.count()).select_from(Flag).where(Flag.status == "open"))
        assert open_flags == 1


def test_moderator_edit_keeps_a_revision_and_is_audited(app: Flask, make_user: Callable[..., User]) -> None:
    question_id, (answer_id,) = seed(app, make_user(), [make_user()])
    moderator = signed_in(app, make_user(role="moderator"))
    assert moderator.get(f"/moderation/posts/answer/{answer_id}/edit").status_code == 200
    question_form = moderator.get(f"/moderation/posts/question/{question_id}/edit").get_data(as_text=True)
    assert (
        "Invoices go to the old billing email" in question_form
        and 'selected value="billing"' in question_form
    )
    response = moderator.post(
        f"/moderation/posts/answer/{answer_id}/edit",
        data={"body": "Redacted the email address.", "note": "PII"},
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/questions/{question_id}"
    with app.app_context():
        assert db.session.get_one(Answer, answer_id).body == "Redacted the email address."
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Revision)
                .where(Revision.target_type == "answer", Revision.target_id == answer_id)
            )
            == 2
        )
        assert db.session.scalars(select(AuditEntry)).one().action == "post.edit"
    assert (
        moderator.post(f"/moderation/posts/question/{question_id}/edit", data={"title": "x"}).status_code
        == 422
    )


def test_a_locked_thread_takes_no_answers(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    question_id, _ = seed(app, make_user(), [])
    moderator = signed_in(app, make_user(role="moderator"))
    assert moderator.post(f"/moderation/questions/{question_id}/lock").status_code == 302
    response = app.test_client().post(
        f"/api/v1/questions/{question_id}/answers",
        headers=token_for(make_user()),
        json={"body": "Late answer here."},
    )
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "locked"
    moderator.post(f"/moderation/questions/{question_id}/unlock")
    with app.app_context():
        assert db.session.get_one(Question, question_id).locked_at is None


def test_close_as_duplicate_from_the_panel(app: Flask, make_user: Callable[..., User]) -> None:
    asker = make_user()
    canonical, _ = seed(app, asker, [], "How do I change the billing contact")
    duplicate, _ = seed(app, asker, [], "Change billing contact email address")
    moderator = signed_in(app, make_user(role="moderator"))
    moderator.post(
        f"/moderation/questions/{duplicate}/duplicate", data={"canonical": f"/questions/{canonical}"}
    )
    with app.app_context():
        assert db.session.get_one(Question, duplicate).duplicate_of_id == canonical


def test_a_suspended_member_can_read_is_told_why_and_cannot_write(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    member = make_user("spammy")
    question_id, _ = seed(app, make_user(), [])
    moderator = signed_in(app, make_user(role="moderator"))
    until = (utcnow() + timedelta(days=8)).date()
    response = moderator.post(
        f"/moderation/members/{member.id}/suspend", data={"until": until.isoformat(), "reason": "Advertising"}
    )
    assert response.status_code == 302

    client = app.test_client()
    login = client.post("/login", data={"username": "spammy", "password": PASSWORD}, follow_redirects=True)
    text = login.get_data(as_text=True)
    assert f"suspended until {until:%b %-d, %Y}" in text and "Advertising" in text
    assert "Account notice" in text
    assert client.get(f"/questions/{question_id}", follow_redirects=True).status_code == 200
    standing = client.get("/account/standing").get_data(as_text=True)
    assert "Advertising" in standing and 'data-testid="suspension"' in standing
    blocked = app.test_client().post(
        f"/api/v1/questions/{question_id}/answers",
        headers=token_for(member),
        json={"body": "I can still post?"},
    )
    assert blocked.status_code == 403

    moderator.post(f"/moderation/members/{member.id}/unsuspend")
    allowed = app.test_client().post(
        f"/api/v1/questions/{question_id}/answers",
        headers=token_for(member),
        json={"body": "Now I can post again."},
    )
    assert allowed.status_code == 201


def test_suspension_rules(app: Flask, make_user: Callable[..., User]) -> None:
    """Not in the past, not yourself, not an admin; only admins suspend moderators."""
    moderator_user = make_user("mod1", role="moderator")
    moderator = signed_in(app, moderator_user)
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    for target, until in (
        (make_user(), "2000-01-01"),
        (moderator_user, future),
        (make_user(role="admin"), future),
        (make_user(role="moderator"), future),
    ):
        moderator.post(f"/moderation/members/{target.id}/suspend", data={"until": until, "reason": "x"})
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(User).where(User.suspended_until.is_not(None)))
            == 0
        )
    admin = signed_in(app, make_user(role="admin"))
    admin.post(
        f"/moderation/members/{moderator_user.id}/suspend", data={"until": future, "reason": "Abuse of tools"}
    )
    with app.app_context():
        assert db.session.get_one(User, moderator_user.id).suspended_until is not None


def test_a_warned_member_sees_the_warning_until_they_read_it(
    app: Flask, make_user: Callable[..., User]
) -> None:
    member = make_user("talker")
    moderator = signed_in(app, make_user(role="moderator"))
    moderator.post(f"/moderation/members/{member.id}/warn", data={"message": "Please keep it on topic."})
    client = signed_in(app, member)
    home = client.get("/").get_data(as_text=True)
    assert "Account notice" in home
    standing = client.get("/account/standing").get_data(as_text=True)
    assert "Please keep it on topic." in standing
    client.post("/account/standing/acknowledge")
    assert "Account notice" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(MemberWarning)).one().acknowledged_at is not None
    record = moderator.get(f"/moderation/members/{member.id}").get_data(as_text=True)
    assert "Please keep it on topic." in record and "member.warn" in record


def test_checks_and_balances_find_a_voting_ring_and_shared_addresses(
    app: Flask, make_user: Callable[..., User]
) -> None:
    """Two members who upvote each other's answers far more than chance are listed with evidence;
    two accounts that sign in from the same address are listed together."""
    ring_a, ring_b = make_user("ring_a"), make_user("ring_b")
    others = [make_user(f"other{n}") for n in range(6)]
    asker = make_user("asker")
    with app.app_context():
        for n in range(8):
            question = services.ask_question(
                db.session.get_one(User, asker.id),
                f"Question number {n} about exports",
                "Body text here.",
                "product",
                ["x"],
            )
            for person in (ring_a, ring_b, *others[:3]):
                services.post_answer(
                    db.session.get_one(User, person.id), question, f"Answer by {person.username} to {n}."
                )
        db.session.commit()
        answers = list(db.session.scalars(select(Answer)))
        for answer in answers:
            if answer.author_id == ring_b.id:
                voting.cast_vote(db.session.get_one(User, ring_a.id), "answer", answer.id, 1)
            if answer.author_id == ring_a.id:
                voting.cast_vote(db.session.get_one(User, ring_b.id), "answer", answer.id, 1)
        helpers = {person.id for person in others[:3]}
        for answer in answers:  # the rest of the community upvotes the other helpers' answers
            if answer.author_id in helpers:
                for voter in others[3:]:
                    voting.cast_vote(db.session.get_one(User, voter.id), "answer", answer.id, 1)
        db.session.commit()
    signed_in(app, ring_a)
    signed_in(app, ring_b)  # the test client signs in from 127.0.0.1, like a shared office line
    moderator = signed_in(app, make_user(role="moderator"))
    page = moderator.get("/moderation/balances").get_data(as_text=True)
    pairs_section = page.split('id="addresses"')[0]
    assert "ring_a" in pairs_section and "ring_b" in pairs_section and "Mutual" in pairs_section
    assert "Upvoted" in pairs_section and "Question number" in pairs_section
    assert "other3" not in pairs_section
    addresses = page.split('id="addresses"')[1]
    assert "127.0.0.1" in addresses and "ring_a" in addresses and "ring_b" in addresses


def test_demo_content_fills_the_panels(app: Flask, make_user: Callable[..., User]) -> None:
    """The demo receiver adds routing rules, flags (one post hidden by flags), held posts, a
    suspended member and their audit trail on top of a small forum."""
    from forum.demo.corpus import DEMO_ADVOCATES, DEMO_MEMBERS

    make_user("admin", role="admin")
    make_user("moderator", role="moderator")
    for name in DEMO_ADVOCATES:
        make_user(name, role="advocate")
    people = [make_user(name) for name in DEMO_MEMBERS[:34]]
    for n in range(6):
        seed(app, people[n], people[n + 1 : n + 5], f"Demo question number {n} about projects")
    with app.app_context():
        counts = load_demo_moderation(now=utcnow(), seed=7)
        db.session.commit()
        assert counts["flags"] >= 5 and counts["held posts"] == 2 and counts["routed questions"] == 6
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {
            "post.auto_hide",
            "post.hide",
            "member.suspend",
            "thread.lock",
            "setting.spam_rules",
        } <= actions
    moderator = signed_in(app, make_user("mod2", role="moderator"))
    queue = moderator.get("/moderation/").get_data(as_text=True)
    assert "Hidden until reviewed" in queue
    assert "Cheap licence keys" in moderator.get("/moderation/held").get_data(as_text=True)
