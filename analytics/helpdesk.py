"""Forward support requests to a help desk by webhook, with retries and back-off.

``ANALYTICS_HELPDESK_WEBHOOK_URL`` receives a JSON POST per request. With
``ANALYTICS_HELPDESK_WEBHOOK_SECRET`` set, the header ``X-Peerdesk-Signature`` carries
``sha256=<hex HMAC-SHA256 of the raw body>``; ``X-Peerdesk-Delivery`` carries the request's
reference, so a receiver can ignore a repeat. Any 2xx answer is a delivery.

A request is stored before any attempt. The first attempt runs after the response is
sent; a failed attempt is retried after ``RETRY_BASE_SECONDS x 2^(attempts-1)`` (capped at
six hours) by the next requests of any worker or by ``flask --app wsgi support deliver``.
After ``MAX_ATTEMPTS`` failures it is marked failed and waits for an admin's "Retry now".
A short claim on the row keeps two workers from sending the same request at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import or_, select, update

from analytics.capture import after_response
from analytics.models import SupportRequest
from forum.database import mark_write_intent, reset_write_intent, rows_matched, utcnow
from forum.extensions import db
from forum.questions.models import Category, Question
from forum.web import slugify

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
SIGNATURE_HEADER = "X-Peerdesk-Signature"
DELIVERY_STATUSES = ("pending", "delivered", "failed", "not_configured")


@dataclass(frozen=True)
class DeliveryResult:
    request_id: int
    delivered: bool
    error: str = ""


def webhook_url() -> str:
    return str(current_app.config.get("ANALYTICS_HELPDESK_WEBHOOK_URL") or "")


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: base x 2^(attempts - 1), at most six hours."""
    base = float(current_app.config["ANALYTICS_HELPDESK_RETRY_BASE_SECONDS"])
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def payload(request: SupportRequest) -> dict[str, Any]:
    """The JSON body sent to the help desk."""
    question = db.session.get(Question, request.question_id) if request.question_id else None
    category = db.session.get(Category, request.category_id) if request.category_id else None
    thread = None
    if question is not None:
        path = f"/questions/{question.id}/{slugify(question.title)}"  # also built outside requests
        thread = {"id": question.id, "title": question.title, "path": path}
    return {
        "event": "support_request.created",
        "reference": request.reference,
        "email": request.email,
        "subject": request.subject,
        "body": request.body,
        "thread": thread,
        "category": None if category is None else category.slug,
        "created_at": request.created_at.isoformat(),
        "sent_at": utcnow().isoformat(),
    }


def deliver(request_id: int, now: datetime | None = None) -> DeliveryResult | None:
    """Try to deliver one request now (commits). None when it is not due, not pending or
    claimed by another worker; otherwise the outcome, already recorded on the row."""
    now = now or utcnow()
    url = webhook_url()
    if not url:
        return None
    timeout = float(current_app.config["ANALYTICS_HELPDESK_TIMEOUT"])
    db.session.commit()
    mark_write_intent()
    claimed = db.session.execute(
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.delivery_status == "pending",
            or_(SupportRequest.claimed_until.is_(None), SupportRequest.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=timeout * 2 + 5))
    )
    db.session.commit()
    reset_write_intent()
    if rows_matched(claimed) != 1:
        return None
    request = db.session.get_one(SupportRequest, request_id)
    body = json.dumps(payload(request), separators=(",", ":")).encode()
    reference, attempts = request.reference, request.delivery_attempts + 1
    db.session.commit()  # no transaction stays open during the network call
    error = _post(url, body, reference, timeout)
    values: dict[str, Any] = {"delivery_attempts": attempts, "claimed_until": None}
    if not error:
        values |= {
            "delivery_status": "delivered",
            "delivered_at": utcnow(),
            "next_attempt_at": None,
            "last_error": None,
        }
    else:
        exhausted = attempts >= int(current_app.config["ANALYTICS_HELPDESK_MAX_ATTEMPTS"])
        values |= {
            "delivery_status": "failed" if exhausted else "pending",
            "next_attempt_at": None if exhausted else utcnow() + backoff(attempts),
            "last_error": error[:300],
        }
    mark_write_intent()
    db.session.execute(update(SupportRequest).where(SupportRequest.id == request_id).values(**values))
    db.session.commit()
    reset_write_intent()
    return DeliveryResult(request_id, not error, error)


def _post(url: str, body: bytes, reference: str, timeout: float) -> str:
    """POST ``body``; returns "" on a 2xx answer, else what went wrong."""
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("User-Agent", "Peerdesk-Webhook/1.0")
    request.add_header("X-Peerdesk-Delivery", reference)
    secret = str(current_app.config.get("ANALYTICS_HELPDESK_WEBHOOK_SECRET") or "")
    if secret:
        request.add_header(SIGNATURE_HEADER, sign(body, secret))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return f"the help desk answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"could not reach the help desk: {reason}"
    return "" if 200 <= status < 300 else f"the help desk answered HTTP {status}"


def due_requests(now: datetime, include_waiting: bool = False, limit: int = 100) -> list[int]:
    """Ids of pending requests whose next attempt is due (all pending ones with ``include_waiting``)."""
    query = select(SupportRequest.id).where(SupportRequest.delivery_status == "pending")
    if not include_waiting:
        query = query.where(
            or_(SupportRequest.next_attempt_at.is_(None), SupportRequest.next_attempt_at <= now)
        )
    return list(db.session.scalars(query.order_by(SupportRequest.id).limit(limit)))


def deliver_due(include_waiting: bool = False, limit: int = 100) -> list[DeliveryResult]:
    """Attempt every due pending request once; returns the outcomes of the attempts made."""
    if not webhook_url():
        return []
    results = []
    for request_id in due_requests(utcnow(), include_waiting, limit):
        result = deliver(request_id)
        if result is not None:
            results.append(result)
    return results


def retry_now(request: SupportRequest) -> None:
    """An admin's "Retry now": a failed or waiting request becomes due at once (flushes)."""
    request.delivery_status = "pending"
    request.next_attempt_at = utcnow()
    request.claimed_until = None
    if request.delivery_attempts >= int(current_app.config["ANALYTICS_HELPDESK_MAX_ATTEMPTS"]):
        request.delivery_attempts = 0
    db.session.flush()


def deliver_after_response(request_id: int) -> None:
    """Attempt delivery once the visitor has their confirmation (no wait on the help desk)."""
    if webhook_url():
        after_response(lambda: _deliver_quietly(request_id))


def _deliver_quietly(request_id: int) -> None:
    result = deliver(request_id)
    if result is not None and not result.delivered:
        log.warning("support request %s not delivered yet: %s", request_id, result.error)


def retry_due_now_and_then(app: Flask) -> None:
    """Each worker looks for due retries at most every ``ANALYTICS_HELPDESK_RETRY_CHECK_SECONDS``."""
    if not app.config.get("ANALYTICS_HELPDESK_WEBHOOK_URL"):
        return
    state = app.extensions.setdefault("analytics", {})
    now = time.monotonic()
    interval = float(app.config["ANALYTICS_HELPDESK_RETRY_CHECK_SECONDS"])
    if "last_delivery_check" in state and now - state["last_delivery_check"] < interval:
        return
    state["last_delivery_check"] = now
    after_response(_deliver_due_now)


def _deliver_due_now() -> None:
    deliver_due(limit=20)
