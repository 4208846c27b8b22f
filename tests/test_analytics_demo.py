"""The demo's deflection data: 90 days of events and two cost changes, so the dashboard is
alive right after ``make run``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from analytics.demo import DAYS, load_demo_deflection
from analytics.models import CallCost, RollupDay, SupportRequest, ThreadView
from forum.database import utcnow
from forum.extensions import db
from tests.test_analytics_support import make_thread


@contextmanager
def quiet_progress(_label: str, _total: int) -> Iterator[Any]:
    class Bar:
        def update(self, _steps: int) -> None:
            pass

    yield Bar()


def test_demo_fills_ninety_days_and_the_dashboard_shows_them(app, client, auth, make_user):
    author = make_user("writer", role="advocate")
    make_user("admin", role="admin")
    for n, (category, answered) in enumerate(
        [("billing", "accepted"), ("technical", "verified"), ("product", None)]
    ):
        make_thread(app, author, f"Demo thread number {n} about something useful", category, answered)
    with app.app_context():
        long_ago = utcnow() - timedelta(days=200)  # threads and answers older than the demo's 90 days
        db.session.execute(db.update(db.metadata.tables["questions"]).values(created_at=long_ago))
        db.session.execute(
            db.update(db.metadata.tables["answers"]).values(created_at=long_ago, accuracy_at=long_ago)
        )
        counts = load_demo_deflection(utcnow(), seed=7, progress=quiet_progress)
        db.session.commit()
        days = db.session.scalars(select(func.distinct(ThreadView.day))).all()
        rolled = db.session.scalar(select(func.count()).select_from(RollupDay))
        costs = db.session.scalar(select(func.count()).select_from(CallCost))
        requests = db.session.scalar(select(func.count()).select_from(SupportRequest))
    assert (
        counts["thread views"] > 5000 and counts["survey answers"] > 200 and counts["support requests"] > 100
    )
    assert len(days) == DAYS
    assert rolled >= DAYS - 2  # today (and yesterday within its grace) stay live
    assert costs == 2 and requests == counts["support requests"]

    auth.login_as("finance")
    page = client.get("/analytics/?period=quarter").get_data(as_text=True)
    assert "Assumed deflection rate" not in page  # enough survey answers to measure it
    assert 'data-testid="savings">0.00' not in page
    assert page.count('class="chart-bar') >= 13
