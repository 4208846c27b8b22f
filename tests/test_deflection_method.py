"""The deflection method's arithmetic, checked against figures worked out by hand."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from analytics.explanation import explain
from analytics.method import (
    INDUSTRY_BENCHMARKS,
    CostPeriod,
    DailyInputs,
    SurveyCounts,
    benchmark_for,
    compute_deflection,
    cost_on,
    estimate_rate,
    group_by_category,
    weekly_series,
    wilson_interval,
)

Z = 1.959963984540054


def wilson_by_hand(x: int, n: int, z: float = Z) -> tuple[float, float]:
    """The Wilson interval in its other textbook form:
    (x + z^2/2 -/+ z * sqrt(x (n - x) / n + z^2 / 4)) / (n + z^2)."""
    spread = z * math.sqrt(x * (n - x) / n + z * z / 4)
    return (x + z * z / 2 - spread) / (n + z * z), (x + z * z / 2 + spread) / (n + z * z)


def row(day: date, category: str | None, visits: int, escalations: int, cost: str) -> DailyInputs:
    return DailyInputs(day, category, visits, escalations, Decimal(cost))


# --- Wilson interval -------------------------------------------------------------------


def test_wilson_81_of_263_matches_published_values_and_closed_formula() -> None:
    low, high = wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=5e-5)
    assert high == pytest.approx(0.3662, abs=5e-5)
    assert (low, high) == pytest.approx(wilson_by_hand(81, 263), rel=1e-12)


@pytest.mark.parametrize(("x", "n"), [(412, 980), (14, 40), (1, 3), (2, 5), (499, 1000)])
def test_wilson_matches_closed_formula(x: int, n: int) -> None:
    assert wilson_interval(x, n) == pytest.approx(wilson_by_hand(x, n), rel=1e-12)


def test_wilson_zero_successes_starts_at_exactly_zero() -> None:
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    # With x = 0 the formula's top end reduces to z^2 / (n + z^2).
    assert high == pytest.approx(Z * Z / (10 + Z * Z), rel=1e-12)


def test_wilson_all_successes_ends_at_exactly_one() -> None:
    low, high = wilson_interval(10, 10)
    assert high == 1.0
    # With x = n the bottom end reduces to n / (n + z^2).
    assert low == pytest.approx(10 / (10 + Z * Z), rel=1e-12)


def test_wilson_single_trial_is_wide_but_inside_unit_interval() -> None:
    assert wilson_interval(1, 1) == pytest.approx((1 / (1 + Z * Z), 1.0))
    assert wilson_interval(0, 1) == pytest.approx((0.0, Z * Z / (1 + Z * Z)))


def test_wilson_contains_the_observed_rate_for_every_small_sample() -> None:
    for n in range(1, 21):
        for x in range(n + 1):
            low, high = wilson_interval(x, n)
            assert 0.0 <= low <= x / n <= high <= 1.0, (x, n)


def test_wilson_with_z_zero_collapses_to_the_observed_rate() -> None:
    assert wilson_interval(3, 12, z=0.0) == pytest.approx((0.25, 0.25))


@pytest.mark.parametrize(("x", "n"), [(0, 0), (1, 0), (-1, 5), (6, 5)])
def test_wilson_rejects_impossible_counts(x: int, n: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(x, n)


# --- effective-dated cost --------------------------------------------------------------

CHANGES = [
    CostPeriod(date(2024, 3, 10), Decimal("30.00")),
    CostPeriod(date(2024, 1, 1), Decimal("20.00")),  # listed out of order on purpose
    CostPeriod(date(2024, 2, 1), Decimal("25.00")),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 12, 31), "15.00"),  # before the first change: the default
        (date(2024, 1, 1), "20.00"),  # a change applies on its own date
        (date(2024, 1, 31), "20.00"),
        (date(2024, 2, 1), "25.00"),
        (date(2024, 3, 9), "25.00"),
        (date(2024, 3, 10), "30.00"),
        (date(2030, 1, 1), "30.00"),  # the latest change stays in force
    ],
)
def test_cost_on_uses_the_latest_change_started_by_that_day(day: date, expected: str) -> None:
    assert cost_on(day, CHANGES, Decimal("15.00")) == Decimal(expected)


def test_cost_on_without_changes_is_the_default() -> None:
    assert cost_on(date(2024, 1, 1), [], Decimal("18.50")) == Decimal("18.50")


def test_cost_on_same_start_later_listed_change_wins() -> None:
    changes = [CostPeriod(date(2024, 1, 1), Decimal("20")), CostPeriod(date(2024, 1, 1), Decimal("22"))]
    assert cost_on(date(2024, 1, 5), changes, Decimal("0")) == Decimal("22")


# --- compute_deflection: a scenario worked by hand -------------------------------------

BILLING_COSTS = [CostPeriod(date(2024, 3, 3), Decimal("25.00"))]  # from 20.00 to 25.00
SETUP_COSTS: list[CostPeriod] = []  # setup always costs 12.50


def scenario_days() -> list[DailyInputs]:
    def billing(day: date, visits: int, escalations: int) -> DailyInputs:
        cost = cost_on(day, BILLING_COSTS, Decimal("20.00"))
        return DailyInputs(day, "billing", visits, escalations, cost)

    def setup(day: date, visits: int, escalations: int) -> DailyInputs:
        cost = cost_on(day, SETUP_COSTS, Decimal("12.50"))
        return DailyInputs(day, "setup", visits, escalations, cost)

    return [
        billing(date(2024, 3, 1), 10, 2),
        billing(date(2024, 3, 2), 6, 0),
        billing(date(2024, 3, 3), 4, 1),  # the new billing cost is in force from today
        setup(date(2024, 3, 1), 8, 1),
        setup(date(2024, 3, 4), 2, 0),
    ]


def test_scenario_every_figure_matches_the_hand_calculation() -> None:
    figures = compute_deflection(scenario_days(), SurveyCounts(responses=40, deflecting=14))

    # V = 10 + 6 + 4 + 8 + 2; r = 14 / 40 = 0.35 (40 >= 30 responses: measured).
    assert figures.self_service_visits == 30
    assert figures.survey_responses == 40
    assert figures.survey_deflecting_responses == 14
    assert figures.deflection_rate == pytest.approx(0.35)
    assert figures.rate_is_assumed is False
    low, high = wilson_by_hand(14, 40)
    assert figures.deflection_rate_low == pytest.approx(low, rel=1e-12)
    assert figures.deflection_rate_high == pytest.approx(high, rel=1e-12)

    # D = 30 x 0.35 = 10.5; E = 2 + 0 + 1 + 1 + 0 = 4; share = 10.5 / 14.5.
    assert figures.estimated_deflected_calls == pytest.approx(10.5)
    assert figures.estimated_deflected_calls_low == pytest.approx(30 * low)
    assert figures.estimated_deflected_calls_high == pytest.approx(30 * high)
    assert figures.escalations == 4
    assert figures.deflection_share == pytest.approx(10.5 / 14.5)
    assert figures.benchmark == "world_class"  # 72.4%

    # S, day by day: 10 x .35 x 20 = 70; 6 x .35 x 20 = 42; 4 x .35 x 25 = 35 (new cost);
    # 8 x .35 x 12.50 = 35; 2 x .35 x 12.50 = 8.75. Total 190.75.
    assert figures.estimated_savings == Decimal("190.75")
    assert str(figures.estimated_savings) == "190.75"
    # The ends use the same sum of visits x cost: 10x20 + 6x20 + 4x25 + 10x12.50 = 545.
    cents = Decimal("0.01")
    assert figures.estimated_savings_low == (Decimal(545) * Decimal(repr(low))).quantize(cents, ROUND_HALF_UP)
    assert figures.estimated_savings_high == (Decimal(545) * Decimal(repr(high))).quantize(
        cents, ROUND_HALF_UP
    )
    assert figures.estimated_savings_low < figures.estimated_savings < figures.estimated_savings_high


def test_savings_follow_the_cost_in_force_not_todays_cost() -> None:
    # Had the new 25.00 billing cost been applied to all 20 billing visits, S would be
    # (20 x 25 + 10 x 12.50) x .35 = 218.75, not 190.75.
    figures = compute_deflection(scenario_days(), SurveyCounts(40, 14))
    assert figures.estimated_savings != Decimal("218.75")
    assert figures.estimated_savings == Decimal("190.75")


def test_categories_computed_apart_add_up_to_the_whole() -> None:
    survey = SurveyCounts(40, 14)
    groups = group_by_category(scenario_days())
    assert set(groups) == {"billing", "setup"}
    billing = compute_deflection(groups["billing"], survey)
    setup = compute_deflection(groups["setup"], survey)
    # billing: (200 + 120 + 100) x .35 = 147; setup: 125 x .35 = 43.75.
    assert billing.estimated_savings == Decimal("147.00")
    assert setup.estimated_savings == Decimal("43.75")
    assert (billing.self_service_visits, setup.self_service_visits) == (20, 10)
    assert (billing.escalations, setup.escalations) == (3, 1)


def test_assumed_rate_used_below_the_minimum_sample() -> None:
    days = [row(date(2024, 5, 6), None, 100, 10, "20.00")]
    figures = compute_deflection(days, SurveyCounts(12, 10), min_sample=30, assumed_rate=0.3)
    assert figures.rate_is_assumed is True
    # The counts are still reported; the measured 10/12 is not used.
    assert (figures.survey_responses, figures.survey_deflecting_responses) == (12, 10)
    assert figures.deflection_rate == figures.deflection_rate_low == 0.3
    assert figures.deflection_rate_high == 0.3
    assert figures.estimated_deflected_calls == pytest.approx(30.0)
    assert figures.estimated_deflected_calls_low == pytest.approx(30.0)
    assert figures.estimated_deflected_calls_high == pytest.approx(30.0)
    # S = 100 x 0.3 x 20 = 600, exactly, at every end.
    assert figures.estimated_savings == Decimal("600.00")
    assert figures.estimated_savings_low == figures.estimated_savings_high == Decimal("600.00")
    assert figures.deflection_share == pytest.approx(30 / 40)


def test_minimum_sample_reached_exactly_measures_the_rate() -> None:
    rate = estimate_rate(SurveyCounts(30, 12), min_sample=30, assumed_rate=0.3)
    assert rate.is_assumed is False
    assert rate.point == Fraction(2, 5)
    assert estimate_rate(SurveyCounts(29, 12), min_sample=30).is_assumed is True


def test_no_responses_is_always_assumed_even_with_minimum_zero() -> None:
    rate = estimate_rate(SurveyCounts(0, 0), min_sample=0, assumed_rate=0.25)
    assert rate.is_assumed is True
    assert rate.point == Fraction(1, 4)


def test_share_is_none_when_nothing_was_deflected_or_escalated() -> None:
    empty = compute_deflection([], SurveyCounts(50, 20))
    assert (empty.self_service_visits, empty.escalations) == (0, 0)
    assert empty.deflection_share is None
    assert empty.benchmark == "no_data"
    assert empty.estimated_savings == Decimal("0.00")
    # Visits but a measured rate of 0 and no escalations: D + E = 0 as well.
    zero_rate = compute_deflection([row(date(2024, 1, 1), None, 5, 0, "20")], SurveyCounts(40, 0))
    assert zero_rate.deflection_share is None
    assert zero_rate.deflection_rate_low == 0.0


def test_share_is_zero_when_only_escalations() -> None:
    figures = compute_deflection([row(date(2024, 1, 1), None, 0, 7, "20")], SurveyCounts(40, 10))
    assert figures.deflection_share == 0.0
    assert figures.benchmark == "below_norm"


def test_savings_round_half_up_to_cents() -> None:
    # r = 10 / 30 = 1/3 exactly; S = 3 x 1/3 x 0.025 = 0.025 -> 0.03 (half up; half even
    # would give 0.02, and dividing 1/3 first would give 0.02499... -> 0.02).
    figures = compute_deflection([row(date(2024, 1, 1), None, 3, 0, "0.025")], SurveyCounts(30, 10))
    assert figures.estimated_savings == Decimal("0.03")
    assert figures.estimated_savings.as_tuple().exponent == -2


def test_savings_rounded_once_at_the_end_not_per_day() -> None:
    # r = 12 / 30 = 0.4; each day 1 x 0.4 x 0.01 = 0.004 (0.00 if rounded per day);
    # the total 0.008 rounds to 0.01.
    days = [row(date(2024, 1, 1), None, 1, 0, "0.01"), row(date(2024, 1, 2), None, 1, 0, "0.01")]
    figures = compute_deflection(days, SurveyCounts(30, 12))
    assert figures.estimated_savings == Decimal("0.01")


@pytest.mark.parametrize(
    ("survey", "days"),
    [
        (SurveyCounts(10, 11), []),
        (SurveyCounts(-1, 0), []),
        (SurveyCounts(40, 10), [DailyInputs(date(2024, 1, 1), None, -1, 0, Decimal("1"))]),
        (SurveyCounts(40, 10), [DailyInputs(date(2024, 1, 1), None, 1, -1, Decimal("1"))]),
        (SurveyCounts(40, 10), [DailyInputs(date(2024, 1, 1), None, 1, 0, Decimal("-1"))]),
        (SurveyCounts(40, 10), [DailyInputs(date(2024, 1, 1), None, 1, 0, Decimal("NaN"))]),
    ],
)
def test_compute_rejects_impossible_inputs(survey: SurveyCounts, days: list[DailyInputs]) -> None:
    with pytest.raises(ValueError):
        compute_deflection(days, survey)


def test_compute_rejects_an_assumed_rate_outside_zero_to_one() -> None:
    with pytest.raises(ValueError):
        compute_deflection([], SurveyCounts(0, 0), assumed_rate=1.5)


# --- benchmarks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "label"),
    [
        (None, "no_data"),
        (0.0, "below_norm"),
        (0.2999, "below_norm"),
        (0.30, "norm"),
        (0.4999, "norm"),
        (0.50, "above_norm"),
        (0.6999, "above_norm"),
        (0.70, "world_class"),
        (0.95, "world_class"),
    ],
)
def test_benchmark_boundaries(share: float | None, label: str) -> None:
    assert benchmark_for(share) == label


def test_industry_benchmarks_carry_the_published_ranges() -> None:
    ranges = {b.key: (b.low, b.high) for b in INDUSTRY_BENCHMARKS}
    assert ranges == {
        "servicexrg_average": (0.23, 0.23),
        "norm": (0.30, 0.50),
        "world_class": (0.70, 0.80),
    }
    assert any("ServiceXRG" in b.label for b in INDUSTRY_BENCHMARKS)


# --- weekly series ---------------------------------------------------------------------


def test_weekly_series_groups_by_iso_week_and_fills_gaps() -> None:
    days = [
        row(date(2024, 3, 4), "billing", 10, 1, "20.00"),  # Monday
        row(date(2024, 3, 10), "setup", 4, 0, "12.50"),  # Sunday, same week
        row(date(2024, 3, 25), None, 2, 3, "25.00"),  # two weeks later
    ]
    points = weekly_series(days, Fraction(7, 20))  # r = 0.35
    assert [p.week_start for p in points] == [
        date(2024, 3, 4),
        date(2024, 3, 11),
        date(2024, 3, 18),
        date(2024, 3, 25),
    ]
    first, gap, _, last = points
    assert first.self_service_visits == 14
    assert first.deflected_calls == pytest.approx(14 * 0.35)
    assert first.escalations == 1
    assert first.savings == Decimal("87.50")  # 10 x .35 x 20 + 4 x .35 x 12.50 = 70 + 17.50
    assert (gap.self_service_visits, gap.escalations, gap.savings) == (0, 0, Decimal("0.00"))
    assert last.savings == Decimal("17.50")  # 2 x .35 x 25
    assert last.escalations == 3


def test_weekly_series_week_starts_on_monday_even_mid_week() -> None:
    points = weekly_series([row(date(2024, 1, 3), None, 1, 0, "10")], 0.5)  # a Wednesday
    assert [p.week_start for p in points] == [date(2024, 1, 1)]
    assert points[0].savings == Decimal("5.00")


def test_weekly_series_of_nothing_is_empty_and_bad_rate_rejected() -> None:
    assert weekly_series([], 0.3) == []
    with pytest.raises(ValueError):
        weekly_series([], 1.2)


# --- explain ---------------------------------------------------------------------------


def test_explain_writes_out_the_measured_calculation() -> None:
    figures = compute_deflection([row(date(2024, 1, 1), None, 1234, 37, "20")], SurveyCounts(980, 412))
    lines = dict(explain(figures, currency="USD"))
    low, high = wilson_by_hand(412, 980)
    assert lines["Self-service visits"].startswith("V = 1,234 ")
    assert lines["Survey"].startswith("412 of 980 responses")
    assert lines["Deflection rate"] == (f"r = 412 / 980 = 42.0% (95% CI {low * 100:.1f}%-{high * 100:.1f}%)")
    # D = 1234 x 412 / 980 = 518.78...
    assert lines["Estimated deflected calls"].startswith("D = V x r = 1,234 x 42.0% = 518.8 (")
    assert lines["Escalations"].startswith("E = 37 ")
    assert "= 93.3%, world class" in lines["Deflection share"]  # 518.78 / 555.78
    # S = 1234 x 412 / 980 x 20 = 10,375.67
    assert "= 10,375.67 USD (95% CI" in lines["Estimated savings"]
    assert "ServiceXRG" in lines["Benchmarks"]


def test_explain_marks_an_assumed_rate_and_shows_no_interval() -> None:
    figures = compute_deflection([row(date(2024, 1, 1), None, 100, 0, "20")], SurveyCounts(5, 4))
    lines = dict(explain(figures, min_sample=30))
    assert lines["Deflection rate"] == (
        "r = 30.0%, an assumed rate: 5 survey responses are below the minimum sample of 30"
    )
    assert "CI" not in lines["Estimated deflected calls"]
    assert "CI" not in lines["Estimated savings"]
    assert lines["Estimated savings"].endswith("= 600.00 USD")


def test_explain_says_when_the_share_is_undefined() -> None:
    lines = dict(explain(compute_deflection([], SurveyCounts(40, 10))))
    assert "not defined" in lines["Deflection share"]
