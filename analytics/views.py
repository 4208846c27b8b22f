"""The finance dashboard, its CSV export and the cost of a call. Finance and admins only,
by default for every route of the blueprint; changing costs is for admins
(``analytics.admin_views``)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms import SelectChoice

from analytics.costs import cost_history, currency, default_cost, load_cost_book
from analytics.dashboard import build_dashboard, dashboard_filters
from analytics.forms import CallCostForm
from analytics.method import INDUSTRY_BENCHMARKS
from analytics.report import PRESETS, build_report
from analytics.series import series_csv
from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.guards import role_guard
from forum.questions.models import Category
from forum.questions.queries import categories
from forum.roles import can_view_finance

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

bp.before_request(role_guard(can_view_finance))


def _filter_args() -> dict[str, str]:
    """The query string's filters, to keep them across links (tabs, CSV)."""
    names = ("period", "from", "through", "category")
    return {name: request.args[name] for name in names if request.args.get(name)}


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    now = utcnow()
    period, category, problems = dashboard_filters(request.args, now.date())
    for problem in problems:
        flash(problem, "warning")
    view = build_dashboard(period, category, now)
    return render_template(
        "analytics/dashboard.html",
        view=view,
        report=view.report,
        figures=view.report.figures,
        presets=PRESETS,
        categories=db.session.scalars(categories()).all(),
        filters=_filter_args(),
        benchmarks=INDUSTRY_BENCHMARKS,
    )


@bp.get("/deflection.csv")
def export_csv() -> ResponseReturnValue:
    """The daily series of the period and category on screen."""
    now = utcnow()
    period, category, _ = dashboard_filters(request.args, now.date())
    book = load_cost_book()
    report = build_report(period, category, now, book)
    suffix = f"-{category.slug}" if category is not None else ""
    filename = f"deflection-{period.start.isoformat()}-to-{period.last_day.isoformat()}{suffix}.csv"
    return Response(
        series_csv(report, book),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/costs")
def costs() -> ResponseReturnValue:
    """The cost of a call: in force today, scheduled, and every change (with the admins' form)."""
    today = utcnow().date()
    book = load_cost_book()
    all_categories = db.session.scalars(categories()).all()
    in_force = [("All categories (general)", book.cost_on(today, None))] + [
        (c.name, book.cost_on(today, c.id)) for c in all_categories
    ]
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    history = cost_history()
    author_ids = {change.created_by_id for change in history if change.created_by_id}
    authors = dict(db.session.execute(select(User.id, User.username).where(User.id.in_(author_ids))).all())
    form = CallCostForm(effective_from=today)
    form.category.choices = [SelectChoice("", "All categories (general cost)")] + [
        SelectChoice(c.slug, c.name) for c in all_categories
    ]
    return render_template(
        "analytics/costs.html",
        in_force=in_force,
        history=history,
        authors=authors,
        category_names=names,
        default=default_cost(),
        currency=currency(),
        today=today,
        form=form,
        dashboard_url=url_for("analytics.dashboard"),
    )
