"""The benchmark corpus: 100,000 questions with 3 answers each, loaded in bulk.

Rows are generated in chunks from one seeded RNG (``wordbank.WordBank`` writes the text)
and written with set-based SQL: batched Core ``insert()`` executemany on SQLite, ``COPY``
on PostgreSQL. Both databases can be filled in the same pass, so they hold the very same
rows. Counters (answer, comment and tag counts, scores as the sum of the vote rows, the
accepted answer) are consistent by construction. Not generated: revision history,
reputation events and notifications, which no benchmarked page reads.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.security import generate_password_hash

from forum.demo.corpus_topics import DEMO_TOPICS
from forum.web import slugify
from tests.bench.sinks import TABLES, SinkWriter
from tests.bench.wordbank import FEATURES, WordBank

NEWEST = datetime(2025, 6, 1, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
FIRST_NAMES = (
    "alex", "sam", "jordan", "taylor", "morgan", "casey", "riley", "jamie", "robin", "avery", "quinn",
    "maria", "li", "ahmed", "sofia", "lucas", "emma", "noah", "mia", "arjun", "yuki", "olga", "pierre",
)  # fmt: skip
EXTRA_CATEGORIES = (
    ("integrations", "Integrations", "Slack, Google Drive, Zapier and the other connected apps."),
    ("mobile", "Mobile apps", "The iOS and Android apps."),
    ("security", "Security", "Sign-in, SSO, two-factor and permissions."),
    ("developers", "Developers", "The REST API, webhooks and SCIM."),
)


@dataclass(frozen=True)
class CorpusSpec:
    questions: int = 100_000
    answers_per_question: int = 3
    long_thread_every: int = 1_000  # every n-th question has ``long_thread_answers`` answers
    long_thread_answers: int = 10
    users: int = 20_000
    tags: int = 300
    chunk: int = 5_000
    seed: int = 20_250_601


@dataclass
class Chunk:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {name: [] for name in TABLES})
    accepted: list[tuple[int, int]] = field(default_factory=list)  # (question id, answer id)


@dataclass
class CorpusFacts:
    """What the benchmark needs to know about the corpus it loaded."""

    questions: int = 0
    answers: int = 0
    comments: int = 0
    votes: int = 0
    accepted: int = 0
    long_threads: list[tuple[int, str]] = field(default_factory=list)  # (id, slug), visible ones
    search_queries: list[str] = field(default_factory=list)
    similar_titles: list[str] = field(default_factory=list)
    seconds: float = 0.0


def tag_names(count: int) -> list[str]:
    """``count`` tag names: the demo's, then slugs of product features, then numbered ones."""
    names = [t for topic in DEMO_TOPICS for t in topic.tags if "{" not in t]
    names += [slugify(feature)[:35] for feature in FEATURES]
    names += [f"{slugify(a)[:16]}-{slugify(b)[:16]}" for a in FEATURES[:40] for b in FEATURES[40:80]]
    unique = list(dict.fromkeys(names))
    return unique[:count]


class CorpusGenerator:
    """Yields the corpus as chunks of rows; ``facts`` fills in as it goes."""

    def __init__(self, spec: CorpusSpec, category_ids: Sequence[int]) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.words = WordBank(self.rng)
        self.category_ids = list(category_ids)
        self.category_weights = [5, 3, 4, 3, 2, 2, 1, 1][: len(self.category_ids)]
        self.tags = tag_names(spec.tags)
        self.tag_weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(self.tags))]
        self.facts = CorpusFacts()
        self.advocates: list[int] = []
        self._answer_id = 0
        self._comment_id = 0
        self._vote_id = 0

    def fixed_rows(self, first_category_id: int) -> dict[str, list[dict[str, Any]]]:
        """Users, the extra categories and the tags."""
        rng = self.rng
        password_hash = generate_password_hash("bench-password", method="scrypt")  # one hash for all
        users = []
        for user_id in range(1, self.spec.users + 1):
            name = f"{FIRST_NAMES[user_id % len(FIRST_NAMES)]}_{user_id}"
            role = "advocate" if user_id % 1000 == 7 else "moderator" if user_id == 3 else "member"
            if role == "advocate":
                self.advocates.append(user_id)
            users.append(
                {
                    "id": user_id,
                    "username": name,
                    "username_key": name.lower(),
                    "email": f"{name}@example.com",
                    "password_hash": password_hash,
                    "role": role,
                    "reputation": 1 + int(rng.paretovariate(1.2) * 10) % 20_000,
                    "session_token": f"{rng.getrandbits(64):016x}",
                    "created_at": NEWEST - SPAN - timedelta(days=rng.randint(1, 400)),
                    "is_placeholder": False,
                }
            )
        categories = [
            {"id": first_category_id + i, "slug": slug, "name": name, "description": about, "position": 5 + i}
            for i, (slug, name, about) in enumerate(EXTRA_CATEGORIES)
        ]
        self.category_ids += [row["id"] for row in categories]
        self.category_weights = [5, 3, 4, 3, 2, 2, 1, 1][: len(self.category_ids)]
        tags = [{"id": i + 1, "name": name, "question_count": 0} for i, name in enumerate(self.tags)]
        return {"users": users, "categories": categories, "tags": tags}

    def chunks(self) -> Iterator[Chunk]:
        spec = self.spec
        for start in range(1, spec.questions + 1, spec.chunk):
            chunk = Chunk()
            for question_id in range(start, min(start + spec.chunk, spec.questions + 1)):
                self._thread(chunk, question_id)
            yield chunk
        self.facts.search_queries = [self.words.search_query() for _ in range(500)]
        titles = []
        for _ in range(500):
            self.words.new_thread("asker")
            titles.append(self.words.title())
        self.facts.similar_titles = titles

    def _author(self) -> int:
        return 1 + int(self.spec.users * self.rng.random() ** 2)  # a few members write a lot

    def _votes(self, chunk: Chunk, target_type: str, target_id: int, at: datetime, rate: float) -> int:
        rng = self.rng
        voters = min(int(rng.expovariate(rate)), 40)
        score = 0
        for voter in rng.sample(range(1, self.spec.users + 1), voters) if voters else ():
            value = 1 if rng.random() < 0.88 else -1
            score += value
            self._vote_id += 1
            chunk.rows["votes"].append(
                {
                    "id": self._vote_id,
                    "user_id": voter,
                    "target_type": target_type,
                    "target_id": target_id,
                    "value": value,
                    "created_at": at + timedelta(hours=rng.randint(1, 500)),
                }
            )
        return score

    def _thread(self, chunk: Chunk, question_id: int) -> None:
        rng, words, spec = self.rng, self.words, self.spec
        created = (
            NEWEST - SPAN + SPAN * (question_id / spec.questions) - timedelta(seconds=rng.randint(0, 600))
        )
        author = self._author()
        words.new_thread(f"{FIRST_NAMES[author % len(FIRST_NAMES)]}_{author}")
        title = words.title()
        body, body_html = words.question_body(rng.randint(60, 100))
        roll = rng.random()
        deleted = created + timedelta(days=1) if roll < 0.005 else None
        hidden = created + timedelta(hours=3) if 0.005 <= roll < 0.008 else None
        held = 0.008 <= roll < 0.010
        long_thread = question_id % spec.long_thread_every == 0
        answer_total = spec.long_thread_answers if long_thread else spec.answers_per_question
        visible_answers: list[tuple[int, int]] = []  # (answer id, score)
        last_activity = created
        for _ in range(answer_total):
            self._answer_id += 1
            answered_at = created + timedelta(minutes=rng.randint(5, 60 * 24 * 5))
            last_activity = max(last_activity, answered_at)
            answer_body, answer_html = words.answer_body(rng.randint(40, 80))
            score = self._votes(chunk, "answer", self._answer_id, answered_at, 0.9)
            verified = rng.random() < 0.03 and self.advocates
            answer_deleted = answered_at + timedelta(days=2) if rng.random() < 0.01 else None
            chunk.rows["answers"].append(
                {
                    "id": self._answer_id,
                    "question_id": question_id,
                    "body": answer_body,
                    "body_html": answer_html,
                    "author_id": self._author(),
                    "score": score,
                    "accuracy": "verified" if verified else None,
                    "accuracy_note": None,
                    "accuracy_by_id": rng.choice(self.advocates) if verified else None,
                    "accuracy_at": answered_at + timedelta(days=1) if verified else None,
                    "hidden_at": None,
                    "deleted_at": answer_deleted,
                    "held_for_review": False,
                    "created_at": answered_at,
                    "updated_at": answered_at,
                    "import_source": None,
                }
            )
            if answer_deleted is None:
                visible_answers.append((self._answer_id, score))
        if visible_answers and rng.random() < 0.5:
            best = max(visible_answers, key=lambda pair: pair[1] + rng.random())
            chunk.accepted.append((question_id, best[0]))
            self.facts.accepted += 1
        comments = rng.choice((0, 0, 0, 1, 1, 2))
        for _ in range(comments):
            self._comment_id += 1
            on_answer = rng.choice(visible_answers)[0] if visible_answers and rng.random() < 0.6 else None
            chunk.rows["comments"].append(
                {
                    "id": self._comment_id,
                    "question_id": question_id,
                    "answer_id": on_answer,
                    "body": words.comment(),
                    "author_id": self._author(),
                    "hidden_at": None,
                    "deleted_at": None,
                    "created_at": last_activity + timedelta(minutes=rng.randint(1, 300)),
                    "import_source": None,
                }
            )
        picked = rng.choices(range(1, len(self.tags) + 1), weights=self.tag_weights, k=rng.randint(1, 5))
        for tag_id in dict.fromkeys(picked):
            chunk.rows["question_tags"].append({"question_id": question_id, "tag_id": tag_id})
        chunk.rows["questions"].append(
            {
                "id": question_id,
                "title": title,
                "body": body,
                "body_html": body_html,
                "category_id": rng.choices(self.category_ids, weights=self.category_weights)[0],
                "author_id": author,
                "score": self._votes(chunk, "question", question_id, created, 0.7),
                "answer_count": len(visible_answers),
                "comment_count": comments,
                "view_count": int(rng.paretovariate(1.1) * 20),
                "accepted_answer_id": None,  # set after the answers are in (the keys point both ways)
                "duplicate_of_id": None,
                "locked_at": None,
                "hidden_at": hidden,
                "deleted_at": deleted,
                "held_for_review": held,
                "created_at": created,
                "updated_at": created,
                "last_activity_at": last_activity,
                "import_source": None,
            }
        )
        if long_thread and deleted is None and hidden is None and not held:
            self.facts.long_threads.append((question_id, slugify(title)))
        self.facts.questions += 1
        self.facts.answers += answer_total
        self.facts.comments += comments


def load_corpus(
    sinks: Sequence[Any], spec: CorpusSpec, progress: Callable[[str], None] = print
) -> CorpusFacts:
    """Fill every sink (already migrated, empty) with the same corpus; returns its facts."""
    started = time.perf_counter()
    category_ids = sinks[0].category_ids()
    generator = CorpusGenerator(spec, category_ids)
    fixed = generator.fixed_rows(max(category_ids) + 1)
    writers = [SinkWriter(sink) for sink in sinks]
    for writer in writers:
        writer.start()
        writer.put(fixed)
    accepted: list[tuple[int, int]] = []
    try:
        for chunk in generator.chunks():
            for writer in writers:
                writer.put(chunk.rows)
            accepted += chunk.accepted
            generator.facts.votes += len(chunk.rows["votes"])
            done = generator.facts.questions
            if done % 20_000 == 0 or done == spec.questions:
                progress(f"  corpus: {done:,} questions generated ({time.perf_counter() - started:.0f} s)")
    finally:
        for writer in writers:
            writer.close()
    for sink in sinks:
        sink.finish(accepted)
    generator.facts.seconds = time.perf_counter() - started
    return generator.facts
