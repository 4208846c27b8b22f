"""The audit log: every moderation action writes exactly one entry; entries cannot be changed
or deleted through the models (nor the UI or API); the page, CSV export and API filter them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.database import utcnow
from forum.extensions import db
from forum.questions import services
from forum.questions.models import Answer, Category, Question
from moderation import actions, members, routing, setting_changes
from moderation.accuracy import set_accuracy
from moderation.audit import AuditLogIsAppendOnly
from moderation.flags import create_flag
from moderation.models import AuditEntry
from moderation.routing_models import PriorityRule, RoutedQuestion, RoutingTeam


@dataclass
class World:
    asker: User
    answerer: User
    member: User
    moderator: User
    advocate: User
    admin: User
    question: Question
    answer: Answer
    canonical: Question


@pytest.fixture
def world_ids(app: Flask, make_user: Callable[..., User]) -> dict[str, int]:
    users = {
        "asker": make_user("asker"),
        "answerer": make_user("answerer"),
        "member": make_user("member1"),
        "moderator": make_user("mod", role="moderator"),
        "advocate": make_user("adv", role="advocate"),
        "admin": make_user("boss", role="admin"),
    }
    with app.app_context():
        asker = db.session.get_one(User, users["asker"].id)
        canonical = services.ask_question(
            asker, "How do I change the billing contact", "Where is the contact?", "billing", ["billing"]
        )
        question = services.ask_question(
            asker, "Invoices go to the old billing email", "Since last week.", "billing", ["billing"]
        )
        answer = services.post_answer(
            db.session.get_one(User, users["answerer"].id), question, "Billing > Contacts."
        )
        db.session.commit()
        ids = {name: user.id for name, user in users.items()}
        ids |= {"question": question.id, "answer": answer.id, "canonical": canonical.id}
    return ids


def load_world(ids: dict[str, int]) -> World:
    get = db.session.get_one
    people = {
        name: get(User, ids[name])
        for name in ("asker", "answerer", "member", "moderator", "advocate", "admin")
    }
    return World(
        **people,
        question=get(Question, ids["question"]),
        answer=get(Answer, ids["answer"]),
        canonical=get(Question, ids["canonical"]),
    )


def _flagged(w: World) -> None:
    create_flag(w.member, "answer", w.answer.id, "spam")


def _hidden(w: World) -> None:
    actions.hide_post(w.moderator, w.answer)


def _deleted(w: World) -> None:
    actions.delete_post(w.moderator, w.answer)


def _held(w: World) -> None:
    services.set_visibility(w.answer, held=True)


def _locked(w: World) -> None:
    actions.set_lock(w.moderator, w.question, True)


def _suspended(w: World) -> None:
    members.suspend_member(w.moderator, w.member, utcnow() + timedelta(days=2), "Spam")


def _verified(w: World) -> None:
    set_accuracy(w.advocate, w.answer, "verified", "ok")


def _team(w: World) -> RoutingTeam:
    return setting_changes.add_team(w.admin, "Billing desk")


def _first_team() -> RoutingTeam:
    return db.session.scalars(select(RoutingTeam)).one()


def _routed(w: World) -> RoutedQuestion:
    return db.session.get_one(RoutedQuestion, w.question.id)


# (expected action, arrange, act): arrange may itself write entries; only act is counted.
ACTIONS: list[tuple[str, Callable[[World], Any] | None, Callable[[World], Any]]] = [
    ("flags.dismiss", _flagged, lambda w: actions.dismiss_flags(w.moderator, w.answer, "fine")),
    ("post.hide", _flagged, lambda w: actions.hide_post(w.moderator, w.answer, "ad")),
    ("post.hide", None, lambda w: actions.hide_post(w.moderator, w.question)),
    ("post.restore", _hidden, lambda w: actions.restore_post(w.moderator, w.answer)),
    ("post.restore", _deleted, lambda w: actions.restore_post(w.moderator, w.answer)),
    ("post.delete", _flagged, lambda w: actions.delete_post(w.moderator, w.answer)),
    ("post.release", _held, lambda w: actions.release_held(w.moderator, w.answer)),
    ("post.reject", _held, lambda w: actions.reject_held(w.moderator, w.answer)),
    (
        "post.edit",
        None,
        lambda w: actions.edit_post(w.moderator, w.answer, {"body": "Billing > Contacts > Edit."}),
    ),
    ("thread.lock", None, lambda w: actions.set_lock(w.moderator, w.question, True)),
    ("thread.unlock", _locked, lambda w: actions.set_lock(w.moderator, w.question, False)),
    (
        "question.close_duplicate",
        None,
        lambda w: actions.close_as_duplicate(w.moderator, w.question, w.canonical),
    ),
    ("member.warn", None, lambda w: members.warn_member(w.moderator, w.member, "Please stay on topic.")),
    ("member.suspend", None, _suspended),
    ("member.unsuspend", _suspended, lambda w: members.lift_suspension(w.moderator, w.member)),
    ("accuracy.verified", None, _verified),
    ("accuracy.inaccurate", None, lambda w: set_accuracy(w.advocate, w.answer, "inaccurate", "Wrong menu.")),
    ("accuracy.cleared", _verified, lambda w: set_accuracy(w.advocate, w.answer, "cleared")),
    ("routing.take", None, lambda w: routing.assign(w.advocate, _routed(w), w.advocate)),
    ("routing.assign", None, lambda w: routing.assign(w.moderator, _routed(w), w.advocate)),
    ("routing.escalated", None, lambda w: routing.set_status(w.advocate, _routed(w), "escalated")),
    ("setting.spam_rules", None, lambda w: setting_changes.save_spam_rules(w.admin, ["casino"], [], True)),
    (
        "setting.priority_rule_add",
        None,
        lambda w: setting_changes.add_priority_rule(w.admin, "refund", "churn", 30),
    ),
    ("setting.priority_rules_suggested", None, lambda w: setting_changes.add_suggested_rules(w.admin)),
    ("setting.team_add", None, _team),
    (
        "setting.team_members",
        _team,
        lambda w: setting_changes.set_team_members(w.admin, _first_team(), [w.advocate]),
    ),
    (
        "setting.category_team",
        _team,
        lambda w: setting_changes.map_category(
            w.admin, db.session.scalars(select(Category)).first() or Category(), _first_team()
        ),
    ),
    ("role.change", None, lambda w: record_privileged_action(w.admin, "role.change", "user", w.member.id)),
]


@pytest.mark.parametrize(
    ("action", "arrange", "act"), ACTIONS, ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(ACTIONS)]
)
def test_every_moderation_action_writes_exactly_one_entry(
    app: Flask, world_ids: dict[str, int], action: str, arrange: Any, act: Any
) -> None:
    with app.app_context():
        world = load_world(world_ids)
        if arrange is not None:
            arrange(world)
        db.session.commit()
        before = db.session.scalar(select(func.max(AuditEntry.id))) or 0
        act(world)
        db.session.commit()
        new = list(db.session.scalars(select(AuditEntry).where(AuditEntry.id > before)))
    assert [entry.action for entry in new] == [action]
    assert new[0].at is not None


def test_entries_cannot_be_changed_or_deleted_through_the_models(
    app: Flask, make_user: Callable[..., User]
) -> None:
    """ORM updates, ORM deletes and bulk update/delete statements are all refused."""
    admin = make_user(role="admin")
    with app.app_context():
        record_privileged_action(
            db.session.get_one(User, admin.id), "role.change", "user", admin.id, before="a", after="b"
        )
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry)).one()
        entry_id = entry.id

        entry.action = "nothing.happened"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()

        db.session.delete(db.session.get_one(AuditEntry, entry_id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()

        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(update(AuditEntry).values(action="rewritten"))
        db.session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(delete(AuditEntry).where(AuditEntry.id == entry_id))
        db.session.rollback()

        db.session.expire_all()
        kept = db.session.get_one(AuditEntry, entry_id)
        assert (kept.action, kept.before, kept.after) == ("role.change", "a", "b")
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_no_route_can_change_the_audit_log(app: Flask) -> None:
    """Every audit route answers GET only (HTML page, CSV export and API)."""
    audit_rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert {rule.rule for rule in audit_rules} >= {
        "/moderation/audit",
        "/moderation/audit.csv",
        "/api/v1/moderation/audit",
    }
    for rule in audit_rules:
        assert (rule.methods or set()) - {"GET", "HEAD", "OPTIONS"} == set(), rule.rule


def test_role_changes_in_the_admin_page_are_audited(
    app: Flask, auth: Any, make_user: Callable[..., User]
) -> None:
    person = make_user("promoted")
    auth.login_as("admin", "boss")
    assert auth._client.post(f"/admin/users/{person.id}/role", data={"role": "advocate"}).status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.actor_name, entry.target_id, entry.before, entry.after) == (
            "role.change", "boss", person.id, "member", "advocate",
        )  # fmt: skip
        assert entry.address == "127.0.0.1"


def _seed_entries(app: Flask, make_user: Callable[..., User]) -> tuple[User, User]:
    alice, bob = make_user("alice", role="moderator"), make_user("bob", role="admin")
    with app.app_context():
        record_privileged_action(
            db.session.get_one(User, alice.id), "post.hide", "answer", 7, details={"note": "ad"}
        )
        record_privileged_action(db.session.get_one(User, bob.id), "setting.spam_rules", "setting", None)
        record_privileged_action(None, "post.auto_hide", "question", 3, details={"flags": 3})
        record_privileged_action(
            db.session.get_one(User, alice.id), "member.warn", "user", 5, details={"message": "=HYPERLINK(1)"}
        )
        db.session.commit()
    return alice, bob


def test_the_audit_api_lists_entries_with_the_fields_of_api_md(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    alice, _bob = _seed_entries(app, make_user)
    client, headers = app.test_client(), token_for(alice)
    body = client.get("/api/v1/moderation/audit", headers=headers).get_json()
    assert body["total"] == 4 and body["page"] == 1
    newest = body["items"][0]
    assert {"actor", "action", "target_type", "target_id", "at", "details"} <= newest.keys()
    assert newest["action"] == "member.warn" and newest["actor"] == {"id": alice.id, "username": "alice"}
    system = next(item for item in body["items"] if item["action"] == "post.auto_hide")
    assert system["actor"] is None and system["details"] == {"flags": 3}

    def actions_for(query: str) -> list[str]:
        return [
            i["action"]
            for i in client.get("/api/v1/moderation/audit" + query, headers=headers).get_json()["items"]
        ]

    assert actions_for("?actor=alice") == ["member.warn", "post.hide"]
    assert actions_for("?action=post.") == ["post.auto_hide", "post.hide"]
    assert actions_for("?target_type=answer&target_id=7") == ["post.hide"]
    today = utcnow().date()
    assert len(actions_for(f"?from={today.isoformat()}&to={(today + timedelta(days=1)).isoformat()}")) == 4
    assert actions_for(f"?to={today.isoformat()}") == []
    assert (
        len(client.get("/api/v1/moderation/audit?per_page=2&page=2", headers=headers).get_json()["items"])
        == 2
    )
    bad = client.get("/api/v1/moderation/audit?from=yesterday", headers=headers)
    assert bad.status_code == 422 and "from" in bad.get_json()["error"]["fields"]


def test_the_audit_page_and_its_csv_export(app: Flask, auth: Any, make_user: Callable[..., User]) -> None:
    _seed_entries(app, make_user)
    auth.login_as("moderator", "reader")
    page = auth._client.get("/moderation/audit?actor=alice").get_data(as_text=True)
    assert 'data-action="member.warn"' in page and 'data-action="post.hide"' in page
    assert 'data-action="setting.spam_rules"' not in page
    export = auth._client.get("/moderation/audit.csv?actor=alice")
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [row["action"] for row in rows] == ["member.warn", "post.hide"]
    assert rows[0]["actor"] == "alice"
    assert rows[0]["details"].startswith('{"message"')  # JSON, never a bare formula
    assert not any(value.startswith("=") for row in rows for value in row.values())


def test_priority_rule_rows_are_plain(app: Flask) -> None:
    """Sanity: the rule model has no audit side effects of its own (only services write entries)."""
    with app.app_context():
        db.session.add(PriorityRule(phrase="cancel", signal="churn", weight=30))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
