"""Re-render stored posts with the current Markdown renderer and sanitizer.

Posts keep their source (``body``, Markdown) and the HTML made from it when they were
saved (``body_html``, the only field templates mark safe). When ``forum.markup`` changes
its allow-list or rendering, old posts still hold HTML cleaned by the old rules: this
module makes it again from the source, a batch at a time. Imported posts that nobody has
edited since keep the cleaned HTML of the original (their Markdown is a lossy
conversion of it), so that HTML is cleaned again instead. Comments are plain text and
revisions keep only sources, so neither holds HTML.

The search index reads ``body_html``: every thread whose HTML changed is queued for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from forum.extensions import db
from forum.markup import render_markdown, sanitize_html
from forum.questions.models import Answer, Question, Revision
from forum.signals import post_changed

KINDS: dict[str, type[Question] | type[Answer]] = {"question": Question, "answer": Answer}


@dataclass(frozen=True)
class Batch:
    """One batch of posts checked: the last id read (None when there were none left)."""

    last_id: int | None
    checked: int
    changed: int


def post_count() -> int:
    """Questions and answers together: the length of a full re-render."""
    return sum(db.session.scalar(select(func.count()).select_from(model)) or 0 for model in KINDS.values())


def rerender_batch(kind: str, after_id: int, size: int) -> Batch:
    """Re-render up to ``size`` posts of ``kind`` with ids above ``after_id``; store the HTML
    of those that changed and queue their threads for search. Flushes; the caller commits.

    Running it again over the same posts changes nothing.
    """
    model = KINDS[kind]
    question_id = Question.id if model is Question else Answer.question_id
    rows = db.session.execute(
        select(model.id, question_id.label("question_id"), model.body, model.body_html, model.import_source)
        .where(model.id > after_id)
        .order_by(model.id)
        .limit(size)
    ).all()
    if not rows:
        return Batch(None, 0, 0)
    originals = _unedited(kind, [row.id for row in rows if row.import_source is not None])
    changes = []
    for row in rows:
        fresh = sanitize_html(row.body_html) if row.id in originals else render_markdown(row.body)
        if fresh != row.body_html:
            changes.append((row.id, row.question_id, fresh))
    if changes:
        db.session.execute(
            update(model), [{"id": post_id, "body_html": html} for post_id, _, html in changes]
        )
        for thread_id in sorted({thread_id for _, thread_id, _ in changes}):
            post_changed.send(question_id=thread_id)
    return Batch(rows[-1].id, len(rows), len(changes))


def _unedited(kind: str, imported: list[int]) -> set[int]:
    """The ``imported`` posts that have no revision after the import."""
    if not imported:
        return set()
    edited = set(
        db.session.scalars(
            select(Revision.target_id).where(
                Revision.target_type == kind, Revision.target_id.in_(imported), Revision.number > 1
            )
        )
    )
    return set(imported) - edited
