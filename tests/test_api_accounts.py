"""API accounts: register, tokens, the caller; the error object for every 4xx."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


def test_register_token_and_me(client):
    created = client.post(
        "/api/v1/users", json={"username": "carol", "email": "carol@example.com", "password": "x" * 12}
    )
    assert created.status_code == 201
    assert created.get_json()["username"] == "carol"
    token = client.post("/api/v1/tokens", json={"username": "carol", "password": "x" * 12})
    assert token.status_code == 201
    raw = token.get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200
    body = me.get_json()
    assert {"id", "username", "role", "reputation"} <= set(body)
    assert body["role"] == "member" and body["username"] == "carol"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"username": "taken", "email": "x@example.com", "password": "x" * 12}, 409, "username"),
        ({"username": "fresh", "email": "bad", "password": "x" * 12}, 422, "email"),
        ({"username": "fresh", "email": "x@example.com", "password": "short"}, 422, "password"),
        ({"username": "f" * 40, "email": "x@example.com", "password": "x" * 12}, 422, "username"),
        ({"username": "fresh", "email": "x@example.com"}, 422, "password"),
        ({"username": 7, "email": "x@example.com", "password": "x" * 12}, 422, "username"),
    ],
)
def test_register_bad_input_gets_error_object(client, make_user, payload, status, field):
    make_user("taken")
    error = assert_error(client.post("/api/v1/users", json=payload), status)
    assert field in error["fields"]


def test_non_json_body_is_422(client):
    assert_error(client.post("/api/v1/users", data="username=x"), 422, "invalid_json")
    assert_error(client.post("/api/v1/users", data="{broken", content_type="application/json"), 422)


def test_unknown_token_is_401(client):
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Bearer pd_never-issued"}), 401)
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401)
    assert_error(client.get("/api/v1/me"), 401)


def test_wrong_password_repeatedly_is_429_with_retry_after(client, make_user):
    make_user("alice")
    statuses = []
    for _ in range(6):
        response = client.post("/api/v1/tokens", json={"username": "alice", "password": "wrong password"})
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5
    error = assert_error(response, 429, "rate_limited")
    assert error["message"]
    assert int(response.headers["Retry-After"]) > 0
    ok = client.post("/api/v1/tokens", json={"username": "alice", "password": PASSWORD})
    assert ok.status_code == 429, "the account stays limited until the window passes"


def test_404_and_405_under_api_are_error_objects(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.delete("/api/v1/me"), 405, "method_not_allowed")


def test_too_large_body_is_413_error_object(client):
    big = {"username": "x", "email": "y", "password": "z" * (2 * 1024 * 1024)}
    assert_error(client.post("/api/v1/users", json=big), 413, "too_large")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_nul_bytes_are_refused_with_a_clear_error(client, auth):
    error = assert_error(
        client.post(
            "/api/v1/users", json={"username": "a\x00b", "email": "x@example.com", "password": "x" * 12}
        ),
        422,
        "invalid_characters",
    )
    assert "NUL" in error["message"]
    auth.login_as("member", "asker")
    page = client.post(
        "/ask",
        data={"title": "Title with a \x00 byte in it", "body": "x" * 20, "category": "billing", "tags": "x"},
    )
    assert page.status_code == 422 and "NUL" in page.get_data(as_text=True)
    assert client.get("/search?q=a%00b").status_code == 422
