"""Panel actions (POST, CSRF-protected) on posts, threads and members, and the member record.

Each view loads the object, calls one service from ``moderation.actions`` or
``moderation.members`` (which writes the audit entry), and leaves committing, telling the
moderator and going back to ``forum.form_actions``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select
from wtforms import SelectChoice

from forum.accounts.models import User
from forum.database import utcnow
from forum.errors import DomainError
from forum.extensions import db
from forum.form_actions import acting_user, carry_out, redirect_back, refuse
from forum.questions.forms import EditAnswerForm, EditQuestionForm
from forum.questions.models import Answer, Category, Question
from forum.questions.validation import split_tags
from forum.web import question_reference
from moderation import actions, members
from moderation.audit import AuditFilters, audit_entries
from moderation.flags import POST_MODELS, load_post
from moderation.forms import BulkForm, DuplicateForm, NoteForm, SuspendForm, WarnForm
from moderation.models import Flag, MemberAddress
from moderation.views import bp

POST_ACTIONS = {
    "dismiss": (actions.dismiss_flags, "Flags dismissed; the post is visible."),
    "hide": (actions.hide_post, "Hidden. Only moderators can see it now."),
    "restore": (actions.restore_post, "Restored. Everyone can see it again."),
    "delete": (actions.delete_post, "Deleted. A moderator can still restore it."),
    "release": (actions.release_held, "Published."),
    "reject": (actions.reject_held, "Rejected and deleted."),
}


def _post_or_404(kind: str, post_id: int) -> Question | Answer:
    model = POST_MODELS.get(kind)
    if model is None:
        abort(404)
    return db.get_or_404(model, post_id)


@bp.post("/posts/<kind>/<int:post_id>/<any(dismiss, hide, restore, delete, release, reject):action>")
def post_action(kind: str, post_id: int, action: str) -> ResponseReturnValue:
    post = _post_or_404(kind, post_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return refuse("That note is too long.", url_for("moderation.panel"))
    service, message = POST_ACTIONS[action]
    carry_out(lambda: service(acting_user(), post, form.note.data or ""), message)
    return redirect_back(url_for("moderation.panel"))


@bp.post("/questions/<int:question_id>/<any(lock, unlock):action>")
def lock(question_id: int, action: str) -> ResponseReturnValue:
    question = db.get_or_404(Question, question_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    locking = action == "lock"
    carry_out(
        lambda: actions.set_lock(acting_user(), question, locking, form.note.data or ""),
        "Thread locked." if locking else "Thread unlocked.",
    )
    return redirect_back(f"/questions/{question_id}")


@bp.post("/questions/<int:question_id>/duplicate")
def close_duplicate(question_id: int) -> ResponseReturnValue:
    question = db.get_or_404(Question, question_id)
    form = DuplicateForm()
    canonical_id = question_reference(form.canonical.data or "") if form.validate_on_submit() else None
    canonical = db.session.get(Question, canonical_id) if canonical_id else None
    if canonical is None:
        return refuse("No question has that number.", url_for("moderation.panel"))
    carry_out(
        lambda: actions.close_as_duplicate(acting_user(), question, canonical, form.note.data or ""),
        f"Closed as a duplicate of “{canonical.title}”.",
    )
    return redirect_back(url_for("moderation.panel"))


@bp.route("/posts/<kind>/<int:post_id>/edit", methods=["GET", "POST"])
def edit(kind: str, post_id: int) -> ResponseReturnValue:
    """Edit a member's post as a moderator; the forum keeps the earlier version."""
    post = _post_or_404(kind, post_id)
    form: EditQuestionForm | EditAnswerForm
    if isinstance(post, Question):
        form = EditQuestionForm(obj=post if request.method == "GET" else None)
        form.category.choices = [
            SelectChoice(c.slug, c.name)
            for c in db.session.scalars(select(Category).order_by(Category.position, Category.name))
        ]
        if request.method == "GET":
            form.category.data = post.category.slug
            form.tags.data = ", ".join(tag.name for tag in post.tags)
    else:
        form = EditAnswerForm(obj=post if request.method == "GET" else None)
    if form.validate_on_submit():
        values = {"body": form.body.data}
        if isinstance(form, EditQuestionForm):
            values |= {
                "title": form.title.data,
                "category": form.category.data,
                "tags": split_tags(form.tags.data),
            }
        if carry_out(
            lambda: actions.edit_post(acting_user(), post, values, form.note.data or ""),
            "Edit saved; the earlier version is in the history.",
            form=form,
        ):
            question_id = post.id if isinstance(post, Question) else post.question_id
            return redirect(f"/questions/{question_id}")
    status = 422 if request.method == "POST" else 200
    return render_template("moderation/edit.html", form=form, post=post, kind=kind), status


@bp.post("/bulk")
def bulk() -> ResponseReturnValue:
    """Apply one action to every selected post (one audit entry per post)."""
    form = BulkForm()
    done, failed = 0, 0
    if form.validate_on_submit():
        for key in form.items.data or []:
            kind, _, raw_id = key.partition(":")
            if kind not in POST_MODELS or not raw_id.isdigit():
                continue
            post = load_post(kind, int(raw_id))
            if post is None:
                continue
            service = POST_ACTIONS[form.action.data][0]
            try:  # actions check before they change anything, so a refusal leaves no half-change
                service(acting_user(), post, form.note.data or "")
                done += 1
            except DomainError:
                failed += 1
        db.session.commit()
    if done:
        flash(f"{form.action.data.capitalize()}: {done} post{'s' if done != 1 else ''}.", "success")
    if failed or not done:
        flash(f"{failed or 'No'} selected post{'s' if failed != 1 else ''} could not be changed.", "error")
    return redirect_back(url_for("moderation.panel"))


# Members ---------------------------------------------------------------------------------------


@bp.get("/members/<int:user_id>")
def member(user_id: int) -> ResponseReturnValue:
    """A member's record: standing, flags raised and received, addresses, audit entries."""
    person = db.get_or_404(User, user_id)
    raised = list(
        db.session.scalars(
            select(Flag).where(Flag.reporter_id == user_id).order_by(Flag.created_at.desc()).limit(20)
        )
    )
    question_ids = select(Question.id).where(Question.author_id == user_id)
    answer_ids = select(Answer.id).where(Answer.author_id == user_id)
    received = list(
        db.session.scalars(
            select(Flag)
            .where(
                or_(
                    (Flag.target_type == "question") & Flag.target_id.in_(question_ids),
                    (Flag.target_type == "answer") & Flag.target_id.in_(answer_ids),
                )
            )
            .order_by(Flag.created_at.desc())
            .limit(20)
        )
    )
    addresses = list(
        db.session.scalars(
            select(MemberAddress)
            .where(MemberAddress.user_id == user_id)
            .order_by(MemberAddress.last_seen_at.desc())
        )
    )
    history = list(
        db.session.scalars(audit_entries(AuditFilters(target_type="user", target_id=user_id)).limit(20))
    )
    return render_template(
        "moderation/member.html",
        person=person,
        standing=members.standing_of(person),
        raised=raised,
        received=received,
        addresses=addresses,
        history=history,
        warn_form=WarnForm(),
        suspend_form=SuspendForm(),
        suggested_until=(utcnow() + timedelta(days=7)).date().isoformat(),
    )


@bp.post("/members/<int:user_id>/warn")
def warn(user_id: int) -> ResponseReturnValue:
    person = db.get_or_404(User, user_id)
    form = WarnForm()
    if not form.validate_on_submit():
        abort(400)
    carry_out(
        lambda: members.warn_member(acting_user(), person, form.message.data),
        f"{person.username} was warned; they will see it on their next visit.",
    )
    return redirect_back(url_for("moderation.member", user_id=user_id))


@bp.post("/members/<int:user_id>/suspend")
def suspend(user_id: int) -> ResponseReturnValue:
    person = db.get_or_404(User, user_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        return refuse(
            "Give a date and a reason for the suspension.", url_for("moderation.member", user_id=user_id)
        )
    carry_out(
        lambda: members.suspend_member(
            acting_user(), person, members.suspension_end(form.until.data), form.reason.data
        ),
        f"{person.username} is suspended until {form.until.data:%b %-d, %Y}.",
    )
    return redirect_back(url_for("moderation.member", user_id=user_id))


@bp.post("/members/<int:user_id>/unsuspend")
def unsuspend(user_id: int) -> ResponseReturnValue:
    person = db.get_or_404(User, user_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    carry_out(
        lambda: members.lift_suspension(acting_user(), person, form.note.data or ""),
        f"{person.username} can post again.",
    )
    return redirect_back(url_for("moderation.member", user_id=user_id))
