"""Writes for Q&A: ask, answer, comment, edit, delete and restore, close as duplicate.

Every function validates, checks permission, flushes, and raises a ``DomainError`` rather
than aborting; the caller commits once. Votes and accepting live in ``voting``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.database import utcnow
from forum.errors import Conflict, NotAllowed, NotFoundError, ValidationFailed
from forum.extensions import db
from forum.markup import render_markdown
from forum.questions import notifications, permissions
from forum.questions.models import Answer, Category, Comment, Question, Revision, Tag
from forum.questions.tags import current_tag_names
from forum.questions.validation import clean_body, clean_comment, clean_tags, clean_title
from forum.roles import is_moderator
from forum.signals import post_changed, post_created, post_screening

T = TypeVar("T")


def get_category(slug: str) -> Category:
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise ValidationFailed("Unknown category.", {"category": "Choose one of the listed categories."})
    return category


def _tags_named(names: list[str]) -> list[Tag]:
    """The tags called ``names`` (an old name gives its tag), created when new."""
    names = current_tag_names(names)
    existing = {tag.name: tag for tag in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name not in existing:
            existing[name] = _create_tag(name)
    return [existing[name] for name in names]


def _create_tag(name: str) -> Tag:
    """Create a tag; if another request created the same name at the same moment, use theirs."""
    tag = Tag(name=name, question_count=0)
    try:
        with db.session.begin_nested():
            db.session.add(tag)
    except IntegrityError:
        found = db.session.scalar(select(Tag).where(Tag.name == name))
        if found is None:
            raise
        return found
    return tag


def _set_tags(question: Question, names: list[str], old: list[Tag]) -> None:
    tags = _tags_named(names)
    removed = [tag.id for tag in old if tag not in tags]
    added = [tag.id for tag in tags if tag not in old]
    if removed:
        db.session.execute(
            update(Tag).where(Tag.id.in_(removed)).values(question_count=Tag.question_count - 1)
        )
    if added:
        db.session.execute(update(Tag).where(Tag.id.in_(added)).values(question_count=Tag.question_count + 1))
    question.tags = tags


def _names(question: Question) -> list[str]:
    return [tag.name for tag in question.tags]


def _add_revision(
    target_type: str,
    target_id: int,
    author: User,
    body: str,
    title: str | None = None,
    tags: list[str] | None = None,
    note: str = "",
) -> Revision:
    number = (
        db.session.scalar(
            select(func.max(Revision.number)).where(
                Revision.target_type == target_type, Revision.target_id == target_id
            )
        )
        or 0
    ) + 1
    revision = Revision(
        target_type=target_type,
        target_id=target_id,
        number=number,
        title=title,
        body=body,
        tags=" ".join(tags) if tags is not None else None,
        author_id=author.id,
        note=note[:300],
    )
    db.session.add(revision)
    return revision


@dataclass(frozen=True)
class QuestionFields:
    title: str
    body: str
    category: Category
    tags: list[str]


def clean_question_fields(title: str, body: str, category: str, tags: list[str]) -> QuestionFields:
    """Every field of a question checked at once, so the form can show all problems together."""
    problems: dict[str, str] = {}

    def attempt(check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationFailed as error:
            problems.update(error.fields)
            return None

    clean = (
        attempt(lambda: clean_title(title)),
        attempt(lambda: clean_body(body)),
        attempt(lambda: get_category(category)),
        attempt(lambda: clean_tags(tags)),
    )
    if problems:
        raise ValidationFailed("Please correct the highlighted fields.", problems)
    clean_title_, clean_body_, found_category, clean_tag_names = clean
    assert clean_title_ is not None and clean_body_ is not None
    assert found_category is not None and clean_tag_names is not None
    return QuestionFields(clean_title_, clean_body_, found_category, clean_tag_names)


def screen_post(author: User, kind: str, text: str, question: Question | None = None) -> bool:
    """Ask the spam and abuse rules about a post; True when it must be held for review.

    Receivers of ``post_screening`` refuse a post by raising a DomainError.
    """
    results = post_screening.send(author=author, kind=kind, text=text, question=question)
    return any(verdict == "hold" for _receiver, verdict in results)


def ask_question(
    author: User, title: str, body: str, category: str, tags: list[str], *, created_at: datetime | None = None
) -> Question:
    """Post a new question (revision 1 is kept). Raises ValidationFailed or NotAllowed."""
    if not permissions.can_post(author):
        raise NotAllowed("Your account cannot post right now.")
    fields = clean_question_fields(title, body, category, tags)
    held = screen_post(author, "question", f"{fields.title}\n{fields.body}")
    now = created_at or utcnow()
    question = Question(
        held_for_review=held,
        title=fields.title,
        body=fields.body,
        body_html=render_markdown(fields.body),
        category=fields.category,
        author_id=author.id,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    db.session.add(question)
    _set_tags(question, fields.tags, [])
    db.session.flush()
    _add_revision("question", question.id, author, question.body, question.title, _names(question))
    post_created.send(post=question, kind="question", author=author)
    post_changed.send(question_id=question.id)
    return question


def post_answer(author: User, question: Question, body: str, *, created_at: datetime | None = None) -> Answer:
    """Answer ``question``; notifies the asker. Raises NotAllowed on a locked thread."""
    if not permissions.can_answer(author, question):
        if question.locked_at is not None:
            raise NotAllowed("This thread is locked; it takes no new answers.", code="locked")
        raise NotAllowed("Your account cannot post right now.")
    body = clean_body(body)
    held = screen_post(author, "answer", body, question)
    now = created_at or utcnow()
    answer = Answer(
        held_for_review=held,
        question_id=question.id,
        body=body,
        body_html=render_markdown(body),
        author_id=author.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(answer)
    if not held:
        db.session.execute(
            update(Question)
            .where(Question.id == question.id)
            .values(answer_count=Question.answer_count + 1, last_activity_at=now)
        )
    db.session.flush()
    _add_revision("answer", answer.id, author, body)
    post_created.send(post=answer, kind="answer", author=author)
    if question.author_id != author.id and not held:
        notifications.notify(question.author_id, "answered", question.id, answer.id, author.id)
    post_changed.send(question_id=question.id)
    return answer


def post_comment(author: User, question: Question, body: str, answer: Answer | None = None) -> Comment:
    """Comment on a question or one of its answers; notifies the post's author."""
    if not permissions.can_answer(author, question):
        raise NotAllowed("You cannot comment here.")
    if answer is not None and answer.question_id != question.id:
        raise NotFoundError("That answer is not in this thread.")
    text = clean_comment(body)
    if screen_post(author, "comment", text, question):
        raise NotAllowed("Your comment needs a moderator's review; please rephrase it.", code="held")
    comment = Comment(
        question_id=question.id,
        answer_id=answer.id if answer else None,
        body=text,
        author_id=author.id,
    )
    db.session.add(comment)
    db.session.execute(
        update(Question)
        .where(Question.id == question.id)
        .values(comment_count=Question.comment_count + 1, last_activity_at=utcnow())
    )
    db.session.flush()
    target_author = answer.author_id if answer else question.author_id
    if target_author != author.id:
        notifications.notify(
            target_author, "commented", question.id, answer.id if answer else None, author.id
        )
    return comment


def edit_question(
    editor: User, question: Question, title: str, body: str, category: str, tags: list[str], note: str = ""
) -> Question:
    """Change a question; the new state is kept as a revision with its author and time."""
    if not permissions.can_edit(editor, question):
        raise NotAllowed("You can only edit your own posts.")
    fields = clean_question_fields(title, body, category, tags)
    old_tags = list(question.tags)
    question.title = fields.title
    question.body = fields.body
    question.body_html = render_markdown(question.body)
    question.category = fields.category
    _set_tags(question, fields.tags, old_tags)
    question.updated_at = question.last_activity_at = utcnow()
    _add_revision("question", question.id, editor, question.body, question.title, _names(question), note)
    db.session.flush()
    post_changed.send(question_id=question.id)
    return question


def edit_answer(editor: User, answer: Answer, body: str, note: str = "") -> Answer:
    if not permissions.can_edit(editor, answer):
        raise NotAllowed("You can only edit your own posts.")
    answer.body = clean_body(body)
    answer.body_html = render_markdown(answer.body)
    answer.updated_at = utcnow()
    _add_revision("answer", answer.id, editor, answer.body, note=note)
    db.session.flush()
    post_changed.send(question_id=answer.question_id)
    return answer


def delete_post(actor: User, post: Question | Answer) -> None:
    """Soft-delete: moderators can still see and restore it."""
    if not permissions.can_delete(actor, post):
        raise NotAllowed("You can only delete your own posts.")
    if post.deleted_at is not None:
        raise Conflict("That post is already deleted.")
    post.deleted_at = utcnow()
    if isinstance(post, Answer):
        recount_answers(post.question_id)
    db.session.flush()
    post_changed.send(question_id=post.id if isinstance(post, Question) else post.question_id)


def restore_post(actor: User, post: Question | Answer) -> None:
    if not is_moderator(actor):
        raise NotAllowed("Only moderators restore deleted posts.")
    if post.deleted_at is None:
        raise Conflict("That post is not deleted.")
    post.deleted_at = None
    if isinstance(post, Answer):
        recount_answers(post.question_id)
    db.session.flush()
    post_changed.send(question_id=post.id if isinstance(post, Question) else post.question_id)


def recount_answers(question_id: int) -> None:
    """Set ``answer_count`` to the number of visible answers (after a moderation change).

    Posting uses an atomic increment instead; this is for rarer visibility changes.
    """
    db.session.flush()
    visible = (
        select(func.count())
        .select_from(Answer)
        .where(
            Answer.question_id == question_id,
            Answer.hidden_at.is_(None),
            Answer.deleted_at.is_(None),
            Answer.held_for_review.is_(False),
        )
        .scalar_subquery()
    )
    db.session.execute(update(Question).where(Question.id == question_id).values(answer_count=visible))


def set_visibility(post: Question | Answer, *, hidden: bool | None = None, held: bool | None = None) -> None:
    """Hide or unhide a post, or release it from review, keeping counts and search in step.

    Permission checks are the caller's (the moderation panel); this only changes state.
    """
    if hidden is not None:
        post.hidden_at = utcnow() if hidden else None
    if held is not None:
        post.held_for_review = held
    question_id = post.id if isinstance(post, Question) else post.question_id
    if isinstance(post, Answer):
        recount_answers(question_id)
    db.session.flush()
    post_changed.send(question_id=question_id)


def close_as_duplicate(moderator: User, question: Question, canonical: Question) -> None:
    """Point ``question`` at the canonical thread that answers it."""
    if not permissions.can_close_as_duplicate(moderator):
        raise NotAllowed("Only moderators close questions as duplicates.")
    if canonical.id == question.id:
        raise ValidationFailed(
            "A question cannot duplicate itself.", {"duplicate_of": "Pick another question."}
        )
    if canonical.duplicate_of_id == question.id:
        raise ValidationFailed(
            "That question is already a duplicate of this one.",
            {"duplicate_of": "Pick the canonical question."},
        )
    question.duplicate_of_id = canonical.id
    question.updated_at = utcnow()
    db.session.flush()


def reopen_duplicate(moderator: User, question: Question) -> None:
    if not permissions.can_close_as_duplicate(moderator):
        raise NotAllowed("Only moderators reopen questions.")
    question.duplicate_of_id = None
    db.session.flush()
