"""Search bookkeeping: the index outbox and the search log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import Model


class SearchOutbox(Model):
    """A question whose index entry must be refreshed.

    Written in the same transaction as the change itself, so a crash can delay indexing but
    never lose it; rows are deleted only after the index has committed the change.
    """

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(Integer, index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SearchLog(Model):
    """One search as run: the normalized query (personal data replaced), the true result
    count, the filters, who searched (visitor id or member) and what they opened."""

    __tablename__ = "search_log"
    __table_args__ = (Index("ix_search_log_created_query", "created_at", "normalized_query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    normalized_query: Mapped[str] = mapped_column(String(200))
    results_count: Mapped[int] = mapped_column(Integer)
    filters: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    visitor_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    clicked_question_id: Mapped[int | None] = mapped_column(Integer)
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(20), default="search")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class KnowledgeGap(Model):
    """A gap someone marked addressed, with the thread that now answers it.

    It reopens when the same searches keep failing after ``addressed_at``.
    """

    __tablename__ = "knowledge_gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # zero_result | no_click | unanswered | unsolved
    key: Mapped[str] = mapped_column(String(200))  # the normalized query or the question id
    addressed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    addressed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answer_question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (Index("ix_knowledge_gaps_kind_key", "kind", "key"),)
