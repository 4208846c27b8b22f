"""What the moderation partials in forum pages need, loaded once per page (cached in ``g``).

Templates get ``moderation`` (a ``ModerationHelpers``): ``thread(q)`` loads the caller's own
flags, the open flag counts, the verdict histories and the routing entry of a thread in a
fixed number of queries; ``nav()`` the header counts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.questions.models import Answer, Question
from forum.roles import can_verify_answers, is_moderator
from moderation import accuracy, routing
from moderation.forms import REASON_HINTS
from moderation.members import unread_warning_count
from moderation.models import FLAG_REASONS, REASON_LABELS, AccuracyVerdict, Flag
from moderation.queue import queue_counts
from moderation.routing_models import RoutedQuestion


@dataclass
class ThreadModeration:
    my_flags: set[tuple[str, int]] = field(default_factory=set)
    open_flags: Counter[tuple[str, int]] = field(default_factory=Counter)
    histories: dict[int, list[AccuracyVerdict]] = field(default_factory=dict)
    routed: RoutedQuestion | None = None
    age: routing.Age | None = None


@dataclass
class NavCounts:
    review: int | None = None  # posts to review (moderators)
    routed: int | None = None  # new routed questions (advocates)
    standing: bool = False  # a suspension or an unread warning (the member)


class ModerationHelpers:
    reasons = [(reason, REASON_LABELS[reason], REASON_HINTS[reason]) for reason in FLAG_REASONS]

    def thread(self, question: Question) -> ThreadModeration:
        cache: dict[int, ThreadModeration] = g.setdefault("moderation_threads", {})
        if question.id not in cache:
            cache[question.id] = self._load_thread(question)
        return cache[question.id]

    @staticmethod
    def _load_thread(question: Question) -> ThreadModeration:
        state = ThreadModeration()
        if not current_user.is_authenticated:
            return state
        state.my_flags = {
            (row.target_type, row.target_id)
            for row in db.session.execute(
                select(Flag.target_type, Flag.target_id).where(
                    Flag.question_id == question.id, Flag.reporter_id == current_user.id
                )
            )
        }
        if is_moderator(current_user):
            rows = db.session.execute(
                select(Flag.target_type, Flag.target_id).where(
                    Flag.question_id == question.id, Flag.status == "open"
                )
            )
            state.open_flags = Counter((row.target_type, row.target_id) for row in rows)
        if can_verify_answers(current_user):
            verdicts = db.session.scalars(
                select(AccuracyVerdict)
                .options(joinedload(AccuracyVerdict.actor))
                .join(Answer, Answer.id == AccuracyVerdict.answer_id)
                .where(Answer.question_id == question.id)
                .order_by(AccuracyVerdict.at.desc(), AccuracyVerdict.id.desc())
            )
            for verdict in verdicts:
                state.histories.setdefault(verdict.answer_id, []).append(verdict)
            state.routed = db.session.get(
                RoutedQuestion,
                question.id,
                options=[joinedload(RoutedQuestion.team), joinedload(RoutedQuestion.assignee)],
            )
            state.age = routing.age_of(state.routed) if state.routed else None
        return state

    @staticmethod
    def can_judge(answer: Answer, question: Question) -> bool:
        return accuracy.can_judge(current_user, answer, question)

    @staticmethod
    def needs_recheck(answer: Answer) -> bool:
        return accuracy.needs_recheck(answer)

    @staticmethod
    def short(value: Any, limit: int = 90) -> str:
        """A JSON value on one short line (the audit table); the full value is in a tooltip."""
        text = json.dumps(value, default=str, ensure_ascii=False)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    @staticmethod
    def full(value: Any) -> str:
        return json.dumps(value, default=str, ensure_ascii=False, indent=1)

    @staticmethod
    def nav() -> NavCounts:
        if "moderation_nav" not in g:
            counts = NavCounts()
            if current_user.is_authenticated:
                if is_moderator(current_user):
                    queue = queue_counts()
                    counts.review = queue["flags"] + queue["held"]
                if can_verify_answers(current_user):
                    counts.routed = routing.open_count(current_user)
                counts.standing = current_user.is_suspended() or unread_warning_count(current_user.id) > 0
            g.moderation_nav = counts
        return g.moderation_nav


def inject_helpers() -> dict[str, Any]:
    return {"moderation": ModerationHelpers()}
