"""Reading Whoosh segments in bulk gives exactly what Whoosh's own per-posting API gives,
and cached results never outlive a change to the index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from forum.search.backend import SearchFilters
from forum.search.postings import POSTINGS_BLOCK, field_lengths, float_column, read_postings
from forum.search.whoosh_backend import WhooshBackend
from tests.test_search_backend import doc

ANY = SearchFilters()
FIELDS = ("title", "body", "answers")


def one_by_one(reader: object, field: str, text: str) -> tuple[list[int], list[float]]:
    """Whoosh's documented matcher interface, one posting per call (deletions filtered)."""
    matcher = reader.postings(field, text)  # type: ignore[attr-defined]
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    """Several thousand threads (posting lists longer than one block), then deletions and
    a second segment, so readers see multi-block lists, several segments and deleted docs."""
    backend = WhooshBackend(tmp_path_factory.mktemp("big") / "index", encoder=None)
    count = 2 * POSTINGS_BLOCK + 300
    backend.rebuild(
        doc(
            qid,
            f"Invoice number {qid} " + ("refund " * (qid % 4)),
            "billing help " * (1 + qid % 3),
            answers_text="try the invoice page" if qid % 5 else "",
            score=qid % 7 - 2,
            solved=qid % 2 == 0,
        )
        for qid in range(1, count + 1)
    )
    backend.remove_documents(range(1, count, 9))
    backend.index_documents([doc(count + 1, "Invoice refund again", "billing")])
    return backend


@pytest.mark.parametrize(("field", "text"), [("title", "invoic"), ("title", "refund"), ("body", "bill")])
def test_bulk_postings_equal_whoosh_postings_except_deleted(
    big_index: WhooshBackend, field: str, text: str
) -> None:
    with big_index._reading() as searcher:
        readers = [reader for reader, _ in searcher.reader().leaf_readers()]
        assert len(readers) >= 2
        longest = 0
        for reader in readers:
            ids, weights = read_postings(reader, field, text)
            expected_ids, expected_weights = one_by_one(reader, field, text)
            deleted = set(reader.segment().deleted_docs()) if reader.has_deletions() else set()
            kept = [i for i, docnum in enumerate(ids.tolist()) if docnum not in deleted]
            assert ids[kept].tolist() == expected_ids
            assert weights[kept].tolist() == pytest.approx(expected_weights)
            longest = max(longest, len(ids))
        assert longest > POSTINGS_BLOCK  # the multi-block path really ran


def test_bulk_columns_equal_whoosh_columns(big_index: WhooshBackend) -> None:
    ranks = []
    with big_index._reading() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            count = reader.doc_count_all()
            for field in FIELDS:
                expected = [reader.doc_field_length(n, field, 0) or 0 for n in range(count)]
                assert field_lengths(reader, field).tolist() == expected
            expected_rank = list(reader.column_reader("rank"))
            assert float_column(reader, "rank", 1.0).tolist() == pytest.approx(expected_rank)
            ranks.append(float_column(reader, "rank", 1.0))
    assert len(set(np.concatenate(ranks).tolist())) > 3  # real, varied multipliers were read


def test_a_cached_result_is_dropped_when_the_index_changes(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index", encoder=None)
    backend.index_documents([doc(1, "Printer drivers on a laptop")])
    first = backend.search("printer", ANY, 1, 10)
    assert backend.search("printer", ANY, 1, 10) is first  # served from the cache
    assert [s.question_id for s in backend.similar("printer drivers")] == [1]

    other_worker = WhooshBackend(tmp_path / "index", encoder=None)
    other_worker.index_documents([doc(2, "Printer offline again")])
    other_worker.remove_documents([1])

    assert [hit.question_id for hit in backend.search("printer", ANY, 1, 10).hits] == [2]
    assert [s.question_id for s in backend.similar("printer drivers")] == [2]


def test_the_one_pass_analyzer_gives_the_terms_of_the_filter_chain() -> None:
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

    from forum.search.analysis import _WORD_PATTERN, ENGLISH_STOP_WORDS, text_analyzer

    chain = (
        RegexTokenizer(_WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=ENGLISH_STOP_WORDS, minsize=2, maxsize=40)
        | StemFilter()
    )
    text = (
        "I was BILLED twice for the Running invoices; don't retry node.js or C++ builds! "
        "Über-größe café naïve x a " + "w" * 41 + " relational agreed happily 3.14 e-mail's"
    )
    expected = [token.text for token in chain(text)]
    assert [token.text for token in text_analyzer()(text)] == expected
    assert "bill" in expected and "c++" in expected  # the sample really exercises stemming
    with_chars = [(t.text, t.startchar, t.endchar) for t in text_analyzer()(text, chars=True)]
    assert all(text[start:end].lower().startswith(term[:2]) for term, start, end in with_chars)


def test_a_parallel_rebuild_indexes_every_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big rebuild is written by two processes into two segments; nothing is lost or doubled."""
    from forum.search import bulk_writer

    monkeypatch.setattr(bulk_writer, "PARALLEL_REBUILD_FROM", 100)
    monkeypatch.setattr(bulk_writer.os, "cpu_count", lambda: 2)
    backend = WhooshBackend(tmp_path / "index", encoder=None)
    backend.index_documents([doc(9999, "An old thread about zebras")])
    count = backend.rebuild(
        (doc(qid, f"Parcel {qid} tracking", f"unique{qid}word") for qid in range(1, 701)), expected=700
    )

    assert count == 700 and backend.document_count() == 700
    with backend._reading() as searcher:
        assert len(list(searcher.reader().leaf_readers())) >= 2
    assert backend.search("parcel", ANY, 1, 10).total == 700
    assert backend.search("zebras", ANY, 1, 10).total == 0  # the old index is gone
    for qid in (1, 350, 700):
        assert [hit.question_id for hit in backend.search(f"unique{qid}word", ANY, 1, 10).hits] == [qid]


def _segment_contents(backend: WhooshBackend) -> tuple[dict, list, list]:
    """Every posting (with weights), field length and stored field of an index, in Whoosh's own terms."""
    with backend._reading() as searcher:
        reader = searcher.reader()
        postings = {
            (field, term): (
                one_by_one(reader, field, term),
                list(reader.postings(field, term).items_as("frequency")),
            )
            for field in reader.schema.names()
            if reader.schema[field].indexed
            for term in reader.lexicon(field)
        }
        lengths = [
            [reader.doc_field_length(n, f) for f in (*FIELDS, "tags", "spelling")]
            for n in range(reader.doc_count_all())
        ]
        stored = [reader.stored_fields(n) for n in range(reader.doc_count_all())]
    return postings, lengths, stored


def test_the_bulk_writer_of_a_rebuild_writes_what_whooshs_writer_writes(tmp_path: Path) -> None:
    """Same terms, postings, weights, field lengths and stored fields as Whoosh's SegmentWriter."""
    from forum.search.vectors import EMPTY_KEY, EMPTY_VECTOR
    from forum.search.whoosh_schema import document_fields

    words = ["refund", "refunds", "invoice", "the", "C++", "node.js", "don't", "Crème", "a", "x" * 41]
    docs = [
        doc(
            qid,
            f"{words[qid % 10]} title {qid} {words[(qid * 3) % 10]} {words[qid % 10]}",
            " ".join(words[(qid + i) % 10] for i in range(qid % 7)),
            answers_text="answer " * (qid % 3) + words[(qid * 7) % 10],
            tags=tuple(f"tag{t}" for t in range(qid % 3)),
            solved=qid % 2 == 0,
            score=qid % 5 - 2,
        )
        for qid in range(1, 301)
    ]
    whooshs = WhooshBackend(tmp_path / "whoosh", encoder=None)
    writer = whooshs._writer()
    for document in docs:
        writer.add_document(**document_fields(document, EMPTY_VECTOR, EMPTY_KEY))
    writer.commit()
    bulk = WhooshBackend(tmp_path / "bulk", encoder=None)
    bulk.rebuild(iter(docs), expected=len(docs))

    ours, theirs = _segment_contents(bulk), _segment_contents(whooshs)
    assert ours[0] == theirs[0] and ("body", b"refund") in ours[0] and ("tags", b"tag1") in ours[0]
    assert ours[1:] == theirs[1:]


def test_a_rebuild_gives_an_index_of_an_older_release_the_current_schema(tmp_path: Path) -> None:
    """An index whose fields still use the analyzer chain of an older release is read as it is;
    a rebuild writes it with the current schema, so the next one takes the one-pass analyzer."""
    from whoosh import index
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.fields import TEXT

    from forum.search.analysis import ENGLISH_STOP_WORDS, StemmedWords
    from forum.search.whoosh_schema import build_schema

    old_chain = (
        RegexTokenizer(r"\w+(?:['.]\w+)*\+*")
        | LowercaseFilter()
        | StopFilter(ENGLISH_STOP_WORDS)
        | StemFilter()
    )
    old_schema = build_schema()
    for name in FIELDS:
        old_schema._fields[name] = TEXT(analyzer=old_chain, stored=True, phrase=False)
    (tmp_path / "index").mkdir()
    index.create_in(str(tmp_path / "index"), old_schema)
    backend = WhooshBackend(tmp_path / "index", encoder=None)
    assert type(backend._index.schema["title"].analyzer) is not StemmedWords

    backend.rebuild([doc(1, "Refunds for invoices"), doc(2, "Exports stop early")], expected=2)

    assert type(index.open_dir(str(tmp_path / "index")).schema["title"].analyzer) is StemmedWords
    assert [hit.question_id for hit in backend.search("refund", ANY, 1, 10).hits] == [1]
