"""The duplicate-links pass: PostLinks.xml duplicate links close imported questions as duplicates."""

from __future__ import annotations

from sqlalchemy import select, update

from forum.extensions import db
from forum.importer import stackexchange_dump as dump
from forum.importer.run import ImportRun
from forum.questions.models import Question


def import_duplicates(run: ImportRun, total: int) -> None:
    """Close questions as duplicates from LinkTypeId 3 links (first one wins; LinkTypeId 1 is ignored)."""
    for link in run.stage("Post links", total, dump.read_links, "links"):
        if link.link_type != dump.DUPLICATE_LINK_TYPE:
            continue
        duplicate, canonical = run.questions.get(link.post_id), run.questions.get(link.related_post_id)
        reason: str | None = None
        if duplicate is None or canonical is None:
            missing = link.post_id if duplicate is None else link.related_post_id
            reason = f"duplicate link to post {missing}, which is not an imported question"
        else:
            reason = _close_as_duplicate(run, link, duplicate, canonical)
        if reason is not None:
            run.summary.skip("duplicates", dump.SkippedRow(dump.POST_LINKS_FILE, None, reason, str(link.id)))
    run.commit()


def _close_as_duplicate(run: ImportRun, link: dump.DumpLink, duplicate: int, canonical: int) -> str | None:
    """Point ``duplicate`` at ``canonical``; the reason if the link cannot be kept, else None."""
    if duplicate == canonical:
        return "a question cannot duplicate itself"
    rows = db.session.execute(
        select(Question.id, Question.duplicate_of_id).where(Question.id.in_([duplicate, canonical]))
    )
    current = {question_id: duplicate_of for question_id, duplicate_of in rows}
    if current[duplicate] == canonical:
        run.summary.already_imported["duplicates"] += 1
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
    run.summary.created["duplicates"] += 1
    run.changed.add(duplicate)
    run.row_done()
    return None
