"""Similar questions: found by their words, then re-ranked by their meaning.

1. **Candidates by words.** BM25 over titles and bodies with the rarest words of
   the title (and a few of the body), within a budget of postings so a title of
   common words stays fast.
2. **Re-ranked by meaning** (when the sentence model is installed): the text being
   typed is embedded once, and each candidate's stored vector (computed when the
   question was saved) gives its cosine. The final score is that cosine plus a
   small share of the word score, which breaks near-ties in favour of shared words.

Only the candidates' vectors are read, so no worker holds the vectors of the whole
index. On the Meta Stack Exchange duplicates (``tests/bench/similar_quality.py``):
recall@5 0.38 by words alone, 0.60 re-ranked from 200 candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from forum.search import analysis
from forum.search.ranking import BM25FScorer, WeightedTerm, top_documents
from forum.search.vectors import candidate_vectors
from forum.search.whoosh_schema import SIMILAR_FIELD_BOOSTS

SIMILAR_TERMS = 12
SIMILAR_POSTINGS_BUDGET = 30_000  # postings read by one word-based query
CANDIDATES = 200  # questions found by words that are re-ranked by meaning
WORD_SHARE = 0.1  # weight of the (max-normalised) word score next to the cosine

Ranked = list[tuple[int, float]]  # (global docnum, score), best first


def similar_by_words(
    scorer: BM25FScorer,
    analyzer: Any,
    searcher: Any,
    text: tuple[str, str],
    limit: int,
    skip: set[int],
) -> Ranked:
    """Return up to ``limit`` questions sharing the rarest words of (title, body)."""
    title, body = text
    terms = analysis.query_terms(analyzer, title, 16)
    terms += [t for t in analysis.query_terms(analyzer, body, 24) if t not in terms][:8]
    # Rarest words first, as many as a budget of postings allows: the rare words
    # tell most, and words found in most questions would only slow the query down.
    frequency = {t: searcher.doc_frequency("title", t) + searcher.doc_frequency("body", t) for t in terms}
    chosen: list[str] = []
    spent = 0
    for term in sorted((t for t in terms if frequency[t]), key=frequency.__getitem__)[:SIMILAR_TERMS]:
        if chosen and spent + frequency[term] > SIMILAR_POSTINGS_BUDGET:
            break
        chosen.append(term)
        spent += frequency[term]
    if not chosen:
        return []
    weighted = [
        WeightedTerm(field, term, boost) for term in chosen for field, boost in SIMILAR_FIELD_BOOSTS.items()
    ]
    scores, matched = scorer.score(searcher, weighted, use_rank=False)
    if skip:
        matched[list(skip)] = False
    return top_documents(scores, matched, 0, limit)


def rerank_by_meaning(
    searcher: Any,
    candidates: Ranked,
    embed_query: Callable[[], np.ndarray],
    limit: int,
    min_similarity: float,
) -> Ranked:
    """Re-rank word candidates by the cosine of their stored vectors with the query's.

    A candidate without a vector yet (saved before the model was installed, and not
    yet embedded by ``flask search embed``) counts as ``min_similarity``. Candidates
    with a vector below ``min_similarity`` are dropped: they share words, not meaning.
    The query is embedded only if some candidate has a vector.
    """
    if not candidates:
        return []
    docnums = [docnum for docnum, _ in candidates]
    matrix, present = candidate_vectors(searcher, docnums)
    if not present.any():
        return candidates[:limit]
    cosines = matrix @ embed_query()
    cosines[~present] = min_similarity
    words = np.array([score for _, score in candidates], dtype=np.float32)
    fused = cosines + WORD_SHARE * words / max(float(words.max()), 1e-9)
    order = np.lexsort((np.arange(len(docnums)), -fused))
    kept = [i for i in order.tolist() if cosines[i] >= min_similarity]
    return [(docnums[i], float(fused[i])) for i in kept[:limit]]

