"""No post missing from search: 20 members ask 10 questions each, all at once, through 4
gunicorn workers; afterwards a search for each question's own made-up word finds exactly
that question, no request failed and nothing is left queued for the index.

Why no waiting and no ``search sync`` is needed (``forum/search/service.py`` and
``indexing.py``): asking queues the question in ``search_outbox`` in the request's own
transaction; right after that commit, still inside the request, the worker applies every
queued row under a file lock shared by all workers, and deletes exactly the rows it applied.
A 201 therefore means the question is in the index, whichever worker applied it. Readers
reopen the index when it has a newer generation.

The questions use tags that exist already, as most questions do. Many members using a
brand-new tag at the same moment is a separate race in ``forum/questions`` (two requests
both create the tag; on PostgreSQL one fails on ``uq_tags_name``), pinned by the last test.
"""

from __future__ import annotations

import random
import string
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions import services
from forum.questions.models import Question, Tag
from tests import support

CLIENTS = 20
QUESTIONS_EACH = 10
WORKERS = 4
Headers = dict[str, str]


def seed_tags(app: Flask, author: User) -> None:
    """One earlier question, so the tags the burst uses exist."""
    with app.app_context():
        services.ask_question(
            db.session.get_one(User, author.id),
            "How do I export my workspace to CSV?",
            "I need a **CSV** export of every project for our auditors.",
            "product",
            ["export", "csv"],
        )
        db.session.commit()


def gunicorn_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "PEERDESK_DATABASE_URL": database_url,
        "PEERDESK_SEARCH_INDEX": str(tmp_path / "gunicorn-search-index"),
        "PEERDESK_SECRET_KEY": "x",
        "PEERDESK_RATELIMIT_ENABLED": "false",
    }


def made_up_words(count: int, seed: int = 2024) -> list[str]:
    """``count`` distinct words found in no dictionary, e.g. ``zqxkvbmtwe``."""
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < count:
        words.add("zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(8)))
    return sorted(words)


def question_about(word: str) -> dict[str, Any]:
    """The API test's GOOD question, made unique by ``word`` in its title and body."""
    return {
        "title": f"How do I export the {word} workspace to CSV?",
        "body": f"I need a **CSV** export of every {word} project for our auditors.",
        "category": "product",
        "tags": ["Export", "csv"],
    }


def ask_all_at_once(base: str, clients: list[tuple[Headers, list[str]]]) -> list[tuple[str, int, Any]]:
    """Each client, in its own thread, asks its questions one after another; a barrier
    releases all clients together. Returns (word, status, body) for every question."""
    barrier = threading.Barrier(len(clients))

    def client(headers: Headers, words: list[str]) -> list[tuple[str, int, Any]]:
        barrier.wait(timeout=120)
        results = []
        for word in words:
            status, body = support.json_request(
                base, "POST", "/api/v1/questions", question_about(word), headers
            )
            results.append((word, status, body))
        return results

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(client, headers, words) for headers, words in clients]
        return [result for future in futures for result in future.result()]


def search_each(base: str, words: list[str]) -> dict[str, tuple[int, Any]]:
    """``GET /api/v1/search?q=<word>`` for every word (a few at a time), by word."""

    def search(word: str) -> tuple[int, Any]:
        return support.json_request(base, "GET", f"/api/v1/search?q={quote(word)}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(words, pool.map(search, words), strict=True))


@pytest.mark.slow
def test_two_hundred_questions_asked_at_once_are_all_found_by_search(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    make_user: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    words = made_up_words(CLIENTS * QUESTIONS_EACH)
    month_ago = utcnow() - timedelta(days=30)  # established members: no first-day quota
    seed_tags(app, make_user("regular", created_at=month_ago))
    clients = [
        (token_for(make_user(f"asker{n}", created_at=month_ago)), words[n::CLIENTS]) for n in range(CLIENTS)
    ]
    with support.gunicorn_server(gunicorn_env(database_url, tmp_path), workers=WORKERS) as base:
        started = time.perf_counter()
        asked = ask_all_at_once(base, clients)
        ask_seconds = time.perf_counter() - started
        started = time.perf_counter()
        found = search_each(base, words)
        search_seconds = time.perf_counter() - started
        health_status, health = support.json_request(base, "GET", "/healthz")
    print(
        f"\n{len(asked)} questions from {CLIENTS} clients via {WORKERS} workers: {ask_seconds:.2f}s; "
        f"{len(found)} searches {search_seconds:.2f}s"
    )

    failed = [(word, status, body) for word, status, body in asked if status != 201]
    assert not failed, failed
    assert len(asked) == CLIENTS * QUESTIONS_EACH
    question_of = {word: body["id"] for word, _status, body in asked}
    assert len(set(question_of.values())) == len(words)
    with app.app_context():
        stored = db.session.scalar(
            select(func.count()).select_from(Question).where(Question.id.in_(question_of.values()))
        )
    assert stored == len(words)

    missing = {
        word: (status, body)
        for word, (status, body) in found.items()
        if status != 200
        or body["total"] != 1
        or [item["question_id"] for item in body["items"]] != [question_of[word]]
    }
    assert not missing, (
        f"{len(missing)} of {len(words)} questions not found exactly: {list(missing.items())[:5]}"
    )
    assert health_status == 200 and health["search"] == "ok"
    assert health["search_pending"] == 0


@pytest.mark.slow
def test_members_using_a_new_tag_at_the_same_moment(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    make_user: Callable[..., User],
    token_for: Callable[[User], Headers],
) -> None:
    """20 questions with a tag nobody used before, all at once: each is saved (201), and
    they share one tag counted 20 times.

    On PostgreSQL the first uses race to insert the tag; the losers of the race must take
    the winner's row (``services._create_tag``), not fail on ``uq_tags_name`` with a 500.
    """
    month_ago = utcnow() - timedelta(days=30)
    words = made_up_words(CLIENTS, seed=7)
    requests = [
        (
            {**question_about(word), "tags": ["brand-new-tag"]},
            token_for(make_user(f"first{n}", created_at=month_ago)),
        )
        for n, word in enumerate(words)
    ]
    with support.gunicorn_server(gunicorn_env(database_url, tmp_path), workers=WORKERS) as base:
        results = support.post_all_at_once(base, "/api/v1/questions", requests)
    failed = [(status, body) for status, body in results if status != 201]
    assert not failed, failed
    with app.app_context():
        tags = db.session.scalars(select(Tag).where(Tag.name == "brand-new-tag")).all()
        assert [tag.question_count for tag in tags] == [CLIENTS]
