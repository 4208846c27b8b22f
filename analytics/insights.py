"""Where the money is: the threads that deflect the most calls, and the topics that most
often end in a support request.

A thread's self-service visits are the visits credited to it by the roll-up (the first
answered thread a visitor read that day), so the threads add up to the report's V; its
estimated deflected calls and savings use the report's rate and each day's cost.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, select

from analytics.costs import CostBook
from analytics.method import CENT
from analytics.models import RollupDay, SupportRequest, SurveyAnswer, ThreadDay
from analytics.report import DeflectionReport
from analytics.rollup import first_open_day, thread_rows
from forum.extensions import db
from forum.questions.models import Category, Question

TOP = 8


@dataclass(frozen=True)
class ThreadLine:
    question_id: int
    title: str
    category: str
    self_service_visits: int
    deflecting_answers: int
    deflected_calls: float
    savings: Decimal
    support_requests: int


@dataclass(frozen=True)
class TopicLine:
    category: str
    support_requests: int
    share: float


@dataclass(frozen=True)
class ThreadTotals:
    """Per thread over a report's period: self-service visits credited, support requests."""

    visits: dict[int, int]
    requests: dict[int, int]


def thread_totals(report: DeflectionReport, now: datetime) -> ThreadTotals:
    """One pass over the thread roll-ups of the period (stored days, plus the open ones live)."""
    period, category = report.period, report.category
    closed_end = max(period.start, min(period.end, first_open_day(now)))
    category_id = None if category is None else category.id
    stored = _stored_thread_totals(period.start, closed_end, category_id)
    visits: dict[int, int] = defaultdict(int, stored.visits)
    requests: dict[int, int] = defaultdict(int, stored.requests)
    for row in thread_rows(period.start, period.end, now):
        if category is None or row.category_id == category.id:
            visits[row.question_id] += row.self_service_visits
            requests[row.question_id] += row.support_requests
    return ThreadTotals({q: n for q, n in visits.items() if n}, {q: n for q, n in requests.items() if n})


def _stored_thread_totals(start: date, end: date, category_id: int | None) -> ThreadTotals:
    """Sums of the stored thread roll-ups of ``[start, end)``, cached in the process.

    A year of a busy forum is hundreds of thousands of thread-days, so the sums are kept
    per period and category, under a fingerprint of the stored days (how many, and when
    the latest was computed): any roll-up computed since changes it, so a cached sum is
    never stale.
    """
    if end <= start:
        return ThreadTotals({}, {})
    fingerprint = db.session.execute(
        select(func.count(), func.max(RollupDay.computed_at)).where(
            RollupDay.day >= start, RollupDay.day < end, RollupDay.stale.is_(False)
        )
    ).one()
    key = (str(db.engine.url), start, end, category_id, fingerprint[0], fingerprint[1])
    if key in _TOTALS_CACHE:
        return _TOTALS_CACHE[key]
    query = (
        select(
            ThreadDay.question_id,
            func.sum(ThreadDay.self_service_visits),
            func.sum(ThreadDay.support_requests),
        )
        .where(ThreadDay.day >= start, ThreadDay.day < end)
        .group_by(ThreadDay.question_id)
    )
    if category_id is not None:
        query = query.where(ThreadDay.category_id == category_id)
    visits, requests = {}, {}
    for qid, visit_count, request_count in db.session.execute(query):
        visits[qid], requests[qid] = int(visit_count or 0), int(request_count or 0)
    totals = ThreadTotals(visits, requests)
    with _TOTALS_LOCK:
        while len(_TOTALS_CACHE) >= _TOTALS_CACHE_SIZE:
            _TOTALS_CACHE.pop(next(iter(_TOTALS_CACHE)))
        _TOTALS_CACHE[key] = totals
    return totals


_TOTALS_CACHE: dict[tuple[object, ...], ThreadTotals] = {}
_TOTALS_CACHE_SIZE = 32
_TOTALS_LOCK = threading.Lock()


def to_cents(amount: Fraction) -> Decimal:
    """An exact amount rounded half up to cents."""
    return (Decimal(math.floor(amount * 100 + Fraction(1, 2))) / 100).quantize(CENT)


def _titles(question_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(
        select(Question.id, Question.title, Category.name)
        .join(Category, Category.id == Question.category_id)
        .where(Question.id.in_(question_ids), Question.deleted_at.is_(None))
    )
    return {qid: (title, category) for qid, title, category in rows}


def top_deflecting_threads(
    report: DeflectionReport, book: CostBook, now: datetime, totals: ThreadTotals, limit: int = TOP
) -> list[ThreadLine]:
    """The threads credited with the most self-service visits in the report's period."""
    visits = totals.visits
    top = sorted(visits, key=lambda qid: (-visits[qid], qid))[:limit]
    if not top:
        return []
    period = report.period
    closed_end = max(period.start, min(period.end, first_open_day(now)))
    day_rows = [
        (day, qid, category_id, n)
        for day, qid, category_id, n in db.session.execute(
            select(
                ThreadDay.day, ThreadDay.question_id, ThreadDay.category_id, ThreadDay.self_service_visits
            ).where(ThreadDay.question_id.in_(top), ThreadDay.day >= period.start, ThreadDay.day < closed_end)
        )
    ]
    day_rows += [
        (r.day, r.question_id, r.category_id, r.self_service_visits)
        for r in thread_rows(period.start, period.end, now)
        if r.question_id in top
    ]
    visit_cost: dict[int, Fraction] = defaultdict(Fraction)
    for day, qid, category_id, n in day_rows:
        visit_cost[qid] += n * Fraction(book.cost_on(day, category_id))
    deflecting = dict(
        db.session.execute(
            select(SurveyAnswer.question_id, func.count())
            .where(
                SurveyAnswer.question_id.in_(top),
                SurveyAnswer.day >= period.start,
                SurveyAnswer.day < period.end,
                SurveyAnswer.solved.is_(True),
                SurveyAnswer.would_have_contacted.is_(True),
            )
            .group_by(SurveyAnswer.question_id)
        ).all()
    )
    requests = totals.requests
    titles = _titles(top)
    rate = report.rate
    return [
        ThreadLine(
            qid,
            titles.get(qid, ("(thread no longer available)", ""))[0],
            titles.get(qid, ("", "-"))[1],
            visits[qid],
            int(deflecting.get(qid, 0)),
            visits[qid] * float(rate),
            to_cents(visit_cost[qid] * rate),
            requests.get(qid, 0),
        )
        for qid in top
    ]


def threads_ending_in_support(totals: ThreadTotals, limit: int = TOP) -> list[ThreadLine]:
    """The threads after which visitors most often still asked support for help."""
    requests = totals.requests
    top = sorted(requests, key=lambda qid: (-requests[qid], qid))[:limit]
    titles = _titles(top)
    return [
        ThreadLine(
            qid, *titles.get(qid, ("(thread no longer available)", "-")), 0, 0, 0.0, Decimal(0), requests[qid]
        )
        for qid in top
    ]


def topics_ending_in_support(report: DeflectionReport) -> list[TopicLine]:
    """Support requests by category in the period, most first, with their share of all."""
    period = report.period
    query = (
        select(Category.name, func.count(SupportRequest.id))
        .select_from(SupportRequest)
        .outerjoin(Category, Category.id == SupportRequest.category_id)
        .where(
            SupportRequest.day >= period.start,
            SupportRequest.day < period.end,
            SupportRequest.counted.is_(True),
        )
        .group_by(Category.name)
    )
    if report.category is not None:
        query = query.where(SupportRequest.category_id == report.category.id)
    counts = [(name or "No category", int(n)) for name, n in db.session.execute(query)]
    total = sum(n for _, n in counts) or 1
    return [TopicLine(name, n, n / total) for name, n in sorted(counts, key=lambda item: (-item[1], item[0]))]
