"""Q&A in the HTML pages: ask, answer, comment, vote, accept, edit history, delete, duplicates."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.questions import services
from forum.questions.models import Answer, Question, Revision, Tag
from tests import support

BODY = "I changed the billing email but invoices still go to the old address."


@pytest.fixture
def post_question(app, db) -> Callable[..., int]:
    def _post(author: User, title: str = "Invoices still go to the old billing email", **kw) -> int:
        with app.app_context():
            question = services.ask_question(
                db.session.get(User, author.id),
                title,
                kw.get("body", BODY),
                kw.get("category", "billing"),
                kw.get("tags", ["invoices"]),
            )
            db.session.commit()
            return question.id

    return _post


@pytest.fixture
def post_answer(app, db) -> Callable[..., int]:
    def _post(
        author: User, question_id: int, body: str = "Update it under Admin > Billing > Contacts."
    ) -> int:
        with app.app_context():
            answer = services.post_answer(
                db.session.get(User, author.id), db.session.get(Question, question_id), body
            )
            db.session.commit()
            return answer.id

    return _post


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_ask_posts_and_redirects_to_the_thread(client, auth, db):
    auth.login_as("member", "asker")
    response = client.post(
        "/ask",
        data={
            "title": "How do I change the billing email?",
            "body": BODY,
            "category": "billing",
            "tags": "invoices, billing-email",
        },
    )
    assert response.status_code == 302
    assert re.match(r"^/questions/\d+/how-do-i-change-the-billing-email$", response.headers["Location"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "How do I change the billing email?" in page and "billing-email" in page
    assert "Your question is posted" in page
    assert count(db, Revision) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "Too short"}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 30_001}, "body"),
        ({"category": "nonsense"}, "category"),
        ({"tags": "a, b, c, d, e, f"}, "tags"),
        ({"tags": "<script>"}, "tags"),
    ],
)
def test_ask_rejects_bad_input_and_saves_nothing(client, auth, db, changes, field):
    auth.login_as("member", "asker")
    data = {
        "title": "How do I change the billing email?",
        "body": BODY,
        "category": "billing",
        "tags": "invoices",
        **changes,
    }
    response = client.post("/ask", data=data)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"', response.get_data(as_text=True)), f"no error shown for {field}"
    assert count(db, Question) == 0 and count(db, Tag) == 0 and count(db, Revision) == 0


def test_ask_needs_sign_in(client):
    response = client.get("/ask")
    assert response.status_code == 302 and "/login?next=%2Fask" in response.headers["Location"]


def test_thread_address_redirects_to_canonical_slug(client, make_user, post_question):
    question_id = post_question(make_user())
    canonical = f"/questions/{question_id}/invoices-still-go-to-the-old-billing-email"
    for path in (f"/questions/{question_id}", f"/questions/{question_id}/wrong-slug"):
        response = client.get(path)
        assert response.status_code == 301 and response.headers["Location"] == canonical
    assert client.get(canonical).status_code == 200
    assert client.get("/questions/999999").status_code == 404


def test_answer_accept_and_reputation(client, auth, make_user, post_question, db):
    asker = make_user("asker")
    question_id = post_question(asker)
    answerer = auth.login_as("member", "helper")
    response = client.post(f"/questions/{question_id}/answers", data={"body": "Admin > Billing > Contacts."})
    assert response.status_code == 302
    answer_id = db.session.scalar(select(Answer.id))
    assert client.post(f"/answers/{answer_id}/accept").status_code == 403, "only the asker accepts"
    auth.logout()
    auth.login(asker)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in page, "the asker was told about the answer"
    client.post(f"/answers/{answer_id}/accept")
    thread = client.get(f"/questions/{question_id}", follow_redirects=True).get_data(as_text=True)
    assert "Accepted answer" in thread and "Solved" in thread
    assert "Solved" in client.get("/").get_data(as_text=True)
    assert db.session.get(User, answerer.id).reputation == 1 + 15
    assert db.session.get(User, asker.id).reputation == 1 + 2


def test_accepted_answer_is_shown_first(client, make_user, post_question, post_answer, app, db):
    asker = make_user("asker")
    question_id = post_question(asker)
    first = post_answer(make_user("early"), question_id, "An early answer that did not help.")
    second = post_answer(make_user("late"), question_id, "The later answer that solved it.")
    with app.app_context():
        from forum.questions.voting import accept_answer

        accept_answer(db.session.get(User, asker.id), db.session.get(Answer, second))
        db.session.commit()
    page = client.get(f"/questions/{question_id}", follow_redirects=True).get_data(as_text=True)
    assert page.index(f'id="answer-{second}"') < page.index(f'id="answer-{first}"')


def test_votes_change_score_and_own_post_is_refused(client, auth, make_user, post_question, db):
    author = make_user("author")
    question_id = post_question(author)
    auth.login_as("member", "voter")
    client.post(f"/questions/{question_id}/vote", data={"value": "1"})
    assert db.session.get(Question, question_id).score == 1
    client.post(f"/questions/{question_id}/vote", data={"value": "-1"})
    assert db.session.get(Question, question_id).score == -1, "a vote can be changed"
    response = client.post(
        f"/questions/{question_id}/vote", data={"value": "0"}, headers={"Accept": "application/json"}
    )
    assert response.get_json() == {"score": 0, "value": 0}
    auth.logout()
    auth.login(author)
    response = client.post(f"/questions/{question_id}/vote", data={"value": "1"}, follow_redirects=True)
    assert "cannot vote on your own post" in response.get_data(as_text=True)
    assert db.session.get(Question, question_id).score == 0


def test_edit_keeps_history_with_differences(client, auth, post_question, db):
    author = auth.login_as("member", "author")
    question_id = post_question(author)
    response = client.post(
        f"/questions/{question_id}/edit",
        data={
            "title": "Invoices still go to the old billing email",
            "body": BODY + "\n\nUpdate: still happening.",
            "category": "billing",
            "tags": "invoices, email",
            "note": "added an update",
        },
    )
    assert response.status_code == 302
    history = client.get(f"/questions/{question_id}/revisions").get_data(as_text=True)
    assert "Revision 2" in history and "added an update" in history
    assert 'class="diff-line diff-added">+ Update: still happening.' in history
    assert db.session.scalar(select(Tag.question_count).where(Tag.name == "email")) == 1


def test_editing_someone_elses_post_is_forbidden(client, auth, make_user, post_question, db):
    question_id = post_question(make_user("author"))
    auth.login_as("member", "other")
    assert client.get(f"/questions/{question_id}/edit").status_code == 403
    response = client.post(
        f"/questions/{question_id}/edit",
        data={"title": "Hijacked title for this question", "body": BODY, "category": "billing", "tags": "x"},
    )
    assert response.status_code == 403
    assert db.session.get(Question, question_id).title == "Invoices still go to the old billing email"


def test_delete_is_soft_and_moderators_restore(client, auth, make_user, post_question, db):
    author = auth.login_as("member", "author")
    question_id = post_question(author)
    client.post(f"/questions/{question_id}/delete")
    assert client.get(f"/questions/{question_id}", follow_redirects=True).status_code == 404
    assert "Invoices still go" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login_as("moderator", "mod")
    page = client.get(f"/questions/{question_id}", follow_redirects=True)
    assert page.status_code == 200 and "deleted" in page.get_data(as_text=True)
    client.post(f"/questions/{question_id}/restore")
    assert db.session.get(Question, question_id).deleted_at is None


def test_comments_on_question_and_answer(client, auth, make_user, post_question, post_answer):
    asker = make_user("asker")
    question_id = post_question(asker)
    answer_id = post_answer(make_user("helper"), question_id)
    auth.login_as("member", "commenter")
    client.post(f"/questions/{question_id}/comments", data={"body": "Which plan are you on?"})
    client.post(
        f"/questions/{question_id}/comments", data={"body": "Worked for me too", "answer_id": answer_id}
    )
    page = client.get(f"/questions/{question_id}", follow_redirects=True).get_data(as_text=True)
    assert "Which plan are you on?" in page and "Worked for me too" in page
    response = client.post(
        f"/questions/{question_id}/comments", data={"body": "x" * 601}, follow_redirects=True
    )
    assert "2-600 characters" in response.get_data(as_text=True)


def test_moderator_closes_as_duplicate(client, auth, make_user, post_question):
    author = make_user("author")
    canonical = post_question(author, "How do I change the billing contact email?")
    duplicate = post_question(author)
    auth.login_as("moderator", "mod")
    client.post(f"/questions/{duplicate}/duplicate", data={"canonical": f"/questions/{canonical}"})
    page = client.get(f"/questions/{duplicate}", follow_redirects=True).get_data(as_text=True)
    assert "already has an answer" in page and f'href="/questions/{canonical}"' in page


def test_member_cannot_close_as_duplicate(client, auth, make_user, post_question, db):
    question_id = post_question(make_user("author"))
    other = post_question(make_user("other"), "Another question about invoices")
    auth.login_as("member", "member")
    assert (
        client.post(f"/questions/{question_id}/duplicate", data={"canonical": str(other)}).status_code == 403
    )
    assert db.session.get(Question, question_id).duplicate_of_id is None


def test_thread_page_query_count_is_fixed(client, make_user, post_question, post_answer, app, db, auth):
    asker = make_user("asker")
    small, large = post_question(asker), post_question(asker, "Another invoice question here")
    helpers = [make_user(f"helper{i}") for i in range(30)]
    for helper in helpers[:3]:
        post_answer(helper, small)
    for helper in helpers:
        post_answer(helper, large)
    auth.login_as("member", "reader")

    def queries_for(question_id: int) -> int:
        url = client.get(f"/questions/{question_id}").headers["Location"]
        client.get(url)  # first visits do one-time work (e.g. the visitor cookie); count the steady state
        with app.app_context():
            engine = db.engine
        with support.QueryCounter(engine) as counter:
            assert client.get(url).status_code == 200
        return counter.count

    assert queries_for(small) == queries_for(large)


def test_home_list_query_count_is_fixed(client, make_user, post_question, app, db):
    author = make_user("author")

    def home_queries() -> int:
        client.get("/")
        with support.QueryCounter(db.engine) as counter:
            assert client.get("/").status_code == 200
        return counter.count

    for i in range(5):
        post_question(author, f"Question number {i} about invoices", tags=["invoices", f"t{i}"])
    few = home_queries()
    for i in range(5, 25):
        post_question(author, f"Question number {i} about invoices", tags=["invoices", f"t{i}"])
    assert home_queries() == few


def test_pagination_and_unanswered_tab(client, make_user, post_question, post_answer):
    author = make_user("author")
    ids = [post_question(author, f"Question number {i:02d} about invoices") for i in range(25)]
    post_answer(make_user("helper"), ids[0])
    first = client.get("/").get_data(as_text=True)
    assert "Question number 24" in first and "Question number 04" not in first
    assert 'rel="next"' in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert "Question number 04" in second
    unanswered = client.get("/?sort=unanswered").get_data(as_text=True)
    assert "24 unanswered questions" in unanswered
    assert "Question number 00 " not in unanswered


def test_category_tag_pages_and_feeds(client, make_user, post_question):
    post_question(make_user("author"), tags=["sso"], category="technical")
    assert "Invoices still go" in client.get("/categories/technical").get_data(as_text=True)
    assert "Invoices still go" not in client.get("/categories/billing").get_data(as_text=True)
    assert "Invoices still go" in client.get("/tags/sso").get_data(as_text=True)
    assert client.get("/tags/nope").status_code == 404
    feed = client.get("/feeds/categories/technical.atom")
    assert feed.status_code == 200 and b"Invoices still go" in feed.data
    assert client.get("/tags/suggest?prefix=s").get_json() == {"items": ["sso"]}


def test_profile_lists_questions_and_answers(client, make_user, post_question, post_answer):
    alice = make_user("alice")
    question_id = post_question(alice)
    post_answer(make_user("bob"), question_id, "Try the billing contacts page first.")
    alice_page = client.get("/users/alice").get_data(as_text=True)
    assert f'href="/questions/{question_id}"' in alice_page and "No answers yet." in alice_page
    bob_page = client.get("/users/bob").get_data(as_text=True)
    assert "Invoices still go to the old billing email" in bob_page and "No questions yet." in bob_page
