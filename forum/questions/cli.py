"""``flask --app wsgi posts rerender``: stored posts made again with the current sanitizer."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.database import write_intent
from forum.extensions import db
from forum.markup import SANITIZER_VERSION
from forum.questions.rerender import KINDS, post_count, rerender_batch

posts_cli = AppGroup("posts", help="Look after stored posts.")


@posts_cli.command("rerender")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--dry-run", is_flag=True, help="Count the posts that would change; store nothing.")
def rerender_command(batch_size: int, dry_run: bool) -> None:
    """Re-render every question and answer from its source with the current allow-list.

    Run it after changing forum/markup.py (and its SANITIZER_VERSION). Each batch is
    committed on its own; running it again changes nothing.
    """
    checked = changed = 0
    with write_intent(), click.progressbar(length=post_count(), label="Re-rendering posts") as bar:
        for kind in KINDS:
            after_id = 0
            while True:
                batch = rerender_batch(kind, after_id, batch_size)
                if batch.last_id is None:
                    break
                if dry_run:
                    db.session.rollback()
                else:
                    db.session.commit()
                db.session.expunge_all()  # constant memory, whatever the forum's size
                after_id = batch.last_id
                checked += batch.checked
                changed += batch.changed
                bar.update(batch.checked)
    verb = "would change" if dry_run else "changed"
    click.echo(f"Sanitizer version {SANITIZER_VERSION}: {changed} of {checked} posts {verb}.")
