"""Flags: members report posts; enough spam or offensive flags hide a post until reviewed.

Exactly-once hiding under concurrency: each flag is one row (a unique constraint allows one
per member per post), the post row is locked while flagging (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite serializes writers with ``BEGIN IMMEDIATE``), and the hide itself is
``UPDATE ... SET hidden_at = now WHERE id = :id AND hidden_at IS NULL``: only the request
whose update changed the row hides the post and writes the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.database import rows_matched, utcnow
from forum.errors import Conflict, NotAllowed, NotFoundError, ValidationFailed
from forum.extensions import db
from forum.questions.models import Answer, Question
from forum.questions.permissions import can_post, can_see
from forum.questions.services import set_visibility
from moderation.limits import RateLimited
from moderation.models import FLAG_NOTE_MAX, FLAG_REASONS, HIDING_REASONS, REASON_LABELS, Flag
from moderation.settings import config

POST_MODELS: dict[str, type[Question] | type[Answer]] = {"question": Question, "answer": Answer}


@dataclass
class FlagOutcome:
    flag: Flag
    hid_post: bool  # this flag was the one that hid the post


def post_kind(post: Question | Answer) -> str:
    return "question" if isinstance(post, Question) else "answer"


def question_id_of(post: Question | Answer) -> int:
    return post.id if isinstance(post, Question) else post.question_id


def load_post(target_type: str, target_id: int, *, lock: bool = False) -> Question | Answer | None:
    """The post, optionally locked for the rest of the transaction; None if it does not exist."""
    model = POST_MODELS.get(target_type)
    if model is None:
        raise ValidationFailed(
            "target_type must be question or answer.", {"target_type": "Use question or answer."}
        )
    statement = select(model).where(model.id == target_id)
    if lock:
        statement = statement.with_for_update()
    post = db.session.scalar(statement)  # typed as the models' common base
    return post if isinstance(post, Question | Answer) else None


def open_flags_on(target_type: str, target_id: int) -> list[Flag]:
    return list(
        db.session.scalars(
            select(Flag)
            .where(Flag.target_type == target_type, Flag.target_id == target_id, Flag.status == "open")
            .order_by(Flag.created_at, Flag.id)
        )
    )


def is_pending_review(post: Question | Answer) -> bool:
    """Hidden by flags and not yet reviewed: more flags on it are still welcome."""
    if post.hidden_at is None or post.deleted_at is not None:
        return False
    return bool(open_flags_on(post_kind(post), post.id))


def _clean_input(reason: str, note: str, duplicate_of_id: int | None) -> tuple[str, str]:
    if reason not in FLAG_REASONS:
        raise ValidationFailed(
            "Choose a reason for the flag.", {"reason": f"Use one of: {', '.join(FLAG_REASONS)}."}
        )
    note = " ".join((note or "").split())
    if len(note) > FLAG_NOTE_MAX:
        raise ValidationFailed("The note is too long.", {"note": f"Use at most {FLAG_NOTE_MAX} characters."})
    if reason == "other" and not note:
        raise ValidationFailed(
            "Tell the moderators what is wrong.", {"note": "A note is required for Other."}
        )
    if reason == "duplicate" and duplicate_of_id is None:
        raise ValidationFailed(
            "Say which question this duplicates.",
            {"duplicate_of": "Give the number of the original question."},
        )
    return reason, note


def _check_daily_cap(reporter: User) -> None:
    cap = int(config("FLAGS_PER_DAY"))
    since = utcnow() - timedelta(days=1)
    recent = db.session.execute(
        select(func.count(), func.min(Flag.created_at)).where(
            Flag.reporter_id == reporter.id, Flag.created_at >= since
        )
    ).one()
    if recent[0] >= cap:
        wait = (recent[1] + timedelta(days=1) - utcnow()).total_seconds() if recent[1] else 3600
        raise RateLimited(
            f"You can raise {cap} flags a day. Thanks for helping - please come back later.",
            retry_after=int(wait),
            code="flag_limit",
        )


def create_flag(
    reporter: User,
    target_type: str,
    target_id: int,
    reason: str,
    note: str = "",
    duplicate_of_id: int | None = None,
) -> FlagOutcome:
    """Flag a post. Raises ValidationFailed, NotFoundError, NotAllowed (own post, suspended),
    Conflict (already flagged) or RateLimited (daily cap)."""
    reason, note = _clean_input(reason, note, duplicate_of_id)
    if not can_post(reporter):
        raise NotAllowed("Your account cannot flag posts right now.")
    post = load_post(target_type, target_id, lock=True)
    if post is None:
        raise NotFoundError("That post does not exist.")
    question = post if isinstance(post, Question) else db.session.get(Question, post.question_id)
    assert question is not None
    visible = can_see(reporter, post) and can_see(reporter, question)
    if not visible and not (question.is_visible and is_pending_review(post)):
        raise NotFoundError("That post does not exist.")
    if post.author_id == reporter.id:
        raise NotAllowed("You cannot flag your own post; edit or delete it instead.", code="own_post")
    if reason == "duplicate":
        canonical = db.session.get(Question, duplicate_of_id)
        if canonical is None or not canonical.is_visible or canonical.id == question.id:
            raise ValidationFailed(
                "That is not another visible question.", {"duplicate_of": "Give the number of the original."}
            )
    _check_daily_cap(reporter)
    flag = Flag(
        reporter_id=reporter.id,
        target_type=target_type,
        target_id=post.id,
        question_id=question.id,
        reason=reason,
        note=note,
        duplicate_of_id=duplicate_of_id if reason == "duplicate" else None,
    )
    already = db.session.scalar(
        select(Flag.id).where(
            Flag.reporter_id == reporter.id, Flag.target_type == target_type, Flag.target_id == post.id
        )
    )
    if already is not None:
        raise Conflict("You already flagged this post.", code="already_flagged")
    db.session.add(flag)
    try:
        db.session.flush()  # the unique constraint is the last word if two requests race
    except IntegrityError as error:
        raise Conflict("You already flagged this post.", code="already_flagged") from error
    hid = reason in HIDING_REASONS and _hide_if_enough(post)
    return FlagOutcome(flag, hid)


def hiding_flag_count(target_type: str, target_id: int) -> int:
    """Distinct members with an open spam or offensive flag on the post."""
    return int(
        db.session.scalar(
            select(func.count(func.distinct(Flag.reporter_id))).where(
                Flag.target_type == target_type,
                Flag.target_id == target_id,
                Flag.status == "open",
                Flag.reason.in_(HIDING_REASONS),
            )
        )
        or 0
    )


def _hide_if_enough(post: Question | Answer) -> bool:
    """Hide the post once enough members flagged it; True only for the request that hid it."""
    kind = post_kind(post)
    count = hiding_flag_count(kind, post.id)
    threshold = int(config("FLAG_HIDE_THRESHOLD"))
    if count < threshold:
        return False
    model = type(post)
    changed = db.session.execute(
        update(model)
        .where(model.id == post.id, model.hidden_at.is_(None))
        .values(hidden_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rows_matched(changed) != 1:
        return False
    db.session.refresh(post)
    set_visibility(post, hidden=True)  # answer counts and the search index follow
    record_privileged_action(
        None,
        "post.auto_hide",
        kind,
        post.id,
        before={"hidden": False},
        after={"hidden": True},
        details={"question_id": question_id_of(post), "flags": count, "threshold": threshold},
    )
    return True


def flag_object(flag: Flag) -> dict[str, Any]:
    """A flag as the API shows it."""
    return {
        "id": flag.id,
        "target_type": flag.target_type,
        "target_id": flag.target_id,
        "question_id": flag.question_id,
        "reason": flag.reason,
        "reason_label": REASON_LABELS.get(flag.reason, flag.reason),
        "note": flag.note,
        "duplicate_of_id": flag.duplicate_of_id,
        "status": flag.status,
        "reporter_id": flag.reporter_id,
        "created_at": flag.created_at.isoformat(),
        "resolved_at": flag.resolved_at.isoformat() if flag.resolved_at else None,
        "resolution": flag.resolution,
        "resolution_note": flag.resolution_note,
    }
