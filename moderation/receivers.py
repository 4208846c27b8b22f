"""Signal receivers: how moderation hears about posts, accepts and sign-ins from ``forum``."""

from __future__ import annotations

from typing import Any

from flask import flash, has_request_context

from forum.extensions import db
from forum.questions.models import Question
from moderation import routing
from moderation.members import unread_warning_count
from moderation.models import RuleHit
from moderation.spam import take_hold_reasons
from moderation.tracking import on_user_logged_in, record_address, request_address


def on_post_created(_sender: Any = None, *, post: Any, kind: str, author: Any, **_extra: Any) -> None:
    """Log why a held post was held, count the posting address, and route new questions."""
    reasons = take_hold_reasons()
    if reasons and post.held_for_review:
        for rule, detail in reasons:
            db.session.add(
                RuleHit(
                    user_id=author.id,
                    kind=kind,
                    rule=rule,
                    detail=detail[:200],
                    outcome="held",
                    target_type=kind,
                    target_id=post.id,
                )
            )
    address = request_address()
    if address:
        record_address(author.id, address, post=True)
    if kind == "question":
        routing.route_question(post)
    elif kind == "answer" and not post.held_for_review:
        question = db.session.get(Question, post.question_id)
        if question is not None:
            routing.note_answer(question.id, author.id, question.author_id, post.created_at)


def on_answer_accepted(_sender: Any = None, *, question: Any, **_extra: Any) -> None:
    routing.note_accepted(question.id)


def on_sign_in(sender: Any = None, user: Any = None, **extra: Any) -> None:
    """Flask-Login's ``user_logged_in``: note the address; tell a suspended or warned member."""
    on_user_logged_in(sender, user=user, **extra)
    if user is None or not has_request_context():
        return
    if user.is_suspended():
        flash(
            f"Your account is suspended until {user.suspended_until:%b %-d, %Y} (UTC): "
            f"{user.suspension_reason or 'see your account standing'}. "
            "You can read, but not post, vote or flag.",
            "warning",
        )
    if unread_warning_count(user.id):
        flash("A moderator sent you a warning. Please read it on your account standing page.", "warning")
