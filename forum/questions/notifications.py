"""In-app notifications: your question got an answer, your answer was accepted or commented on."""

from __future__ import annotations

from sqlalchemy import func, select, update

from forum.database import rows_matched, utcnow
from forum.extensions import db
from forum.questions.models import Notification

KINDS = {
    "answered": "answered your question",
    "accepted": "accepted your answer",
    "commented": "commented on your post",
}


def notify(user_id: int, kind: str, question_id: int, answer_id: int | None, actor_id: int | None) -> None:
    db.session.add(
        Notification(
            user_id=user_id, kind=kind, question_id=question_id, answer_id=answer_id, actor_id=actor_id
        )
    )


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return rows_matched(result)
