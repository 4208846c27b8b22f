"""Event capture through the real pages and API: the visitor cookie, bots, staff, thread
views, survey answers (forms and JSON) and support requests."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from analytics.models import SupportRequest, SurveyAnswer, ThreadView
from forum.extensions import db
from forum.questions.models import Question
from tests.test_analytics_support import BOT_UA, BROWSER_UA, make_thread, thread_path

HEADLESS_UA = BROWSER_UA.replace("Chrome/", "HeadlessChrome/")


@pytest.fixture
def threads(app, make_user) -> dict[str, int]:
    author = make_user("writer", role="advocate")
    return {
        "accepted": make_thread(
            app, author, "How do I export a board to CSV with all fields?", "product", "accepted"
        ),
        "verified": make_thread(
            app, author, "Single sign-on fails with a clock skew error", "technical", "verified"
        ),
        "open": make_thread(app, author, "Can the mobile app work fully offline someday?", "product", None),
    }


def visit(client, question_id: int, user_agent: str = BROWSER_UA) -> Any:
    """GET a thread and close the response, which runs the work done after a response."""
    path = thread_path(client.application, question_id)
    response = client.get(path, headers={"User-Agent": user_agent})
    response.close()
    assert response.status_code == 200
    return response


def visitor_cookies(response: Any) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("pd_vid=")]


def stored(app, model: Any) -> list[Any]:
    with app.app_context():
        return list(db.session.scalars(select(model).order_by(model.id)))


def view_count(app, question_id: int) -> int:
    with app.app_context():
        return db.session.get_one(Question, question_id).view_count


def test_a_first_visit_gets_a_cookie_and_counts_only_once_it_comes_back(app, client, threads):
    first = visit(client, threads["accepted"])
    (cookie,) = visitor_cookies(first)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    assert stored(app, ThreadView) == []  # no cookie came with the request: not counted yet
    assert view_count(app, threads["accepted"]) == 1  # but it is a view of the page
    second = visit(client, threads["accepted"])
    assert visitor_cookies(second) == []
    views = stored(app, ThreadView)
    visitor_id = client.get_cookie("pd_vid").value
    assert [(v.question_id, v.visitor_key, v.answered) for v in views] == [
        (threads["accepted"], f"v:{visitor_id}", True)
    ]
    assert view_count(app, threads["accepted"]) == 2


def test_answered_means_accepted_or_verified_at_view_time(app, client, threads):
    visit(client, threads["open"])  # sets the cookie
    for key in ("open", "verified", "accepted"):
        visit(client, threads[key])
    answered = {v.question_id: v.answered for v in stored(app, ThreadView)}
    assert answered == {threads["open"]: False, threads["verified"]: True, threads["accepted"]: True}


def test_bots_are_never_counted_nor_given_a_cookie(app, client, threads):
    for _ in range(3):
        response = visit(client, threads["accepted"], BOT_UA)
        assert visitor_cookies(response) == []
    client.set_cookie("pd_vid", "a-made-up-visitor-id-1234")  # a bot that sends a cookie anyway
    visit(client, threads["accepted"], BOT_UA)
    assert stored(app, ThreadView) == []
    assert view_count(app, threads["accepted"]) == 0


def test_headless_browsers_count_only_when_configured(app, client, threads):
    client.set_cookie("pd_vid", "headless-visitor-id-123456")
    visit(client, threads["accepted"], HEADLESS_UA)
    assert stored(app, ThreadView) == []
    app.config["ANALYTICS_COUNT_HEADLESS"] = True
    visit(client, threads["accepted"], HEADLESS_UA)
    assert [v.visitor_key for v in stored(app, ThreadView)] == ["v:headless-visitor-id-123456"]


def test_members_count_by_member_id_and_staff_not_at_all(app, client, auth, threads):
    member = auth.login_as("member")
    visit(client, threads["verified"])
    auth.logout()
    auth.login_as("moderator")
    visit(client, threads["verified"])
    assert [v.visitor_key for v in stored(app, ThreadView)] == [f"m:{member.id}"]


def test_survey_without_javascript_two_steps_then_a_change_replaces_it(app, client, threads):
    qid = threads["accepted"]
    visit(client, qid)
    page = client.get(thread_path(app, qid)).get_data(as_text=True)
    assert "Did this solve your problem?" in page and "Contact support" in page
    step = client.post(f"/questions/{qid}/survey", data={"solved": "yes"})
    assert step.status_code == 302 and "survey=contact" in step.headers["Location"]
    follow = client.get(step.headers["Location"]).get_data(as_text=True)
    assert "Would you have contacted support otherwise?" in follow
    client.post(f"/questions/{qid}/survey", data={"solved": "yes", "contacted": "yes"})
    answers = stored(app, SurveyAnswer)
    assert [(a.solved, a.would_have_contacted, a.is_deflecting) for a in answers] == [(True, True, True)]
    client.post(f"/questions/{qid}/survey", data={"solved": "no"})  # the visitor changes their mind
    answers = stored(app, SurveyAnswer)
    assert [(a.solved, a.would_have_contacted) for a in answers] == [(False, None)]


def test_the_survey_is_only_on_answered_threads_but_support_is_everywhere(client, threads):
    page = client.get(f"/questions/{threads['open']}", follow_redirects=True).get_data(as_text=True)
    assert "Did this solve your problem?" not in page
    assert f'href="/support?question_id={threads["open"]}"' in page
    refused = client.post("/api/v1/feedback", json={"question_id": threads["open"], "solved": True})
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "thread_not_answered"


def test_api_feedback_counts_a_visitor_once_and_never_a_bot(app, client, threads):
    qid = threads["verified"]
    client.set_cookie("pd_vid", "visitor-who-answers-twice")
    headers = {"User-Agent": BROWSER_UA}
    first = client.post(
        "/api/v1/feedback",
        json={"question_id": qid, "solved": True, "would_have_contacted": None},
        headers=headers,
    )
    assert first.status_code == 201 and first.get_json()["counted"] is True
    second = client.post(
        "/api/v1/feedback",
        json={"question_id": qid, "solved": True, "would_have_contacted": True},
        headers=headers,
    )
    assert second.status_code == 200 and second.get_json()["replaced"] is True
    bot = client.post(
        "/api/v1/feedback",
        json={"question_id": qid, "solved": True, "would_have_contacted": True},
        headers={"User-Agent": BOT_UA},
    )
    assert bot.status_code == 200 and bot.get_json()["counted"] is False
    client.delete_cookie("pd_vid")
    cookieless = client.post("/api/v1/feedback", json={"question_id": qid, "solved": False}, headers=headers)
    assert cookieless.get_json()["counted"] is False
    answers = stored(app, SurveyAnswer)
    assert [(a.visitor_key, a.is_deflecting) for a in answers] == [("v:visitor-who-answers-twice", True)]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"question_id": 1, "solved": False, "would_have_contacted": True}, "would_have_contacted"),
        ({"question_id": 1}, "solved"),
        ({"question_id": "1", "solved": True}, "question_id"),
        ({"question_id": 1, "solved": "yes"}, "solved"),
    ],
)
def test_api_feedback_rejects_bad_input_by_field(client, threads, payload, field):
    payload = (
        {**payload, "question_id": threads["accepted"]}
        if isinstance(payload["question_id"], int)
        else payload
    )
    response = client.post("/api/v1/feedback", json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_api_feedback_on_an_unknown_thread_is_404(client, threads):
    response = client.post("/api/v1/feedback", json={"question_id": 999_999, "solved": True})
    assert response.status_code == 404


def test_support_form_prefills_the_thread_and_confirms_with_a_reference(app, client, threads):
    qid = threads["verified"]
    visit(client, qid)
    form = client.get(f"/support?question_id={qid}").get_data(as_text=True)
    assert "Help with: Single sign-on fails with a clock skew error" in form
    bad = client.post("/support", data={"email": "nope", "subject": "", "body": "", "question_id": str(qid)})
    assert bad.status_code == 422
    sent = client.post(
        "/support",
        data={
            "email": "dana@example.com",
            "subject": "SSO still fails",
            "body": "Clock is right.",
            "question_id": str(qid),
        },
    )
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    (request,) = stored(app, SupportRequest)
    assert request.reference in page and "dana@example.com" in page
    assert (request.question_id, request.counted, request.delivery_status) == (qid, True, "not_configured")
    assert request.visitor_key == f"v:{client.get_cookie('pd_vid').value}"
    other = app.test_client()
    assert other.get(sent.headers["Location"]).status_code == 404  # the confirmation is private


def test_support_link_on_search_results(client, threads):
    page = client.get("/search?q=export+board").get_data(as_text=True)
    assert "Still need help?" in page and 'href="/support?q=export+board"' in page


def test_api_support_request_is_stored_and_described(app, client, threads):
    response = client.post(
        "/api/v1/support-requests",
        json={
            "email": "ops@example.com",
            "subject": "Export stuck",
            "body": "Since Monday.",
            "question_id": threads["accepted"],
        },
        headers={"User-Agent": "AcmeWidget/2.0"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["reference"].startswith("SR-") and body["category"] == "product"
    assert body["delivery_status"] == "not_configured"
    invalid = client.post("/api/v1/support-requests", json={"email": "x", "subject": "", "body": "b"})
    assert invalid.status_code == 422
    assert set(invalid.get_json()["error"]["fields"]) == {"email", "subject"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupportRequest)) == 1
