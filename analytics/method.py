"""The deflection method's arithmetic (PRODUCT.md, "The deflection method").

Pure functions over plain values: no Flask, no database. Queries build the inputs
(one `DailyInputs` row per day, and per category when the report is split, plus the
survey counts); this module turns them into the figures finance sees.

Money is `Decimal` and is computed exactly (through `Fraction`) and rounded to cents,
half up, once at the end. Rates, shares and estimated calls are unrounded floats.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

Z_95 = 1.959963984540054
"""The two-sided 95% quantile of the standard normal distribution."""

DEFAULT_MIN_SAMPLE = 30
DEFAULT_ASSUMED_RATE = 0.3

CENT = Decimal("0.01")


@dataclass(frozen=True)
class BenchmarkRange:
    """An industry figure for the deflection share, as a range of fractions."""

    key: str
    label: str
    low: float
    high: float


INDUSTRY_BENCHMARKS: tuple[BenchmarkRange, ...] = (
    BenchmarkRange(
        "servicexrg_average",
        "about 23% average in ServiceXRG's survey of technology companies",
        0.23,
        0.23,
    ),
    BenchmarkRange("norm", "the norm: 30%-50%", 0.30, 0.50),
    BenchmarkRange("world_class", "world class: 70%-80%", 0.70, 0.80),
)

BENCHMARK_LABELS: dict[str, str] = {
    "no_data": "no deflected calls and no escalations in the period",
    "below_norm": "below the 30%-50% norm",
    "norm": "within the 30%-50% norm",
    "above_norm": "above the norm (50%-70%), short of world class",
    "world_class": "world class (70% and above)",
}
"""The values `DeflectionFigures.benchmark` takes, with words for people."""


@dataclass(frozen=True)
class CostPeriod:
    """A per-call cost that applies from `start` on, until the next change."""

    start: date
    cost: Decimal


@dataclass(frozen=True)
class DailyInputs:
    """The counts for one day (and one category when the report is split by category).

    Rows must partition the visits: a (visitor, day) pair is counted in one row only.
    `cost_per_call` is the cost in force that day for that category (see `cost_on`).
    """

    day: date
    category: str | None
    self_service_visits: int
    escalations: int
    cost_per_call: Decimal


@dataclass(frozen=True)
class SurveyCounts:
    """Survey answers in the period: all responses, and those that count as deflecting
    (solved = yes and would have contacted support = yes)."""

    responses: int
    deflecting: int


@dataclass(frozen=True)
class RateEstimate:
    """The deflection rate used by a report: exact point value, interval ends, and
    whether it was assumed (too few survey responses) rather than measured."""

    point: Fraction
    low: float
    high: float
    is_assumed: bool


@dataclass(frozen=True)
class DeflectionFigures:
    """Every figure of the deflection report; names follow API.md's deflection report."""

    self_service_visits: int
    survey_responses: int
    survey_deflecting_responses: int
    deflection_rate: float
    deflection_rate_low: float
    deflection_rate_high: float
    rate_is_assumed: bool
    estimated_deflected_calls: float
    estimated_deflected_calls_low: float
    estimated_deflected_calls_high: float
    escalations: int
    deflection_share: float | None
    estimated_savings: Decimal
    estimated_savings_low: Decimal
    estimated_savings_high: Decimal
    benchmark: str


@dataclass(frozen=True)
class WeekPoint:
    """One point of the chart over time: an ISO week (starting on Monday)."""

    week_start: date
    self_service_visits: int
    deflected_calls: float
    escalations: int
    savings: Decimal


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval (low, high) for `successes` out of `trials`.

    The default `z` gives the 95% interval. The ends lie in [0, 1]; with 0 successes
    the low end is exactly 0.0 and with `trials` successes the high end is exactly 1.0.
    Raises ValueError when `trials` < 1 (no responses carry no information, so there is
    no interval to give), when `successes` is outside [0, trials], or when `z` < 0.
    """
    if trials < 1:
        raise ValueError("the Wilson interval needs at least one trial")
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and the number of trials")
    if z < 0:
        raise ValueError("z must not be negative")
    n = float(trials)
    p = successes / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half_width = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half_width)
    high = 1.0 if successes == trials else min(1.0, centre + half_width)
    return low, high


def cost_on(day: date, changes: Sequence[CostPeriod], default: Decimal) -> Decimal:
    """Return the per-call cost in force on `day`.

    That is the cost of the latest change whose start is on or before `day` (a change
    applies from its own date on); `default` when no change has started yet. `changes`
    need not be sorted; of two changes with the same start, the later one listed wins.
    """
    in_force: CostPeriod | None = None
    for change in changes:
        if change.start <= day and (in_force is None or change.start >= in_force.start):
            in_force = change
    return default if in_force is None else in_force.cost


def estimate_rate(
    survey: SurveyCounts,
    min_sample: int = DEFAULT_MIN_SAMPLE,
    assumed_rate: float = DEFAULT_ASSUMED_RATE,
) -> RateEstimate:
    """Return the deflection rate a report uses.

    Measured (deflecting / responses, with its 95% Wilson interval) when there are at
    least `min_sample` responses and at least one. Otherwise the configured
    `assumed_rate`, marked as assumed, with low = high = the assumed rate: an assumption
    has no sampling error to show, and an interval around it would look measured.
    Raises ValueError for impossible survey counts or settings.
    """
    _check_survey(survey)
    if min_sample < 0:
        raise ValueError("the minimum sample must not be negative")
    if not 0.0 <= assumed_rate <= 1.0:
        raise ValueError("the assumed rate must be a fraction between 0 and 1")
    if survey.responses < max(min_sample, 1):
        return RateEstimate(_as_fraction(assumed_rate), assumed_rate, assumed_rate, True)
    low, high = wilson_interval(survey.deflecting, survey.responses)
    return RateEstimate(Fraction(survey.deflecting, survey.responses), low, high, False)


def compute_deflection(
    days: Sequence[DailyInputs],
    survey: SurveyCounts,
    min_sample: int = DEFAULT_MIN_SAMPLE,
    assumed_rate: float = DEFAULT_ASSUMED_RATE,
) -> DeflectionFigures:
    """Compute every figure of the deflection report from the daily rows and the survey.

    V = sum of visits; r from `estimate_rate`; D = V x r (and V x low, V x high);
    E = sum of escalations; S = sum over rows of visits x r x cost, exact, rounded half
    up to cents at the end; share = D / (D + E), None when D + E is 0.
    Raises ValueError for negative counts or costs, or impossible survey counts.
    """
    _check_days(days)
    rate = estimate_rate(survey, min_sample, assumed_rate)
    visits = sum(row.self_service_visits for row in days)
    escalations = sum(row.escalations for row in days)
    point = float(rate.point)
    deflected = visits * point
    visit_cost = _visit_cost(days)
    share = None if deflected + escalations == 0 else deflected / (deflected + escalations)
    return DeflectionFigures(
        self_service_visits=visits,
        survey_responses=survey.responses,
        survey_deflecting_responses=survey.deflecting,
        deflection_rate=point,
        deflection_rate_low=rate.low,
        deflection_rate_high=rate.high,
        rate_is_assumed=rate.is_assumed,
        estimated_deflected_calls=deflected,
        estimated_deflected_calls_low=visits * rate.low,
        estimated_deflected_calls_high=visits * rate.high,
        escalations=escalations,
        deflection_share=share,
        estimated_savings=_to_cents(visit_cost * rate.point),
        estimated_savings_low=_to_cents(visit_cost * _as_fraction(rate.low)),
        estimated_savings_high=_to_cents(visit_cost * _as_fraction(rate.high)),
        benchmark=benchmark_for(share),
    )


def benchmark_for(share: float | None) -> str:
    """Place a deflection share against the industry figures.

    Returns "no_data" for None, "below_norm" under 30%, "norm" from 30% to under 50%,
    "above_norm" from 50% to under 70%, and "world_class" from 70% on.
    """
    if share is None:
        return "no_data"
    if share < 0.30:
        return "below_norm"
    if share < 0.50:
        return "norm"
    if share < 0.70:
        return "above_norm"
    return "world_class"


def weekly_series(days: Sequence[DailyInputs], rate: float | Fraction) -> list[WeekPoint]:
    """Return one point per ISO week (Monday start) from the first row's week to the last.

    Weeks in between without rows are included with zeros, so a chart shows the gap.
    Each week's savings are rounded to cents on their own, so the weeks may add up to
    a cent or so away from the report's total. Pass `RateEstimate.point` as `rate` to
    use the exact measured rate. Raises ValueError for a rate outside [0, 1].
    """
    _check_days(days)
    exact_rate = _as_fraction(rate)
    if not 0 <= exact_rate <= 1:
        raise ValueError("the deflection rate must be a fraction between 0 and 1")
    by_week: dict[date, list[DailyInputs]] = defaultdict(list)
    for row in days:
        by_week[_week_start(row.day)].append(row)
    if not by_week:
        return []
    points = []
    week, last = min(by_week), max(by_week)
    while week <= last:
        points.append(_week_point(week, by_week.get(week, []), exact_rate))
        week += timedelta(days=7)
    return points


def group_by_category(days: Sequence[DailyInputs]) -> dict[str | None, list[DailyInputs]]:
    """Split daily rows by category (for the report's breakdown), keeping their order."""
    groups: dict[str | None, list[DailyInputs]] = defaultdict(list)
    for row in days:
        groups[row.category].append(row)
    return dict(groups)


def _week_point(week: date, rows: Sequence[DailyInputs], rate: Fraction) -> WeekPoint:
    visits = sum(row.self_service_visits for row in rows)
    return WeekPoint(
        week_start=week,
        self_service_visits=visits,
        deflected_calls=visits * float(rate),
        escalations=sum(row.escalations for row in rows),
        savings=_to_cents(_visit_cost(rows) * rate),
    )


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _visit_cost(days: Sequence[DailyInputs]) -> Fraction:
    """Sum of visits x cost per call over the rows, exactly.

    Visits are added up per distinct cost first (a year has a handful of costs but
    thousands of rows), so the exact arithmetic runs once per cost, not once per row.
    """
    visits_by_cost: dict[Decimal, int] = defaultdict(int)
    for row in days:
        visits_by_cost[row.cost_per_call] += row.self_service_visits
    return sum((visits * Fraction(cost) for cost, visits in visits_by_cost.items()), Fraction(0))


def _as_fraction(rate: float | Fraction) -> Fraction:
    # A float goes through its shortest repr, so a configured 0.3 is exactly 3/10.
    return rate if isinstance(rate, Fraction) else Fraction(repr(float(rate)))


def _to_cents(amount: Fraction) -> Decimal:
    """Round an exact non-negative amount to cents, half up."""
    cents = math.floor(amount * 100 + Fraction(1, 2))
    return Decimal(cents).scaleb(-2).quantize(CENT)


def _check_survey(survey: SurveyCounts) -> None:
    if survey.responses < 0 or not 0 <= survey.deflecting <= survey.responses:
        raise ValueError("deflecting responses must be between 0 and all responses")


def _check_days(days: Sequence[DailyInputs]) -> None:
    for row in days:
        if row.self_service_visits < 0 or row.escalations < 0:
            raise ValueError(f"negative visits or escalations on {row.day.isoformat()}")
        if not row.cost_per_call.is_finite() or row.cost_per_call < 0:
            raise ValueError(f"invalid cost per call on {row.day.isoformat()}")
