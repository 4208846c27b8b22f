"""Fill an empty forum with the demo community (``flask --app wsgi demo``).

Content comes from ``forum.demo.corpus`` and goes in through the same services members
use, so counts, reputation, revisions and notifications are all consistent.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import exists, select
from werkzeug.security import generate_password_hash

from forum.accounts.models import User
from forum.database import utcnow
from forum.demo.corpus import DEMO_ADVOCATES, DEMO_MEMBERS, DemoThread, generate_demo_threads
from forum.demo.searches import load_demo_searches
from forum.extensions import db
from forum.questions import services, voting
from forum.questions.models import Answer, Question
from forum.signals import demo_loaded

DEMO_PASSWORD = "peerdesk-demo"
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("admin", "admin"),
    ("moderator", "moderator"),
    ("advocate", "advocate"),
    ("finance", "finance"),
    ("member", "member"),
)


class ProgressBar(Protocol):
    def update(self, n_steps: int) -> None: ...


ProgressFactory = Callable[[str, int], AbstractContextManager[Any]]


@dataclass
class DemoSummary:
    users: int = 0
    questions: int = 0
    answers: int = 0
    comments: int = 0
    votes: int = 0
    accepted: int = 0
    logins: tuple[tuple[str, str], ...] = DEMO_LOGINS
    extras: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = [
            f"{self.users} members",
            f"{self.questions} questions",
            f"{self.answers} answers",
            f"{self.comments} comments",
            f"{self.votes} votes",
            f"{self.accepted} accepted answers",
        ]
        parts += [f"{count} {name}" for name, count in self.extras.items()]
        return "Loaded demo content: " + ", ".join(parts) + "."


def forum_has_content() -> bool:
    return bool(db.session.scalar(select(exists().where(Question.id.is_not(None)))))


def _create_accounts(summary: DemoSummary) -> dict[str, User]:
    password_hash = generate_password_hash(DEMO_PASSWORD, method="scrypt")  # hashed once for all
    people: list[tuple[str, str]] = list(DEMO_LOGINS)
    people += [(name, "advocate") for name in DEMO_ADVOCATES]
    people += [(name, "member") for name in DEMO_MEMBERS]
    users: dict[str, User] = {}
    for username, role in people:
        existing = db.session.scalar(select(User).where(User.username_key == username.lower()))
        if existing is None:
            existing = User(
                username=username,
                username_key=username.lower(),
                email=f"{username}@demo.peerdesk.test",
                password_hash=password_hash,
                role=role,
            )
            db.session.add(existing)
            summary.users += 1
        users[username] = existing
    db.session.flush()
    return users


def _cast_votes(
    rng: random.Random,
    voters: list[User],
    author: User,
    target_type: str,
    target_id: int,
    upvotes: int,
    downvotes: int,
) -> int:
    pool = [voter for voter in voters if voter.id != author.id]
    rng.shuffle(pool)
    cast = 0
    for voter, value in zip(pool, [1] * upvotes + [-1] * downvotes, strict=False):
        voting.cast_vote(voter, target_type, target_id, value)
        cast += 1
    return cast


def _load_thread(
    thread: DemoThread, users: dict[str, User], voters: list[User], rng: random.Random, summary: DemoSummary
) -> None:
    asker = users[thread.author]
    question = services.ask_question(
        asker, thread.title, thread.body, thread.category, list(thread.tags), created_at=thread.created_at
    )
    summary.questions += 1
    summary.votes += _cast_votes(
        rng, voters, asker, "question", question.id, thread.upvotes, thread.downvotes
    )
    for demo_answer in thread.answers:
        author = users[demo_answer.author]
        answer = services.post_answer(
            author, question, demo_answer.body, created_at=thread.created_at + demo_answer.offset
        )
        summary.answers += 1
        summary.votes += _cast_votes(
            rng, voters, author, "answer", answer.id, demo_answer.upvotes, demo_answer.downvotes
        )
        if demo_answer.accepted:
            voting.accept_answer(asker, answer)
            summary.accepted += 1
        if demo_answer.verified:
            _verify(answer, users, rng, thread.created_at + demo_answer.offset)
    for comment in thread.comments:
        services.post_comment(users[comment.author], question, comment.body)
        summary.comments += 1
    question.view_count = thread.views


def _verify(answer: Answer, users: dict[str, User], rng: random.Random, answered_at: Any) -> None:
    """Mark a demo answer verified by an advocate who neither wrote it nor asked."""
    advocates = [users[name] for name in DEMO_ADVOCATES if users[name].id != answer.author_id]
    advocate = rng.choice(advocates)
    answer.accuracy = "verified"
    answer.accuracy_by_id = advocate.id
    answer.accuracy_at = min(utcnow(), answered_at + (utcnow() - answered_at) / 3)
    answer.accuracy_note = "Checked against the current release."


@contextmanager
def _no_progress(_label: str, _total: int) -> Iterator[Any]:
    class _Bar:
        def update(self, n_steps: int) -> None:
            pass

    yield _Bar()


def load_demo(progress: ProgressFactory | None = None, seed: int = 7, count: int = 240) -> DemoSummary:
    """Create the demo accounts, community and search log, then the other areas' demo data.

    Commits once the threads are in, so that the search index holds them (it follows each
    commit) and each demo search is logged with the result count the real search gives;
    the caller commits the rest.
    """
    progress = progress or _no_progress
    now = utcnow()
    rng = random.Random(seed)
    summary = DemoSummary()
    users = _create_accounts(summary)
    voters = [user for user in users.values() if user.role in ("member", "advocate")]
    threads = generate_demo_threads(now, count=count, seed=seed)
    with progress("Demo threads", len(threads)) as bar:
        for thread in threads:
            _load_thread(thread, users, voters, rng, summary)
            bar.update(1)
    db.session.commit()
    summary.extras.update(load_demo_searches(now, seed=seed, progress=progress))
    db.session.flush()
    for receiver_summary in demo_loaded.send(None, now=now, progress=progress, seed=seed):
        extras = receiver_summary[1]
        if isinstance(extras, dict):
            summary.extras.update(extras)
    return summary
