"""Accuracy verdicts: advocates and moderators verify answers or mark them inaccurate; nobody
judges their own answer or an answer to their own question (403 in the API, no button in the
page); readers see the verdict; verifications expire into "needs re-check"; history is kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions import services
from forum.questions.models import Answer, Question
from moderation.models import AccuracyVerdict
from tests.conftest import PASSWORD


def seed(app: Flask, asker: User, answerer: User) -> tuple[int, int]:
    with app.app_context():
        question = services.ask_question(
            db.session.get_one(User, asker.id),
            "Calendar feed shows tasks a day early",
            "In France.",
            "product",
            ["calendar"],
        )
        answer = services.post_answer(
            db.session.get_one(User, answerer.id), question, "Set your time zone in Settings > Profile."
        )
        db.session.commit()
        return question.id, answer.id


def judge(app: Flask, headers: dict[str, str], answer_id: int, verdict: str, note: str = "") -> Any:
    return app.test_client().post(
        f"/api/v1/answers/{answer_id}/accuracy", headers=headers, json={"verdict": verdict, "note": note}
    )


def page_for(app: Flask, user: User | None, question_id: int) -> str:
    client = app.test_client()
    if user is not None:
        client.post("/login", data={"username": user.username, "password": PASSWORD})
    return client.get(f"/questions/{question_id}", follow_redirects=True).get_data(as_text=True)


def test_an_advocate_verifies_and_every_reader_sees_it(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    asker, answerer, advocate = make_user(), make_user(), make_user("nadia", role="advocate")
    question_id, answer_id = seed(app, asker, answerer)
    response = judge(app, token_for(advocate), answer_id, "verified", "Checked against 5.2")
    assert response.status_code == 200
    body = response.get_json()
    assert (
        body["accuracy"] == "verified"
        and body["by"]["username"] == "nadia"
        and body["needs_recheck"] is False
    )
    assert (
        app.test_client().get(f"/api/v1/questions/{question_id}").get_json()["answers"][0]["accuracy"]
        == "verified"
    )
    page = page_for(app, None, question_id)
    assert "Verified by nadia on" in page and "Checked against 5.2" in page


def test_inaccurate_needs_a_note_and_shows_a_warning(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    asker, answerer, moderator = make_user(), make_user(), make_user(role="moderator")
    question_id, answer_id = seed(app, asker, answerer)
    missing = judge(app, token_for(moderator), answer_id, "inaccurate")
    assert missing.status_code == 422 and "note" in missing.get_json()["error"]["fields"]
    bad = judge(app, token_for(moderator), answer_id, "great")
    assert bad.status_code == 422 and "verdict" in bad.get_json()["error"]["fields"]
    assert (
        judge(app, token_for(moderator), answer_id, "inaccurate", "That menu moved in 5.2.").status_code
        == 200
    )
    page = page_for(app, make_user(), question_id)
    assert "Marked inaccurate" in page and "That menu moved in 5.2." in page


@pytest.mark.parametrize("whose", ["own_answer", "own_question"])
def test_nobody_judges_their_own_answer_or_an_answer_to_their_question(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]], whose: str
) -> None:
    """403 with the reason as the code, nothing changes, and the page offers no Accuracy button."""
    advocate, other = make_user("advo", role="advocate"), make_user()
    asker, answerer = (other, advocate) if whose == "own_answer" else (advocate, other)
    question_id, answer_id = seed(app, asker, answerer)
    for verdict in ("verified", "inaccurate", "cleared"):
        response = judge(app, token_for(advocate), answer_id, verdict, "note")
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == whose
    with app.app_context():
        assert db.session.get_one(Answer, answer_id).accuracy is None
    page = page_for(app, advocate, question_id)
    assert f"/advocate/answers/{answer_id}/accuracy" not in page
    html = app.test_client()
    html.post("/login", data={"username": advocate.username, "password": PASSWORD})
    assert (
        html.post(f"/advocate/answers/{answer_id}/accuracy", data={"verdict": "verified"}).status_code == 403
    )
    # Another advocate does get the button.
    assert f"/advocate/answers/{answer_id}/accuracy" in page_for(app, make_user(role="advocate"), question_id)


def test_members_cannot_judge_and_never_see_the_button(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    question_id, answer_id = seed(app, make_user(), make_user())
    member = make_user()
    assert judge(app, token_for(member), answer_id, "verified").status_code == 403
    assert "/accuracy" not in page_for(app, member, question_id)


def test_history_is_kept_and_clearing_removes_the_mark(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    question_id, answer_id = seed(app, make_user(), make_user())
    first, second = make_user("first", role="advocate"), make_user("second", role="advocate")
    judge(app, token_for(first), answer_id, "verified", "ok")
    judge(app, token_for(second), answer_id, "inaccurate", "Outdated")
    cleared = judge(app, token_for(first), answer_id, "cleared")
    assert cleared.get_json()["accuracy"] is None and cleared.get_json()["by"] is None
    with app.app_context():
        history = [
            (v.verdict, v.actor_id, v.note)
            for v in db.session.scalars(select(AccuracyVerdict).order_by(AccuracyVerdict.id))
        ]
    assert history == [
        ("verified", first.id, "ok"),
        ("inaccurate", second.id, "Outdated"),
        ("cleared", first.id, ""),
    ]
    page = page_for(app, make_user(role="advocate"), question_id)
    assert "Earlier verdicts" in page and "Inaccurate by second" in page


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "MODERATION_VERIFICATION_EXPIRY_DAYS": 30}


def test_an_old_verification_needs_a_recheck(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]], auth: Any
) -> None:
    """After MODERATION_VERIFICATION_EXPIRY_DAYS the thread says "needs re-check" and the
    advocates' re-check list shows it; verifying again clears it."""
    question_id, answer_id = seed(app, make_user(), make_user())
    advocate = make_user("checker", role="advocate")
    judge(app, token_for(advocate), answer_id, "verified", "ok")
    assert "needs-recheck" not in page_for(app, None, question_id)
    with app.app_context():
        db.session.get_one(Answer, answer_id).accuracy_at = utcnow() - timedelta(days=31)
        db.session.commit()
    assert 'data-testid="needs-recheck"' in page_for(app, None, question_id)
    assert app.test_client().get(f"/api/v1/questions/{question_id}").status_code == 200
    state = judge(app, token_for(make_user(role="moderator")), answer_id, "verified", "Still right")
    assert state.get_json()["needs_recheck"] is False
    with app.app_context():
        db.session.get_one(Answer, answer_id).accuracy_at = utcnow() - timedelta(days=45)
        db.session.commit()
    auth.login_as("advocate")
    recheck = auth._client.get("/advocate/recheck").get_data(as_text=True)
    assert f"#answer-{answer_id}" in recheck


def test_hidden_answers_cannot_be_judged(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    _question_id, answer_id = seed(app, make_user(), make_user())
    with app.app_context():
        services.set_visibility(db.session.get_one(Answer, answer_id), hidden=True)
        db.session.commit()
    assert judge(app, token_for(make_user(role="advocate")), answer_id, "verified").status_code == 404
    assert judge(app, token_for(make_user(role="advocate")), 999_999, "verified").status_code == 404
    with app.app_context():
        assert db.session.get_one(Question, _question_id).answer_count == 0
