"""Routing tables: advocate teams, the categories they cover, priority rules, and the
routed-question queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.database import UTCDateTime, utcnow
from forum.extensions import Model, db
from forum.questions.models import Category, Question

ROUTING_STATUSES = ("new", "assigned", "answered", "escalated", "closed")
OPEN_STATUSES = ("new", "assigned", "escalated")
SIGNALS = {"churn": "Risk of leaving", "purchase": "Intent to buy", "urgent": "Urgent"}

routing_team_members = Table(
    "routing_team_members",
    db.metadata,
    Column("team_id", ForeignKey("routing_teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class RoutingTeam(Model):
    """A team of advocates that answers the questions of some categories."""

    __tablename__ = "routing_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    members: Mapped[list[User]] = relationship(secondary=routing_team_members, order_by=User.username)


class RoutingCategory(Model):
    """Questions in ``category`` go to ``team``."""

    __tablename__ = "routing_categories"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("routing_teams.id", ondelete="CASCADE"), index=True)

    category: Mapped[Category] = relationship()
    team: Mapped[RoutingTeam] = relationship()


class PriorityRule(Model):
    """A phrase in a question (e.g. "refund") that raises its priority by ``weight``."""

    __tablename__ = "priority_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(60), unique=True)
    signal: Mapped[str] = mapped_column(String(20))  # churn, purchase, urgent
    weight: Mapped[int] = mapped_column(Integer, default=10)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def signal_label(self) -> str:
        return SIGNALS.get(self.signal, self.signal)


class RoutedQuestion(Model):
    """A question in the advocates' queue: its team, assignee, status and priority."""

    __tablename__ = "routed_questions"
    __table_args__ = (Index("ix_routed_questions_status_priority", "status", "priority"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("routing_teams.id", ondelete="SET NULL"), index=True
    )
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="new")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    signals: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"phrase", "signal", "weight"}]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    question: Mapped[Question] = relationship()
    team: Mapped[RoutingTeam | None] = relationship()
    assignee: Mapped[User | None] = relationship()
