"""The Whoosh schema of a question thread, and the ranking that favours good threads."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from whoosh import columns, fields, query

from forum.search.analysis import spelling_analyzer, text_analyzer
from forum.search.backend import SearchDocument, SearchFilters
from forum.search.vectors import EMPTY_KEY, EMPTY_VECTOR, VECTOR_BYTES

# Field weights of a search: a word in the title counts most.
SEARCH_FIELD_BOOSTS = {"title": 3.0, "body": 1.0, "answers": 0.6}
SIMILAR_FIELD_BOOSTS = {"title": 1.5, "body": 1.0}
MAX_RANK = 2.0
MIN_RANK = 0.75


def build_schema() -> fields.Schema:
    """Return the schema: stemmed text fields, filter fields and ranking columns."""
    text = text_analyzer()
    return fields.Schema(
        question_id=fields.NUMERIC(int, bits=64, stored=True, unique=True, signed=True, sortable=True),
        title=fields.TEXT(analyzer=text, stored=True, phrase=False),
        body=fields.TEXT(analyzer=text, stored=True, phrase=False),
        answers=fields.TEXT(analyzer=text, stored=True, phrase=False),
        tags=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        category=fields.ID(),
        solved=fields.BOOLEAN(stored=True),
        verified=fields.BOOLEAN(),
        spelling=fields.TEXT(analyzer=spelling_analyzer(), phrase=False),
        rank=fields.COLUMN(columns.NumericColumn("f", default=1.0)),
        embedding=fields.COLUMN(columns.FixedBytesColumn(VECTOR_BYTES, default=EMPTY_VECTOR)),
        embedding_key=fields.COLUMN(columns.FixedBytesColumn(8, default=EMPTY_KEY)),
    )


def rank_multiplier(doc: SearchDocument) -> float:
    """Return the score multiplier of a thread: solved, verified and voted-up threads rank higher."""
    value = 1.0
    if doc.solved:
        value += 0.3
    if doc.verified:
        value += 0.2
    if doc.score > 0:
        value += 0.08 * math.log1p(doc.score)
    elif doc.score < 0:
        value -= 0.05 * math.log1p(-doc.score)
    return max(MIN_RANK, min(MAX_RANK, value))


def embedding_text(title: str, body: str) -> str:
    """Return the text a question's vector is computed from (title first: it is kept whole)."""
    return f"{title}\n{body}" if body else title


def document_fields(doc: SearchDocument, vector: bytes, key: bytes) -> dict[str, Any]:
    """Return the Whoosh fields of a question thread."""
    return {
        "question_id": doc.question_id,
        "title": doc.title,
        "body": doc.body_text,
        "answers": doc.answers_text,
        "tags": ",".join(tag.strip().lower() for tag in doc.tags if tag.strip()),
        "category": doc.category or "",
        "solved": bool(doc.solved),
        "verified": bool(doc.verified),
        "spelling": " ".join((doc.title, *doc.tags)),
        "rank": rank_multiplier(doc),
        "embedding": vector,
        "embedding_key": key,
    }


def filter_query(filters: SearchFilters) -> query.Query | None:
    """The Whoosh query of a search's filters (category, tag, solved), or None for none."""
    parts: list[query.Query] = []
    if filters.category:
        parts.append(query.Term("category", filters.category))
    if filters.tag:
        parts.append(query.Term("tags", filters.tag.strip().lower()))
    if filters.solved is not None:
        parts.append(query.Term("solved", filters.solved))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


class FilterMasks:
    """Boolean masks of the documents each set of filters allows, for one searcher at a time
    (``clear`` them when the searcher changes)."""

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit
        self._masks: dict[SearchFilters, np.ndarray] = {}

    def clear(self) -> None:
        self._masks.clear()

    def mask(self, searcher: Any, filters: SearchFilters) -> np.ndarray | None:
        """The mask of the documents ``filters`` allow, or None when there are no filters."""
        restriction = filter_query(filters)
        if restriction is None:
            return None
        mask = self._masks.get(filters)
        if mask is None:
            mask = np.zeros(searcher.reader().doc_count_all(), dtype=bool)
            mask[np.fromiter(searcher.docs_for_query(restriction), dtype=np.int64)] = True
            if len(self._masks) >= self.limit:
                self._masks.clear()
            self._masks[filters] = mask
        return mask
