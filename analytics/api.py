"""JSON API of the analytics area (API.md): survey answers, support requests and the
deflection report. Same authentication and errors as the rest of ``/api/v1``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, g, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from analytics.helpdesk import deliver_after_response
from analytics.report import build_report, checked_period, find_category, parse_day
from analytics.support import SupportRequestInput, create_support_request, support_request_json
from analytics.survey import record_survey_answer, survey_question
from analytics.visitors import current_visitor, remember_survey_answer
from forum.api import authenticate_api_request
from forum.api.helpers import api_user, json_body, string_field
from forum.database import utcnow
from forum.errors import NotAllowed, ValidationFailed
from forum.extensions import csrf, db, limiter
from forum.questions.models import Category
from forum.roles import can_view_finance

bp = Blueprint("analytics_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.before_request(authenticate_api_request)

DEFAULT_REPORT_DAYS = 30


def feedback_limit() -> str:
    return str(current_app.config["ANALYTICS_FEEDBACK_LIMIT"])


def support_limit() -> str:
    return str(current_app.config["ANALYTICS_SUPPORT_LIMIT"])


def _bool_field(payload: dict[str, Any], name: str, nullable: bool = False) -> bool | None:
    value = payload.get(name)
    if value is None and nullable:
        return None
    if not isinstance(value, bool):
        expected = "true, false or null" if nullable else "true or false"
        raise ValidationFailed(f"{name} must be {expected}.", {name: f"Must be {expected}."})
    return value


def _id_field(payload: dict[str, Any], name: str, required: bool = True) -> int | None:
    value = payload.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationFailed(f"{name} must be a question id.", {name: "Must be a positive whole number."})
    return value


@bp.post("/feedback")
@limiter.limit(feedback_limit)
def post_feedback() -> ResponseReturnValue:
    """A survey answer: 201 when stored, 200 when it replaced the visitor's earlier answer
    or was not counted (bots, staff, no visitor cookie; see ``counted`` and ``reason``)."""
    payload = json_body()
    question_id = _id_field(payload, "question_id")
    solved = bool(_bool_field(payload, "solved"))
    would_have_contacted = _bool_field(payload, "would_have_contacted", nullable=True)
    question = survey_question(question_id or 0, current_user)
    visitor = current_visitor()
    outcome = record_survey_answer(question, visitor, solved, would_have_contacted)
    db.session.commit()
    remember_survey_answer(visitor)
    status = 201 if outcome.counted and not outcome.replaced else 200
    return outcome.as_json(), status


def token_caller() -> bool:
    """Integrations with an API token (e.g. a help widget's server) are not limited per address."""
    return bool(g.get("api_token_auth"))


@bp.post("/support-requests")
@limiter.limit(support_limit, exempt_when=token_caller)
def post_support_request() -> ResponseReturnValue:
    """Store a support request, then forward it to the help desk after the response."""
    payload = json_body()
    category = payload.get("category")
    if category is not None and not isinstance(category, str):
        raise ValidationFailed("category must be a category slug.", {"category": "Must be a string."})
    data = SupportRequestInput(
        string_field(payload, "email"),
        string_field(payload, "subject"),
        string_field(payload, "body"),
        _id_field(payload, "question_id", required=False),
        category,
    )
    support_request = create_support_request(data, current_visitor(), current_user, source="api")
    db.session.commit()
    deliver_after_response(support_request.id)
    category_slug = None
    if support_request.category_id is not None:
        category_slug = db.session.scalar(
            select(Category.slug).where(Category.id == support_request.category_id)
        )
    return support_request_json(support_request, category_slug), 201


@bp.get("/analytics/deflection")
def deflection_report() -> ResponseReturnValue:
    """The deflection report (finance and admins): ``from``, ``to`` (exclusive), ``category``."""
    user = api_user()
    if not can_view_finance(user):
        raise NotAllowed("The deflection report is for finance and admins.")
    now = utcnow()
    end = parse_day(request.args["to"], "to") if request.args.get("to") else now.date() + timedelta(days=1)
    start = (
        parse_day(request.args["from"], "from")
        if request.args.get("from")
        else end - timedelta(days=DEFAULT_REPORT_DAYS)
    )
    period = checked_period(start, end)
    category = find_category(request.args.get("category") or None)
    return build_report(period, category, now).api_json()
