"""Admin settings (``/moderation/settings``): spam rules and routing rules. Admins only, for
every route; every change goes to the audit log (``moderation.setting_changes``)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.wrappers import Response

from forum.accounts.models import User
from forum.extensions import db
from forum.form_actions import acting_user, carry_out
from forum.guards import role_guard
from forum.questions.models import Category
from forum.questions.queries import categories
from forum.roles import is_admin
from moderation import setting_changes
from moderation.advocate_views import advocates
from moderation.forms import CategoryTeamForm, PriorityRuleForm, SpamRulesForm, TeamForm, TeamMembersForm
from moderation.routing_models import PriorityRule, RoutingCategory, RoutingTeam
from moderation.settings import config, spam_rules

bp = Blueprint("moderation_settings", __name__, url_prefix="/moderation/settings")
bp.before_request(role_guard(is_admin))


@bp.route("/spam", methods=["GET", "POST"])
def spam() -> ResponseReturnValue:
    rules = spam_rules()
    form = SpamRulesForm()
    if not form.is_submitted():
        form.banned_words.data = "\n".join(rules["banned_words"] or [])
        form.banned_domains.data = "\n".join(rules["banned_domains"] or [])
        form.hold_first_posts.data = bool(rules["hold_first_posts"])
    elif form.validate():

        def change() -> None:
            setting_changes.save_spam_rules(
                acting_user(),
                setting_changes.parse_list(form.banned_words.data or "", "banned_words"),
                setting_changes.parse_list(form.banned_domains.data or "", "banned_domains"),
                bool(form.hold_first_posts.data),
            )

        if carry_out(change, "Spam rules saved. They apply to the next post.", form=form):
            return redirect(url_for("moderation_settings.spam"))
    shown = ("MODERATION_", "RATELIMIT_ENABLED", "LOGIN_LIMIT_", "REGISTER_LIMIT_")
    limits = {key: value for key, value in sorted(current_app.config.items()) if key.startswith(shown)}
    return render_template("moderation/settings_spam.html", form=form, limits=limits, tab="spam"), (
        422 if form.errors else 200
    )


@bp.get("/routing")
def routing() -> ResponseReturnValue:
    teams = list(db.session.scalars(select(RoutingTeam).order_by(RoutingTeam.name)))
    mapping = {row.category_id: row.team_id for row in db.session.scalars(select(RoutingCategory))}
    return render_template(
        "moderation/settings_routing.html",
        tab="routing",
        rules=list(
            db.session.scalars(select(PriorityRule).order_by(PriorityRule.weight.desc(), PriorityRule.phrase))
        ),
        rule_form=PriorityRuleForm(),
        team_form=TeamForm(),
        teams=teams,
        members_form=TeamMembersForm,
        advocates=advocates(),
        categories=list(db.session.scalars(categories())),
        mapping=mapping,
        category_form=CategoryTeamForm,
        suggested=setting_changes.SUGGESTED_RULES,
        target_hours=config("RESPONSE_TARGET_HOURS"),
    )


def _to_routing() -> Response:
    return redirect(url_for("moderation_settings.routing"))


@bp.post("/routing/rules")
def add_rule() -> ResponseReturnValue:
    form = PriorityRuleForm()
    if not form.validate_on_submit():
        flash("A rule needs a word or phrase and a weight from 1 to 100.", "error")
        return _to_routing()
    carry_out(
        lambda: setting_changes.add_priority_rule(
            acting_user(), form.phrase.data, form.signal.data, form.weight.data
        ),
        f"Rule “{form.phrase.data}” added; open questions were re-prioritized.",
    )
    return _to_routing()


@bp.post("/routing/rules/<int:rule_id>/delete")
def delete_rule(rule_id: int) -> ResponseReturnValue:
    rule = db.get_or_404(PriorityRule, rule_id)
    carry_out(lambda: setting_changes.remove_priority_rule(acting_user(), rule), "Rule removed.")
    return _to_routing()


@bp.post("/routing/rules/suggested")
def add_suggested() -> ResponseReturnValue:
    carry_out(lambda: setting_changes.add_suggested_rules(acting_user()), "The suggested rules were added.")
    return _to_routing()


@bp.post("/routing/teams")
def add_team() -> ResponseReturnValue:
    form = TeamForm()
    if not form.validate_on_submit():
        flash("Name the team (2-60 characters).", "error")
        return _to_routing()
    carry_out(
        lambda: setting_changes.add_team(acting_user(), form.name.data), f"Team “{form.name.data}” added."
    )
    return _to_routing()


@bp.post("/routing/teams/<int:team_id>/delete")
def delete_team(team_id: int) -> ResponseReturnValue:
    team = db.get_or_404(RoutingTeam, team_id)
    carry_out(
        lambda: setting_changes.remove_team(acting_user(), team),
        "Team removed; its categories go to everyone.",
    )
    return _to_routing()


@bp.post("/routing/teams/<int:team_id>/members")
def team_members(team_id: int) -> ResponseReturnValue:
    team = db.get_or_404(RoutingTeam, team_id)
    form = TeamMembersForm()  # CSRF is checked for every POST by CSRFProtect
    form.validate()
    chosen = list(db.session.scalars(select(User).where(User.id.in_(form.members.data or []))))
    carry_out(
        lambda: setting_changes.set_team_members(acting_user(), team, chosen),
        f"Members of {team.name} saved.",
    )
    return _to_routing()


@bp.post("/routing/categories/<int:category_id>")
def category_team(category_id: int) -> ResponseReturnValue:
    category = db.get_or_404(Category, category_id)
    form = CategoryTeamForm()
    raw = form.team.data or ""
    team = db.session.get(RoutingTeam, int(raw)) if raw.isdigit() else None
    carry_out(
        lambda: setting_changes.map_category(acting_user(), category, team),
        f"{category.name} questions go to {team.name if team else 'every advocate'}.",
    )
    return _to_routing()
