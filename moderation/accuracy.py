"""Accuracy verdicts: advocates and moderators mark an answer verified accurate or
inaccurate (or clear the mark). Nobody judges their own answer or an answer to their own
question. The answer keeps the current verdict (every reader sees it); ``accuracy_verdicts``
keeps the history; a verification older than ``MODERATION_VERIFICATION_EXPIRY_DAYS`` needs
a re-check."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.database import utcnow
from forum.errors import NotAllowed, NotFoundError, ValidationFailed
from forum.extensions import db
from forum.questions.models import Answer, Question
from forum.roles import can_verify_answers
from forum.signals import post_changed
from moderation.models import ACCURACY_NOTE_MAX, VERDICTS, AccuracyVerdict
from moderation.settings import config


def conflict_of_interest(user: Any, answer: Answer, question: Question) -> str | None:
    """Why ``user`` may not judge ``answer`` (their own answer or question), or None."""
    if answer.author_id == user.id:
        return "own_answer"
    if question.author_id == user.id:
        return "own_question"
    return None


def can_judge(user: Any, answer: Answer, question: Question) -> bool:
    """Advocates and moderators judge answers, never their own or those to their questions."""
    return can_verify_answers(user) and conflict_of_interest(user, answer, question) is None


def verification_expires_at(answer: Answer) -> datetime | None:
    if answer.accuracy != "verified" or answer.accuracy_at is None:
        return None
    return answer.accuracy_at + timedelta(days=int(config("VERIFICATION_EXPIRY_DAYS")))


def needs_recheck(answer: Answer, now: datetime | None = None) -> bool:
    """A verification older than the configured expiry shows "needs re-check"."""
    expires = verification_expires_at(answer)
    return expires is not None and expires <= (now or utcnow())


def set_accuracy(actor: User, answer: Answer, verdict: str, note: str = "") -> AccuracyVerdict:
    """Record ``verdict`` (verified, inaccurate or cleared) on ``answer``.

    Raises NotAllowed (not an advocate or moderator; own answer; own question), NotFoundError
    (the answer is not visible) or ValidationFailed (bad verdict; inaccurate without a note).
    """
    if not can_verify_answers(actor):
        raise NotAllowed("Only advocates and moderators judge accuracy.")
    question = db.session.get(Question, answer.question_id)
    if question is None or not answer.is_visible or not question.is_visible:
        raise NotFoundError("That answer does not exist.")
    conflict = conflict_of_interest(actor, answer, question)
    if conflict == "own_answer":
        raise NotAllowed("You cannot judge your own answer; ask another advocate.", code=conflict)
    if conflict == "own_question":
        raise NotAllowed("You cannot judge an answer to your own question.", code=conflict)
    if verdict not in VERDICTS:
        raise ValidationFailed("Unknown verdict.", {"verdict": f"Use one of: {', '.join(VERDICTS)}."})
    note = " ".join((note or "").split())
    if len(note) > ACCURACY_NOTE_MAX:
        raise ValidationFailed(
            "The note is too long.", {"note": f"Use at most {ACCURACY_NOTE_MAX} characters."}
        )
    if verdict == "inaccurate" and not note:
        raise ValidationFailed(
            "Say what is wrong: readers see the note.", {"note": "Required when marking inaccurate."}
        )
    before = accuracy_state(answer)
    now = utcnow()
    if verdict == "cleared":
        answer.accuracy = answer.accuracy_note = answer.accuracy_by_id = answer.accuracy_at = None
    else:
        answer.accuracy = verdict
        answer.accuracy_note = note or None
        answer.accuracy_by_id = actor.id
        answer.accuracy_at = now
    record = AccuracyVerdict(answer_id=answer.id, verdict=verdict, note=note, actor_id=actor.id, at=now)
    db.session.add(record)
    db.session.flush()
    record_privileged_action(
        actor,
        f"accuracy.{verdict}",
        "answer",
        answer.id,
        before=before,
        after=accuracy_state(answer),
        details={"question_id": question.id, "note": note},
    )
    post_changed.send(question_id=question.id)  # search favours verified answers
    return record


def accuracy_state(answer: Answer) -> dict[str, Any]:
    return {
        "accuracy": answer.accuracy,
        "note": answer.accuracy_note,
        "by_id": answer.accuracy_by_id,
        "at": answer.accuracy_at.isoformat() if answer.accuracy_at else None,
    }


def history_of(answer_id: int) -> list[AccuracyVerdict]:
    return list(
        db.session.scalars(
            select(AccuracyVerdict)
            .options(joinedload(AccuracyVerdict.actor))
            .where(AccuracyVerdict.answer_id == answer_id)
            .order_by(AccuracyVerdict.at.desc(), AccuracyVerdict.id.desc())
        )
    )


def expired_verifications() -> Select[Answer]:
    """Visible answers whose verification is older than the expiry, oldest first."""
    cutoff = utcnow() - timedelta(days=int(config("VERIFICATION_EXPIRY_DAYS")))
    return (
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .options(joinedload(Answer.question), joinedload(Answer.author), joinedload(Answer.accuracy_by))
        .where(
            Answer.accuracy == "verified",
            Answer.accuracy_at < cutoff,
            Answer.hidden_at.is_(None),
            Answer.deleted_at.is_(None),
            Answer.held_for_review.is_(False),
            Question.hidden_at.is_(None),
            Question.deleted_at.is_(None),
        )
        .order_by(Answer.accuracy_at)
    )


def accuracy_object(answer: Answer) -> dict[str, Any]:
    """The API's view of an answer's accuracy."""
    by = db.session.get(User, answer.accuracy_by_id) if answer.accuracy_by_id else None
    return {
        "answer_id": answer.id,
        "accuracy": answer.accuracy,
        "note": answer.accuracy_note,
        "by": {"id": by.id, "username": by.username} if by else None,
        "at": answer.accuracy_at.isoformat() if answer.accuracy_at else None,
        "expires_at": (expires.isoformat() if (expires := verification_expires_at(answer)) else None),
        "needs_recheck": needs_recheck(answer),
    }
