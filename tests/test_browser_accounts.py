"""In a real browser: a visitor registers, signs in, sees their name, and signs out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_register_login_logout(page):
    page.goto("/")
    page.get_by_role("link", name="Join").click()
    page.get_by_label("Username").fill("nora_b")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_label("Password").fill("a sentence for a password")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_text("Welcome to the community, nora_b").is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out").is_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("nora_b")
    page.get_by_label("Password").fill("a sentence for a password")
    page.get_by_role("button", name="Sign in").click()
    header = page.locator(".site-header")
    assert header.get_by_text("nora_b").is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.locator(".site-header").get_by_role("link", name="Sign in").is_visible()


def test_register_errors_are_shown_inline_and_keyboard_reachable(page, make_user):
    make_user("taken")
    page.goto("/register")
    page.get_by_label("Username").fill("taken")
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("Password").fill("short")
    page.keyboard.press("Enter")
    assert "taken" in page.locator("#username-error").inner_text()
    assert page.locator("#email-error").is_visible()
    assert "12" in page.locator("#password-error").inner_text()
    assert page.get_by_label("Username").get_attribute("aria-invalid") == "true"
