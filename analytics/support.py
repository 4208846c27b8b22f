"""Support requests: "Still need help? Contact support" - the escalations of the method.

A request is stored first (with its delivery status), and forwarded to the help desk only
after the commit (``analytics.helpdesk``), so a help desk that is down loses nothing.
Requests from bots and staff are kept but not counted as escalations.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from analytics.models import SupportRequest
from analytics.visitors import Visitor
from forum.database import utcnow
from forum.errors import NotFoundError, ValidationFailed
from forum.extensions import db
from forum.questions import permissions
from forum.questions.models import Category, Question

EMAIL_MAX, SUBJECT_MAX, BODY_MAX = 254, 150, 5000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on the phone


@dataclass(frozen=True)
class SupportRequestInput:
    email: str
    subject: str
    body: str
    question_id: int | None = None
    category_slug: str | None = None


def new_reference() -> str:
    """A reference people can read out: ``SR-`` and eight unambiguous characters."""
    return "SR-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def check_support_request(data: SupportRequestInput) -> dict[str, str]:
    """What is wrong with the fields, by field name (empty when they are fine)."""
    problems: dict[str, str] = {}
    email = data.email.strip()
    if not email:
        problems["email"] = "Enter the email address support should reply to."
    elif len(email) > EMAIL_MAX or not _EMAIL.match(email):
        problems["email"] = "Enter an email address such as name@example.com."
    if not data.subject.strip():
        problems["subject"] = "Say in a few words what you need help with."
    elif len(data.subject.strip()) > SUBJECT_MAX:
        problems["subject"] = f"Keep the subject under {SUBJECT_MAX} characters."
    if not data.body.strip():
        problems["body"] = "Describe the problem, so support can help the first time."
    elif len(data.body) > BODY_MAX:
        problems["body"] = f"Keep the description under {BODY_MAX:,} characters."
    return problems


def create_support_request(
    data: SupportRequestInput, visitor: Visitor, viewer: Any, source: str = "web"
) -> SupportRequest:
    """Store a support request (flushes; the caller commits, then starts delivery).

    The thread, when named, must be one ``viewer`` may see; its category is recorded.
    Raises ValidationFailed naming the wrong fields, NotFoundError for an unknown thread.
    """
    problems = check_support_request(data)
    if problems:
        raise ValidationFailed("Please check the highlighted fields.", problems)
    question = None
    if data.question_id is not None:
        question = db.session.get(Question, data.question_id)
        if question is None or not permissions.can_see(viewer, question):
            raise NotFoundError("There is no such question.", {"question_id": "No such question."})
    category_id = question.category_id if question is not None else _category_id(data.category_slug)
    now = utcnow()
    configured = bool(current_app.config.get("ANALYTICS_HELPDESK_WEBHOOK_URL"))
    request = SupportRequest(
        reference=_unused_reference(),
        email=data.email.strip(),
        subject=" ".join(data.subject.split()),
        body=data.body.strip(),
        question_id=None if question is None else question.id,
        category_id=category_id,
        visitor_key=visitor.key,
        user_id=getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None,
        counted=visitor.reason not in ("bot", "staff"),
        source=source,
        day=now.date(),
        created_at=now,
        delivery_status="pending" if configured else "not_configured",
        next_attempt_at=now if configured else None,
    )
    db.session.add(request)
    db.session.flush()
    return request


def _category_id(slug: str | None) -> int | None:
    if not slug:
        return None
    category_id = db.session.scalar(select(Category.id).where(Category.slug == slug))
    if category_id is None:
        raise ValidationFailed("Choose a category from the list.", {"category": "Unknown category."})
    return category_id


def _unused_reference() -> str:
    while True:  # 32^8 references: a clash is rare, but never allowed
        reference = new_reference()
        if db.session.scalar(select(SupportRequest.id).where(SupportRequest.reference == reference)) is None:
            return reference


def support_request_json(request: SupportRequest, category_slug: str | None) -> dict[str, Any]:
    """The API's view of a stored support request."""
    return {
        "id": request.id,
        "reference": request.reference,
        "email": request.email,
        "subject": request.subject,
        "body": request.body,
        "question_id": request.question_id,
        "category": category_slug,
        "created_at": request.created_at.isoformat(),
        "delivery_status": request.delivery_status,
    }
