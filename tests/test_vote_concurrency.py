"""No lost votes: 50 members vote on one answer at the same moment through 4 gunicorn workers.

Scores change with ``UPDATE ... SET score = score + n`` inside one transaction per request
(SQLite: ``BEGIN IMMEDIATE`` queues writers on the busy timeout; PostgreSQL: the row lock
orders them), so every vote counts exactly once on both databases.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db
from forum.questions import services
from forum.questions.models import Answer, Vote
from tests import support

VOTERS = 50
WORKERS = 4


def vote_all_at_once(
    base: str, path: str, headers: list[dict[str, str]], value: int
) -> list[tuple[int, Any]]:
    """Every member sends ``value`` at the same moment."""
    return support.post_all_at_once(base, path, [({"value": value}, member) for member in headers])


def stored_state(app: Flask, answer_id: int, author_id: int) -> tuple[int, int, int]:
    """(score, vote rows, author's reputation) as the database has them now."""
    with app.app_context():
        score = db.session.scalar(select(Answer.score).where(Answer.id == answer_id))
        votes = db.session.scalar(
            select(func.count())
            .select_from(Vote)
            .where(Vote.target_type == "answer", Vote.target_id == answer_id)
        )
        reputation = db.session.scalar(select(User.reputation).where(User.id == author_id))
        return int(score or 0), int(votes or 0), int(reputation or 0)


@pytest.mark.slow
def test_fifty_simultaneous_votes_are_all_counted(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    make_user: Callable[..., User],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    """50 concurrent +1 votes end at score 50 with 50 rows; 50 concurrent retractions end at 0."""
    asker, answerer = make_user("asker"), make_user("answerer")
    with app.app_context():
        question = services.ask_question(
            db.session.get_one(User, asker.id),
            "Why does the nightly export time out?",
            "The export of our biggest workspace stops after sixty seconds.",
            "technical",
            ["export"],
        )
        answer = services.post_answer(
            db.session.get_one(User, answerer.id), question, "Split it per project; the limit is per request."
        )
        db.session.commit()
        answer_id = answer.id
    headers = [token_for(make_user(f"voter{n}")) for n in range(VOTERS)]
    _, _, reputation_before = stored_state(app, answer_id, answerer.id)

    env = {
        "PEERDESK_DATABASE_URL": database_url,
        "PEERDESK_SEARCH_INDEX": str(tmp_path / "gunicorn-search-index"),
        "PEERDESK_SECRET_KEY": "x",
    }
    path = f"/api/v1/answers/{answer_id}/vote"
    with support.gunicorn_server(env, workers=WORKERS) as base:
        started = time.perf_counter()
        upvotes = vote_all_at_once(base, path, headers, 1)
        upvote_seconds = time.perf_counter() - started
        up_state = stored_state(app, answer_id, answerer.id)
        started = time.perf_counter()
        retractions = vote_all_at_once(base, path, headers, 0)
        retract_seconds = time.perf_counter() - started
    print(
        f"\n{VOTERS} votes via {WORKERS} workers: {upvote_seconds:.2f}s; retractions {retract_seconds:.2f}s"
    )

    assert [status for status, _ in upvotes] == [200] * VOTERS, upvotes
    # Each request saw its own vote on top of all earlier ones: the scores are 1..50, once each.
    assert sorted(body["score"] for _, body in upvotes) == list(range(1, VOTERS + 1))
    assert up_state == (VOTERS, VOTERS, reputation_before + 10 * VOTERS)
    assert [status for status, _ in retractions] == [200] * VOTERS, retractions
    assert sorted(body["score"] for _, body in retractions) == list(range(VOTERS))
    assert stored_state(app, answer_id, answerer.id) == (0, 0, reputation_before)
