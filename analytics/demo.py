"""Demo deflection data: 90 days of visits, survey answers and support requests, and two
cost changes, so the finance dashboard is alive on ``make run``.

Receiver of ``forum.signals.demo_loaded``. Deterministic for a seed; visitors read threads
that existed that day, weighted by popularity, and a thread counts as answered from its
accepted or verified answer on.
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select

from analytics.costs import change_call_cost
from analytics.models import SupportRequest, SurveyAnswer, ThreadView
from analytics.rollup import first_open_day, store_days
from analytics.support import new_reference
from forum.accounts.models import User
from forum.database import mark_write_intent
from forum.extensions import db
from forum.questions.models import Answer, Category, Question

DAYS = 90
BATCH = 5000
_ID_CHARS = string.ascii_letters + string.digits
# How much more often a category's readers still contact support (billing questions do).
ESCALATION_FACTOR = {"billing": 1.8, "technical": 1.2, "product": 0.8, "website": 0.9}
SUBJECTS = ("Still stuck after reading the answers", "Need help with my account", "This did not work for me")


@dataclass(frozen=True)
class DemoThread:
    id: int
    title: str
    category_id: int
    category_slug: str
    created_at: datetime
    answered_since: datetime | None
    weight: float


def _threads() -> list[DemoThread]:
    accepted = select(Answer.created_at).where(Answer.id == Question.accepted_answer_id).scalar_subquery()
    verified = (
        select(func.min(Answer.accuracy_at))
        .where(Answer.question_id == Question.id, Answer.accuracy == "verified")
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Question.id,
            Question.title,
            Question.category_id,
            Category.slug,
            Question.created_at,
            accepted,
            verified,
            Question.view_count,
        )
        .join(Category, Category.id == Question.category_id)
        .where(
            Question.deleted_at.is_(None), Question.hidden_at.is_(None), Question.held_for_review.is_(False)
        )
    )
    threads = []
    for qid, title, category_id, slug, created_at, accepted_at, verified_at, views in rows:
        times = [_aware(t) for t in (accepted_at, verified_at) if t is not None]
        threads.append(
            DemoThread(
                qid,
                title,
                category_id,
                slug,
                _aware(created_at),
                min(times) if times else None,
                1.0 + (views or 0),
            )
        )
    return threads


def _aware(moment: Any) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def load_demo_deflection(now: datetime, seed: int, progress: Callable[[str, int], Any]) -> dict[str, int]:
    """Add the demo's events (the caller commits); returns counts for the summary."""
    mark_write_intent()
    rng = random.Random(seed * 31 + 6)
    threads = _threads()
    if not threads:
        return {}
    members = [f"m:{uid}" for uid in db.session.scalars(select(User.id).where(User.role == "member"))]
    pool = [f"v:{''.join(rng.choice(_ID_CHARS) for _ in range(22))}" for _ in range(5000)] + members
    views: list[dict[str, Any]] = []
    answers: dict[tuple[int, str], dict[str, Any]] = {}
    requests: list[dict[str, Any]] = []
    first_day = now.date() - timedelta(days=DAYS - 1)
    with progress("Demo deflection data", DAYS) as bar:
        for offset in range(DAYS):
            day = first_day + timedelta(days=offset)
            _simulate_day(rng, day, offset, now, threads, pool, views, answers, requests)
            bar.update(1)
    for table, rows in (
        (ThreadView, views),
        (SurveyAnswer, list(answers.values())),
        (SupportRequest, requests),
    ):
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(table), rows[start : start + BATCH])
    _demo_costs(now)
    closed = [first_day + timedelta(days=n) for n in range((first_open_day(now) - first_day).days)]
    store_days(closed, now)
    return {"thread views": len(views), "survey answers": len(answers), "support requests": len(requests)}


def _simulate_day(
    rng: random.Random,
    day: Any,
    offset: int,
    now: datetime,
    threads: list[DemoThread],
    pool: list[str],
    views: list[dict[str, Any]],
    answers: dict[tuple[int, str], dict[str, Any]],
    requests: list[dict[str, Any]],
) -> None:
    start = datetime.combine(day, time.min, UTC)
    span = min(86_399, max(int((now - start).total_seconds()), 1))
    weekend = day.weekday() >= 5
    visitors = int((150 + 90 * offset / DAYS) * (0.6 if weekend else 1.0) * rng.uniform(0.85, 1.15))
    open_threads = [t for t in threads if t.created_at <= start]  # threads asked before the day began
    if not open_threads:
        return
    cumulative = list(itertools.accumulate(t.weight for t in open_threads))
    for visitor in rng.sample(pool, min(visitors, len(pool))):
        moment = start + timedelta(seconds=rng.randrange(span))
        read = rng.choices(open_threads, cum_weights=cumulative, k=rng.choice((1, 1, 2, 3)))
        answered_read = []
        for n, thread in enumerate(read):
            at = moment + timedelta(minutes=2 * n)
            answered = thread.answered_since is not None and thread.answered_since <= at
            views.append(
                {
                    "question_id": thread.id,
                    "category_id": thread.category_id,
                    "visitor_key": visitor,
                    "answered": answered,
                    "day": day,
                    "viewed_at": at,
                }
            )
            if answered:
                answered_read.append(thread)
        factor = ESCALATION_FACTOR.get(read[0].category_slug, 1.0)
        if rng.random() < 0.15 * factor * (0.6 if answered_read else 1.6):
            thread = read[-1]
            requests.append(_request(rng, thread, visitor, moment + timedelta(minutes=9), day))
        elif answered_read and rng.random() < 0.09:
            thread = answered_read[0]
            solved = rng.random() < 0.72
            contacted = (rng.random() < 0.52 if rng.random() < 0.95 else None) if solved else None
            answers[(thread.id, visitor)] = {
                "question_id": thread.id, "category_id": thread.category_id, "visitor_key": visitor,
                "solved": solved, "would_have_contacted": contacted, "day": day, "answered_at": moment + timedelta(minutes=5),
            }  # fmt: skip


def _request(rng: random.Random, thread: DemoThread, visitor: str, at: datetime, day: Any) -> dict[str, Any]:
    number = rng.randrange(1000, 9999)
    return {
        "reference": new_reference(), "email": f"customer{number}@example.com",
        "subject": rng.choice((f"Help with: {thread.title}"[:150], *SUBJECTS)),
        "body": "I read the thread but I still need a hand with this on our account.",
        "question_id": thread.id, "category_id": thread.category_id, "visitor_key": visitor, "counted": True,
        "source": "web", "day": day, "created_at": at, "delivery_status": "not_configured", "delivery_attempts": 0,
    }  # fmt: skip


def _demo_costs(now: datetime) -> None:
    """The general cost went from 25.00 to 27.50 45 days ago; billing calls cost 32.00 since day 60."""
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
    billing = db.session.scalar(select(Category).where(Category.slug == "billing"))
    today = now.date()
    if billing is not None:
        when = today - timedelta(days=60)
        change_call_cost(
            admin, Decimal("32.00"), when, billing, "Billing calls need a senior agent.", today=when
        )
    when = today - timedelta(days=45)
    change_call_cost(admin, Decimal("27.50"), when, None, "New support contract rates.", today=when)


def on_demo_loaded(
    _sender: Any, now: datetime, progress: Callable[[str, int], Any], seed: int = 7, **_: Any
) -> dict[str, int]:
    """Receiver of ``forum.signals.demo_loaded``."""
    return load_demo_deflection(now, seed, progress)
