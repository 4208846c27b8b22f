"""Figures measured inside one process, through the app's own services (no HTTP).

- reindex: the real rebuild path (``forum.search.indexing.rebuild_index``), questions/second;
- search and similar: wall time of ``search_questions`` / ``similar_questions`` per call;
- a new post searchable: ask a question through the service, commit, poll search until found;
- the query plans of the list pages, for the record.
"""

from __future__ import annotations

import random
import statistics
import string
import time
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask
from sqlalchemy import select, text

LIST_PLAN_QUERIES = {
    "home newest (page 1)": "newest",
    "home most votes (page 1)": "votes",
}


def percentiles_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / max of ``samples`` (seconds), in milliseconds."""
    ordered = sorted(samples)
    if not ordered:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0, "count": 0}
    at = lambda fraction: 1000 * ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]  # noqa: E731
    return {"p50_ms": at(0.5), "p95_ms": at(0.95), "max_ms": 1000 * ordered[-1], "count": len(ordered)}


def _timed(call: Callable[[Any], Any], inputs: Sequence[Any]) -> list[float]:
    samples = []
    for item in inputs:
        began = time.perf_counter()
        call(item)
        samples.append(time.perf_counter() - began)
    return samples


def fill_stand_in_vectors(app: Flask) -> float:
    """Give every corpus question a vector; returns the seconds it took.

    The sentence model embeds about 30 questions a second here: 100,000 would take an
    hour, which ``flask search embed`` spends once on a real forum, in the background. The
    bench stores word-hash vectors instead (same size and format, cosines that follow
    shared words), so that the reindex copies 100,000 vectors and every similar-questions
    call reads and re-ranks real vector bytes after embedding its title with the real model.
    """
    from forum.search.indexing import rebuild_index
    from forum.search.whoosh_backend import WhooshBackend
    from tests.support import HashedWordsEncoder

    with app.app_context():
        began = time.perf_counter()
        stand_in = WhooshBackend(app.config["SEARCH_INDEX"], encoder=HashedWordsEncoder())
        rebuild_index(stand_in, embed_missing=True)
        return time.perf_counter() - began


def measure_reindex(app: Flask, say: Callable[[str], None] = print) -> dict[str, float]:
    """Rebuild the whole index from the database (``rebuild_index``, as ``flask search reindex``)
    and time it, telling apart the time to add the documents and the final commit."""
    from forum.search.indexing import rebuild_index
    from forum.search.service import backend

    added = {"count": 0, "at": 0.0, "told": 0}

    def progress(count: int) -> None:
        added["count"], added["at"] = count, time.perf_counter()
        if count - added["told"] >= 20_000:
            added["told"] = count
            say(f"  reindex: {count:,} documents added ({added['at'] - began:.0f} s)")

    with app.app_context():
        began = time.perf_counter()
        count = rebuild_index(backend(), progress=progress)
        ended = time.perf_counter()
        without_vectors = len(backend().questions_without_vectors())  # copied, or the model is missing
    seconds = ended - began
    documents = (added["at"] or ended) - began
    return {
        "questions": count,
        "seconds": seconds,
        "questions_per_second": count / seconds if seconds else 0.0,
        "documents_seconds": documents,
        "commit_seconds": seconds - documents,
        "without_vectors": without_vectors,
    }


def measure_search_latency(app: Flask, queries: Sequence[str], titles: Sequence[str]) -> dict[str, Any]:
    """p50 / p95 of a first result page for ``queries`` and of similar questions for ``titles``.

    Each query and title is timed once, and never the one used to open the searcher, so
    these are the costs of real searches: the per-worker result cache never answers here.
    """
    from forum.search import search_questions, similar_questions
    from forum.search.backend import SearchFilters

    queries = list(dict.fromkeys(queries))
    titles = list(dict.fromkeys(titles))
    with app.app_context():
        search_questions(queries[0], SearchFilters(), 1, 20)  # opens the searcher
        similar_questions(titles[0])
        search = _timed(lambda q: search_questions(q, SearchFilters(), 1, 20), queries[1:])
        similar = _timed(lambda t: similar_questions(t, limit=5), titles[1:])
    return {"search": percentiles_ms(search), "similar": percentiles_ms(similar)}


def measure_new_post_searchable(app: Flask, timeout: float = 10.0) -> dict[str, Any]:
    """Seconds from the commit of a new question until search finds it by a word of its own."""
    from forum.accounts.models import User
    from forum.database import mark_write_intent
    from forum.extensions import db
    from forum.questions import services
    from forum.search import search_questions
    from forum.search.backend import SearchFilters

    word = "zq" + "".join(random.choices(string.ascii_lowercase, k=10))
    with app.test_request_context("/ask", method="POST"):
        author = db.session.scalar(select(User).where(User.role == "member").order_by(User.reputation.desc()))
        mark_write_intent()
        question = services.ask_question(
            author,
            f"Benchmark check: does {word} show up in search right away?",
            f"Posting a question that mentions {word} once, then searching for it until it appears.",
            "technical",
            ["api"],
        )
        held, question_id = question.held_for_review, question.id
        began = time.perf_counter()
        db.session.commit()  # the outbox is applied right after the commit
        found_after = None
        while time.perf_counter() - began < timeout:
            if any(
                hit.question_id == question.id for hit in search_questions(word, SearchFilters(), 1, 5).hits
            ):
                found_after = time.perf_counter() - began
                break
            time.sleep(0.005)
    return {"seconds": found_after, "held_for_review": held, "question_id": question_id}


def list_query_plans(app: Flask) -> dict[str, list[str]]:
    """EXPLAIN of the home page's list and count queries, as the database will run them."""
    from forum.extensions import db
    from forum.questions.queries import question_list

    plans: dict[str, list[str]] = {}
    with app.app_context():
        dialect = db.engine.dialect
        prefix = "EXPLAIN QUERY PLAN " if dialect.name == "sqlite" else "EXPLAIN "
        statements = {name: question_list(sort).limit(20) for name, sort in LIST_PLAN_QUERIES.items()}
        statements["home count"] = select(db.func.count()).select_from(
            question_list("newest").order_by(None).subquery()
        )
        for name, statement in statements.items():
            compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
            rows = db.session.execute(text(prefix + str(compiled))).all()
            plans[name] = [" ".join(str(part) for part in row) for row in rows]
        db.session.rollback()
    return plans


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0
