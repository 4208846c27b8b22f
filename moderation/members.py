"""Warnings and suspensions. A suspended member can read but not write (forum's ``can_post``)
and is told why and until when; each moderator action writes one audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select, update

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.database import rows_matched, utcnow
from forum.errors import NotAllowed, ValidationFailed
from forum.extensions import db
from forum.roles import Role, is_admin, is_moderator
from moderation.models import MemberWarning

MESSAGE_MAX = 1000
REASON_MAX = 500


def _can_act_on(moderator: User, member: User) -> None:
    if not is_moderator(moderator):
        raise NotAllowed("Only moderators can warn or suspend members.")
    if member.id == moderator.id:
        raise NotAllowed("You cannot warn or suspend yourself.", code="self")
    if member.role == Role.ADMIN or (member.role == Role.MODERATOR and not is_admin(moderator)):
        raise NotAllowed("Only an admin can warn or suspend a moderator, and nobody an admin.", code="staff")


def _text(value: str, field: str, maximum: int) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ValidationFailed("Say why.", {field: "This is shown to the member; it is required."})
    if len(text) > maximum:
        raise ValidationFailed("That is too long.", {field: f"Use at most {maximum} characters."})
    return text


def warn_member(moderator: User, member: User, message: str) -> MemberWarning:
    """Send ``member`` a warning they see until they acknowledge it."""
    _can_act_on(moderator, member)
    warning = MemberWarning(
        user_id=member.id, moderator_id=moderator.id, message=_text(message, "message", MESSAGE_MAX)
    )
    db.session.add(warning)
    db.session.flush()
    record_privileged_action(
        moderator,
        "member.warn",
        "user",
        member.id,
        details={"warning_id": warning.id, "message": warning.message},
    )
    return warning


def suspension_end(day: date) -> datetime:
    """A suspension "until" a date ends at the start of that day, UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def suspend_member(moderator: User, member: User, until: datetime, reason: str) -> None:
    """Suspend ``member`` until ``until`` (in the future) with a reason they are shown."""
    _can_act_on(moderator, member)
    if until <= utcnow():
        raise ValidationFailed("Pick a date in the future.", {"until": "Pick a date in the future."})
    current = member.suspended_until if member.is_suspended() else None
    before = {
        "suspended_until": current.isoformat() if current else None,
        "reason": member.suspension_reason if current else None,
    }
    member.suspended_until = until
    member.suspension_reason = _text(reason, "reason", REASON_MAX)
    db.session.flush()
    record_privileged_action(
        moderator,
        "member.suspend",
        "user",
        member.id,
        before=before,
        after={"suspended_until": until.isoformat(), "reason": member.suspension_reason},
    )


def lift_suspension(moderator: User, member: User, note: str = "") -> None:
    _can_act_on(moderator, member)
    until = member.suspended_until
    if until is None or not member.is_suspended():
        raise ValidationFailed("That member is not suspended.", {"until": "Not suspended."})
    before = {"suspended_until": until.isoformat(), "reason": member.suspension_reason}
    member.suspended_until = None
    member.suspension_reason = None
    db.session.flush()
    record_privileged_action(
        moderator,
        "member.unsuspend",
        "user",
        member.id,
        before=before,
        after=None,
        details={"note": note[:500]},
    )


@dataclass
class Standing:
    """What a member is told about their account: a suspension and unread warnings."""

    suspended_until: datetime | None
    suspension_reason: str | None
    warnings: list[MemberWarning]

    @property
    def needs_attention(self) -> bool:
        return self.suspended_until is not None or any(w.acknowledged_at is None for w in self.warnings)


def standing_of(member: User) -> Standing:
    warnings = list(
        db.session.scalars(
            select(MemberWarning)
            .where(MemberWarning.user_id == member.id)
            .order_by(MemberWarning.created_at.desc())
        )
    )
    suspended = member.is_suspended()
    return Standing(
        member.suspended_until if suspended else None,
        member.suspension_reason if suspended else None,
        warnings,
    )


def unread_warning_count(member_id: int) -> int:
    return len(
        db.session.scalars(
            select(MemberWarning.id).where(
                MemberWarning.user_id == member_id, MemberWarning.acknowledged_at.is_(None)
            )
        ).all()
    )


def acknowledge_warnings(member: User) -> int:
    """The member read their warnings; returns how many were unread."""
    result = db.session.execute(
        update(MemberWarning)
        .where(MemberWarning.user_id == member.id, MemberWarning.acknowledged_at.is_(None))
        .values(acknowledged_at=utcnow())
    )
    return rows_matched(result)
