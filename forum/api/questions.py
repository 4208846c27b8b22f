"""API: questions, answers, votes, accepting and revisions (API.md, "Endpoints").

Views stay thin: parse the JSON, load the post (404 when the caller may not see it), call
the service that the HTML pages call too, commit once, and answer with API.md's objects.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.api.blueprint import bp
from forum.api.helpers import api_user, json_body, list_response, page_args, string_field
from forum.api.serializers import answer_object, question_object, question_with_answers, revision_object
from forum.audit import audit_if_on_behalf
from forum.errors import NotFoundError, ValidationFailed
from forum.extensions import db
from forum.questions import services, voting
from forum.questions.models import Answer, Category, Question, Revision
from forum.questions.permissions import can_see
from forum.questions.queries import STATUSES, question_list
from forum.questions.tags import tag_named

LIST_SORTS = ("newest", "active", "votes")
QUESTION_FIELDS = ("title", "body", "category", "tags")


# Loading -----------------------------------------------------------------------------------


def load_question(question_id: int) -> Question:
    """The question with author, category and tags; NotFoundError if the caller may not see it."""
    question = db.session.scalar(
        select(Question)
        .where(Question.id == question_id)
        .options(joinedload(Question.author), joinedload(Question.category), selectinload(Question.tags))
    )
    if question is None or not can_see(current_user, question):
        raise NotFoundError("That question does not exist.")
    return question


def load_answer(answer_id: int) -> Answer:
    """The answer; NotFoundError if the caller may not see it or its question."""
    answer = db.session.get(Answer, answer_id, options=[joinedload(Answer.author)])
    if answer is None or not can_see(current_user, answer) or not can_see(current_user, answer.question):
        raise NotFoundError("That answer does not exist.")
    return answer


def thread_answers(question: Question) -> list[Answer]:
    """The visible answers in thread order: accepted first, then higher score, then older."""
    order: list[Any] = []
    if question.accepted_answer_id is not None:
        order.append(case((Answer.id == question.accepted_answer_id, 0), else_=1))
    order += [Answer.score.desc(), Answer.created_at, Answer.id]
    return list(
        db.session.scalars(
            select(Answer)
            .where(
                Answer.question_id == question.id,
                Answer.hidden_at.is_(None),
                Answer.deleted_at.is_(None),
                Answer.held_for_review.is_(False),
            )
            .options(joinedload(Answer.author))
            .order_by(*order)
        )
    )


def question_response(question_id: int) -> dict[str, Any]:
    """The single-question read (question, answers and their authors in four queries)."""
    question = load_question(question_id)
    return question_with_answers(question, thread_answers(question))


# Input ------------------------------------------------------------------------------------


def tags_field(payload: dict[str, Any]) -> list[str]:
    """``tags``: a JSON list of strings; ValidationFailed naming ``tags`` otherwise."""
    tags = payload.get("tags")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValidationFailed("tags must be a list of strings.", {"tags": "Send a list of tag names."})
    return tags


def vote_value(payload: dict[str, Any]) -> int:
    """``value``: exactly the integer 1, -1 or 0 (not a bool, float or string)."""
    value = payload.get("value")
    if type(value) is not int or value not in (-1, 0, 1):
        raise ValidationFailed("A vote is 1, -1 or 0.", {"value": "Use the number 1, -1 or 0."})
    return value


def choice_arg(name: str, choices: tuple[str, ...], default: str | None) -> str | None:
    """A query-string value that must be one of ``choices``; 422 naming it otherwise."""
    value = request.args.get(name, default)
    if value is not None and value not in choices:
        raise ValidationFailed(
            f"{name} must be one of: {', '.join(choices)}.", {name: f"Use one of: {', '.join(choices)}."}
        )
    return value


# Questions --------------------------------------------------------------------------------


@bp.get("/questions")
def list_questions() -> ResponseReturnValue:
    """Visible questions, filtered and sorted; an unknown tag simply matches nothing, a renamed
    or merged tag's old name matches the tag it became."""
    page, per_page = page_args()
    sort = choice_arg("sort", LIST_SORTS, "newest") or "newest"
    status = choice_arg("status", STATUSES, None)
    category = None
    category_slug = request.args.get("category")
    if category_slug is not None:
        category = db.session.scalar(select(Category).where(Category.slug == category_slug))
        if category is None:
            raise ValidationFailed("Unknown category.", {"category": "Use a category slug such as product."})
    tag = None
    tag_name = request.args.get("tag")
    if tag_name is not None:
        tag = tag_named(tag_name)  # an old name means its tag
        if tag is None:
            return list_response([], page, per_page, 0)
    statement = question_list(sort, category=category, tag=tag, status=status)
    result = db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)
    return list_response(
        [question_object(question) for question in result.items], page, per_page, result.total or 0
    )


@bp.post("/questions")
def create_question() -> ResponseReturnValue:
    author = api_user()
    payload = json_body()
    question = services.ask_question(
        author,
        string_field(payload, "title"),
        string_field(payload, "body"),
        string_field(payload, "category"),
        tags_field(payload),
    )
    db.session.commit()
    return question_response(question.id), 201, {"Location": f"/api/v1/questions/{question.id}"}


@bp.get("/questions/<int:question_id>")
def get_question(question_id: int) -> ResponseReturnValue:
    return question_response(question_id)


@bp.patch("/questions/<int:question_id>")
def edit_question(question_id: int) -> ResponseReturnValue:
    """Partial edit: fields left out keep their values; every edit is kept as a revision."""
    editor = api_user()
    question = load_question(question_id)
    payload = json_body()
    if not any(name in payload for name in QUESTION_FIELDS):
        raise ValidationFailed(
            "Send at least one of title, body, category, tags.",
            {name: "Nothing to change." for name in QUESTION_FIELDS},
        )
    services.edit_question(
        editor,
        question,
        string_field(payload, "title") if "title" in payload else question.title,
        string_field(payload, "body") if "body" in payload else question.body,
        string_field(payload, "category") if "category" in payload else question.category.slug,
        tags_field(payload) if "tags" in payload else [tag.name for tag in question.tags],
        note=string_field(payload, "note", required=False),
    )
    audit_if_on_behalf(editor, question.author_id, "question.edit", "question", question.id)
    db.session.commit()
    return question_response(question_id)


@bp.get("/questions/<int:question_id>/revisions")
def question_revisions(question_id: int) -> ResponseReturnValue:
    load_question(question_id)
    return revisions_response("question", question_id)


@bp.post("/questions/<int:question_id>/vote")
def vote_on_question(question_id: int) -> ResponseReturnValue:
    return vote_response("question", question_id)


# Answers ----------------------------------------------------------------------------------


@bp.post("/questions/<int:question_id>/answers")
def create_answer(question_id: int) -> ResponseReturnValue:
    author = api_user()
    question = load_question(question_id)
    answer = services.post_answer(author, question, string_field(json_body(), "body"))
    db.session.commit()
    return answer_object(answer, question.accepted_answer_id), 201


@bp.patch("/answers/<int:answer_id>")
def edit_answer(answer_id: int) -> ResponseReturnValue:
    editor = api_user()
    answer = load_answer(answer_id)
    payload = json_body()
    services.edit_answer(
        editor, answer, string_field(payload, "body"), note=string_field(payload, "note", required=False)
    )
    audit_if_on_behalf(editor, answer.author_id, "answer.edit", "answer", answer.id)
    db.session.commit()
    return answer_object(answer, answer.question.accepted_answer_id)


@bp.post("/answers/<int:answer_id>/accept")
def accept_answer(answer_id: int) -> ResponseReturnValue:
    """Mark the answer accepted (moving an earlier accept); returns the whole question."""
    actor = api_user()
    question = voting.accept_answer(actor, load_answer(answer_id))
    audit_if_on_behalf(actor, question.author_id, "answer.accept", "answer", answer_id)
    db.session.commit()
    return question_response(question.id)


@bp.get("/answers/<int:answer_id>/revisions")
def answer_revisions(answer_id: int) -> ResponseReturnValue:
    load_answer(answer_id)
    return revisions_response("answer", answer_id)


@bp.post("/answers/<int:answer_id>/vote")
def vote_on_answer(answer_id: int) -> ResponseReturnValue:
    return vote_response("answer", answer_id)


# Shared responses -------------------------------------------------------------------------


def vote_response(target_type: str, target_id: int) -> ResponseReturnValue:
    """Set the caller's vote (1, -1, or 0 to retract); ``{"score", "value"}``."""
    voter = api_user()
    value = vote_value(json_body())
    score = voting.cast_vote(voter, target_type, target_id, value)
    db.session.commit()
    return {"score": score, "value": value}


def revisions_response(target_type: str, target_id: int) -> ResponseReturnValue:
    """A post's revisions, oldest (number 1, the original) first, paginated."""
    page, per_page = page_args()
    where = (Revision.target_type == target_type, Revision.target_id == target_id)
    total = db.session.scalar(select(func.count()).select_from(Revision).where(*where)) or 0
    revisions = db.session.scalars(
        select(Revision)
        .where(*where)
        .options(joinedload(Revision.author))
        .order_by(Revision.number)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list_response([revision_object(revision) for revision in revisions], page, per_page, total)
