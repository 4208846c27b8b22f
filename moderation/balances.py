"""Checks and balances: accounts that favour each other far more often than chance, and
accounts that share addresses, each with the evidence.

For a pair (giver, receiver) we count the giver's upvotes on the receiver's posts, the
giver's accepts of the receiver's answers and the giver's verifications of the receiver's
answers. If givers spread these at random, in proportion to what each receiver gets from
everyone, the expected count is ``given_by_giver * received_by_receiver / total`` (per kind,
summed). A pair is reported when it has at least ``MODERATION_COLLUSION_MIN_EVENTS``
interactions, ``MODERATION_COLLUSION_MIN_RATIO`` times the expected count, and a Poisson
chance of that many or more below ``MODERATION_COLLUSION_MAX_P``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.extensions import db
from forum.questions.models import Answer, Question, Vote
from moderation.models import MemberAddress
from moderation.settings import config

KINDS = ("upvote", "accept", "verify")
MAX_PAIRS = 50
EVIDENCE_PER_PAIR = 12


@dataclass
class Evidence:
    kind: str
    question_id: int
    answer_id: int | None
    title: str
    at: datetime | None


@dataclass
class SuspiciousPair:
    giver: User
    receiver: User
    counts: dict[str, int]
    expected: float
    p_value: float
    mutual: bool = False
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def observed(self) -> int:
        return sum(self.counts.values())

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else math.inf

    @property
    def p_label(self) -> str:
        return "< 0.0001" if self.p_value < 0.0001 else f"{self.p_value:.4f}"

    @property
    def ratio_label(self) -> str:
        return "∞" if math.isinf(self.ratio) else f"{self.ratio:.0f}"


@dataclass
class SharedAddress:
    address: str
    accounts: list[MemberAddress]
    interactions: int  # upvotes, accepts and verifications among these accounts


def poisson_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    log_term = -expected + observed * math.log(expected) - math.lgamma(observed + 1)
    total, k = 0.0, observed
    while True:
        term = math.exp(log_term)
        total += term
        k += 1
        log_term += math.log(expected) - math.log(k)
        if term < 1e-16 * max(total, 1e-300) or k > observed + 10_000:
            return min(1.0, total)


def _pair_counts() -> dict[str, Counter[tuple[int, int]]]:
    """(giver, receiver) -> count, per kind of interaction (self-interactions excluded)."""
    counts: dict[str, Counter[tuple[int, int]]] = {kind: Counter() for kind in KINDS}
    for model, target_type in ((Question, "question"), (Answer, "answer")):
        rows = db.session.execute(
            select(Vote.user_id, model.author_id, func.count())
            .join(model, and_(Vote.target_type == target_type, Vote.target_id == model.id))
            .where(Vote.value == 1, Vote.user_id != model.author_id)
            .group_by(Vote.user_id, model.author_id)
        )
        for giver, receiver, n in rows:
            counts["upvote"][(giver, receiver)] += n
    rows = db.session.execute(
        select(Question.author_id, Answer.author_id, func.count())
        .join(Answer, Answer.id == Question.accepted_answer_id)
        .where(Question.author_id != Answer.author_id)
        .group_by(Question.author_id, Answer.author_id)
    )
    counts["accept"].update({(giver, receiver): n for giver, receiver, n in rows})
    rows = db.session.execute(
        select(Answer.accuracy_by_id, Answer.author_id, func.count())
        .where(Answer.accuracy == "verified", Answer.accuracy_by_id.is_not(None))
        .group_by(Answer.accuracy_by_id, Answer.author_id)
    )
    counts["verify"].update({(giver, receiver): n for giver, receiver, n in rows if giver != receiver})
    return counts


def _expected(counts: dict[str, Counter[tuple[int, int]]]) -> dict[tuple[int, int], float]:
    expected: dict[tuple[int, int], float] = defaultdict(float)
    pairs = {pair for by_pair in counts.values() for pair in by_pair}
    for by_pair in counts.values():
        total = sum(by_pair.values())
        if not total:
            continue
        given: Counter[int] = Counter()
        received: Counter[int] = Counter()
        for (giver, receiver), n in by_pair.items():
            given[giver] += n
            received[receiver] += n
        for giver, receiver in pairs:
            expected[(giver, receiver)] += given[giver] * received[receiver] / total
    return expected


def suspicious_pairs() -> list[SuspiciousPair]:
    """Pairs whose interactions are far above chance, the least likely first, with evidence."""
    counts = _pair_counts()
    expected = _expected(counts)
    min_events = int(config("COLLUSION_MIN_EVENTS"))
    min_ratio = float(config("COLLUSION_MIN_RATIO"))
    max_p = float(config("COLLUSION_MAX_P"))
    found: list[tuple[float, tuple[int, int], dict[str, int], float]] = []
    for pair, mean in expected.items():
        per_kind = {kind: counts[kind].get(pair, 0) for kind in KINDS}
        observed = sum(per_kind.values())
        if observed < min_events or observed < min_ratio * mean:
            continue
        p_value = poisson_tail(observed, mean)
        if p_value <= max_p:
            found.append((p_value, pair, per_kind, mean))
    found.sort(key=lambda item: (item[0], -sum(item[2].values())))
    found = found[:MAX_PAIRS]
    ids = {user_id for _, pair, _, _ in found for user_id in pair}
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
    flagged = {pair for _, pair, _, _ in found}
    pairs = [
        SuspiciousPair(users[g], users[r], per_kind, mean, p, mutual=(r, g) in flagged)
        for p, (g, r), per_kind, mean in found
    ]
    _attach_evidence(pairs)
    return pairs


def _attach_evidence(pairs: list[SuspiciousPair]) -> None:
    """Load the interactions behind each pair in a fixed number of queries."""
    if not pairs:
        return
    keys = [(pair.giver.id, pair.receiver.id) for pair in pairs]
    by_pair: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    question_votes = db.session.execute(
        select(Vote.user_id, Question.author_id, Question.id, Question.title, Vote.created_at)
        .join(Question, and_(Vote.target_type == "question", Vote.target_id == Question.id))
        .where(Vote.value == 1, tuple_(Vote.user_id, Question.author_id).in_(keys))
    )
    for giver, receiver, question_id, title, at in question_votes:
        by_pair[(giver, receiver)].append(Evidence("upvote", question_id, None, title, at))
    answer_rows = db.session.execute(
        select(Vote.user_id, Answer.author_id, Answer.question_id, Answer.id, Question.title, Vote.created_at)
        .join(Answer, and_(Vote.target_type == "answer", Vote.target_id == Answer.id))
        .join(Question, Question.id == Answer.question_id)
        .where(Vote.value == 1, tuple_(Vote.user_id, Answer.author_id).in_(keys))
    )
    for giver, receiver, question_id, answer_id, title, at in answer_rows:
        by_pair[(giver, receiver)].append(Evidence("upvote", question_id, answer_id, title, at))
    accepts = db.session.execute(
        select(
            Question.author_id, Answer.author_id, Question.id, Answer.id, Question.title, Answer.created_at
        )
        .join(Answer, Answer.id == Question.accepted_answer_id)
        .where(tuple_(Question.author_id, Answer.author_id).in_(keys))
    )
    for giver, receiver, question_id, answer_id, title, at in accepts:
        by_pair[(giver, receiver)].append(Evidence("accept", question_id, answer_id, title, at))
    verifications = db.session.execute(
        select(
            Answer.accuracy_by_id,
            Answer.author_id,
            Question.id,
            Answer.id,
            Question.title,
            Answer.accuracy_at,
        )
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.accuracy == "verified", tuple_(Answer.accuracy_by_id, Answer.author_id).in_(keys))
    )
    for verifier, receiver, question_id, answer_id, title, verified_at in verifications:
        by_pair[(verifier or 0, receiver)].append(
            Evidence("verify", question_id, answer_id, title, verified_at)
        )
    for pair in pairs:
        items = by_pair.get((pair.giver.id, pair.receiver.id), [])
        items.sort(key=lambda e: e.at.timestamp() if e.at else 0, reverse=True)
        pair.evidence = items[:EVIDENCE_PER_PAIR]


def shared_addresses() -> list[SharedAddress]:
    """Addresses used by two or more accounts, the most accounts first."""
    shared = (
        select(MemberAddress.address)
        .group_by(MemberAddress.address)
        .having(func.count(func.distinct(MemberAddress.user_id)) > 1)
    )
    rows = list(
        db.session.scalars(
            select(MemberAddress)
            .options(joinedload(MemberAddress.user))
            .where(MemberAddress.address.in_(shared))
            .order_by(MemberAddress.address, MemberAddress.first_seen_at)
        )
    )
    if not rows:
        return []
    grouped: dict[str, list[MemberAddress]] = defaultdict(list)
    for row in rows:
        grouped[row.address].append(row)
    counts = _pair_counts()
    result = []
    for address, accounts in grouped.items():
        members = {account.user_id for account in accounts}
        interactions = sum(
            n for by_pair in counts.values() for (g, r), n in by_pair.items() if g in members and r in members
        )
        result.append(SharedAddress(address, accounts, interactions))
    result.sort(key=lambda item: (-len(item.accounts), -item.interactions, item.address))
    return result


def report() -> dict[str, Any]:
    return {"pairs": suspicious_pairs(), "addresses": shared_addresses()}
