"""The Q&A API's contract beyond single endpoints: CSRF rules, the OpenAPI document, and a
fixed number of queries per read whatever the number of answers or questions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.accounts.models import User
from forum.extensions import db
from forum.questions.models import Question
from tests import support
from tests.conftest import PASSWORD
from tests.test_api_questions import GOOD, Api, ask, assert_error


@pytest.fixture(name="api")
def api_fixture(app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Any) -> Api:
    return Api(app, client, make_user, token_for)


# CSRF and the OpenAPI document --------------------------------------------------------------


@pytest.fixture
def csrf_config(app_config: dict[str, Any]) -> None:
    app_config["WTF_CSRF_ENABLED"] = True


@pytest.mark.usefixtures("csrf_config")
def test_bearer_writes_need_no_csrf_token(api: Api) -> None:
    """With CSRF protection on, a bearer-token write succeeds without any CSRF token."""
    assert api.app.config["WTF_CSRF_ENABLED"] is True
    api.ok("POST", "/questions", GOOD, api.member()[1], 201)


@pytest.mark.usefixtures("csrf_config")
def test_session_api_writes_need_the_csrf_header(api: Api) -> None:
    """A browser session may write through the API only with the CSRF token in a header."""
    user = api.make_user()
    page = api.client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None
    form = {"username": user.username, "password": PASSWORD, "csrf_token": found.group(1)}
    assert api.client.post("/login", data=form).status_code == 302
    assert_error(api.call("POST", "/questions", GOOD), 400, "csrf_failed")
    assert api.count(Question) == 0
    api.ok("POST", "/questions", GOOD, {"X-CSRFToken": found.group(1)}, 201)


def test_openapi_document_describes_what_the_app_returns(api: Api) -> None:
    """The served document lists these routes, and its objects have exactly the fields we send."""
    document = api.ok("GET", "/openapi.json")
    routes = {
        "/api/v1/questions": {"get", "post"},
        "/api/v1/questions/{question_id}": {"get", "patch"},
        "/api/v1/questions/{question_id}/answers": {"post"},
        "/api/v1/questions/{question_id}/revisions": {"get"},
        "/api/v1/questions/{question_id}/vote": {"post"},
        "/api/v1/answers/{answer_id}": {"patch"},
        "/api/v1/answers/{answer_id}/accept": {"post"},
        "/api/v1/answers/{answer_id}/revisions": {"get"},
        "/api/v1/answers/{answer_id}/vote": {"post"},
    }
    for path, methods in routes.items():
        assert set(document["paths"][path]) >= methods, path
    schemas = document["components"]["schemas"]
    headers = api.member()[1]
    question = api.ok("POST", "/questions", GOOD, headers, 201)
    path = f"/questions/{question['id']}"
    answer = api.ok("POST", path + "/answers", {"body": "Settings, then Export."}, headers, 201)
    revisions = api.ok("GET", path + "/revisions")
    for name, sent in (("QuestionDetail", question), ("Answer", answer), ("Revision", revisions["items"][0])):
        assert set(sent) == set(schemas[name]["properties"]), name
        assert set(schemas[name].get("required", [])) <= set(sent), name
    assert set(schemas["Question"]["properties"]) == set(api.ok("GET", "/questions")["items"][0])


# Queries per request ------------------------------------------------------------------------


def counted_queries(app: Flask) -> support.QueryCounter:
    """Counts the SQL statements the app runs inside a ``with`` block."""
    with app.app_context():
        return support.QueryCounter(db.engine)


def test_thread_read_costs_the_same_queries_for_3_or_30_answers(api: Api) -> None:
    """The single-question read loads every answer's author without one query per answer."""
    small_id, _ = api.seed_thread(
        api.make_user(), [api.make_user() for _ in range(3)], "Thread with three answers"
    )
    large_id, _ = api.seed_thread(
        api.make_user(), [api.make_user() for _ in range(30)], "Thread with thirty answers"
    )
    counts = []
    for question_id, answers in ((small_id, 3), (large_id, 30)):
        with counted_queries(api.app) as counter:
            assert len(api.ok("GET", f"/questions/{question_id}")["answers"]) == answers
        counts.append(counter.count)
    print(f"thread read queries: 3 answers {counts[0]}, 30 answers {counts[1]}")
    assert counts[0] == counts[1] <= 5


def test_list_costs_the_same_queries_for_5_or_40_questions(api: Api) -> None:
    """The list loads authors, categories and tags in a fixed number of queries."""
    counts = []
    for batch in (5, 35):  # 5 questions, then 40 in all, each by its own author with its own tag
        authors = [api.make_user() for _ in range(batch)]  # committed before our transaction begins
        with api.app.app_context():
            for n, author in enumerate(authors):
                ask(author, f"Question number {n} of a batch of {batch}", tags=[f"t{n}", "all"])
            db.session.commit()
        with counted_queries(api.app) as counter:
            total = api.ok("GET", "/questions?per_page=100")["total"]
        counts.append((total, counter.count))
    print(f"list queries (total, queries): {counts}")
    assert [total for total, _ in counts] == [5, 40]
    assert counts[0][1] == counts[1][1] <= 5
