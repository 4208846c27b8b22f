"""The cost of a support call: effective-dated, with optional per-category costs.

A change applies from its date on; the days before keep the cost they had. Changes may
not start in the past (``today`` is the UTC day the admin makes the change), so a report
on a closed period never changes because of a later change of mind. Of two changes with
the same date and scope, the later one wins. Every change goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from sqlalchemy import select

from analytics.method import CENT, CostPeriod, cost_on
from analytics.models import CallCost
from forum.audit import record_privileged_action
from forum.database import utcnow
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.questions.models import Category

MAX_COST = Decimal("100000.00")


def default_cost() -> Decimal:
    """The configured cost before any change (``ANALYTICS_DEFAULT_CALL_COST``, 25.00)."""
    return Decimal(str(current_app.config["ANALYTICS_DEFAULT_CALL_COST"])).quantize(CENT)


def currency() -> str:
    return str(current_app.config["ANALYTICS_CURRENCY"])


def parse_amount(text: str) -> Decimal:
    """A cost typed by an admin ("27.5", "1,250.00") as cents; ValidationFailed if it is not one."""
    cleaned = text.strip().replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationFailed(
            "Enter an amount such as 25.00.", {"amount": "Enter an amount such as 25.00."}
        ) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_COST or amount != amount.quantize(CENT):
        problem = f"Enter an amount from 0.00 to {MAX_COST:,.2f}, in whole cents."
        raise ValidationFailed(problem, {"amount": problem})
    return amount.quantize(CENT)


@dataclass(frozen=True)
class CostBook:
    """Every cost change, ready to answer "what did a call cost on this day, in this category"."""

    default: Decimal
    general: tuple[CostPeriod, ...]
    by_category: dict[int, tuple[tuple[date, Decimal | None], ...]]

    def cost_on(self, day: date, category_id: int | None) -> Decimal:
        """The cost in force on ``day`` for ``category_id`` (its own cost, else the general one)."""
        if category_id is not None:
            own: Decimal | None = None
            found = False
            for start, amount in self.by_category.get(category_id, ()):
                if start <= day:  # rows are in (date, id) order: the last match wins
                    own, found = amount, True
            if found and own is not None:
                return own
        return cost_on(day, self.general, self.default)


def load_cost_book() -> CostBook:
    """Read every change (a small table) into a ``CostBook``."""
    rows = db.session.scalars(select(CallCost).order_by(CallCost.effective_from, CallCost.id)).all()
    general = tuple(
        CostPeriod(r.effective_from, _money(r.amount_cents)) for r in rows if r.category_id is None
    )
    by_category: dict[int, list[tuple[date, Decimal | None]]] = {}
    for r in rows:
        if r.category_id is not None:
            amount = None if r.amount_cents is None else _money(r.amount_cents)
            by_category.setdefault(r.category_id, []).append((r.effective_from, amount))
    return CostBook(default_cost(), general, {key: tuple(value) for key, value in by_category.items()})


def change_call_cost(
    actor: Any,
    amount: Decimal | None,
    effective_from: date,
    category: Category | None = None,
    note: str = "",
    today: date | None = None,
) -> CallCost:
    """Schedule a new cost from ``effective_from`` on (flushes; the caller commits).

    ``amount`` None is allowed for a category only: it returns to the general cost.
    Raises ValidationFailed for a date before ``today`` (the UTC day by default) or a bad
    amount. Sends the change to the audit log with the cost it replaces on that date.
    """
    today = today or utcnow().date()
    if effective_from < today:
        problem = "A change applies from today or a later date; past days keep the cost they had."
        raise ValidationFailed(problem, {"effective_from": problem})
    if amount is None and category is None:
        raise ValidationFailed("Enter the cost of a call.", {"amount": "Enter the cost of a call."})
    if amount is not None and (amount < 0 or amount > MAX_COST or amount != amount.quantize(CENT)):
        raise ValidationFailed("That amount is not a cost.", {"amount": "Enter an amount in whole cents."})
    category_id = None if category is None else category.id
    before = load_cost_book().cost_on(effective_from, category_id)
    change = CallCost(
        category_id=category_id,
        effective_from=effective_from,
        amount_cents=None if amount is None else int(amount * 100),
        note=note.strip()[:200],
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(change)
    db.session.flush()
    record_privileged_action(
        actor,
        "call_cost.change",
        "call_cost",
        change.id,
        before={"cost": str(before), "currency": currency()},
        after={"cost": None if amount is None else str(amount), "currency": currency()},
        details={
            "effective_from": effective_from.isoformat(),
            "category": None if category is None else category.slug,
            "note": change.note,
        },
    )
    return change


def cost_history() -> list[CallCost]:
    """Every change, newest first (for the costs page)."""
    return list(
        db.session.scalars(select(CallCost).order_by(CallCost.effective_from.desc(), CallCost.id.desc()))
    )


def _money(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(CENT)
