"""Migrations and models never drift, and ``flask db upgrade`` works from an empty database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select

from forum import create_app
from forum.extensions import db as _db
from forum.questions.models import Category
from forum.setup import init_migrations


def test_models_match_migrations(app, db):
    """The migrated test database (both backends) has exactly the models' schema."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], f"run `flask --app wsgi db migrate`: {differences}"


def test_default_categories_exist_in_every_new_database(db):
    slugs = set(db.session.scalars(select(Category.slug)))
    assert slugs == {"product", "website", "technical", "billing"}


def test_flask_db_upgrade_from_empty_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "k", "INSTANCE_PATH": str(tmp_path)})
    init_migrations(app)  # what the flask command line does (test_config checks that it does)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"users", "questions", "answers", "votes", "alembic_version"} <= tables
