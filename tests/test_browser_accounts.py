"""In a real browser: a visitor registers, signs in, sees their name, and signs out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_register_login_logout(page):
    page.goto("/")
    page.get_by_role("link", name="Join").click()
    page.get_by_label("Username").fill("nora_b")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_label("Password").fill("a sentence for a password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to the community, nora_b")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("nora_b")
    page.get_by_label("Password").fill("a sentence for a password")
    page.get_by_role("button", name="Sign in").click()
    header = page.locator(".site-header")
    expect(header.get_by_text("nora_b")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".site-header").get_by_role("link", name="Sign in")).to_be_visible()


def test_register_errors_are_shown_inline_and_keyboard_reachable(page, make_user):
    make_user("taken")
    page.goto("/register")
    page.get_by_label("Username").fill("taken")
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("Password").fill("short")
    page.keyboard.press("Enter")
    assert "taken" in page.locator("#username-error").inner_text()
    expect(page.locator("#email-error")).to_be_visible()
    assert "12" in page.locator("#password-error").inner_text()
    assert page.get_by_label("Username").get_attribute("aria-invalid") == "true"
