"""``flask --app wsgi search reindex|sync``."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from forum.extensions import db
from forum.questions.models import Question
from forum.search import indexing
from forum.search.service import backend, pending_changes, sync_index

search_cli = AppGroup("search", help="Keep the search index in step with the database.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the whole index from the database, with a progress bar."""
    total = db.session.scalar(select(func.count()).select_from(Question)) or 0
    with click.progressbar(length=total, label="Indexing questions") as bar:
        count = indexing.rebuild_index(
            backend(), progress=lambda done: bar.update(done - bar.pos), expected=total
        )
    click.echo(f"Indexed {count} visible questions.")


@search_cli.command("sync")
def sync_command() -> None:
    """Apply index changes left queued (after a crash or a busy index)."""
    waiting = pending_changes()
    applied = sync_index()
    click.echo(f"Applied {applied} queued change(s) ({waiting} were waiting).")
