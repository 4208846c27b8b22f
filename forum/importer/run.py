"""One import run: its summary, its progress bars, and the batches it commits.

Every pass of the import (placeholder accounts, posts, accepted answers, comments, duplicate
links) streams its dump file through ``ImportRun.stage`` and calls ``row_done`` for each row
it writes, so a batch is committed every ``batch_size`` rows whichever pass is running.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Mapped

from forum.extensions import db
from forum.importer import stackexchange_dump as dump
from forum.signals import post_changed

DEFAULT_BATCH_SIZE = 500
SKIPPED_ROWS_KEPT = 1_000  # the report keeps this many; the count is always exact

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


def dump_id(import_source: str | None) -> int:
    """The dump id at the end of an ``import_source`` such as ``se:cardano:q:42``."""
    return int(str(import_source).rsplit(":", 1)[1])


class ImportRun:
    """What every pass of one import shares: the dump, the summary, the batch, the post id maps.

    Between batches only integer maps of dump ids to our ids are kept, never ORM objects.
    """

    def __init__(self, files: dict[str, Path], site: str, batch_size: int, progress: ProgressFactory) -> None:
        self.files, self.site = files, site
        self.dump_dir = files[dump.POSTS_FILE].parent
        self.batch_size, self.progress = batch_size, progress
        self.summary = ImportSummary(site)
        self.questions: dict[int, int] = {}  # dump post id -> questions.id
        self.answers: dict[int, tuple[int, int]] = {}  # dump post id -> (answers.id, questions.id)
        self.changed: set[int] = set()  # questions.id to announce with post_changed at the next commit
        self.rows_in_batch = 0

    def source(self, kind: str, se_id: int | None = None) -> str:
        """The ``import_source`` of dump row ``se_id`` of ``kind`` (q, a, c); without an id, their prefix."""
        return f"se:{self.site}:{kind}:" + ("" if se_id is None else str(se_id))

    def imported(self, column: Mapped[str | None], kind: str) -> ColumnElement[bool]:
        """Rows of ``kind`` that this site's imports created."""
        return column.startswith(self.source(kind), autoescape=True)

    def stage(
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

    def row_done(self) -> None:
        """Count a row written; commit when the batch is full."""
        self.rows_in_batch += 1
        if self.rows_in_batch >= self.batch_size:
            self.commit()

    def commit(self) -> None:
        """Finish queued rows, announce changed questions, commit, and forget every ORM object."""
        self.flush_queued()
        db.session.flush()
        for question_id in sorted(self.changed):
            post_changed.send(question_id=question_id)
        self.changed.clear()
        db.session.commit()
        db.session.expunge_all()
        self.rows_in_batch = 0

    def flush_queued(self) -> None:
        """Write rows a pass queued for the batch; the post loader queues posts to write them together."""
