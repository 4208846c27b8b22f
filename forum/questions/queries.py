"""Reads for Q&A pages and the API. Each returns a ``Select`` (or loads a fixed set)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, bindparam, cast, func, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload

from forum.extensions import db
from forum.questions.models import Answer, Category, Comment, Question, Revision, Tag, Vote, question_tags

SORTS = ("newest", "active", "votes", "unanswered")
STATUSES = ("unanswered", "answered", "solved")


def _visible() -> tuple[Any, ...]:
    return (Question.hidden_at.is_(None), Question.deleted_at.is_(None), Question.held_for_review.is_(False))


def visible_questions() -> Select[Question]:
    """Questions every reader may see: not hidden, deleted or held for review."""
    return select(Question).where(*_visible())


def visible_question_count(unanswered: bool = False) -> Select[int]:
    """How many questions every reader may see (only unanswered ones if asked), counted
    on the list index without reading a row."""
    statement = select(func.count()).select_from(Question).where(*_visible())
    return statement.where(Question.answer_count == 0) if unanswered else statement


def question_list(
    sort: str = "newest",
    category: Category | None = None,
    tag: Tag | None = None,
    status: str | None = None,
) -> Select[Question]:
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
    order: list[Any]
    if sort == "active":
        order = [Question.last_activity_at.desc(), Question.id.desc()]
    elif sort == "votes":
        order = [Question.score.desc(), Question.id.desc()]
    else:
        order = [Question.created_at.desc(), Question.id.desc()]
    return statement.order_by(*order)


def categories() -> Select[Category]:
    return select(Category).order_by(Category.position, Category.name)


@dataclass
class Thread:
    """Everything a thread page shows, loaded in a fixed number of queries."""

    question: Question
    answers: list[Answer]
    comments: dict[int | None, list[Comment]]  # answer id (None: on the question) -> comments
    my_votes: dict[tuple[str, int], int]
    duplicate_of: Question | None


def load_thread(question_id: int, viewer: Any, include_hidden: bool = False) -> Thread | None:
    """The thread of ``question_id`` as ``viewer`` may see it, or None when it does not exist."""
    # The Markdown sources are for the edit pages; the thread shows the stored HTML.
    question = db.session.scalar(
        select(Question)
        .options(
            defer(Question.body),
            joinedload(Question.author),
            joinedload(Question.category),
            selectinload(Question.tags),
        )
        .where(Question.id == question_id)
    )
    if question is None:
        return None
    answer_query = (
        select(Answer)
        .options(defer(Answer.body), joinedload(Answer.author), joinedload(Answer.accuracy_by))
        .where(Answer.question_id == question_id)
    )
    if not include_hidden:
        answer_query = answer_query.where(
            Answer.hidden_at.is_(None), Answer.deleted_at.is_(None), Answer.held_for_review.is_(False)
        )
    answers = list(db.session.scalars(answer_query))
    answers.sort(key=lambda a: (a.id != question.accepted_answer_id, -a.score, a.created_at, a.id))
    comment_query = (
        select(Comment)
        .options(joinedload(Comment.author))
        .where(Comment.question_id == question_id)
        .order_by(Comment.created_at, Comment.id)
    )
    if not include_hidden:
        comment_query = comment_query.where(Comment.hidden_at.is_(None), Comment.deleted_at.is_(None))
    comments: dict[int | None, list[Comment]] = {}
    for comment in db.session.scalars(comment_query):
        comments.setdefault(comment.answer_id, []).append(comment)
    my_votes: dict[tuple[str, int], int] = {}
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        answer_ids = [answer.id for answer in answers]
        rows = db.session.execute(
            select(Vote.target_type, Vote.target_id, Vote.value).where(
                Vote.user_id == viewer.id,
                or_(
                    and_(Vote.target_type == "question", Vote.target_id == question_id),
                    and_(Vote.target_type == "answer", Vote.target_id.in_(answer_ids)),
                ),
            )
        )
        my_votes = {(row.target_type, row.target_id): row.value for row in rows}
    duplicate_of = db.session.get(Question, question.duplicate_of_id) if question.duplicate_of_id else None
    return Thread(question, answers, comments, my_votes, duplicate_of)


def _row_text(*columns: Any) -> ColumnElement[str]:
    """A row's columns as one string, ``|`` between them (NULL as empty)."""
    text: ColumnElement[str] = func.coalesce(cast(columns[0], String), "")
    for column in columns[1:]:
        text = text + "|" + func.coalesce(cast(column, String), "")
    return text


# Everything on a thread page that can change without its question row changing: each
# answer's and comment's id, score, edit time, accuracy and visibility, as one string each.
_ANSWERS_STATE = (
    select(
        func.aggregate_strings(
            _row_text(
                Answer.id,
                Answer.score,
                Answer.updated_at,
                Answer.accuracy,
                Answer.accuracy_at,
                Answer.hidden_at,
                Answer.deleted_at,
                Answer.held_for_review,
            ),
            ";",
        )
    )
    .where(Answer.question_id == Question.id)
    .scalar_subquery()
)
_COMMENTS_STATE = (
    select(
        func.aggregate_strings(
            _row_text(Comment.id, Comment.created_at, Comment.hidden_at, Comment.deleted_at), ";"
        )
    )
    .where(Comment.question_id == Question.id)
    .scalar_subquery()
)
# The question columns an anonymous reader's page depends on (with the states above):
# the cached thread article is used while all of them are unchanged.
THREAD_VERSION_COLUMNS = (
    Question.title,
    Question.category_id,
    Question.score,
    Question.answer_count,
    Question.comment_count,
    Question.accepted_answer_id,
    Question.duplicate_of_id,
    Question.locked_at,
    Question.hidden_at,
    Question.deleted_at,
    Question.held_for_review,
    Question.updated_at,
    Question.last_activity_at,
)
# Built once: building and keying a statement cost about as much as running it.
_THREAD_QUESTION = (
    select(Question, _ANSWERS_STATE, _COMMENTS_STATE)
    .options(defer(Question.body))
    .where(Question.id == bindparam("question_id"))
)
_THREAD_VERSION = select(*THREAD_VERSION_COLUMNS, _ANSWERS_STATE, _COMMENTS_STATE).where(
    Question.id == bindparam("question_id")
)


def _states(answers: str | None, comments: str | None) -> Hashable:
    # The databases concatenate in no promised order: compare the rows as sets.
    return frozenset((answers or "").split(";")), frozenset((comments or "").split(";"))


def thread_version(question: Question, state: Hashable) -> Hashable:
    """The version of a loaded thread: ``THREAD_VERSION_COLUMNS`` of its question, and its state."""
    return (*(getattr(question, column.key) for column in THREAD_VERSION_COLUMNS), state)


def thread_question(question_id: int) -> tuple[Question, Hashable] | None:
    """The question row without its source (the page checks it before anything else) and the
    state of its answers and comments (see ``_ANSWERS_STATE``), in one query; None when the
    question does not exist. The state compares equal while none of them changed."""
    row = db.session.execute(_THREAD_QUESTION, {"question_id": question_id}).first()
    if row is None:
        return None
    question, answers, comments = row
    return question, _states(answers, comments)


def current_thread_version(question_id: int) -> Hashable | None:
    """``thread_version`` of a thread read straight from the database, without loading the
    question through the ORM (half the cost of a cached page); None when there is no such question.
    A connection of its own: a reader served from the cache needs no session."""
    with db.engine.connect() as connection:
        row = connection.execute(_THREAD_VERSION, {"question_id": question_id}).first()
    if row is None:
        return None
    *columns, answers, comments = row
    return (*columns, _states(answers, comments))


def revisions_of(target_type: str, target_id: int) -> Select[Revision]:
    return (
        select(Revision)
        .options(joinedload(Revision.author))
        .where(Revision.target_type == target_type, Revision.target_id == target_id)
        .order_by(Revision.number.desc())
    )


def user_questions(user_id: int) -> Select[Question]:
    return question_list("newest").where(Question.author_id == user_id)


def user_answers(user_id: int) -> Select[Answer]:
    return (
        select(Answer)
        .options(joinedload(Answer.question))
        .join(Question, Question.id == Answer.question_id)
        .where(
            Answer.author_id == user_id,
            Answer.hidden_at.is_(None),
            Answer.deleted_at.is_(None),
            Answer.held_for_review.is_(False),
            Question.hidden_at.is_(None),
            Question.deleted_at.is_(None),
            Question.held_for_review.is_(False),
        )
        .order_by(Answer.score.desc(), Answer.created_at.desc())
    )
