"""The Stack Exchange dump reader (the HTML-to-Markdown converter: test_html_to_markdown.py).

Data: tests/data/se-mini is hand-written; /work/shared/data/se-dump-cardano is the
Cardano Stack Exchange dump (CC BY-SA 4.0, https://stackexchange.com), used when present.
"""

from __future__ import annotations

import dataclasses
import re
import tracemalloc
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from forum.importer.stackexchange_dump import (
    DumpAnswer,
    DumpError,
    DumpQuestion,
    SkippedRow,
    count_rows,
    dump_files,
    parse_tags,
    read_comments,
    read_links,
    read_posts,
    read_tags,
    read_users,
)

MINI_DUMP = Path(__file__).parent / "data" / "se-mini"
CARDANO_DUMP = Path("/work/shared/data/se-dump-cardano")
needs_cardano = pytest.mark.skipif(
    not (CARDANO_DUMP / "Posts.xml").is_file(), reason="Cardano dump not available"
)


def _read_all_posts(dump_dir: Path) -> tuple[list[DumpQuestion], list[DumpAnswer], list[SkippedRow]]:
    skipped: list[SkippedRow] = []
    posts = list(read_posts(dump_dir, skipped.append))
    questions = [post for post in posts if isinstance(post, DumpQuestion)]
    answers = [post for post in posts if isinstance(post, DumpAnswer)]
    assert len(questions) + len(answers) == len(posts)
    return questions, answers, skipped


def _write_posts(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "Posts.xml").write_text(body, encoding="utf-8")
    return folder


def _answer_row(post_id: int, body: str = "&lt;p&gt;Answer.&lt;/p&gt;") -> str:
    return (
        f'  <row Id="{post_id}" PostTypeId="2" ParentId="1" Score="1" Body="{body}"'
        ' CreationDate="2021-05-01T08:00:00.000" OwnerUserId="1" />\n'
    )


# --- Dump folder -------------------------------------------------------------------


def test_dump_files_lists_the_five_files_present() -> None:
    files = dump_files(MINI_DUMP)
    assert sorted(files) == ["Comments.xml", "PostLinks.xml", "Posts.xml", "Tags.xml", "Users.xml"]
    assert files["Posts.xml"] == MINI_DUMP / "Posts.xml"


def test_dump_files_raises_for_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DumpError, match="not found"):
        dump_files(tmp_path / "nowhere")


def test_dump_files_requires_posts_xml(tmp_path: Path) -> None:
    (tmp_path / "Users.xml").write_text("<users />", encoding="utf-8")
    with pytest.raises(DumpError, match="Posts.xml"):
        dump_files(tmp_path)


def test_reader_of_an_absent_file_raises_at_the_call(tmp_path: Path) -> None:
    _write_posts(tmp_path, "<posts />")
    assert set(dump_files(tmp_path)) == {"Posts.xml"}
    with pytest.raises(DumpError, match="Comments.xml"):
        read_comments(tmp_path)  # not iterated: the check is eager


# --- Posts ---------------------------------------------------------------------------


def test_posts_yield_questions_and_answers_and_drop_wikis_silently() -> None:
    questions, answers, skipped = _read_all_posts(MINI_DUMP)
    assert [q.id for q in questions] == [1, 4, 5, 13]
    assert [a.id for a in answers] == [2, 3, 6, 12]
    assert {a.id: a.question_id for a in answers} == {2: 1, 3: 1, 6: 4, 12: 5}
    assert all(row.raw_id not in {"7", "8"} for row in skipped)  # the tag wiki rows


def test_malformed_post_rows_are_reported_with_line_and_reason() -> None:
    _, _, skipped = _read_all_posts(MINI_DUMP)
    assert [(row.file, row.line, row.raw_id) for row in skipped] == [
        ("Posts.xml", 11, None),
        ("Posts.xml", 12, "9"),
        ("Posts.xml", 13, "10"),
        ("Posts.xml", 14, "11"),
    ]
    reasons = [row.reason for row in skipped]
    assert reasons[0] == "missing Id"
    assert reasons[1] == "invalid CreationDate: 'yesterday'"
    assert reasons[2] == "missing ParentId"
    assert reasons[3] == "missing Title"


def test_post_dates_are_utc_aware() -> None:
    questions, answers, _ = _read_all_posts(MINI_DUMP)
    by_id = {q.id: q for q in questions}
    assert by_id[1].created_at == datetime(2021, 4, 27, 15, 6, 44, 553000, tzinfo=UTC)
    assert by_id[13].created_at == datetime(2021, 5, 6, 10, 0, tzinfo=UTC)  # no fraction
    assert by_id[4].closed_at == datetime(2021, 5, 3, 10, 15, 0, 250000, tzinfo=UTC)
    assert by_id[1].closed_at is None
    assert by_id[1].last_activity_at == datetime(2021, 4, 28, 9, 0, tzinfo=UTC)
    posts: list[DumpQuestion | DumpAnswer] = [*questions, *answers]
    assert all(post.created_at.utcoffset() is not None for post in posts)


def test_question_fields_are_read() -> None:
    questions, _, _ = _read_all_posts(MINI_DUMP)
    first = questions[0]
    assert first.title == "Reading files in Flask"
    assert first.body_html.startswith("<p>How do I read a file in <code>Flask</code>?</p>\n<pre>")
    assert (first.score, first.view_count, first.accepted_answer_id) == (5, 120, 2)
    assert (first.owner_id, first.owner_name) == (1, None)


def test_tags_in_angle_and_pipe_formats() -> None:
    questions, _, _ = _read_all_posts(MINI_DUMP)
    tags = {q.id: q.tags for q in questions}
    assert tags == {1: ("python", "flask"), 4: ("sqlalchemy", "flask"), 5: ("flask",), 13: ()}
    assert parse_tags("|a|b|a|") == ("a", "b")
    assert parse_tags("<c++><c#>") == ("c++", "c#")


def test_deleted_owner_keeps_display_name_without_id() -> None:
    questions, answers, _ = _read_all_posts(MINI_DUMP)
    answer = next(a for a in answers if a.id == 3)
    assert (answer.owner_id, answer.owner_name) == (None, "Gone User")
    anonymous = next(q for q in questions if q.id == 5)
    assert (anonymous.owner_id, anonymous.owner_name) == (None, None)
    community = next(q for q in questions if q.id == 13)
    assert community.owner_id == -1


def test_entities_in_attributes_are_decoded_once() -> None:
    questions, _, _ = _read_all_posts(MINI_DUMP)
    question = next(q for q in questions if q.id == 5)
    assert question.title == "Why is my session closed & gone?"
    assert question.body_html == "<p>Fish &amp; chips &lt;3 été</p>\n"


def test_records_are_frozen() -> None:
    question = _read_all_posts(MINI_DUMP)[0][0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.title = "changed"  # type: ignore[misc]


# --- Other files -----------------------------------------------------------------------


def test_users_are_read_and_bad_rows_reported() -> None:
    skipped: list[SkippedRow] = []
    users = list(read_users(MINI_DUMP, skipped.append))
    assert [(u.id, u.display_name, u.reputation) for u in users] == [
        (-1, "Community", 1),
        (1, "Alice Ng", 101),
        (2, "Bob & Co", 1234),
    ]
    assert users[1].created_at == datetime(2021, 4, 27, 14, 50, 43, 50000, tzinfo=UTC)
    assert [(row.line, row.raw_id, row.reason.split(":")[0]) for row in skipped] == [
        (6, "3", "invalid CreationDate"),
        (7, "abc", "invalid Id"),
    ]


def test_comments_keep_the_name_of_a_deleted_user() -> None:
    skipped: list[SkippedRow] = []
    comments = list(read_comments(MINI_DUMP, skipped.append))
    assert [(c.id, c.post_id, c.user_id, c.user_name) for c in comments] == [
        (1, 1, 2, None),
        (2, 2, None, "Gone User"),
    ]
    assert comments[0].text == 'Which "file" do you mean?'
    assert comments[0].score == 2
    assert [(row.raw_id, row.reason) for row in skipped] == [("3", "missing PostId")]


def test_links_by_type() -> None:
    links = list(read_links(MINI_DUMP))
    by_type = {link.link_type: (link.post_id, link.related_post_id) for link in links}
    assert by_type == {3: (5, 4), 1: (13, 1)}


def test_tags_file_is_read_and_nameless_tag_reported() -> None:
    skipped: list[SkippedRow] = []
    tags = list(read_tags(MINI_DUMP, skipped.append))
    assert [(t.name, t.count) for t in tags] == [("python", 1), ("flask", 3), ("sqlalchemy", 1)]
    assert [(row.raw_id, row.reason) for row in skipped] == [("4", "missing TagName")]


# --- Broken and hostile files ----------------------------------------------------------


def test_broken_xml_is_reported_with_its_line_and_ends_the_file(tmp_path: Path) -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
        + _answer_row(2)
        + _answer_row(3)
        + '  <row Id="4" PostTypeId="2" Body="a < b" />\n'
        + _answer_row(5)
        + "</posts>\n"
    )
    skipped: list[SkippedRow] = []
    posts = list(read_posts(_write_posts(tmp_path, body), skipped.append))
    assert [post.id for post in posts] == [2, 3]
    assert len(skipped) == 1
    assert (skipped[0].file, skipped[0].line, skipped[0].raw_id) == ("Posts.xml", 5, None)
    assert "not well-formed" in skipped[0].reason


def test_truncated_file_yields_every_complete_row_first(tmp_path: Path) -> None:
    rows = "".join(_answer_row(post_id, "x" * 200) for post_id in range(2, 1002))
    body = '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n' + rows  # no closing tag
    skipped: list[SkippedRow] = []
    posts = list(read_posts(_write_posts(tmp_path, body), skipped.append))
    assert len(body) > 3 * 64 * 1024  # several read chunks
    assert [post.id for post in posts] == list(range(2, 1002))
    assert [(row.line, row.raw_id) for row in skipped] == [(1003, None)]
    assert skipped[0].reason.startswith("file not readable past this point: no element found")


def test_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    lols = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
    body = (
        '<?xml version="1.0"?>\n<!DOCTYPE posts [\n<!ENTITY lol0 "lol">\n'
        + lols
        + ']>\n<posts>\n  <row Id="2" PostTypeId="2" ParentId="1" Body="&lol9;"'
        ' CreationDate="2021-05-01T08:00:00.000" />\n</posts>\n'
    )
    skipped: list[SkippedRow] = []
    posts = list(read_posts(_write_posts(tmp_path, body), skipped.append))
    assert posts == []
    assert len(skipped) == 1
    assert "document type declarations are not allowed" in skipped[0].reason


def test_reading_keeps_memory_flat(tmp_path: Path) -> None:
    body_html = "&lt;p&gt;" + "word " * 400 + "&lt;/p&gt;"
    folder = tmp_path / "big"
    folder.mkdir()
    with (folder / "Posts.xml").open("w", encoding="utf-8") as stream:
        stream.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        for post_id in range(2, 5002):
            stream.write(_answer_row(post_id, body_html))
        stream.write("</posts>\n")
    file_size = (folder / "Posts.xml").stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_posts(folder))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 5000
    assert file_size > 10_000_000
    assert peak < 2_000_000, f"peak {peak} bytes while reading {file_size} bytes"


def test_count_rows_counts_across_chunk_boundaries(tmp_path: Path) -> None:
    path = tmp_path / "Tags.xml"
    head = '<tags><row Id="1"/>'
    padding = " " * (64 * 1024 - 2 - len(head))  # the 2nd row straddles the first chunk
    path.write_text(head + padding + '<row Id="2"/><row\nId="3"/><rows/></tags>')
    assert path.read_bytes().index(b'<row Id="2"') == 64 * 1024 - 2
    assert count_rows(path) == 3
    assert count_rows(MINI_DUMP / "Posts.xml") == 14


# --- The real Cardano dump -------------------------------------------------------------


def _count_lines_matching(path: Path, pattern: str) -> int:
    regex = re.compile(pattern)
    with path.open(encoding="utf-8-sig") as stream:
        return sum(1 for line in stream if regex.search(line))


@needs_cardano
def test_cardano_posts_match_an_independent_count() -> None:
    questions, answers, skipped = _read_all_posts(CARDANO_DUMP)
    posts_xml = CARDANO_DUMP / "Posts.xml"
    assert skipped == []
    assert len(questions) == 1042 == _count_lines_matching(posts_xml, r'<row [^>]*PostTypeId="1"')
    assert len(answers) == 1496 == _count_lines_matching(posts_xml, r'<row [^>]*PostTypeId="2"')
    assert count_rows(posts_xml) == _count_lines_matching(posts_xml, r"<row ")


@needs_cardano
def test_cardano_accepted_answers_are_answers_of_their_question() -> None:
    questions, answers, _ = _read_all_posts(CARDANO_DUMP)
    accepted = {(q.id, q.accepted_answer_id) for q in questions if q.accepted_answer_id}
    expected = _count_lines_matching(CARDANO_DUMP / "Posts.xml", r'PostTypeId="1"[^>]*AcceptedAnswerId="\d+"')
    assert len(accepted) == expected > 0
    assert accepted <= {(a.question_id, a.id) for a in answers}


@needs_cardano
def test_cardano_links_users_comments_and_tags() -> None:
    skipped: list[SkippedRow] = []
    link_types = Counter(link.link_type for link in read_links(CARDANO_DUMP, skipped.append))
    links_xml = CARDANO_DUMP / "PostLinks.xml"
    assert link_types[3] == _count_lines_matching(links_xml, r'LinkTypeId="3"') > 0
    assert link_types[1] == _count_lines_matching(links_xml, r'LinkTypeId="1"') > 0
    files = dump_files(CARDANO_DUMP)
    assert sum(1 for _ in read_users(CARDANO_DUMP, skipped.append)) == count_rows(files["Users.xml"])
    assert sum(1 for _ in read_comments(CARDANO_DUMP, skipped.append)) == count_rows(files["Comments.xml"])
    assert sum(1 for _ in read_tags(CARDANO_DUMP, skipped.append)) == count_rows(files["Tags.xml"])
    assert skipped == []
