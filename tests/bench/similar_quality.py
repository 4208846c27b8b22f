"""How well ``similar()`` finds known duplicates: recall@5 and MRR@5 on real data.

Data: ``shared/data/meta-se-duplicates/pairs.tsv`` - question pairs from Meta Stack
Exchange (CC BY-SA 4.0, by their authors, https://stackexchange.com, data dump),
from the replication of Bogdanova et al. 2015.

Protocol (shared/data/README.md): index every distinct question (title = text
before the first ``<``, body = the HTML after it, stripped of tags and of any
"Possible Duplicate" notice); for each pair labelled ``duplicate``, ask for
similar questions with one side's title and check whether the other side is
among the first 5, both directions, the query's own question excluded.

Run: ``python -m tests.bench.similar_quality [PAIRS_PATH] [--no-embeddings]``.
"""

from __future__ import annotations

import html
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from forum.search.backend import SearchBackend, SearchDocument

PAIRS_IN_SHARED = Path("data") / "meta-se-duplicates" / "pairs.tsv"


def _default_pairs() -> Path:
    """``../shared`` beside the project; a clean clone elsewhere falls back to /work/shared."""
    candidates = [Path(__file__).resolve().parents[3] / "shared", Path("/work/shared")]
    found = [folder / PAIRS_IN_SHARED for folder in candidates if (folder / PAIRS_IN_SHARED).exists()]
    return found[0] if found else candidates[0] / PAIRS_IN_SHARED


DEFAULT_PAIRS = _default_pairs()
TOP_K = 5

_DUPLICATE_NOTICE = re.compile(
    r"<blockquote>\s*<p>\s*<strong>\s*Possible Duplicates?:.*?</blockquote>", re.I | re.S
)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class BenchQuestion:
    question_id: int
    title: str
    body: str


def html_to_text(body_html: str) -> str:
    """Return the plain text of a question body, without its "Possible Duplicate" notice."""
    body_html = _DUPLICATE_NOTICE.sub(" ", body_html)
    return " ".join(html.unescape(_TAG.sub(" ", body_html)).split())


def split_question(raw: str) -> tuple[str, str]:
    """Split ``title<html body>`` into (title, plain body)."""
    cut = raw.find("<")
    if cut < 0:
        return html.unescape(raw).strip(), ""
    return html.unescape(raw[:cut]).strip(), html_to_text(raw[cut:])


def load_pairs(pairs_path: Path) -> tuple[list[BenchQuestion], list[tuple[int, int]]]:
    """Return the distinct questions and the (id, id) pairs labelled duplicate."""
    ids: dict[str, int] = {}
    questions: list[BenchQuestion] = []
    duplicates: list[tuple[int, int]] = []
    for line in pairs_path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        label, *sides = parts
        pair = []
        for raw in sides:
            raw = raw.strip()
            if raw not in ids:
                ids[raw] = len(questions) + 1
                title, body = split_question(raw)
                questions.append(BenchQuestion(ids[raw], title, body))
            pair.append(ids[raw])
        if label.strip() == "duplicate":
            duplicates.append((pair[0], pair[1]))
    return questions, duplicates


def to_document(question: BenchQuestion) -> SearchDocument:
    return SearchDocument(
        question_id=question.question_id,
        title=question.title,
        body_text=question.body,
        answers_text="",
        tags=(),
        category="meta",
        solved=False,
        verified=False,
        score=0,
        answer_count=0,
        created_at=datetime(2015, 1, 1, tzinfo=UTC),
    )


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure_similar_quality(backend_factory: Callable[[], SearchBackend], pairs_path: str | Path) -> dict:
    """Index the questions of ``pairs_path`` into a fresh backend and score ``similar()``.

    Returns recall_at_5, mrr_at_5, pairs, queries, questions, index_seconds and
    similar latency p50_ms / p95_ms (in-process, one query at a time).
    """
    questions, duplicates = load_pairs(Path(pairs_path))
    backend = backend_factory()
    started = time.perf_counter()
    backend.index_documents(to_document(q) for q in questions)  # as saved questions: with their vectors
    index_seconds = time.perf_counter() - started
    by_id = {q.question_id: q for q in questions}
    backend.similar("warm up the searcher and the model", limit=TOP_K)
    found = 0
    reciprocal_ranks = 0.0
    latencies: list[float] = []
    for left, right in duplicates:
        for source, target in ((left, right), (right, left)):
            started = time.perf_counter()
            similar = backend.similar(by_id[source].title, limit=TOP_K, exclude_id=source)
            latencies.append(time.perf_counter() - started)
            ranked = [s.question_id for s in similar]
            if target in ranked:
                found += 1
                reciprocal_ranks += 1.0 / (ranked.index(target) + 1)
    queries = len(latencies)
    return {
        "recall_at_5": found / queries if queries else 0.0,
        "mrr_at_5": reciprocal_ranks / queries if queries else 0.0,
        "pairs": len(duplicates),
        "queries": queries,
        "questions": len(questions),
        "index_seconds": index_seconds,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "p95_ms": 1000 * _percentile(latencies, 0.95) if latencies else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures for the Whoosh backend (with embeddings unless --no-embeddings)."""
    from forum.search.whoosh_backend import AUTO, WhooshBackend

    args = list(sys.argv[1:] if argv is None else argv)
    encoder = None if "--no-embeddings" in args else AUTO
    paths = [a for a in args if not a.startswith("--")]
    pairs_path = Path(paths[0]) if paths else DEFAULT_PAIRS
    with tempfile.TemporaryDirectory(prefix="similar-bench-") as folder:
        result = measure_similar_quality(lambda: WhooshBackend(folder, encoder=encoder), pairs_path)
        mode = "BM25 only" if encoder is None else "embeddings if installed"
        result["mode"] = mode
        if encoder is not None:
            from forum.search.embedding import load_default_encoder

            result["embeddings"] = load_default_encoder() is not None
    print(f"similar() on {pairs_path.name} ({result['mode']}):")
    for key in (
        "recall_at_5",
        "mrr_at_5",
        "pairs",
        "queries",
        "questions",
        "index_seconds",
        "p50_ms",
        "p95_ms",
    ):
        value = result[key]
        print(f"  {key:>14}: {value:.3f}" if isinstance(value, float) else f"  {key:>14}: {value}")
    if "embeddings" in result:
        print(f"  {'embeddings':>14}: {result['embeddings']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
