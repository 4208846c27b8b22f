"""Spam defences, run from ``forum.signals.post_screening`` before a post is saved.

Refused (the post is not saved; the reason is logged as a rule hit):
- the honeypot field was filled (``MODERATION_HONEYPOT_FIELD``);
- a posting rate limit is used up (``moderation.limits``);
- a new account passed its first-day quota of questions or answers, or of links in a post;
- the same text was posted by the same member within ``MODERATION_DUPLICATE_WINDOW_MINUTES``.

Held for review (saved, visible only to moderators and the author until released):
banned words, banned link domains, more than ``MODERATION_MAX_LINKS`` links, and, when admins
turn it on, a member's first post.

Staff are exempt from all of these. Posts made outside a request (the importer, the demo
loader) are trusted and not screened.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import g, has_request_context, request
from sqlalchemy import func, select

from forum.database import utcnow
from forum.errors import Conflict, DomainError, ValidationFailed
from forum.extensions import db
from forum.questions.models import Answer, Comment, Question
from forum.roles import is_staff
from moderation.limits import RateLimited, check_posting_limit, is_new_account
from moderation.settings import config, spam_rules

LINK_PATTERN = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>()\[\]\"']+")
HOLD = "hold"


def links_in(text: str) -> list[str]:
    """The links written in ``text`` (``http(s)://...`` and ``www....``)."""
    return LINK_PATTERN.findall(text)


def link_host(link: str) -> str:
    target = link if "://" in link else "http://" + link
    return (urlsplit(target).hostname or "").lower()


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def banned_word_in(text: str, words: list[str]) -> str | None:
    """The first banned word or phrase found as whole words in ``text``."""
    lowered = _normalise(text)
    for word in words:
        word = _normalise(word)
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return word
    return None


def banned_domain_in(links: list[str], domains: list[str]) -> str | None:
    for link in links:
        host = link_host(link)
        for domain in domains:
            domain = domain.strip().lower().lstrip(".")
            if domain and (host == domain or host.endswith("." + domain)):
                return domain
    return None


def _refuse(error: DomainError, author: Any, kind: str, rule: str, detail: str) -> DomainError:
    """Note a refusal for the rule-hit log (written after the request) and return ``error``."""
    g.setdefault("moderation_refusals", []).append(
        {"user_id": author.id, "kind": kind, "rule": rule, "detail": detail[:200]}
    )
    return error


def _posts_since(author_id: int, model: type[Question] | type[Answer], since: Any) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(model)
            .where(model.author_id == author_id, model.created_at >= since)
        )
        or 0
    )


def _check_new_account(author: Any, kind: str, links: list[str]) -> None:
    if not is_new_account(author):
        return
    hours = config("NEW_ACCOUNT_HOURS")
    grown_up_at = author.created_at + timedelta(hours=hours)
    max_links = int(config("NEW_ACCOUNT_LINKS"))
    if len(links) > max_links:
        raise _refuse(
            ValidationFailed(
                f"New accounts can include at most {max_links} links in a post.",
                {"body": f"Remove some links: at most {max_links} in your first {hours} hours."},
                code="too_many_links",
            ),
            author,
            kind,
            "new_account_links",
            f"{len(links)} links",
        )
    quotas: dict[str, tuple[type[Question] | type[Answer], str]] = {
        "question": (Question, "NEW_ACCOUNT_QUESTIONS"),
        "answer": (Answer, "NEW_ACCOUNT_ANSWERS"),
    }
    if kind not in quotas:
        return
    model, key = quotas[kind]
    allowed = int(config(key))
    if _posts_since(author.id, model, author.created_at) >= allowed:
        wait = int((grown_up_at - utcnow()).total_seconds())
        raise _refuse(
            RateLimited(
                f"New accounts can post {allowed} {kind}s in their first {hours} hours. "
                f"You can post more from {grown_up_at.strftime('%b %-d at %H:%M')} UTC.",
                retry_after=wait,
                code="new_account_limit",
            ),
            author,
            kind,
            "new_account_quota",
            f"{allowed} {kind}s",
        )


def _check_duplicate(author: Any, kind: str, body: str) -> None:
    minutes = int(config("DUPLICATE_WINDOW_MINUTES"))
    since = utcnow() - timedelta(minutes=minutes)
    wanted = _normalise(body)
    recent: list[str] = []
    for model in (Question, Answer, Comment):
        recent += db.session.scalars(
            select(model.body).where(model.author_id == author.id, model.created_at >= since)
        ).all()
    if any(_normalise(text) == wanted for text in recent):
        raise _refuse(
            Conflict(
                f"You posted this same text in the last {minutes} minutes.",
                {"body": "This is the same as something you just posted."},
                code="duplicate_post",
            ),
            author,
            kind,
            "duplicate_body",
            body[:120],
        )


def _hold_reasons(author: Any, kind: str, text: str, links: list[str]) -> list[tuple[str, str]]:
    rules = spam_rules()
    reasons: list[tuple[str, str]] = []
    if word := banned_word_in(text, list(rules["banned_words"] or [])):
        reasons.append(("banned_word", word))
    if domain := banned_domain_in(links, list(rules["banned_domains"] or [])):
        reasons.append(("link_domain", domain))
    max_links = int(config("MAX_LINKS"))
    if len(links) > max_links:
        reasons.append(("too_many_links", f"{len(links)} links (more than {max_links})"))
    if rules["hold_first_posts"] and kind in ("question", "answer"):
        earlier = _posts_since(author.id, Question, author.created_at) + _posts_since(
            author.id, Answer, author.created_at
        )
        if earlier == 0:
            reasons.append(("first_post", "first post of the account"))
    return reasons


def screen_post(
    _sender: Any = None, *, author: Any, kind: str, text: str, question: Any = None, **_extra: Any
) -> str | None:
    """Receiver of ``post_screening``: raise to refuse, return ``"hold"`` to hold for review."""
    if not has_request_context() or is_staff(author):
        return None
    honeypot = config("HONEYPOT_FIELD")
    if honeypot and request.form.get(honeypot):
        raise _refuse(
            DomainError("Your post could not be accepted.", code="rejected"), author, kind, "honeypot", ""
        )
    body = text.split("\n", 1)[1] if kind == "question" and "\n" in text else text
    links = links_in(text)
    try:
        check_posting_limit(author, kind)
    except RateLimited as error:
        raise _refuse(error, author, kind, "rate_limit", kind) from None
    _check_new_account(author, kind, links)
    _check_duplicate(author, kind, body)
    reasons = _hold_reasons(author, kind, text, links)
    if not reasons:
        return None
    g.moderation_hold_reasons = reasons
    return HOLD


def take_hold_reasons() -> list[tuple[str, str]]:
    """The reasons the post being created was held (read once by the ``post_created`` receiver)."""
    if not has_request_context():
        return []
    return list(g.pop("moderation_hold_reasons", []))
