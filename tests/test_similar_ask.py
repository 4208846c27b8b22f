"""Similar questions on the ask page: without JavaScript (a check step) and in the browser."""

from __future__ import annotations

import pytest

from forum.accounts.models import User
from forum.questions import services


@pytest.fixture
def existing(app, db, make_user):
    author = make_user("author")
    with app.app_context():
        question = services.ask_question(
            db.session.get(User, author.id),
            "SSO login loops back to the sign-in page",
            "Okta SSO keeps looping.",
            "technical",
            ["sso"],
        )
        db.session.commit()
        return question.id


def test_check_step_without_javascript_keeps_the_draft(client, auth, existing):
    auth.login_as("member", "asker")
    response = client.post(
        "/ask",
        data={
            "title": "Sign-in page loops when using SSO",
            "body": "My draft text",
            "category": "technical",
            "tags": "sso",
            "check_similar": "1",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/questions/{existing}"' in page and 'data-testid="similar-list"' in page
    assert "My draft text" in page, "nothing typed is lost"


@pytest.mark.browser
def test_typing_a_title_shows_suggestions_and_a_failed_search_reaches_the_gap_report(
    page, make_user, existing
):
    from playwright.sync_api import expect

    from tests.conftest import PASSWORD

    make_user("asker")
    make_user("fin", role="finance")
    page.goto("/login")
    page.get_by_label("Username").fill("asker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/ask")
    page.get_by_label("Title").press_sequentially("sso sign-in page loops", delay=20)
    suggestions = page.get_by_test_id("similar-list")
    suggestions.wait_for()
    assert "SSO login loops back to the sign-in page" in suggestions.inner_text()
    page.locator("#site-search").fill("quantum entanglement invoices")
    page.locator("#site-search").press("Enter")
    expect(page.get_by_text("No results for")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    page.get_by_label("Username").fill("fin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/analytics/gaps/")
    assert "quantum entanglement invoices" in page.get_by_test_id("zero-result-table").inner_text()
