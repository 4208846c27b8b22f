"""Panel pages: the audit log (filters, CSV export) and the checks-and-balances report.
There is deliberately no route that changes or deletes an audit entry."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue

from forum.errors import ValidationFailed
from forum.extensions import db
from moderation import balances
from moderation.audit import AuditFilters, audit_entries, entries_csv, entries_for, known_actions
from moderation.queue import queue_counts
from moderation.settings import config
from moderation.views import Pager, bp, page_number

CSV_MAX_ROWS = 50_000


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise ValidationFailed(
            f"{name} must be a date like 2024-05-01.", {name: "Use YYYY-MM-DD."}
        ) from error


def audit_filters_from_request() -> AuditFilters:
    """Filters from the query string (shared by the page, the CSV export and the API)."""
    raw_target = request.args.get("target_id", "").strip()
    if raw_target and not raw_target.isdigit():
        raise ValidationFailed("target_id must be a number.", {"target_id": "Use a whole number."})
    return AuditFilters(
        actor=request.args.get("actor", "").strip()[:30],
        action=request.args.get("action", "").strip()[:60],
        target_type=request.args.get("target_type", "").strip()[:30],
        target_id=int(raw_target) if raw_target else None,
        start=_date_arg("from"),
        end=_date_arg("to"),
    )


@bp.get("/audit")
def audit() -> ResponseReturnValue:
    filters = audit_filters_from_request()
    per_page = int(config("PER_PAGE")) * 2
    page = db.paginate(audit_entries(filters), page=page_number(), per_page=per_page, error_out=False)
    return render_template(
        "moderation/audit.html",
        tab="audit",
        page=page,
        pager=Pager(page.page, per_page, page.total or 0),
        filters=filters,
        actions=known_actions(),
        counts=queue_counts(),
    )


@bp.get("/audit.csv")
def audit_csv() -> ResponseReturnValue:
    filters = audit_filters_from_request()
    body = entries_csv(entries_for(filters, CSV_MAX_ROWS))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="peerdesk-audit-log.csv"'},
    )


@bp.get("/balances")
def checks_and_balances() -> ResponseReturnValue:
    """Pairs of accounts that favour each other far more than chance, and shared addresses."""
    return render_template(
        "moderation/balances.html",
        tab="balances",
        report=balances.report(),
        counts=queue_counts(),
        min_events=config("COLLUSION_MIN_EVENTS"),
        min_ratio=config("COLLUSION_MIN_RATIO"),
        max_p=config("COLLUSION_MAX_P"),
    )
