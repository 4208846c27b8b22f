"""Benchmark: the deflection report over a year with 10 million thread views (target: the
report answers in at most 300 ms), plus the cost of capturing one view.

``python -m tests.bench.deflection_bench [DATABASE_URL]`` (a fresh temporary SQLite file by
default). The database must be empty or disposable: the benchmark fills it. Events are
generated inside the database with set-based SQL (a recursive CTE on SQLite,
``generate_series`` on PostgreSQL); the closed days are then rolled up once, as the nightly
``flask --app wsgi analytics rollup`` (or the first dashboard read) would, and today stays
live, computed from its raw events on every read, as in production.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

VIEWS = 10_000_000
DAYS = 365
THREADS = 2_000
SURVEY_ANSWERS = 150_000
REQUESTS_PER_DAY = 20
CHUNK = 1_000_000
RUNS = 15
BENCH_PASSWORD = "bench-password-not-secret"

_SQLITE_VIEWS = """
WITH RECURSIVE seq(n) AS (SELECT :lo UNION ALL SELECT n + 1 FROM seq WHERE n < :hi - 1)
INSERT INTO thread_views (question_id, category_id, visitor_key, answered, day, viewed_at)
SELECT q.id, q.category_id,
       'v:' || ((n * 7919) % 10000 + ((n * :days / :total) % 30) * 10000),
       (n % 10) < 7,
       date(:start, '+' || (n * :days / :total) || ' days'),
       datetime(:start, '+' || (n * :days / :total) || ' days', '+' || (n % 86000) || ' seconds')
FROM seq JOIN questions q ON q.id = :base + (n * 31) % :threads
"""
_PG_VIEWS = """
INSERT INTO thread_views (question_id, category_id, visitor_key, answered, day, viewed_at)
SELECT q.id, q.category_id,
       'v:' || ((n * 7919) % 10000 + ((n * :days / :total) % 30) * 10000),
       (n % 10) < 7,
       CAST(:start AS date) + CAST(n * :days / :total AS integer),
       CAST(:start AS timestamptz) + make_interval(days => CAST(n * :days / :total AS integer), secs => n % 86000)
FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint) - 1) AS n JOIN questions q ON q.id = :base + (n * 31) % :threads
"""
_SQLITE_SEQ = "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < :count - 1) "
_PG_SEQ = "FROM generate_series(0, :count - 1) AS n "
_SURVEY = """
INSERT INTO survey_answers (question_id, category_id, visitor_key, solved, would_have_contacted, day, answered_at)
SELECT q.id, q.category_id, 'v:s' || n, (n % 10) < 7, CASE WHEN (n % 10) < 7 THEN (n % 10) < 4 END, {day}, {moment}
{source} JOIN questions q ON q.id = :base + n % :threads
"""
_REQUESTS = """
INSERT INTO support_requests (reference, email, subject, body, question_id, category_id, visitor_key, counted,
    source, day, created_at, delivery_status, delivery_attempts)
SELECT 'SR-B' || n, 'bench@example.com', 'Bench', 'Bench request', q.id, q.category_id,
       'v:' || ((n * 7919) % 10000), {true}, 'web', {day}, {moment}, 'not_configured', 0
{source} JOIN questions q ON q.id = :base + (n * 17) % :threads
"""


def _fill(app: Any, views: int, progress: bool = True) -> dict[str, float]:
    from forum.accounts.models import User
    from forum.database import mark_write_intent, utcnow
    from forum.extensions import db
    from forum.questions.models import Question

    timings: dict[str, float] = {}
    start = utcnow().date() - timedelta(days=DAYS - 1)
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        mark_write_intent()
        author = User(username="bench", username_key="bench", email="bench@example.com", password_hash="-")
        db.session.add(author)
        db.session.flush()
        now = utcnow()
        db.session.execute(
            insert(Question),
            [
                {"title": f"Bench thread {n}", "body": "b", "body_html": "<p>b</p>", "category_id": 1 + n % 4,
                 "author_id": author.id, "created_at": now, "updated_at": now, "last_activity_at": now}
                for n in range(THREADS)
            ],
        )  # fmt: skip
        base = db.session.scalar(text("SELECT min(id) FROM questions"))
        db.session.commit()
        began = time.perf_counter()
        for lo in range(0, views, CHUNK):
            mark_write_intent()
            params = {"lo": lo, "hi": min(lo + CHUNK, views), "days": DAYS, "total": views, "base": base,
                      "threads": THREADS, "start": start.isoformat()}  # fmt: skip
            db.session.execute(text(_SQLITE_VIEWS if sqlite else _PG_VIEWS), params)
            db.session.commit()
            if progress:
                print(f"  views: {min(lo + CHUNK, views):,} ({time.perf_counter() - began:.0f}s)", flush=True)
        timings["generate_views_s"] = time.perf_counter() - began
        day = (
            "date(:start, '+' || (n % :days) || ' days')"
            if sqlite
            else "CAST(:start AS date) + CAST(n % :days AS integer)"
        )
        moment = (
            "datetime(:start, '+' || (n % :days) || ' days', '+3600 seconds')"
            if sqlite
            else "CAST(:start AS timestamptz) + make_interval(days => CAST(n % :days AS integer), secs => 3600)"
        )
        for template, count in ((_SURVEY, SURVEY_ANSWERS), (_REQUESTS, REQUESTS_PER_DAY * DAYS)):
            mark_write_intent()
            sql = template.format(
                day=day,
                moment=moment,
                source="FROM seq" if sqlite else _PG_SEQ,
                true="1" if sqlite else "true",
            )
            params = {
                "count": count,
                "days": DAYS,
                "base": base,
                "threads": THREADS,
                "start": start.isoformat(),
            }
            db.session.execute(text((_SQLITE_SEQ if sqlite else "") + sql), params)
            db.session.commit()
        if not sqlite:  # what autovacuum does soon after a bulk load: statistics, visibility map
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
    return timings


def _median_ms(call: Any, runs: int = RUNS) -> tuple[float, float]:
    """(first, median) wall time of ``call`` in milliseconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times[0], statistics.median(times)


def run_deflection_bench(database_url: str, views: int = VIEWS, progress: bool = True) -> dict[str, Any]:
    """Fill ``database_url`` with a year of events, roll it up, and time the report.

    Returns (and prints) the figures: event counts, generation and roll-up times, the
    report API's first and median times for the year, the dashboard's, and the time a
    visitor waits for a thread page with and without view capture.
    """
    from analytics.rollup import refresh_rollups
    from forum import create_app
    from forum.database import utcnow
    from tests import support

    instance = Path(tempfile.mkdtemp(prefix="peerdesk-bench-"))
    support.migrate_database(database_url)
    config = {"DATABASE_URL": database_url, "SECRET_KEY": "bench", "TESTING": True, "INSTANCE_PATH": str(instance),
              "SEARCH_INDEX": str(instance / "index"), "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}  # fmt: skip
    app = create_app(config)
    figures: dict[str, Any] = {
        "database": app.config["DATABASE_URL"].split(":")[0],
        "views": views,
        "days": DAYS,
    }
    figures |= _fill(app, views, progress)
    today = utcnow().date()
    with app.app_context():
        began = time.perf_counter()
        figures["rolled_up_days"] = refresh_rollups(today - timedelta(days=DAYS), today + timedelta(days=1))
        figures["rollup_s"] = time.perf_counter() - began
    figures |= _time_reads(app, today)
    figures |= _time_capture(app)
    for name, value in figures.items():
        print(f"{name:>32}: {value:,.1f}" if isinstance(value, float) else f"{name:>32}: {value}")
    return figures


def _time_reads(app: Any, today: Any) -> dict[str, Any]:
    from werkzeug.security import generate_password_hash

    from forum.accounts.models import User
    from forum.accounts.services import issue_token
    from forum.extensions import db

    with app.app_context():
        finance = User(
            username="ledger", username_key="ledger", email="l@example.com", role="finance",
            password_hash=generate_password_hash(BENCH_PASSWORD),
        )  # fmt: skip
        db.session.add(finance)
        db.session.flush()
        token = issue_token(finance)
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    first_day, end = today - timedelta(days=DAYS - 1), today + timedelta(days=1)
    url = f"/api/v1/analytics/deflection?from={first_day.isoformat()}&to={end.isoformat()}"
    body = client.get(url, headers=headers).get_json()
    first, median = _median_ms(lambda: client.get(url, headers=headers))
    client.post("/login", data={"username": "ledger", "password": BENCH_PASSWORD})
    dash_first, dash_median = _median_ms(lambda: client.get("/analytics/?period=year"), runs=5)
    return {
        "report_self_service_visits": body["self_service_visits"],
        "report_survey_responses": body["survey_responses"],
        "report_api_first_ms": first,
        "report_api_median_ms": median,
        "dashboard_year_first_ms": dash_first,
        "dashboard_year_median_ms": dash_median,
    }


def _time_capture(app: Any) -> dict[str, float]:
    """A visitor's wait for a thread page with capture (browser) and without (bot), and the
    worker's extra time after the response for the deferred write."""
    from sqlalchemy import select

    from forum.extensions import db
    from forum.questions.models import Question
    from forum.web import slugify
    from tests.test_analytics_support import BOT_UA, BROWSER_UA

    with app.app_context():
        question = db.session.scalars(select(Question).order_by(Question.id).limit(1)).one()
        path = f"/questions/{question.id}/{slugify(question.title)}"
    client = app.test_client()
    client.set_cookie("pd_vid", "bench-visitor-0000000001")

    def page(agent: str) -> tuple[float, float]:
        began = time.perf_counter()
        response = client.get(path, headers={"User-Agent": agent})
        waited = time.perf_counter() - began
        response.close()  # runs the deferred write, as the server does once the page is sent
        return waited * 1000, (time.perf_counter() - began - waited) * 1000

    for agent in (BROWSER_UA, BOT_UA):
        page(agent)  # warm up
    counted = [page(BROWSER_UA) for _ in range(RUNS)]
    bots = [page(BOT_UA) for _ in range(RUNS)]
    return {
        "thread_page_counted_ms": statistics.median(w for w, _ in counted),
        "thread_page_bot_ms": statistics.median(w for w, _ in bots),
        "view_write_after_response_ms": statistics.median(c for _, c in counted),
    }


if __name__ == "__main__":
    url = (
        sys.argv[1]
        if len(sys.argv) > 1
        else f"sqlite:///{tempfile.mkdtemp(prefix='peerdesk-bench-')}/bench.db"
    )
    run_deflection_bench(url)
