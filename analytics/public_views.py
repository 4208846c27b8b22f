"""Pages for every visitor: the survey's plain form posts, and "Contact support".

Both work without JavaScript; ``static/js/analytics.js`` makes the survey inline through
``POST /api/v1/feedback``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from analytics.forms import SupportRequestForm, SurveyForm
from analytics.helpdesk import deliver_after_response
from analytics.models import SupportRequest
from analytics.support import SupportRequestInput, create_support_request
from analytics.survey import record_survey_answer, survey_question, visitor_answer
from analytics.visitors import current_visitor, may_have_answered_surveys, remember_survey_answer
from forum.errors import DomainError
from forum.extensions import db, limiter
from forum.questions.models import Category, Question
from forum.questions.queries import categories
from forum.questions.views import thread_url
from forum.web import apply_domain_error

bp = Blueprint("analytics_public", __name__)
SURVEY_STEPS = ("ask", "contact", "thanks", "sorry")
SESSION_REFERENCES = "support_references"


def support_limit() -> str:
    return str(current_app.config["ANALYTICS_SUPPORT_LIMIT"])


@dataclass(frozen=True)
class SurveyPanel:
    """What the survey shows on a thread: whether it is offered, and at which step."""

    offered: bool
    step: str
    counted: bool
    answer: Any = None


def survey_panel(q: Question, thread: Any) -> SurveyPanel:
    """The survey's state for the current visitor on an answered thread (template global).

    Answered means an accepted answer or a visible answer verified accurate, as in the
    method; ``thread.answers`` holds the answers this viewer sees.
    """
    verified = any(a.accuracy == "verified" and a.is_visible for a in thread.answers)
    if q.accepted_answer_id is None and not verified:
        return SurveyPanel(False, "ask", False)
    visitor = current_visitor()
    answer = visitor_answer(q.id, visitor) if may_have_answered_surveys(visitor) else None
    asked = request.args.get("survey", "")
    if asked in SURVEY_STEPS:
        step = asked
    elif answer is None:
        step = "ask"
    elif not answer.solved:
        step = "sorry"
    else:
        step = "contact" if answer.would_have_contacted is None else "thanks"
    return SurveyPanel(True, step, visitor.counted or visitor.reason == "no_cookie", answer)


@bp.post("/questions/<int:question_id>/survey")
def answer_survey(question_id: int) -> ResponseReturnValue:
    """The survey without JavaScript: store the answer, then back to the thread's next step."""
    question = survey_question(question_id, current_user)
    form = SurveyForm()
    if not form.validate_on_submit():
        flash("Choose yes or no.", "error")
        return redirect(thread_url(question) + "#survey")
    solved = form.solved.data == "yes"
    contacted = form.contacted.data == "yes" if solved and form.contacted.data else None
    visitor = current_visitor()
    record_survey_answer(question, visitor, solved, contacted)
    db.session.commit()
    remember_survey_answer(visitor)
    step = "sorry" if not solved else ("contact" if contacted is None else "thanks")
    return redirect(thread_url(question, survey=step) + "#survey")


def _category_choices(form: SupportRequestForm) -> None:
    form.category.choices = [SelectChoice("", "Choose a topic (optional)")] + [
        SelectChoice(c.slug, c.name) for c in db.session.scalars(categories())
    ]


@bp.route("/support", methods=["GET", "POST"])
@limiter.limit(support_limit, methods=["POST"])
def contact_support() -> ResponseReturnValue:
    """The support request form, pre-filled with the thread (or the search) it came from."""
    form = SupportRequestForm()
    _category_choices(form)
    question = _question_from(request.values.get("question_id", ""))
    if request.method == "GET":
        form.question_id.data = "" if question is None else str(question.id)
        if current_user.is_authenticated:
            form.email.data = current_user.email
        if question is not None:
            form.subject.data = f"Help with: {question.title}"[:150]
        elif request.args.get("q"):
            form.subject.data = " ".join(request.args["q"].split())[:150]
    if form.validate_on_submit():
        data = SupportRequestInput(
            form.email.data or "",
            form.subject.data or "",
            form.body.data or "",
            None if question is None else question.id,
            None if question is not None else (form.category.data or None),
        )
        try:
            support_request = create_support_request(data, current_visitor(), current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            deliver_after_response(support_request.id)
            session[SESSION_REFERENCES] = [
                *session.get(SESSION_REFERENCES, [])[-9:],
                support_request.reference,
            ]
            return redirect(url_for("analytics_public.support_sent", reference=support_request.reference))
    status = 422 if request.method == "POST" else 200
    return render_template("analytics/support_form.html", form=form, question=question), status


def _question_from(value: str) -> Question | None:
    if not value.isdigit():
        return None
    question = db.session.get(Question, int(value))
    if question is None or not question.is_visible:
        return None
    return question


@bp.get("/support/sent/<reference>")
def support_sent(reference: str) -> ResponseReturnValue:
    """The confirmation with the reference number (only in the browser that sent it)."""
    if reference not in session.get(SESSION_REFERENCES, []):
        abort(404)
    support_request = db.session.scalar(select(SupportRequest).where(SupportRequest.reference == reference))
    if support_request is None:
        abort(404)
    question = db.session.get(Question, support_request.question_id) if support_request.question_id else None
    category = db.session.get(Category, support_request.category_id) if support_request.category_id else None
    return render_template(
        "analytics/support_sent.html", support_request=support_request, question=question, category=category
    )
