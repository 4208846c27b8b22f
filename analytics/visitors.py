"""Who is visiting: the first-party visitor cookie and the rule for what is counted.

Counted visitors are members (by member id) and browsers that kept the visitor cookie.
Not counted, ever:
- bots and crawlers, by User-Agent (``analytics.bots.is_bot``; headless browsers too
  unless ``ANALYTICS_COUNT_HEADLESS`` is set, as the browser tests do);
- staff (advocates, moderators, finance, admins): they read threads to answer or to
  check them, not instead of calling support;
- visits that never keep a cookie: a request without the cookie gets one, but it is
  counted only from the next request that sends it back. Bots that ignore cookies, and
  people who block them, are therefore never counted, and a visitor is never counted
  twice under two ids.

The cookie holds a random id and nothing else (no personal data); it lasts a year. A
second cookie, ``1`` and nothing else, says that this browser has answered a survey: only
then does a thread page look the visitor's answer up (most readers never answer one, and
the lookup was a database round trip on every thread page). It lives as long as the id.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask import after_this_request, current_app, request
from flask.wrappers import Response
from flask_login import current_user

from analytics.bots import is_bot
from forum.roles import Role

COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{16,43}$")


@dataclass(frozen=True)
class Visitor:
    """The visitor of the current request: ``key`` is None when it is not counted."""

    key: str | None
    reason: str  # "member", "cookie", "bot", "staff" or "no_cookie"

    @property
    def counted(self) -> bool:
        return self.key is not None


def cookie_name() -> str:
    return str(current_app.config["VISITOR_COOKIE"])


def cookie_visitor_id() -> str | None:
    """The well-formed visitor id the browser sent back, if any."""
    value = request.cookies.get(cookie_name(), "")
    return value if _COOKIE_VALUE.match(value) else None


def request_is_bot() -> bool:
    allow_headless = bool(current_app.config["ANALYTICS_COUNT_HEADLESS"])
    return is_bot(request.headers.get("User-Agent"), allow_headless=allow_headless)


def current_visitor() -> Visitor:
    """Classify the current request's visitor (see the module docstring). Never raises."""
    if request_is_bot():
        return Visitor(None, "bot")
    if current_user.is_authenticated:
        if current_user.role != Role.MEMBER:
            return Visitor(None, "staff")
        return Visitor(f"m:{current_user.id}", "member")
    visitor_id = cookie_visitor_id()
    if visitor_id is None:
        return Visitor(None, "no_cookie")
    return Visitor(f"v:{visitor_id}", "cookie")


def may_have_answered_surveys(visitor: Visitor) -> bool:
    """False when the visitor certainly has no survey answer: a cookie visitor whose browser
    never answered one (members may have answered in another browser)."""
    if visitor.reason != "cookie":
        return visitor.counted
    return request.cookies.get(str(current_app.config["VISITOR_SURVEY_COOKIE"])) == "1"


def remember_survey_answer(visitor: Visitor) -> None:
    """Have this response tell a cookie visitor's browser that it answered a survey."""
    if visitor.reason != "cookie":
        return

    @after_this_request
    def set_survey_cookie(response: Response) -> Response:
        _set_long_cookie(response, str(current_app.config["VISITOR_SURVEY_COOKIE"]), "1")
        return response


def set_visitor_cookie(response: Response) -> Response:
    """``after_request``: give a browser without a visitor id a new one (bots get none)."""
    if request.endpoint == "static" or cookie_visitor_id() is not None or request_is_bot():
        return response
    _set_long_cookie(response, cookie_name(), secrets.token_urlsafe(16))
    return response


def _set_long_cookie(response: Response, name: str, value: str) -> None:
    """A first-party, script-proof cookie kept for ``COOKIE_MAX_AGE_SECONDS``."""
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
