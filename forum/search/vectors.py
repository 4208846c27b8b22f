"""Embedding vectors kept inside the Whoosh index.

Each question's vector is a fixed-width float16 column of its Whoosh document,
so it is written, replaced and deleted in the same commit as the text, by
whichever process holds the writer. Readers fetch only the vectors of the
candidates they re-rank (``candidate_vectors``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

from forum.search.embedding import DIMENSIONS

if TYPE_CHECKING:
    import numpy as np

VECTOR_BYTES = DIMENSIONS * 2  # float16
EMPTY_VECTOR = b"\x00" * VECTOR_BYTES
EMPTY_KEY = b"\x00" * 8
EMBEDDING_VERSION = "minilm-l6/128"  # change it when the model or the text embedded changes


class TextEncoder(Protocol):
    """Anything that turns texts into unit-length vectors of DIMENSIONS floats."""

    def encode(self, texts: Sequence[str], max_tokens: int = ..., batch_size: int = ...) -> np.ndarray: ...


_DEFERRED: ContextVar[bool] = ContextVar("peerdesk_embedding_deferred", default=False)


@contextmanager
def defer_embedding() -> Iterator[None]:
    """Index changes made inside the block leave new vectors to ``flask search embed``.

    For bulk loads (an import): the model embeds tens of questions a second, and the
    import itself should not wait for it. Unchanged texts keep their vectors as always.
    """
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def embedding_deferred() -> bool:
    return _DEFERRED.get()


def embedding_key(text: str) -> bytes:
    """Return an 8-byte fingerprint of the text a vector was computed from (and of how)."""
    return hashlib.blake2b(f"{EMBEDDING_VERSION}\n{text}".encode(), digest_size=8).digest()


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


def missing_vectors(searcher: Any) -> list[int]:
    """Return the question ids of indexed (live) documents without a vector."""
    reader = searcher.reader()
    if not reader.has_column("embedding_key"):
        return []
    keys = reader.column_reader("embedding_key")
    ids = reader.column_reader("question_id")
    return [ids[docnum] for docnum in reader.all_doc_ids() if keys[docnum] == EMPTY_KEY]


def vectors_for(
    encoder: TextEncoder | None,
    texts: Sequence[tuple[int, str]],
    known: dict[int, tuple[bytes, bytes]],
    max_tokens: int,
) -> list[tuple[bytes, bytes]]:
    """Return (vector, key) per (question_id, text), reusing ``known`` vectors of unchanged text.

    Without an ``encoder``, texts with no known vector are left without one.
    """
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
    if encoder is None:
        return result
    fresh = encode_vectors(encoder, [texts[i][1] for i in missing], max_tokens)
    for position, vector in zip(missing, fresh, strict=True):
        result[position] = (vector, keys[position])
    return result


def candidate_vectors(searcher: Any, docnums: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Return the float32 vectors of ``docnums`` (global) and which of them have one.

    Only the candidates' rows are read from the index's vector column, so a worker
    never holds the vectors of the whole index in memory.
    """
    import numpy as np

    matrix = np.zeros((len(docnums), DIMENSIONS), dtype=np.float32)
    present = np.zeros(len(docnums), dtype=bool)
    if not docnums:
        return matrix, present
    for reader, offset in searcher.reader().leaf_readers():
        if reader.segment() is None or not reader.has_column("embedding_key"):
            continue
        end = offset + reader.doc_count_all()
        inside = [(row, docnum - offset) for row, docnum in enumerate(docnums) if offset <= docnum < end]
        if not inside:
            continue
        keys = reader.column_reader("embedding_key")
        vectors = reader.column_reader("embedding")
        for row, local in inside:
            if keys[local] != EMPTY_KEY:
                matrix[row] = np.frombuffer(vectors[local], dtype=np.float16)
                present[row] = True
    return matrix, present
