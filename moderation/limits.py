"""Rate limits on posting, voting and flagging, kept by Flask-Limiter's storage and strategy.

Limits are per member (per address for visitors), read from ``MODERATION_LIMIT_*`` (and the
tighter ``MODERATION_NEW_ACCOUNT_LIMIT_*`` for accounts younger than
``MODERATION_NEW_ACCOUNT_HOURS``). Staff are exempt; ``RATELIMIT_ENABLED=false`` turns every
limit off. A breach raises ``RateLimited`` (429 with ``Retry-After``).

Where they apply: flag routes carry ``@limiter.limit`` (``flag_limit``); posts are checked
from the ``post_screening`` signal (``check_posting_limit``); votes by a ``before_request``
hook on POSTs to routes ending in ``/vote`` (forum has no vote signal).
"""

from __future__ import annotations

import math
import time
from datetime import timedelta
from typing import Any

from flask import current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from limits import parse_many

from forum.api import authenticate_api_request
from forum.database import utcnow
from forum.error_pages import handle_domain_error
from forum.errors import DomainError
from forum.extensions import limiter
from forum.roles import is_staff
from moderation.settings import config

POSTING_LIMITS = {"question": "LIMIT_QUESTIONS", "answer": "LIMIT_ANSWERS", "comment": "LIMIT_COMMENTS"}


class RateLimited(DomainError):
    """Too many actions in a window; ``retry_after`` is in seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int = 60, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = max(1, retry_after)


def handle_rate_limited(error: RateLimited) -> ResponseReturnValue:
    """The app's error response for a domain error, plus ``Retry-After``."""
    response = current_app.make_response(handle_domain_error(error))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def is_new_account(user: Any) -> bool:
    """True while ``user``'s account is younger than ``MODERATION_NEW_ACCOUNT_HOURS``."""
    created = getattr(user, "created_at", None)
    return created is not None and utcnow() - created < timedelta(hours=config("NEW_ACCOUNT_HOURS"))


def limits_enabled() -> bool:
    return bool(limiter.enabled) and bool(current_app.config.get("RATELIMIT_ENABLED", True))


def member_key() -> str:
    """The rate-limit key: the member's id, or the address of a visitor."""
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return f"address:{request.remote_addr or 'unknown'}"


def staff_exempt() -> bool:
    return is_staff(current_user)


def _limit_string(action: str, user: Any) -> str:
    if user is not None and is_new_account(user):
        tighter = current_app.config.get(f"MODERATION_NEW_ACCOUNT_LIMIT_{action.upper()}S")
        if tighter:
            return str(tighter)
    name = POSTING_LIMITS.get(action, f"LIMIT_{action.upper()}S")
    return str(config(name))


def flag_limit() -> str:
    """The flag rate for the caller (``@limiter.limit`` on the flag routes)."""
    return _limit_string("flag", current_user if current_user.is_authenticated else None)


def check_limit(action: str, user: Any, message: str) -> None:
    """Count one ``action`` by ``user`` against its limits; RateLimited when one is used up."""
    if not limits_enabled() or is_staff(user):
        return
    key = f"member:{user.id}" if user is not None else member_key()
    strategy = limiter.limiter
    for item in parse_many(_limit_string(action, user)):
        if not strategy.hit(item, "moderation", action, key):
            reset_at = strategy.get_window_stats(item, "moderation", action, key).reset_time
            raise RateLimited(message, retry_after=math.ceil(reset_at - time.time()))


def check_posting_limit(author: Any, kind: str) -> None:
    """Posting limits (from the ``post_screening`` receiver)."""
    noun = {"question": "questions", "answer": "answers", "comment": "comments"}.get(kind, "posts")
    check_limit(kind, author, f"You are posting {noun} very quickly. Please wait a little and try again.")


def limit_votes() -> None:
    """``before_request``: POSTs to a ``.../vote`` route count against the vote limits."""
    if request.method != "POST" or request.url_rule is None or not request.url_rule.rule.endswith("/vote"):
        return
    if request.path.startswith("/api/"):
        authenticate_api_request()  # bearer tokens are read by the API blueprint, after app hooks
    if not current_user.is_authenticated:
        return  # the route itself asks visitors to sign in
    check_limit("vote", current_user, "You are voting very quickly. Please wait a little and try again.")
