"""``flask import stackexchange DIR``: the database side of the Stack Exchange importer.

Data: tests/data/se-mini is hand-written. The real Cardano dump's import is tested in
test_importer_cardano.py.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskCliRunner
from sqlalchemy import func, inspect, select, text

from forum.accounts.models import User
from forum.accounts.services import USERNAME_PATTERN, authenticate
from forum.extensions import db as _db
from forum.importer.loader import placeholder_username
from forum.markup import render_markdown
from forum.questions.models import Answer, Category, Comment, Question, Revision, Tag, question_tags
from forum.signals import post_changed
from tests.conftest import AuthActions

MINI_DUMP = Path(__file__).parent / "data" / "se-mini"
CARDANO_DUMP = Path("/work/shared/data/se-dump-cardano")
needs_cardano = pytest.mark.skipif(
    not (CARDANO_DUMP / "Posts.xml").is_file(), reason="Cardano dump not available at /work/shared/data"
)


def _import(runner: FlaskCliRunner, path: Path, *options: str) -> Any:
    """Run the command; the test's own session is closed first so it holds no (SQLite) write lock."""
    if has_app_context():
        _db.session.remove()
    return runner.invoke(args=["import", "stackexchange", str(path), *options])


def _table_counts(db: Any) -> dict[str, int]:
    names = inspect(db.engine).get_table_names()
    return {name: db.session.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in names}


def _checksum(db: Any) -> str:
    """A digest of every column that an import sets, over users, posts, comments, tags, revisions."""
    digest = hashlib.sha256()
    for model in (User, Question, Answer, Comment, Tag, Revision):
        columns = [column for column in model.__table__.columns if column.name != "session_token"]
        for row in db.session.execute(select(*columns).order_by(model.id)):
            digest.update(repr(tuple(row)).encode())
    links = db.session.execute(text("SELECT question_id, tag_id FROM question_tags ORDER BY 1, 2")).all()
    digest.update(repr(links).encode())
    return digest.hexdigest()


def _tag_counts(db: Any) -> dict[str, int]:
    return {name: count for name, count in db.session.execute(select(Tag.name, Tag.question_count))}


def _question(db: Any, source: str) -> Question:
    question = db.session.scalar(select(Question).where(Question.import_source == source))
    assert question is not None, source
    return question


def _answer_id(db: Any, source: str) -> int:
    answer_id = db.session.scalar(select(Answer.id).where(Answer.import_source == source))
    assert answer_id is not None, source
    return int(answer_id)


@pytest.fixture
def imported_mini(runner: FlaskCliRunner) -> Any:
    result = _import(runner, MINI_DUMP)
    assert result.exit_code == 0, result.output
    return result


# --- The mini dump ---------------------------------------------------------------------------


def test_mini_dump_imports_every_readable_row(imported_mini: Any, db: Any) -> None:
    """Counts match the files: 4 questions, 4 answers, 2 comments, 5 placeholders, revision 1 each."""
    counts = _table_counts(db)
    assert counts["questions"] == 4
    assert counts["answers"] == 4
    assert counts["comments"] == 2
    assert counts["users"] == 5  # users 1, 2, -1; "Gone User"; the owner-less question
    assert counts["revisions"] == 8
    revisions = db.session.execute(select(Revision.target_type, Revision.number)).all()
    assert {number for _, number in revisions} == {1}
    tags = _tag_counts(db)
    assert tags == {"python": 1, "flask": 3, "sqlalchemy": 1}
    assert "4 created" in imported_mini.output


def test_mini_dump_reports_each_malformed_row(imported_mini: Any) -> None:
    """Malformed rows are listed (file, line, reason) and counted; the import still succeeds."""
    output = imported_mini.output
    assert "Skipped 7 rows" in output
    for expected in (
        "Posts.xml line 11 (Id=None): missing Id",
        "Posts.xml line 12 (Id=9): invalid CreationDate",
        "Posts.xml line 13 (Id=10): missing ParentId",
        "Posts.xml line 14 (Id=11): missing Title",
        "Users.xml line 6 (Id=3): invalid CreationDate",
        "Users.xml line 7 (Id=abc): invalid Id",
        "Comments.xml line 5 (Id=3): missing PostId",
    ):
        assert expected in output


def test_mini_dump_threads_match_the_dump(imported_mini: Any, db: Any) -> None:
    """Accepted answers (even one later in the file), the duplicate link, scores, counts and dates."""
    first = _question(db, "se:se-mini:q:1")
    assert first.accepted_answer_id == _answer_id(db, "se:se-mini:a:2")
    assert (first.score, first.view_count, first.answer_count, first.comment_count) == (5, 120, 2, 2)
    assert first.created_at.isoformat() == "2021-04-27T15:06:44.553000+00:00"
    assert first.last_activity_at.isoformat() == "2021-04-28T09:00:00+00:00"
    assert [tag.name for tag in first.tags] == ["flask", "python"]
    assert first.category.slug == "technical"
    assert "<code>Flask</code>" in first.body_html
    assert "```\nopen(path)\n```" in first.body

    closed = _question(db, "se:se-mini:q:5")
    assert closed.duplicate_of_id == _question(db, "se:se-mini:q:4").id
    assert closed.accepted_answer_id == _answer_id(db, "se:se-mini:a:12")
    assert closed.title == "Why is my session closed & gone?"
    assert "Fish &amp; chips &lt;3 \u00e9t\u00e9" in closed.body_html

    untagged = _question(db, "se:se-mini:q:13")
    assert untagged.tags == [] and untagged.answer_count == 0 and untagged.accepted_answer_id is None
    comment = db.session.scalar(select(Comment).where(Comment.import_source == "se:se-mini:c:1"))
    assert comment.body == 'Which "file" do you mean?' and comment.question_id == first.id


def test_authors_become_placeholders_nobody_can_sign_in_as(
    imported_mini: Any, db: Any, auth: AuthActions
) -> None:
    """Each author is a placeholder with a valid, derived username and an unusable password."""
    users = {user.email: user for user in db.session.scalars(select(User))}
    assert {email: user.username for email, user in users.items() if "anon" not in email} == {
        "se-1@se-mini.import.invalid": "se-1-alice-ng",
        "se-2@se-mini.import.invalid": "se-2-bob-co",
        "se--1@se-mini.import.invalid": "se-n1-community",
        "se-deleted@se-mini.import.invalid": "se-deleted-user",
    }
    assert [user.username for user in users.values() if "anon" in user.email] == ["se-gone-user"]
    for user in users.values():
        assert user.is_placeholder and user.reputation == 1 and user.password_hash == "!"
        assert USERNAME_PATTERN.match(user.username)
        assert authenticate(user.username, "!") is None
    gone = next(user for user in users.values() if user.username == "se-gone-user")
    gone_posts = db.session.scalar(select(func.count(Answer.id)).where(Answer.author_id == gone.id))
    gone_comments = db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id == gone.id))
    assert (gone_posts, gone_comments) == (1, 1)  # one shared account per deleted display name
    refused = auth.login("se-1-alice-ng", "!")
    assert refused.status_code == 422 and "Location" not in refused.headers  # the form again, no sign-in


@pytest.mark.parametrize(
    ("display_name", "se_id", "expected"),
    [
        ("Alice Ng", 1, "se-1-alice-ng"),
        ("Zo\u00eb O'Brien-Smith, the Third of Many", 1234567, "se-1234567-zoe-o-brien-smith-t"),
        ("\u5f20\u4e09", 42, "se-42"),
        ("\u5f20\u4e09", None, "se-anon"),
        ("Community", -1, "se-n1-community"),
    ],
)
def test_placeholder_usernames_follow_the_username_rules(
    display_name: str, se_id: int | None, expected: str
) -> None:
    """Derived names are ``se-<id>-<name>`` folded to ASCII, cut to 30, and always valid."""
    username = placeholder_username(display_name, se_id)
    assert username == expected
    assert USERNAME_PATTERN.match(username)


def test_two_sites_never_share_an_account(runner: FlaskCliRunner, imported_mini: Any, db: Any) -> None:
    """The same dump imported as another site gets its own placeholders, with a free username."""
    result = _import(runner, MINI_DUMP, "--site", "other")
    assert result.exit_code == 0, result.output
    alices = db.session.scalars(select(User.username).where(User.email.like("se-1@%")).order_by(User.id))
    assert list(alices) == ["se-1-alice-ng", "se-1-alice-ng-2"]
    assert _table_counts(db)["questions"] == 8


def test_a_second_run_changes_nothing(runner: FlaskCliRunner, imported_mini: Any, db: Any) -> None:
    """Re-running the import creates no row and changes no column."""
    counts, checksum = _table_counts(db), _checksum(db)
    again = _import(runner, MINI_DUMP)
    assert again.exit_code == 0, again.output
    assert _table_counts(db) == counts
    assert _checksum(db) == checksum
    assert re.search(r"questions\s+0 created\s+4 already there", again.output)


def test_an_import_gives_renamed_and_merged_tag_names_their_current_tag(
    runner: FlaskCliRunner, imported_mini: Any, db: Any, make_user: Any
) -> None:
    """After a moderator renames "flask" and merges "sqlalchemy" into "python", importing posts
    tagged with the old names links them to those tags: no old name comes back as a tag."""
    from forum.questions.tags import merge_tags, rename_tag

    moderator = db.session.get_one(User, make_user("tidy", role="moderator").id)
    rename_tag(moderator, db.session.scalars(select(Tag).where(Tag.name == "flask")).one(), "flask-web")
    merge_tags(moderator, db.session.scalars(select(Tag).where(Tag.name == "sqlalchemy")).one(), "python")
    db.session.commit()

    result = _import(runner, MINI_DUMP, "--site", "other")  # the same posts, as new ones
    assert result.exit_code == 0, result.output
    counts = _tag_counts(db)
    assert "flask" not in counts and "sqlalchemy" not in counts
    # Post 4 is tagged |sqlalchemy|flask|; post 1 <python><flask> (python once, not twice).
    sources = db.session.scalars(select(Question.import_source).where(Question.import_source.like("%other%")))
    by_post = {source.rsplit(":", 1)[1]: source for source in sources}
    assert sorted(tag.name for tag in _question(db, by_post["4"]).tags) == ["flask-web", "python"]
    assert sorted(tag.name for tag in _question(db, by_post["1"]).tags) == ["flask-web", "python"]
    linked = select(func.count()).select_from(question_tags).join(Tag).where(Tag.name == "flask-web")
    assert counts["flask-web"] == db.session.scalar(linked) == 6  # 3 posts of each site


def test_an_interrupted_import_is_finished_by_running_it_again(
    runner: FlaskCliRunner, app: Flask, db: Any
) -> None:
    """A crash mid-way keeps the committed batches; the next run completes them without duplicates."""
    announced: list[int] = []

    def crash_on_third_batch(_sender: Any, question_id: int) -> None:
        announced.append(question_id)
        if len(announced) == 3:
            raise RuntimeError("simulated crash")

    with post_changed.connected_to(crash_on_third_batch):
        crashed = _import(runner, MINI_DUMP, "--batch-size", "1")
    assert crashed.exit_code == 1 and isinstance(crashed.exception, RuntimeError)
    partial = db.session.scalar(select(func.count(Question.id)))
    assert 0 < partial < 4

    resumed = _import(runner, MINI_DUMP, "--batch-size", "1")
    assert resumed.exit_code == 0, resumed.output
    counts = _table_counts(db)
    assert (counts["questions"], counts["answers"], counts["comments"], counts["users"]) == (4, 4, 2, 5)
    assert counts["revisions"] == 8
    assert _tag_counts(db)["flask"] == 3
    assert _question(db, "se:se-mini:q:1").accepted_answer_id == _answer_id(db, "se:se-mini:a:2")


def test_every_imported_question_is_announced_for_search(runner: FlaskCliRunner, db: Any) -> None:
    """post_changed is sent (after flush, before commit) for each imported question."""
    announced: set[int] = set()

    def remember(_sender: Any, question_id: int) -> None:
        assert _db.session.get(Question, question_id) is not None  # already flushed
        announced.add(question_id)

    with post_changed.connected_to(remember):
        result = _import(runner, MINI_DUMP, "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert announced == set(db.session.scalars(select(Question.id)))


def test_the_category_option_chooses_where_questions_go(runner: FlaskCliRunner, db: Any) -> None:
    """--category billing files every question there."""
    result = _import(runner, MINI_DUMP, "--category", "billing", "--site", "mini")
    assert result.exit_code == 0, result.output
    slugs = db.session.scalars(select(Category.slug).join(Question, Question.category_id == Category.id))
    assert set(slugs) == {"billing"}
    assert _question(db, "se:mini:q:1").import_source == "se:mini:q:1"


# --- Refusals: nothing is written ----------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "options", "message"),
    [
        ("nowhere", (), "Dump folder not found"),
        ("no-posts", (), "it has no Posts.xml"),
        ("mini", ("--category", "gardening"), "Unknown category 'gardening'. Choose one of: "),
    ],
)
def test_a_bad_folder_or_category_is_refused_before_writing(
    runner: FlaskCliRunner, db: Any, tmp_path: Path, folder: str, options: tuple[str, ...], message: str
) -> None:
    """A missing folder, a folder without Posts.xml or an unknown category: exit 1, clear message."""
    (tmp_path / "no-posts").mkdir()
    (tmp_path / "no-posts" / "Users.xml").write_text("<users />", encoding="utf-8")
    shutil.copytree(MINI_DUMP, tmp_path / "mini")
    before = _table_counts(db)
    result = _import(runner, tmp_path / folder, *options)
    assert result.exit_code == 1
    assert message in result.output
    assert _table_counts(db) == before


# --- Content rules -------------------------------------------------------------------------


def _post_row(attributes: dict[str, str]) -> str:
    cells = " ".join(f'{name}="{_escape(value)}"' for name, value in attributes.items())
    return f"  <row {cells} />\n"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@pytest.fixture
def hostile_dump(tmp_path: Path) -> Path:
    """A dump with script, event handlers, long and short titles, odd tags, an early answer."""
    folder = tmp_path / "hostile.stackexchange.com"
    folder.mkdir()
    date = "2022-01-01T10:00:00.000"
    rows = [
        {"Id": "3", "PostTypeId": "2", "ParentId": "1", "CreationDate": date, "Score": "2",
         "Body": "<p>Early answer<script>alert(1)</script></p>", "OwnerUserId": "7"},
        {"Id": "1", "PostTypeId": "1", "CreationDate": date, "Score": "0", "AcceptedAnswerId": "3",
         "Body": '<p onclick="x()">Hi <img src=x onerror="alert(1)"><a href="javascript:alert(1)">me</a></p>',
         "Title": "  Too   short ", "Tags": "<C++><Node.js><Émoji Tag><a><b><c>", "OwnerUserId": "7"},
        {"Id": "2", "PostTypeId": "1", "CreationDate": date, "Score": "0", "Body": "<p>Long.</p>",
         "Title": "word " * 40, "Tags": "<__init__>", "OwnerUserId": "7"},
    ]  # fmt: skip
    (folder / "Posts.xml").write_text(
        "<posts>\n" + "".join(_post_row(row) for row in rows) + "</posts>\n", encoding="utf-8"
    )
    return folder


def test_imported_bodies_titles_and_tags_follow_the_rules(
    runner: FlaskCliRunner, hostile_dump: Path, db: Any
) -> None:
    """No script or handler survives; titles folded or cut at 150 with an ellipsis; tags cleaned, max 5."""
    result = _import(runner, hostile_dump)
    assert result.exit_code == 0, result.output
    first, second = _question(db, "se:hostile:q:1"), _question(db, "se:hostile:q:2")
    answer = db.session.scalar(select(Answer).where(Answer.import_source == "se:hostile:a:3"))
    for html in (first.body_html, answer.body_html):
        assert "<script" not in html and "onerror" not in html and "onclick" not in html
        assert "javascript:" not in html
    assert answer.body == "Early answer"  # the script's text is not kept in the editable source
    assert 'href="javascript' not in render_markdown(first.body)  # the source renders safely when edited
    assert first.title == "Too short"  # shorter than the ask form allows, kept as it is
    assert len(second.title) == 150 and second.title.endswith("word\u2026")
    assert [tag.name for tag in first.tags] == sorted(["c++", "node.js", "emoji-tag", "a", "b"])
    assert [tag.name for tag in second.tags] == ["init"]
    assert first.accepted_answer_id == answer.id  # the answer came first in the file
    author = db.session.get(User, first.author_id)
    assert (author.username, author.email) == ("se-7-user7", "se-7@hostile.import.invalid")


# --- The Cardano dump ----------------------------------------------------------------------
