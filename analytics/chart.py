"""The weekly chart, drawn by the server as inline SVG (no script, no library, no CDN).

Bars are estimated deflected calls per week (left axis); the line is estimated savings per
week (right axis). This module only computes coordinates; the template draws them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from analytics.method import WeekPoint

WIDTH, HEIGHT = 1000, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 72, 16, 36
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str
    partial: bool = False


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class WeeklyChart:
    width: int
    height: int
    bars: list[Bar]
    line: str
    dots: list[tuple[float, float, str]]
    left_ticks: list[Tick]
    right_ticks: list[Tick]
    x_labels: list[Tick]
    baseline: float
    plot_left: float
    plot_right: float
    summary: str


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value * (1 - 1e-12):
            return float(candidate)
    return float(10 ** (exponent + 1))


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:,.1f}k".replace(".0k", "k")
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.1f}"


def weekly_chart(weeks: Sequence[WeekPoint], currency: str, first: date, last: date) -> WeeklyChart:
    """Coordinates for ``weeks`` (any number, even none) of the period ``first``..``last``;
    a week cut by the period's ends is labelled by its first day in the period and marked
    partial."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    calls_top = nice_ceiling(max((w.deflected_calls for w in weeks), default=0.0))
    money_top = nice_ceiling(float(max((w.savings for w in weeks), default=Decimal(0))))
    slot = plot_width / max(len(weeks), 1)
    bars, dots, points, labels = [], [], [], []
    label_every = max(1, math.ceil(len(weeks) / 10))
    for index, week in enumerate(weeks):
        x = LEFT + index * slot
        height = plot_height * week.deflected_calls / calls_top
        start = max(week.week_start, first)
        days = (min(week.week_start + timedelta(days=6), last) - start).days + 1
        partial = f" (partial week: {days} day{'' if days == 1 else 's'})" if days < 7 else ""
        day = start.strftime("%d %b %Y")
        bars.append(
            Bar(
                round(x + slot * 0.15, 2),
                round(baseline - height, 2),
                round(slot * 0.7, 2),
                round(height, 2),
                f"Week of {day}{partial}: {week.deflected_calls:,.1f} deflected calls, "
                f"{week.savings:,.2f} {currency} saved, {week.escalations:,} support requests",
                days < 7,
            )
        )
        cx = round(x + slot / 2, 2)
        cy = round(baseline - plot_height * float(week.savings) / money_top, 2)
        points.append(f"{cx},{cy}")
        dots.append((cx, cy, f"Week of {day}: {week.savings:,.2f} {currency}"))
        if index % label_every == 0:
            labels.append(Tick(cx, start.strftime("%d %b").lstrip("0")))
    left = [
        Tick(round(baseline - plot_height * n / TICKS, 2), _number(calls_top * n / TICKS))
        for n in range(TICKS + 1)
    ]
    right = [
        Tick(round(baseline - plot_height * n / TICKS, 2), _number(money_top * n / TICKS))
        for n in range(TICKS + 1)
    ]
    total_calls = sum(w.deflected_calls for w in weeks)
    total_money = sum((w.savings for w in weeks), Decimal(0))
    summary = (
        f"{len(weeks)} weeks: {total_calls:,.1f} estimated deflected calls and "
        f"{total_money:,.2f} {currency} estimated savings"
    )
    return WeeklyChart(
        WIDTH,
        HEIGHT,
        bars,
        " ".join(points),
        dots,
        left,
        right,
        labels,
        baseline,
        LEFT,
        WIDTH - RIGHT,
        summary,
    )
