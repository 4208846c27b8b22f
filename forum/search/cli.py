"""``flask --app wsgi search reindex|embed|sync``."""

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
@click.option("--no-embed", is_flag=True, help="Leave new meaning vectors to a later `search embed`.")
def reindex_command(no_embed: bool) -> None:
    """Rebuild the whole index from the database, with a progress bar."""
    total = db.session.scalar(select(func.count()).select_from(Question)) or 0
    with click.progressbar(length=total, label="Indexing questions") as bar:
        count = indexing.rebuild_index(
            backend(), progress=lambda done: bar.update(done - bar.pos), expected=total
        )
    click.echo(f"Indexed {count} visible questions.")
    if not no_embed:
        embed_missing()


@search_cli.command("embed")
def embed_command() -> None:
    """Compute the meaning vectors of similar questions that the index still lacks."""
    embed_missing()


def embed_missing() -> None:
    if not backend().ranks_by_meaning():
        click.echo("Similar questions are ranked by words only (sentence model off or not installed).")
        return
    missing = backend().questions_without_vectors()
    if not missing:
        click.echo("No indexed question is waiting for its meaning vector.")
        return
    with click.progressbar(length=len(missing), label="Embedding questions") as bar:
        done = indexing.embed_missing_vectors(
            backend(), progress=lambda n: bar.update(n - bar.pos), missing=missing
        )
    click.echo(f"Embedded {done} questions for similar-question ranking.")


@search_cli.command("sync")
def sync_command() -> None:
    """Apply index changes left queued (after a crash or a busy index)."""
    waiting = pending_changes()
    applied = sync_index()
    click.echo(f"Applied {applied} queued change(s) ({waiting} were waiting).")
