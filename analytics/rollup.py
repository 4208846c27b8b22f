"""Daily roll-ups: the deflection inputs of each UTC day, so a year reads in milliseconds.

For each day: a (visitor, day) pair is a self-service visit when the visitor read at least
one answered thread that day and sent no support request that day. It is credited to the
first answered thread read that day (and that thread's category), so threads and
categories partition the visits and add up to the total.

A day is rolled up once it is closed (``ANALYTICS_ROLLUP_GRACE_SECONDS`` after its end,
so requests in flight at midnight are in). Today, and a day still in its grace period,
is computed from the events on every read, so the dashboard is right the moment events
arrive. A late change to a closed day (a survey answer replaced on a later day) marks the
day stale; the next read or ``flask --app wsgi analytics rollup`` computes it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, g, has_request_context
from sqlalchemy import Select, and_, case, delete, exists, func, insert, select, text, update

from analytics.models import (
    NO_CATEGORY,
    DeflectionDay,
    RollupDay,
    SupportRequest,
    SurveyAnswer,
    ThreadDay,
    ThreadView,
)
from forum.database import mark_write_intent, reset_write_intent, utcnow
from forum.extensions import db

CHUNK_DAYS = 31
_PG_LOCK_KEY = 6_2024_0004  # serializes roll-up writers on PostgreSQL


@dataclass(frozen=True)
class DayRow:
    """The inputs of one day and one category (``NO_CATEGORY`` for support requests without one)."""

    day: date
    category_key: int
    self_service_visits: int = 0
    escalations: int = 0
    survey_responses: int = 0
    survey_deflecting: int = 0


@dataclass(frozen=True)
class ThreadRow:
    day: date
    question_id: int
    category_id: int
    self_service_visits: int = 0
    support_requests: int = 0


def grace() -> timedelta:
    return timedelta(seconds=float(current_app.config["ANALYTICS_ROLLUP_GRACE_SECONDS"]))


def first_open_day(now: datetime) -> date:
    """The first day that is not closed yet at ``now`` (today, or yesterday during the grace)."""
    return (now - grace()).date()


def compute_days(first: date, last: date) -> tuple[list[DayRow], list[ThreadRow]]:
    """Compute the roll-up rows of the days ``first``..``last`` (inclusive) from the events."""
    if db.engine.dialect.name == "postgresql":
        # The planner's cost for a day of views crosses the JIT threshold, and compiling the
        # query takes longer than running it: off for this transaction only.
        db.session.execute(text("SET LOCAL jit = off"))
    cells: dict[tuple[date, int], dict[str, int]] = {}
    threads: dict[tuple[date, int], dict[str, int]] = {}

    def cell(day: date, key: int) -> dict[str, int]:
        return cells.setdefault((day, key), {})

    def thread(day: date, question_id: int, category_id: int) -> dict[str, int]:
        return threads.setdefault((day, question_id), {"category_id": category_id})

    for day, category_id, question_id, visits in db.session.execute(_self_service_visits(first, last)):
        counts = cell(day, category_id)
        counts["self_service_visits"] = counts.get("self_service_visits", 0) + visits
        thread(day, question_id, category_id)["self_service_visits"] = visits
    in_range = SupportRequest.day.between(first, last)
    escalations = (
        select(SupportRequest.day, SupportRequest.category_id, SupportRequest.question_id, func.count())
        .where(in_range, SupportRequest.counted.is_(True))
        .group_by(SupportRequest.day, SupportRequest.category_id, SupportRequest.question_id)
    )
    for day, request_category, request_question, count in db.session.execute(escalations):
        counts = cell(day, request_category or NO_CATEGORY)
        counts["escalations"] = counts.get("escalations", 0) + count
        if request_question is not None:
            entry = thread(day, request_question, request_category or NO_CATEGORY)
            entry["support_requests"] = entry.get("support_requests", 0) + count
    deflecting = and_(SurveyAnswer.solved.is_(True), SurveyAnswer.would_have_contacted.is_(True))
    survey = (
        select(
            SurveyAnswer.day, SurveyAnswer.category_id, func.count(), func.sum(case((deflecting, 1), else_=0))
        )
        .where(SurveyAnswer.day.between(first, last))
        .group_by(SurveyAnswer.day, SurveyAnswer.category_id)
    )
    for day, category_id, responses, deflecting_count in db.session.execute(survey):
        counts = cell(day, category_id)
        counts["survey_responses"] = responses
        counts["survey_deflecting"] = int(deflecting_count or 0)
    day_rows = [DayRow(day, key, **counts) for (day, key), counts in sorted(cells.items())]
    thread_rows = [
        ThreadRow(day, question_id, **entry) for (day, question_id), entry in sorted(threads.items())
    ]
    return day_rows, thread_rows


def _self_service_visits(first: date, last: date) -> Select[date, int, int, int]:
    """(day, category, thread, visits): each visitor-day's first answered thread, unless
    the visitor sent a support request that day."""
    # One day (the live case) as an equality, so the covering index is searched, not ranged.
    days = ThreadView.day == first if first == last else ThreadView.day.between(first, last)
    firsts = (
        select(ThreadView.day, ThreadView.visitor_key, func.min(ThreadView.id).label("first_id"))
        .where(days, ThreadView.answered.is_(True))
        .group_by(ThreadView.day, ThreadView.visitor_key)
        .subquery()
    )
    escalated = exists().where(
        SupportRequest.day == firsts.c.day, SupportRequest.visitor_key == firsts.c.visitor_key
    )
    return (
        select(ThreadView.day, ThreadView.category_id, ThreadView.question_id, func.count())
        .join(firsts, ThreadView.id == firsts.c.first_id)
        .where(~escalated)
        .group_by(ThreadView.day, ThreadView.category_id, ThreadView.question_id)
    )


def days_needing_rollup(start: date, end: date, now: datetime) -> list[date]:
    """Closed days in ``[start, end)`` whose stored roll-up is missing or stale."""
    closed_end = min(end, first_open_day(now))
    if closed_end <= start:
        return []
    # Only closed days are ever stored, so a stored day that is not stale is final.
    fresh = set(
        db.session.scalars(
            select(RollupDay.day).where(
                RollupDay.day >= start, RollupDay.day < closed_end, RollupDay.stale.is_(False)
            )
        )
    )
    return [day for day in _days(start, closed_end) if day not in fresh]


def store_days(
    days: Sequence[date], now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Compute and store the roll-ups of ``days`` in the current (write) transaction; returns
    how many days were stored. The caller declares write intent and commits."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    now = now or utcnow()
    stored = 0
    for first, last in _chunks(sorted(set(days))):
        day_rows, thread_rows = compute_days(first, last)
        db.session.execute(delete(DeflectionDay).where(DeflectionDay.day.between(first, last)))
        db.session.execute(delete(ThreadDay).where(ThreadDay.day.between(first, last)))
        db.session.execute(delete(RollupDay).where(RollupDay.day.between(first, last)))
        if day_rows:
            db.session.execute(insert(DeflectionDay), [vars(row) for row in day_rows])
        if thread_rows:
            db.session.execute(insert(ThreadDay), [vars(row) for row in thread_rows])
        chunk_days = list(_days(first, last + timedelta(days=1)))
        db.session.execute(
            insert(RollupDay),
            [{"day": day, "computed_at": now, "stale": False} for day in chunk_days],
        )
        stored += len(chunk_days)
        if progress:
            progress(len(chunk_days))
    return stored


def ensure_rollups(start: date, end: date, now: datetime) -> int:
    """Store the missing roll-ups of ``[start, end)`` in a short write transaction of their own
    (ending the caller's read transaction first); returns how many days were computed."""
    missing = days_needing_rollup(start, end, now)
    if not missing:
        return 0
    db.session.commit()
    mark_write_intent()
    try:
        stored = store_days(days_needing_rollup(start, end, now), now)
        db.session.commit()
    finally:
        reset_write_intent()
    return stored


def mark_days_stale(days: Iterable[date]) -> None:
    """Flag stored roll-ups of ``days`` for recomputation (flushes with the caller's transaction)."""
    wanted = sorted(set(days))
    if wanted:
        db.session.execute(update(RollupDay).where(RollupDay.day.in_(wanted)).values(stale=True))


def daily_rows(start: date, end: date, now: datetime, category_id: int | None = None) -> list[DayRow]:
    """The roll-up rows of ``[start, end)``: stored ones for closed days (computed first when
    missing), live ones for the days still open. Filtered to ``category_id`` when given."""
    ensure_rollups(start, end, now)
    closed_end = max(start, min(end, first_open_day(now)))
    columns = DeflectionDay.__table__.c  # plain rows, no ORM objects: a year is 1,500 rows or so
    query = select(
        columns.day,
        columns.category_key,
        columns.self_service_visits,
        columns.escalations,
        columns.survey_responses,
        columns.survey_deflecting,
    ).where(columns.day >= start, columns.day < closed_end)
    if category_id is not None:
        query = query.where(columns.category_key == category_id)
    rows = [DayRow(*row) for row in db.session.execute(query.order_by(columns.day, columns.category_key))]
    live_end = min(end, now.date() + timedelta(days=1))
    if closed_end < live_end:
        live, _ = _live_days(closed_end, live_end - timedelta(days=1))
        rows += [row for row in live if category_id is None or row.category_key == category_id]
    return rows


def _live_days(first: date, last: date) -> tuple[list[DayRow], list[ThreadRow]]:
    """``compute_days`` for open days, once per request (the dashboard asks several times)."""
    if not has_request_context():
        return compute_days(first, last)
    cache = g.setdefault("analytics_live_days", {})
    if (first, last) not in cache:
        cache[(first, last)] = compute_days(first, last)
    return cache[(first, last)]


def thread_rows(start: date, end: date, now: datetime) -> list[ThreadRow]:
    """Live thread rows of the open days in ``[start, end)`` (stored ones are read by queries)."""
    closed_end = max(start, min(end, first_open_day(now)))
    live_end = min(end, now.date() + timedelta(days=1))
    if closed_end >= live_end:
        return []
    return _live_days(closed_end, live_end - timedelta(days=1))[1]


def refresh_rollups(
    start: date, end: date, now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Recompute and store every closed day in ``[start, end)`` (``flask analytics rollup``)."""
    now = now or utcnow()
    closed_end = min(end, first_open_day(now))
    days = list(_days(start, closed_end))
    if not days:
        return 0
    mark_write_intent()
    stored = store_days(days, now, progress)
    db.session.commit()
    return stored


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)


def _chunks(days: Sequence[date]) -> Iterable[tuple[date, date]]:
    """Runs of consecutive days, at most ``CHUNK_DAYS`` long, as (first, last) pairs."""
    run: list[date] = []
    for day in days:
        if run and (day - run[-1] != timedelta(days=1) or len(run) == CHUNK_DAYS):
            yield run[0], run[-1]
            run = []
        run.append(day)
    if run:
        yield run[0], run[-1]
