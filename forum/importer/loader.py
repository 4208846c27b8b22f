"""Import a Stack Exchange data dump into the forum: the service ``flask import stackexchange`` calls.

The dump is streamed file by file and committed every ``batch_size`` rows, so memory stays
flat and a crash leaves a state that a second run completes. Each imported row records its
origin (``se:<site>:q:<id>`` in ``import_source``; placeholder users by their
``se-<id>@<site>.import.invalid`` email), and rows already present are left untouched, so
running the same import again creates and changes nothing. Between batches only integer
maps of dump ids to our ids are kept, never ORM objects.

This module loads the posts (questions, answers, their tags and first revisions) and the
accepted answers, and runs the other passes in order: ``placeholders`` (accounts),
``comments`` and ``duplicates`` (links).
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

from sqlalchemy import func, insert, or_, select, update

from forum.extensions import db
from forum.importer import stackexchange_dump as dump
from forum.importer.comments import import_comments
from forum.importer.duplicates import import_duplicates
from forum.importer.html_to_markdown import html_to_markdown
from forum.importer.names import import_tags, import_title, placeholder_username, site_name
from forum.importer.placeholders import PlaceholderAccounts
from forum.importer.run import (
    DEFAULT_BATCH_SIZE,
    ImportRefused,
    ImportRun,
    ImportSummary,
    Progress,
    ProgressFactory,
    dump_id,
    no_progress,
)
from forum.markup import sanitize_html
from forum.questions.models import (
    Answer,
    Category,
    Comment,
    Question,
    Revision,
    Tag,
    question_tags,
)
from forum.questions.tags import tags_for_old_names

# The importer's public names, wherever they are defined (the CLI and the tests import them here).
__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ImportRefused",
    "ImportSummary",
    "Progress",
    "ProgressFactory",
    "import_stackexchange",
    "import_tags",
    "import_title",
    "no_progress",
    "placeholder_username",
    "site_name",
]

log = logging.getLogger(__name__)


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
    importer = _PostLoader(files, site_name(dump_dir, site), category_id, max(1, batch_size), progress)
    importer.run()
    return importer.summary


class _PostLoader(ImportRun):
    """The import run that loads the posts; it queues them so each batch writes them together."""

    def __init__(
        self, files: dict[str, Path], site: str, category_id: int, batch_size: int, progress: ProgressFactory
    ) -> None:
        super().__init__(files, site, batch_size, progress)
        self.category_id = category_id
        self.accounts = PlaceholderAccounts(self)
        self.tags: dict[str, int] = {}  # a tag's name, or an old name it still answers to -> its id
        self.tag_names: dict[int, str] = {}  # tag id -> its current name
        self.accepted: dict[int, int] = {}  # dump question id -> dump id of its accepted answer
        self.pending_questions: dict[int, Question] = {}
        self.pending_answers: set[int] = set()
        self.pending_posts: list[tuple[int, Question | Answer, tuple[str, ...]]] = []

    def run(self) -> None:
        self.accounts.load_existing()
        self._load_existing_posts()
        totals = {name: dump.count_rows(path) for name, path in self.files.items()}
        if dump.USERS_FILE in self.files:
            self.accounts.import_users(totals[dump.USERS_FILE], self.accounts.scan_authors(totals))
        self._import_posts(totals[dump.POSTS_FILE])
        self._import_accepted_answers()
        if dump.COMMENTS_FILE in self.files:
            import_comments(self, self.accounts, totals[dump.COMMENTS_FILE])
        if dump.POST_LINKS_FILE in self.files:
            import_duplicates(self, totals[dump.POST_LINKS_FILE])
        self._recount_threads()
        self.commit()

    def _load_existing_posts(self) -> None:
        """Fill the post id maps from rows an earlier run imported (that is what makes a re-run a no-op)."""
        questions = select(Question.id, Question.import_source).where(
            self.imported(Question.import_source, "q")
        )
        for question_id, source in db.session.execute(questions.execution_options(yield_per=5000)):
            self.questions[dump_id(source)] = question_id
        answers = select(Answer.id, Answer.question_id, Answer.import_source)
        answers = answers.where(self.imported(Answer.import_source, "a"))
        for answer_id, question_id, source in db.session.execute(answers.execution_options(yield_per=5000)):
            self.answers[dump_id(source)] = (answer_id, question_id)

    # --- Posts ---

    def _import_posts(self, total: int) -> None:
        waiting: list[dump.DumpAnswer] = []  # answers that come before their question in the file
        for post in self.stage("Posts", total, dump.read_posts, "posts"):
            if isinstance(post, dump.DumpQuestion):
                self._add_question(post)
            elif not self._add_answer(post):
                waiting.append(post)
        for answer in waiting:
            if not self._add_answer(answer):
                reason = f"answer to post {answer.question_id}, which is not an imported question"
                self.summary.skip("answers", dump.SkippedRow(dump.POSTS_FILE, None, reason, str(answer.id)))
        self.commit()

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
            author_id=self.accounts.author_id(post.owner_id, post.owner_name, post.created_at),
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
        self.row_done()

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
            author_id=self.accounts.author_id(post.owner_id, post.owner_name, post.created_at),
            score=post.score,
            created_at=post.created_at,
            updated_at=post.created_at,
            import_source=self.source("a", post.id),
        )
        if question is not None:
            answer.question = question  # same batch: the question gets its id at the flush
        elif question_id is not None:  # always true here (checked above); mypy cannot tell
            answer.question_id = question_id
        db.session.add(answer)
        self.pending_answers.add(post.id)
        self.pending_posts.append((post.id, answer, ()))
        self.row_done()
        return True

    def flush_queued(self) -> None:
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
                tag_ids = list(dict.fromkeys(self.tags[name] for name in names))  # old + new name: once
                names = tuple(self.tag_names[tag_id] for tag_id in tag_ids)
                links += [{"question_id": post.id, "tag_id": tag_id} for tag_id in tag_ids]
                tag_uses.update(tag_ids)
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
        """Map each name to its tag: an existing one, the tag a renamed or merged name now
        belongs to (so an import never brings an old name back), or a new one."""
        missing = names - self.tags.keys()
        if not missing:
            return
        found = {tag.name: tag for tag in db.session.scalars(select(Tag).where(Tag.name.in_(missing)))}
        found.update(tags_for_old_names(missing - found.keys()))
        new_tags = [Tag(name=name, question_count=0) for name in sorted(missing - found.keys())]
        db.session.add_all(new_tags)
        db.session.flush()
        found.update((tag.name, tag) for tag in new_tags)
        for name, tag in found.items():
            self.tags[name] = tag.id
            self.tag_names[tag.id] = tag.name

    # --- Second passes over what the posts pass wrote: accepted answers, thread counts ---

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
                self.row_done()
        self.commit()

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
                self.imported(Question.import_source, "q"),
                or_(Question.answer_count != answers, Question.comment_count != comments),
            )
            .values(answer_count=answers, comment_count=comments)
            .execution_options(synchronize_session=False)
        )
        log.info("imported site %s: %s", self.site, dict(self.summary.created))
