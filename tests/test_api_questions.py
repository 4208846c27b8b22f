"""The Q&A endpoints of the JSON API v1 (API.md): objects, errors, permissions, CSRF, queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions import services, voting
from forum.questions.models import Answer, Question, Revision, Tag, Vote

QUESTION_FIELDS = {
    "id", "title", "body", "body_html", "category", "tags", "author", "score", "answer_count",
    "accepted_answer_id", "status", "created_at", "updated_at",
}  # fmt: skip
ANSWER_FIELDS = {
    "id", "question_id", "body", "body_html", "author", "score", "accepted", "accuracy",
    "created_at", "updated_at",
}  # fmt: skip
TITLE = "How do I export my workspace to CSV?"
BODY = "I need a **CSV** export of every project for our auditors."
GOOD: dict[str, Any] = {"title": TITLE, "body": BODY, "category": "product", "tags": ["Export", "csv"]}
Headers = dict[str, str]


def row(user: User) -> User:
    """``user`` as loaded in the current app context's session."""
    loaded = db.session.get(User, user.id)
    assert loaded is not None
    return loaded


def ask(
    author: User, title: str = TITLE, category: str = "product", tags: list[str] | None = None
) -> Question:
    """Ask through the service, inside the caller's app context."""
    return services.ask_question(row(author), title, BODY, category, tags or ["export"])


class Api:
    """The test client speaking JSON to /api/v1, plus members, seeded threads and row counts."""

    def __init__(self, app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Any):
        self.app, self.client, self.make_user, self.token_for = app, client, make_user, token_for

    def member(self, role: str = "member", **fields: Any) -> tuple[User, Headers]:
        user = self.make_user(role=role, **fields)
        return user, self.token_for(user)

    def call(
        self, method: str, path: str, payload: Any = None, headers: Headers | None = None
    ) -> TestResponse:
        return self.client.open("/api/v1" + path, method=method, json=payload, headers=headers)

    def ok(
        self, method: str, path: str, payload: Any = None, headers: Headers | None = None, status: int = 200
    ) -> Any:
        response = self.call(method, path, payload, headers)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def count(self, model: Any) -> int:
        with self.app.app_context():
            return int(db.session.scalar(select(func.count()).select_from(model)) or 0)

    def seed_thread(self, asker: User, answerers: list[User], title: str = TITLE) -> tuple[int, list[int]]:
        """A question by ``asker`` with one answer per answerer, in that order; returns the ids."""
        with self.app.app_context():
            question = ask(asker, title)
            answers = [
                services.post_answer(row(user), question, f"Answer number {n} is here.")
                for n, user in enumerate(answerers)
            ]
            db.session.commit()
            return question.id, [answer.id for answer in answers]

    def change(self, model: Any, row_id: int, **values: Any) -> None:
        with self.app.app_context():
            db.session.execute(update(model).where(model.id == row_id).values(**values))
            db.session.commit()


@pytest.fixture
def api(app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Any) -> Api:
    return Api(app, client, make_user, token_for)


def assert_error(response: TestResponse, status: int, code: str, field: str | None = None) -> None:
    """The response is API.md's error object with ``code`` (and ``field`` named in ``fields``)."""
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    assert field is None or field in error["fields"], error


# Asking and reading -------------------------------------------------------------------------


def test_ask_returns_the_question_object(api: Api) -> None:
    """POST /questions answers 201 with every field API.md names, normalised and sanitized."""
    user, headers = api.member()
    response = api.call("POST", "/questions", GOOD, headers)
    assert response.status_code == 201, response.get_json()
    question = response.get_json()
    assert set(question) >= QUESTION_FIELDS | {"answers", "url", "view_count", "duplicate_of_id", "locked"}
    assert question["tags"] == ["csv", "export"] and question["category"] == "product"
    assert question["author"] == {"id": user.id, "username": user.username}
    assert "<strong>CSV</strong>" in question["body_html"]
    assert (question["status"], question["score"], question["answer_count"]) == ("unanswered", 0, 0)
    assert question["accepted_answer_id"] is None and question["answers"] == []
    assert question["created_at"].endswith("+00:00") and question["url"] == f"/questions/{question['id']}"
    assert response.headers["Location"] == f"/api/v1/questions/{question['id']}"
    assert api.ok("GET", f"/questions/{question['id']}")["title"] == TITLE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"title": None}, "title"),
        ({"title": 12345}, "title"),
        ({"body": "x" * 30_001}, "body"),
        ({"category": "no-such-category"}, "category"),
        ({"tags": ["a1", "b2", "c3", "d4", "e5", "f6"]}, "tags"),
        ({"tags": ["good-tag", "bad tag!"]}, "tags"),
        ({"tags": "csv"}, "tags"),
        ({"tags": ["csv", 7]}, "tags"),
    ],
)
def test_ask_rejects_bad_input_and_saves_nothing(api: Api, change: dict[str, Any], field: str) -> None:
    """Issue 3's bad input: a 422 naming the field; no question, tag or revision row is left."""
    assert_error(api.call("POST", "/questions", {**GOOD, **change}, api.member()[1]), 422, "invalid", field)
    assert [api.count(model) for model in (Question, Tag, Revision)] == [0, 0, 0]


def test_ask_errors_for_json_size_auth_and_suspension(api: Api) -> None:
    """Malformed JSON 422, over 1 MiB 413, anonymous or bad token 401, suspended 403; nothing saved."""
    headers = {**api.member()[1], "Content-Type": "application/json"}
    malformed = api.client.post("/api/v1/questions", data='{"title": ', headers=headers)
    assert_error(malformed, 422, "invalid_json")
    huge = b'{"title": "' + b"x" * (1024 * 1024) + b'"}'
    assert_error(api.client.post("/api/v1/questions", data=huge, headers=headers), 413, "too_large")
    assert_error(api.call("POST", "/questions", GOOD), 401, "not_authenticated")
    bad_token = {"Authorization": "Bearer pd_not-a-token"}
    assert_error(api.call("POST", "/questions", GOOD, bad_token), 401, "not_authenticated")
    _, suspended = api.member(suspended_until=utcnow() + timedelta(days=3))
    assert_error(api.call("POST", "/questions", GOOD, suspended), 403, "forbidden")
    assert api.count(Question) == 0


def test_thread_lists_visible_answers_accepted_first_then_score_then_oldest(api: Api) -> None:
    """GET /questions/{id}: answers in thread order with API.md's fields; hidden ones left out."""
    asker, first, second, third, fourth = (api.make_user() for _ in range(5))
    question_id, (a1, a2, a3, a4) = api.seed_thread(asker, [first, second, third, fourth])
    with api.app.app_context():
        voting.cast_vote(row(asker), "answer", a3, 1)
        voting.accept_answer(row(asker), db.session.get_one(Answer, a2))
        db.session.commit()
    api.change(Answer, a4, hidden_at=utcnow(), score=9)
    thread = api.ok("GET", f"/questions/{question_id}")
    answers = thread["answers"]
    assert [answer["id"] for answer in answers] == [a2, a3, a1]
    assert set(answers[0]) >= ANSWER_FIELDS
    assert [answer["accepted"] for answer in answers] == [True, False, False]
    assert answers[1]["score"] == 1 and answers[0]["accuracy"] is None
    assert answers[0]["author"] == {"id": second.id, "username": second.username}
    assert (thread["status"], thread["accepted_answer_id"]) == ("solved", a2)


def test_hidden_and_missing_questions_are_404(api: Api) -> None:
    """A hidden question is 404 to readers and members, visible to moderators; unknown ids 404."""
    question_id, _ = api.seed_thread(api.make_user(), [])
    api.change(Question, question_id, hidden_at=utcnow())
    path = f"/questions/{question_id}"
    assert_error(api.call("GET", path), 404, "not_found")
    assert_error(api.call("GET", path, headers=api.member()[1]), 404, "not_found")
    assert_error(api.call("GET", path + "/revisions"), 404, "not_found")
    assert api.ok("GET", path, headers=api.member("moderator")[1])["id"] == question_id
    assert api.ok("GET", "/questions")["total"] == 0
    assert_error(api.call("GET", "/questions/999999"), 404, "not_found")


def test_list_filters_sorts_and_paginates(api: Api) -> None:
    """category, tag, status and sort select and order the right questions; pages have totals."""
    asker, answerer, voter = (api.make_user() for _ in range(3))
    with api.app.app_context():
        billing = ask(asker, "Why was my card charged twice?", "billing", ["card"])
        export = ask(asker, "Export stops at a thousand rows", "product", ["csv"])
        sso = ask(asker, "Single sign-on loops back to login", "technical", ["sso"])
        services.post_answer(row(answerer), sso, "Clear the cookies of the identity provider.")
        voting.accept_answer(row(asker), services.post_answer(row(answerer), export, "Use the paged export."))
        voting.cast_vote(row(voter), "question", billing.id, 1)
        db.session.commit()
        ids = {"billing": billing.id, "export": export.id, "sso": sso.id}

    def listed(query: str) -> list[str]:
        names = {number: name for name, number in ids.items()}
        return [names[item["id"]] for item in api.ok("GET", "/questions" + query)["items"]]

    assert listed("") == ["sso", "export", "billing"]
    assert listed("?category=billing") == ["billing"]
    assert listed("?tag=CSV") == ["export"]
    assert listed("?tag=never-used") == []
    assert listed("?status=unanswered") == ["billing"]
    assert listed("?status=answered") == ["sso", "export"]
    assert listed("?status=solved") == ["export"]
    assert listed("?sort=votes") == ["billing", "sso", "export"]
    assert listed("?sort=active") == ["export", "sso", "billing"]
    page = api.ok("GET", "/questions?per_page=2&page=2")
    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 3)
    assert [item["id"] for item in page["items"]] == [ids["billing"]]
    assert set(page["items"][0]) >= QUESTION_FIELDS and "answers" not in page["items"][0]


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("category=nope", "invalid", "category"),
        ("status=open", "invalid", "status"),
        ("sort=random", "invalid", "sort"),
        ("per_page=101", "invalid_page", "per_page"),
    ],
)
def test_list_rejects_unknown_filters(api: Api, query: str, code: str, field: str) -> None:
    """An unknown category, status or sort, or per_page over 100, is a 422 naming it."""
    assert_error(api.call("GET", f"/questions?{query}"), 422, code, field)


# Editing ------------------------------------------------------------------------------------


def test_patch_question_is_partial_and_keeps_a_revision(api: Api) -> None:
    """Only sent fields change; each edit is a revision; others get 403/401, moderators may edit."""
    user, headers = api.member()
    path = f"/questions/{api.ok('POST', '/questions', GOOD, headers, 201)['id']}"
    edited = api.ok("PATCH", path, {"title": "How do I export my workspace to Excel?"}, headers)
    assert (edited["title"], edited["body"], edited["tags"]) == (
        "How do I export my workspace to Excel?", BODY, ["csv", "export"]
    )  # fmt: skip
    assert_error(api.call("PATCH", path, {"title": "short"}, headers), 422, "invalid", "title")
    assert_error(api.call("PATCH", path, {"tags": "csv"}, headers), 422, "invalid", "tags")
    assert_error(api.call("PATCH", path, {}, headers), 422, "invalid")
    stranger = api.member()[1]
    assert_error(
        api.call("PATCH", path, {"title": "A title from a stranger here"}, stranger), 403, "forbidden"
    )
    assert_error(api.call("PATCH", path, {"title": "An anonymous rewrite of it"}), 401, "not_authenticated")
    assert api.ok("GET", path)["title"].endswith("Excel?")
    moderated = api.ok("PATCH", path, {"tags": ["csv"], "note": "tidy tags"}, api.member("moderator")[1])
    assert moderated["tags"] == ["csv"] and moderated["title"].endswith("Excel?")
    revisions = api.ok("GET", path + "/revisions")
    assert revisions["total"] == 3 and [item["number"] for item in revisions["items"]] == [1, 2, 3]
    assert revisions["items"][1]["title"].endswith("Excel?") and revisions["items"][2]["note"] == "tidy tags"
    assert revisions["items"][0]["author"]["id"] == user.id and revisions["items"][2]["tags"] == ["csv"]


def test_answers_are_posted_and_edited_by_their_authors(api: Api) -> None:
    """POST answers 201; PATCH by its author keeps a revision, others get 403; locked threads refuse."""
    asker_headers = api.member()[1]
    question_id = api.ok("POST", "/questions", GOOD, asker_headers, 201)["id"]
    answerer, headers = api.member()
    path = f"/questions/{question_id}/answers"
    answer = api.ok("POST", path, {"body": "Open Settings, then Export, then CSV."}, headers, 201)
    assert set(answer) >= ANSWER_FIELDS and answer["question_id"] == question_id
    assert (answer["accepted"], answer["score"], answer["author"]["id"]) == (False, 0, answerer.id)
    assert_error(api.call("POST", path, {"body": "short"}, headers), 422, "invalid", "body")
    assert_error(api.call("POST", path, {"body": "x" * 30_001}, headers), 422, "invalid", "body")
    assert_error(api.call("POST", path, {"body": "Anonymous answers are refused."}), 401, "not_authenticated")
    assert_error(
        api.call("POST", "/questions/999999/answers", {"body": "A lost answer."}, headers), 404, "not_found"
    )
    answer_path = f"/answers/{answer['id']}"
    edited = api.ok("PATCH", answer_path, {"body": "Open Settings > Export and pick **CSV**."}, headers)
    assert "<strong>CSV</strong>" in edited["body_html"]
    assert_error(
        api.call("PATCH", answer_path, {"body": "Hijacked by the asker."}, asker_headers), 403, "forbidden"
    )
    assert [item["number"] for item in api.ok("GET", answer_path + "/revisions")["items"]] == [1, 2]
    api.change(Question, question_id, locked_at=utcnow())
    assert_error(api.call("POST", path, {"body": "Too late, it is locked."}, headers), 403, "locked")
    assert api.count(Answer) == 1
    assert api.ok("GET", f"/questions/{question_id}")["answers"][0]["body"].endswith("**CSV**.")


def test_accepting_moves_between_answers_and_only_the_asker_may(api: Api) -> None:
    """The asker accepts; accepting another moves it; others get 403 and change nothing."""
    asker, first, second = (api.make_user() for _ in range(3))
    question_id, (a1, a2) = api.seed_thread(asker, [first, second])
    assert_error(api.call("POST", f"/answers/{a2}/accept", headers=api.token_for(first)), 403, "not_asker")
    assert_error(api.call("POST", f"/answers/{a2}/accept"), 401, "not_authenticated")
    assert_error(api.call("POST", "/answers/999999/accept", headers=api.token_for(asker)), 404, "not_found")
    assert api.ok("GET", f"/questions/{question_id}")["accepted_answer_id"] is None
    thread = api.ok("POST", f"/answers/{a2}/accept", headers=api.token_for(asker))
    assert (thread["accepted_answer_id"], thread["answers"][0]["id"], thread["status"]) == (a2, a2, "solved")
    moved = api.ok("POST", f"/answers/{a1}/accept", headers=api.token_for(asker))
    assert moved["accepted_answer_id"] == a1
    assert [(answer["id"], answer["accepted"]) for answer in moved["answers"]] == [(a1, True), (a2, False)]


# Voting -------------------------------------------------------------------------------------


def test_votes_set_change_and_retract(api: Api) -> None:
    """One vote per member per post: +1, again +1, then -1, then 0 retracts; the score follows."""
    question_id, (answer_id,) = api.seed_thread(api.make_user(), [api.make_user()])
    headers = api.member()[1]
    path = f"/answers/{answer_id}/vote"
    assert api.ok("POST", path, {"value": 1}, headers) == {"score": 1, "value": 1}
    assert api.ok("POST", path, {"value": 1}, headers) == {"score": 1, "value": 1}
    assert api.ok("POST", path, {"value": -1}, headers) == {"score": -1, "value": -1}
    assert api.count(Vote) == 1
    assert api.ok("POST", path, {"value": 0}, headers) == {"score": 0, "value": 0}
    assert api.count(Vote) == 0
    assert api.ok("POST", f"/questions/{question_id}/vote", {"value": 1}, headers) == {"score": 1, "value": 1}
    assert api.ok("GET", f"/questions/{question_id}")["score"] == 1


@pytest.mark.parametrize("value", [True, "1", 2, 1.0, None])
def test_vote_value_must_be_exactly_one_minus_one_or_zero(api: Api, value: Any) -> None:
    """A bool, string, float, other number or missing value is a 422 naming ``value``; no vote saved."""
    question_id, _ = api.seed_thread(api.make_user(), [])
    response = api.call("POST", f"/questions/{question_id}/vote", {"value": value}, api.member()[1])
    assert_error(response, 422, "invalid", "value")
    assert api.count(Vote) == 0


def test_vote_refusals(api: Api) -> None:
    """Own post 403 ``own_post``; anonymous 401; a missing or deleted post 404; nothing saved."""
    answerer = api.make_user()
    question_id, (answer_id,) = api.seed_thread(api.make_user(), [answerer])
    vote = {"value": 1}
    assert_error(
        api.call("POST", f"/answers/{answer_id}/vote", vote, api.token_for(answerer)), 403, "own_post"
    )
    assert_error(api.call("POST", f"/questions/{question_id}/vote", vote), 401, "not_authenticated")
    headers = api.member()[1]
    assert_error(api.call("POST", "/answers/999999/vote", vote, headers), 404, "not_found")
    api.change(Answer, answer_id, deleted_at=utcnow())
    assert_error(api.call("POST", f"/answers/{answer_id}/vote", vote, headers), 404, "not_found")
    assert api.count(Vote) == 0
