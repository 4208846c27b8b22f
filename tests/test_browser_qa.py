"""In a real browser: a member asks, a second member answers, the asker accepts; the thread
and the home list show Solved and the answerer's reputation went up."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".site-header").get_by_text(username)).to_be_visible()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_ask_answer_accept(page, make_user):
    make_user("asker")
    make_user("helper")
    sign_in(page, "asker")
    page.get_by_role("link", name="Ask a question").first.click()
    page.get_by_label("Title").fill("Export to CSV drops our custom fields")
    page.get_by_label("Details").fill("When I export a board to CSV the **Priority** column is missing.")
    page.get_by_label("Category").select_option("product")
    page.get_by_label("Tags").fill("export, csv")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Your question is posted")).to_be_visible()
    thread_url = page.url
    expect(page.locator(".post-body strong")).to_have_text("Priority")
    sign_out(page)

    sign_in(page, "helper")
    page.goto(thread_url)
    page.get_by_label("Your answer").fill("Tick *Include custom fields* in the export dialog.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("your answer is posted")).to_be_visible()
    page.goto("/users/helper")
    expect(page.get_by_test_id("reputation")).to_have_text("1")
    sign_out(page)

    sign_in(page, "asker")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.goto(thread_url)
    page.get_by_role("button", name="Accept: this solved it").click()
    expect(page.get_by_text("Marked as the answer that solved it")).to_be_visible()
    expect(page.locator(".thread-title .badge-solved")).to_have_text("Solved")
    assert page.locator(".post.is-accepted").count() == 1
    page.goto("/")
    row = page.locator(".question-row", has_text="Export to CSV drops our custom fields")
    expect(row.locator(".badge-solved")).to_have_text("Solved")
    page.goto("/users/helper")
    assert int(page.get_by_test_id("reputation").inner_text()) == 1 + 15
