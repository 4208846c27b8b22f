"""The daily series behind a report: the CSV export and its columns.

One row per day of the period (days without activity included). Money and estimated calls
are allocated to the days by the largest-remainder method, so the columns add up exactly
to the report's totals (a day's amount may differ from its own rounding by a cent).
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from analytics.costs import CostBook
from analytics.method import CENT
from analytics.report import DeflectionReport

CSV_HEADER = (
    "date",
    "self_service_visits",
    "survey_responses",
    "survey_deflecting_responses",
    "deflection_rate",
    "rate_is_assumed",
    "estimated_deflected_calls",
    "escalations",
    "cost_per_call",
    "estimated_savings",
    "currency",
)
CALLS_PLACES = 4


@dataclass(frozen=True)
class SeriesDay:
    day: date
    self_service_visits: int
    survey_responses: int
    survey_deflecting: int
    escalations: int
    cost_per_call: Decimal
    deflected_calls: Decimal
    savings: Decimal


def allocate(exact: Sequence[Fraction], total_units: int) -> list[int]:
    """Whole units per item that add up to ``total_units``, each the floor of its exact
    value or one more (the items with the largest remainders get the extra units).
    ``total_units`` must lie between the sum of the floors and that sum plus the count."""
    floors = [math.floor(value) for value in exact]
    extra = total_units - sum(floors)
    if not 0 <= extra <= len(exact):
        raise ValueError("the total cannot be allocated to these values")
    order = sorted(range(len(exact)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)
    for index in order[:extra]:
        floors[index] += 1
    return floors


def daily_series(report: DeflectionReport, book: CostBook) -> list[SeriesDay]:
    """Every day of the report's period with its figures; the columns sum to the report's."""
    category_id = None if report.category is None else report.category.id
    days: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    visit_cost: dict[date, Fraction] = defaultdict(Fraction)
    for row, inputs in zip(report.rows, report.inputs, strict=True):
        counts = days[row.day]
        counts["visits"] += row.self_service_visits
        counts["responses"] += row.survey_responses
        counts["deflecting"] += row.survey_deflecting
        counts["escalations"] += row.escalations
        visit_cost[row.day] += row.self_service_visits * Fraction(inputs.cost_per_call)
    calendar = [report.period.start + timedelta(days=n) for n in range(report.period.days)]
    rate = report.rate
    exact_calls = [days[d]["visits"] * rate * 10**CALLS_PLACES for d in calendar]
    calls = allocate(exact_calls, math.floor(sum(exact_calls, Fraction(0)) + Fraction(1, 2)))
    cents = allocate(
        [visit_cost[d] * rate * 100 for d in calendar], int(report.figures.estimated_savings * 100)
    )
    series = []
    for day, call_units, cent_units in zip(calendar, calls, cents, strict=True):
        counts = days[day]
        visits = counts["visits"]
        cost = (
            Decimal(visit_cost[day].numerator) / Decimal(visit_cost[day].denominator) / visits
            if visits
            else book.cost_on(day, category_id)
        )
        series.append(
            SeriesDay(
                day,
                visits,
                counts["responses"],
                counts["deflecting"],
                counts["escalations"],
                cost.quantize(CENT),
                Decimal(call_units).scaleb(-CALLS_PLACES),
                Decimal(cent_units).scaleb(-2),
            )
        )
    return series


def series_csv(report: DeflectionReport, book: CostBook) -> str:
    """The daily series as CSV: a header row, ISO dates, plain decimals (no symbols or
    thousands separators). ``cost_per_call`` is the cost in force that day, the
    visit-weighted average when categories have their own costs."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    rate = f"{float(report.rate):.6f}"
    assumed = "true" if report.figures.rate_is_assumed else "false"
    for day in daily_series(report, book):
        writer.writerow(
            (
                day.day.isoformat(),
                day.self_service_visits,
                day.survey_responses,
                day.survey_deflecting,
                rate,
                assumed,
                f"{day.deflected_calls:.{CALLS_PLACES}f}",
                day.escalations,
                f"{day.cost_per_call:.2f}",
                f"{day.savings:.2f}",
                report.currency,
            )
        )
    return out.getvalue()
