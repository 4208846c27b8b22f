"""The search interface: plain dataclasses in, plain dataclasses out.

Nothing here knows about Flask, SQLAlchemy or Whoosh, so a backend can be
swapped without touching a caller (see ``whoosh_backend.WhooshBackend``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


class SearchIndexBusy(RuntimeError):
    """The index stayed locked by another writer for longer than the writer timeout."""


@dataclass(frozen=True)
class SearchDocument:
    """One question thread, as the index sees it."""

    question_id: int
    title: str
    body_text: str  # question body as plain text
    answers_text: str  # all visible answers' plain text, joined
    tags: tuple[str, ...]
    category: str  # category slug, e.g. "billing"
    solved: bool  # has an accepted answer
    verified: bool  # has an answer verified accurate
    score: int  # question votes
    answer_count: int
    created_at: datetime  # tz-aware UTC


@dataclass(frozen=True)
class SearchFilters:
    """Optional restrictions of a search; None means "any"."""

    category: str | None = None
    tag: str | None = None
    solved: bool | None = None


@dataclass(frozen=True)
class SearchHit:
    """One result row; ``snippet_html`` is escaped HTML whose only tags are ``<mark>``."""

    question_id: int
    title: str
    snippet_html: str
    solved: bool
    score: float


@dataclass(frozen=True)
class SearchPage:
    """One page of results; ``total`` counts every matching question."""

    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    suggestion: str | None  # "did you mean", only when total == 0


@dataclass(frozen=True)
class SimilarQuestion:
    """A question that looks like the one being typed."""

    question_id: int
    title: str
    solved: bool
    score: float


class SearchBackend(ABC):
    """What the forum needs from a search engine."""

    @abstractmethod
    def index_documents(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents by question_id in one commit; return how many."""

    @abstractmethod
    def remove_documents(self, question_ids: Iterable[int]) -> int:
        """Remove documents by question_id in one commit; return how many ids were given."""

    @abstractmethod
    def apply_changes(self, upserts: Iterable[SearchDocument], removals: Iterable[int]) -> None:
        """Apply upserts and removals together, in one commit.

        Raises SearchIndexBusy if the index stays locked past the writer timeout.
        """

    @abstractmethod
    def search(self, query: str, filters: SearchFilters, page: int, per_page: int) -> SearchPage:
        """Search with user text (never a syntax error); pages are 1-based."""

    @abstractmethod
    def similar(
        self, title: str, body: str = "", limit: int = 5, exclude_id: int | None = None
    ) -> list[SimilarQuestion]:
        """Return up to ``limit`` questions most like the given title (and body), best first."""

    @abstractmethod
    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
        expected: int | None = None,
        embed_missing: bool = False,
    ) -> int:
        """Replace the whole index with ``docs`` (bulk path); return how many were indexed.

        ``progress`` is called with the running count as documents go in; ``expected``
        (how many documents will come, if known) lets a backend choose a bulk strategy.
        ``embed_missing``: compute meaning vectors the old index lacked, instead of leaving
        them to ``questions_without_vectors``.
        """

    def ranks_by_meaning(self) -> bool:
        """True if similar questions are re-ranked by a sentence model (none by default)."""
        return False

    def questions_without_vectors(self) -> list[int]:
        """Ids of indexed questions whose meaning vector is still to be computed (none by default)."""
        return []

    @abstractmethod
    def document_count(self) -> int:
        """Return how many questions the index holds."""

    @abstractmethod
    def ping(self) -> bool:
        """Return True if the index opens and answers a query."""
