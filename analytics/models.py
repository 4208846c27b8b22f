"""Deflection tracking tables: raw events, the cost of a call, and the daily roll-ups.

Events keep a snapshot of what the report needs (the thread's category, whether it was
answered when it was read, the UTC day), so later edits never rewrite past figures.
Question ids are plain integers, not foreign keys: deleting a thread must not delete the
history of the calls it saved.

A visitor is ``m:<member id>`` for a signed-in member or ``v:<cookie id>`` for a browser
that kept the first-party visitor cookie (see ``analytics.visitors``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import Model

VISITOR_KEY_MAX = 48
NO_CATEGORY = 0
"""``category_key`` of roll-up rows for support requests that name no category."""


class ThreadView(Model):
    """One counted view of a thread page by a visitor (bots and cookie-less visits excluded)."""

    __tablename__ = "thread_views"
    # Covers the roll-up's scan of a day's answered views by visitor, first view (min id)
    # included, so it reads the index alone (SQLite adds the rowid itself; PostgreSQL needs it).
    __table_args__ = (Index("ix_thread_views_day_answered_visitor", "day", "answered", "visitor_key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int] = mapped_column(Integer)
    visitor_key: Mapped[str] = mapped_column(String(VISITOR_KEY_MAX))
    answered: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[date] = mapped_column(Date)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyAnswer(Model):
    """A visitor's answer to "Did this solve your problem?" on one thread (the latest one)."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("question_id", "visitor_key", name="uq_survey_answers_question_visitor"),
        Index("ix_survey_answers_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int] = mapped_column(Integer)
    visitor_key: Mapped[str] = mapped_column(String(VISITOR_KEY_MAX))
    solved: Mapped[bool] = mapped_column(Boolean)
    would_have_contacted: Mapped[bool | None] = mapped_column(Boolean)
    day: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_deflecting(self) -> bool:
        return bool(self.solved and self.would_have_contacted)


class SupportRequest(Model):
    """A "Contact support" request: stored first, then forwarded to the help desk if configured."""

    __tablename__ = "support_requests"
    __table_args__ = (
        Index("ix_support_requests_day_visitor", "day", "visitor_key"),
        Index("ix_support_requests_delivery", "delivery_status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    question_id: Mapped[int | None] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(Integer)
    visitor_key: Mapped[str | None] = mapped_column(String(VISITOR_KEY_MAX))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    counted: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(10), default="web")
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivery_status: Mapped[str] = mapped_column(String(20), default="not_configured")
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))


class CallCost(Model):
    """A change of the cost of a support call, in force from ``effective_from`` on.

    ``category_id`` None is the general cost; a category's own cost overrides it. A category
    row with ``amount_cents`` None returns that category to the general cost from its date.
    """

    __tablename__ = "call_costs"
    __table_args__ = (Index("ix_call_costs_category_effective", "category_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    effective_from: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DeflectionDay(Model):
    """The deflection inputs of one closed UTC day and one category (a roll-up)."""

    __tablename__ = "deflection_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    self_service_visits: Mapped[int] = mapped_column(Integer, default=0)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    survey_responses: Mapped[int] = mapped_column(Integer, default=0)
    survey_deflecting: Mapped[int] = mapped_column(Integer, default=0)


class ThreadDay(Model):
    """Per closed day and thread: self-service visits credited to it, and support requests."""

    __tablename__ = "deflection_thread_daily"
    __table_args__ = (Index("ix_deflection_thread_daily_question_day", "question_id", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    question_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(Integer)
    self_service_visits: Mapped[int] = mapped_column(Integer, default=0)
    support_requests: Mapped[int] = mapped_column(Integer, default=0)


class RollupDay(Model):
    """When a day's roll-up rows were computed, and whether a late event made them stale."""

    __tablename__ = "deflection_rollup_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
