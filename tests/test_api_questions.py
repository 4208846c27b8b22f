"""The Q&A endpoints of the JSON API v1 (API.md): objects, errors, permissions, CSRF, queries."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, update

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
GOOD = {
    "title": "How do I export my workspace to CSV?",
    "body": "I need a **CSV** export of every project for our auditors.",
    "category": "product",
    "tags": ["Export", "csv"],
}
Headers = dict[str, str]


@pytest.fixture
def member(make_user: Callable[..., User], token_for: Callable[[User], Headers]) -> tuple[User, Headers]:
    user = make_user("asker")
    return user, token_for(user)


def count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The response is API.md's error object with ``code`` (and ``field`` named in ``fields``)."""
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if field is not None:
        assert field in error["fields"], error
    return dict(error)


def seed_thread(
    app: Flask, asker: User, answerers: list[User], title: str = GOOD["title"]
) -> tuple[int, list[int]]:
    """A question by ``asker`` with one answer per answerer (in that order); returns ids."""
    with app.app_context():
        question = services.ask_question(
            db.session.get(User, asker.id), title, GOOD["body"], "product", ["export"]
        )
        answers = [
            services.post_answer(db.session.get(User, user.id), question, f"Answer number {n} is here.")
            for n, user in enumerate(answerers)
        ]
        db.session.commit()
        return question.id, [answer.id for answer in answers]


# Asking and reading -------------------------------------------------------------------------


def test_ask_returns_the_question_object(client: FlaskClient, member: tuple[User, Headers]) -> None:
    """POST /questions answers 201 with every field API.md names, normalised and sanitized."""
    user, headers = member
    response = client.post("/api/v1/questions", json=GOOD, headers=headers)
    assert response.status_code == 201, response.get_json()
    question = response.get_json()
    assert QUESTION_FIELDS | {"answers", "url", "view_count", "duplicate_of_id", "locked"} <= set(question)
    assert question["tags"] == ["csv", "export"] and question["category"] == "product"
    assert question["author"] == {"id": user.id, "username": "asker"}
    assert "<strong>CSV</strong>" in question["body_html"]
    assert (question["status"], question["score"], question["answer_count"]) == ("unanswered", 0, 0)
    assert question["accepted_answer_id"] is None and question["answers"] == []
    assert question["created_at"].endswith("+00:00") and question["url"] == f"/questions/{question['id']}"
    assert response.headers["Location"] == f"/api/v1/questions/{question['id']}"
    assert client.get(f"/api/v1/questions/{question['id']}").get_json()["title"] == GOOD["title"]


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
def test_ask_rejects_bad_input_and_saves_nothing(
    app: Flask, client: FlaskClient, member: tuple[User, Headers], change: dict[str, Any], field: str
) -> None:
    """Issue 3's bad input: a 422 naming the field; no question, tag or revision row is left."""
    response = client.post("/api/v1/questions", json={**GOOD, **change}, headers=member[1])
    assert_error(response, 422, "invalid", field)
    assert [count(app, model) for model in (Question, Tag, Revision)] == [0, 0, 0]


def test_ask_errors_for_json_size_auth_and_suspension(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    """Malformed JSON 422, over 1 MiB 413, anonymous or bad token 401, suspended 403; nothing saved."""
    headers = token_for(make_user())
    malformed = client.post(
        "/api/v1/questions", data='{"title": ', content_type="application/json", headers=headers
    )
    assert_error(malformed, 422, "invalid_json")
    huge = b'{"title": "' + b"x" * (1024 * 1024) + b'"}'
    assert_error(
        client.post("/api/v1/questions", data=huge, content_type="application/json", headers=headers),
        413,
        "too_large",
    )
    assert_error(client.post("/api/v1/questions", json=GOOD), 401, "not_authenticated")
    bad_token = {"Authorization": "Bearer pd_not-a-token"}
    assert_error(client.post("/api/v1/questions", json=GOOD, headers=bad_token), 401, "not_authenticated")
    suspended = token_for(make_user(suspended_until=utcnow() + timedelta(days=3)))
    assert_error(client.post("/api/v1/questions", json=GOOD, headers=suspended), 403, "forbidden")
    assert count(app, Question) == 0


def test_thread_lists_visible_answers_accepted_first_then_score_then_oldest(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """GET /questions/{id}: answers in thread order with API.md's fields; hidden ones left out."""
    asker, first, second, third, fourth = (make_user() for _ in range(5))
    question_id, (a1, a2, a3, a4) = seed_thread(app, asker, [first, second, third, fourth])
    with app.app_context():
        voting.cast_vote(db.session.get(User, asker.id), "answer", a3, 1)
        db.session.execute(update(Answer).where(Answer.id == a4).values(hidden_at=utcnow(), score=9))
        voting.accept_answer(db.session.get(User, asker.id), db.session.get(Answer, a2))
        db.session.commit()
    thread = client.get(f"/api/v1/questions/{question_id}").get_json()
    answers = thread["answers"]
    assert [answer["id"] for answer in answers] == [a2, a3, a1]
    assert set(answers[0]) >= ANSWER_FIELDS
    assert [answer["accepted"] for answer in answers] == [True, False, False]
    assert answers[1]["score"] == 1 and answers[0]["accuracy"] is None
    assert answers[0]["author"] == {"id": second.id, "username": second.username}
    assert (thread["status"], thread["accepted_answer_id"]) == ("solved", a2)


def test_hidden_and_missing_questions_are_404(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    """A hidden question is 404 to readers and members, visible to moderators; unknown ids 404."""
    asker = make_user()
    question_id, _ = seed_thread(app, asker, [])
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == question_id).values(hidden_at=utcnow()))
        db.session.commit()
    path = f"/api/v1/questions/{question_id}"
    assert_error(client.get(path), 404, "not_found")
    assert_error(client.get(path, headers=token_for(make_user())), 404, "not_found")
    assert_error(client.get(path + "/revisions"), 404, "not_found")
    assert client.get(path, headers=token_for(make_user(role="moderator"))).status_code == 200
    assert client.get("/api/v1/questions", headers=token_for(make_user())).get_json()["total"] == 0
    assert_error(client.get("/api/v1/questions/999999"), 404, "not_found")


def test_list_filters_sorts_and_paginates(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """category, tag, status and sort select and order the right questions; pages have totals."""
    asker, answerer, voter = make_user(), make_user(), make_user()
    with app.app_context():
        author = db.session.get(User, asker.id)
        billing = services.ask_question(
            author, "Why was my card charged twice?", GOOD["body"], "billing", ["card"]
        )
        export = services.ask_question(
            author, "Export stops at one thousand rows", GOOD["body"], "product", ["csv"]
        )
        sso = services.ask_question(
            author, "Single sign-on loops back to login", GOOD["body"], "technical", ["sso"]
        )
        services.post_answer(
            db.session.get(User, answerer.id), sso, "Clear the cookies of the identity provider."
        )
        answer = services.post_answer(
            db.session.get(User, answerer.id), export, "Use the paged export instead."
        )
        voting.accept_answer(author, answer)
        voting.cast_vote(db.session.get(User, voter.id), "question", billing.id, 1)
        db.session.commit()
        ids = {"billing": billing.id, "export": export.id, "sso": sso.id}

    def listed(query: str) -> list[int]:
        response = client.get("/api/v1/questions" + query)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert listed("") == [ids["sso"], ids["export"], ids["billing"]]
    assert listed("?category=billing") == [ids["billing"]]
    assert listed("?tag=CSV") == [ids["export"]]
    assert listed("?tag=never-used") == []
    assert listed("?status=unanswered") == [ids["billing"]]
    assert listed("?status=answered") == [ids["sso"], ids["export"]]
    assert listed("?status=solved") == [ids["export"]]
    assert listed("?sort=votes") == [ids["billing"], ids["sso"], ids["export"]]
    assert listed("?sort=active") == [ids["export"], ids["sso"], ids["billing"]]
    page = client.get("/api/v1/questions?per_page=2&page=2").get_json()
    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 3)
    assert [item["id"] for item in page["items"]] == [ids["billing"]]
    assert set(page["items"][0]) >= QUESTION_FIELDS and "answers" not in page["items"][0]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("category=nope", "category"),
        ("status=open", "status"),
        ("sort=random", "sort"),
        ("per_page=101", "per_page"),
    ],
)
def test_list_rejects_unknown_filters(client: FlaskClient, query: str, field: str) -> None:
    """An unknown category, status or sort, or per_page over 100, is a 422 naming it."""
    response = client.get(f"/api/v1/questions?{query}")
    assert_error(response, 422, response.get_json()["error"]["code"], field)
    assert response.get_json()["error"]["code"] in {"invalid", "invalid_page"}


# Editing ------------------------------------------------------------------------------------


def test_patch_question_is_partial_and_keeps_a_revision(
    app: Flask, client: FlaskClient, member: tuple[User, Headers], make_user: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:  # fmt: skip
    """Only sent fields change; each edit is a revision; others get 403, moderators may edit."""
    user, headers = member
    question_id = client.post("/api/v1/questions", json=GOOD, headers=headers).get_json()["id"]
    path = f"/api/v1/questions/{question_id}"
    edited = client.patch(path, json={"title": "How do I export my workspace to Excel?"}, headers=headers)
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert (
        body["title"].endswith("Excel?")
        and body["body"] == GOOD["body"]
        and body["tags"] == ["csv", "export"]
    )
    assert_error(client.patch(path, json={"title": "short"}, headers=headers), 422, "invalid", "title")
    assert_error(client.patch(path, json={"tags": "csv"}, headers=headers), 422, "invalid", "tags")
    assert_error(client.patch(path, json={}, headers=headers), 422, "invalid")
    stranger = token_for(make_user())
    assert_error(
        client.patch(path, json={"title": "A title from a stranger here"}, headers=stranger), 403, "forbidden"
    )
    assert_error(client.patch(path, json={"title": "An anonymous rewrite of it"}), 401, "not_authenticated")
    moderator = token_for(make_user(role="moderator"))
    moderated = client.patch(path, json={"tags": ["csv"], "note": "tidy tags"}, headers=moderator)
    assert moderated.get_json()["tags"] == ["csv"]
    revisions = client.get(path + "/revisions").get_json()
    assert revisions["total"] == 3
    assert [item["number"] for item in revisions["items"]] == [1, 2, 3]
    assert revisions["items"][1]["title"].endswith("Excel?") and revisions["items"][2]["note"] == "tidy tags"
    assert revisions["items"][0]["author"]["id"] == user.id
    assert client.get(path).get_json()["title"].endswith("Excel?")


def test_answers_are_posted_and_edited_by_their_authors(
    app: Flask, client: FlaskClient, member: tuple[User, Headers], make_user: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:  # fmt: skip
    """POST answers 201; PATCH answers by its author (a revision kept) but 403 for others."""
    question_id = client.post("/api/v1/questions", json=GOOD, headers=member[1]).get_json()["id"]
    answerer = make_user()
    headers = token_for(answerer)
    path = f"/api/v1/questions/{question_id}/answers"
    created = client.post(path, json={"body": "Open Settings, then Export, then CSV."}, headers=headers)
    assert created.status_code == 201, created.get_json()
    answer = created.get_json()
    assert set(answer) >= ANSWER_FIELDS and answer["question_id"] == question_id
    assert (answer["accepted"], answer["score"], answer["author"]["id"]) == (False, 0, answerer.id)
    assert_error(client.post(path, json={"body": "short"}, headers=headers), 422, "invalid", "body")
    assert_error(client.post(path, json={"body": "x" * 30_001}, headers=headers), 422, "invalid", "body")
    assert_error(client.post(path, json={"body": "Anonymous answers are refused."}), 401, "not_authenticated")
    assert_error(
        client.post("/api/v1/questions/999999/answers", json={"body": "Lost answer."}, headers=headers),
        404,
        "not_found",
    )
    answer_path = f"/api/v1/answers/{answer['id']}"
    edited = client.patch(
        answer_path, json={"body": "Open Settings > Export and pick **CSV**."}, headers=headers
    )
    assert edited.status_code == 200 and "<strong>CSV</strong>" in edited.get_json()["body_html"]
    assert_error(
        client.patch(answer_path, json={"body": "Hijacked by the asker."}, headers=member[1]),
        403,
        "forbidden",
    )
    assert [item["number"] for item in client.get(answer_path + "/revisions").get_json()["items"]] == [1, 2]
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == question_id).values(locked_at=utcnow()))
        db.session.commit()
    assert_error(client.post(path, json={"body": "Too late, it is locked."}, headers=headers), 403, "locked")
    assert count(app, Answer) == 1


def test_accepting_moves_between_answers_and_only_the_asker_may(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    """The asker accepts; accepting another moves it; a stranger gets 403; the answer comes first."""
    asker, first, second = make_user(), make_user(), make_user()
    question_id, (a1, a2) = seed_thread(app, asker, [first, second])
    assert_error(client.post(f"/api/v1/answers/{a2}/accept", headers=token_for(first)), 403, "not_asker")
    assert_error(client.post(f"/api/v1/answers/{a2}/accept"), 401, "not_authenticated")
    assert_error(client.post("/api/v1/answers/999999/accept", headers=token_for(asker)), 404, "not_found")
    with app.app_context():
        assert db.session.get(Question, question_id).accepted_answer_id is None  # type: ignore[union-attr]
    accepted = client.post(f"/api/v1/answers/{a2}/accept", headers=token_for(asker))
    assert accepted.status_code == 200, accepted.get_json()
    thread = accepted.get_json()
    assert (
        thread["accepted_answer_id"] == a2
        and thread["answers"][0]["id"] == a2
        and thread["status"] == "solved"
    )
    moved = client.post(f"/api/v1/answers/{a1}/accept", headers=token_for(asker)).get_json()
    assert moved["accepted_answer_id"] == a1
    assert [(answer["id"], answer["accepted"]) for answer in moved["answers"]] == [(a1, True), (a2, False)]


# Voting -------------------------------------------------------------------------------------


def test_votes_set_change_and_retract(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    """One vote per member per post: +1, then -1, then 0 retracts; the score follows."""
    asker, answerer, voter = make_user(), make_user(), make_user()
    question_id, (answer_id,) = seed_thread(app, asker, [answerer])
    headers = token_for(voter)
    path = f"/api/v1/answers/{answer_id}/vote"
    assert client.post(path, json={"value": 1}, headers=headers).get_json() == {"score": 1, "value": 1}
    assert client.post(path, json={"value": 1}, headers=headers).get_json() == {"score": 1, "value": 1}
    assert client.post(path, json={"value": -1}, headers=headers).get_json() == {"score": -1, "value": -1}
    assert count(app, Vote) == 1
    assert client.post(path, json={"value": 0}, headers=headers).get_json() == {"score": 0, "value": 0}
    assert count(app, Vote) == 0
    question_vote = client.post(f"/api/v1/questions/{question_id}/vote", json={"value": 1}, headers=headers)
    assert question_vote.get_json() == {"score": 1, "value": 1}
    assert client.get(f"/api/v1/questions/{question_id}").get_json()["score"] == 1


@pytest.mark.parametrize("value", [True, "1", 2, 1.0, None])
def test_vote_value_must_be_exactly_one_minus_one_or_zero(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    token_for: Callable[[User], Headers],
    value: Any,
) -> None:
    """A bool, string, float, other number or missing value is a 422 naming ``value``; no vote saved."""
    question_id, _ = seed_thread(app, make_user(), [])
    response = client.post(
        f"/api/v1/questions/{question_id}/vote", json={"value": value}, headers=token_for(make_user())
    )
    assert_error(response, 422, "invalid", "value")
    assert count(app, Vote) == 0


def test_vote_refusals(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], token_for: Callable[[User], Headers]
) -> None:
    """Own post 403 ``own_post``; anonymous 401; a missing or hidden post 404; nothing saved."""
    asker, answerer = make_user(), make_user()
    question_id, (answer_id,) = seed_thread(app, asker, [answerer])
    own = client.post(f"/api/v1/answers/{answer_id}/vote", json={"value": 1}, headers=token_for(answerer))
    assert_error(own, 403, "own_post")
    assert_error(
        client.post(f"/api/v1/questions/{question_id}/vote", json={"value": 1}), 401, "not_authenticated"
    )
    headers = token_for(make_user())
    assert_error(
        client.post("/api/v1/answers/999999/vote", json={"value": 1}, headers=headers), 404, "not_found"
    )
    with app.app_context():
        db.session.execute(update(Answer).where(Answer.id == answer_id).values(deleted_at=utcnow()))
        db.session.commit()
    assert_error(
        client.post(f"/api/v1/answers/{answer_id}/vote", json={"value": 1}, headers=headers), 404, "not_found"
    )
    assert count(app, Vote) == 0


# CSRF -----------------------------------------------------------------------------------------


@pytest.fixture
def csrf_config(app_config: dict[str, Any]) -> None:
    app_config["WTF_CSRF_ENABLED"] = True


@pytest.mark.usefixtures("csrf_config")
def test_bearer_writes_need_no_csrf_token(
    app: Flask, client: FlaskClient, member: tuple[User, Headers]
) -> None:
    """With CSRF protection on, a bearer-token write succeeds without any CSRF token."""
    assert app.config["WTF_CSRF_ENABLED"] is True
    response = client.post("/api/v1/questions", json=GOOD, headers=member[1])
    assert response.status_code == 201, response.get_json()


@pytest.mark.usefixtures("csrf_config")
def test_session_api_writes_need_the_csrf_header(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """A browser session may write through the API only with the CSRF token in a header."""
    user = make_user()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    )
    assert token is not None
    login = client.post(
        "/login",
        data={
            "username": user.username,
            "password": "correct horse battery staple",
            "csrf_token": token.group(1),
        },
    )
    assert login.status_code == 302
    refused = client.post("/api/v1/questions", json=GOOD)
    assert_error(refused, 400, "csrf_failed")
    assert count(app, Question) == 0
    allowed = client.post("/api/v1/questions", json=GOOD, headers={"X-CSRFToken": token.group(1)})
    assert allowed.status_code == 201, allowed.get_json()


# Queries per request ----------------------------------------------------------------------------


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app runs inside the block."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_thread_read_costs_the_same_queries_for_3_or_30_answers(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """The single-question read loads every answer's author without one query per answer."""
    small_id, _ = seed_thread(
        app, make_user(), [make_user() for _ in range(3)], "A thread with three answers"
    )
    large_id, _ = seed_thread(
        app, make_user(), [make_user() for _ in range(30)], "A thread with thirty answers"
    )
    counts = []
    for question_id, answers in ((small_id, 3), (large_id, 30)):
        with counted_queries(app) as statements:
            response = client.get(f"/api/v1/questions/{question_id}")
        assert len(response.get_json()["answers"]) == answers
        counts.append(len(statements))
    print(f"thread read queries: 3 answers {counts[0]}, 30 answers {counts[1]}")
    assert counts[0] == counts[1] <= 5


def test_list_costs_the_same_queries_for_5_or_40_questions(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """The list loads authors, categories and tags in a fixed number of queries."""
    counts = []
    for batch in (5, 35):  # 5 questions, then 40 in all
        authors = [make_user() for _ in range(batch)]  # each its own commit, before ours begins
        with app.app_context():
            for n, author in enumerate(authors):
                services.ask_question(
                    db.session.get(User, author.id),
                    f"Question number {n} of a batch of {batch}",
                    GOOD["body"],
                    "product",
                    [f"tag{n}", "shared"],
                )
            db.session.commit()
        with counted_queries(app) as statements:
            response = client.get("/api/v1/questions?per_page=100")
        counts.append((response.get_json()["total"], len(statements)))
    print(f"list queries: {counts}")
    assert [total for total, _ in counts] == [5, 40]
    assert counts[0][1] == counts[1][1] <= 5
