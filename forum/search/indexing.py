"""Keep the search index in step with the database through the outbox.

Every change to a thread queues its question id in ``search_outbox`` in the same
transaction (``post_changed`` signal). After each commit the queue is applied under an
inter-process lock: read the queued ids in a fresh transaction, build the documents from
the committed rows, commit them to the index, then delete exactly the rows applied. Several
workers can race; the lock makes the latest state win, and a crash leaves rows to retry
(next commit, or ``flask --app wsgi search sync``).
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from forum.database import write_intent
from forum.extensions import db
from forum.markup import html_to_text
from forum.questions.models import Answer, Question
from forum.search.backend import SearchDocument
from forum.search.models import SearchOutbox

log = logging.getLogger(__name__)
APPLY_BATCH = 500
EMBED_BATCH = 64  # questions embedded per index commit: about 2 s of the apply lock
LOCK_TIMEOUT_SECONDS = 60.0


def queue_question(session: Session, question_id: int) -> None:
    """Queue ``question_id`` for indexing in the caller's transaction."""
    session.add(SearchOutbox(question_id=question_id))
    session.info["search_queued"] = True


@contextmanager
def apply_lock(index_dir: str, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """An exclusive lock shared by every process using this index folder."""
    path = Path(index_dir)
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".peerdesk-apply.lock", "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"search index {index_dir} stayed locked for {timeout}s") from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_documents(session: Session, question_ids: list[int]) -> tuple[list[SearchDocument], list[int]]:
    """Documents for the visible questions among ``question_ids``, and the ids to remove."""
    questions = (
        session.scalars(
            select(Question)
            .options(joinedload(Question.category), selectinload(Question.tags))
            .where(Question.id.in_(question_ids))
        )
        .unique()
        .all()
    )
    visible = {q.id: q for q in questions if q.is_visible}
    answers: dict[int, list[Answer]] = {}
    if visible:
        for answer in session.scalars(
            select(Answer).where(
                Answer.question_id.in_(list(visible)),
                Answer.hidden_at.is_(None),
                Answer.deleted_at.is_(None),
                Answer.held_for_review.is_(False),
            )
        ):
            answers.setdefault(answer.question_id, []).append(answer)
    documents = [document_for(q, answers.get(q.id, [])) for q in visible.values()]
    removals = [qid for qid in question_ids if qid not in visible]
    return documents, removals


def document_for(question: Question, answers: list[Answer]) -> SearchDocument:
    return SearchDocument(
        question_id=question.id,
        title=question.title,
        body_text=html_to_text(question.body_html),
        answers_text="\n".join(html_to_text(answer.body_html) for answer in answers),
        tags=tuple(tag.name for tag in question.tags),
        category=question.category.slug,
        solved=question.accepted_answer_id is not None,
        verified=any(answer.accuracy == "verified" for answer in answers),
        score=question.score,
        answer_count=len(answers),
        created_at=question.created_at,
    )


def apply_pending(backend: Any, index_dir: str, limit: int | None = None) -> int:
    """Apply queued index changes; returns how many questions were refreshed."""
    applied = 0
    with write_intent(), apply_lock(index_dir), Session(db.engine) as session:
        while limit is None or applied < limit:
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.question_id).order_by(SearchOutbox.id).limit(APPLY_BATCH)
            ).all()
            if not rows:
                break
            question_ids = sorted({row.question_id for row in rows})
            documents, removals = build_documents(session, question_ids)
            backend.apply_changes(documents, removals)
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([row.id for row in rows])))
            session.commit()
            applied += len(question_ids)
    return applied


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


def rebuild_index(
    backend: Any,
    progress: Callable[[int], None] | None = None,
    batch: int = 1000,
    expected: int | None = None,
    embed_missing: bool = False,
) -> int:
    """Rebuild the whole index from the database (the outbox is emptied too).

    ``expected``: the number of questions, when the caller has counted them already.
    ``embed_missing``: compute the vectors the old index did not have, in the rebuild
    (slow with the real model: ``embed_missing_vectors`` does it afterwards, in batches).
    """
    index_dir = current_app.config["SEARCH_INDEX"]

    def all_documents() -> Iterator[SearchDocument]:
        with Session(db.engine) as session:
            last_id = 0
            while True:
                ids = list(
                    session.scalars(
                        select(Question.id).where(Question.id > last_id).order_by(Question.id).limit(batch)
                    )
                )
                if not ids:
                    return
                documents, _removed = build_documents(session, ids)
                yield from documents
                session.expunge_all()
                last_id = ids[-1]

    with apply_lock(index_dir):
        with Session(db.engine) as session:
            started = session.scalar(select(func.max(SearchOutbox.id))) or 0
            if expected is None:
                expected = session.scalar(select(func.count()).select_from(Question)) or 0
        count = backend.rebuild(all_documents(), progress=progress, expected=expected, embed_missing=embed_missing)
        with write_intent(), Session(db.engine) as session:
            session.execute(delete(SearchOutbox).where(SearchOutbox.id <= started))
            session.commit()
    return int(count)


def embed_missing_vectors(
    backend: Any, progress: Callable[[int], None] | None = None, missing: list[int] | None = None
) -> int:
    """Compute the vectors the index lacks (after a rebuild, an import, or installing the model).

    ``missing``: the ids from ``backend.questions_without_vectors()``, if the caller has them.
    Works in small batches under the apply lock, so live edits go on in between; returns
    how many questions were embedded. Safe to stop and run again: it resumes.
    """
    index_dir = current_app.config["SEARCH_INDEX"]
    if missing is None:
        missing = backend.questions_without_vectors()
    done = 0
    for start in range(0, len(missing), EMBED_BATCH):
        question_ids = missing[start : start + EMBED_BATCH]
        with apply_lock(index_dir), Session(db.engine) as session:
            documents, removals = build_documents(session, question_ids)
            backend.apply_changes(documents, removals)
        done += len(question_ids)
        if progress is not None:
            progress(done)
    return done
