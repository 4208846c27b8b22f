"""Everything the finance dashboard shows, assembled from the report and its neighbours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from analytics.chart import WeeklyChart, weekly_chart
from analytics.costs import load_cost_book
from analytics.explanation import explain
from analytics.insights import (
    ThreadLine,
    TopicLine,
    thread_totals,
    threads_ending_in_support,
    top_deflecting_threads,
    topics_ending_in_support,
)
from analytics.method import BENCHMARK_LABELS, INDUSTRY_BENCHMARKS, BenchmarkRange
from analytics.report import (
    PRESETS,
    DeflectionReport,
    Period,
    build_report,
    category_reports,
    checked_period,
    find_category,
    parse_day,
    preset_period,
)
from forum.errors import ValidationFailed
from forum.questions.models import Category


@dataclass(frozen=True)
class Comparison:
    label: str
    current: str
    previous: str
    change: str
    direction: str  # "up", "down" or "same"


@dataclass
class Dashboard:
    report: DeflectionReport
    previous: DeflectionReport
    comparisons: list[Comparison]
    categories: list[tuple[Category | None, DeflectionReport]]
    chart: WeeklyChart
    calculation: list[tuple[str, str]]
    top_threads: list[ThreadLine]
    support_threads: list[ThreadLine]
    support_topics: list[TopicLine]
    benchmarks: tuple[BenchmarkRange, ...]
    benchmark_label: str


def dashboard_filters(args: Mapping[str, str], today: date) -> tuple[Period, Category | None, list[str]]:
    """The period and category asked for in the query string, with problems for people.

    ``period`` is a preset (30d, quarter, year) or ``custom`` with ``from`` and ``through``
    (both inclusive, as people read dates). Bad values fall back to the last 30 days and
    all categories, and say why.
    """
    problems: list[str] = []
    preset = args.get("period", "30d")
    if args.get("from") or args.get("through"):
        preset = "custom"  # dates typed in the filter bar win over the preset tab
    period = preset_period("30d", today)
    if preset in PRESETS:
        period = preset_period(preset, today)
    elif preset == "custom":
        try:
            start = parse_day(args.get("from", ""), "from")
            through = parse_day(args.get("through", ""), "through")
            period = checked_period(start, through.fromordinal(through.toordinal() + 1), "custom")
        except ValidationFailed as error:
            problems.append(f"Those dates do not make a period: {error.message} Showing the last 30 days.")
    category = None
    try:
        category = find_category(args.get("category") or None)
    except ValidationFailed:
        problems.append("That category does not exist; showing all categories.")
    return period, category, problems


def build_dashboard(period: Period, category: Category | None, now: datetime) -> Dashboard:
    """The report, the previous period's, the breakdowns and the insights."""
    book = load_cost_book()
    report = build_report(period, category, now, book)
    previous = build_report(period.previous(), category, now, book)
    figures = report.figures
    totals = thread_totals(report, now)
    return Dashboard(
        report=report,
        previous=previous,
        comparisons=compare(report, previous),
        categories=category_reports(report, book),
        chart=weekly_chart(report.weeks(), report.currency, period.start, period.last_day),
        calculation=explain(figures, report.currency, report.min_sample),
        top_threads=top_deflecting_threads(report, book, now, totals),
        support_threads=threads_ending_in_support(totals),
        support_topics=topics_ending_in_support(report),
        benchmarks=INDUSTRY_BENCHMARKS,
        benchmark_label=BENCHMARK_LABELS[figures.benchmark],
    )


def compare(report: DeflectionReport, previous: DeflectionReport) -> list[Comparison]:
    """This period against the previous one, figure by figure."""
    now, before, currency = report.figures, previous.figures, report.currency
    return [
        _money("Estimated savings", now.estimated_savings, before.estimated_savings, currency),
        _count(
            "Estimated deflected calls", now.estimated_deflected_calls, before.estimated_deflected_calls, 1
        ),
        _share("Deflection share", now.deflection_share, before.deflection_share),
        _share("Deflection rate", now.deflection_rate, before.deflection_rate),
        _count("Self-service visits", now.self_service_visits, before.self_service_visits),
        _count("Escalations (support requests)", now.escalations, before.escalations),
        _count("Survey responses", now.survey_responses, before.survey_responses),
    ]


def _direction(current: float, previous: float) -> str:
    return "same" if current == previous else ("up" if current > previous else "down")


def _percent_change(current: float, previous: float) -> str:
    if previous == 0:
        return "new" if current else "no change"
    change = (current - previous) / previous * 100
    return f"{change:+,.1f}%"


def _money(label: str, current: Decimal, previous: Decimal, currency: str) -> Comparison:
    return Comparison(
        label,
        f"{current:,.2f} {currency}",
        f"{previous:,.2f} {currency}",
        _percent_change(float(current), float(previous)),
        _direction(float(current), float(previous)),
    )


def _count(label: str, current: float, previous: float, places: int = 0) -> Comparison:
    return Comparison(
        label,
        f"{current:,.{places}f}",
        f"{previous:,.{places}f}",
        _percent_change(current, previous),
        _direction(current, previous),
    )


def _share(label: str, current: float | None, previous: float | None) -> Comparison:
    if current is None or previous is None:
        shown = ["-" if value is None else f"{value * 100:.1f}%" for value in (current, previous)]
        return Comparison(label, shown[0], shown[1], "-", "same")
    points = (current - previous) * 100
    return Comparison(
        label,
        f"{current * 100:.1f}%",
        f"{previous * 100:.1f}%",
        f"{points:+.1f} pts",
        _direction(current, previous),
    )
