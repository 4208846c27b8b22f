"""Which survey step a thread page shows, and that it costs a lookup only for browsers that
answered a survey (the ``pd_survey`` cookie) and for members."""

from __future__ import annotations

import pytest

from forum.extensions import db
from tests.support import QueryCounter
from tests.test_analytics_support import BROWSER_UA, make_thread, thread_path

HEADERS = {"User-Agent": BROWSER_UA}


@pytest.fixture
def thread(app, make_user) -> int:
    author = make_user("writer", role="advocate")
    return make_thread(app, author, "How do I export a board to CSV with all fields?", "product", "accepted")


def shown_step(page: str) -> str:
    """The survey step the page shows without JavaScript (the others are hidden)."""
    steps = [step for step in ("ask", "contact", "thanks", "sorry") if f'data-step="{step}">' in page]
    assert len(steps) == 1, steps
    return steps[0]


def survey_lookups(app, client, question_id: int) -> tuple[str, int]:
    """The step a thread page shows, and how many of its queries read survey answers."""
    with app.app_context(), QueryCounter(db.engine) as queries:
        page = client.get(thread_path(app, question_id), headers=HEADERS).get_data(as_text=True)
    return shown_step(page), sum("survey_answers" in statement for statement in queries.statements)


def test_a_visitor_who_never_answered_is_not_looked_up(app, client, thread):
    client.set_cookie("pd_vid", "reader-who-never-answers-01")
    assert survey_lookups(app, client, thread) == ("ask", 0)


def test_an_answer_through_the_api_marks_the_browser_and_its_step_is_shown(app, client, thread):
    client.set_cookie("pd_vid", "reader-who-answers-inline-01")
    response = client.post(
        "/api/v1/feedback",
        json={"question_id": thread, "solved": True, "would_have_contacted": True},
        headers=HEADERS,
    )
    assert response.status_code == 201
    assert client.get_cookie("pd_survey").value == "1"
    assert survey_lookups(app, client, thread) == ("thanks", 1)


def test_an_answer_through_the_form_marks_the_browser_too(app, client, thread):
    client.set_cookie("pd_vid", "reader-without-javascript-01")
    response = client.post(f"/questions/{thread}/survey", data={"solved": "no"}, headers=HEADERS)
    assert response.status_code == 302
    assert client.get_cookie("pd_survey").value == "1"
    assert survey_lookups(app, client, thread) == ("sorry", 1)


def test_a_member_is_always_looked_up_as_they_may_have_answered_elsewhere(app, client, auth, thread):
    auth.login_as("member")
    answered = client.post(f"/questions/{thread}/survey", data={"solved": "no"}, headers=HEADERS)
    assert answered.status_code == 302
    assert client.get_cookie("pd_survey") is None  # a member is known by id, not by browser
    assert survey_lookups(app, client, thread) == ("sorry", 1)
