"""Moderation API (API.md): flags, the review queue, resolving flags, accuracy verdicts and
the audit log. Three blueprints under ``/api/v1``, each secure by default:

- ``moderation_flags_api``: ``POST /flags`` - any signed-in member;
- ``moderation_accuracy_api``: ``POST /answers/{id}/accuracy`` - advocates and moderators;
- ``moderation_api``: ``/moderation/...`` - moderators and admins.

They authenticate like the forum's API (bearer token, or the session with its CSRF token)
and answer errors with API.md's error object.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from forum.api import authenticate_api_request
from forum.api.helpers import api_user, json_body, list_response, page_args, string_field, user_summary
from forum.errors import Conflict, NotFoundError, ValidationFailed
from forum.extensions import csrf, db, limiter
from forum.guards import role_guard
from forum.questions.models import Answer
from forum.roles import can_verify_answers, is_moderator
from moderation import actions
from moderation.accuracy import accuracy_object, set_accuracy
from moderation.audit import audit_entries, entry_object
from moderation.audit_views import audit_filters_from_request
from moderation.flags import create_flag, flag_object, load_post
from moderation.limits import flag_limit, member_key, staff_exempt
from moderation.models import FLAG_REASONS, Flag
from moderation.queue import QUEUE_KINDS, QueueFilters, QueueItem, review_page

flags_bp = Blueprint("moderation_flags_api", __name__, url_prefix="/api/v1")
accuracy_bp = Blueprint("moderation_accuracy_api", __name__, url_prefix="/api/v1")
bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1")

for blueprint in (flags_bp, accuracy_bp, bp):
    csrf.exempt(blueprint)
    blueprint.before_request(authenticate_api_request)
flags_bp.before_request(role_guard(lambda user: user is not None and bool(user.is_authenticated)))
accuracy_bp.before_request(role_guard(can_verify_answers))
bp.before_request(role_guard(is_moderator))

RESOLVE_ACTIONS = {"dismiss": actions.dismiss_flags, "hide": actions.hide_post, "delete": actions.delete_post}


def _int_field(payload: dict[str, Any], name: str) -> int:
    """A positive whole number member of ``payload``; ValidationFailed names the field otherwise."""
    value = payload.get(name)
    if type(value) is not int or value < 1:
        raise ValidationFailed(
            f"{name} must be a positive whole number.", {name: "Use a positive whole number."}
        )
    return value


def _optional_int_field(payload: dict[str, Any], name: str) -> int | None:
    """As ``_int_field``, but an absent or null member is None."""
    return None if payload.get(name) is None else _int_field(payload, name)


@flags_bp.post("/flags")
@limiter.limit(flag_limit, key_func=member_key, exempt_when=staff_exempt)
def create() -> ResponseReturnValue:
    """Flag a post (one flag per member per post)."""
    reporter = api_user()
    payload = json_body()
    target_type = string_field(payload, "target_type")
    target_id = _int_field(payload, "target_id")
    reason = string_field(payload, "reason")
    if reason not in FLAG_REASONS:
        raise ValidationFailed("Unknown reason.", {"reason": f"Use one of: {', '.join(FLAG_REASONS)}."})
    outcome = create_flag(
        reporter,
        target_type,
        target_id,
        reason,
        string_field(payload, "note", required=False),
        _optional_int_field(payload, "duplicate_of_id"),
    )
    db.session.commit()
    return {**flag_object(outcome.flag), "post_hidden": outcome.hid_post}, 201


def _post_summary(item: QueueItem) -> dict[str, Any]:
    post = item.post
    return {
        "target_type": item.target_type,
        "target_id": item.target_id,
        "question_id": item.question.id,
        "title": item.question.title,
        "excerpt": post.body[:300],
        "author": user_summary(post.author),
        "url": f"/questions/{item.question.id}"
        + (f"#answer-{post.id}" if item.target_type == "answer" else ""),
        "hidden": item.hidden,
        "held": item.held,
        "deleted": post.deleted_at is not None,
        "created_at": post.created_at.isoformat(),
    }


@bp.get("/moderation/queue")
def queue() -> ResponseReturnValue:
    """Posts with open flags and posts held for review, one item per post."""
    page, per_page = page_args()
    kind = request.args.get("kind", "all")
    reason = request.args.get("reason", "")
    if kind not in QUEUE_KINDS:
        raise ValidationFailed("Unknown kind.", {"kind": f"Use one of: {', '.join(QUEUE_KINDS)}."})
    if reason and reason not in FLAG_REASONS:
        raise ValidationFailed("Unknown reason.", {"reason": f"Use one of: {', '.join(FLAG_REASONS)}."})
    filters = QueueFilters(kind=kind, reason=reason, flagger=request.args.get("flagger", "")[:30])
    items, total = review_page(filters, page, per_page)
    objects = [
        {
            **_post_summary(item),
            "flags": [
                {
                    **flag_object(flag),
                    "reporter": user_summary(flag.reporter),
                }
                for flag in item.flags
            ],
            "reasons": dict(item.reasons),
            "rule_hits": [
                {"rule": hit.rule, "detail": hit.detail, "outcome": hit.outcome} for hit in item.rule_hits
            ],
        }
        for item in items
    ]
    return list_response(objects, page, per_page, total)


@bp.post("/moderation/flags/<int:flag_id>/resolve")
def resolve(flag_id: int) -> ResponseReturnValue:
    """Resolve a flag by acting on its post; the post's other open flags are resolved with it."""
    moderator = api_user()
    flag = db.session.get(Flag, flag_id)
    if flag is None:
        raise NotFoundError("That flag does not exist.")
    payload = json_body()
    action = string_field(payload, "action")
    if action not in RESOLVE_ACTIONS:
        raise ValidationFailed("Unknown action.", {"action": f"Use one of: {', '.join(RESOLVE_ACTIONS)}."})
    note = string_field(payload, "note", required=False)
    if flag.status != "open":
        raise Conflict("That flag is already resolved.", code="already_resolved")
    post = load_post(flag.target_type, flag.target_id)
    if post is None:
        raise NotFoundError("The flagged post no longer exists.")
    resolved = RESOLVE_ACTIONS[action](moderator, post, note)
    db.session.commit()
    db.session.refresh(flag)
    return {
        "flag": flag_object(flag),
        "resolved_flag_ids": resolved,
        "post": {**actions.post_state(post), "target_type": flag.target_type, "target_id": flag.target_id},
    }


@accuracy_bp.post("/answers/<int:answer_id>/accuracy")
def accuracy(answer_id: int) -> ResponseReturnValue:
    """Verify an answer, mark it inaccurate, or clear the mark (never your own, nor on your question)."""
    actor = api_user()
    answer = db.session.get(Answer, answer_id)
    if answer is None:
        raise NotFoundError("That answer does not exist.")
    payload = json_body()
    set_accuracy(
        actor, answer, string_field(payload, "verdict"), string_field(payload, "note", required=False)
    )
    db.session.commit()
    return accuracy_object(answer)


@bp.get("/moderation/audit")
def audit() -> ResponseReturnValue:
    """Audit entries, newest first: ``actor, action, target_type, target_id, at, details``."""
    page, per_page = page_args()
    filters = audit_filters_from_request()
    result = db.paginate(audit_entries(filters), page=page, per_page=per_page, error_out=False, count=True)
    return list_response([entry_object(entry) for entry in result.items], page, per_page, result.total or 0)
