"""Known XSS vectors posted as questions, answers, comments and titles leave no script,
event handler or script URL in the served pages - proven by parsing the pages."""

from __future__ import annotations

from html.parser import HTMLParser
from xml.etree import ElementTree

from forum.accounts.models import User
from forum.questions import services
from tests.html_safety import find_script_hazards
from tests.xss_vectors import XSS_TEXT_VECTORS, XSS_VECTORS

PAGE_ELEMENTS = frozenset({"script", "form", "meta", "link"})
OUR_SCRIPTS = {"/static/js/peerdesk.js", "/static/js/analytics.js", "/static/js/moderation.js"}


class _PageFurniture(HTMLParser):
    """Collects the elements a page template may use but user content never may."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.in_body = False
        self.body_meta_or_link: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        if tag == "script":
            self.scripts.append(dict(attrs))
        if self.in_body and tag in {"meta", "link"}:
            self.body_meta_or_link.append(tag)


def assert_page_is_safe(html: str) -> None:
    hazards = find_script_hazards(html, allow_elements=PAGE_ELEMENTS)
    assert hazards == [], hazards[:5]
    furniture = _PageFurniture()
    furniture.feed(html)
    for script in furniture.scripts:
        assert script.get("src") in OUR_SCRIPTS, f"a script that is not ours: {script}"
    assert furniture.body_meta_or_link == []


def test_hazard_check_catches_an_unsanitized_page():
    """The check itself fails on a page carrying user script (so the suite cannot pass vacuously)."""
    bad_pages = [
        "<html><body><script>alert(1)</script></body></html>",
        '<html><body><img src=x onerror="alert(1)"></body></html>',
        '<html><body><a href="javascript:alert(1)">x</a></body></html>',
        "<html><body><svg><circle/></svg></body></html>",
        '<html><body><link rel="import" href="/x"></body></html>',
    ]
    for page in bad_pages:
        try:
            assert_page_is_safe(page)
        except AssertionError:
            continue
        raise AssertionError(f"not caught: {page}")


def test_vectors_in_posts_and_titles_are_inert(app, client, make_user, db):
    assert len(XSS_VECTORS) >= 60
    asker_id, answerer_id = make_user("asker").id, make_user("answerer").id
    question_ids = []
    with app.app_context():
        asker, answerer = db.session.get(User, asker_id), db.session.get(User, answerer_id)
        for index, vector in enumerate(XSS_VECTORS):
            title = f"Vector {index:03d} {XSS_TEXT_VECTORS[index % len(XSS_TEXT_VECTORS)]}"[:150]
            question = services.ask_question(asker, title, f"Body {index}\n\n{vector}", "technical", ["xss"])
            answer = services.post_answer(answerer, question, f"Answer {index}\n\n{vector}")
            services.post_comment(answerer, question, f"Comment {vector}")
            services.post_comment(asker, question, f"Reply {vector}", answer)
            question_ids.append(question.id)
        db.session.commit()
    for question_id in question_ids:
        response = client.get(f"/questions/{question_id}", follow_redirects=True)
        assert response.status_code == 200
        assert_page_is_safe(response.get_data(as_text=True))
    for path in ("/", "/?page=2", "/tags/xss", "/categories/technical", "/users/asker"):
        assert_page_is_safe(client.get(path).get_data(as_text=True))
    feed = client.get("/feeds/questions.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(feed.data)  # well-formed: every title and body was escaped
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 30
    for entry in entries:
        assert list(entry.find(f"{atom}title")) == [], "titles are text, never markup"
        assert_page_is_safe(f"<html><body>{entry.find(f'{atom}content').text}</body></html>")
