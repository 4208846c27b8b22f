"""The rendered threads kept for anonymous readers: bounded, least recently read out first,
never served once the thread changed or the entry expired."""

from __future__ import annotations

import re
from typing import Any

import pytest

from forum.accounts.models import User
from forum.extensions import db
from forum.questions import services
from forum.questions.articles import ThreadArticles
from forum.questions.models import Question
from forum.questions.queries import Thread
from tests.test_analytics_support import BOT_UA, make_thread, thread_path

SNAPSHOT = Thread(question=Question(), answers=[], comments={}, my_votes={}, duplicate_of=None)


def test_the_least_recently_read_thread_makes_room():
    articles = ThreadArticles(seconds=60, max_entries=2)
    articles.put(1, "v1", "<p>one</p>", SNAPSHOT)
    articles.put(2, "v1", "<p>two</p>", SNAPSHOT)
    assert articles.get(1, "v1") is not None  # thread 1 is read again: thread 2 is now the oldest
    articles.put(3, "v1", "<p>three</p>", SNAPSHOT)
    assert len(articles) == 2
    assert articles.get(2, "v1") is None
    assert [articles.get(1, "v1").html, articles.get(3, "v1").html] == ["<p>one</p>", "<p>three</p>"]


def test_a_changed_version_or_an_expired_entry_is_never_served():
    articles = ThreadArticles(seconds=60, max_entries=4)
    articles.put(1, "v1", "<p>one</p>", SNAPSHOT)
    assert articles.get(1, "v2") is None
    expired = ThreadArticles(seconds=-1, max_entries=4)
    expired.put(1, "v1", "<p>one</p>", SNAPSHOT)
    assert expired.get(1, "v1") is None


def test_zero_entries_keeps_nothing():
    articles = ThreadArticles(seconds=60, max_entries=0)
    assert articles.put(1, "v1", "<p>one</p>", SNAPSHOT).html == "<p>one</p>"
    assert len(articles) == 0 and articles.get(1, "v1") is None


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "THREAD_CACHE_ENTRIES": 2}  # read once, when the app is built


@pytest.fixture
def author(make_user) -> User:
    return make_user("writer", role="advocate")


def test_the_cache_holds_at_most_the_configured_threads(app, client, author):
    ids = [make_thread(app, author, f"Exports stop at row {n} thousand", "product", None) for n in (1, 2, 3)]
    for question_id in ids:
        assert client.get(thread_path(app, question_id)).status_code == 200
    assert len(app.extensions["peerdesk_thread_articles"]) == 2


def test_an_anonymous_reader_sees_a_new_answer_at_once(app, client, author):
    question_id = make_thread(app, author, "Webhooks arrive twice after a retry", "technical", None)
    path = thread_path(app, question_id)
    assert "Deduplicate on the delivery id" not in client.get(path).get_data(as_text=True)
    with app.app_context():
        services.post_answer(
            db.session.get_one(User, author.id),
            db.session.get_one(Question, question_id),
            "Deduplicate on the delivery id in the header.",
        )
        db.session.commit()
    assert "Deduplicate on the delivery id" in client.get(path).get_data(as_text=True)


CSRF_FIELD = re.compile(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">')


def test_every_reader_of_a_kept_thread_gets_their_own_working_csrf_token(app, author):
    app.config["WTF_CSRF_ENABLED"] = True
    question_id = make_thread(app, author, "Invoices show the old company address", "billing", "accepted")
    path, survey = thread_path(app, question_id), f"/questions/{question_id}/survey"
    tokens = []
    for reader in (app.test_client(), app.test_client()):  # the first renders it, the second reads it kept
        page = reader.get(path).get_data(as_text=True)
        (token,) = set(CSRF_FIELD.findall(page))  # one token, in every form of the page
        tokens.append(token)
        assert reader.post(survey, data={"solved": "no", "csrf_token": token}).status_code == 302
        assert reader.post(survey, data={"solved": "no"}).status_code == 400
    assert tokens[0] != tokens[1]


def test_a_kept_thread_is_served_with_one_query_and_gone_once_hidden(app, client, author, db):
    """A reader served from the kept article costs one small query; hiding the thread in the
    database (no cache to clear) turns the next anonymous read into a 404."""
    from tests import support

    question_id = make_thread(app, author, "Reports time out on large date ranges", "product", None)
    path = thread_path(app, question_id)
    crawler = {"User-Agent": BOT_UA}  # no view written
    assert client.get(path, headers=crawler).status_code == 200  # renders and keeps the article
    with app.app_context():
        engine = db.engine
    with support.QueryCounter(engine) as counter:
        page = client.get(path, headers=crawler).get_data(as_text=True)
    assert "Reports time out on large date ranges" in page and counter.count == 1
    with app.app_context():
        db.session.get_one(Question, question_id).hidden_at = db.func.now()
        db.session.commit()
    assert client.get(path, headers=crawler).status_code == 404
