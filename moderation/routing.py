"""Routing: every new question joins the advocates' queue with a priority (from the rules
admins edit) and a team (from its category). Advocates take or assign questions and move
them through new / assigned / answered / escalated / closed; answers and accepts move them
on their own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.database import utcnow
from forum.errors import Conflict, NotAllowed, ValidationFailed
from forum.extensions import db
from forum.questions.models import Question
from forum.roles import can_verify_answers
from moderation.routing_models import (
    OPEN_STATUSES,
    ROUTING_STATUSES,
    PriorityRule,
    RoutedQuestion,
    RoutingCategory,
    routing_team_members,
)
from moderation.settings import config

QUEUE_VIEWS = ("team", "mine", "unassigned", "all")


def matching_rules(text: str, rules: list[PriorityRule]) -> list[dict[str, Any]]:
    """The rules whose phrase appears in ``text`` as whole words (case-insensitive)."""
    lowered = " ".join(text.lower().split())
    return [
        {"phrase": rule.phrase, "signal": rule.signal, "weight": rule.weight}
        for rule in rules
        if re.search(rf"(?<!\w){re.escape(rule.phrase.lower())}(?!\w)", lowered)
    ]


def _rules() -> list[PriorityRule]:
    return list(db.session.scalars(select(PriorityRule).order_by(PriorityRule.weight.desc())))


def _team_for(category_id: int) -> int | None:
    return db.session.scalar(
        select(RoutingCategory.team_id).where(RoutingCategory.category_id == category_id)
    )


def _apply_rules(routed: RoutedQuestion, question: Question, rules: list[PriorityRule]) -> None:
    routed.signals = matching_rules(f"{question.title}\n{question.body}", rules)
    routed.priority = sum(int(match["weight"]) for match in routed.signals)
    routed.team_id = _team_for(question.category_id)


def route_question(question: Question) -> RoutedQuestion:
    """Add a new question to the queue (from the ``post_created`` receiver)."""
    routed = RoutedQuestion(question_id=question.id, status="new", created_at=question.created_at)
    routed.updated_at = question.created_at
    _apply_rules(routed, question, _rules())
    db.session.add(routed)
    return routed


def reroute_open_questions() -> int:
    """Recompute priority and team of the open queue after rules or teams changed."""
    rules = _rules()
    routed_list = list(
        db.session.scalars(
            select(RoutedQuestion)
            .options(joinedload(RoutedQuestion.question))
            .where(RoutedQuestion.status.in_(OPEN_STATUSES))
        )
    )
    for routed in routed_list:
        _apply_rules(routed, routed.question, rules)
    db.session.flush()
    return len(routed_list)


def note_answer(question_id: int, answerer_id: int, asker_id: int, at: datetime) -> None:
    """An answer arrived: new or assigned questions become answered (not by the asker)."""
    if answerer_id == asker_id:
        return
    routed = db.session.get(RoutedQuestion, question_id)
    if routed is None:
        return
    if routed.first_response_at is None:
        routed.first_response_at = at
    if routed.status in ("new", "assigned"):
        routed.status = "answered"
        routed.updated_at = at


def note_accepted(question_id: int) -> None:
    routed = db.session.get(RoutedQuestion, question_id)
    if routed is not None and routed.status != "closed":
        routed.status = "closed"
        routed.updated_at = utcnow()


def _require_advocate(actor: User) -> None:
    if not can_verify_answers(actor):
        raise NotAllowed("Only advocates and moderators work the routed queue.")


def _audit(actor: User, action: str, routed: RoutedQuestion, before: dict[str, Any]) -> None:
    record_privileged_action(
        actor,
        action,
        "question",
        routed.question_id,
        before=before,
        after={"status": routed.status, "assignee_id": routed.assignee_id},
    )


def assign(actor: User, routed: RoutedQuestion, assignee: User) -> None:
    """Give the question to ``assignee`` (an advocate or moderator; ``actor`` itself to take it)."""
    _require_advocate(actor)
    if not can_verify_answers(assignee):
        raise ValidationFailed("Assign it to an advocate.", {"assignee": "Pick an advocate or moderator."})
    if routed.status == "closed":
        raise Conflict("That question is closed; reopen it first.", code="closed")
    if routed.assignee_id == assignee.id and routed.status == "assigned":
        raise Conflict(f"{assignee.username} already has it.", code="unchanged")
    before = {"status": routed.status, "assignee_id": routed.assignee_id}
    routed.assignee_id = assignee.id
    if routed.status == "new":
        routed.status = "assigned"
    routed.updated_at = utcnow()
    db.session.flush()
    _audit(actor, "routing.take" if assignee.id == actor.id else "routing.assign", routed, before)


def set_status(actor: User, routed: RoutedQuestion, status: str) -> None:
    """Move the question to ``status`` (e.g. escalate it, close it, reopen it as new)."""
    _require_advocate(actor)
    if status not in ROUTING_STATUSES:
        raise ValidationFailed("Unknown status.", {"status": f"Use one of: {', '.join(ROUTING_STATUSES)}."})
    if status == routed.status:
        raise Conflict(f"It already is {status}.", code="unchanged")
    if status == "assigned" and routed.assignee_id is None:
        raise ValidationFailed("Assign it to someone first.", {"status": "Nobody is assigned."})
    before = {"status": routed.status, "assignee_id": routed.assignee_id}
    routed.status = status
    if status == "new":
        routed.assignee_id = None
    routed.updated_at = utcnow()
    db.session.flush()
    _audit(actor, f"routing.{status}" if status != "new" else "routing.reopen", routed, before)


def user_team_ids(user_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(routing_team_members.c.team_id).where(routing_team_members.c.user_id == user_id)
        )
    )


def _queue_conditions(view: str, user: User, status: str | None, team_id: int | None) -> list[Any]:
    conditions: list[Any] = [
        Question.hidden_at.is_(None),
        Question.deleted_at.is_(None),
        Question.held_for_review.is_(False),
    ]
    if status in ROUTING_STATUSES:
        conditions.append(RoutedQuestion.status == status)
    else:
        conditions.append(RoutedQuestion.status.in_(OPEN_STATUSES))
    if view == "mine":
        conditions.append(RoutedQuestion.assignee_id == user.id)
    elif view == "unassigned":
        conditions.append(RoutedQuestion.assignee_id.is_(None))
    elif view == "team" and (teams := user_team_ids(user.id)):
        conditions.append(RoutedQuestion.team_id.in_(teams) | RoutedQuestion.team_id.is_(None))
    if team_id is not None:
        conditions.append(RoutedQuestion.team_id == team_id)
    return conditions


def queue(
    view: str, user: User, status: str | None = None, team_id: int | None = None
) -> Select[RoutedQuestion]:
    """The routed queue as ``user`` sees it: highest priority first, then oldest."""
    return (
        select(RoutedQuestion)
        .join(Question, Question.id == RoutedQuestion.question_id)
        .options(
            joinedload(RoutedQuestion.question).joinedload(Question.category),
            joinedload(RoutedQuestion.question).joinedload(Question.author),
            joinedload(RoutedQuestion.team),
            joinedload(RoutedQuestion.assignee),
        )
        .where(*_queue_conditions(view, user, status, team_id))
        .order_by(RoutedQuestion.priority.desc(), RoutedQuestion.created_at, RoutedQuestion.question_id)
    )


def queue_count(view: str, user: User, status: str | None = None) -> int:
    statement = (
        select(func.count())
        .select_from(RoutedQuestion)
        .join(Question, Question.id == RoutedQuestion.question_id)
        .where(*_queue_conditions(view, user, status, None))
    )
    return int(db.session.scalar(statement) or 0)


@dataclass
class Age:
    hours: float
    target_hours: int

    @property
    def overdue(self) -> bool:
        return self.hours > self.target_hours

    @property
    def label(self) -> str:
        if self.hours < 1:
            return f"{int(self.hours * 60)} min"
        if self.hours < 48:
            return f"{int(self.hours)} h"
        return f"{int(self.hours // 24)} days"

    @property
    def share(self) -> float:
        """Age as a fraction of the response target (for the bar), capped at 1."""
        return min(1.0, self.hours / self.target_hours) if self.target_hours else 1.0


def age_of(routed: RoutedQuestion, now: datetime | None = None) -> Age:
    """How long the question has waited (until its first answer), against the target."""
    end = routed.first_response_at or now or utcnow()
    hours = max(0.0, (end - routed.created_at) / timedelta(hours=1))
    return Age(hours, int(config("RESPONSE_TARGET_HOURS")))


def open_count(user: User) -> int:
    """New questions in the user's teams (or all teams if they are in none): the nav count."""
    return queue_count("team", user, status="new")
