"""The knowledge-gap report page (moderators, advocates, finance, admins) and its API."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from forum.errors import DomainError
from forum.extensions import db
from forum.guards import role_guard
from forum.roles import can_view_gaps
from forum.search.gaps import gap_report, mark_addressed, parse_period
from forum.urls import safe_next
from forum.web import question_reference

bp = Blueprint("gaps", __name__, url_prefix="/analytics/gaps")
bp.before_request(role_guard(can_view_gaps))


@bp.get("/")
def report() -> ResponseReturnValue:
    try:
        period = parse_period(request.args.get("from"), request.args.get("to"))
    except DomainError as error:
        flash(error.message, "error")
        period = parse_period(None, None)
    return render_template("search/gaps.html", report=gap_report(period), period=period)


@bp.post("/addressed")
def addressed() -> ResponseReturnValue:
    back = safe_next(request.form.get("next")) or url_for("gaps.report")
    try:
        mark_addressed(
            current_user,
            request.form.get("kind", ""),
            request.form.get("key", ""),
            question_reference(request.form.get("answer", "")),
            request.form.get("note", ""),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash("Marked addressed. It comes back if the same searches keep failing.", "success")
    return redirect(back)
