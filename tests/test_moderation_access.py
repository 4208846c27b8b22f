"""Secure by default: every route of the moderation, settings, advocate and moderation-API
blueprints refuses members (403) and visitors (sign-in redirect, or 401 in the API).

The routes are found by walking ``app.url_map``, so a route added later is covered too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from forum.accounts.models import User

STAFF_BLUEPRINTS = {
    # blueprint: roles it must refuse (besides visitors)
    "moderation": ("member", "advocate", "finance"),
    "moderation_settings": ("member", "advocate", "finance", "moderator"),
    "advocate": ("member", "finance"),
    "moderation_api": ("member", "advocate", "finance"),
    "moderation_accuracy_api": ("member", "finance"),
}
MEMBER_BLUEPRINTS = ("moderation_member", "moderation_flags_api")


def _value_for(rule: Rule, argument: str) -> Any:
    converter = rule._converters[argument]
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "question"


def routes_of(app: Flask, blueprints: tuple[str, ...] | set[str]) -> Iterator[tuple[str, str]]:
    """(method, path) of every route the blueprints serve."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in blueprints:
            continue
        path = adapter.build(rule.endpoint, {arg: _value_for(rule, arg) for arg in rule.arguments})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, path


def test_the_walk_finds_the_routes(app: Flask) -> None:
    """The walk is not empty: it sees the panel, settings, advocate pages and every API route."""
    paths = {path for _, path in routes_of(app, set(STAFF_BLUEPRINTS))}
    for expected in (
        "/moderation/",
        "/moderation/audit",
        "/moderation/audit.csv",
        "/moderation/balances",
        "/moderation/settings/spam",
        "/advocate/queue",
        "/api/v1/moderation/queue",
        "/api/v1/moderation/audit",
        "/api/v1/moderation/flags/1/resolve",
        "/api/v1/answers/1/accuracy",
    ):
        assert expected in paths
    assert len(paths) >= 30


@pytest.mark.parametrize("blueprint", sorted(STAFF_BLUEPRINTS))
def test_members_and_other_roles_get_403(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]], blueprint: str
) -> None:
    """Every route answers 403 to each role the blueprint is not for (session and bearer token)."""
    for role in STAFF_BLUEPRINTS[blueprint]:
        user = make_user(role=role)
        client = app.test_client()
        response = client.post(
            "/login", data={"username": user.username, "password": "correct horse battery staple"}
        )
        assert response.status_code == 302
        headers = token_for(user)
        for method, path in routes_of(app, (blueprint,)):
            if not path.startswith("/api/") or method == "GET":  # API writes by session need CSRF first
                by_session = client.open(path, method=method)
                assert by_session.status_code == 403, (role, method, path, by_session.status_code)
            if path.startswith("/api/"):
                by_token = app.test_client().open(path, method=method, headers=headers, json={})
                assert by_token.status_code == 403, (role, method, path)
                assert by_token.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("blueprint", sorted(STAFF_BLUEPRINTS) + list(MEMBER_BLUEPRINTS))
def test_visitors_are_asked_to_sign_in(app: Flask, blueprint: str) -> None:
    """Visitors get the sign-in page (HTML) or 401 (API) from every route, even member routes."""
    client = app.test_client()
    for method, path in routes_of(app, (blueprint,)):
        response = client.open(path, method=method)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
            assert response.get_json()["error"]["code"] == "not_authenticated"
        else:
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"].startswith("/login"), (method, path)


def test_a_bad_token_is_401_not_a_pass(app: Flask) -> None:
    """A malformed bearer token is refused before any moderation route runs."""
    client = app.test_client()
    for method, path in routes_of(app, ("moderation_api", "moderation_accuracy_api", "moderation_flags_api")):
        response = client.open(path, method=method, headers={"Authorization": "Bearer nope"})
        assert response.status_code == 401, (method, path)


def test_staff_reach_their_pages(app: Flask, auth: Any) -> None:
    """The guard lets the right roles through: moderators see the panel, advocates the queue."""
    client = auth._client
    auth.login_as("moderator")
    assert client.get("/moderation/").status_code == 200
    assert client.get("/moderation/settings/spam").status_code == 403
    auth.logout()
    auth.login_as("advocate")
    assert client.get("/advocate/queue").status_code == 200
    assert client.get("/moderation/").status_code == 403
    auth.logout()
    auth.login_as("admin")
    for path in (
        "/moderation/",
        "/moderation/settings/spam",
        "/moderation/settings/routing",
        "/advocate/queue",
    ):
        assert client.get(path).status_code == 200, path
