"""The parts of ``create_app``: binding extensions, blueprints, error handlers, CLI."""

from __future__ import annotations

import click
from flask import Flask, g
from flask.wrappers import Response

from forum import database
from forum.extensions import csrf, db, limiter, login_manager


def init_migrations(app: Flask) -> None:
    """Bind Flask-Migrate (``flask db ...``) to ``app``.

    ``create_app`` does it on the ``flask`` command line only, and scripts that migrate
    call it: a web worker never migrates, and Flask-Migrate imports Alembic, which would
    cost every worker 10 MB of memory.
    """
    from flask_migrate import Migrate

    Migrate(
        app,
        db,
        directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())),
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        render_item=database.render_migration_item,
    )


def init_extensions(app: Flask) -> None:
    import forum.models  # noqa: F401  (every table is known to Alembic and create_all)

    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    from forum.input_guard import reject_nul_bytes

    app.before_request(reject_nul_bytes)
    app.teardown_request(database.reset_write_intent)
    app.teardown_request(_end_request_transaction)

    from forum.accounts.loader import load_user_from_session

    login_manager.user_loader(load_user_from_session)

    from forum import search

    search.init_app(app)


def _end_request_transaction(_exc: BaseException | None = None) -> None:
    """Close the request's session even when its app context outlives it (tests, CLI).

    The signed-in user Flask-Login keeps in ``g`` belongs to that session, so it goes too.
    """
    db.session.remove()
    g.pop("_login_user", None)


def _migrations_dir() -> str:
    from forum import PROJECT_ROOT

    return str(PROJECT_ROOT / "migrations")


def register_blueprints(app: Flask) -> None:
    from forum.accounts.views import bp as accounts_bp
    from forum.admin.views import bp as admin_bp
    from forum.api import bp as api_bp
    from forum.api.openapi import bp as openapi_bp
    from forum.questions.actions import bp as posts_bp
    from forum.questions.browse import bp as browse_bp
    from forum.questions.tag_views import bp as tag_admin_bp
    from forum.questions.views import bp as questions_bp
    from forum.search.gap_views import bp as gaps_bp
    from forum.search.views import bp as search_bp
    from forum.views import bp as forum_bp

    app.register_blueprint(forum_bp)
    app.register_blueprint(questions_bp)
    app.register_blueprint(posts_bp)
    app.register_blueprint(browse_bp)
    app.register_blueprint(tag_admin_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(gaps_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(openapi_bp)

    # moderation and analytics depend on forum, never the other way round.
    import analytics
    import moderation

    moderation.init_app(app)
    analytics.init_app(app)


def register_error_handlers(app: Flask) -> None:
    from werkzeug.exceptions import HTTPException

    from forum.error_pages import handle_domain_error, handle_http_error, handle_unexpected
    from forum.errors import DomainError

    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)


def register_template_helpers(app: Flask) -> None:
    from forum import roles
    from forum.accounts.forms import EmptyForm
    from forum.hooks import partials

    @app.context_processor
    def inject_helpers() -> dict[str, object]:
        return {
            "roles": roles,
            "action_form": EmptyForm,
            "site_name": app.config["SITE_NAME"],
            "unread_notifications": _unread_notifications,
            "partials": partials,
        }

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' https: data:; object-src 'none'; "
            "base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        return response


def _unread_notifications() -> int:
    from flask_login import current_user

    from forum.questions.notifications import unread_count

    return unread_count(current_user.id) if current_user.is_authenticated else 0


def register_cli(app: Flask) -> None:
    from forum.cli import demo_command, users_cli
    from forum.importer.cli import import_cli
    from forum.questions.cli import posts_cli

    if click.get_current_context(silent=True) is not None:  # the flask command line, not a worker
        init_migrations(app)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(import_cli)
    app.cli.add_command(posts_cli)
