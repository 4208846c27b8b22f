"""The survey on answered threads: "Did this solve your problem?", then, after a yes,
"Would you have contacted support otherwise?".

One answer per visitor per thread; a later answer replaces the earlier one and moves to
the day it was given. The write is one atomic upsert (``INSERT ... ON CONFLICT DO UPDATE``
on the unique (thread, visitor) pair), so concurrent answers never duplicate or get lost.
A yes with no answer yet to the second question counts as a response that is not
deflecting: the rate errs low rather than high.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from analytics.capture import answered_condition
from analytics.models import SurveyAnswer
from analytics.rollup import mark_days_stale
from analytics.visitors import Visitor
from forum.database import utcnow
from forum.errors import NotFoundError, ValidationFailed
from forum.extensions import db
from forum.questions import permissions
from forum.questions.models import Question


@dataclass(frozen=True)
class SurveyOutcome:
    """What happened to an answer: stored (new or replacing one) or not counted, and why."""

    question_id: int
    solved: bool
    would_have_contacted: bool | None
    counted: bool
    replaced: bool = False
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "solved": self.solved,
            "would_have_contacted": self.would_have_contacted,
            "counted": self.counted,
            "replaced": self.replaced,
            "reason": self.reason or None,
        }


NOT_COUNTED_REASONS = {
    "bot": "Answers from bots and crawlers are not counted.",
    "staff": "Answers from staff accounts are not counted.",
    "no_cookie": "Answers are counted once the browser keeps the visitor cookie.",
}


def survey_question(question_id: int, viewer: Any) -> Question:
    """The thread a survey answer is about: visible to ``viewer`` and answered.

    Raises NotFoundError when there is no such thread for the viewer, ValidationFailed
    (code ``thread_not_answered``) when it has no accepted or verified answer yet.
    """
    question = db.session.get(Question, question_id)
    if question is None or not permissions.can_see(viewer, question):
        raise NotFoundError("There is no such question.")
    if not thread_is_answered(question.id):
        raise ValidationFailed(
            "The survey is only for threads with an accepted or verified answer.",
            {"question_id": "This thread has no accepted or verified answer yet."},
            code="thread_not_answered",
        )
    return question


def thread_is_answered(question_id: int) -> bool:
    return bool(db.session.scalar(select(answered_condition()).where(Question.id == question_id)))


def record_survey_answer(
    question: Question, visitor: Visitor, solved: bool, would_have_contacted: bool | None
) -> SurveyOutcome:
    """Store ``visitor``'s answer on ``question``, replacing an earlier one (flushes).

    Visitors that are not counted (bots, staff, cookie-less) are thanked but nothing is
    stored. Raises ValidationFailed when ``would_have_contacted`` is given after a no.
    """
    if not solved and would_have_contacted is not None:
        problem = "Only asked after the answer solved the problem."
        raise ValidationFailed(problem, {"would_have_contacted": problem})
    if visitor.key is None:
        return SurveyOutcome(
            question.id, solved, would_have_contacted, False, reason=NOT_COUNTED_REASONS[visitor.reason]
        )
    now = utcnow()
    earlier = db.session.scalar(
        select(SurveyAnswer.day).where(
            SurveyAnswer.question_id == question.id, SurveyAnswer.visitor_key == visitor.key
        )
    )
    values = {
        "question_id": question.id,
        "category_id": question.category_id,
        "visitor_key": visitor.key,
        "solved": solved,
        "would_have_contacted": would_have_contacted,
        "day": now.date(),
        "answered_at": now,
    }
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SurveyAnswer).values(**values)
    replacement = {
        name: statement.excluded[name] for name in ("solved", "would_have_contacted", "day", "answered_at")
    }
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["question_id", "visitor_key"], set_=replacement)
    )
    if earlier is not None and earlier != now.date():
        mark_days_stale([earlier])  # the earlier answer leaves that day's counts
    return SurveyOutcome(question.id, solved, would_have_contacted, True, replaced=earlier is not None)


def visitor_answer(question_id: int, visitor: Visitor) -> SurveyAnswer | None:
    """The visitor's current answer on a thread (for the survey's state on the page)."""
    if visitor.key is None:
        return None
    return db.session.scalar(
        select(SurveyAnswer).where(
            SurveyAnswer.question_id == question_id, SurveyAnswer.visitor_key == visitor.key
        )
    )
