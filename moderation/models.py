"""Moderation tables: flags, the audit log, accuracy verdicts, spam-rule hits, warnings,
the addresses members use, and admin-edited settings. Routing lives in ``routing_models``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.database import UTCDateTime, utcnow
from forum.extensions import Model

FLAG_REASONS = ("spam", "offensive", "off_topic", "inaccurate", "duplicate", "other")
HIDING_REASONS = ("spam", "offensive")  # enough of these hide a post until it is reviewed
REASON_LABELS = {
    "spam": "Spam",
    "offensive": "Offensive",
    "off_topic": "Off-topic",
    "inaccurate": "Inaccurate or outdated",
    "duplicate": "Duplicate",
    "other": "Other",
}
FLAG_NOTE_MAX = 500
VERDICTS = ("verified", "inaccurate", "cleared")
ACCURACY_NOTE_MAX = 1000


class Flag(Model):
    """One member's report that a post needs a moderator; one per member per post."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_type", "target_id", name="uq_flags_reporter_target"),
        CheckConstraint("target_type IN ('question', 'answer')", name="target_is_post"),
        Index("ix_flags_target_status", "target_type", "target_id", "status"),
        Index("ix_flags_status_created", "status", "created_at"),
        Index("ix_flags_reporter_created", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(FLAG_NOTE_MAX), default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, dismissed, actioned
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolution_note: Mapped[str | None] = mapped_column(String(FLAG_NOTE_MAX))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


class AuditEntry(Model):
    """One privileged action. Append-only: ``moderation.audit`` refuses updates and deletes."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_name: Mapped[str | None] = mapped_column(String(30))  # as it was, if the name changes
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(45))


class AccuracyVerdict(Model):
    """The history of verdicts on an answer; the answer keeps only the current one."""

    __tablename__ = "accuracy_verdicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(ACCURACY_NOTE_MAX), default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User] = relationship()


class RuleHit(Model):
    """A spam rule held or refused a post; repeats of a refusal within minutes add to ``count``."""

    __tablename__ = "rule_hits"
    __table_args__ = (Index("ix_rule_hits_user_rule", "user_id", "rule", "last_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # question, answer, comment
    rule: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(10))  # held, refused
    target_type: Mapped[str | None] = mapped_column(String(10))
    target_id: Mapped[int | None] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class MemberWarning(Model):
    """A moderator's warning to a member, shown to them until they acknowledge it."""

    __tablename__ = "member_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    moderator: Mapped[User] = relationship(foreign_keys=[moderator_id])


class MemberAddress(Model):
    """An address a member signed in or posted from (the shared-address check)."""

    __tablename__ = "member_addresses"
    __table_args__ = (UniqueConstraint("user_id", "address", name="uq_member_addresses_user_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(45), index=True)
    sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class ModerationSetting(Model):
    """An admin-edited rule set (banned words, link domains, hold first posts)."""

    __tablename__ = "moderation_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
