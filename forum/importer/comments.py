"""The comments pass: Comments.xml rows become comments on imported questions and answers."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.importer import stackexchange_dump as dump
from forum.importer.placeholders import PlaceholderAccounts
from forum.importer.run import ImportRun, dump_id
from forum.questions.models import COMMENT_MAX, Comment


def import_comments(run: ImportRun, accounts: PlaceholderAccounts, total: int) -> None:
    """Add each comment whose post was imported; comments an earlier run imported are left alone.

    Whitespace is folded and the text cut to the forum's comment length; a comment left empty,
    or on a post that is not imported, is skipped and reported.
    """
    imported = select(Comment.import_source).where(run.imported(Comment.import_source, "c"))
    seen = set(map(dump_id, db.session.scalars(imported.execution_options(yield_per=5000))))
    for comment in run.stage("Comments", total, dump.read_comments, "comments"):
        if comment.id in seen:
            run.summary.already_imported["comments"] += 1
            continue
        answer = run.answers.get(comment.post_id)
        question_id = answer[1] if answer else run.questions.get(comment.post_id)
        body = " ".join(comment.text.split())[:COMMENT_MAX]
        if question_id is None or not body:
            reason = f"comment on post {comment.post_id}, which is not imported" if body else "empty text"
            run.summary.skip("comments", dump.SkippedRow(dump.COMMENTS_FILE, None, reason, str(comment.id)))
            continue
        db.session.add(
            Comment(
                question_id=question_id,
                answer_id=answer[0] if answer else None,
                body=body,
                author_id=accounts.author_id(comment.user_id, comment.user_name, comment.created_at),
                created_at=comment.created_at,
                import_source=run.source("c", comment.id),
            )
        )
        seen.add(comment.id)
        run.summary.created["comments"] += 1
        run.changed.add(question_id)
        run.row_done()
    run.commit()
