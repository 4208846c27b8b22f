"""Q&A: categories, tags, questions, answers, comments, votes, revisions, notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.database import UTCDateTime, utcnow
from forum.extensions import Model, db

TITLE_MIN, TITLE_MAX = 15, 150
BODY_MAX = 30_000
COMMENT_MAX = 600
TAG_MAX_LENGTH = 35
TAGS_PER_QUESTION = 5
LISTED = ("deleted_at", "hidden_at", "held_for_review")  # the visibility columns lists filter on

question_tags = Table(
    "question_tags",
    db.metadata,
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Category(Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Tag(Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TAG_MAX_LENGTH), unique=True)
    question_count: Mapped[int] = mapped_column(Integer, default=0)


class TagAlias(Model):
    """An old name of a tag, left by a rename or a merge: ``/tags/<name>`` redirects to the
    tag, and a post tagged with the old name gets the tag (``forum.questions.tags``)."""

    __tablename__ = "tag_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TAG_MAX_LENGTH), unique=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tag: Mapped[Tag] = relationship()


class Question(Model):
    __tablename__ = "questions"
    # The list pages filter on visibility (the three columns of ``visible_questions``) and
    # sort by one column with ``id`` as the tie-break: one index per order serves the page
    # and its count without reading a row (migration 0007).
    __table_args__ = (
        Index("ix_questions_visible_created", "deleted_at", "hidden_at", "created_at"),
        Index("ix_questions_category_created", "category_id", "created_at"),
        Index("ix_questions_listed_created", *LISTED, "created_at", "id"),
        Index("ix_questions_listed_activity", *LISTED, "last_activity_at", "id"),
        Index("ix_questions_listed_score", *LISTED, "score", "id"),
        Index("ix_questions_listed_unanswered", *LISTED, "answer_count", "created_at", "id"),
        Index("ix_questions_category_listed", "category_id", *LISTED, "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    score: Mapped[int] = mapped_column(Integer, default=0, index=True)
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", use_alter=True, ondelete="SET NULL")
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_for_review: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    import_source: Mapped[str | None] = mapped_column(String(80), unique=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    category: Mapped[Category] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=question_tags, order_by=Tag.name)

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None and not self.held_for_review

    @property
    def status(self) -> str:
        """``solved``, ``answered`` or ``unanswered`` (the API's list filter values)."""
        if self.accepted_answer_id is not None:
            return "solved"
        return "answered" if self.answer_count > 0 else "unanswered"


class Answer(Model):
    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_question_score", "question_id", "score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    accuracy: Mapped[str | None] = mapped_column(String(20))
    accuracy_note: Mapped[str | None] = mapped_column(String(1000))
    accuracy_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accuracy_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_for_review: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    import_source: Mapped[str | None] = mapped_column(String(80), unique=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    accuracy_by: Mapped[User | None] = relationship(foreign_keys=[accuracy_by_id])
    question: Mapped[Question] = relationship(foreign_keys=[question_id])

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None and not self.held_for_review


class Comment(Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(String(COMMENT_MAX))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    import_source: Mapped[str | None] = mapped_column(String(80), unique=True)

    author: Mapped[User] = relationship()


class Vote(Model):
    """One member's vote on one post; the post's ``score`` is the sum, kept atomically."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id", name="uq_votes_user_target"),
        CheckConstraint("value IN (-1, 1)", name="value_is_up_or_down"),
        Index("ix_votes_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Revision(Model):
    """A post as it was after an edit (number 1 is the original)."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_target", "target_type", "target_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[str | None] = mapped_column(String(250))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()


class ReputationEvent(Model):
    """Why a member's reputation changed; ``users.reputation`` is kept as their sum plus 1."""

    __tablename__ = "reputation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
