"""The knowledge-gap report: failing searches grouped and ranked, waiting threads, closing
and reopening gaps, and who may see it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.questions import services
from forum.search.models import KnowledgeGap


@pytest.fixture
def seeded(app, db, make_user):
    author = make_user("author")
    with app.app_context():
        user = db.session.get(User, author.id)
        answered = services.ask_question(
            user, "How do I export invoices as CSV", "Need CSV invoices.", "billing", ["invoices"]
        )
        services.ask_question(
            user, "Nobody answered this SSO question", "SSO loops forever.", "technical", ["sso"]
        )
        db.session.commit()
        return answered.id


def run_searches(client, query: str, times: int) -> None:
    for _ in range(times):
        assert client.get("/search", query_string={"q": query}).status_code == 200


def test_report_groups_and_ranks_failing_searches(client, auth, seeded):
    run_searches(client, "HIPAA compliance?", 3)
    run_searches(client, "hipaa   compliance", 1)
    run_searches(client, "linux desktop app", 2)
    run_searches(client, "export invoices", 2)  # found something, never opened
    auth.login_as("finance")
    data = client.get("/api/v1/analytics/gaps").get_json()
    zero = [(row["query"], row["searches"]) for row in data["zero_result_queries"]]
    assert zero == [("hipaa compliance", 4), ("linux desktop app", 2)]
    assert [row["query"] for row in data["no_click_queries"]] == ["export invoices"]
    unanswered_titles = [row["title"] for row in data["unanswered_questions"]]
    assert "Nobody answered this SSO question" in unanswered_titles
    page = client.get("/analytics/gaps/").get_data(as_text=True)
    assert "hipaa compliance" in page and "linux desktop app" in page


def test_a_clicked_query_is_not_a_no_click_gap(client, auth, seeded, db):
    from forum.search.models import SearchLog

    run_searches(client, "export invoices", 2)
    log_id = db.session.scalar(select(SearchLog.id).order_by(SearchLog.id.desc()))
    client.get(f"/search/open/{log_id}/{seeded}")
    auth.login_as("moderator")
    data = client.get("/api/v1/analytics/gaps").get_json()
    assert data["no_click_queries"] == []


def test_addressed_gap_closes_and_reopens_when_searches_keep_failing(client, auth, seeded, db):
    run_searches(client, "hipaa compliance", 3)
    auth.login_as("advocate")
    response = client.post(
        "/analytics/gaps/addressed",
        data={"kind": "zero_result", "key": "hipaa compliance", "answer": f"/questions/{seeded}"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(KnowledgeGap.answer_question_id)) == seeded
    assert client.get("/api/v1/analytics/gaps").get_json()["zero_result_queries"] == []
    run_searches(client, "hipaa compliance", 3)
    reopened = client.get("/api/v1/analytics/gaps").get_json()["zero_result_queries"]
    assert reopened[0]["query"] == "hipaa compliance" and reopened[0]["reopened"] is True


def test_period_is_selectable_and_validated(client, auth, seeded):
    run_searches(client, "hipaa compliance", 1)
    auth.login_as("finance")
    empty = client.get("/api/v1/analytics/gaps", query_string={"from": "2020-01-01", "to": "2020-02-01"})
    assert empty.get_json()["zero_result_queries"] == []
    bad = client.get("/api/v1/analytics/gaps", query_string={"from": "yesterday"})
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"]
    assert (
        client.get(
            "/api/v1/analytics/gaps", query_string={"from": "2020-02-01", "to": "2020-01-01"}
        ).status_code
        == 422
    )


@pytest.mark.parametrize("role", ["moderator", "advocate", "finance", "admin"])
def test_staff_roles_see_the_report(client, auth, role):
    auth.login_as(role)
    assert client.get("/analytics/gaps/").status_code == 200


def test_members_and_visitors_cannot(client, auth, make_user, token_for):
    assert client.get("/analytics/gaps/").status_code == 302
    assert client.get("/api/v1/analytics/gaps").status_code == 401
    member = auth.login_as("member")
    assert client.get("/analytics/gaps/").status_code == 403
    assert (
        client.post("/analytics/gaps/addressed", data={"kind": "zero_result", "key": "x"}).status_code == 403
    )
    assert client.get("/api/v1/analytics/gaps", headers=token_for(member)).status_code == 403
