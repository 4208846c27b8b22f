"""Streaming reader for a Stack Exchange data dump (Posts.xml, Users.xml, ...).

Each ``read_*`` function yields plain frozen records one row at a time, so a dump
of any size is read in constant memory. Rows that lack a required attribute are
reported through ``on_skip`` and skipped; a file that stops being well-formed XML
is reported once, with its line number, and reading that file stops there.

The files are parsed with expat directly, fed in fixed-size chunks: it gives the
line number of every row for the skip report and never expands external entities.
Expat 2.4+ also caps entity expansion ("billion laughs"), and we go further by
refusing any document type declaration, which real dumps never carry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from xml.parsers import expat

logger = logging.getLogger(__name__)

POSTS_FILE = "Posts.xml"
USERS_FILE = "Users.xml"
COMMENTS_FILE = "Comments.xml"
POST_LINKS_FILE = "PostLinks.xml"
TAGS_FILE = "Tags.xml"
DUMP_FILE_NAMES: tuple[str, ...] = (
    POSTS_FILE, USERS_FILE, COMMENTS_FILE, POST_LINKS_FILE, TAGS_FILE
)  # fmt: skip

QUESTION_POST_TYPE = 1
ANSWER_POST_TYPE = 2
RELATED_LINK_TYPE = 1
DUPLICATE_LINK_TYPE = 3

_CHUNK_BYTES = 64 * 1024
_ROW_START_RE = re.compile(rb"<row[\s/>]")
_ANGLE_TAG_RE = re.compile(r"<([^<>]+)>")

Record = TypeVar("Record")
Value = TypeVar("Value")  # what an attribute parser returns


class DumpError(Exception):
    """The dump folder or a file the caller asked for does not exist."""


@dataclass(frozen=True)
class DumpUser:
    id: int
    display_name: str
    created_at: datetime
    reputation: int


@dataclass(frozen=True)
class DumpQuestion:
    id: int
    title: str
    body_html: str
    tags: tuple[str, ...]
    owner_id: int | None
    owner_name: str | None
    created_at: datetime
    last_activity_at: datetime | None
    score: int
    view_count: int
    accepted_answer_id: int | None
    closed_at: datetime | None


@dataclass(frozen=True)
class DumpAnswer:
    id: int
    question_id: int
    body_html: str
    owner_id: int | None
    owner_name: str | None
    created_at: datetime
    score: int


@dataclass(frozen=True)
class DumpComment:
    id: int
    post_id: int
    text: str
    user_id: int | None
    user_name: str | None
    created_at: datetime
    score: int


@dataclass(frozen=True)
class DumpLink:
    id: int
    post_id: int
    related_post_id: int
    link_type: int  # DUPLICATE_LINK_TYPE (3) or RELATED_LINK_TYPE (1)


@dataclass(frozen=True)
class DumpTag:
    name: str
    count: int


@dataclass(frozen=True)
class SkippedRow:
    file: str
    line: int | None
    reason: str
    raw_id: str | None


SkipHandler = Callable[[SkippedRow], None]
RowAttributes = dict[str, str]


class _RowError(Exception):
    """A row lacks a required attribute or holds an unreadable one."""


class _RejectedDocument(Exception):
    """The document declares a DTD, which a dump never needs."""


def log_skipped_row(skipped: SkippedRow) -> None:
    """Default skip handler: log the skipped row as a warning."""
    logger.warning(
        "%s line %s: skipped row (Id=%s): %s",
        skipped.file, skipped.line, skipped.raw_id, skipped.reason,
    )  # fmt: skip


# --- Files -------------------------------------------------------------------


def dump_files(dump_dir: Path) -> dict[str, Path]:
    """Map each dump file name present in ``dump_dir`` (e.g. "Posts.xml") to its path.

    Raises DumpError if the folder does not exist or has no Posts.xml.
    """
    if not dump_dir.is_dir():
        raise DumpError(f"Dump folder not found: {dump_dir}")
    by_lower_name = {p.name.lower(): p for p in dump_dir.iterdir() if p.is_file()}
    found = {name: by_lower_name[name.lower()] for name in DUMP_FILE_NAMES if name.lower() in by_lower_name}
    if POSTS_FILE not in found:
        raise DumpError(f"{dump_dir} is not a Stack Exchange dump: it has no {POSTS_FILE}")
    return found


def _dump_file(dump_dir: Path, name: str) -> Path:
    """Return the path of one dump file; raise DumpError if it is missing."""
    path = dump_files(dump_dir).get(name)
    if path is None:
        raise DumpError(f"{dump_dir} has no {name}")
    return path


def count_rows(path: Path) -> int:
    """Count the ``<row`` elements of a dump file, reading it in fixed-size chunks."""
    total = 0
    tail = b""
    keep = len(b"<row ") - 1  # a match needs 5 bytes, so it never lies wholly in the tail
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            window = tail + chunk
            total += len(_ROW_START_RE.findall(window))
            tail = window[-keep:]
    return total


# --- Rows --------------------------------------------------------------------


def _iter_rows(path: Path, on_skip: SkipHandler) -> Iterator[tuple[int, RowAttributes]]:
    """Yield (line number, attributes) for each ``<row>`` element of ``path``.

    A parse error is reported through ``on_skip`` and ends the file; nothing raises.
    """
    parser = expat.ParserCreate()
    pending: list[tuple[int, RowAttributes]] = []

    def start_element(name: str, attributes: RowAttributes) -> None:
        if name == "row":
            pending.append((parser.CurrentLineNumber, attributes))

    def reject_doctype(*_: object) -> None:
        raise _RejectedDocument("document type declarations are not allowed in a dump")

    parser.StartElementHandler = start_element
    parser.StartDoctypeDeclHandler = reject_doctype
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(_CHUNK_BYTES):
                parser.Parse(chunk, False)
                yield from pending
                pending.clear()
            parser.Parse(b"", True)
        except (expat.ExpatError, _RejectedDocument) as error:
            yield from pending
            reason = f"file not readable past this point: {error}"
            on_skip(SkippedRow(path.name, parser.CurrentLineNumber, reason, None))
            return
    yield from pending


def _read_records(
    path: Path,
    to_record: Callable[[RowAttributes], Record | None],
    on_skip: SkipHandler,
) -> Iterator[Record]:
    """Turn each row into a record; report rows ``to_record`` rejects, drop None."""
    for line, attributes in _iter_rows(path, on_skip):
        try:
            record = to_record(attributes)
        except _RowError as error:
            on_skip(SkippedRow(path.name, line, str(error), attributes.get("Id")))
            continue
        if record is not None:
            yield record


# --- Attribute parsing ---------------------------------------------------------


def parse_dump_date(value: str) -> datetime:
    """Parse a dump timestamp such as ``2021-04-27T15:06:44.553`` as aware UTC.

    Raises ValueError if the value is not an ISO 8601 date and time.
    """
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_tags(value: str) -> tuple[str, ...]:
    """Split ``<a><b>`` or ``|a|b|`` tag lists into names, in order, without repeats."""
    names = _ANGLE_TAG_RE.findall(value) if "<" in value else value.split("|")
    cleaned = (name.strip() for name in names)
    return tuple(dict.fromkeys(name for name in cleaned if name))


def _required_text(attributes: RowAttributes, name: str) -> str:
    value = attributes.get(name)
    if value is None or not value.strip():
        raise _RowError(f"missing {name}")
    return value


def _required(attributes: RowAttributes, name: str, parse: Callable[[str], Value]) -> Value:
    """Read a required attribute with ``parse`` (``int``, ``parse_dump_date``); the row is refused if it cannot."""
    value = _required_text(attributes, name)
    try:
        return parse(value)
    except ValueError:
        raise _RowError(f"invalid {name}: {value!r}") from None


def _optional(attributes: RowAttributes, name: str, parse: Callable[[str], Value]) -> Value | None:
    """Read an optional attribute with ``parse``; an unreadable value counts as absent."""
    try:
        return parse(attributes[name])
    except (KeyError, ValueError):
        return None


def _optional_text(attributes: RowAttributes, name: str) -> str | None:
    value = attributes.get(name, "").strip()
    return value or None


# --- Records -------------------------------------------------------------------


def _user_from_row(row: RowAttributes) -> DumpUser:
    user_id = _required(row, "Id", int)
    return DumpUser(
        id=user_id,
        display_name=_optional_text(row, "DisplayName") or f"user{user_id}",
        created_at=_required(row, "CreationDate", parse_dump_date),
        reputation=_optional(row, "Reputation", int) or 1,
    )


def _post_from_row(row: RowAttributes) -> DumpQuestion | DumpAnswer | None:
    post_id = _required(row, "Id", int)
    post_type = _required(row, "PostTypeId", int)
    if post_type not in (QUESTION_POST_TYPE, ANSWER_POST_TYPE):
        return None  # tag wikis, excerpts, moderator nominations: not forum content
    created_at = _required(row, "CreationDate", parse_dump_date)
    if post_type == ANSWER_POST_TYPE:
        return DumpAnswer(
            id=post_id,
            question_id=_required(row, "ParentId", int),
            body_html=row.get("Body", ""),
            owner_id=_optional(row, "OwnerUserId", int),
            owner_name=_optional_text(row, "OwnerDisplayName"),
            created_at=created_at,
            score=_optional(row, "Score", int) or 0,
        )
    return DumpQuestion(
        id=post_id,
        title=_required_text(row, "Title").strip(),
        body_html=row.get("Body", ""),
        tags=parse_tags(row.get("Tags", "")),
        owner_id=_optional(row, "OwnerUserId", int),
        owner_name=_optional_text(row, "OwnerDisplayName"),
        created_at=created_at,
        last_activity_at=_optional(row, "LastActivityDate", parse_dump_date),
        score=_optional(row, "Score", int) or 0,
        view_count=_optional(row, "ViewCount", int) or 0,
        accepted_answer_id=_optional(row, "AcceptedAnswerId", int),
        closed_at=_optional(row, "ClosedDate", parse_dump_date),
    )


def _comment_from_row(row: RowAttributes) -> DumpComment:
    return DumpComment(
        id=_required(row, "Id", int),
        post_id=_required(row, "PostId", int),
        text=_required_text(row, "Text"),
        user_id=_optional(row, "UserId", int),
        user_name=_optional_text(row, "UserDisplayName"),
        created_at=_required(row, "CreationDate", parse_dump_date),
        score=_optional(row, "Score", int) or 0,
    )


def _link_from_row(row: RowAttributes) -> DumpLink:
    return DumpLink(
        id=_required(row, "Id", int),
        post_id=_required(row, "PostId", int),
        related_post_id=_required(row, "RelatedPostId", int),
        link_type=_required(row, "LinkTypeId", int),
    )


def _tag_from_row(row: RowAttributes) -> DumpTag:
    return DumpTag(
        name=_required_text(row, "TagName").strip(),
        count=_optional(row, "Count", int) or 0,
    )


# --- Public readers ----------------------------------------------------------------
# Plain functions returning generators, so a missing file raises DumpError at the call.


def read_users(dump_dir: Path, on_skip: SkipHandler = log_skipped_row) -> Iterator[DumpUser]:
    """Yield the users of Users.xml. Raises DumpError if the file is missing."""
    return _read_records(_dump_file(dump_dir, USERS_FILE), _user_from_row, on_skip)


def read_posts(dump_dir: Path, on_skip: SkipHandler = log_skipped_row) -> Iterator[DumpQuestion | DumpAnswer]:
    """Yield the questions and answers of Posts.xml, in file order.

    Other post types (tag wikis and the like) are dropped without a report.
    Raises DumpError if the file is missing.
    """
    return _read_records(_dump_file(dump_dir, POSTS_FILE), _post_from_row, on_skip)


def read_comments(dump_dir: Path, on_skip: SkipHandler = log_skipped_row) -> Iterator[DumpComment]:
    """Yield the comments of Comments.xml. Raises DumpError if the file is missing."""
    return _read_records(_dump_file(dump_dir, COMMENTS_FILE), _comment_from_row, on_skip)


def read_links(dump_dir: Path, on_skip: SkipHandler = log_skipped_row) -> Iterator[DumpLink]:
    """Yield every link of PostLinks.xml (duplicate and related alike).

    Raises DumpError if the file is missing.
    """
    return _read_records(_dump_file(dump_dir, POST_LINKS_FILE), _link_from_row, on_skip)


def read_tags(dump_dir: Path, on_skip: SkipHandler = log_skipped_row) -> Iterator[DumpTag]:
    """Yield the tags of Tags.xml. Raises DumpError if the file is missing."""
    return _read_records(_dump_file(dump_dir, TAGS_FILE), _tag_from_row, on_skip)
