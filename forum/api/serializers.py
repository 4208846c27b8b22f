"""Question, answer and revision objects as API.md names them (plain dicts for ``jsonify``).

Serializers only read attributes; callers load what they touch (author, category, tags) up
front so a list or a thread costs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from forum.api.helpers import user_summary
from forum.questions.models import Answer, Question, Revision


def iso_time(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC (``2024-05-01T09:30:00+00:00``), or None."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def question_object(question: Question) -> dict[str, Any]:
    """The question object (without ``answers``): needs author, category and tags loaded."""
    return {
        "id": question.id,
        "title": question.title,
        "body": question.body,
        "body_html": question.body_html,
        "category": question.category.slug,
        "tags": [tag.name for tag in question.tags],
        "author": user_summary(question.author),
        "score": question.score,
        "answer_count": question.answer_count,
        "accepted_answer_id": question.accepted_answer_id,
        "status": question.status,
        "view_count": question.view_count,
        "duplicate_of_id": question.duplicate_of_id,
        "locked": question.locked_at is not None,
        "url": f"/questions/{question.id}",
        "created_at": iso_time(question.created_at),
        "updated_at": iso_time(question.updated_at),
    }


def answer_object(answer: Answer, accepted_answer_id: int | None) -> dict[str, Any]:
    """The answer object; ``accepted_answer_id`` is its question's (saves loading it)."""
    return {
        "id": answer.id,
        "question_id": answer.question_id,
        "body": answer.body,
        "body_html": answer.body_html,
        "author": user_summary(answer.author),
        "score": answer.score,
        "accepted": answer.id == accepted_answer_id,
        "accuracy": answer.accuracy,
        "created_at": iso_time(answer.created_at),
        "updated_at": iso_time(answer.updated_at),
    }


def question_with_answers(question: Question, answers: Sequence[Answer]) -> dict[str, Any]:
    """The single-question read: the question object plus its ``answers`` in thread order."""
    return {
        **question_object(question),
        "answers": [answer_object(answer, question.accepted_answer_id) for answer in answers],
    }


def revision_object(revision: Revision) -> dict[str, Any]:
    """One revision: ``number`` 1 is the original post; ``title`` and ``tags`` are null for answers."""
    return {
        "number": revision.number,
        "target_type": revision.target_type,
        "target_id": revision.target_id,
        "title": revision.title,
        "body": revision.body,
        "tags": revision.tags.split() if revision.tags is not None else None,
        "author": user_summary(revision.author),
        "note": revision.note,
        "created_at": iso_time(revision.created_at),
    }
