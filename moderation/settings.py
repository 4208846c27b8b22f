"""Moderation settings: ``MODERATION_*`` keys in ``app.config`` (numbers and limits) and the
rules admins edit in the settings pages (stored in ``moderation_settings``).

Every ``MODERATION_*`` key can be set in the instance file or as ``PEERDESK_MODERATION_*``
in the environment; ``init_app`` fills in the defaults below without overriding them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from moderation.models import ModerationSetting

DEFAULTS: dict[str, Any] = {
    # Flags
    "MODERATION_FLAG_HIDE_THRESHOLD": 3,  # distinct spam/offensive flags that hide a post
    "MODERATION_FLAGS_PER_DAY": 30,  # flags one member may raise in 24 hours
    # Flask-Limiter rate limits (per member; staff exempt; off with RATELIMIT_ENABLED=false)
    "MODERATION_LIMIT_QUESTIONS": "5 per 10 minutes;50 per day",
    "MODERATION_LIMIT_ANSWERS": "10 per 10 minutes;200 per day",
    "MODERATION_LIMIT_COMMENTS": "20 per 10 minutes",
    "MODERATION_LIMIT_VOTES": "60 per minute;600 per day",
    "MODERATION_LIMIT_FLAGS": "10 per 10 minutes",
    # Tighter limits while an account is younger than MODERATION_NEW_ACCOUNT_HOURS
    "MODERATION_NEW_ACCOUNT_HOURS": 24,
    "MODERATION_NEW_ACCOUNT_QUESTIONS": 3,
    "MODERATION_NEW_ACCOUNT_ANSWERS": 10,
    "MODERATION_NEW_ACCOUNT_LINKS": 2,  # links in one post
    "MODERATION_NEW_ACCOUNT_LIMIT_VOTES": "20 per 10 minutes;100 per day",
    "MODERATION_NEW_ACCOUNT_LIMIT_FLAGS": "5 per 10 minutes",
    # Content rules
    "MODERATION_MAX_LINKS": 8,  # more links than this holds a post for review
    "MODERATION_DUPLICATE_WINDOW_MINUTES": 10,  # the same body again within this is refused
    "MODERATION_HONEYPOT_FIELD": "website",  # a form field people never see; bots fill it
    "MODERATION_HOLD_FIRST_POST": False,  # default of the admin setting "hold first posts"
    # Accuracy and routing
    "MODERATION_VERIFICATION_EXPIRY_DAYS": 365,
    "MODERATION_RESPONSE_TARGET_HOURS": 24,
    # Checks and balances
    "MODERATION_COLLUSION_MIN_EVENTS": 5,  # a pair needs at least this many interactions
    "MODERATION_COLLUSION_MIN_RATIO": 4.0,  # observed / expected
    "MODERATION_COLLUSION_MAX_P": 0.001,  # chance of that many or more under random voting
    # Pages
    "MODERATION_PER_PAGE": 25,
}

# Admin-edited rules (settings pages), with their defaults.
SPAM_RULE_DEFAULTS: dict[str, Any] = {"banned_words": [], "banned_domains": [], "hold_first_posts": None}


def init_config(app: Flask) -> None:
    """Fill in every ``MODERATION_*`` default the instance did not set."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)


def config(name: str) -> Any:
    """``app.config["MODERATION_<name>"]``."""
    return current_app.config[f"MODERATION_{name}"]


def stored_setting(key: str) -> Any:
    """An admin-edited setting, or its default."""
    row = db.session.get(ModerationSetting, key)
    return row.value if row is not None else SPAM_RULE_DEFAULTS.get(key)


def spam_rules() -> dict[str, Any]:
    """Banned words, banned link domains and "hold first posts", as admins last saved them."""
    rows = {row.key: row.value for row in db.session.scalars(select(ModerationSetting))}
    rules = {key: rows.get(key, default) for key, default in SPAM_RULE_DEFAULTS.items()}
    if rules["hold_first_posts"] is None:
        rules["hold_first_posts"] = bool(config("HOLD_FIRST_POST"))
    return rules


def save_setting(key: str, value: Any, actor_id: int | None) -> Any:
    """Store ``value`` under ``key``; returns the value it replaces (for the audit log)."""
    row = db.session.get(ModerationSetting, key)
    before = row.value if row is not None else SPAM_RULE_DEFAULTS.get(key)
    if row is None:
        row = ModerationSetting(key=key)
        db.session.add(row)
    row.value = value
    row.updated_at = utcnow()
    row.updated_by_id = actor_id
    db.session.flush()
    return before
