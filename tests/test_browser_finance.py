"""In a real browser: finance changes the period and sees the chart and the figures change,
downloads the CSV, and a visitor answers the survey inline."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from analytics.models import SurveyAnswer
from forum.database import utcnow
from forum.extensions import db
from forum.questions.models import Question
from tests.conftest import PASSWORD
from tests.test_analytics_support import add_answer, add_request, add_view, make_thread, thread_path

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "ANALYTICS_COUNT_HEADLESS": True}  # the test browser is HeadlessChrome


@pytest.fixture
def history(app, make_user) -> int:
    """100 days of activity, busier in the last 30, on one answered thread."""
    question_id = make_thread(
        app, make_user("writer", role="advocate"), "Refund for a duplicate charge", "billing", "accepted"
    )
    today = utcnow().date()
    with app.app_context():
        question = db.session.get_one(Question, question_id)
        for back in range(100):
            day = today - timedelta(days=back)
            for n in range(6 if back < 30 else 3):
                add_view(day, question, f"v:{back}-{n}", True)
                if n < 2:
                    add_answer(day, question, f"v:{back}-{n}", True, n == 0)
            if back % 4 == 0:
                add_request(day, f"v:{back}-5", question)
        db.session.commit()
    return question_id


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".site-header").get_by_text(username)).to_be_visible()


def money(text: str) -> Decimal:
    return Decimal(text.split()[0].replace(",", ""))


def test_finance_changes_the_period_and_downloads_the_csv(page, make_user, history, tmp_path):
    make_user("ledger", role="finance")
    sign_in(page, "ledger")
    page.get_by_role("link", name="Deflection").click()
    expect(page.get_by_role("heading", name="Deflection and savings")).to_be_visible()
    savings_30 = money(page.get_by_test_id("savings").inner_text())
    bars_30 = page.locator("[data-testid=weekly-chart] rect.chart-bar").count()
    visits_30 = page.get_by_test_id("visits").inner_text()
    assert savings_30 > 0 and 5 <= bars_30 <= 6
    assert visits_30 == "172"  # 30 days x 6 visitors, less the 8 who asked support that day

    page.get_by_role("navigation", name="Period").get_by_role("link", name="Quarter").click()
    assert "90 days" in page.get_by_test_id("period-label").inner_text()
    savings_90 = money(page.get_by_test_id("savings").inner_text())
    bars_90 = page.locator("[data-testid=weekly-chart] rect.chart-bar").count()
    assert savings_90 > savings_30
    assert bars_90 >= 13
    assert page.get_by_test_id("visits").inner_text() == "352"  # 172 + 60 earlier days x 3 visitors

    today = utcnow().date()
    page.get_by_label("From").fill((today - timedelta(days=13)).isoformat())
    page.get_by_label("Through").fill(today.isoformat())
    page.get_by_role("button", name="Apply").click()
    assert "14 days" in page.get_by_test_id("period-label").inner_text()
    assert page.get_by_test_id("visits").inner_text() == "80"  # 14 days x 6 visitors, less 4
    savings_14 = page.get_by_test_id("savings").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = tmp_path / "deflection.csv"
    download_info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert len(rows) == 14 and rows[-1]["date"] == today.isoformat()
    assert sum(Decimal(row["estimated_savings"]) for row in rows) == money(savings_14)


def test_a_visitor_answers_the_survey_inline(page, app, history):
    page.goto(thread_path(app, history))
    address = page.url
    survey = page.locator("#survey")
    survey.get_by_role("button", name="Yes").first.click()
    expect(survey.get_by_text("Would you have contacted support otherwise?")).to_be_visible()
    survey.locator("[data-step=contact]").get_by_role("button", name="Yes").click()
    expect(survey.get_by_text("Thanks for telling us.")).to_be_visible()
    assert page.url == address  # no reload: it went through the JSON API
    with app.app_context():
        browser_visitor = func.length(SurveyAnswer.visitor_key) > 20  # the fixture's visitors have short ids
        answers = db.session.scalars(select(SurveyAnswer).where(browser_visitor))
        assert [(a.solved, a.would_have_contacted) for a in answers] == [(True, True)]
    page.get_by_role("link", name="Contact support").click()
    assert re.search(r"/support\?question_id=\d+", page.url)
    assert page.get_by_label("Subject").input_value() == "Help with: Refund for a duplicate charge"
