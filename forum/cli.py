"""Command-line tools: ``flask --app wsgi users ...`` and ``flask --app wsgi demo``."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from forum.accounts.services import get_user_by_name, issue_token, register_user
from forum.database import write_intent
from forum.errors import DomainError
from forum.extensions import db
from forum.roles import ROLE_CHOICES

users_cli = AppGroup("users", help="Create accounts and API tokens.")


@users_cli.command("create")
@click.argument("username")
@click.option("--email", required=True, help="The account's email address.")
@click.option("--password", required=True, help="At least 12 characters.")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default="member", show_default=True)
def create_user_command(username: str, email: str, password: str, role: str) -> None:
    """Create an account with the given role."""
    try:
        user = register_user(username, email, password, role)
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(f"{name}: {problem}" for name, problem in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.username} (id {user.id}).")


@users_cli.command("token")
@click.argument("username")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
def token_command(username: str, label: str) -> None:
    """Print a new API token for USERNAME (shown once; only its digest is stored)."""
    try:
        user = get_user_by_name(username)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    token = issue_token(user, label)
    db.session.commit()
    click.echo(token)


@click.command("demo")
@click.option("--force", is_flag=True, help="Load demo content even if the forum has content.")
@with_appcontext
def demo_command(force: bool) -> None:
    """Load demo content: a living community, with one account per role."""
    from forum.demo.loader import DEMO_PASSWORD, forum_has_content, load_demo

    if forum_has_content() and not force:
        click.echo("The forum already has content; nothing loaded (use --force to add the demo).")
        return
    with write_intent():
        summary = load_demo(progress=lambda label, total: click.progressbar(length=total, label=label))
        db.session.commit()
    click.echo(summary.describe())
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for username, role in summary.logins:
        click.echo(f"  {username:<10} {role}")
