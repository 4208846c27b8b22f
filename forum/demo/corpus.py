"""Demo content for ``flask demo``: a living Brightwave customer community, as plain data.

Pure and deterministic: the same ``now`` and seed always give the same threads and
searches, and nothing is ever dated after ``now``. Writing it to the database is the
caller's job. The phrase banks live in ``corpus_text`` and the per-category topic modules.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from forum.demo.corpus_billing import BILLING_TOPICS
from forum.demo.corpus_product import PRODUCT_TOPICS
from forum.demo.corpus_technical import TECHNICAL_TOPICS
from forum.demo.corpus_text import (
    ADVOCATE_CLOSERS,
    ADVOCATE_OPENERS,
    BUMP_COMMENTS,
    BYSTANDER_COMMENTS,
    CLARIFYING_COMMENTS,
    GAP_SEARCHES,
    GREETINGS,
    HOWTO_CLOSINGS,
    ME_TOO_ANSWERS,
    PROBLEM_CLOSINGS,
    THANKS_COMMENTS,
    TRIED_HEADERS,
    Topic,
    draw_slots,
)
from forum.demo.corpus_website import WEBSITE_TOPICS


@dataclass(frozen=True)
class DemoAnswer:
    author: str
    body: str
    offset: timedelta
    upvotes: int
    downvotes: int
    accepted: bool
    verified: bool


@dataclass(frozen=True)
class DemoComment:
    author: str
    body: str
    offset: timedelta


@dataclass(frozen=True)
class DemoThread:
    title: str
    body: str
    category: str
    tags: tuple[str, ...]
    author: str
    created_at: datetime
    upvotes: int
    downvotes: int
    views: int
    answers: tuple[DemoAnswer, ...]
    comments: tuple[DemoComment, ...]


@dataclass(frozen=True)
class DemoSearch:
    at: datetime
    query: str
    results_expected: bool
    clicked: bool


DEMO_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("product", "Product", "Features, workflows and integrations: how to get things done."),
    ("website", "Website", "The web app in your browser, signing in and account settings."),
    ("technical", "Technical", "Desktop and mobile apps, SSO, the API and webhooks."),
    ("billing", "Billing", "Plans, seats, invoices, payments and refunds."),
)
DEMO_TOPICS: tuple[Topic, ...] = PRODUCT_TOPICS + WEBSITE_TOPICS + TECHNICAL_TOPICS + BILLING_TOPICS

# The first eight are the community regulars who answer most questions.
DEMO_MEMBERS: tuple[str, ...] = (
    "maria.keller", "tom_halvorsen", "priya.n", "kwame.asante", "lena-b", "jdoe_ops",
    "hiro.tanaka", "sofia_r", "danny.w", "it-admin-rk", "ops_jen", "carlos.mendes",
    "amelia_pm", "ben.it", "fatima.z", "grant_h", "yuki.s", "noah-designs", "olivia.t",
    "raj_patel", "sara.lind", "mateo_g", "chloe.admin", "ivan.petrov", "emma_w", "lucas.fr",
    "nina_ops", "aaron.k", "zoe-pm", "marcus_b", "aisha.m", "felix.h", "grace_it", "omar.s",
    "hannah_l", "diego.r", "mia.chen", "paulo_s", "kate.finance", "leo_dev",
)
DEMO_ADVOCATES: tuple[str, ...] = ("nadia.bw", "sam.bw", "theo.bw", "ines.bw")

_ASKER_WEIGHTS = tuple(0.4 if i < 8 else 2.5 if i < 16 else 1.0 for i in range(len(DEMO_MEMBERS)))
_ANSWERER_WEIGHTS = tuple(6.0 if i < 8 else 0.6 for i in range(len(DEMO_MEMBERS)))
_CATEGORY_SHARES = (("technical", 0.29), ("product", 0.27), ("billing", 0.24), ("website", 0.20))
_WINDOW_DAYS = 90
_MIN_QUESTION_AGE = timedelta(minutes=30)
_ANSWER_COUNT_WEIGHTS = (12, 34, 30, 16, 8)  # threads with 0, 1, 2, 3, 4 answers
_ACCEPTED_SHARE = 0.55
_VERIFIED_SHARE = 0.15
_ADVOCATE_ANSWER_SHARE = 0.3
_GAP_SEARCH_SHARE = 0.17
_MAX_TITLE_DRAWS = 60
_SNIPPET_LEADS = ("Here's what I see:", "Relevant output:", "Details:", "This is what I'm getting:")


@dataclass
class _Draft:
    """An answer or comment being assembled; frozen into a Demo* once its time is known."""

    author: str
    body: str
    offset: timedelta
    helpful: bool = False
    accepted: bool = False
    verified: bool = False
    votes: tuple[int, int] = field(default=(0, 0))


def generate_demo_threads(now: datetime, count: int = 240, seed: int = 7) -> list[DemoThread]:
    """``count`` distinct questions with answers and comments, oldest first.

    Every thread is dated in the 90 days before ``now`` and every answer and comment after
    its question and before ``now``. Raises ValueError for a naive ``now``, a negative
    ``count``, or more questions than the topic banks can phrase distinctly (~400).
    """
    now = _as_utc(now)
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    days, day_weights = _day_weights(now, _WINDOW_DAYS)
    titles_used: set[str] = set()
    topic_uses: Counter[str] = Counter()
    threads = []
    for category in _category_plan(rng, count):
        created_at = _question_time(rng, now, days, day_weights)
        asker = rng.choices(DEMO_MEMBERS, _ASKER_WEIGHTS)[0]
        topic, slots, title = _draw_question(rng, category, created_at, asker, titles_used, topic_uses)
        threads.append(_build_thread(rng, topic, slots, title, asker, created_at, now))
    threads.sort(key=lambda thread: thread.created_at)
    return threads


def generate_demo_searches(now: datetime, days: int = 90, seed: int = 7) -> list[DemoSearch]:
    """About 25-45 logged searches a day over the ``days`` days up to ``now``, oldest first.

    Most are about topics the demo threads cover (in customers' own words, sometimes with
    a typo); about one in six asks about something never discussed, with the same few
    knowledge gaps asked again and again. Raises ValueError for a naive ``now``.
    """
    now = _as_utc(now)
    rng = random.Random(seed)
    topic_weights = _topic_popularity(rng)
    searches = []
    for days_ago in range(days):
        day = now.date() - timedelta(days=days_ago)
        for _ in range(_searches_on(rng, day, days_ago, days)):
            at = _moment_on(day, _hour_of_day(rng))
            if at < now:
                searches.append(_one_search(rng, at, topic_weights))
    searches.sort(key=lambda search: search.at)
    return searches


def _as_utc(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def _category_plan(rng: random.Random, count: int) -> list[str]:
    """Categories for ``count`` questions in fixed shares (largest remainder), shuffled."""
    exact = [(slug, share * count) for slug, share in _CATEGORY_SHARES]
    quotas = {slug: int(amount) for slug, amount in exact}
    by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
    for slug, _amount in by_remainder[: count - sum(quotas.values())]:
        quotas[slug] += 1
    plan = [slug for slug, quota in quotas.items() for _ in range(quota)]
    rng.shuffle(plan)
    return plan


def _day_weights(now: datetime, window: int) -> tuple[list[date], list[float]]:
    """Calendar days of the window with how busy each is: weekdays and recent days more."""
    days = [now.date() - timedelta(days=ago) for ago in range(window)]
    weights = [(0.75 + 0.5 * (1 - ago / window)) * (1.0 if day.weekday() < 5 else 0.4)
               for ago, day in enumerate(days)]
    return days, weights


def _hour_of_day(rng: random.Random) -> float:
    """An hour (UTC, fractional) clustered around the working day of the customer base."""
    if rng.random() < 0.8:
        return min(max(rng.gauss(14.5, 3.2), 0.0), 23.99)
    return rng.uniform(0.0, 23.99)


def _moment_on(day: date, hour: float) -> datetime:
    return datetime.combine(day, time(), UTC) + timedelta(seconds=round(hour * 3600))


def _question_time(rng: random.Random, now: datetime, days: list[date], weights: list[float]) -> datetime:
    earliest, latest = now - timedelta(days=_WINDOW_DAYS), now - _MIN_QUESTION_AGE
    while True:
        moment = _moment_on(rng.choices(days, weights)[0], _hour_of_day(rng))
        if earliest <= moment <= latest:
            return moment


def _draw_question(
    rng: random.Random,
    category: str,
    created_at: datetime,
    asker: str,
    titles_used: set[str],
    topic_uses: Counter[str],
) -> tuple[Topic, dict[str, str], str]:
    """A topic, its details and a title not used yet; the least-asked topics come first."""
    topics = [topic for topic in DEMO_TOPICS if topic.category == category]
    for _ in range(_MAX_TITLE_DRAWS):
        weights = [1.0 / (1 + topic_uses[topic.key]) ** 3 for topic in topics]
        topic = rng.choices(topics, weights)[0]
        slots = draw_slots(rng, created_at, asker)
        title = rng.choice(topic.titles).format_map(slots)
        if title.lower() not in titles_used:
            titles_used.add(title.lower())
            topic_uses[topic.key] += 1
            return topic, slots, title
    raise ValueError(f"not enough distinct {category} questions for this count")


def _build_thread(
    rng: random.Random,
    topic: Topic,
    slots: dict[str, str],
    title: str,
    asker: str,
    created_at: datetime,
    now: datetime,
) -> DemoThread:
    answers = _answer_drafts(rng, topic, slots, asker)
    comments = _comment_drafts(rng, topic, asker, answers, now - created_at)
    _fit_before(rng, answers + comments, now - created_at - timedelta(minutes=1))
    popular = rng.random() < 0.08
    upvotes = rng.randint(10, 40) if popular else rng.choices(range(6), (20, 24, 20, 14, 11, 11))[0]
    _vote_answers(rng, answers, popular)
    return DemoThread(
        title=title,
        body=_question_body(rng, topic, slots),
        category=topic.category,
        tags=tuple(dict.fromkeys(tag.format_map(slots) for tag in topic.tags))[:5],
        author=asker,
        created_at=created_at,
        upvotes=upvotes,
        downvotes=rng.choices((0, 1, 2), (85, 11, 4))[0],
        views=_views(rng, upvotes, len(answers), now - created_at),
        answers=tuple(
            DemoAnswer(d.author, d.body, d.offset, d.votes[0], d.votes[1], d.accepted, d.verified)
            for d in answers
        ),
        comments=tuple(DemoComment(d.author, d.body, d.offset) for d in comments),
    )


def _question_body(rng: random.Random, topic: Topic, slots: dict[str, str]) -> str:
    """2-6 sentences of Markdown: the problem, sometimes steps tried or a log, a closing line."""
    parts = [rng.choice(topic.problems)]
    if rng.random() < 0.2:
        parts.insert(0, rng.choice(GREETINGS))
    if topic.tried and rng.random() < 0.45:
        steps = rng.sample(topic.tried, k=min(len(topic.tried), rng.randint(2, 3)))
        parts.append(rng.choice(TRIED_HEADERS) + "\n\n" + "\n".join(f"- {step}" for step in steps))
    if topic.snippet and rng.random() < 0.6:
        parts.append(rng.choice(_SNIPPET_LEADS) + "\n\n" + topic.snippet)
    if rng.random() < 0.8:
        parts.append(rng.choice(HOWTO_CLOSINGS if topic.howto else PROBLEM_CLOSINGS))
    return "\n\n".join(parts).format_map(slots)


def _answer_drafts(rng: random.Random, topic: Topic, slots: dict[str, str], asker: str) -> list[_Draft]:
    """0-4 answers by people other than the asker, with at most one accepted."""
    count = rng.choices(range(5), _ANSWER_COUNT_WEIGHTS)[0]
    helpful_bodies = rng.sample(topic.answers, k=len(topic.answers))
    authors: set[str] = {asker}
    drafts: list[_Draft] = []
    elapsed = timedelta()
    for position in range(count):
        helpful = bool(helpful_bodies) and (position == 0 and rng.random() < 0.8 or rng.random() < 0.6)
        elapsed += _lognormal_minutes(rng, 150 if position == 0 else 300)
        if helpful:
            author = _pick_helper(rng, authors)
            body = _helpful_body(rng, helpful_bodies.pop(), author, slots)
        else:
            author = _pick_member(rng, authors, _ASKER_WEIGHTS)
            body = rng.choice(ME_TOO_ANSWERS)
        authors.add(author)
        drafts.append(_Draft(author, body, elapsed, helpful=helpful))
    helpful_drafts = [draft for draft in drafts if draft.helpful]
    if helpful_drafts and rng.random() < _ACCEPTED_SHARE / (1 - _ANSWER_COUNT_WEIGHTS[0] / 100):
        accepted = helpful_drafts[0] if rng.random() < 0.7 else rng.choice(helpful_drafts)
        accepted.accepted = True
    if helpful_drafts and rng.random() < _VERIFIED_SHARE:
        _verified_pick(rng, helpful_drafts).verified = True
    return drafts


def _verified_pick(rng: random.Random, helpful: list[_Draft]) -> _Draft:
    """The answer an advocate confirms: often the accepted one, else an advocate's own."""
    accepted = [draft for draft in helpful if draft.accepted]
    if accepted and rng.random() < 0.6:
        return accepted[0]
    by_advocates = [draft for draft in helpful if draft.author in DEMO_ADVOCATES]
    return rng.choice(by_advocates or helpful)


def _pick_helper(rng: random.Random, taken: set[str]) -> str:
    free_advocates = [name for name in DEMO_ADVOCATES if name not in taken]
    if free_advocates and rng.random() < _ADVOCATE_ANSWER_SHARE:
        return rng.choice(free_advocates)
    return _pick_member(rng, taken, _ANSWERER_WEIGHTS)


def _pick_member(rng: random.Random, taken: set[str], weights: Sequence[float]) -> str:
    pool = [(name, weight) for name, weight in zip(DEMO_MEMBERS, weights, strict=True) if name not in taken]
    return rng.choices([name for name, _ in pool], [weight for _, weight in pool])[0]


def _helpful_body(rng: random.Random, template: str, author: str, slots: dict[str, str]) -> str:
    """An answer from the topic bank; advocates greet the asker and sign off."""
    if author not in DEMO_ADVOCATES:
        return template.format_map(slots)
    parts = (rng.choice(ADVOCATE_OPENERS), template, rng.choice(ADVOCATE_CLOSERS))
    return "\n\n".join(part for part in parts if part).format_map(slots)


def _comment_drafts(
    rng: random.Random, topic: Topic, asker: str, answers: list[_Draft], age: timedelta
) -> list[_Draft]:
    """Clarifying questions, thanks for the accepted answer, a bump on an old unanswered one."""
    drafts = []
    clarifying = rng.sample(CLARIFYING_COMMENTS[topic.category], k=len(CLARIFYING_COMMENTS[topic.category]))
    for _ in range(rng.choices(range(4), (45, 32, 15, 8))[0]):
        people = {asker} | {draft.author for draft in drafts}
        if answers and rng.random() < 0.4:
            last = answers[-1].offset
            body, author = rng.choice(BYSTANDER_COMMENTS), _pick_member(rng, people, _ASKER_WEIGHTS)
            drafts.append(_Draft(author, body, last + _lognormal_minutes(rng, 600)))
        elif clarifying:
            author = rng.choice(DEMO_ADVOCATES) if rng.random() < 0.3 else _pick_helper(rng, people)
            drafts.append(_Draft(author, clarifying.pop(), _lognormal_minutes(rng, 60)))
    accepted = [draft for draft in answers if draft.accepted]
    if accepted and rng.random() < 0.6:
        drafts.append(_Draft(asker, rng.choice(THANKS_COMMENTS), accepted[0].offset + _lognormal_minutes(rng, 120)))
    if not answers and age > timedelta(days=2) and rng.random() < 0.5:
        drafts.append(_Draft(asker, rng.choice(BUMP_COMMENTS), timedelta(days=rng.uniform(1.0, 2.0))))
    return sorted(drafts, key=lambda draft: draft.offset)


def _lognormal_minutes(rng: random.Random, median: float) -> timedelta:
    """A delay with a typical value of ``median`` minutes and a long tail, 3 min to 5 days."""
    minutes = min(max(rng.lognormvariate(0.0, 1.1) * median, 3.0), 5 * 24 * 60.0)
    return timedelta(minutes=minutes)


def _fit_before(rng: random.Random, drafts: list[_Draft], available: timedelta) -> None:
    """Squeeze the replies of a recent question, keeping their order, so none is in the future."""
    latest = max((draft.offset for draft in drafts), default=timedelta())
    if latest <= available:
        return
    factor = available * rng.uniform(0.6, 0.95) / latest
    for draft in drafts:
        draft.offset = max(draft.offset * factor, timedelta(seconds=1))


def _vote_answers(rng: random.Random, answers: list[_Draft], popular: bool) -> None:
    for draft in answers:
        if draft.accepted or draft.verified:
            up = rng.randint(2, 8) + (rng.randint(3, 12) if popular else 0) + (2 if draft.verified else 0)
            draft.votes = (up, rng.choices((0, 1), (92, 8))[0])
        elif draft.helpful:
            draft.votes = (rng.choices(range(6), (20, 25, 20, 15, 10, 10))[0], rng.choices((0, 1), (88, 12))[0])
        else:
            draft.votes = (rng.choices((0, 1, 2), (60, 30, 10))[0], rng.choices((0, 1, 2), (70, 22, 8))[0])


def _views(rng: random.Random, upvotes: int, answer_count: int, age: timedelta) -> int:
    """Page views that grow with votes, answers and age, between 5 and 2,000."""
    views = (
        rng.randint(5, 30)
        + upvotes * rng.randint(12, 40)
        + answer_count * rng.randint(4, 15)
        + int(age.total_seconds() / 86400 * rng.uniform(0.3, 2.5))
    )
    return min(max(views, 5), 2000)


def _topic_popularity(rng: random.Random) -> list[float]:
    """How often each topic is searched for: a few topics get most of the searches."""
    ranks = list(range(len(DEMO_TOPICS)))
    rng.shuffle(ranks)
    return [1.0 / (rank + 4) for rank in ranks]


def _searches_on(rng: random.Random, day: date, days_ago: int, days: int) -> int:
    base = 35 if day.weekday() < 5 else 27
    trend = 4 * (1 - days_ago / max(days, 1))
    return min(max(round(base + trend + rng.uniform(-5, 5)), 25), 45)


def _one_search(rng: random.Random, at: datetime, topic_weights: list[float]) -> DemoSearch:
    if rng.random() < _GAP_SEARCH_SHARE:
        _weight, main, others = rng.choices(GAP_SEARCHES, [gap[0] for gap in GAP_SEARCHES])[0]
        wording = main if not others or rng.random() < 0.65 else rng.choice(others)
        query, _typo = _as_typed(rng, wording)
        return DemoSearch(at, query, results_expected=False, clicked=False)
    topic = rng.choices(DEMO_TOPICS, topic_weights)[0]
    query, typo = _as_typed(rng, rng.choice(topic.searches))
    return DemoSearch(at, query, results_expected=True, clicked=rng.random() < (0.45 if typo else 0.63))


def _as_typed(rng: random.Random, phrase: str) -> tuple[str, bool]:
    """The phrase as a customer types it: mostly lowercase, sometimes with a typo."""
    typo = False
    if rng.random() < 0.06:
        phrase, typo = _with_typo(rng, phrase)
    if rng.random() < 0.04 and "brightwave" not in phrase:
        phrase = f"brightwave {phrase}"
    if rng.random() < 0.08:
        phrase = phrase[:1].upper() + phrase[1:]
    return phrase, typo


def _with_typo(rng: random.Random, phrase: str) -> tuple[str, bool]:
    """Swap, drop or double one letter in a longer word; unchanged if no word is long enough."""
    words = phrase.split(" ")
    candidates = [index for index, word in enumerate(words) if re.fullmatch(r"[a-z]{5,}", word)]
    if not candidates:
        return phrase, False
    index = rng.choice(candidates)
    word, at = words[index], rng.randint(1, len(words[index]) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "drop":
        word = word[:at] + word[at + 1 :]
    else:
        word = word[:at] + word[at] + word[at:]
    words[index] = word
    return " ".join(words), word != words[index] or True
