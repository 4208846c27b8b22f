"""Every model of the ``forum`` package, imported in one place for Alembic and the CLI."""

from __future__ import annotations

from forum.accounts.models import ApiToken, User
from forum.questions.models import (
    Answer,
    Category,
    Comment,
    Notification,
    Question,
    ReputationEvent,
    Revision,
    Tag,
    TagAlias,
    Vote,
    question_tags,
)

__all__ = [
    "Answer",
    "ApiToken",
    "Category",
    "Comment",
    "Notification",
    "Question",
    "ReputationEvent",
    "Revision",
    "Tag",
    "TagAlias",
    "User",
    "Vote",
    "question_tags",
]
