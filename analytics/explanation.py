"""The deflection calculation written out in words, for the dashboard's "how this is
calculated" panel (the arithmetic itself is in ``method.py``)."""

from __future__ import annotations

from analytics.method import BENCHMARK_LABELS, INDUSTRY_BENCHMARKS, DeflectionFigures


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def explain(
    figures: DeflectionFigures, currency: str = "USD", min_sample: int | None = None
) -> list[tuple[str, str]]:
    """Return the calculation written out as (label, line) pairs, in reading order,
    for the dashboard's "how this is calculated" panel."""
    return [
        ("Self-service visits", _visits_line(figures)),
        ("Survey", _survey_line(figures)),
        ("Deflection rate", _rate_line(figures, min_sample)),
        ("Estimated deflected calls", _calls_line(figures)),
        ("Escalations", f"E = {figures.escalations:,} support requests submitted through the forum"),
        ("Deflection share", _share_line(figures)),
        ("Estimated savings", _savings_line(figures, currency)),
        ("Benchmarks", "; ".join(b.label for b in INDUSTRY_BENCHMARKS)),
    ]


def _visits_line(figures: DeflectionFigures) -> str:
    return (
        f"V = {figures.self_service_visits:,} distinct (visitor, day) pairs that viewed "
        "an answered thread and did not contact support that day"
    )


def _survey_line(figures: DeflectionFigures) -> str:
    return (
        f"{figures.survey_deflecting_responses:,} of {figures.survey_responses:,} "
        "responses: the answer solved the problem and they would have contacted "
        "support otherwise"
    )


def _rate_line(figures: DeflectionFigures, min_sample: int | None) -> str:
    rate = _percent(figures.deflection_rate)
    if figures.rate_is_assumed:
        minimum = "" if min_sample is None else f" of {min_sample:,}"
        return (
            f"r = {rate}, an assumed rate: {figures.survey_responses:,} survey responses "
            f"are below the minimum sample{minimum}"
        )
    return (
        f"r = {figures.survey_deflecting_responses:,} / {figures.survey_responses:,} = "
        f"{rate} (95% CI {_percent(figures.deflection_rate_low)}-"
        f"{_percent(figures.deflection_rate_high)})"
    )


def _calls_line(figures: DeflectionFigures) -> str:
    line = (
        f"D = V x r = {figures.self_service_visits:,} x "
        f"{_percent(figures.deflection_rate)} = {figures.estimated_deflected_calls:,.1f}"
    )
    if figures.rate_is_assumed:
        return line
    return (
        f"{line} (95% CI {figures.estimated_deflected_calls_low:,.1f}-"
        f"{figures.estimated_deflected_calls_high:,.1f})"
    )


def _share_line(figures: DeflectionFigures) -> str:
    if figures.deflection_share is None:
        return "D / (D + E) is not defined: no deflected calls and no escalations"
    return (
        f"D / (D + E) = {figures.estimated_deflected_calls:,.1f} / "
        f"({figures.estimated_deflected_calls:,.1f} + {figures.escalations:,}) = "
        f"{_percent(figures.deflection_share)}, {BENCHMARK_LABELS[figures.benchmark]}"
    )


def _savings_line(figures: DeflectionFigures, currency: str) -> str:
    line = (
        "S = sum over days of V (that day) x r x the per-call cost in force that day = "
        f"{figures.estimated_savings:,.2f} {currency}"
    )
    if figures.rate_is_assumed:
        return line
    return (
        f"{line} (95% CI {figures.estimated_savings_low:,.2f}-"
        f"{figures.estimated_savings_high:,.2f} {currency})"
    )
