"""The deflection report for a period and an optional category (PRODUCT.md, the method).

The inputs come from the daily roll-ups (``analytics.rollup``) and the cost book
(``analytics.costs``); the arithmetic is ``analytics.method``. A category's report uses
that category's visits, escalations and survey answers alone, so each category row of the
dashboard equals the report filtered to that category.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask import current_app
from sqlalchemy import select

from analytics.costs import CostBook, currency, load_cost_book
from analytics.method import (
    INDUSTRY_BENCHMARKS,
    DailyInputs,
    DeflectionFigures,
    SurveyCounts,
    WeekPoint,
    compute_deflection,
    estimate_rate,
    weekly_series,
)
from analytics.models import NO_CATEGORY
from analytics.rollup import DayRow, daily_rows
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.questions.models import Category

EARLIEST_DAY = date(2000, 1, 1)
MAX_PERIOD_DAYS = 3 * 366
PRESETS: dict[str, tuple[str, int]] = {
    "30d": ("30 days", 30),
    "quarter": ("Quarter", 90),
    "year": ("Year", 365),
}


@dataclass(frozen=True)
class Period:
    """UTC days from ``start`` up to ``end`` (exclusive, as in the API)."""

    start: date
    end: date
    preset: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start, self.preset)


def preset_period(preset: str, today: date) -> Period:
    """The last 30, 90 or 365 days up to and including ``today``."""
    length = PRESETS[preset][1]
    end = today + timedelta(days=1)
    return Period(end - timedelta(days=length), end, preset)


def checked_period(start: date, end: date, preset: str = "custom") -> Period:
    """A period, or ValidationFailed naming ``from``/``to`` when it is empty, reversed or too long."""
    if start < EARLIEST_DAY:
        raise ValidationFailed("Choose a start date from 2000 on.", {"from": "From 2000-01-01 on."})
    if end <= start:
        raise ValidationFailed("The end date must come after the start date.", {"to": "Must be after from."})
    if (end - start).days > MAX_PERIOD_DAYS:
        problem = f"A report covers at most {MAX_PERIOD_DAYS} days."
        raise ValidationFailed(problem, {"to": problem})
    return Period(start, end, preset)


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationFailed(
            f"{name} must be a date such as 2025-01-31.", {name: "Use YYYY-MM-DD."}
        ) from exc


def find_category(slug: str | None) -> Category | None:
    """The category named by ``slug`` (None for all); ValidationFailed when unknown."""
    if not slug:
        return None
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise ValidationFailed("There is no such category.", {"category": "Unknown category."})
    return category


@dataclass(frozen=True)
class CostUse:
    """A cost as it was applied in the report: to which visits, on which days."""

    category: str | None
    cost: Decimal
    first_day: date
    last_day: date
    self_service_visits: int


@dataclass
class DeflectionReport:
    period: Period
    category: Category | None
    figures: DeflectionFigures
    rows: list[DayRow]
    inputs: list[DailyInputs]
    rate: Fraction
    currency: str
    min_sample: int
    assumed_rate: float
    category_names: dict[str, str] = field(default_factory=dict)  # slug -> name

    @property
    def survey(self) -> SurveyCounts:
        return SurveyCounts(self.figures.survey_responses, self.figures.survey_deflecting_responses)

    def weeks(self) -> list[WeekPoint]:
        """The weekly series over the whole period (empty weeks included)."""
        edges = [
            DailyInputs(day, None, 0, 0, Decimal(0)) for day in (self.period.start, self.period.last_day)
        ]
        return weekly_series([*edges, *self.inputs], self.rate)

    def costs_used(self) -> list[CostUse]:
        """Each cost applied, per category: runs of days with the same cost, and their visits."""
        uses: list[CostUse] = []
        rows = sorted(
            (r for r in self.inputs if r.self_service_visits), key=lambda r: (r.category or "", r.day)
        )
        for row in rows:
            last = uses[-1] if uses else None
            if last is not None and (last.category, last.cost) == (row.category, row.cost_per_call):
                uses[-1] = CostUse(
                    row.category,
                    row.cost_per_call,
                    last.first_day,
                    row.day,
                    last.self_service_visits + row.self_service_visits,
                )
            else:
                uses.append(
                    CostUse(row.category, row.cost_per_call, row.day, row.day, row.self_service_visits)
                )
        return uses

    def api_json(self) -> dict[str, Any]:
        """API.md's deflection report object (money as decimal strings), plus the inputs used."""
        f = self.figures
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "category": None if self.category is None else self.category.slug,
            "self_service_visits": f.self_service_visits,
            "survey_responses": f.survey_responses,
            "survey_deflecting_responses": f.survey_deflecting_responses,
            "deflection_rate": f.deflection_rate,
            "deflection_rate_low": f.deflection_rate_low,
            "deflection_rate_high": f.deflection_rate_high,
            "rate_is_assumed": f.rate_is_assumed,
            "min_sample": self.min_sample,
            "assumed_rate": self.assumed_rate,
            "estimated_deflected_calls": f.estimated_deflected_calls,
            "estimated_deflected_calls_low": f.estimated_deflected_calls_low,
            "estimated_deflected_calls_high": f.estimated_deflected_calls_high,
            "escalations": f.escalations,
            "deflection_share": f.deflection_share,
            "benchmark": f.benchmark,
            "benchmarks": [
                {"key": b.key, "label": b.label, "low": b.low, "high": b.high} for b in INDUSTRY_BENCHMARKS
            ],
            "estimated_savings": str(f.estimated_savings),
            "estimated_savings_low": str(f.estimated_savings_low),
            "estimated_savings_high": str(f.estimated_savings_high),
            "currency": self.currency,
            "costs": [
                {
                    "category": use.category,
                    "cost_per_call": str(use.cost),
                    "from": use.first_day.isoformat(),
                    "to": (use.last_day + timedelta(days=1)).isoformat(),
                    "self_service_visits": use.self_service_visits,
                }
                for use in self.costs_used()
            ],
        }


def build_report(
    period: Period, category: Category | None, now: datetime, book: CostBook | None = None
) -> DeflectionReport:
    """The report of ``period`` (and ``category``), right up to ``now``."""
    rows = daily_rows(period.start, period.end, now, None if category is None else category.id)
    return report_from_rows(period, category, rows, book or load_cost_book())


def report_from_rows(
    period: Period, category: Category | None, rows: list[DayRow], book: CostBook
) -> DeflectionReport:
    """Apply the costs and the method to roll-up rows already loaded."""
    config = current_app.config
    min_sample, assumed_rate = int(config["ANALYTICS_MIN_SAMPLE"]), float(config["ANALYTICS_ASSUMED_RATE"])
    known = db.session.execute(select(Category.id, Category.slug, Category.name)).all()
    slugs = {category_id: slug for category_id, slug, _ in known}
    names = {slug: name for _, slug, name in known}
    inputs = [
        DailyInputs(
            row.day,
            slugs.get(row.category_key),
            row.self_service_visits,
            row.escalations,
            book.cost_on(row.day, None if row.category_key == NO_CATEGORY else row.category_key),
        )
        for row in rows
    ]
    survey = SurveyCounts(sum(r.survey_responses for r in rows), sum(r.survey_deflecting for r in rows))
    figures = compute_deflection(inputs, survey, min_sample, assumed_rate)
    rate = estimate_rate(survey, min_sample, assumed_rate).point
    return DeflectionReport(
        period, category, figures, rows, inputs, rate, currency(), min_sample, assumed_rate, names
    )


def category_reports(
    report: DeflectionReport, book: CostBook
) -> list[tuple[Category | None, DeflectionReport]]:
    """One report per category present in ``report``'s rows (and None for requests without
    one), each with its own survey answers; ordered by estimated savings, then escalations."""
    by_key: dict[int, list[DayRow]] = defaultdict(list)
    for row in report.rows:
        by_key[row.category_key].append(row)
    categories = {c.id: c for c in db.session.scalars(select(Category))}
    reports = []
    for key, rows in by_key.items():
        category = categories.get(key)
        reports.append((category, report_from_rows(report.period, category, rows, book)))
    reports.sort(key=lambda item: (-item[1].figures.estimated_savings, -item[1].figures.escalations))
    return reports
