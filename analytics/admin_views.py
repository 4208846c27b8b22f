"""Admin pages of the analytics area: change the cost of a call, and see (and retry) the
help-desk delivery of every support request. Admins only, for every route."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from analytics.costs import change_call_cost, parse_amount
from analytics.forms import CallCostForm
from analytics.helpdesk import DELIVERY_STATUSES, deliver_after_response, retry_now, webhook_url
from analytics.models import SupportRequest
from analytics.report import find_category
from forum.errors import DomainError
from forum.extensions import db
from forum.guards import role_guard
from forum.questions.models import Category, Question
from forum.roles import is_admin
from forum.web import form_errors_message

bp = Blueprint("analytics_admin", __name__, url_prefix="/analytics/admin")
REQUESTS_PER_PAGE = 30

bp.before_request(role_guard(is_admin))


@bp.post("/costs")
def change_cost() -> ResponseReturnValue:
    form = CallCostForm()
    form.category.choices = [SelectChoice("", "")] + [
        SelectChoice(slug, slug) for slug in db.session.scalars(select(Category.slug))
    ]
    if not form.validate_on_submit():
        flash(form_errors_message(form), "error")
        return redirect(url_for("analytics.costs"))
    try:
        category = find_category(form.category.data or None)
        amount = parse_amount(form.amount.data) if (form.amount.data or "").strip() else None
        actor = current_user._get_current_object()
        change_call_cost(actor, amount, form.effective_from.data, category, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("analytics.costs"))
    db.session.commit()
    scope = "all categories" if category is None else category.name
    shown = "the general cost" if amount is None else f"{amount:,.2f}"
    flash(f"From {form.effective_from.data:%d %b %Y}, a call in {scope} costs {shown}.", "success")
    return redirect(url_for("analytics.costs"))


@bp.get("/support-requests")
def support_requests() -> ResponseReturnValue:
    """Every support request with its help-desk delivery status, newest first."""
    status = request.args.get("status", "")
    query = select(SupportRequest).order_by(SupportRequest.created_at.desc(), SupportRequest.id.desc())
    if status in DELIVERY_STATUSES:
        query = query.where(SupportRequest.delivery_status == status)
    page = db.paginate(query, per_page=REQUESTS_PER_PAGE, error_out=False)
    counts = dict(
        db.session.execute(
            select(SupportRequest.delivery_status, func.count()).group_by(SupportRequest.delivery_status)
        ).all()
    )
    question_ids = [r.question_id for r in page.items if r.question_id]
    titles = dict(
        db.session.execute(select(Question.id, Question.title).where(Question.id.in_(question_ids))).all()
    )
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    return render_template(
        "analytics/support_requests.html",
        page=page,
        status=status,
        statuses=DELIVERY_STATUSES,
        counts=counts,
        titles=titles,
        category_names=names,
        webhook_configured=bool(webhook_url()),
    )


@bp.post("/support-requests/<int:request_id>/retry")
def retry_delivery(request_id: int) -> ResponseReturnValue:
    support_request = db.get_or_404(SupportRequest, request_id)
    if not webhook_url():
        flash("No help-desk webhook is configured (ANALYTICS_HELPDESK_WEBHOOK_URL).", "error")
    elif support_request.delivery_status == "delivered":
        flash(f"{support_request.reference} was already delivered.", "info")
    else:
        retry_now(support_request)
        db.session.commit()
        deliver_after_response(support_request.id)
        flash(f"{support_request.reference} will be sent to the help desk now.", "success")
    return redirect(url_for("analytics_admin.support_requests", status=request.args.get("status") or None))
