"""The moderation panel (``/moderation``): moderators and admins only, for every route.

This module defines the blueprint and the queue pages; ``post_views`` (actions on posts and
members) and ``audit_views`` (audit log, checks and balances) add their routes to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import ceil

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from forum.guards import role_guard
from forum.roles import is_moderator
from moderation.forms import BulkForm
from moderation.models import FLAG_REASONS, REASON_LABELS
from moderation.queue import QueueFilters, flaggers_of_open_flags, queue_counts, recent_rule_hits, review_page
from moderation.settings import config

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
bp.before_request(role_guard(is_moderator))


class Pager:
    """Just enough of Flask-SQLAlchemy's pagination for the ``pagination`` macro."""

    def __init__(self, page: int, per_page: int, total: int):
        self.page, self.per_page, self.total = page, per_page, total
        self.pages = max(1, ceil(total / per_page))
        self.has_prev, self.has_next = page > 1, page < self.pages
        self.prev_num, self.next_num = page - 1, page + 1

    def iter_pages(
        self, left_edge: int = 1, right_edge: int = 1, left_current: int = 2, right_current: int = 2
    ) -> Iterator[int | None]:
        """Page numbers to link, with None for a gap (as Flask-SQLAlchemy's pagination)."""
        last = 0
        for number in range(1, self.pages + 1):
            near = self.page - left_current <= number <= self.page + right_current
            if number <= left_edge or number > self.pages - right_edge or near:
                if last + 1 != number:
                    yield None
                yield number
                last = number


def page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def _queue_page(kind: str, template_tab: str) -> ResponseReturnValue:
    reason = request.args.get("reason", "")
    filters = QueueFilters(
        kind=kind,
        reason=reason if reason in FLAG_REASONS else "",
        flagger=request.args.get("flagger", "").strip()[:30],
    )
    per_page = int(config("PER_PAGE"))
    page = page_number()
    items, total = review_page(filters, page, per_page)
    return render_template(
        "moderation/queue.html",
        tab=template_tab,
        items=items,
        pager=Pager(page, per_page, total),
        filters=filters,
        counts=queue_counts(),
        reasons=REASON_LABELS,
        flaggers=flaggers_of_open_flags() if kind == "flags" else [],
        bulk_form=BulkForm(),
    )


@bp.get("/")
def panel() -> ResponseReturnValue:
    """Open flags, grouped by post: the most-flagged first, then the oldest."""
    return _queue_page("flags", "flags")


@bp.get("/held")
def held() -> ResponseReturnValue:
    """Posts the spam rules held for review, oldest first."""
    return _queue_page("held", "held")


@bp.get("/rule-hits")
def rule_hits() -> ResponseReturnValue:
    per_page = int(config("PER_PAGE"))
    page = page_number()
    hits, total = recent_rule_hits(page, per_page)
    return render_template(
        "moderation/rule_hits.html",
        tab="hits",
        hits=hits,
        pager=Pager(page, per_page, total),
        counts=queue_counts(),
    )
