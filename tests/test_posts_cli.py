"""``flask --app wsgi posts rerender``: stored HTML made again with the current sanitizer,
in batches, with the search index following; a second run changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.markup import SANITIZER_VERSION, render_markdown, sanitize_html
from forum.questions import services
from forum.questions.models import Answer, Question
from forum.search.models import SearchOutbox

STALE_HTML = '<p>Old markup</p><script>alert("stale")</script><p onclick="x()">stalewombat</p>'


@pytest.fixture
def author(make_user) -> User:
    return make_user("asker")


@pytest.fixture
def ask(db, author) -> Callable[..., int]:
    def _ask(title: str, body: str) -> int:
        question = services.ask_question(
            db.session.get(User, author.id), title, body, "technical", ["export"]
        )
        question_id = question.id
        db.session.commit()
        return question_id

    return _ask


@pytest.fixture
def answer(db, make_user) -> Callable[[int, str], int]:
    helper = make_user("helper")

    def _answer(question_id: int, body: str) -> int:
        posted = services.post_answer(
            db.session.get(User, helper.id), db.session.get(Question, question_id), body
        )
        answer_id = posted.id
        db.session.commit()
        return answer_id

    return _answer


def set_html(db, model, post_id: int, html: str, **columns) -> None:
    """Store HTML as an older sanitizer left it (straight into the table, as a migration would)."""
    db.session.execute(update(model).where(model.id == post_id).values(body_html=html, **columns))
    db.session.commit()


def html_of(db, model, post_id: int) -> str:
    html = db.session.scalar(select(model.body_html).where(model.id == post_id))
    db.session.commit()  # end the read, so the next command's writes are seen
    return html


def search_ids(client, query: str) -> list[int]:
    response = client.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 200
    return [item["question_id"] for item in response.get_json()["items"]]


def test_rerender_cleans_stale_html_in_batches_and_a_second_run_changes_nothing(runner, db, ask, answer):
    body = "Export to **CSV** drops the last column; see https://example.com/help"
    stale = ask("CSV export drops the last column of the report", body)
    fresh = ask("PDF export shows the wrong date on the cover", "The cover date is the *export* date.")
    stale_answer = answer(fresh, "Set the report date under **Settings**, then export again.")
    answer(stale, "Use the XLSX export until it is fixed.")
    set_html(db, Question, stale, STALE_HTML)
    set_html(db, Answer, stale_answer, '<p>Set it <a href="javascript:alert(1)">here</a></p>')

    result = runner.invoke(args=["posts", "rerender", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert f"Sanitizer version {SANITIZER_VERSION}: 2 of 4 posts changed." in result.output
    assert html_of(db, Question, stale) == render_markdown(body)
    assert "<script" not in html_of(db, Question, stale) and "onclick" not in html_of(db, Question, stale)
    assert "javascript:" not in html_of(db, Answer, stale_answer)
    assert "<strong>Settings</strong>" in html_of(db, Answer, stale_answer)

    again = runner.invoke(args=["posts", "rerender"])
    assert again.exit_code == 0, again.output
    assert "0 of 4 posts changed." in again.output


def test_rerender_brings_the_search_index_up_to_date(runner, client, db, ask):
    question = ask("Quokka report export fails at midnight", "The quokka export fails every night.")
    set_html(db, Question, question, STALE_HTML)
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert search_ids(client, "stalewombat") == [question], "the index read the stale HTML"

    result = runner.invoke(args=["posts", "rerender"])
    assert result.exit_code == 0 and "1 of 1 posts changed." in result.output
    assert search_ids(client, "stalewombat") == [], "the index follows the re-rendered HTML"
    assert search_ids(client, "quokka") == [question]
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0


def test_unedited_imported_posts_keep_their_original_html_cleaned_again(runner, db, ask, author):
    imported = ask("Imported: the importer keeps the original HTML", "A lossy *Markdown* copy of the post.")
    original = '<p>Original <b>bold</b> words<script>steal()</script> <img src="x" onerror="y()"></p>'
    set_html(db, Question, imported, original, import_source="se:test:q:1")
    edited = ask("Imported and then edited by its author here", "The first imported text of it.")
    services.edit_question(
        db.session.get(User, author.id),
        db.session.get(Question, edited),
        "Imported and then edited by its author here",
        "The author's **edited** Markdown is the source now.",
        "technical",
        ["export"],
    )
    db.session.commit()
    set_html(db, Question, edited, "<p>html of the import</p>", import_source="se:test:q:2")

    result = runner.invoke(args=["posts", "rerender"])
    assert result.exit_code == 0 and "2 of 2 posts changed." in result.output
    cleaned = html_of(db, Question, imported)
    assert cleaned == sanitize_html(original) and "Original" in cleaned and "bold" in cleaned
    assert "<script" not in cleaned and "onerror" not in cleaned and "Markdown copy" not in cleaned
    assert html_of(db, Question, edited) == render_markdown(
        "The author's **edited** Markdown is the source now."
    )
    assert "0 of 2 posts changed." in runner.invoke(args=["posts", "rerender"]).output


def test_dry_run_counts_and_stores_nothing(runner, db, ask):
    question = ask("Dry run leaves the stored HTML as it is", "Nothing should change in this post.")
    set_html(db, Question, question, STALE_HTML)
    result = runner.invoke(args=["posts", "rerender", "--dry-run"])
    assert result.exit_code == 0 and "1 of 1 posts would change." in result.output
    assert html_of(db, Question, question) == STALE_HTML
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
