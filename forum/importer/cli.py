"""``flask --app wsgi import stackexchange DIR``: bring a Stack Exchange data dump into the forum."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path

import click
from flask.cli import AppGroup

from forum.extensions import db
from forum.importer.loader import (
    DEFAULT_BATCH_SIZE,
    ImportRefused,
    ImportSummary,
    Progress,
    import_stackexchange,
)
from forum.search.cli import embed_missing
from forum.search.vectors import defer_embedding

import_cli = AppGroup("import", help="Import content from other forums.")

SKIPPED_ROWS_SHOWN = 20
_KIND_LABELS = {"posts": "unreadable posts", "links": "unreadable links"}


@import_cli.command("stackexchange")
@click.argument("dump_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--category",
    "category_slug",
    default="technical",
    show_default=True,
    help="Slug of the category to fill.",
)
@click.option("--site", default=None, help="Short site name recorded on each row [default: from DIR's name].")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Rows per commit.",
)
def stackexchange_command(dump_dir: Path, category_slug: str, site: str | None, batch_size: int) -> None:
    """Import the Stack Exchange dump in DIR (Posts.xml, Users.xml, Comments.xml, PostLinks.xml).

    Safe to run again: rows imported before are recognised and left alone, so an interrupted
    import is finished by running the same command. The questions' meaning vectors (for
    similar questions) are computed at the end, as ``search embed`` does.
    """
    try:
        with defer_embedding():  # the model is far slower than the import: it runs once, after
            summary = import_stackexchange(
                dump_dir, category_slug=category_slug, site=site, batch_size=batch_size, progress=_progress_bar
            )
    except ImportRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    except BaseException:
        db.session.rollback()  # batches already committed stay; running again resumes
        raise
    click.echo(describe(summary))
    embed_missing()


def _progress_bar(label: str, total: int) -> AbstractContextManager[Progress]:
    return click.progressbar(length=total, label=f"{label:<16}", show_pos=True, file=sys.stderr)


def describe(summary: ImportSummary, shown: int = SKIPPED_ROWS_SHOWN) -> str:
    """The import report: created / already there / skipped per kind, then the first skipped rows."""
    lines = [f"Stack Exchange import of site '{summary.site}':"]
    for kind in ("users", "questions", "answers", "comments", "duplicates", "accepted", "posts", "links"):
        created, present, skipped = (
            summary.created[kind], summary.already_imported[kind], summary.skipped[kind]
        )  # fmt: skip
        if kind not in _KIND_LABELS or skipped:
            label = _KIND_LABELS.get(kind, kind)
            lines.append(f"  {label:<17}{created:>7} created {present:>7} already there {skipped:>6} skipped")
    if summary.skipped_row_count:
        lines.append(
            f"Skipped {summary.skipped_row_count} rows (first {min(shown, summary.skipped_row_count)}):"
        )
        for row in summary.skipped_rows[:shown]:
            where = f"line {row.line}" if row.line is not None else "-"
            lines.append(f"  {row.file} {where} (Id={row.raw_id}): {row.reason}")
    return "\n".join(lines)
