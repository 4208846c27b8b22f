"""Configuration order (defaults, instance file, PEERDESK_* variables, test dict) and SQLite mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from forum import create_app


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("PEERDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("PEERDESK_SEARCH_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("PEERDESK_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("PEERDESK_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("PEERDESK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'env.db'}"
    assert app.config["SEARCH_INDEX"] == str(tmp_path / "index")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["RATELIMIT_ENABLED"] is False


def test_test_dict_wins_over_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PEERDESK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PEERDESK_SECRET_KEY", "env")
    assert create_app({"SECRET_KEY": "dict"}).config["SECRET_KEY"] == "dict"


def test_instance_file_is_read_before_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PEERDESK_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "peerdesk.cfg").write_text('SITE_NAME = "Acme Community"\nSECRET_KEY = "file"\n')
    app = create_app()
    assert app.config["SITE_NAME"] == "Acme Community"
    monkeypatch.setenv("PEERDESK_SITE_NAME", "From Env")
    assert create_app().config["SITE_NAME"] == "From Env"


def test_defaults_live_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PEERDESK_DATABASE_URL", raising=False)
    monkeypatch.delenv("PEERDESK_SECRET_KEY", raising=False)
    monkeypatch.setenv("PEERDESK_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'peerdesk.db'}"
    assert app.config["SEARCH_INDEX"] == str(tmp_path / "search-index")
    assert app.config["RATELIMIT_ENABLED"] is True


def test_secret_key_is_generated_once_never_hard_coded(monkeypatch, tmp_path):
    monkeypatch.delenv("PEERDESK_SECRET_KEY", raising=False)
    monkeypatch.setenv("PEERDESK_INSTANCE_PATH", str(tmp_path))
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first
    other = tmp_path / "other"
    monkeypatch.setenv("PEERDESK_INSTANCE_PATH", str(other))
    assert create_app().config["SECRET_KEY"] != first


def test_postgres_urls_use_psycopg3(monkeypatch, tmp_path):
    monkeypatch.setenv("PEERDESK_INSTANCE_PATH", str(tmp_path))
    app = create_app({"DATABASE_URL": "postgresql://u@localhost/x", "SECRET_KEY": "k"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/x"


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas do not apply to PostgreSQL")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_web_workers_leave_migrations_to_the_command_line(tmp_path):
    """A worker never migrates, so it does not load Flask-Migrate and Alembic (10 MB each);
    ``flask db`` still has its commands."""
    env = {
        **os.environ,
        "PEERDESK_INSTANCE_PATH": str(tmp_path),
        "PEERDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "PEERDESK_SECRET_KEY": "k",
    }
    check = "import sys, wsgi; print(sorted(m for m in ('alembic', 'flask_migrate') if m in sys.modules))"
    worker = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    assert worker.returncode == 0 and worker.stdout.strip() == "[]", worker.stderr
    flask = str(Path(sys.executable).with_name("flask"))
    upgrade = subprocess.run([flask, "--app", "wsgi", "db", "upgrade"], env=env, capture_output=True, text=True)
    assert upgrade.returncode == 0, upgrade.stderr
    current = subprocess.run([flask, "--app", "wsgi", "db", "current"], env=env, capture_output=True, text=True)
    assert "(head)" in current.stdout, current.stderr
