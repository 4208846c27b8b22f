"""Engine set-up and column types shared by every model.

SQLite runs in WAL mode with a busy timeout so several gunicorn workers can write. Its
default deferred transactions fail at once (``SQLITE_BUSY``) when a reader tries to
become a writer while another worker writes, so requests that change state open their
transaction with ``BEGIN IMMEDIATE``: writers queue on the busy timeout instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import DateTime, event
from sqlalchemy.engine import CursorResult, Dialect, Engine, Result
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Set by code that writes during a read-only request (e.g. recording a thread view).
_write_intent: ContextVar[bool] = ContextVar("peerdesk_write_intent", default=False)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def rows_matched(result: Result[Any]) -> int:
    """How many rows the UPDATE or DELETE that gave ``result`` matched.

    ``Session.execute`` is typed as returning a plain ``Result``; for an UPDATE or DELETE
    without RETURNING it is a ``CursorResult``, which has the count. Raises TypeError for
    any other result (a SELECT has no such count).
    """
    if not isinstance(result, CursorResult):
        raise TypeError(
            f"rows_matched() needs the result of an UPDATE or DELETE, not {type(result).__name__}"
        )
    return result.rowcount


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def mark_write_intent() -> None:
    """Declare that every transaction from now on in this context writes (CLI commands).

    In requests prefer ``write_intent()``, which ends with its block.
    """
    _write_intent.set(True)


@contextmanager
def write_intent() -> Iterator[None]:
    """Transactions begun inside the block write (SQLite: BEGIN IMMEDIATE), e.g. a GET
    request recording a view: commit the read first, then write inside this block."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def reset_write_intent(_exc: BaseException | None = None) -> None:
    """Forget a write intent at the end of a request (worker threads are reused)."""
    _write_intent.set(False)


def _wants_immediate_transaction() -> bool:
    if _write_intent.get():
        return True
    if has_request_context():
        return request.method not in READ_ONLY_METHODS
    return False  # CLI commands that write call mark_write_intent() first


def configure_engine(engine: Engine) -> None:
    """Apply the per-dialect settings Peerdesk relies on."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_on_begin(connection: Any) -> None:
        immediate = _wants_immediate_transaction()
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our column types as plain SQLAlchemy ones so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
