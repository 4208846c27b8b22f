"""Speed of the Whoosh backend on generated threads: rebuild rate, search and similar latency.

Generated threads look like real ones in size: a title of ~10 words, a body of
~80 words and 3 answers of ~60 words, drawn from a Zipf-distributed vocabulary.
Vectors for the index are random (the cost of a nearest-neighbour scan does not
depend on their content); queries use the real sentence model when installed.

Run: ``python -m tests.bench.search_speed [QUESTIONS]`` (default 20,000).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from forum.search.backend import SearchDocument, SearchFilters
from forum.search.whoosh_backend import WhooshBackend

SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
]
ENDINGS = ["", "", "", "s", "ed", "ing", "er", "ly", "ment", "ation"]


def make_vocabulary(size: int, rng: random.Random) -> tuple[list[str], list[float]]:
    """Return pseudo-words and Zipf weights for them."""
    words = []
    for rank in range(size):
        length = 1 + min(3, rank.bit_length() // 4)
        stem = "".join(rng.choice(SYLLABLES) for _ in range(length + 1))
        words.append(stem + rng.choice(ENDINGS))
    return words, [1.0 / (rank + 1) for rank in range(size)]


class Generator:
    def __init__(self, seed: int = 7, vocabulary: int = 30_000) -> None:
        self.rng = random.Random(seed)
        self.words, weights = make_vocabulary(vocabulary, self.rng)
        self.cumulative = list(_accumulate(weights))

    def text(self, count: int) -> str:
        picks = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        return " ".join(picks)

    def query(self, words: int) -> str:
        """Words a user would type: content words (Zipf ranks 30 to 5,000), not the commonest."""
        return " ".join(self.rng.choices(self.words[30:5000], cum_weights=self.cumulative[30:5000], k=words))

    def thread(self, question_id: int) -> SearchDocument:
        rng = self.rng
        return SearchDocument(
            question_id=question_id,
            title=self.text(rng.randint(6, 14)).capitalize() + "?",
            body_text=self.text(rng.randint(50, 110)),
            answers_text="\n\n".join(self.text(rng.randint(40, 80)) for _ in range(3)),
            tags=tuple(rng.sample(self.words[:300], 2)),
            category=rng.choice(["billing", "accounts", "api", "mobile", "general"]),
            solved=rng.random() < 0.4,
            verified=rng.random() < 0.1,
            score=rng.randint(-2, 40),
            answer_count=3,
            created_at=datetime(2025, 1, 1, tzinfo=UTC),
        )

    def threads(self, count: int) -> Iterator[SearchDocument]:
        return (self.thread(i) for i in range(1, count + 1))


def _accumulate(weights: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


class RandomEncoder:
    """Deterministic random unit vectors: fills the index fast for latency runs."""

    def encode(self, texts: Sequence[str], max_tokens: int = 128, batch_size: int = 64) -> Any:
        import numpy as np

        rows = [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(384) for t in texts]
        matrix = np.array(rows, dtype=np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _latency(call: Any, inputs: Sequence[Any]) -> tuple[float, float]:
    times = []
    for item in inputs:
        started = time.perf_counter()
        call(item)
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _rate(backend: WhooshBackend, docs: list[SearchDocument]) -> float:
    started = time.perf_counter()
    backend.rebuild(docs)
    return len(docs) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    """Print rebuild rates (on up to 5,000 threads) and latencies (on all of them)."""
    from forum.search.embedding import load_default_encoder

    args = list(sys.argv[1:] if argv is None else argv)
    count = int(args[0]) if args else 20_000
    generator = Generator()
    docs = list(generator.threads(count))
    sample = docs[:5000]
    queries = [generator.query(random.Random(i).randint(1, 3)) for i in range(300)]
    titles = [generator.text(10) for _ in range(200)]
    with tempfile.TemporaryDirectory(prefix="search-speed-") as folder:
        rate = _rate(WhooshBackend(Path(folder, "plain"), encoder=None), sample)
        print(f"rebuild, no vectors: {rate:.0f} questions/s ({len(sample)} threads)", flush=True)
        indexed = WhooshBackend(Path(folder, "full"), encoder=RandomEncoder())
        rate = _rate(indexed, docs)
        print(f"rebuild, new random vectors: {rate:.0f} questions/s ({count} threads)", flush=True)
        plain = WhooshBackend(Path(folder, "full"), encoder=None)
        p50, p95 = _latency(lambda q: plain.search(q, SearchFilters(), 1, 10), queries)
        print(f"search: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        p50, p95 = _latency(
            lambda q: plain.search(q, SearchFilters(category="billing"), 3, 10), queries[:100]
        )
        print(f"search page 3, category filter: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        p50, p95 = _latency(lambda t: plain.similar(t, limit=5), titles)
        print(f"similar (BM25): p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        encoder = load_default_encoder()
        if encoder is None:
            print("sentence model not installed: no model figures", flush=True)
            return 0
        started = time.perf_counter()
        encoder.encode([f"{d.title}\n{d.body_text}" for d in docs[:64]], max_tokens=128)
        print(f"model, title+body 128 tokens: {64 / (time.perf_counter() - started):.0f}/s", flush=True)
        real = WhooshBackend(Path(folder, "full"), encoder=encoder)
        real.similar("warm up", limit=5)
        p50, p95 = _latency(lambda t: real.similar(t, limit=5), titles)
        print(f"similar (model, {count} vectors): p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
