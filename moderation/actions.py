"""Moderator actions on posts and threads. Each public function checks the actor, changes the
post through the forum's services (so counts and search follow), resolves the post's open
flags where the action answers them, and writes exactly one audit entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.database import utcnow
from forum.errors import Conflict, NotAllowed, ValidationFailed
from forum.extensions import db
from forum.questions import services
from forum.questions.models import Answer, Question
from forum.roles import is_moderator
from moderation.flags import open_flags_on, post_kind, question_id_of
from moderation.models import FLAG_NOTE_MAX, Flag

Post = Question | Answer


def _require_moderator(actor: User) -> None:
    if not is_moderator(actor):
        raise NotAllowed("Only moderators can do that.")


def _note(note: str | None) -> str:
    return " ".join((note or "").split())[:FLAG_NOTE_MAX]


def post_state(post: Post) -> dict[str, Any]:
    return {
        "hidden": post.hidden_at is not None,
        "deleted": post.deleted_at is not None,
        "held": bool(post.held_for_review),
    }


def resolve_open_flags(post: Post, moderator: User, status: str, resolution: str, note: str) -> list[int]:
    """Close every open flag on ``post`` with ``status`` (dismissed or actioned); their ids."""
    ids = [flag.id for flag in open_flags_on(post_kind(post), post.id)]
    if ids:
        db.session.execute(
            update(Flag)
            .where(Flag.id.in_(ids), Flag.status == "open")
            .values(
                status=status,
                resolution=resolution,
                resolution_note=note or None,
                resolved_at=utcnow(),
                resolved_by_id=moderator.id,
            )
            .execution_options(synchronize_session="fetch")
        )
    return ids


def _audit(moderator: User, action: str, post: Post, before: Any, note: str, **details: Any) -> None:
    record_privileged_action(
        moderator,
        action,
        post_kind(post),
        post.id,
        before=before,
        after=post_state(post),
        details={"question_id": question_id_of(post), "note": note, **details},
    )


def dismiss_flags(moderator: User, post: Post, note: str = "") -> list[int]:
    """The post is fine: close its open flags and show it again if flags had hidden it."""
    _require_moderator(moderator)
    note = _note(note)
    before = post_state(post)
    ids = resolve_open_flags(post, moderator, "dismissed", "dismiss", note)
    if not ids:
        raise Conflict("That post has no open flags.", code="no_open_flags")
    unhidden = post.hidden_at is not None and post.deleted_at is None
    if unhidden:
        services.set_visibility(post, hidden=False)
    _audit(moderator, "flags.dismiss", post, before, note, flags=ids, unhidden=unhidden)
    return ids


def hide_post(moderator: User, post: Post, note: str = "") -> list[int]:
    """Hide the post from everyone but moderators; its open flags are actioned."""
    _require_moderator(moderator)
    note = _note(note)
    before = post_state(post)
    ids = resolve_open_flags(post, moderator, "actioned", "hide", note)
    if post.hidden_at is None:
        services.set_visibility(post, hidden=True)
    elif not ids:
        raise Conflict("That post is already hidden.", code="already_hidden")
    _audit(moderator, "post.hide", post, before, note, flags=ids)
    return ids


def restore_post(moderator: User, post: Post, note: str = "") -> list[int]:
    """Bring back a hidden or deleted post; any open flags on it are dismissed."""
    _require_moderator(moderator)
    note = _note(note)
    before = post_state(post)
    if post.deleted_at is None and post.hidden_at is None:
        raise Conflict("That post is neither hidden nor deleted.", code="not_hidden")
    ids = resolve_open_flags(post, moderator, "dismissed", "restore", note)
    if post.deleted_at is not None:
        services.restore_post(moderator, post)
    if post.hidden_at is not None:
        services.set_visibility(post, hidden=False)
    _audit(moderator, "post.restore", post, before, note, flags=ids)
    return ids


def delete_post(moderator: User, post: Post, note: str = "") -> list[int]:
    """Soft-delete the post (moderators can restore it); its open flags are actioned."""
    _require_moderator(moderator)
    if post.deleted_at is not None:
        raise Conflict("That post is already deleted.", code="already_deleted")
    note = _note(note)
    before = post_state(post)
    ids = resolve_open_flags(post, moderator, "actioned", "delete", note)
    services.delete_post(moderator, post)
    _audit(moderator, "post.delete", post, before, note, flags=ids)
    return ids


def set_lock(moderator: User, question: Question, locked: bool, note: str = "") -> None:
    """Lock a thread (no new answers or comments) or unlock it."""
    _require_moderator(moderator)
    if (question.locked_at is not None) == locked:
        raise Conflict(f"That thread is already {'locked' if locked else 'unlocked'}.", code="unchanged")
    before = {"locked": question.locked_at is not None}
    question.locked_at = utcnow() if locked else None
    db.session.flush()
    record_privileged_action(
        moderator,
        "thread.lock" if locked else "thread.unlock",
        "question",
        question.id,
        before=before,
        after={"locked": locked},
        details={"question_id": question.id, "note": _note(note)},
    )


def close_as_duplicate(moderator: User, question: Question, canonical: Question, note: str = "") -> list[int]:
    """Point the question at the canonical thread; its open flags are actioned."""
    _require_moderator(moderator)
    if not canonical.is_visible:
        raise ValidationFailed("Pick a visible question.", {"duplicate_of": "Pick a visible question."})
    note = _note(note)
    before = {"duplicate_of_id": question.duplicate_of_id}
    services.close_as_duplicate(moderator, question, canonical)
    ids = resolve_open_flags(question, moderator, "actioned", "duplicate", note)
    record_privileged_action(
        moderator,
        "question.close_duplicate",
        "question",
        question.id,
        before=before,
        after={"duplicate_of_id": canonical.id},
        details={"question_id": question.id, "note": note, "flags": ids},
    )
    return ids


def edit_post(moderator: User, post: Post, values: dict[str, Any], note: str = "") -> None:
    """Edit someone's post as a moderator (a revision is kept by the forum)."""
    _require_moderator(moderator)
    note = _note(note) or "Edited by a moderator"
    before = {"title": getattr(post, "title", None), "body": post.body}
    if isinstance(post, Question):
        services.edit_question(
            moderator, post, values["title"], values["body"], values["category"], values["tags"], note
        )
    else:
        services.edit_answer(moderator, post, values["body"], note)
    record_privileged_action(
        moderator,
        "post.edit",
        post_kind(post),
        post.id,
        before=before,
        after={"title": getattr(post, "title", None), "body": post.body},
        details={"question_id": question_id_of(post), "note": note},
    )


def release_held(moderator: User, post: Post, note: str = "") -> None:
    """Publish a post that was held for review."""
    _require_moderator(moderator)
    if not post.held_for_review or post.deleted_at is not None:
        raise Conflict("That post is not waiting for review.", code="not_held")
    before = post_state(post)
    services.set_visibility(post, held=False)
    _audit(moderator, "post.release", post, before, _note(note))


def reject_held(moderator: User, post: Post, note: str = "") -> None:
    """Refuse a held post: it is deleted (moderators can still restore it)."""
    _require_moderator(moderator)
    if not post.held_for_review or post.deleted_at is not None:
        raise Conflict("That post is not waiting for review.", code="not_held")
    before = post_state(post)
    services.delete_post(moderator, post)
    _audit(moderator, "post.reject", post, before, _note(note))
