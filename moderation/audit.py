"""The audit log: one append-only entry per privileged action.

``forum.audit.record_privileged_action`` sends ``forum.signals.privileged_action``; the
receiver here adds exactly one ``AuditEntry`` to the caller's transaction. Entries can be
read and filtered, never changed or deleted: mapper events refuse ORM updates and deletes,
a ``before_flush`` check refuses them before any SQL runs, and ``do_orm_execute`` refuses
bulk ``update(AuditEntry)`` / ``delete(AuditEntry)`` statements.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Select, event, select
from sqlalchemy.orm import ORMExecuteState, Session

from forum.accounts.models import User
from forum.extensions import db
from moderation.models import AuditEntry

CSV_COLUMNS = (
    "id",
    "at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "details",
    "address",
)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


def _jsonable(value: Any) -> Any:
    """``value`` as plain JSON (datetimes and other objects become strings)."""
    return json.loads(json.dumps(value, default=str))


def record_entry(
    _sender: Any = None,
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: int | None,
    before: Any = None,
    after: Any = None,
    details: dict[str, Any] | None = None,
    address: str | None = None,
    **_extra: Any,
) -> AuditEntry:
    """Receiver of ``privileged_action``: add one entry to the current transaction."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        actor_id=actor.id if is_person else None,
        actor_name=actor.username if is_person else None,
        action=action[:60],
        target_type=target_type[:30],
        target_id=target_id,
        before=_jsonable(before),
        after=_jsonable(after),
        details=_jsonable(details or {}),
        address=(address or None) and address[:45],
    )
    db.session.add(entry)
    return entry


# Append-only enforcement --------------------------------------------------------------------


def _refuse_change(_mapper: Any, _connection: Any, target: AuditEntry) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed or deleted")


def _refuse_in_flush(session: Session, _context: Any, _instances: Any) -> None:
    for instance in session.deleted:
        if isinstance(instance, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries cannot be deleted")
    for instance in session.dirty:
        if isinstance(instance, AuditEntry) and session.is_modified(instance):
            raise AuditLogIsAppendOnly("audit entries cannot be changed")


def _refuse_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ is AuditEntry:
        raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


_GUARDS_INSTALLED = False


def install_append_only_guards() -> None:
    """Listen for changes to audit entries on every session (idempotent)."""
    global _GUARDS_INSTALLED
    if _GUARDS_INSTALLED:
        return
    event.listen(AuditEntry, "before_update", _refuse_change)
    event.listen(AuditEntry, "before_delete", _refuse_change)
    event.listen(Session, "before_flush", _refuse_in_flush)
    event.listen(Session, "do_orm_execute", _refuse_bulk)
    _GUARDS_INSTALLED = True


# Reading ---------------------------------------------------------------------------------------


@dataclass
class AuditFilters:
    """What the audit page, CSV export and API filter by (all optional)."""

    actor: str = ""
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    start: date | None = None
    end: date | None = None  # exclusive

    def as_args(self) -> dict[str, str]:
        args = {
            "actor": self.actor,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": "" if self.target_id is None else str(self.target_id),
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
        }
        return {key: value for key, value in args.items() if value}


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def audit_entries(filters: AuditFilters) -> Select[AuditEntry]:
    """Entries matching ``filters``, newest first."""
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if filters.actor:
        actor_ids = select(User.id).where(User.username_key == filters.actor.strip().lower())
        statement = statement.where(AuditEntry.actor_id.in_(actor_ids))
    if filters.action:
        statement = statement.where(AuditEntry.action.startswith(filters.action.strip(), autoescape=True))
    if filters.target_type:
        statement = statement.where(AuditEntry.target_type == filters.target_type)
    if filters.target_id is not None:
        statement = statement.where(AuditEntry.target_id == filters.target_id)
    if filters.start:
        statement = statement.where(AuditEntry.at >= _day_start(filters.start))
    if filters.end:
        statement = statement.where(AuditEntry.at < _day_start(filters.end))
    return statement


def known_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def entry_object(entry: AuditEntry) -> dict[str, Any]:
    """The API's audit entry: ``actor, action, target_type, target_id, at, details`` and more."""
    return {
        "id": entry.id,
        "actor": {"id": entry.actor_id, "username": entry.actor_name} if entry.actor_id else None,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "at": entry.at.astimezone(UTC).isoformat(),
        "before": entry.before,
        "after": entry.after,
        "details": entry.details or {},
        "address": entry.address,
    }


def _csv_cell(value: Any) -> str:
    """A cell spreadsheets will not run as a formula (=, +, -, @ are prefixed with ')."""
    text = value if isinstance(value, str) else ("" if value is None else json.dumps(value, default=str))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def entries_csv(entries: Iterable[AuditEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = entry_object(entry)
        writer.writerow(
            [
                _csv_cell(value)
                for value in (
                    row["id"],
                    row["at"],
                    entry.actor_name or "system",
                    row["action"],
                    row["target_type"],
                    row["target_id"],
                    row["before"],
                    row["after"],
                    row["details"],
                    row["address"],
                )
            ]
        )
    return buffer.getvalue()


def entries_for(filters: AuditFilters, limit: int) -> list[AuditEntry]:
    return list(db.session.scalars(audit_entries(filters).limit(limit)))
