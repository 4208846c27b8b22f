"""Addresses members sign in and post from (for the shared-address check), and the spam-rule
hits of refused posts.

Sign-ins are recorded from Flask-Login's ``user_logged_in`` signal and posts from
``forum.signals.post_created``. A refused post's transaction is rolled back, and the login
view does not commit, so those writes wait in ``g`` and ``write_deferred`` (an
``after_request`` hook) commits them once the request's own work is done.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import g, has_request_context, request
from flask.wrappers import Response
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from forum.database import rows_matched, utcnow
from forum.extensions import db
from moderation.models import MemberAddress, RuleHit

log = logging.getLogger(__name__)
REFUSAL_MERGE_MINUTES = 10  # repeats of one refusal within this add to one rule hit


def request_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def record_address(user_id: int, address: str, *, sign_in: bool = False, post: bool = False) -> None:
    """Count a sign-in or a post by ``user_id`` from ``address`` (safe under concurrency)."""
    now = utcnow()
    values: dict[str, Any] = {"last_seen_at": now}
    if sign_in:
        values["sign_ins"] = MemberAddress.sign_ins + 1
    if post:
        values["posts"] = MemberAddress.posts + 1
    statement = (
        update(MemberAddress)
        .where(MemberAddress.user_id == user_id, MemberAddress.address == address[:45])
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(db.session.execute(statement)):
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                MemberAddress(
                    user_id=user_id,
                    address=address[:45],
                    sign_ins=int(sign_in),
                    posts=int(post),
                    first_seen_at=now,
                    last_seen_at=now,
                )
            )
    except IntegrityError:  # another request added it first
        db.session.execute(statement)


def on_user_logged_in(_sender: Any = None, user: Any = None, **_extra: Any) -> None:
    """Flask-Login's ``user_logged_in``: remember the address (written after the request)."""
    address = request_address()
    if user is not None and address:
        g.moderation_sign_in = (user.id, address)


def log_refusal(refusal: dict[str, Any]) -> None:
    """Add a refused post's rule hit, or count it on the same hit from the last minutes."""
    now = utcnow()
    recent = db.session.scalar(
        select(RuleHit)
        .where(
            RuleHit.user_id == refusal["user_id"],
            RuleHit.rule == refusal["rule"],
            RuleHit.outcome == "refused",
            RuleHit.last_at >= now - timedelta(minutes=REFUSAL_MERGE_MINUTES),
        )
        .order_by(RuleHit.last_at.desc())
        .limit(1)
    )
    if recent is not None:
        recent.count += 1
        recent.last_at = now
        return
    db.session.add(RuleHit(outcome="refused", created_at=now, last_at=now, **refusal))


def write_deferred(response: Response) -> Response:
    """``after_request``: commit the sign-in address and refusal hits noted during the request."""
    refusals = g.pop("moderation_refusals", None)
    sign_in = g.pop("moderation_sign_in", None)
    if not refusals and not sign_in:
        return response
    try:
        for refusal in refusals or []:
            log_refusal(refusal)
        if sign_in:
            record_address(sign_in[0], sign_in[1], sign_in=True)
        db.session.commit()
    except SQLAlchemyError:  # bookkeeping never breaks the response
        db.session.rollback()
        log.exception("could not record moderation bookkeeping")
    return response
