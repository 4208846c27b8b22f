"""Import a Stack Exchange data dump into the forum: the service ``flask import stackexchange`` calls.

The dump is streamed file by file and committed every ``batch_size`` rows, so memory stays
flat and a crash leaves a state that a second run completes. Each imported row records its
origin (``se:<site>:q:<id>`` in ``import_source``; placeholder users by their
``se-<id>@<site>.import.invalid`` email), and rows already present are left untouched, so
running the same import again creates and changes nothing. Between batches only integer
maps of dump ids to our ids are kept, never ORM objects.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement, func, insert, or_, select, update
from sqlalchemy.orm import Mapped

from forum.accounts.models import USERNAME_MAX, User
from forum.accounts.services import normalise_username
from forum.extensions import db
from forum.importer import stackexchange_dump as dump
from forum.importer.html_to_markdown import html_to_markdown
from forum.markup import sanitize_html
from forum.questions.models import (
    COMMENT_MAX,
    TAG_MAX_LENGTH,
    TAGS_PER_QUESTION,
    TITLE_MAX,
    Answer,
    Category,
    Comment,
    Question,
    Revision,
    Tag,
    question_tags,
)
from forum.signals import post_changed

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
PLACEHOLDER_PASSWORD_HASH = "!"  # not a Werkzeug hash, so check_password is always False
SKIPPED_ROWS_KEPT = 1_000  # the report keeps this many; the count is always exact
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_TAG_INVALID_RE = re.compile(r"[^a-z0-9+#.\-]+")
_SE_USER_EMAIL_RE = re.compile(r"se-(-?\d+)")

Record = TypeVar("Record")


class ImportRefused(Exception):
    """The import cannot start (missing dump folder or Posts.xml, unknown category); nothing was written."""


class Progress(Protocol):
    def update(self, n_steps: int) -> None: ...


ProgressFactory = Callable[[str, int], AbstractContextManager[Progress]]


class _SilentProgress:
    def update(self, n_steps: int) -> None:
        """Show nothing."""


def no_progress(label: str, total: int) -> AbstractContextManager[Progress]:
    """A progress factory that shows nothing (the default)."""
    return nullcontext(_SilentProgress())


@dataclass
class ImportSummary:
    """What one import run did, per kind of row: created, already imported before, skipped.

    Kinds: users, questions, answers, comments, duplicates, accepted; and posts / links for
    rows of Posts.xml / PostLinks.xml the reader could not read.
    """

    site: str
    created: Counter[str] = field(default_factory=Counter)
    already_imported: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_rows: list[dump.SkippedRow] = field(default_factory=list)
    skipped_row_count: int = 0

    def skip(self, kind: str, row: dump.SkippedRow | None = None) -> None:
        """Count a skipped ``kind``; ``row`` (a dump row not imported) goes in the report."""
        self.skipped[kind] += 1
        if row is not None:
            self.skipped_row_count += 1
            if len(self.skipped_rows) < SKIPPED_ROWS_KEPT:
                self.skipped_rows.append(row)


# --- Names ---------------------------------------------------------------------------------


def _dump_id(import_source: str | None) -> int:
    return int(str(import_source).rsplit(":", 1)[1])


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def site_name(dump_dir: Path, site: str | None = None) -> str:
    """The site's short name (``--site``, else the folder name, e.g. cardano.stackexchange.com -> cardano)."""
    raw = _ascii_lower(site if site is not None else dump_dir.resolve().name)
    raw = raw.removesuffix(".stackexchange.com").removesuffix(".com")
    name = _NON_ALNUM_RE.sub("-", raw).strip("-")[:40].strip("-")
    if not name:
        raise ImportRefused("Cannot derive a site name from the folder name; pass --site NAME.")
    return name


def placeholder_username(display_name: str, se_id: int | None) -> str:
    """``se-<id>-<display name>`` folded to the username rules (3-30 of [A-Za-z0-9_.-])."""
    prefix = "se" if se_id is None else f"se-{str(se_id).replace('-', 'n')}"
    slug = _NON_ALNUM_RE.sub("-", _ascii_lower(display_name)).strip("-")
    if not slug:
        return prefix if se_id is not None else "se-anon"  # e.g. a name in a non-Latin script
    return f"{prefix}-{slug}"[:USERNAME_MAX].rstrip("-")


def import_tags(names: Iterable[str]) -> tuple[str, ...]:
    """At most five distinct tag names, lowercase, other characters replaced by '-'."""
    tags: list[str] = []
    for raw in names:
        name = _TAG_INVALID_RE.sub("-", _ascii_lower(raw.strip())).lstrip("+#.-")[:TAG_MAX_LENGTH].rstrip("-")
        if name and name not in tags:
            tags.append(name)
        if len(tags) == TAGS_PER_QUESTION:
            break
    return tuple(tags)


def import_title(title: str) -> str:
    """Whitespace folded; cut to 150 characters with an ellipsis. Short titles are kept."""
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "\u2026"


# --- The service -----------------------------------------------------------------------------


def import_stackexchange(
    dump_dir: Path,
    *,
    category_slug: str = "technical",
    site: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressFactory = no_progress,
) -> ImportSummary:
    """Import the dump in ``dump_dir`` into category ``category_slug``, committing every ``batch_size`` rows.

    Raises ImportRefused before writing anything if the folder or its Posts.xml is missing or
    the category does not exist. Malformed or unlinkable rows are skipped and reported in the
    summary. Running it again on the same dump creates and changes nothing.
    """
    try:
        files = dump.dump_files(dump_dir)
    except dump.DumpError as error:
        raise ImportRefused(str(error)) from error
    category_id = db.session.scalar(select(Category.id).where(Category.slug == category_slug))
    if category_id is None:
        slugs = ", ".join(db.session.scalars(select(Category.slug).order_by(Category.position)))
        raise ImportRefused(f"Unknown category '{category_slug}'. Choose one of: {slugs}.")
    importer = _Importer(files, site_name(dump_dir, site), category_id, max(1, batch_size), progress)
    importer.run()
    return importer.summary


class _Importer:
    def __init__(
        self, files: dict[str, Path], site: str, category_id: int, batch_size: int, progress: ProgressFactory
    ) -> None:
        self.files, self.site, self.category_id = files, site, category_id
        self.dump_dir = files[dump.POSTS_FILE].parent
        self.batch_size, self.progress = batch_size, progress
        self.summary = ImportSummary(site)
        self.email_domain = f"{site}.import.invalid"
        self.users: dict[int, int] = {}  # dump user id -> users.id
        self.named_users: dict[str, int] = {}  # email local part of a no-account placeholder -> users.id
        self.questions: dict[int, int] = {}  # dump post id -> questions.id
        self.answers: dict[int, tuple[int, int]] = {}  # dump post id -> (answers.id, questions.id)
        self.comments: set[int] = set()  # dump comment ids already imported
        self.tags: dict[str, int] = {}
        self.accepted: dict[int, int] = {}  # dump question id -> dump id of its accepted answer
        self.changed: set[int] = set()  # questions.id to announce with post_changed at the next commit
        self.pending_questions: dict[int, Question] = {}
        self.pending_answers: set[int] = set()
        self.pending_posts: list[tuple[int, Question | Answer, tuple[str, ...]]] = []
        self.unflushed_usernames: set[str] = set()
        self.rows_in_batch = 0

    def source(self, kind: str, se_id: int | None = None) -> str:
        return f"se:{self.site}:{kind}:" + ("" if se_id is None else str(se_id))

    def run(self) -> None:
        self._load_existing()
        totals = {name: dump.count_rows(path) for name, path in self.files.items()}
        if dump.USERS_FILE in self.files:
            self._import_users(totals[dump.USERS_FILE], self._scan_authors(totals))
        self._import_posts(totals[dump.POSTS_FILE])
        self._import_accepted_answers()
        if dump.COMMENTS_FILE in self.files:
            self._import_comments(totals[dump.COMMENTS_FILE])
        if dump.POST_LINKS_FILE in self.files:
            self._import_duplicates(totals[dump.POST_LINKS_FILE])
        self._recount_threads()
        self._commit()

    # --- Batches and progress ---

    def _stage(
        self, label: str, total: int, reader: Callable[..., Iterator[Record]], kind: str
    ) -> Iterator[Record]:
        """Stream a reader's records under a progress bar; its malformed rows are reported as ``kind``."""
        seen = 0
        with self.progress(label, total) as bar:
            for record in reader(self.dump_dir, lambda row: self.summary.skip(kind, row)):
                yield record
                seen += 1
                bar.update(1)
            bar.update(max(0, total - seen))  # rows the reader skipped or dropped

    def _row_done(self) -> None:
        self.rows_in_batch += 1
        if self.rows_in_batch >= self.batch_size:
            self._commit()

    def _commit(self) -> None:
        """Finish pending posts, announce changed questions, commit, and forget every ORM object."""
        self._flush_posts()
        db.session.flush()
        for question_id in sorted(self.changed):
            post_changed.send(question_id=question_id)
        self.changed.clear()
        db.session.commit()
        db.session.expunge_all()
        self.rows_in_batch = 0

    # --- Users ---

    def _load_existing(self) -> None:
        """Fill the id maps from rows an earlier run imported (that is what makes a re-run a no-op)."""
        users = select(User.id, User.email).where(
            User.is_placeholder.is_(True), User.email.endswith("@" + self.email_domain, autoescape=True)
        )
        for user_id, email in db.session.execute(users.execution_options(yield_per=5000)):
            local = email.split("@", 1)[0]
            if match := _SE_USER_EMAIL_RE.fullmatch(local):
                self.users[int(match.group(1))] = user_id
            else:
                self.named_users[local] = user_id
        questions = select(Question.id, Question.import_source).where(
            self._imported(Question.import_source, "q")
        )
        for question_id, source in db.session.execute(questions.execution_options(yield_per=5000)):
            self.questions[_dump_id(source)] = question_id
        answers = select(Answer.id, Answer.question_id, Answer.import_source)
        answers = answers.where(self._imported(Answer.import_source, "a"))
        for answer_id, question_id, source in db.session.execute(answers.execution_options(yield_per=5000)):
            self.answers[_dump_id(source)] = (answer_id, question_id)
        comments = select(Comment.import_source).where(self._imported(Comment.import_source, "c"))
        self.comments.update(map(_dump_id, db.session.scalars(comments.execution_options(yield_per=5000))))

    def _imported(self, column: Mapped[str | None], kind: str) -> ColumnElement[bool]:
        return column.startswith(self.source(kind), autoescape=True)

    def _scan_authors(self, totals: dict[str, int]) -> set[int]:
        """Dump ids of everyone who wrote a post or comment: only they get a placeholder account."""
        authors: set[int] = set()
        total = totals[dump.POSTS_FILE] + totals.get(dump.COMMENTS_FILE, 0)
        with self.progress("Authors", total) as bar:
            for post in dump.read_posts(self.dump_dir, lambda _row: None):  # reported by the posts pass
                if post.owner_id is not None:
                    authors.add(post.owner_id)
                bar.update(1)
            if dump.COMMENTS_FILE in self.files:
                for comment in dump.read_comments(self.dump_dir, lambda _row: None):
                    if comment.user_id is not None:
                        authors.add(comment.user_id)
                    bar.update(1)
        return authors

    def _import_users(self, total: int, authors: set[int]) -> None:
        """Create a placeholder for each author listed in Users.xml, one flush per batch."""
        batch: list[tuple[int, User]] = []
        with db.session.no_autoflush:
            for user in self._stage("Users", total, dump.read_users, "users"):
                if user.id in authors and user.id not in self.users:
                    batch.append(
                        (
                            user.id,
                            self._new_user(f"se-{user.id}", user.display_name, user.id, user.created_at),
                        )
                    )
                    if len(batch) >= self.batch_size:
                        self._save_users(batch)
            self._save_users(batch)

    def _save_users(self, batch: list[tuple[int, User]]) -> None:
        db.session.flush()
        self.users.update((se_id, user.id) for se_id, user in batch)
        batch.clear()
        self.unflushed_usernames.clear()
        self._commit()

    def _new_user(self, local: str, display_name: str, se_id: int | None, created_at: datetime) -> User:
        """Add a placeholder account nobody can sign in to (email ``<local>@<site>.import.invalid``)."""
        username = self._free_username(placeholder_username(display_name, se_id))
        self.unflushed_usernames.add(normalise_username(username))
        user = User(
            username=username,
            username_key=normalise_username(username),
            email=f"{local}@{self.email_domain}",
            password_hash=PLACEHOLDER_PASSWORD_HASH,
            is_placeholder=True,
            reputation=1,
            created_at=created_at,
        )
        db.session.add(user)
        self.summary.created["users"] += 1
        return user

    def _create_user(self, local: str, display_name: str, se_id: int | None, created_at: datetime) -> int:
        user = self._new_user(local, display_name, se_id, created_at)
        db.session.flush()
        self.unflushed_usernames.clear()
        return user.id

    def _free_username(self, base: str) -> str:
        """``base``, or ``base-2`` ... when a member (or another site's import) already has it."""
        suffixes = ["", *(f"-{n}" for n in range(2, 10)), "-" + hashlib.sha256(base.encode()).hexdigest()[:8]]
        candidates = [base[: USERNAME_MAX - len(suffix)] + suffix for suffix in suffixes]
        keys = [normalise_username(name) for name in candidates]
        taken = set(db.session.scalars(select(User.username_key).where(User.username_key.in_(keys))))
        taken |= self.unflushed_usernames.intersection(keys)
        return next(
            (name for name, key in zip(candidates, keys, strict=True) if key not in taken), candidates[-1]
        )

    def _author_id(self, owner_id: int | None, owner_name: str | None, created_at: datetime) -> int:
        """The account of a post's author: theirs, or one shared per display name if theirs was deleted."""
        if owner_id is not None:
            if owner_id not in self.users:
                name = owner_name or f"user{owner_id}"  # not in Users.xml (or no Users.xml)
                self.users[owner_id] = self._create_user(f"se-{owner_id}", name, owner_id, created_at)
            return self.users[owner_id]
        if owner_name:
            local = "se-anon-" + hashlib.sha256(owner_name.encode()).hexdigest()[:16]
        else:
            local, owner_name = "se-deleted", "deleted-user"
        if local not in self.named_users:
            self.named_users[local] = self._create_user(local, owner_name, None, created_at)
        return self.named_users[local]

    # --- Posts ---

    def _import_posts(self, total: int) -> None:
        waiting: list[dump.DumpAnswer] = []  # answers that come before their question in the file
        for post in self._stage("Posts", total, dump.read_posts, "posts"):
            if isinstance(post, dump.DumpQuestion):
                self._add_question(post)
            elif not self._add_answer(post):
                waiting.append(post)
        for answer in waiting:
            if not self._add_answer(answer):
                reason = f"answer to post {answer.question_id}, which is not an imported question"
                self.summary.skip("answers", dump.SkippedRow(dump.POSTS_FILE, None, reason, str(answer.id)))
        self._commit()

    def _add_question(self, post: dump.DumpQuestion) -> None:
        if post.accepted_answer_id is not None:
            self.accepted[post.id] = post.accepted_answer_id
        if post.id in self.questions or post.id in self.pending_questions:
            self.summary.already_imported["questions"] += 1
            return
        question = Question(
            title=import_title(post.title),
            body=html_to_markdown(post.body_html),
            body_html=sanitize_html(post.body_html),
            category_id=self.category_id,
            author_id=self._author_id(post.owner_id, post.owner_name, post.created_at),
            score=post.score,
            view_count=post.view_count,
            created_at=post.created_at,
            updated_at=post.created_at,  # the reader gives no edit date
            last_activity_at=post.last_activity_at or post.created_at,
            import_source=self.source("q", post.id),
        )
        db.session.add(question)
        self.pending_questions[post.id] = question
        self.pending_posts.append((post.id, question, import_tags(post.tags)))
        self._row_done()

    def _add_answer(self, post: dump.DumpAnswer) -> bool:
        """Queue ``post``; False if its question is not imported (yet)."""
        if post.id in self.answers or post.id in self.pending_answers:
            self.summary.already_imported["answers"] += 1
            return True
        question = self.pending_questions.get(post.question_id)
        question_id = self.questions.get(post.question_id)
        if question is None and question_id is None:
            return False
        answer = Answer(
            body=html_to_markdown(post.body_html),
            body_html=sanitize_html(post.body_html),
            author_id=self._author_id(post.owner_id, post.owner_name, post.created_at),
            score=post.score,
            created_at=post.created_at,
            updated_at=post.created_at,
            import_source=self.source("a", post.id),
        )
        if question is not None:
            answer.question = question  # same batch: the question gets its id at the flush
        else:
            answer.question_id = question_id  # type: ignore[assignment]
        db.session.add(answer)
        self.pending_answers.add(post.id)
        self.pending_posts.append((post.id, answer, ()))
        self._row_done()
        return True

    def _flush_posts(self) -> None:
        """Flush queued posts, then give each revision 1, its tags and a place in the id maps."""
        if not self.pending_posts:
            return
        self._ensure_tags({name for _, _, names in self.pending_posts for name in names})
        db.session.flush()
        links: list[dict[str, int]] = []
        tag_uses: Counter[int] = Counter()
        for se_id, post, names in self.pending_posts:
            if isinstance(post, Question):
                kind, question_id = "question", post.id
                self.questions[se_id] = post.id
                links += [{"question_id": post.id, "tag_id": self.tags[name]} for name in names]
                tag_uses.update(self.tags[name] for name in names)
            else:
                kind, question_id = "answer", post.question_id
                self.answers[se_id] = (post.id, post.question_id)
            self.summary.created[kind + "s"] += 1
            self.changed.add(question_id)
            db.session.add(
                Revision(
                    target_type=kind,
                    target_id=post.id,
                    number=1,
                    title=post.title if isinstance(post, Question) else None,
                    body=post.body,
                    tags=" ".join(names) if isinstance(post, Question) else None,
                    author_id=post.author_id,
                    note="Imported from Stack Exchange",
                    created_at=post.created_at,
                )
            )
        if links:
            db.session.execute(insert(question_tags), links)
        by_amount: dict[int, list[int]] = {}
        for tag_id, amount in tag_uses.items():
            by_amount.setdefault(amount, []).append(tag_id)
        for amount, tag_ids in by_amount.items():
            db.session.execute(
                update(Tag).where(Tag.id.in_(tag_ids)).values(question_count=Tag.question_count + amount)
            )
        db.session.flush()
        self.pending_posts.clear()
        self.pending_questions.clear()
        self.pending_answers.clear()

    def _ensure_tags(self, names: set[str]) -> None:
        missing = names - self.tags.keys()
        if not missing:
            return
        self.tags.update(
            {
                name: tag_id
                for name, tag_id in db.session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(missing)))
            }
        )
        new_tags = [Tag(name=name, question_count=0) for name in sorted(missing - self.tags.keys())]
        db.session.add_all(new_tags)
        db.session.flush()
        self.tags.update((tag.name, tag.id) for tag in new_tags)

    # --- Second passes: accepted answers, comments, duplicate links, thread counts ---

    def _import_accepted_answers(self) -> None:
        with self.progress("Accepted answers", len(self.accepted)) as bar:
            for se_question_id, se_answer_id in self.accepted.items():
                bar.update(1)
                question_id, answer = self.questions.get(se_question_id), self.answers.get(se_answer_id)
                if question_id is None or answer is None or answer[1] != question_id:
                    self.summary.skip("accepted")  # the answer is not in the dump (or not in this thread)
                    continue
                current = db.session.scalar(
                    select(Question.accepted_answer_id).where(Question.id == question_id)
                )
                if current is not None:
                    self.summary.already_imported["accepted"] += 1
                    continue
                db.session.execute(
                    update(Question)
                    .where(Question.id == question_id)
                    .values(accepted_answer_id=answer[0])
                    .execution_options(synchronize_session=False)
                )
                self.summary.created["accepted"] += 1
                self.changed.add(question_id)
                self._row_done()
        self._commit()

    def _import_comments(self, total: int) -> None:
        for comment in self._stage("Comments", total, dump.read_comments, "comments"):
            if comment.id in self.comments:
                self.summary.already_imported["comments"] += 1
                continue
            answer = self.answers.get(comment.post_id)
            question_id = answer[1] if answer else self.questions.get(comment.post_id)
            body = " ".join(comment.text.split())[:COMMENT_MAX]
            if question_id is None or not body:
                reason = f"comment on post {comment.post_id}, which is not imported" if body else "empty text"
                self.summary.skip(
                    "comments", dump.SkippedRow(dump.COMMENTS_FILE, None, reason, str(comment.id))
                )
                continue
            db.session.add(
                Comment(
                    question_id=question_id,
                    answer_id=answer[0] if answer else None,
                    body=body,
                    author_id=self._author_id(comment.user_id, comment.user_name, comment.created_at),
                    created_at=comment.created_at,
                    import_source=self.source("c", comment.id),
                )
            )
            self.comments.add(comment.id)
            self.summary.created["comments"] += 1
            self.changed.add(question_id)
            self._row_done()
        self._commit()

    def _import_duplicates(self, total: int) -> None:
        """Close questions as duplicates from LinkTypeId 3 links (first one wins; LinkTypeId 1 is ignored)."""
        for link in self._stage("Post links", total, dump.read_links, "links"):
            if link.link_type != dump.DUPLICATE_LINK_TYPE:
                continue
            duplicate, canonical = self.questions.get(link.post_id), self.questions.get(link.related_post_id)
            reason: str | None = None
            if duplicate is None or canonical is None:
                missing = link.post_id if duplicate is None else link.related_post_id
                reason = f"duplicate link to post {missing}, which is not an imported question"
            else:
                reason = self._close_as_duplicate(link, duplicate, canonical)
            if reason is not None:
                self.summary.skip(
                    "duplicates", dump.SkippedRow(dump.POST_LINKS_FILE, None, reason, str(link.id))
                )
        self._commit()

    def _close_as_duplicate(self, link: dump.DumpLink, duplicate: int, canonical: int) -> str | None:
        """Point ``duplicate`` at ``canonical``; the reason if the link cannot be kept, else None."""
        if duplicate == canonical:
            return "a question cannot duplicate itself"
        rows = db.session.execute(
            select(Question.id, Question.duplicate_of_id).where(Question.id.in_([duplicate, canonical]))
        )
        current = {question_id: duplicate_of for question_id, duplicate_of in rows}
        if current[duplicate] == canonical:
            self.summary.already_imported["duplicates"] += 1
            return None
        if current[duplicate] is not None:
            return f"post {link.post_id} is already closed as a duplicate of another question"
        if current[canonical] == duplicate:
            return f"post {link.related_post_id} is itself closed as a duplicate of post {link.post_id}"
        db.session.execute(
            update(Question)
            .where(Question.id == duplicate)
            .values(duplicate_of_id=canonical)
            .execution_options(synchronize_session=False)
        )
        self.summary.created["duplicates"] += 1
        self.changed.add(duplicate)
        self._row_done()
        return None

    def _recount_threads(self) -> None:
        """Set answer_count and comment_count of this site's questions from the rows present."""
        answers = (
            select(func.count(Answer.id))
            .where(Answer.question_id == Question.id, Answer.deleted_at.is_(None))
            .scalar_subquery()
        )
        comments = (
            select(func.count(Comment.id))
            .where(Comment.question_id == Question.id, Comment.deleted_at.is_(None))
            .scalar_subquery()
        )
        db.session.execute(
            update(Question)
            .where(
                self._imported(Question.import_source, "q"),
                or_(Question.answer_count != answers, Question.comment_count != comments),
            )
            .values(answer_count=answers, comment_count=comments)
            .execution_options(synchronize_session=False)
        )
        log.info("imported site %s: %s", self.site, dict(self.summary.created))
