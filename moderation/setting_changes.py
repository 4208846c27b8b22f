"""Admin changes to spam rules and routing rules. Each call writes one audit entry with the
value before and after."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, select

from forum.accounts.models import User
from forum.audit import record_privileged_action
from forum.errors import Conflict, NotAllowed, ValidationFailed
from forum.extensions import db
from forum.questions.models import Category
from forum.roles import can_verify_answers, is_admin
from moderation.routing import reroute_open_questions
from moderation.routing_models import SIGNALS, PriorityRule, RoutingCategory, RoutingTeam
from moderation.settings import save_setting, spam_rules

LIST_ITEM_MAX = 60
LIST_MAX = 500
DOMAIN_PATTERN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
SUGGESTED_RULES = (
    ("cancel", "churn", 30),
    ("switch to", "churn", 30),
    ("refund", "churn", 25),
    ("competitor", "churn", 20),
    ("upgrade", "purchase", 20),
    ("pricing", "purchase", 20),
    ("enterprise plan", "purchase", 15),
    ("outage", "urgent", 25),
)


def _require_admin(actor: User) -> None:
    if not is_admin(actor):
        raise NotAllowed("Only admins change settings.")


def parse_list(text: str, field: str) -> list[str]:
    """One entry a line (or comma-separated), lowercased, blanks and repeats dropped."""
    items: list[str] = []
    for raw in re.split(r"[\n,]+", text or ""):
        item = " ".join(raw.strip().lower().split())
        if not item or item in items:
            continue
        if len(item) > LIST_ITEM_MAX:
            raise ValidationFailed(
                "An entry is too long.", {field: f"'{item[:30]}…': at most {LIST_ITEM_MAX} characters."}
            )
        items.append(item)
    if len(items) > LIST_MAX:
        raise ValidationFailed("Too many entries.", {field: f"At most {LIST_MAX}."})
    return items


def save_spam_rules(
    actor: User, banned_words: list[str], banned_domains: list[str], hold_first_posts: bool
) -> None:
    _require_admin(actor)
    for domain in banned_domains:
        if not DOMAIN_PATTERN.match(domain):
            raise ValidationFailed(
                "A domain is not valid.", {"banned_domains": f"'{domain}' is not a domain like example.com."}
            )
    before = spam_rules()
    after = {
        "banned_words": banned_words,
        "banned_domains": banned_domains,
        "hold_first_posts": hold_first_posts,
    }
    for key, value in after.items():
        save_setting(key, value, actor.id)
    record_privileged_action(actor, "setting.spam_rules", "setting", None, before=before, after=after)


def _rule_state(rule: PriorityRule) -> dict[str, Any]:
    return {"phrase": rule.phrase, "signal": rule.signal, "weight": rule.weight}


def add_priority_rule(actor: User, phrase: str, signal: str, weight: int) -> PriorityRule:
    _require_admin(actor)
    phrase = " ".join((phrase or "").lower().split())
    if not 2 <= len(phrase) <= LIST_ITEM_MAX:
        raise ValidationFailed("Give a word or phrase.", {"phrase": f"2-{LIST_ITEM_MAX} characters."})
    if signal not in SIGNALS:
        raise ValidationFailed("Pick a signal.", {"signal": f"Use one of: {', '.join(SIGNALS)}."})
    if not 1 <= weight <= 100:
        raise ValidationFailed("Weight is 1-100.", {"weight": "Use a number from 1 to 100."})
    if db.session.scalar(select(PriorityRule).where(PriorityRule.phrase == phrase)) is not None:
        raise Conflict(f"There already is a rule for “{phrase}”.", {"phrase": "Already a rule."})
    rule = PriorityRule(phrase=phrase, signal=signal, weight=weight)
    db.session.add(rule)
    db.session.flush()
    rerouted = reroute_open_questions()
    record_privileged_action(
        actor, "setting.priority_rule_add", "priority_rule", rule.id, after=_rule_state(rule),
        details={"rerouted": rerouted},
    )  # fmt: skip
    return rule


def remove_priority_rule(actor: User, rule: PriorityRule) -> None:
    _require_admin(actor)
    before = _rule_state(rule)
    rule_id = rule.id
    db.session.delete(rule)
    db.session.flush()
    rerouted = reroute_open_questions()
    record_privileged_action(
        actor,
        "setting.priority_rule_remove",
        "priority_rule",
        rule_id,
        before=before,
        details={"rerouted": rerouted},
    )


def add_suggested_rules(actor: User) -> int:
    """Add the suggested churn and purchase words that are missing (one audit entry)."""
    _require_admin(actor)
    existing = set(db.session.scalars(select(PriorityRule.phrase)))
    added = [(p, s, w) for p, s, w in SUGGESTED_RULES if p not in existing]
    for phrase, signal, weight in added:
        db.session.add(PriorityRule(phrase=phrase, signal=signal, weight=weight))
    db.session.flush()
    rerouted = reroute_open_questions()
    record_privileged_action(
        actor, "setting.priority_rules_suggested", "priority_rule", None,
        after=[{"phrase": p, "signal": s, "weight": w} for p, s, w in added], details={"rerouted": rerouted},
    )  # fmt: skip
    return len(added)


def add_team(actor: User, name: str) -> RoutingTeam:
    _require_admin(actor)
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 60:
        raise ValidationFailed("Name the team.", {"name": "2-60 characters."})
    if db.session.scalar(select(RoutingTeam).where(RoutingTeam.name == name)) is not None:
        raise Conflict("A team has that name.", {"name": "Pick another name."})
    team = RoutingTeam(name=name)
    db.session.add(team)
    db.session.flush()
    record_privileged_action(actor, "setting.team_add", "routing_team", team.id, after={"name": name})
    return team


def remove_team(actor: User, team: RoutingTeam) -> None:
    _require_admin(actor)
    before = {"name": team.name, "members": [member.username for member in team.members]}
    team_id = team.id
    db.session.execute(delete(RoutingCategory).where(RoutingCategory.team_id == team_id))
    db.session.delete(team)
    db.session.flush()
    reroute_open_questions()
    record_privileged_action(actor, "setting.team_remove", "routing_team", team_id, before=before)


def set_team_members(actor: User, team: RoutingTeam, members: list[User]) -> None:
    _require_admin(actor)
    for member in members:
        if not can_verify_answers(member):
            raise ValidationFailed(
                "Teams are made of advocates.", {"members": f"{member.username} is not an advocate."}
            )
    before = sorted(member.username for member in team.members)
    team.members = list(members)
    db.session.flush()
    record_privileged_action(
        actor, "setting.team_members", "routing_team", team.id, before=before,
        after=sorted(member.username for member in members),
    )  # fmt: skip


def map_category(actor: User, category: Category, team: RoutingTeam | None) -> None:
    """Send questions of ``category`` to ``team`` (None: to no team in particular)."""
    _require_admin(actor)
    mapping = db.session.get(RoutingCategory, category.id)
    before = mapping.team.name if mapping else None
    if team is None:
        if mapping is not None:
            db.session.delete(mapping)
    elif mapping is None:
        db.session.add(RoutingCategory(category_id=category.id, team_id=team.id))
    else:
        mapping.team_id = team.id
    db.session.flush()
    rerouted = reroute_open_questions()
    record_privileged_action(
        actor, "setting.category_team", "category", category.id, before=before,
        after=team.name if team else None, details={"category": category.slug, "rerouted": rerouted},
    )  # fmt: skip
