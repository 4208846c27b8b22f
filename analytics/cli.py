"""Command-line tools: ``flask --app wsgi analytics rollup`` and ``flask --app wsgi support deliver``."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask.cli import AppGroup

from analytics.helpdesk import deliver_due, webhook_url
from analytics.rollup import refresh_rollups
from forum.database import utcnow

analytics_cli = AppGroup("analytics", help="Deflection roll-ups.")
support_cli = AppGroup("support", help="Support requests and their help-desk delivery.")


@analytics_cli.command("rollup")
@click.option("--days", default=400, show_default=True, help="Recompute this many days back from today.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (overrides --days).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Day after the last one (exclusive).")
def rollup_command(days: int, start: datetime | None, end: datetime | None) -> None:
    """Recompute the daily deflection roll-ups of closed days (today is always computed live)."""
    today = utcnow().date()
    last = end.date() if end is not None else today + timedelta(days=1)
    first = start.date() if start is not None else last - timedelta(days=days)
    total = max((last - first).days, 0)
    with click.progressbar(length=total, label="Rolling up days") as bar:
        stored = refresh_rollups(first, last, progress=bar.update)
    click.echo(f"Rolled up {stored} closed days from {first.isoformat()} to {last.isoformat()} (exclusive).")


@support_cli.command("deliver")
@click.option(
    "--all", "include_waiting", is_flag=True, help="Also retry requests still waiting for their back-off."
)
@click.option("--limit", default=500, show_default=True, help="At most this many requests.")
def deliver_command(include_waiting: bool, limit: int) -> None:
    """Send pending support requests to the help desk (due retries, or --all)."""
    if not webhook_url():
        raise click.ClickException("No help desk configured: set ANALYTICS_HELPDESK_WEBHOOK_URL.")
    results = deliver_due(include_waiting=include_waiting, limit=limit)
    delivered = sum(1 for result in results if result.delivered)
    click.echo(f"Delivered {delivered} of {len(results)} support requests attempted.")
    for result in results:
        if not result.delivered:
            click.echo(f"  request {result.request_id}: {result.error}")
