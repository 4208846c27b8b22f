"""Demo search log: 90 days of what visitors typed into the search box, so the
knowledge-gap report has something to show on ``make run``.

The searches come from ``forum.demo.corpus.generate_demo_searches``. Each distinct query
(with its filter) runs once through the real search, so every row holds the true result
count and a searcher who opened a result opened one the search really listed. Queries are
stored as every logged search is: normalized, with emails and phone numbers replaced (now
and then a visitor pastes theirs into the box). Rows go in with bulk inserts; nothing
listens to ``search_performed`` for history, so no signal is sent.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from forum.accounts.models import User
from forum.demo.corpus import DemoSearch, generate_demo_searches
from forum.extensions import db
from forum.questions.models import Category, Question
from forum.search import search_questions, sync_index
from forum.search.backend import SearchFilters
from forum.search.models import SearchLog
from forum.search.normalize import normalize_query

DAYS = 90
BATCH = 2000
RESULTS_SEEN = 5  # the results a searcher looks at before opening one (or none)
ANONYMOUS_VISITORS = 1200
MEMBER_SHARE = 0.2  # searches by signed-in members
CATEGORY_FILTER_SHARE = 0.08  # searchers who narrow to the category of the best result
PERSONAL_DATA_SHARE = 0.015  # searchers who paste an email address or a phone number
_COOKIE_CHARS = string.ascii_letters + string.digits + "-_"
_PEOPLE = ("jane.doe", "m.rossi", "kofi", "li.wei", "accounts", "it-help")
_COMPANIES = ("acme-corp.com", "northwind.example", "globex.co.uk", "initech.io")


@dataclass(frozen=True)
class SearchOutcome:
    """What one query showed: the true number of results and the first ones, best first."""

    total: int
    question_ids: tuple[int, ...]


@dataclass(frozen=True)
class Searcher:
    visitor_id: str
    user_id: int | None


def load_demo_searches(now: datetime, seed: int, progress: Callable[[str, int], Any]) -> dict[str, int]:
    """Log the demo's searches of the ``DAYS`` days up to ``now``; the caller commits.

    The demo threads must be committed first: the index is brought up to date and every
    query is answered by it. Returns counts for the loader's summary.
    """
    sync_index()
    rng = random.Random(seed * 41 + 2)
    searches = generate_demo_searches(now, days=DAYS, seed=seed)
    searchers = _searchers(rng)
    answers = _SearchAnswers()
    rows = []
    with progress("Demo searches", len(searches)) as bar:
        for search in searches:
            rows.append(_log_row(rng, search, rng.choice(searchers), answers, now))
            bar.update(1)
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(SearchLog), rows[start : start + BATCH])
    return {
        "searches": len(rows),
        "opened search results": sum(1 for row in rows if row["clicked_question_id"] is not None),
    }


def _searchers(rng: random.Random) -> list[Searcher]:
    """Anonymous visitors (a cookie id each) and members (with the cookie of their browser)."""
    anonymous = [Searcher(_cookie_id(rng), None) for _ in range(ANONYMOUS_VISITORS)]
    members = [
        Searcher(_cookie_id(rng), user_id)
        for user_id in db.session.scalars(select(User.id).where(User.role == "member").order_by(User.id))
    ]
    if not members:
        return anonymous
    # Repeat members so that about MEMBER_SHARE of the searches are theirs.
    repeats = max(1, round(MEMBER_SHARE * len(anonymous) / ((1 - MEMBER_SHARE) * len(members))))
    return anonymous + members * repeats


def _cookie_id(rng: random.Random) -> str:
    """A visitor id shaped like the ``pd_vid`` cookie (22 URL-safe characters)."""
    return "".join(rng.choice(_COOKIE_CHARS) for _ in range(22))


class _SearchAnswers:
    """The real search's answer to each query, asked once per distinct query and filter."""

    def __init__(self) -> None:
        rows = db.session.execute(
            select(Question.id, Category.slug).join(Category, Category.id == Question.category_id)
        )
        self.category_of: dict[int, str] = {question_id: slug for question_id, slug in rows}
        self._outcomes: dict[tuple[str, str | None], SearchOutcome] = {}

    def outcome(self, query: str, category: str | None = None) -> SearchOutcome:
        key = (query, category)
        if key not in self._outcomes:
            page = search_questions(query, SearchFilters(category=category), 1, RESULTS_SEEN)
            self._outcomes[key] = SearchOutcome(page.total, tuple(hit.question_id for hit in page.hits))
        return self._outcomes[key]


def _log_row(
    rng: random.Random, search: DemoSearch, searcher: Searcher, answers: _SearchAnswers, now: datetime
) -> dict[str, Any]:
    """One ``search_log`` row, as ``log_search`` and ``record_click`` would have written it."""
    typed = _with_personal_data(rng, search.query) if rng.random() < PERSONAL_DATA_SHARE else search.query
    outcome = answers.outcome(typed)
    category = None
    if outcome.question_ids and rng.random() < CATEGORY_FILTER_SHARE:
        category = answers.category_of.get(outcome.question_ids[0])
        outcome = answers.outcome(typed, category)
    opened = _opened(rng, outcome) if search.clicked else None
    return {
        "normalized_query": normalize_query(typed),
        "results_count": outcome.total,
        "filters": {"category": category} if category else {},
        "visitor_id": searcher.visitor_id,
        "user_id": searcher.user_id,
        "clicked_question_id": opened,
        "clicked_at": min(now, search.at + timedelta(seconds=rng.randint(3, 90))) if opened else None,
        "source": "search",
        "created_at": search.at,
    }


def _opened(rng: random.Random, outcome: SearchOutcome) -> int | None:
    """The result a searcher opened: the first ones much more often than the later ones."""
    if not outcome.question_ids:
        return None
    weights = [1.0 / (rank + 1) ** 1.5 for rank in range(len(outcome.question_ids))]
    return rng.choices(outcome.question_ids, weights)[0]


def _with_personal_data(rng: random.Random, query: str) -> str:
    """The query with an email address or a phone number pasted in, as people sometimes do."""
    if rng.random() < 0.6:
        return f"{query} {rng.choice(_PEOPLE)}@{rng.choice(_COMPANIES)}"
    number = f"+1 {rng.randint(201, 989)} 555 {rng.randint(100, 999)}{rng.randint(0, 9)}"
    return f"{query} call me {number}"
