"""Who may see the finance figures: every route of the analytics blueprints is walked, so a
route added later is covered too."""

from __future__ import annotations

import re

import pytest

FINANCE_BLUEPRINTS = ("analytics", "analytics_admin")
API_REPORT = "/api/v1/analytics/deflection"


def routes(app, blueprints: tuple[str, ...]) -> list[tuple[str, str]]:
    """(method, path) of every route of ``blueprints``, with 1 for each path parameter."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in blueprints:
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_the_walk_finds_the_pages(app):
    found = routes(app, FINANCE_BLUEPRINTS)
    assert ("GET", "/analytics/") in found
    assert ("GET", "/analytics/deflection.csv") in found
    assert ("POST", "/analytics/admin/costs") in found
    assert len(found) >= 6


@pytest.mark.parametrize("role", ["member", "advocate", "moderator"])
def test_members_advocates_and_moderators_get_403_everywhere(app, client, auth, make_user, token_for, role):
    auth.login_as(role)
    for method, path in routes(app, FINANCE_BLUEPRINTS):
        response = client.open(path, method=method)
        assert response.status_code == 403, (role, method, path)
    assert client.get(API_REPORT).status_code == 403
    assert client.get(API_REPORT, headers=token_for(make_user(f"api-{role}", role=role))).status_code == 403


def test_finance_reads_but_cannot_change_admin_settings(app, client, auth):
    auth.login_as("finance")
    for method, path in routes(app, ("analytics",)):
        assert client.open(path, method=method).status_code == 200, path
    for method, path in routes(app, ("analytics_admin",)):
        assert client.open(path, method=method).status_code == 403, path
    assert client.get(API_REPORT).status_code == 200


def test_admins_reach_every_page(app, client, auth):
    auth.login_as("admin")
    for method, path in routes(app, FINANCE_BLUEPRINTS):
        if method == "GET":
            assert client.get(path).status_code == 200, path
    assert client.get(API_REPORT).status_code == 200


def test_visitors_are_sent_to_sign_in_and_the_api_says_401(app, client):
    for method, path in routes(app, FINANCE_BLUEPRINTS):
        response = client.open(path, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    response = client.get(API_REPORT)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "not_authenticated"


def test_report_api_rejects_bad_parameters_clearly(client, auth):
    auth.login_as("finance")
    cases = {
        "?from=2025-13-01": "from",
        "?from=2025-03-01&to=2025-03-01": "to",
        "?from=1999-12-31&to=2000-02-01": "from",
        "?from=2020-01-01&to=2025-01-01": "to",  # over three years
        "?category=nope": "category",
    }
    for query, field in cases.items():
        response = client.get(API_REPORT + query)
        assert response.status_code == 422, query
        assert field in response.get_json()["error"]["fields"], query
