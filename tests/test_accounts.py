"""Accounts in the browser-facing pages: register, sign in and out, passwords, sessions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from tests.conftest import PASSWORD


def user_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_account_and_signs_in(client, db):
    response = client.post(
        "/register",
        data={"username": "Dana_K", "email": "Dana@Example.com", "password": "a long enough secret"},
    )
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Dana_K" in page and "Sign out" in page
    user = db.session.scalar(select(User).where(User.username_key == "dana_k"))
    assert user.email == "dana@example.com"
    assert user.password_hash.startswith("scrypt:"), "passwords use a modern KDF"
    assert "a long enough secret" not in user.password_hash


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"username": "taken", "email": "new@example.com"}, "username", "taken"),
        ({"username": "TAKEN", "email": "new@example.com"}, "username", "taken"),
        ({"username": "fresh", "email": "not-an-email"}, "email", "valid email"),
        ({"username": "fresh", "email": "taken@example.com"}, "email", "Already registered"),
        ({"username": "fresh", "email": "new@example.com", "password": "short"}, "password", "12"),
        ({"username": "x" * 31, "email": "new@example.com"}, "username", "30"),
        ({"username": "fresh", "email": "a" * 250 + "@example.com"}, "email", "254"),
        ({"username": "no spaces!", "email": "new@example.com"}, "username", "letters"),
    ],
)
def test_register_rejects_bad_input_with_inline_errors(client, db, make_user, form, field, message):
    make_user("taken")
    before = user_count(db)
    data = {"password": "a long enough secret", **form}
    response = client.post("/register", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page)
    assert error, f"no inline error for {field}"
    assert message.lower() in error.group(1).lower()
    assert user_count(db) == before, "nothing is saved"


def test_login_and_logout(client, make_user):
    make_user("alice")
    response = client.post("/login", data={"username": "ALICE", "password": PASSWORD})
    assert response.status_code == 302
    assert "alice" in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 405, "logging out changes state, so POST only"
    client.post("/logout")
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_wrong_password_shows_error(client, make_user):
    make_user("alice")
    response = client.post("/login", data={"username": "alice", "password": "not the password"})
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)


def test_repeated_wrong_passwords_end_in_429(client, make_user):
    make_user("alice")
    statuses = [
        client.post("/login", data={"username": "alice", "password": f"wrong guess {i}"}).status_code
        for i in range(7)
    ]
    assert statuses[:5] == [422] * 5
    assert statuses[5:] == [429, 429]
    # A different account from the same address is not locked out by alice's failures.
    make_user("bob")
    assert client.post("/login", data={"username": "bob", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/users/alice", "/users/alice"),
        ("/?sort=votes", "/?sort=votes"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_next_redirects_only_to_our_own_paths(client, make_user, target, expected):
    make_user("alice")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_session_cookie_flags(client, make_user):
    make_user("alice")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD, "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie, "Secure only when configured for HTTPS"
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember
    expires = re.search(r"Max-Age=(\d+)", remember) or re.search(r"Expires=([^;]+)", remember)
    assert expires is not None


def test_remember_me_lasts_at_most_30_days(app):
    assert app.config["REMEMBER_COOKIE_DURATION"].days <= 30


def test_secure_cookies_when_configured(app_config, make_user):
    from forum import create_app

    app = create_app({**app_config, "SECURE_COOKIES": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_change_password_ends_other_sessions(app, make_user):
    make_user("alice")
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert device.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302
    response = laptop.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert "alice" in laptop.get("/").get_data(as_text=True), "the device that changed it stays in"
    assert "Sign in" in phone.get("/").get_data(as_text=True), "other sessions are signed out"
    assert phone.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 422
    fresh = app.test_client()
    response = fresh.post("/login", data={"username": "alice", "password": "a brand new passphrase"})
    assert response.status_code == 302


def test_change_password_rejects_wrong_current_password(client, auth):
    auth.login_as("member", "alice")
    response = client.post(
        "/account/password", data={"current_password": "nope nope nope", "new_password": "x" * 20}
    )
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)


def test_profile_shows_reputation(client, make_user):
    make_user("alice", reputation=42)
    page = client.get("/users/alice").get_data(as_text=True)
    assert 'data-testid="reputation">42<' in page
    assert client.get("/users/nobody").status_code == 404
