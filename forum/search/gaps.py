"""The knowledge-gap report: what people search for and do not find, and threads that wait.

Each list is ranked by volume over a period. A gap marked *addressed* drops out, and
reopens when the same searches keep failing after it was addressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, func, select

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.database import utcnow
from forum.errors import NotFoundError, ValidationFailed
from forum.extensions import db
from forum.questions.models import Question
from forum.search.models import KnowledgeGap, SearchLog
from forum.search.normalize import normalize_query

REOPEN_AFTER_FAILURES = 3
GAP_KINDS = ("zero_result", "no_click", "unanswered", "unsolved")
DEFAULT_DAYS = 30
LIST_LIMIT = 50


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time.min, tzinfo=UTC)


def parse_period(start: str | None, end: str | None, today: date | None = None) -> Period:
    """``from``/``to`` (ISO dates, ``to`` exclusive); the last 30 days by default."""
    today = today or utcnow().date()
    try:
        end_day = date.fromisoformat(end) if end else today + timedelta(days=1)
        start_day = date.fromisoformat(start) if start else end_day - timedelta(days=DEFAULT_DAYS)
    except ValueError as exc:
        raise ValidationFailed(
            "Dates are YYYY-MM-DD.", {"from": "Use YYYY-MM-DD.", "to": "Use YYYY-MM-DD."}
        ) from exc
    if start_day >= end_day:
        raise ValidationFailed("The period is empty.", {"to": "Must be after from."})
    if (end_day - start_day).days > 3 * 366:
        raise ValidationFailed("The period is too long.", {"from": "At most three years."})
    return Period(start_day, end_day)


def _addressed(kind: str) -> dict[str, KnowledgeGap]:
    rows = db.session.scalars(select(KnowledgeGap).where(KnowledgeGap.kind == kind).order_by(KnowledgeGap.id))
    return {row.key: row for row in rows}


def _query_gaps(period: Period, kind: str, condition: Any) -> list[dict[str, Any]]:
    searches = func.count(SearchLog.id)
    statement = (
        select(
            SearchLog.normalized_query,
            searches.label("searches"),
            func.count(
                func.distinct(func.coalesce(SearchLog.visitor_id, cast(SearchLog.user_id, String)))
            ).label("searchers"),
            func.max(SearchLog.created_at).label("last_searched_at"),
        )
        .where(SearchLog.created_at >= period.start_at, SearchLog.created_at < period.end_at, condition)
        .group_by(SearchLog.normalized_query)
        .order_by(searches.desc(), SearchLog.normalized_query)
    )
    addressed = _addressed(kind)
    gaps = []
    for row in db.session.execute(statement):
        gap = addressed.get(row.normalized_query)
        reopened = False
        if gap is not None:
            since = _failures_since(row.normalized_query, gap.addressed_at, condition)
            if since < REOPEN_AFTER_FAILURES:
                continue
            reopened = True
        gaps.append(
            {
                "query": row.normalized_query,
                "searches": row.searches,
                "searchers": row.searchers,
                "last_searched_at": row.last_searched_at,
                "reopened": reopened,
            }
        )
        if len(gaps) >= LIST_LIMIT:
            break
    return gaps


def _failures_since(query: str, since: datetime, condition: Any) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(SearchLog)
            .where(SearchLog.normalized_query == query, SearchLog.created_at > since, condition)
        )
        or 0
    )


def zero_result_queries(period: Period) -> list[dict[str, Any]]:
    return _query_gaps(period, "zero_result", SearchLog.results_count == 0)


def no_click_queries(period: Period) -> list[dict[str, Any]]:
    """Queries with results that nobody opened in the period (each search found something)."""
    clicked_any = func.max(case((SearchLog.clicked_question_id.is_not(None), 1), else_=0))
    never_clicked = (
        select(SearchLog.normalized_query)
        .where(
            SearchLog.created_at >= period.start_at,
            SearchLog.created_at < period.end_at,
            SearchLog.results_count > 0,
        )
        .group_by(SearchLog.normalized_query)
        .having(clicked_any.cast(Integer) == 0)
    )
    return _query_gaps(
        period,
        "no_click",
        and_(SearchLog.results_count > 0, SearchLog.normalized_query.in_(never_clicked.scalar_subquery())),
    )


def _question_gaps(kind: str, condition: Any, period: Period) -> list[dict[str, Any]]:
    addressed = _addressed(kind)
    statement = (
        select(Question.id, Question.title, Question.created_at, Question.view_count, Question.answer_count)
        .where(
            Question.hidden_at.is_(None),
            Question.deleted_at.is_(None),
            Question.held_for_review.is_(False),
            Question.duplicate_of_id.is_(None),
            Question.created_at < period.end_at,
            condition,
        )
        .order_by(Question.view_count.desc(), Question.created_at)
        .limit(LIST_LIMIT + len(addressed))
    )
    now = utcnow()
    gaps = []
    for row in db.session.execute(statement):
        if str(row.id) in addressed:
            continue
        gaps.append(
            {
                "question_id": row.id,
                "title": row.title,
                "views": row.view_count,
                "answers": row.answer_count,
                "created_at": row.created_at,
                "age_days": (now - row.created_at).days,
            }
        )
    return gaps[:LIST_LIMIT]


def unanswered_questions(period: Period) -> list[dict[str, Any]]:
    return _question_gaps("unanswered", Question.answer_count == 0, period)


def unsolved_questions(period: Period) -> list[dict[str, Any]]:
    return _question_gaps(
        "unsolved", and_(Question.answer_count > 0, Question.accepted_answer_id.is_(None)), period
    )


def gap_report(period: Period) -> dict[str, list[dict[str, Any]]]:
    return {
        "zero_result_queries": zero_result_queries(period),
        "no_click_queries": no_click_queries(period),
        "unanswered_questions": unanswered_questions(period),
        "unsolved_questions": unsolved_questions(period),
    }


def mark_addressed(
    actor: User, kind: str, key: str, answer_question_id: int | None, note: str = ""
) -> KnowledgeGap:
    """Close a gap, pointing at the thread that now answers it. Raises ValidationFailed."""
    if kind not in GAP_KINDS:
        raise ValidationFailed("Unknown kind of gap.", {"kind": f"One of {', '.join(GAP_KINDS)}."})
    key = normalize_query(key) if kind in ("zero_result", "no_click") else key.strip()
    if not key:
        raise ValidationFailed("Say which gap.", {"key": "Required."})
    if answer_question_id is not None and db.session.get(Question, answer_question_id) is None:
        raise NotFoundError("No question has that number.", {"answer_question_id": "Unknown question."})
    gap = KnowledgeGap(
        kind=kind,
        key=key[:200],
        addressed_by_id=actor.id,
        answer_question_id=answer_question_id,
        note=note[:300],
    )
    db.session.add(gap)
    db.session.flush()
    record_privileged_action(
        actor,
        "gap.addressed",
        "knowledge_gap",
        gap.id,
        after={"kind": kind, "key": key, "answer_question_id": answer_question_id},
    )
    return gap
