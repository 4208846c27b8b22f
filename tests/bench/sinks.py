"""Where the corpus goes: batched inserts into SQLite, ``COPY`` into PostgreSQL.

Each sink takes chunks of rows (table name -> list of dicts, in ``LOAD_ORDER``) and, at the
end, the accepted answers (the question and answer rows point at each other, so those are
set once both are in) and the tag counts. ``SinkWriter`` feeds one sink from a thread so
that generating rows, SQLite and PostgreSQL work at the same time.
"""

from __future__ import annotations

import queue
import re
import threading
from typing import Any

from sqlalchemy import Table, create_engine, insert, text

from forum.accounts.models import User
from forum.questions.models import Answer, Category, Comment, Question, Tag, Vote, question_tags

TABLES: dict[str, Table] = {
    "users": User.__table__,  # type: ignore[dict-item]
    "categories": Category.__table__,  # type: ignore[dict-item]
    "tags": Tag.__table__,  # type: ignore[dict-item]
    "questions": Question.__table__,  # type: ignore[dict-item]
    "answers": Answer.__table__,  # type: ignore[dict-item]
    "question_tags": question_tags,
    "comments": Comment.__table__,  # type: ignore[dict-item]
    "votes": Vote.__table__,  # type: ignore[dict-item]
}
LOAD_ORDER = tuple(TABLES)
Rows = dict[str, list[dict[str, Any]]]


class SqliteSink:
    """Batched executemany inserts through SQLAlchemy Core into a SQLite file."""

    name = "sqlite"

    def __init__(self, url: str, batch: int = 10_000) -> None:
        self.engine = create_engine(url)
        self.connection = self.engine.connect()
        self.connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        self.connection.exec_driver_sql("PRAGMA synchronous=OFF")
        self.connection.exec_driver_sql("PRAGMA cache_size=-200000")
        self.connection.commit()
        self.batch = batch

    def write(self, rows: Rows) -> None:
        for name in LOAD_ORDER:
            table_rows = rows.get(name) or []
            for start in range(0, len(table_rows), self.batch):
                self.connection.execute(insert(TABLES[name]), table_rows[start : start + self.batch])
        self.connection.commit()

    def category_ids(self) -> list[int]:
        ids = list(self.connection.scalars(text("SELECT id FROM categories ORDER BY position, id")))
        self.connection.commit()
        return ids

    def finish(self, accepted: list[tuple[int, int]]) -> None:
        self.connection.exec_driver_sql("CREATE TEMP TABLE accepted (qid INTEGER PRIMARY KEY, aid INTEGER)")
        self.connection.exec_driver_sql("INSERT INTO accepted VALUES (?, ?)", accepted)
        self.connection.exec_driver_sql(
            "UPDATE questions SET accepted_answer_id = "
            "(SELECT aid FROM accepted WHERE qid = questions.id) WHERE id IN (SELECT qid FROM accepted)"
        )
        self.connection.exec_driver_sql(_TAG_COUNTS)
        self.connection.commit()
        self.connection.exec_driver_sql("ANALYZE")
        self.connection.commit()
        self.connection.close()
        self.engine.dispose()


class PostgresSink:
    """``COPY ... FROM STDIN`` per table through psycopg."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        plain = re.sub(r"^postgresql\+psycopg://", "postgresql://", url)
        self.connection = psycopg.connect(plain)
        self.connection.execute("SET TIME ZONE 'UTC'")
        self.connection.commit()
        try:  # skip the per-row foreign-key triggers: the rows are consistent by construction
            self.connection.execute("SET session_replication_role = replica")
            self.connection.commit()
        except psycopg.Error:  # not a superuser: the checks run, the load is just slower
            self.connection.rollback()

    def write(self, rows: Rows) -> None:
        with self.connection.cursor() as cursor:
            for name in LOAD_ORDER:
                table_rows = rows.get(name) or []
                if not table_rows:
                    continue
                columns = list(table_rows[0])
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in table_rows:
                        copy.write_row([row[column] for column in columns])
        self.connection.commit()

    def category_ids(self) -> list[int]:
        return [row[0] for row in self.connection.execute("SELECT id FROM categories ORDER BY position, id")]

    def finish(self, accepted: list[tuple[int, int]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE accepted (qid integer PRIMARY KEY, aid integer)")
            with cursor.copy("COPY accepted (qid, aid) FROM STDIN") as copy:
                for pair in accepted:
                    copy.write_row(pair)
            cursor.execute(
                "UPDATE questions SET accepted_answer_id = accepted.aid FROM accepted WHERE questions.id = accepted.qid"
            )
            cursor.execute(_TAG_COUNTS)
            for name in ("users", "categories", "tags", "questions", "answers", "comments", "votes"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                )
        self.connection.commit()
        self.connection.autocommit = True
        self.connection.execute("SET session_replication_role = DEFAULT")
        self.connection.execute("VACUUM ANALYZE")
        self.connection.close()


_TAG_COUNTS = "UPDATE tags SET question_count = (SELECT count(*) FROM question_tags WHERE question_tags.tag_id = tags.id)"


class SinkWriter(threading.Thread):
    """Writes chunks to one sink from a queue, so that generating, SQLite and PostgreSQL overlap."""

    def __init__(self, sink: Any) -> None:
        super().__init__(name=f"corpus-{sink.name}", daemon=True)
        self.sink = sink
        self.queue: queue.Queue[Rows | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        while (rows := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.sink.write(rows)
                except BaseException as error:  # reported by put() and close()
                    self.error = error

    def put(self, rows: Rows) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(rows)

    def close(self) -> None:
        self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error
