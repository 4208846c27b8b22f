"""30 members flag the same answer at the same moment through 4 gunicorn workers: 30 flags
are stored and the answer is hidden exactly once (one ``post.auto_hide`` audit entry).

Each flag is its own row (a unique constraint allows one per member per post); the post row
is locked while flagging on PostgreSQL and SQLite serializes writers with BEGIN IMMEDIATE;
the hide is a conditional ``UPDATE ... WHERE hidden_at IS NULL`` whose row count says who won.
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
from forum.questions.models import Answer, Question
from moderation.models import AuditEntry, Flag
from tests import support

FLAGGERS = 30
WORKERS = 4


def flag_all_at_once(base: str, answer_id: int, headers: list[dict[str, str]]) -> list[tuple[int, Any]]:
    """Every member sends a spam flag at the same moment."""
    payload = {"target_type": "answer", "target_id": answer_id, "reason": "spam"}
    return support.post_all_at_once(base, "/api/v1/flags", [(payload, member) for member in headers])


@pytest.mark.slow
def test_thirty_simultaneous_flags_hide_the_post_exactly_once(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    make_user: Callable[..., User],
    token_for: Callable[[User], dict[str, str]],
) -> None:
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
            db.session.get_one(User, answerer.id), question, "Buy our export accelerator at a great price."
        )
        db.session.commit()
        question_id, answer_id = question.id, answer.id
    headers = [token_for(make_user(f"flagger{n}")) for n in range(FLAGGERS)]

    env = {
        "PEERDESK_DATABASE_URL": database_url,
        "PEERDESK_SEARCH_INDEX": str(tmp_path / "gunicorn-search-index"),
        "PEERDESK_SECRET_KEY": "x",
    }
    with support.gunicorn_server(env, workers=WORKERS) as base:
        started = time.perf_counter()
        results = flag_all_at_once(base, answer_id, headers)
        seconds = time.perf_counter() - started
    print(f"\n{FLAGGERS} flags via {WORKERS} workers: {seconds:.2f}s")

    assert [status for status, _ in results] == [201] * FLAGGERS, results
    assert sum(1 for _, body in results if body["post_hidden"]) == 1
    with app.app_context():
        flags = db.session.scalar(select(func.count()).select_from(Flag).where(Flag.target_id == answer_id))
        entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "post.auto_hide")))
        hidden_answer = db.session.get_one(Answer, answer_id)
        answer_count = db.session.get_one(Question, question_id).answer_count
    assert flags == FLAGGERS
    assert len(entries) == 1 and entries[0].target_id == answer_id and entries[0].actor_id is None
    assert hidden_answer.hidden_at is not None and answer_count == 0
