"""How Flask-Login finds the signed-in user from the session."""

from __future__ import annotations

from forum.accounts.models import User
from forum.extensions import db


def load_user_from_session(session_id: str) -> User | None:
    """The user of a session id ``"<id>:<session_token>"``; None once the token changed."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token:
        return None
    return user
