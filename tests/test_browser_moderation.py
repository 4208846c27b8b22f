"""In a real browser: a member flags an answer, a moderator hides it from the queue, the
member no longer sees it, and the audit log shows the moderator's action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from forum.accounts.models import User
from forum.extensions import db
from forum.questions import services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

SPAM = "Get 90% off licences at our partner shop today"


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".site-header").get_by_text(username)).to_be_visible()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()


def test_flag_hide_and_audit(page: Any, app: Flask, make_user: Callable[..., User]) -> None:
    asker, answerer = make_user("asker"), make_user("answerer")
    make_user("flagger")
    make_user("moira", role="moderator")
    with app.app_context():
        question = services.ask_question(
            db.session.get_one(User, asker.id),
            "Export to CSV drops our custom fields",
            "The Priority column is missing from the export.",
            "product",
            ["export"],
        )
        answer = services.post_answer(db.session.get_one(User, answerer.id), question, SPAM)
        db.session.commit()
        thread, answer_id = f"/questions/{question.id}", answer.id

    sign_in(page, "flagger")
    page.goto(thread)
    post = page.locator(f"#answer-{answer_id}")
    post.locator("summary", has_text="Flag").click()
    post.locator("input[name=reason][value=spam]").check()
    post.get_by_label("Note for the moderators").fill("An advert, not an answer.")
    post.get_by_role("button", name="Send flag").click()
    expect(page.get_by_text("Thanks for the flag")).to_be_visible()
    expect(page.locator(f"#answer-{answer_id}").get_by_text("You flagged this answer.")).to_be_visible()
    sign_out(page)

    sign_in(page, "moira")
    expect(page.get_by_test_id("review-count")).to_have_text("1")
    page.get_by_role("link", name="Review queue, 1 waiting").click()
    item = page.locator(f'[data-target="answer:{answer_id}"]')
    expect(item.get_by_text("An advert, not an answer.")).to_be_visible()
    item.get_by_role("button", name="Hide", exact=True).click()
    expect(page.get_by_text("Hidden. Only moderators can see it now.")).to_be_visible()
    expect(page.get_by_text("No open flags")).to_be_visible()
    sign_out(page)

    sign_in(page, "flagger")
    page.goto(thread)
    assert page.locator(f"#answer-{answer_id}").count() == 0
    assert page.get_by_text(SPAM).count() == 0
    expect(page.locator(".answers-head")).to_have_text("0 answers")
    sign_out(page)

    sign_in(page, "moira")
    page.goto("/moderation/audit")
    row = page.locator('tr[data-action="post.hide"]')
    assert row.count() == 1
    expect(row.get_by_role("link", name="moira")).to_be_visible()
    expect(row.get_by_role("link", name=f"Answer #{answer_id}")).to_be_visible()
