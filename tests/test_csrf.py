"""Every state-changing route refuses a request without a CSRF token.

The routes are read from ``app.url_map``, so a new route is covered the day it is added.
"""

from __future__ import annotations

import re

import pytest

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _sample_url(rule) -> str:
    """Fill a rule's variables with plausible values (ids that exist or not: CSRF comes first)."""

    def fill(match: re.Match[str]) -> str:
        converter, arguments = match.group(1) or "", match.group(2) or ""
        if converter == "any":
            return arguments.split(",")[0].strip()
        return "1" if converter.startswith(("int", "float")) else "sample"

    return re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?\w+>", fill, rule.rule)


def _write_routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        for method in WRITE_METHODS:
            if method in rule.methods:
                routes.append((method, _sample_url(rule), rule.endpoint))
    return routes


def _login_with_csrf(client, user_name: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": user_name, "password": password, "csrf_token": token})
    assert response.status_code == 302


def test_there_are_write_routes_to_check(app):
    endpoints = {endpoint for _, _, endpoint in _write_routes(app)}
    assert {"accounts.login", "accounts.logout", "admin.change_role", "api.create_user"} <= endpoints


def test_every_write_route_refuses_a_missing_csrf_token(app, client, make_user):
    from tests.conftest import PASSWORD

    admin = make_user("root", role="admin")
    _login_with_csrf(client, admin.username, PASSWORD)
    refused = {}
    for method, url, endpoint in _write_routes(app):
        response = client.open(
            url,
            method=method,
            json={} if url.startswith("/api/") else None,
            data=None if url.startswith("/api/") else {"x": "1"},
        )
        refused[(method, endpoint)] = response.status_code
        assert response.status_code == 400, f"{method} {url} ({endpoint}) answered {response.status_code}"
        if url.startswith("/api/"):
            assert response.get_json()["error"]["code"] == "csrf_failed"
    assert refused


def test_api_write_with_bearer_token_needs_no_csrf(client, make_user, token_for):
    admin = make_user("root", role="admin")
    target = make_user("target")
    response = client.put(
        f"/api/v1/users/{target.id}/role", json={"role": "advocate"}, headers=token_for(admin)
    )
    assert response.status_code == 200


def test_session_api_write_with_csrf_header_is_accepted(client, make_user):
    from tests.conftest import PASSWORD

    admin = make_user("root", role="admin")
    target = make_user("target")
    _login_with_csrf(client, admin.username, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.put(
        f"/api/v1/users/{target.id}/role", json={"role": "advocate"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
