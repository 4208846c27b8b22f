"""Reading Whoosh segment data into NumPy arrays: posting lists and per-document columns.

Whoosh's matcher interface hands out one posting per Python call (about a
microsecond each). Its on-disk format (``whoosh.codec.whoosh3``) stores
postings in blocks of up to 128: a pickled tuple of delta-encoded document
numbers and weights. Decoding a whole block with ``pickle`` and ``numpy``
costs about as much as three single postings, so a long posting list reads
some ten times faster. Any other matcher (inlined short lists, other codecs)
takes the generic path. Deleted documents are not filtered here; the caller
masks them.

Per-document numeric columns (field lengths, the rank multiplier) are fixed-size
big-endian values in one stretch of the segment file: read in one call, not one
Python call per document (100,000 documents took seconds).
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, _lenfield
from whoosh.columns import Column, NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

# Blocks of up to 1,024 postings, not compressed: a common word's list is read in
# a few dozen pickle loads instead of hundreds of loads and decompressions.
POSTINGS_BLOCK = 1024


class PostingsCodec(W3Codec):
    """Whoosh 3 format without per-block field-length statistics.

    Whoosh reads a document's field length back from disk for every posting it
    writes, only to record each block's shortest and longest document, which
    serve its own block-skipping scorers. We score whole posting lists with our
    own BM25F (``ranking.py``), so the statistics are never read; skipping them
    takes a large share off the cost of writing an index.
    """

    length_stats = False


def postings_codec() -> W3Codec:
    """The codec every writer of our index uses (segments remember theirs for reading)."""
    return PostingsCodec(blocklimit=POSTINGS_BLOCK, compression=0)


EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def read_postings(reader: Any, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (segment docnums, term weights) of ``text`` in ``field`` of one segment reader."""
    matcher = reader.postings(field, text)
    leaf = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if isinstance(leaf, W3LeafMatcher) and not getattr(leaf, "_byteids", False):
        leaf.reset()
        return _read_blocks(leaf)
    return _read_one_by_one(matcher)


def _read_blocks(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    postfile = matcher._postfile
    while True:
        count = matcher._blocklength
        start = matcher._dataoffset
        data = postfile.get(start, matcher._nextoffset - start)
        if matcher._compression:
            data = zlib.decompress(data)
        deltas, block_weights = pickle.loads(data)[:2]
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        weights.append(_block_weights(block_weights, count))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    if not ids:
        return EMPTY_IDS, EMPTY_WEIGHTS
    return np.concatenate(ids), np.concatenate(weights)


def _block_weights(stored: Any, count: int) -> np.ndarray:
    """Undo Whoosh's weight minifying: None means all 1.0, a float means all that value."""
    if stored is None:
        return np.ones(count, dtype=np.float32)
    if isinstance(stored, float):
        return np.full(count, stored, dtype=np.float32)
    return np.asarray(stored, dtype=np.float32)


def _read_one_by_one(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    ids: list[int] = []
    weights: list[float] = []
    add_id, add_weight = ids.append, weights.append
    while matcher.is_active():
        add_id(matcher.id())
        add_weight(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)


_LENGTH_OF_BYTE = np.array([byte_to_length(code) for code in range(256)], dtype=np.float32)


def field_lengths(reader: Any, field: str) -> np.ndarray:
    """Return the (approximate, as Whoosh stores them) length of ``field`` in each document."""
    count = reader.doc_count_all()
    codes = _numeric_column(reader, _lenfield(field), LENGTHS_COLUMN, count)
    if codes is None:
        return np.fromiter((reader.doc_field_length(n, field, 0) for n in range(count)), np.float32, count)
    return _LENGTH_OF_BYTE[codes.astype(np.uint8)]


def float_column(reader: Any, field: str, default: float) -> np.ndarray:
    """Return a numeric column field of every document (``default`` where it was never set)."""
    count = reader.doc_count_all()
    if not reader.has_column(field):
        return np.full(count, default, dtype=np.float32)
    values = _numeric_column(reader, field, reader.schema[field].column_type, count)
    if values is None:
        values = np.fromiter(reader.column_reader(field), dtype=np.float32, count=count)
    return values.astype(np.float32)


def _numeric_column(reader: Any, name: str, column: Column, count: int) -> np.ndarray | None:
    """Read a numeric column of a Whoosh 3 segment in one call; None when it is stored otherwise."""
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not isinstance(column, NumericColumn):
        return None
    if not perdoc.has_column(name):
        return np.full(count, column.default_value(), dtype=np.float64)
    raw = perdoc.column_reader(name, column)
    if type(raw) is not NumericColumn.Reader:
        return None
    stored = raw._count
    data = raw._dbfile.get(raw._basepos, stored * raw._fixedlen)
    values = np.frombuffer(data, dtype=np.dtype(raw._typecode).newbyteorder(">"))
    if stored >= count:
        return values[:count]
    return np.concatenate([values, np.full(count - stored, raw._default, dtype=values.dtype)])
