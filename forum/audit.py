"""Announce privileged actions; the moderation package records them in the audit log.

``forum`` (and ``analytics``) call ``record_privileged_action``; ``moderation`` subscribes to
``forum.signals.privileged_action`` and writes one append-only entry per call.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from forum.signals import privileged_action


def record_privileged_action(
    actor: Any,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    before: Any = None,
    after: Any = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Tell the audit log that ``actor`` did ``action`` to a target (e.g. ``role.change``)."""
    address = request.remote_addr if has_request_context() else None
    privileged_action.send(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        details=details or {},
        address=address,
    )


def audit_if_on_behalf(
    actor: Any, owner_id: int | None, action: str, target_type: str, target_id: int, **details: Any
) -> None:
    """Audit an action a moderator (or admin) takes on someone else's post; owners are not audited."""
    if owner_id is not None and getattr(actor, "id", None) == owner_id:
        return
    record_privileged_action(actor, action, target_type, target_id, details=details)
