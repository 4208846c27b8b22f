"""BM25F scoring over Whoosh postings, vectorised with NumPy.

Whoosh's own matcher tree scores one posting at a time in Python (several
microseconds each), which made a 1-3 word query over 10,000 threads take
hundreds of milliseconds. Here each posting list is read once, a block at a
time (``postings.py``), and scored in bulk with NumPy, which also gives the
exact number of matches and lets the thread-quality multiplier apply to every
match, not only to a top window.

Per-segment arrays (field lengths, rank multipliers) are cached by segment id:
Whoosh segments never change once written, so a commit only costs the loading
of its new segment.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from forum.search.postings import field_lengths, float_column, read_postings

if TYPE_CHECKING:
    from whoosh.searching import Searcher

B = 0.75
K1 = 1.2


@dataclass(frozen=True)
class WeightedTerm:
    field: str
    text: str
    boost: float


def _idf(documents: int, frequency: int) -> float:
    """Whoosh's BM25 idf, log(N / (n + 1)) + 1, kept positive."""
    return max(0.01, math.log(documents / (frequency + 1)) + 1.0)


def _segment_id(reader: Any) -> str:
    segment = reader.segment()
    return "" if segment is None else str(segment.segment_id())


class SegmentArrays:
    """Field lengths and rank multipliers of one segment."""

    def __init__(self, reader: Any, fields: Sequence[str]) -> None:
        self.lengths = {field: field_lengths(reader, field) for field in fields}
        self.rank = float_column(reader, "rank", 1.0)


class BM25FScorer:
    """Scores weighted terms over every segment of a searcher; caches per-segment arrays."""

    def __init__(self, fields: Sequence[str]) -> None:
        self.fields = tuple(fields)
        self._segments: dict[str, SegmentArrays] = {}

    def _arrays(self, reader: Any) -> SegmentArrays:
        segment_id = _segment_id(reader)
        arrays = self._segments.get(segment_id)
        if arrays is None:
            arrays = SegmentArrays(reader, self.fields)
            self._segments[segment_id] = arrays
        return arrays

    def forget_other_segments(self, searcher: Searcher) -> None:
        """Drop cached arrays of segments that merges removed."""
        live = {_segment_id(reader) for reader, _ in searcher.reader().leaf_readers()}
        self._segments = {key: value for key, value in self._segments.items() if key in live}

    def score(
        self, searcher: Searcher, terms: Iterable[WeightedTerm], use_rank: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, matched) over all global docnums; deleted documents never match."""
        size = searcher.reader().doc_count_all()
        scores = np.zeros(size, dtype=np.float32)
        matched = np.zeros(size, dtype=bool)
        terms = [t for t in terms if t.boost > 0]
        if size == 0 or not terms:
            return scores, matched
        idf = {(t.field, t.text): _idf(size, searcher.doc_frequency(t.field, t.text)) for t in terms}
        average = {field: searcher.avg_field_length(field) or 1.0 for field in {t.field for t in terms}}
        for reader, offset in searcher.reader().leaf_readers():
            if reader.segment() is None:  # the reader of an empty index
                continue
            arrays = self._arrays(reader)
            for term in terms:
                if (term.field, term.text) not in reader:
                    continue
                ids, weights = read_postings(reader, term.field, term.text)
                lengths = arrays.lengths.get(term.field)
                if lengths is None:
                    contribution = weights * (K1 + 1) / (weights + K1)
                else:
                    norm = K1 * ((1 - B) + B * lengths[ids] / average[term.field])
                    contribution = weights * (K1 + 1) / (weights + norm)
                scores[ids + offset] += contribution * (term.boost * idf[(term.field, term.text)])
                matched[ids + offset] = True
            end = offset + reader.doc_count_all()
            if reader.has_deletions():
                deleted = np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)
                matched[deleted + offset] = False
            if use_rank:
                scores[offset:end] *= arrays.rank
        scores[~matched] = 0.0
        return scores, matched


def top_documents(scores: np.ndarray, matched: np.ndarray, start: int, stop: int) -> list[tuple[int, float]]:
    """Return (docnum, score) of matched documents ranked start..stop-1, best first (ties: lower docnum)."""
    candidates = np.flatnonzero(matched)
    if start >= len(candidates):
        return []
    stop = min(stop, len(candidates))
    values = scores[candidates]
    if stop < len(candidates):
        keep = np.argpartition(-values, stop - 1)[:stop]
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))[start:stop]
    return [(int(candidates[i]), float(values[i])) for i in order]
