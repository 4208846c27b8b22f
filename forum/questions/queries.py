"""Reads for Q&A pages and the API. Each returns a ``Select`` (or loads a fixed set)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from forum.questions.models import Category, Question, Tag, question_tags

SORTS = ("newest", "active", "votes", "unanswered")
STATUSES = ("unanswered", "answered", "solved")


def visible_questions() -> Select[tuple[Question]]:
    """Questions every reader may see: not hidden, deleted or held for review."""
    return select(Question).where(
        Question.hidden_at.is_(None),
        Question.deleted_at.is_(None),
        Question.held_for_review.is_(False),
    )


def question_list(
    sort: str = "newest",
    category: Category | None = None,
    tag: Tag | None = None,
    status: str | None = None,
) -> Select[tuple[Question]]:
    """The visible questions in list order, with author, category and tags loaded."""
    statement = visible_questions().options(
        joinedload(Question.author), joinedload(Question.category), selectinload(Question.tags)
    )
    if category is not None:
        statement = statement.where(Question.category_id == category.id)
    if tag is not None:
        statement = statement.where(
            Question.id.in_(select(question_tags.c.question_id).where(question_tags.c.tag_id == tag.id))
        )
    if sort == "unanswered":
        status = "unanswered"
    if status == "unanswered":
        statement = statement.where(Question.answer_count == 0)
    elif status == "answered":
        statement = statement.where(Question.answer_count > 0)
    elif status == "solved":
        statement = statement.where(Question.accepted_answer_id.is_not(None))
    if sort == "active":
        order = [Question.last_activity_at.desc(), Question.id.desc()]
    elif sort == "votes":
        order = [Question.score.desc(), Question.id.desc()]
    else:
        order = [Question.created_at.desc(), Question.id.desc()]
    return statement.order_by(*order)


def categories() -> Select[tuple[Category]]:
    return select(Category).order_by(Category.position, Category.name)
