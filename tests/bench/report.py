"""The benchmark's table: targets from issue 7, a pass/fail mark per database, Markdown and JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.bench.corpus import CorpusFacts, CorpusSpec

DATABASE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PASS, FAIL, UNKNOWN = "✓", "✗", "?"


def corpus_summary(facts: CorpusFacts, spec: CorpusSpec) -> dict[str, Any]:
    return {
        "questions": facts.questions,
        "answers": facts.answers,
        "comments": facts.comments,
        "votes": facts.votes,
        "accepted_answers": facts.accepted,
        "users": spec.users,
        "tags": spec.tags,
        "threads_with_10_answers": len(facts.long_threads),
        "load_seconds": round(facts.seconds, 1),
    }


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or data.get(key) is None:
            return None
        data = data[key]
    return data


def _ratio(db: dict[str, Any], page: str) -> float | None:
    rps = _get(db, "http", page, "requests_per_second")
    first = _get(db, "http", "reference", "requests_per_second")
    again = _get(db, "http", "reference_again", "requests_per_second")
    references = [r for r in (first, again) if r]
    if rps is None or not references:
        return None
    return float(rps) / (sum(references) / len(references))


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    target: str
    value: Callable[[dict[str, Any], dict[str, Any]], float | None]  # (database results, all results)
    met: Callable[[float], bool]
    unit: str = ""
    shared: bool = False  # the same for every database (not measured per database)


TARGETS = (
    Target("thread_ratio", "Thread page (10 answers), share of reference req/s", ">= 50%",
           lambda db, _: _ratio(db, "thread"), lambda v: v >= 0.5, "%"),
    Target("thread_p95", "Thread page p95", "<= 40 ms",
           lambda db, _: _get(db, "http", "thread", "p95_ms"), lambda v: v <= 40, " ms"),
    Target("home_ratio", "Home list, share of reference req/s", ">= 40%",
           lambda db, _: _ratio(db, "home"), lambda v: v >= 0.4, "%"),
    Target("search_p95", "Search page p95", "<= 100 ms",
           lambda db, _: _get(db, "http", "search", "p95_ms"), lambda v: v <= 100, " ms"),
    Target("similar_api_p95", "Similar-questions API p95", "<= 60 ms",
           lambda db, _: _get(db, "http", "similar", "p95_ms"), lambda v: v <= 60, " ms"),
    Target("worker_memory", "Worker memory (max VmRSS after load)", "<= 150 MB",
           lambda db, _: _get(db, "http", "forum_worker_rss_max_mb"), lambda v: v <= 150, " MB"),
    Target("search_inprocess_p95", "In-process search p95", "<= 50 ms",
           lambda db, _: _get(db, "in_process", "search", "p95_ms"), lambda v: v <= 50, " ms"),
    Target("similar_inprocess_p95", "In-process similar p95", "<= 50 ms",
           lambda db, _: _get(db, "in_process", "similar", "p95_ms"), lambda v: v <= 50, " ms"),
    Target("reindex_rate", "Full reindex", ">= 1,000 questions/s",
           lambda db, _: _get(db, "reindex", "questions_per_second"), lambda v: v >= 1000, " q/s"),
    Target("new_post_searchable", "New post searchable after its save", "<= 1 s",
           lambda db, _: _get(db, "new_post", "seconds"), lambda v: v <= 1.0, " s"),
    Target("deflection_report", "Deflection report, a year of 10M views (median)", "<= 300 ms",
           lambda db, _: _get(db, "deflection", "report_api_median_ms"), lambda v: v <= 300, " ms"),
    Target("recall_at_5", "Similar questions recall@5 (meta-se-duplicates)", ">= 0.55",
           lambda _, everything: _get(everything, "similar_quality", "recall_at_5"), lambda v: v >= 0.55,
           shared=True),
)  # fmt: skip


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "not available"
    if unit == "%":
        return f"{100 * value:.0f}%"
    if unit == " s":
        return f"{value:.3f} s"
    if abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:.1f}{unit}" if unit else f"{value:.3f}"


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: the value and the mark for each database."""
    rows = []
    for target in TARGETS:
        row: dict[str, Any] = {"key": target.key, "label": target.label, "target": target.target}
        for name, db in results.get("databases", {}).items():
            value = target.value(db, results)
            row[name] = {"value": value, "met": None if value is None else bool(target.met(value))}
        rows.append(row)
    return rows


def _mark(cell: dict[str, Any]) -> str:
    return UNKNOWN if cell["met"] is None else PASS if cell["met"] else FAIL


def _http_cell(db: dict[str, Any], page: str) -> str:
    run = _get(db, "http", page)
    if run is None:
        return "not available"
    errors = f", {run['errors']} errors" if run["errors"] else ""
    return (
        f"{run['requests_per_second']:,.0f} req/s; {run['p50_ms']:.1f} / {run['p95_ms']:.1f} / "
        f"{run['p99_ms']:.1f} ms{errors}"
    )


def markdown_table(results: dict[str, Any]) -> str:
    names = list(results.get("databases", {}))
    labels = [DATABASE_LABELS.get(n, n) for n in names]
    machine = results.get("machine", {})
    corpus = results.get("corpus", {})
    lines = [
        f"Machine: {machine.get('nproc')} CPUs ({machine.get('cpu')}), {machine.get('memory_gb')} GB RAM, "
        f"{machine.get('date')}, load average at start {machine.get('load_average_at_start')}. "
        f"Corpus: {corpus.get('questions', 0):,} questions, {corpus.get('answers', 0):,} answers, "
        f"{corpus.get('votes', 0):,} votes. Load: gunicorn 2 workers, wrk 16 connections.",
        "",
        "| Measure | " + " | ".join(labels) + " | Target |",
        "|---|" + "---|" * len(names) + "---|",
    ]
    databases = results.get("databases", {})
    pages = (
        ("reference", "Reference page (plain Flask, 12 rows, same database): req/s; p50 / p95 / p99"),
        ("thread", "Thread page, 10 answers, counted visitor: req/s; p50 / p95 / p99"),
        ("home", "Home list: req/s; p50 / p95 / p99"),
        ("reference_again", "Reference page again, right after the thread and home pages"),
        ("thread_crawler", "Thread page, crawler (no view written): req/s; p50 / p95 / p99"),
        ("search", "Search page: req/s; p50 / p95 / p99"),
        ("similar", "Similar-questions API: req/s; p50 / p95 / p99"),
    )
    for page, label in pages:
        lines.append(f"| {label} | " + " | ".join(_http_cell(databases[n], page) for n in names) + " | |")
    for row in results.get("targets", []):
        target = next(t for t in TARGETS if t.key == row["key"])
        cells = []
        for name in names:
            cell = row.get(name, {"value": None, "met": None})
            cells.append(f"{_format(cell['value'], target.unit)} {_mark(cell)}")
        if target.shared and cells:
            cells = [cells[0]] + ["(same)"] * (len(cells) - 1)
        lines.append(f"| {row['label']} | " + " | ".join(cells) + f" | {row['target']} |")
    rebuild_cells = []
    for name in names:
        rebuild = _get(databases[name], "reindex")
        rebuild_cells.append(
            f"{rebuild['seconds']:.0f} s = {rebuild['documents_seconds']:.0f} s adding + "
            f"{rebuild['commit_seconds']:.0f} s commit; {rebuild.get('without_vectors', 0):,} without a vector"
            if rebuild
            else "not measured"
        )
    lines.append("| Full reindex, time | " + " | ".join(rebuild_cells) + " | |")
    quality = results.get("similar_quality") or {}
    if quality:
        lines.append(
            f"| Similar questions MRR@5; p50 / p95 per query | {quality.get('mrr_at_5', 0):.3f}; "
            f"{quality.get('p50_ms', 0):.1f} / {quality.get('p95_ms', 0):.1f} ms; "
            + ("re-ranked by the sentence model" if quality.get("embeddings") else "words only (no model)")
            + " | (same)" * (len(names) - 1)
            + " | |"
        )
    lines.append("")
    lines.append(
        f"Took {results.get('duration_seconds', 0):.0f} s. Latencies come from wrk's histogram of every "
        "request (p95 from its `latency:percentile(95)`). Pages are read as an anonymous returning visitor "
        "(browser User-Agent and visitor cookie, so each thread view is recorded); the crawler row shows the "
        "thread page without that write. The reference page is measured right before and after the thread and "
        "home pages; their ratios use the mean of both."
    )
    for note in results.get("notes", []):
        lines.append(f"- {note}")
    return "\n".join(lines)
