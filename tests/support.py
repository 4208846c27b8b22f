"""Test plumbing that is not a fixture: databases, migrations, servers, Chromium."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url
from werkzeug.serving import make_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KEEP_TABLES = {"alembic_version"}
QUESTION_BODY = "The details of what happens, what I tried and what I expected."
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def fresh_postgres_database(base_url: str, name: str) -> str:
    """Create (or recreate) database ``name`` on the server of ``base_url``; return its URL."""
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(base_url: str, name: str) -> None:
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def migrate_database(url: str) -> None:
    """Bring ``url`` to the latest migration the way ``flask db upgrade`` does."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.setup import init_migrations

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "migrate", "TESTING": True})
    init_migrations(app)
    with app.app_context():
        upgrade()
        from forum.extensions import db

        db.engine.dispose()


def empty_tables(engine: Engine) -> None:
    """Delete every row and put the default categories back as they were, so the next test starts clean."""
    tables = [name for name in inspect(engine).get_table_names() if name not in KEEP_TABLES]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            others = [name for name in tables if name != "categories"]
            if others:
                quoted = ", ".join(f'"{name}"' for name in others)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("PRAGMA defer_foreign_keys = ON"))
            for name in tables:
                if name != "categories":
                    connection.execute(text(f'DELETE FROM "{name}"'))
        connection.execute(text("DELETE FROM categories WHERE id > :n"), {"n": len(_default_categories())})
        _restore_default_categories(connection)


@cache
def _default_categories() -> list[tuple[str, str, str, int]]:
    """The categories every new database gets (from the migration that adds them)."""
    path = PROJECT_ROOT / "migrations" / "versions" / "0002_default_categories.py"
    spec = importlib.util.spec_from_file_location("default_categories_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.DEFAULT_CATEGORIES)


def _restore_default_categories(connection: Any) -> None:
    """Put the default categories back as the migration made them: a test may rename or remove one."""
    for category_id, (slug, name, description, position) in enumerate(_default_categories(), start=1):
        values = {
            "id": category_id,
            "slug": slug,
            "name": name,
            "description": description,
            "position": position,
        }
        updated = connection.execute(
            text(
                "UPDATE categories SET slug = :slug, name = :name, description = :description, "
                "position = :position WHERE id = :id"
            ),
            values,
        )
        if not updated.rowcount:
            connection.execute(
                text(
                    "INSERT INTO categories (id, slug, name, description, position) "
                    "VALUES (:id, :slug, :name, :description, :position)"
                ),
                values,
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve ``app`` from a thread on a free port; yields its base URL."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@contextmanager
def gunicorn_server(env_overrides: dict[str, str], workers: int = 4) -> Iterator[str]:
    """Run the real app under gunicorn with ``workers`` processes; yields its base URL."""
    port = free_port()
    env = {**os.environ, "PEERDESK_RATELIMIT_ENABLED": "false", **env_overrides}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=PROJECT_ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/healthz")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    return found


def json_request(
    base: str, method: str, path: str, payload: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """A JSON request with the standard library (for tests against gunicorn)."""
    import json
    import urllib.error

    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class QueryCounter:
    """Counts the SQL statements an engine runs inside a ``with`` block."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


def post_all_at_once(
    base: str, path: str, requests: list[tuple[Any, dict[str, str]]]
) -> list[tuple[int, Any]]:
    """POST each ``(payload, headers)`` to ``path`` from its own thread, all released together
    by a barrier, so the server really sees them at the same moment. Returns (status, body)s."""
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(len(requests))

    def send(request: tuple[Any, dict[str, str]]) -> tuple[int, Any]:
        payload, headers = request
        barrier.wait(timeout=120)
        return json_request(base, "POST", path, payload, headers)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


class HashedWordsEncoder:
    """A stand-in for the sentence model: each word hashed into one of 384 dimensions.

    Texts sharing words get realistic cosines in microseconds; ``synonyms`` map a word
    onto another, which the word search alone cannot know. ``encoded`` counts texts.
    """

    def __init__(self, synonyms: dict[str, str] | None = None) -> None:
        self.synonyms = synonyms or {}
        self.encoded = 0

    def encode(self, texts: Sequence[str], max_tokens: int = 128, batch_size: int = 64) -> Any:
        import numpy as np

        self.encoded += len(texts)
        matrix = np.zeros((len(texts), 384), dtype=np.float32)
        for row, written in enumerate(texts):
            for word in re.findall(r"[a-z]+", written.lower())[:max_tokens]:
                matrix[row, zlib.crc32(self.synonyms.get(word, word).encode()) % 384] += 1.0
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
