"""Advocate pages (``/advocate``): the routed question queue, verifications that need a
re-check, and accuracy verdicts from the thread page. Advocates, moderators and admins only."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.form_actions import acting_user, carry_out, redirect_back, refuse
from forum.guards import role_guard
from forum.questions.models import Answer
from forum.roles import Role, can_verify_answers
from moderation import routing
from moderation.accuracy import expired_verifications, set_accuracy
from moderation.forms import AccuracyForm, AssignForm, StatusForm
from moderation.routing_models import ROUTING_STATUSES, RoutedQuestion, RoutingTeam
from moderation.settings import config
from moderation.views import Pager, page_number

bp = Blueprint("advocate", __name__, url_prefix="/advocate")
bp.before_request(role_guard(can_verify_answers))

VERDICT_MESSAGES = {
    "verified": "Marked verified accurate. Readers now see your name on it.",
    "inaccurate": "Marked inaccurate. Readers see your note as a warning.",
    "cleared": "The accuracy mark was cleared.",
}


def advocates() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_((Role.ADVOCATE.value, Role.MODERATOR.value, Role.ADMIN.value)))
            .order_by(User.username)
        )
    )


@bp.get("/queue")
def queue() -> ResponseReturnValue:
    """Unanswered questions by priority and age; tabs for my team, mine, unassigned, all."""
    view = request.args.get("view", "team")
    view = view if view in routing.QUEUE_VIEWS else "team"
    status = request.args.get("status", "")
    status = status if status in ROUTING_STATUSES else ""
    team_arg = request.args.get("team", "")
    team_id = int(team_arg) if team_arg.isdigit() else None
    per_page = int(config("PER_PAGE"))
    me = acting_user()
    page = db.paginate(
        routing.queue(view, me, status or None, team_id),
        page=page_number(),
        per_page=per_page,
        error_out=False,
    )
    return render_template(
        "moderation/routing_queue.html",
        page=page,
        pager=Pager(page.page, per_page, page.total or 0),
        view=view,
        status=status,
        team_id=team_id,
        teams=list(db.session.scalars(select(RoutingTeam).order_by(RoutingTeam.name))),
        view_counts={name: routing.queue_count(name, me) for name in routing.QUEUE_VIEWS},
        statuses=ROUTING_STATUSES,
        ages={routed.question_id: routing.age_of(routed) for routed in page.items},
        advocates=advocates(),
        assign_form=AssignForm(),
        status_form=StatusForm(),
        target_hours=config("RESPONSE_TARGET_HOURS"),
        in_teams=bool(routing.user_team_ids(me.id)),
    )


def _routed_or_404(question_id: int) -> RoutedQuestion:
    return db.get_or_404(RoutedQuestion, question_id)


@bp.post("/queue/<int:question_id>/take")
def take(question_id: int) -> ResponseReturnValue:
    routed = _routed_or_404(question_id)
    carry_out(
        lambda: routing.assign(acting_user(), routed, acting_user()),
        "It is yours. The asker is waiting - good luck!",
    )
    return redirect_back(url_for("advocate.queue"))


@bp.post("/queue/<int:question_id>/assign")
def assign(question_id: int) -> ResponseReturnValue:
    routed = _routed_or_404(question_id)
    form = AssignForm()
    assignee = db.session.get(User, form.assignee.data) if form.validate_on_submit() else None
    if assignee is None:
        return refuse("Pick someone to assign it to.", url_for("advocate.queue"))
    carry_out(lambda: routing.assign(acting_user(), routed, assignee), f"Assigned to {assignee.username}.")
    return redirect_back(url_for("advocate.queue"))


@bp.post("/queue/<int:question_id>/status")
def status(question_id: int) -> ResponseReturnValue:
    routed = _routed_or_404(question_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return refuse("Pick a status.", url_for("advocate.queue"))
    carry_out(
        lambda: routing.set_status(acting_user(), routed, form.status.data), f"Status: {form.status.data}."
    )
    return redirect_back(url_for("advocate.queue"))


@bp.get("/recheck")
def recheck() -> ResponseReturnValue:
    """Verified answers whose verification expired: check them against the current release."""
    per_page = int(config("PER_PAGE"))
    page = db.paginate(expired_verifications(), page=page_number(), per_page=per_page, error_out=False)
    return render_template(
        "moderation/recheck.html",
        page=page,
        pager=Pager(page.page, per_page, page.total or 0),
        expiry_days=config("VERIFICATION_EXPIRY_DAYS"),
    )


@bp.post("/answers/<int:answer_id>/accuracy")
def accuracy(answer_id: int) -> ResponseReturnValue:
    """Verify an answer, mark it inaccurate, or clear the mark (from the thread page)."""
    answer = db.get_or_404(Answer, answer_id)
    form = AccuracyForm()
    default = f"/questions/{answer.question_id}#answer-{answer.id}"
    if not form.validate_on_submit():
        return refuse("Pick a verdict; notes are at most 1,000 characters.", default)
    carry_out(
        lambda: set_accuracy(acting_user(), answer, form.verdict.data, form.note.data or ""),
        VERDICT_MESSAGES[form.verdict.data],
        abort_statuses=(403, 404),  # the page never offers these; a crafted request gets the status
    )
    return redirect_back(default)
