"""Embedding vectors kept inside the Whoosh index, and nearest-neighbour search over them.

Each question's vector is a fixed-width float16 column of its Whoosh document,
so it is written, replaced and deleted in the same commit as the text, by
whichever process holds the writer. Readers keep one float32 matrix per index
segment (segments never change once written), so a new commit costs only the
loading of its new, small segment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from forum.search.embedding import DIMENSIONS, blas_threads

if TYPE_CHECKING:
    import numpy as np

VECTOR_BYTES = DIMENSIONS * 2  # float16
EMPTY_VECTOR = b"\x00" * VECTOR_BYTES
EMPTY_KEY = b"\x00" * 8


class TextEncoder(Protocol):
    """Anything that turns texts into unit-length vectors of DIMENSIONS floats."""

    def encode(self, texts: Sequence[str], max_tokens: int = ..., batch_size: int = ...) -> np.ndarray: ...


def embedding_key(text: str) -> bytes:
    """Return an 8-byte fingerprint of the text a vector was computed from."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


def encode_vectors(encoder: TextEncoder, texts: Sequence[str], max_tokens: int) -> list[bytes]:
    """Return one float16 byte string per text."""
    import numpy as np

    if not texts:
        return []
    matrix = encoder.encode(texts, max_tokens=max_tokens).astype(np.float16)
    return [row.tobytes() for row in matrix]


def stored_vectors(searcher: Any, question_ids: Sequence[int] | None) -> dict[int, tuple[bytes, bytes]]:
    """Return question_id -> (vector, key) of indexed questions that have a vector (all if ids is None)."""
    reader = searcher.reader()
    if not reader.has_column("embedding_key"):
        return {}
    keys = reader.column_reader("embedding_key")
    vectors = reader.column_reader("embedding")
    pairs: Iterable[tuple[int, int]]
    if question_ids is None:
        ids = reader.column_reader("question_id")
        pairs = ((docnum, ids[docnum]) for docnum in reader.all_doc_ids())
    else:
        pairs = (
            (docnum, qid) for qid in question_ids for docnum in searcher.document_numbers(question_id=qid)
        )
    found: dict[int, tuple[bytes, bytes]] = {}
    for docnum, qid in pairs:
        key = keys[docnum]
        if key != EMPTY_KEY:
            found[qid] = (vectors[docnum], key)
    return found


def vectors_for(
    encoder: TextEncoder,
    texts: Sequence[tuple[int, str]],
    known: dict[int, tuple[bytes, bytes]],
    max_tokens: int,
) -> list[tuple[bytes, bytes]]:
    """Return (vector, key) per (question_id, text), reusing ``known`` vectors of unchanged text."""
    keys = [embedding_key(text) for _, text in texts]
    result: list[tuple[bytes, bytes]] = []
    missing: list[int] = []
    for position, ((question_id, _), key) in enumerate(zip(texts, keys, strict=True)):
        old = known.get(question_id)
        if old is not None and old[1] == key:
            result.append(old)
        else:
            result.append((EMPTY_VECTOR, EMPTY_KEY))
            missing.append(position)
    fresh = encode_vectors(encoder, [texts[i][1] for i in missing], max_tokens)
    for position, vector in zip(missing, fresh, strict=True):
        result[position] = (vector, keys[position])
    return result


def _segment_matrix(reader: Any) -> np.ndarray:
    import numpy as np

    if not reader.has_column("embedding"):
        return np.zeros((reader.doc_count_all(), DIMENSIONS), dtype=np.float32)
    raw = b"".join(reader.column_reader("embedding"))
    matrix = np.frombuffer(raw, dtype=np.float16).reshape(-1, DIMENSIONS)
    return matrix.astype(np.float32)


class VectorCache:
    """Float32 matrices of the index's segments, loaded once per segment."""

    def __init__(self) -> None:
        self._matrices: dict[str, np.ndarray] = {}

    def nearest(
        self, searcher: Any, query: np.ndarray, limit: int, skip: set[int]
    ) -> list[tuple[int, float]]:
        """Return up to ``limit`` (global docnum, cosine) pairs, best first.

        Deleted documents, documents without a vector and docnums in ``skip`` are left out.
        """
        import numpy as np

        live: dict[str, np.ndarray] = {}
        found: list[tuple[int, float]] = []
        for reader, offset in searcher.reader().leaf_readers():
            segment = reader.segment()
            if segment is None:  # the reader of an empty index
                continue
            segment_id = segment.segment_id()
            matrix = self._matrices.get(segment_id)
            if matrix is None:
                matrix = _segment_matrix(reader)
            live[segment_id] = matrix
            if not len(matrix):
                continue
            with blas_threads(1):  # a matrix-vector product is memory-bound: one thread is enough
                scores = matrix @ query
            if reader.has_deletions():
                scores[list(segment.deleted_docs())] = -2.0
            for docnum in skip:
                if offset <= docnum < offset + len(scores):
                    scores[docnum - offset] = -2.0
            take = min(limit, len(scores))
            best = np.argpartition(-scores, take - 1)[:take]
            found.extend((offset + int(i), float(scores[i])) for i in best if scores[i] > 0.0)
        self._matrices = live  # forget segments that merges removed
        found.sort(key=lambda pair: -pair[1])
        return found[:limit]
