"""Who may do what to a post: small pure functions for views and templates alike."""

from __future__ import annotations

from typing import Any

from forum.roles import is_moderator


def _is_member(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_post(user: Any) -> bool:
    """Signed in and not suspended."""
    return _is_member(user) and not user.is_suspended()


def can_see(user: Any, post: Any) -> bool:
    """Hidden, deleted and held posts are for moderators (and a held post's author)."""
    if post.is_visible:
        return True
    if is_moderator(user):
        return True
    return bool(
        _is_member(user)
        and post.held_for_review
        and post.deleted_at is None
        and post.hidden_at is None
        and post.author_id == user.id
    )


def can_edit(user: Any, post: Any) -> bool:
    if not can_post(user):
        return False
    return bool(post.author_id == user.id or is_moderator(user))


def can_delete(user: Any, post: Any) -> bool:
    return can_edit(user, post)


def can_vote(user: Any, post: Any) -> bool:
    return can_post(user) and post.author_id != user.id


def can_answer(user: Any, question: Any) -> bool:
    return can_post(user) and (question.locked_at is None or is_moderator(user))


def can_accept(user: Any, question: Any) -> bool:
    """The asker, or a moderator, accepts the answer that solved it."""
    return can_post(user) and (question.author_id == user.id or is_moderator(user))


def can_close_as_duplicate(user: Any) -> bool:
    return is_moderator(user)


def can_manage_tags(user: Any) -> bool:
    """Moderators and admins rename and merge tags."""
    return is_moderator(user)
