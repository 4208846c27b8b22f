"""The review queue: posts with open flags (grouped by post) and posts held for review, with
the spam-rule hits behind them. Each page loads in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, Subquery, func, literal, select, tuple_, union_all
from sqlalchemy.orm import aliased, joinedload

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions.models import Answer, Question
from moderation.models import Flag, RuleHit

QUEUE_KINDS = ("all", "flags", "held")
RULE_HIT_DAYS = 7


@dataclass
class QueueFilters:
    kind: str = "all"
    reason: str = ""
    flagger: str = ""


@dataclass
class QueueItem:
    """One post that needs a moderator."""

    target_type: str
    target_id: int
    post: Question | Answer
    question: Question
    flags: list[Flag] = field(default_factory=list)
    rule_hits: list[RuleHit] = field(default_factory=list)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return Counter(flag.reason for flag in self.flags).most_common()

    @property
    def held(self) -> bool:
        return bool(self.post.held_for_review) and self.post.deleted_at is None

    @property
    def hidden(self) -> bool:
        return self.post.hidden_at is not None

    @property
    def since(self) -> datetime:
        return min([flag.created_at for flag in self.flags] or [self.post.created_at])

    @property
    def duplicate_targets(self) -> list[int]:
        return sorted({flag.duplicate_of_id for flag in self.flags if flag.duplicate_of_id})

    @property
    def key(self) -> str:
        return f"{self.target_type}:{self.target_id}"


def _flag_keys(filters: QueueFilters) -> Any:
    statement = select(
        Flag.target_type.label("target_type"),
        Flag.target_id.label("target_id"),
        func.min(Flag.created_at).label("since"),
        func.count().label("flag_count"),
    ).where(Flag.status == "open")
    inner = aliased(Flag)  # the same table inside the filter, not correlated to the outer query
    if filters.reason:
        statement = statement.where(
            tuple_(Flag.target_type, Flag.target_id).in_(
                select(inner.target_type, inner.target_id).where(
                    inner.status == "open", inner.reason == filters.reason
                )
            )
        )
    if filters.flagger:
        reporter = select(User.id).where(User.username_key == filters.flagger.strip().lower())
        statement = statement.where(
            tuple_(Flag.target_type, Flag.target_id).in_(
                select(inner.target_type, inner.target_id).where(
                    inner.status == "open", inner.reporter_id.in_(reporter)
                )
            )
        )
    return statement.group_by(Flag.target_type, Flag.target_id)


def _held_parts() -> list[Any]:
    return [
        select(
            literal(kind, type_=String).label("target_type"),
            model.id.label("target_id"),
            model.created_at.label("since"),
            literal(0).label("flag_count"),
        ).where(model.held_for_review.is_(True), model.deleted_at.is_(None))
        for kind, model in (("question", Question), ("answer", Answer))
    ]


def _keys(filters: QueueFilters) -> Subquery:
    """(target_type, target_id, since, flag_count) of the posts the filters select."""
    if filters.kind == "held":
        return union_all(*_held_parts()).subquery()
    if filters.kind == "flags" or filters.reason or filters.flagger:
        return _flag_keys(filters).subquery()
    both = union_all(_flag_keys(filters), *_held_parts()).subquery()
    return (
        select(
            both.c.target_type,
            both.c.target_id,
            func.min(both.c.since).label("since"),
            func.sum(both.c.flag_count).label("flag_count"),
        )
        .group_by(both.c.target_type, both.c.target_id)
        .subquery()
    )


def review_page(filters: QueueFilters, page: int, per_page: int) -> tuple[list[QueueItem], int]:
    """One page of the queue (most-flagged first, then oldest) and the number of posts in all."""
    keys = _keys(filters)
    total = int(db.session.scalar(select(func.count()).select_from(keys)) or 0)
    rows = db.session.execute(
        select(keys.c.target_type, keys.c.target_id)
        .order_by(keys.c.flag_count.desc(), keys.c.since, keys.c.target_type, keys.c.target_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return load_items([(row[0], int(row[1])) for row in rows]), total


def load_items(keys: list[tuple[str, int]]) -> list[QueueItem]:
    """Queue items for ``keys`` in that order, with posts, threads, flags and rule hits."""
    if not keys:
        return []
    question_ids = [target_id for kind, target_id in keys if kind == "question"]
    answer_ids = [target_id for kind, target_id in keys if kind == "answer"]
    answers = {
        a.id: a
        for a in db.session.scalars(
            select(Answer).options(joinedload(Answer.author)).where(Answer.id.in_(answer_ids))
        )
    }
    question_ids += [answer.question_id for answer in answers.values()]
    questions = {
        q.id: q
        for q in db.session.scalars(
            select(Question)
            .options(joinedload(Question.author), joinedload(Question.category))
            .where(Question.id.in_(question_ids))
        )
    }
    flags: dict[tuple[str, int], list[Flag]] = {}
    for flag in db.session.scalars(
        select(Flag)
        .options(joinedload(Flag.reporter))
        .where(Flag.status == "open", tuple_(Flag.target_type, Flag.target_id).in_(keys))
        .order_by(Flag.created_at, Flag.id)
    ):
        flags.setdefault((flag.target_type, flag.target_id), []).append(flag)
    hits: dict[tuple[str, int], list[RuleHit]] = {}
    for hit in db.session.scalars(
        select(RuleHit).where(tuple_(RuleHit.target_type, RuleHit.target_id).in_(keys)).order_by(RuleHit.id)
    ):
        hits.setdefault((str(hit.target_type), int(hit.target_id or 0)), []).append(hit)
    items = []
    for kind, target_id in keys:
        post: Question | Answer | None = (
            questions.get(target_id) if kind == "question" else answers.get(target_id)
        )
        if post is None:
            continue
        question = post if isinstance(post, Question) else questions[post.question_id]
        items.append(
            QueueItem(
                kind,
                target_id,
                post,
                question,
                flags.get((kind, target_id), []),
                hits.get((kind, target_id), []),
            )
        )
    return items


def recent_rule_hits(page: int, per_page: int) -> tuple[list[RuleHit], int]:
    """Spam-rule hits of the last days, newest first."""
    since = utcnow() - timedelta(days=RULE_HIT_DAYS)
    condition = RuleHit.last_at >= since
    total = int(db.session.scalar(select(func.count()).select_from(RuleHit).where(condition)) or 0)
    hits = list(
        db.session.scalars(
            select(RuleHit)
            .options(joinedload(RuleHit.user))
            .where(condition)
            .order_by(RuleHit.last_at.desc(), RuleHit.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return hits, total


def queue_counts() -> dict[str, int]:
    """Posts with open flags, posts held for review, rule hits in the last days (for tabs and nav)."""
    flagged = select(Flag.target_type, Flag.target_id).where(Flag.status == "open").distinct().subquery()
    held = union_all(*_held_parts()).subquery()
    since = utcnow() - timedelta(days=RULE_HIT_DAYS)
    return {
        "flags": int(db.session.scalar(select(func.count()).select_from(flagged)) or 0),
        "held": int(db.session.scalar(select(func.count()).select_from(held)) or 0),
        "rule_hits": int(
            db.session.scalar(select(func.count()).select_from(RuleHit).where(RuleHit.last_at >= since)) or 0
        ),
    }


def flaggers_of_open_flags() -> list[str]:
    """Usernames with open flags (the flagger filter's suggestions)."""
    return list(
        db.session.scalars(
            select(User.username)
            .join(Flag, Flag.reporter_id == User.id)
            .where(Flag.status == "open")
            .distinct()
            .order_by(User.username)
            .limit(200)
        )
    )
