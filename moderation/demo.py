"""Demo moderation content (``forum.signals.demo_loaded``), so the panels are alive after
``make run``: routing teams and rules, routed questions in every status, open flags (one post
hidden by flags), held posts with their rule hits, a warned and a suspended member, a pair
of accounts that upvote each other, a shared address, and the audit trail of it all.

Everything goes in through the same services the pages use; the loader commits.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from forum.accounts.models import User
from forum.demo.corpus import DEMO_ADVOCATES, DEMO_MEMBERS
from forum.extensions import db
from forum.questions import services, voting
from forum.questions.models import Answer, Category, Question
from moderation import actions, members, routing, setting_changes
from moderation.flags import create_flag
from moderation.models import AccuracyVerdict, AuditEntry, MemberAddress, RuleHit
from moderation.routing_models import RoutedQuestion, RoutingTeam

TEAMS = {
    "Billing desk": ("billing", ("nadia.bw", "sam.bw")),
    "Product experts": ("product", ("theo.bw", "ines.bw")),
    "Technical support": ("technical", ("sam.bw", "theo.bw")),
}
SPAMMER = "quick.deals"
SPAM_QUESTION = (
    "Cheap licence keys, crypto giveaway for every reader",
    "Get lifetime licences for 90% off and join our crypto giveaway at "
    "https://cheap-deals.example/offer today.",
)


def _users() -> dict[str, User]:
    return {user.username: user for user in db.session.scalars(select(User))}


def _visible_answers(rng: random.Random, count: int) -> list[Answer]:
    answers = list(
        db.session.scalars(
            select(Answer)
            .where(Answer.hidden_at.is_(None), Answer.deleted_at.is_(None))
            .order_by(Answer.id.desc())
            .limit(80)
        )
    )
    rng.shuffle(answers)
    return answers[:count]


def _routing(admin: User, users: dict[str, User], rng: random.Random, now: datetime) -> int:
    setting_changes.add_suggested_rules(admin)
    for name, (slug, advocate_names) in TEAMS.items():
        team = setting_changes.add_team(admin, name)
        setting_changes.set_team_members(admin, team, [users[n] for n in advocate_names if n in users])
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is not None:
            setting_changes.map_category(admin, category, team)
    website = db.session.scalar(select(Category).where(Category.slug == "website"))
    product_team = db.session.scalar(select(RoutingTeam).where(RoutingTeam.name == "Product experts"))
    if website is not None:
        setting_changes.map_category(admin, website, product_team)
    open_routed = list(
        db.session.scalars(
            select(RoutedQuestion)
            .where(RoutedQuestion.status == "new")
            .order_by(RoutedQuestion.priority.desc())
        )
    )
    advocates = [users[name] for name in DEMO_ADVOCATES if name in users]
    for index, routed in enumerate(open_routed[:6]):
        routing.assign(advocates[index % len(advocates)], routed, advocates[index % len(advocates)])
    if len(open_routed) > 7:
        routing.set_status(advocates[0], open_routed[6], "escalated")
    return len(list(db.session.scalars(select(RoutedQuestion.question_id))))


def _spammer(now: datetime) -> User:
    spammer = User(
        username=SPAMMER,
        username_key=SPAMMER,
        email=f"{SPAMMER}@demo.peerdesk.test",
        password_hash=generate_password_hash("not-a-demo-login-" + SPAMMER, method="scrypt"),
        created_at=now - timedelta(hours=3),
    )
    db.session.add(spammer)
    db.session.flush()
    return spammer


def _held_posts(admin: User, spammer: User) -> int:
    setting_changes.save_spam_rules(admin, ["crypto giveaway", "free money"], ["cheap-deals.example"], False)
    question = services.ask_question(spammer, SPAM_QUESTION[0], SPAM_QUESTION[1], "billing", ["licences"])
    services.set_visibility(question, held=True)
    for rule, detail in (("banned_word", "crypto giveaway"), ("link_domain", "cheap-deals.example")):
        db.session.add(
            RuleHit(user_id=spammer.id, kind="question", rule=rule, detail=detail, outcome="held",
                    target_type="question", target_id=question.id)
        )  # fmt: skip
    target = db.session.scalar(
        select(Question)
        .where(Question.hidden_at.is_(None), Question.id != question.id)
        .order_by(Question.id.desc())
    )
    if target is not None:
        answer = services.post_answer(
            spammer, target, "Free money for everyone who signs up at https://cheap-deals.example"
        )
        services.set_visibility(answer, held=True)
        db.session.add(
            RuleHit(
                user_id=spammer.id,
                kind="answer",
                rule="banned_word",
                detail="free money",
                outcome="held",
                target_type="answer",
                target_id=answer.id,
            )
        )
    db.session.add(
        RuleHit(user_id=spammer.id, kind="answer", rule="duplicate_body", detail="Free money for everyone…",
                outcome="refused", count=4)
    )  # fmt: skip
    return 2


def _flags(users: dict[str, User], rng: random.Random, moderator: User) -> int:
    reporters = [users[name] for name in DEMO_MEMBERS[:30] if name in users]
    flagged = 0
    answers = _visible_answers(rng, 8)
    notes = {
        "inaccurate": "This setting moved to Admin > Security in the last release.",
        "off_topic": "This is about a different product.",
        "other": "Contains a customer's email address - please redact.",
    }
    for index, answer in enumerate(answers):
        pool = [r for r in reporters if r.id != answer.author_id]
        rng.shuffle(pool)
        if index == 0:  # three spam flags: hidden until reviewed
            plan = [("spam", "")] * 3
        elif index == 1:  # will be hidden by a moderator (audit trail)
            plan = [("off_topic", notes["off_topic"]), ("spam", "")]
        else:
            reason = rng.choice(("inaccurate", "off_topic", "other", "offensive"))
            plan = [(reason, notes.get(reason, ""))] * rng.randint(1, 2)
        for reporter, (reason, note) in zip(pool, plan, strict=False):
            create_flag(reporter, "answer", answer.id, reason, note)
            flagged += 1
        if index == 1:
            actions.hide_post(moderator, answer, "Off-topic advertising.")
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.hidden_at.is_(None), Question.held_for_review.is_(False))
            .limit(40)
        )
    )
    if len(questions) > 2:
        reporter = next(r for r in reporters if r.id != questions[1].author_id)
        create_flag(
            reporter, "question", questions[1].id, "duplicate", "Same as the older thread.", questions[0].id
        )
        flagged += 1
    return flagged


def _collusion_pair(users: dict[str, User]) -> None:
    """Two members who upvote each other's answers (the checks-and-balances demo)."""
    first, second = users.get("zoe-pm"), users.get("marcus_b")
    if first is None or second is None:
        return
    for giver, receiver in ((first, second), (second, first)):
        answers = db.session.scalars(
            select(Answer).where(Answer.author_id == receiver.id, Answer.hidden_at.is_(None)).limit(12)
        )
        for answer in answers:
            voting.cast_vote(giver, "answer", answer.id, 1)
    for user, address in (
        (first, "203.0.113.42"),
        (second, "203.0.113.42"),
        (users[SPAMMER], "198.51.100.7"),
    ):
        db.session.add(MemberAddress(user_id=user.id, address=address, sign_ins=5, posts=3))


def _verdict_history(now: datetime) -> int:
    """History and audit entries for the answers the forum's demo marked verified."""
    verified = list(db.session.scalars(select(Answer).where(Answer.accuracy == "verified")))
    if verified:  # one old verification: readers see "needs re-check"
        verified[0].accuracy_at = now - timedelta(days=400)
    for answer in verified:
        moment = answer.accuracy_at or now
        actor = db.session.get(User, answer.accuracy_by_id) if answer.accuracy_by_id else None
        if actor is None:
            continue
        note = answer.accuracy_note or ""
        db.session.add(
            AccuracyVerdict(answer_id=answer.id, verdict="verified", note=note, actor_id=actor.id, at=moment)
        )
        db.session.add(
            AuditEntry(
                at=moment,
                actor_id=actor.id,
                actor_name=actor.username,
                action="accuracy.verified",
                target_type="answer",
                target_id=answer.id,
                before={"accuracy": None},
                after={"accuracy": "verified"},
                details={"question_id": answer.question_id, "note": note},
            )
        )
    return len(verified)


def load_demo_moderation(
    _sender: Any = None, *, now: datetime, seed: int = 7, **_extra: Any
) -> dict[str, int]:
    """Add the moderation demo; returns counts for the loader's summary."""
    rng = random.Random(seed + 505)
    users = _users()
    admin, moderator = users.get("admin"), users.get("moderator")
    if admin is None or moderator is None:
        return {}
    spammer = _spammer(now)
    users[SPAMMER] = spammer
    _collusion_pair(users)  # votes first: they use savepoints
    routed = _routing(admin, users, rng, now)
    held = _held_posts(admin, spammer)
    flags = _flags(users, rng, moderator)
    verified = _verdict_history(now)
    members.warn_member(
        moderator, spammer, "Please do not advertise in the community; posts like this are removed."
    )
    members.suspend_member(moderator, spammer, now + timedelta(days=7), "Advertising after a warning.")
    locked = db.session.scalar(
        select(Question).where(Question.hidden_at.is_(None)).order_by(Question.created_at)
    )
    if locked is not None:
        actions.set_lock(moderator, locked, True, "Old thread; please ask a new question.")
    db.session.flush()
    return {"routed questions": routed, "flags": flags, "held posts": held, "verification records": verified}
