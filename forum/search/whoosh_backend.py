"""The Whoosh search backend: one index folder shared by every worker process.

Writers: Whoosh allows one writer at a time per index. Each write waits for
the lock with back-off up to ``writer_timeout`` seconds, then raises
``SearchIndexBusy``. Readers: one cached searcher per backend object, reopened
when another process (or this one) has committed a newer generation.

Scoring: our own BM25F over Whoosh's postings, vectorised with NumPy
(``ranking.py``), times a thread-quality multiplier (solved, verified, votes).
Similar questions (``similar.py``): BM25 over titles and bodies finds candidates,
re-ranked by sentence embeddings (``embedding.py``) when the packaged model is
installed.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import numpy as np
from whoosh import index, query, scoring, writing
from whoosh.searching import Searcher

from forum.search import analysis
from forum.search.backend import (
    SearchBackend,
    SearchDocument,
    SearchFilters,
    SearchHit,
    SearchIndexBusy,
    SearchPage,
    SimilarQuestion,
)
from forum.search.bulk_writer import open_rebuild_writer
from forum.search.cache import ResultCache
from forum.search.postings import postings_codec
from forum.search.ranking import BM25FScorer, WeightedTerm, top_documents
from forum.search.similar import CANDIDATES, rerank_by_meaning, similar_by_words
from forum.search.vectors import (
    EMPTY_KEY,
    EMPTY_VECTOR,
    TextEncoder,
    embedding_deferred,
    missing_vectors,
    stored_vectors,
    vectors_for,
)
from forum.search.whoosh_schema import (
    SEARCH_FIELD_BOOSTS,
    FilterMasks,
    build_schema,
    document_fields,
    embedding_text,
)

logger = logging.getLogger(__name__)

AUTO = "auto"
BULK_BATCH = 256
MAX_PER_PAGE = 100
MAX_SIMILAR = 50
QUERY_TOKENS = 64  # word pieces of the text being typed that are embedded (its cost grows with them)
TAG_BOOST = 2.0


class WhooshBackend(SearchBackend):
    """Search and similar questions over a Whoosh index folder.

    ``encoder``: ``"auto"`` loads the packaged sentence model when available,
    ``None`` turns embeddings off (BM25 only), or pass any ``TextEncoder``.
    ``min_similarity``: cosine below which a question is not offered as similar.
    """

    def __init__(
        self,
        index_dir: str | Path,
        writer_timeout: float = 30.0,
        encoder: TextEncoder | str | None = AUTO,
        embedding_tokens: int = 128,
        min_similarity: float = 0.35,
        result_cache_size: int = 512,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.writer_timeout = writer_timeout
        self.embedding_tokens = embedding_tokens
        self.min_similarity = min_similarity
        self._encoder_choice = encoder
        self._analyzer = analysis.text_analyzer()
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        # Segments are plain files (not one compound file): close the open searcher's
        # files when this backend goes away, instead of leaving them to the garbage collector.
        self._open_searchers: list[Searcher] = []
        weakref.finalize(self, _close_searchers, self._open_searchers)
        self._scorer = BM25FScorer(("title", "body", "answers"))
        self._filter_masks = FilterMasks()
        self._results = ResultCache(result_cache_size)
        self._index = self._open_or_create()

    # -- opening -----------------------------------------------------------------

    def _open_or_create(self) -> index.Index:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        schema = build_schema()
        if index.exists_in(str(self.index_dir)):
            existing = index.open_dir(str(self.index_dir))
            if set(existing.schema.names()) == set(schema.names()):
                return existing
            logger.warning(
                "search index at %s has an old layout: recreating it (run a rebuild)", self.index_dir
            )
        return index.create_in(str(self.index_dir), schema)

    def _encoder(self) -> TextEncoder | None:
        if self._encoder_choice == AUTO:
            from forum.search.embedding import load_default_encoder

            self._encoder_choice = load_default_encoder()
        return self._encoder_choice if not isinstance(self._encoder_choice, str) else None

    @contextmanager
    def _reading(self) -> Iterator[Searcher]:
        """Yield the cached searcher, reopened if a newer commit exists (one user at a time)."""
        with self._lock:
            current = self._searcher
            if current is None or not current.up_to_date():
                self._searcher = self._fresh_searcher(current)
                self._open_searchers[:] = [self._searcher]
            yield self._searcher

    def _fresh_searcher(self, old: Searcher | None) -> Searcher:
        # Not Searcher.refresh(): it reuses the reader of a segment whose deletions
        # changed (it matches readers by segment id) and would still show deleted threads.
        if old is not None:
            old.close()
        searcher = self._index.searcher(weighting=scoring.BM25F())
        self._scorer.forget_other_segments(searcher)
        self._filter_masks.clear()
        self._results.clear()
        return searcher

    def _writer(self, rebuild: bool = False, rebuild_of: int | None = None) -> writing.IndexWriter:
        """Return a writer, waiting for the lock with back-off; raise SearchIndexBusy after the timeout.

        ``rebuild``: our bulk writer of a full rebuild, of about ``rebuild_of`` documents if known.
        """
        deadline = time.monotonic() + self.writer_timeout
        delay = 0.01
        while True:
            try:
                if not rebuild:
                    return self._index.writer(codec=postings_codec(), compound=False)
                return open_rebuild_writer(
                    self._index, rebuild_of, schema=build_schema(), codec=postings_codec(), compound=False
                )
            except writing.LockError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SearchIndexBusy(
                        f"search index {self.index_dir} stayed locked for {self.writer_timeout:.0f}s"
                    ) from None
                time.sleep(min(delay, remaining))
                delay = min(delay * 2, 0.25)

    # -- writing -----------------------------------------------------------------

    def index_documents(self, docs: Iterable[SearchDocument]) -> int:
        docs = list(docs)
        self.apply_changes(docs, ())
        return len(docs)

    def remove_documents(self, question_ids: Iterable[int]) -> int:
        ids = list(question_ids)
        self.apply_changes((), ids)
        return len(ids)

    def apply_changes(self, upserts: Iterable[SearchDocument], removals: Iterable[int]) -> None:
        """Apply upserts and removals in one commit; a removal wins over an upsert of the same id."""
        removed = {int(qid) for qid in removals}
        latest: dict[int, SearchDocument] = {
            doc.question_id: doc for doc in upserts if doc.question_id not in removed
        }
        if not latest and not removed:
            return
        docs = list(latest.values())
        known = self._stored_vectors([doc.question_id for doc in docs])
        vectors = self._vectors_for(docs, known, embed_missing=not embedding_deferred())
        writer = self._writer()
        try:
            for qid in removed:
                writer.delete_by_term("question_id", qid)
            for doc, (vector, key) in zip(docs, vectors, strict=True):
                writer.update_document(**document_fields(doc, vector, key))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
        expected: int | None = None,
        embed_missing: bool = False,
    ) -> int:
        """Replace the index with ``docs`` in one commit (readers switch atomically).

        Vectors of unchanged questions are copied from the old index. Missing ones are
        computed only with ``embed_missing`` (the model embeds tens of questions a
        second, the rebuild thousands): otherwise ``embed_missing_vectors`` adds them later.
        A large rebuild is written by one process per core, each making its own segment.
        """
        known = self._stored_vectors(None)
        writer = self._writer(rebuild=True, rebuild_of=expected)
        count = 0
        try:
            stream = iter(docs)
            while batch := list(islice(stream, BULK_BATCH)):
                vectors = self._vectors_for(batch, known, embed_missing)
                for doc, (vector, key) in zip(batch, vectors, strict=True):
                    writer.add_document(**document_fields(doc, vector, key))
                count += len(batch)
                if progress is not None:
                    progress(count)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        return count

    def _stored_vectors(self, question_ids: Sequence[int] | None) -> dict[int, tuple[bytes, bytes]]:
        if self._encoder() is None:
            return {}
        with self._reading() as searcher:
            return stored_vectors(searcher, question_ids)

    def _vectors_for(
        self, docs: Sequence[SearchDocument], known: dict[int, tuple[bytes, bytes]], embed_missing: bool = True
    ) -> list[tuple[bytes, bytes]]:
        encoder = self._encoder()
        if encoder is None:
            return [(EMPTY_VECTOR, EMPTY_KEY)] * len(docs)
        texts = [(doc.question_id, embedding_text(doc.title, doc.body_text)) for doc in docs]
        return vectors_for(encoder if embed_missing else None, texts, known, self.embedding_tokens)

    def ranks_by_meaning(self) -> bool:
        return self._encoder() is not None

    def questions_without_vectors(self) -> list[int]:
        """Ids of indexed questions that have no vector yet (none if the model is not installed)."""
        if self._encoder() is None:
            return []
        with self._reading() as searcher:
            return missing_vectors(searcher)

    # -- reading -----------------------------------------------------------------

    def search(self, query: str, filters: SearchFilters, page: int, per_page: int) -> SearchPage:
        page = max(1, page)
        per_page = max(1, min(MAX_PER_PAGE, per_page))
        text = analysis.clean_user_text(query)
        terms = analysis.query_terms(self._analyzer, text)
        if not terms:
            return SearchPage(hits=[], total=0, page=page, per_page=per_page, suggestion=None)
        weighted = [
            WeightedTerm(field, term, boost) for term in terms for field, boost in SEARCH_FIELD_BOOSTS.items()
        ]
        weighted += [WeightedTerm("tags", tag, TAG_BOOST) for tag in analysis.tag_words(text)]
        key = ("search", tuple(weighted), filters, page, per_page)
        with self._reading() as searcher:
            cached = self._results.get(key)
            if cached is not None:
                return cached
            scores, matched = self._scorer.score(searcher, weighted, use_rank=True)
            allowed = self._filter_masks.mask(searcher, filters)
            if allowed is not None:
                matched &= allowed
            total = int(matched.sum())
            shown = top_documents(scores, matched, (page - 1) * per_page, page * per_page)
            hits = [self._hit(searcher, docnum, score, set(terms)) for docnum, score in shown]
            suggestion = self._did_you_mean(searcher, text) if total == 0 else None
            result = SearchPage(hits=hits, total=total, page=page, per_page=per_page, suggestion=suggestion)
            self._results.put(key, result)
        return result

    def _hit(self, searcher: Searcher, docnum: int, score: float, terms: set[str]) -> SearchHit:
        stored = searcher.stored_fields(docnum)
        body = stored.get("body", "")
        snippet = analysis.snippet_html(body, terms)
        if "<mark>" not in snippet and stored.get("answers"):
            from_answers = analysis.snippet_html(stored["answers"], terms)
            snippet = from_answers if "<mark>" in from_answers else snippet
        return SearchHit(
            question_id=int(stored["question_id"]),
            title=stored.get("title", ""),
            snippet_html=snippet,
            solved=bool(stored.get("solved")),
            score=float(score),
        )

    def _did_you_mean(self, searcher: Searcher, text: str) -> str | None:
        """Return the query with unknown words replaced by the closest indexed words, or None."""
        words = analysis.spelling_words(text)
        if not words:
            return None
        corrector = searcher.corrector("spelling")
        reader = searcher.reader()
        corrected = []
        for word in words:
            if ("spelling", word) in reader:
                corrected.append(word)
                continue
            suggestions = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            corrected.append(suggestions[0] if suggestions else word)
        return " ".join(corrected) if corrected != words else None

    def similar(
        self, title: str, body: str = "", limit: int = 5, exclude_id: int | None = None
    ) -> list[SimilarQuestion]:
        title = analysis.clean_user_text(title, 300)
        body = analysis.clean_user_text(body, 2000)
        limit = max(0, min(MAX_SIMILAR, limit))
        if not (title or body) or limit == 0:
            return []
        encoder = self._encoder()
        key = ("similar", title, body, limit, exclude_id)
        with self._reading() as searcher:
            cached = self._results.get(key)
            if cached is not None:
                return list(cached)
            skip = set(searcher.document_numbers(question_id=exclude_id)) if exclude_id is not None else set()
            wanted = limit if encoder is None else max(limit, CANDIDATES)
            found = similar_by_words(self._scorer, self._analyzer, searcher, (title, body), wanted, skip)
            if encoder is not None:
                tokens = min(self.embedding_tokens, QUERY_TOKENS)

                def embed_query() -> np.ndarray:
                    return encoder.encode([embedding_text(title, body)], max_tokens=tokens)[0]

                found = rerank_by_meaning(searcher, found, embed_query, limit, self.min_similarity)
            similar = [self._similar_question(searcher, docnum, score) for docnum, score in found[:limit]]
            self._results.put(key, tuple(similar))
        return similar

    @staticmethod
    def _similar_question(searcher: Searcher, docnum: int, score: float) -> SimilarQuestion:
        stored = searcher.stored_fields(docnum)
        return SimilarQuestion(
            question_id=int(stored["question_id"]),
            title=stored.get("title", ""),
            solved=bool(stored.get("solved")),
            score=round(score, 4),
        )

    def document_count(self) -> int:
        with self._reading() as searcher:
            return int(searcher.doc_count())

    def ping(self) -> bool:
        """Return True if the index opens and answers a query; never raises."""
        try:
            with self._reading() as searcher:
                searcher.search(query.Every(), limit=1)
            return True
        except Exception:  # noqa: BLE001 - a health check reports, it does not raise
            logger.exception("search index ping failed")
            return False


def _close_searchers(searchers: list[Searcher]) -> None:
    for searcher in searchers:
        searcher.close()
    searchers.clear()
