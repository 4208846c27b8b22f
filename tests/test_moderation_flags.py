"""Flags (API.md ``POST /api/v1/flags``), the queue and resolving; hidden posts disappear for
members everywhere (thread, API, lists, feeds, search, profiles) and come back when restored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db
from forum.questions import services
from forum.questions.models import Answer, Question
from moderation import actions
from moderation.models import AuditEntry, Flag

TITLE = "Invoices still go to the old billing email"
BODY = "We changed the billing contact last week but invoices go to the old address."


class Forum:
    """Seeds posts through the forum's services and speaks JSON to the API."""

    def __init__(
        self, app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
    ):
        self.app, self.make_user, self.token_for = app, make_user, token_for
        self.client = app.test_client()

    def question(self, author: User, title: str = TITLE, body: str = BODY) -> int:
        with self.app.app_context():
            question = services.ask_question(
                db.session.get_one(User, author.id), title, body, "billing", ["invoices"]
            )
            db.session.commit()
            return question.id

    def answer(
        self, author: User, question_id: int, body: str = "Change it under Billing > Contacts."
    ) -> int:
        with self.app.app_context():
            answer = services.post_answer(
                db.session.get_one(User, author.id), db.session.get_one(Question, question_id), body
            )
            db.session.commit()
            return answer.id

    def call(self, method: str, path: str, user: User | None = None, json: Any = None) -> Any:
        headers = self.token_for(user) if user is not None else {}
        return self.client.open("/api/v1" + path, method=method, headers=headers, json=json)

    def flag(self, user: User, target_type: str, target_id: int, reason: str = "spam", **extra: Any) -> Any:
        return self.call(
            "POST",
            "/flags",
            user,
            {"target_type": target_type, "target_id": target_id, "reason": reason, **extra},
        )

    def audit_count(self, action: str) -> int:
        with self.app.app_context():
            return int(
                db.session.scalar(
                    select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
                )
                or 0
            )


@pytest.fixture
def forum(app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]) -> Forum:
    return Forum(app, make_user, token_for)


def test_a_member_flags_a_post_once(forum: Forum, make_user: Callable[..., User]) -> None:
    """201 with the flag object; the same member flagging the same post again gets 409."""
    asker, member = make_user(), make_user()
    question_id = forum.question(asker)
    first = forum.flag(member, "question", question_id, "off_topic", note="Not about our product")
    assert first.status_code == 201
    body = first.get_json()
    assert body["reason"] == "off_topic" and body["status"] == "open" and body["target_id"] == question_id
    assert body["note"] == "Not about our product" and body["post_hidden"] is False
    again = forum.flag(member, "question", question_id, "spam")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_flagged"
    with forum.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 1


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"reason": "because"}, 422, "reason"),
        ({"reason": "other"}, 422, "note"),
        ({"reason": "duplicate"}, 422, "duplicate_of"),
        ({"reason": "spam", "note": "x" * 501}, 422, "note"),
        ({"reason": "spam", "target_type": "comment"}, 422, "target_type"),
        ({"reason": "spam", "target_id": "7"}, 422, "target_id"),
        ({"reason": "spam", "target_id": 999_999}, 404, None),
    ],
)
def test_bad_flags_get_clear_errors(
    forum: Forum, make_user: Callable[..., User], payload: dict[str, Any], status: int, field: str | None
) -> None:
    """Each bad input is refused with API.md's error object naming the field (never a 500)."""
    question_id = forum.question(make_user())
    response = forum.call(
        "POST", "/flags", make_user(), {"target_type": "question", "target_id": question_id, **payload}
    )
    assert response.status_code == status
    error = response.get_json()["error"]
    if field:
        assert field in error["fields"]


def test_nobody_flags_their_own_post_or_while_suspended(forum: Forum, make_user: Callable[..., User]) -> None:
    asker = make_user()
    question_id = forum.question(asker)
    own = forum.flag(asker, "question", question_id)
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "own_post"
    from datetime import timedelta

    from forum.database import utcnow

    suspended = make_user(suspended_until=utcnow() + timedelta(days=3), suspension_reason="spam")
    assert forum.flag(suspended, "question", question_id).status_code == 403


@pytest.mark.parametrize("app_config", [{"MODERATION_FLAGS_PER_DAY": 2}], indirect=True)
def test_the_daily_cap_is_429_with_retry_after(forum: Forum, make_user: Callable[..., User]) -> None:
    """A member raises at most MODERATION_FLAGS_PER_DAY flags a day."""
    asker, member = make_user(), make_user()
    ids = [forum.question(asker, title=f"Question number {n} about invoices") for n in range(3)]
    assert [forum.flag(member, "question", i, "off_topic").status_code for i in ids[:2]] == [201, 201]
    capped = forum.flag(member, "question", ids[2], "off_topic")
    assert capped.status_code == 429
    assert capped.get_json()["error"]["code"] == "flag_limit"
    assert 0 < int(capped.headers["Retry-After"]) <= 86_400


@pytest.fixture
def app_config(app_config: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    """Lets a test add settings with ``@pytest.mark.parametrize("app_config", [{...}])``."""
    extra = getattr(request, "param", None)
    return {**app_config, **(extra or {})}


def test_three_spam_flags_hide_the_post_exactly_once(forum: Forum, make_user: Callable[..., User]) -> None:
    """The third distinct spam/offensive flag hides the post and writes one system audit entry;
    off-topic flags do not count; later flags on the hidden post are still accepted."""
    asker, answerer = make_user(), make_user()
    question_id = forum.question(asker)
    answer_id = forum.answer(answerer, question_id)
    assert forum.flag(make_user(), "answer", answer_id, "off_topic").get_json()["post_hidden"] is False
    hidden = [
        forum.flag(make_user(), "answer", answer_id, reason).get_json()["post_hidden"]
        for reason in ("spam", "offensive", "spam")
    ]
    assert hidden == [False, False, True]
    late = forum.flag(make_user(), "answer", answer_id, "spam")
    assert late.status_code == 201 and late.get_json()["post_hidden"] is False
    assert forum.audit_count("post.auto_hide") == 1
    with forum.app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "post.auto_hide"))
        assert entry is not None and entry.actor_id is None and entry.target_id == answer_id
        assert entry.details["flags"] == 3
        assert db.session.get_one(Answer, answer_id).hidden_at is not None
        assert db.session.get_one(Question, question_id).answer_count == 0


def _thread_text(forum: Forum, viewer: User | None, question_id: int) -> tuple[int, str]:
    client = forum.app.test_client()
    if viewer is not None:
        client.post("/login", data={"username": viewer.username, "password": "correct horse battery staple"})
    response = client.get(f"/questions/{question_id}", follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_a_hidden_answer_vanishes_for_members_but_moderators_see_it_marked(
    forum: Forum, make_user: Callable[..., User]
) -> None:
    asker, answerer, moderator = make_user(), make_user(), make_user(role="moderator")
    question_id = forum.question(asker)
    answer_id = forum.answer(answerer, question_id, "Buy cheap watches at example dot com today")
    flag_id = forum.flag(make_user(), "answer", answer_id, "spam").get_json()["id"]
    resolved = forum.call(
        "POST", f"/moderation/flags/{flag_id}/resolve", moderator, {"action": "hide", "note": "ad"}
    )
    assert resolved.status_code == 200
    assert (
        resolved.get_json()["post"]["hidden"] is True and resolved.get_json()["flag"]["status"] == "actioned"
    )

    status, page = _thread_text(forum, asker, question_id)
    assert status == 200 and "cheap watches" not in page
    api_thread = forum.call("GET", f"/questions/{question_id}", asker).get_json()
    assert api_thread["answers"] == [] and api_thread["answer_count"] == 0
    _, moderator_page = _thread_text(forum, moderator, question_id)
    assert "cheap watches" in moderator_page and "badge-hidden" in moderator_page

    with forum.app.app_context():
        actions.restore_post(db.session.get_one(User, moderator.id), db.session.get_one(Answer, answer_id))
        db.session.commit()
    _, page = _thread_text(forum, asker, question_id)
    assert "cheap watches" in page
    assert forum.call("GET", f"/questions/{question_id}", asker).get_json()["answer_count"] == 1


def _visible_everywhere(forum: Forum, member: User, question_id: int, title: str) -> dict[str, bool]:
    """Where a member can find the question: thread, API, home list, feed and search."""
    from forum.search import search_questions
    from forum.search.backend import SearchFilters

    client = forum.app.test_client()
    client.post("/login", data={"username": member.username, "password": "correct horse battery staple"})
    with forum.app.app_context():
        found = [hit.question_id for hit in search_questions("watches lifetime", SearchFilters()).hits]
    return {
        "thread": client.get(f"/questions/{question_id}", follow_redirects=True).status_code == 200,
        "api": forum.call("GET", f"/questions/{question_id}", member).status_code == 200,
        "home": title in client.get("/").get_data(as_text=True),
        "api_list": question_id
        in [q["id"] for q in forum.call("GET", "/questions", member).get_json()["items"]],
        "feed": title in client.get("/feeds/questions.atom").get_data(as_text=True),
        "search": question_id in found,
    }


def test_a_hidden_question_is_404_and_gone_from_lists_feeds_and_search_until_restored(
    forum: Forum, make_user: Callable[..., User]
) -> None:
    """Hiding takes the question out of every place a member looks; restoring brings it back."""
    asker, member, moderator = make_user(), make_user(), make_user(role="moderator")
    title = "Lifetime watches for sale, best price"
    question_id = forum.question(asker, title=title, body="Luxury watches lifetime warranty, message me.")
    assert all(_visible_everywhere(forum, member, question_id, title).values())

    with forum.app.app_context():
        actions.hide_post(db.session.get_one(User, moderator.id), db.session.get_one(Question, question_id))
        db.session.commit()
    seen = _visible_everywhere(forum, member, question_id, title)
    assert not any(seen.values()), seen
    assert forum.call("GET", f"/questions/{question_id}", member).get_json()["error"]["code"] == "not_found"
    status, page = _thread_text(forum, moderator, question_id)
    assert status == 200 and "This question is hidden" in page

    with forum.app.app_context():
        actions.restore_post(
            db.session.get_one(User, moderator.id), db.session.get_one(Question, question_id)
        )
        db.session.commit()
    assert all(_visible_everywhere(forum, member, question_id, title).values())


def test_resolving_dismiss_shows_an_auto_hidden_post_again(
    forum: Forum, make_user: Callable[..., User]
) -> None:
    """Dismissing closes every open flag on the post and unhides it; a resolved flag is 409."""
    asker, moderator = make_user(), make_user(role="moderator")
    question_id = forum.question(asker)
    flag_ids = [forum.flag(make_user(), "question", question_id).get_json()["id"] for _ in range(3)]
    assert forum.call("GET", f"/questions/{question_id}", asker).status_code == 404
    response = forum.call(
        "POST", f"/moderation/flags/{flag_ids[0]}/resolve", moderator, {"action": "dismiss", "note": "Fine"}
    )
    assert response.status_code == 200
    assert sorted(response.get_json()["resolved_flag_ids"]) == sorted(flag_ids)
    assert response.get_json()["post"]["hidden"] is False
    assert forum.call("GET", f"/questions/{question_id}", asker).status_code == 200
    again = forum.call("POST", f"/moderation/flags/{flag_ids[1]}/resolve", moderator, {"action": "hide"})
    assert again.status_code == 409
    assert (
        forum.call("POST", "/moderation/flags/999999/resolve", moderator, {"action": "hide"}).status_code
        == 404
    )
    bad = forum.call("POST", f"/moderation/flags/{flag_ids[0]}/resolve", moderator, {"action": "burn"})
    assert bad.status_code == 422 and "action" in bad.get_json()["error"]["fields"]


def test_resolve_delete_soft_deletes_the_post(forum: Forum, make_user: Callable[..., User]) -> None:
    asker, answerer, moderator = make_user(), make_user(), make_user(role="moderator")
    question_id = forum.question(asker)
    answer_id = forum.answer(answerer, question_id)
    flag_id = forum.flag(make_user(), "answer", answer_id, "offensive").get_json()["id"]
    response = forum.call("POST", f"/moderation/flags/{flag_id}/resolve", moderator, {"action": "delete"})
    assert response.status_code == 200 and response.get_json()["post"]["deleted"] is True
    assert forum.audit_count("post.delete") == 1


def test_the_queue_lists_flagged_and_held_posts_with_filters(
    forum: Forum, make_user: Callable[..., User]
) -> None:
    asker, alice, bob, moderator = (
        make_user(),
        make_user("alice"),
        make_user("bob"),
        make_user(role="moderator"),
    )
    first = forum.question(asker, title="First question about invoices here")
    second = forum.question(asker, title="Second question about invoices here")
    forum.flag(alice, "question", first, "spam")
    forum.flag(bob, "question", first, "off_topic")
    forum.flag(bob, "question", second, "inaccurate")
    with forum.app.app_context():
        services.set_visibility(db.session.get_one(Question, second), held=True)
        db.session.commit()
    everything = forum.call("GET", "/moderation/queue", moderator).get_json()
    assert everything["total"] == 2
    by_id = {item["target_id"]: item for item in everything["items"]}
    assert by_id[first]["reasons"] == {"spam": 1, "off_topic": 1} and by_id[first]["held"] is False
    assert by_id[second]["held"] is True and len(by_id[second]["flags"]) == 1
    assert {f["reporter"]["username"] for f in by_id[first]["flags"]} == {"alice", "bob"}

    def ids(query: str) -> list[int]:
        return [
            item["target_id"]
            for item in forum.call("GET", "/moderation/queue" + query, moderator).get_json()["items"]
        ]

    assert ids("?reason=spam") == [first]
    assert sorted(ids("?flagger=bob")) == sorted([first, second])
    assert ids("?flagger=alice") == [first]
    assert ids("?kind=held") == [second]
    assert forum.call("GET", "/moderation/queue?reason=nope", moderator).status_code == 422


def test_the_thread_flag_form_and_what_the_member_sees(
    forum: Forum, make_user: Callable[..., User], auth: Any
) -> None:
    """The HTML flag form records the flag and the member sees "You flagged this answer"."""
    asker, answerer = make_user(), make_user()
    question_id = forum.question(asker)
    answer_id = forum.answer(answerer, question_id)
    auth.login_as("member", "flagger")
    page = auth._client.get(f"/questions/{question_id}", follow_redirects=True).get_data(as_text=True)
    assert 'action="/flags"' in page
    response = auth._client.post(
        "/flags",
        data={"target_type": "answer", "target_id": str(answer_id), "reason": "inaccurate",
              "note": "Moved in 5.2", "next": f"/questions/{question_id}"},
        follow_redirects=True,
    )  # fmt: skip
    text = response.get_data(as_text=True)
    assert "Thanks for the flag" in text and "You flagged this answer." in text
    with forum.app.app_context():
        flag = db.session.scalar(select(Flag))
        assert flag is not None and (flag.reason, flag.note, flag.target_id) == (
            "inaccurate",
            "Moved in 5.2",
            answer_id,
        )
