"""Member-facing routes: flag a post, and see the account's standing (warnings, suspension).

Every signed-in member may use these; visitors are asked to sign in. They are the only
moderation routes open to members (the tests walk the others and expect 403).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from forum.accounts.forms import EmptyForm
from forum.errors import DomainError
from forum.extensions import db, limiter
from forum.guards import role_guard
from forum.urls import safe_next
from forum.web import question_reference
from moderation import members
from moderation.flags import create_flag
from moderation.forms import FlagForm
from moderation.limits import flag_limit, member_key, staff_exempt

bp = Blueprint("moderation_member", __name__)
bp.before_request(role_guard(lambda user: user is not None and bool(user.is_authenticated)))


@bp.post("/flags")
@limiter.limit(flag_limit, key_func=member_key, exempt_when=staff_exempt)
def flag() -> ResponseReturnValue:
    """The thread page's flag form."""
    form = FlagForm()
    back = safe_next(request.form.get("next")) or url_for("forum.home")
    if not form.validate_on_submit() or not form.target_id.data.isdigit():
        flash("Choose a reason for the flag.", "error")
        return redirect(back)
    duplicate_of = (
        question_reference(form.duplicate_of.data or "") if form.reason.data == "duplicate" else None
    )
    try:
        outcome = create_flag(
            current_user._get_current_object(),
            form.target_type.data,
            int(form.target_id.data),
            form.reason.data,
            form.note.data or "",
            duplicate_of,
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    if outcome.hid_post:
        if form.target_type.data == "question":
            back = url_for("forum.home")  # the thread is hidden now
        flash(
            "Thanks. Several members flagged this, so it is hidden until a moderator reviews it.", "success"
        )
    else:
        flash("Thanks for the flag. A moderator will review it.", "success")
    return redirect(back)


@bp.get("/account/standing")
def standing() -> ResponseReturnValue:
    """The member's warnings and suspension, in their own words."""
    return render_template("moderation/standing.html", standing=members.standing_of(current_user))


@bp.post("/account/standing/acknowledge")
def acknowledge() -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    members.acknowledge_warnings(current_user)
    db.session.commit()
    flash("Thanks for reading the moderators' note.", "success")
    return redirect(url_for("moderation_member.standing"))
