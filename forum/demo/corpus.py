"""Demo content for ``flask demo``: a living Brightwave customer community, as plain data.

Pure and deterministic: the same ``now`` and seed always give the same threads and
searches, and nothing is ever dated after ``now``. Writing it to the database is the
caller's job. The words live in ``corpus_text`` and the per-category topic modules.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from forum.demo.corpus_clock import as_utc, busy_days, busy_hour, moment_on
from forum.demo.corpus_searches import DemoSearch, searches_for_corpus, words_of
from forum.demo.corpus_text import (
    ADVOCATE_CLOSERS,
    ADVOCATE_OPENERS,
    BUMP_COMMENTS,
    BYSTANDER_COMMENTS,
    CLARIFYING_COMMENTS,
    GREETINGS,
    HOWTO_CLARIFYING,
    HOWTO_CLOSINGS,
    ME_TOO_HOWTO,
    ME_TOO_PROBLEM,
    PROBLEM_CLOSINGS,
    SNIPPET_LEADS,
    THANKS_COMMENTS,
    TRIED_HEADERS,
    Ask,
    Topic,
    draw_slots,
)
from forum.demo.corpus_topics import topics_in

__all__ = [
    "DEMO_ADVOCATES",
    "DEMO_CATEGORIES",
    "DEMO_MEMBERS",
    "DemoAnswer",
    "DemoComment",
    "DemoSearch",
    "DemoThread",
    "corpus_words",
    "generate_demo_searches",
    "generate_demo_threads",
]


@dataclass(frozen=True)
class DemoAnswer:
    author: str
    body: str  # Markdown
    offset: timedelta  # after the question
    upvotes: int
    downvotes: int
    accepted: bool
    verified: bool  # confirmed accurate by an advocate


@dataclass(frozen=True)
class DemoComment:
    author: str
    body: str  # plain text, at most 300 characters
    offset: timedelta  # after the question


@dataclass(frozen=True)
class DemoThread:
    title: str
    body: str  # Markdown
    category: str  # slug
    tags: tuple[str, ...]
    author: str
    created_at: datetime  # UTC
    upvotes: int
    downvotes: int
    views: int
    answers: tuple[DemoAnswer, ...]
    comments: tuple[DemoComment, ...]


DEMO_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("product", "Product", "Features, workflows and integrations: how to get things done."),
    ("website", "Website", "The web app in your browser, signing in and account settings."),
    ("technical", "Technical", "Desktop and mobile apps, SSO, the API and webhooks."),
    ("billing", "Billing", "Plans, seats, invoices, payments and refunds."),
)
# The first eight are the community regulars who answer most questions.
# fmt: off
DEMO_MEMBERS: tuple[str, ...] = (
    "maria.keller", "tom_halvorsen", "priya.n", "kwame.asante", "lena-b", "jdoe_ops", "hiro.tanaka",
    "sofia_r", "danny.w", "it-admin-rk", "ops_jen", "carlos.mendes", "amelia_pm", "ben.it", "fatima.z",
    "grant_h", "yuki.s", "noah-designs", "olivia.t", "raj_patel", "sara.lind", "mateo_g", "chloe.admin",
    "ivan.petrov", "emma_w", "lucas.fr", "nina_ops", "aaron.k", "zoe-pm", "marcus_b", "aisha.m", "felix.h",
    "grace_it", "omar.s", "hannah_l", "diego.r", "mia.chen", "paulo_s", "kate.finance", "leo_dev",
)
# fmt: on
DEMO_ADVOCATES: tuple[str, ...] = ("nadia.bw", "sam.bw", "theo.bw", "ines.bw")

_ASKER_WEIGHTS = tuple(0.4 if i < 8 else 2.5 if i < 16 else 1.0 for i in range(len(DEMO_MEMBERS)))
_ANSWERER_WEIGHTS = tuple(6.0 if i < 8 else 0.6 for i in range(len(DEMO_MEMBERS)))
_CATEGORY_SHARES = (("technical", 0.29), ("product", 0.27), ("billing", 0.24), ("website", 0.20))
_WINDOW_DAYS = 90
_MIN_QUESTION_AGE = timedelta(minutes=30)
_ANSWER_COUNT_WEIGHTS = (11, 34, 31, 16, 8)  # threads with 0, 1, 2, 3, 4 answers
# Chances once a thread has a helpful answer, tuned so that about 55% and 15% of the
# answered threads end up with an accepted and a verified answer.
_ACCEPT_CHANCE = 0.6
_VERIFY_CHANCE = 0.16
_ADVOCATE_ANSWER_CHANCE = 0.3


@dataclass
class _Draft:
    """An answer or comment being assembled; frozen into a Demo* once its time is settled."""

    author: str
    body: str
    offset: timedelta
    helpful: bool = False
    accepted: bool = False
    verified: bool = False
    upvotes: int = 0
    downvotes: int = 0


@dataclass
class _Phrasing:
    """What has been asked so far, so titles stay unique and topics and wordings spread out."""

    titles: set[str]
    topic_uses: Counter[str]
    template_uses: Counter[str]


def generate_demo_threads(now: datetime, count: int = 240, seed: int = 7) -> list[DemoThread]:
    """``count`` questions with distinct titles, with answers and comments, oldest first.

    Every question is dated in the 90 days before ``now``, every answer and comment after its
    question and before ``now``. Raises ValueError for a naive ``now``, a negative ``count``,
    or more questions than the topic banks can phrase distinctly (several hundred).
    """
    now = as_utc(now)
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    days, day_weights = busy_days(now, _WINDOW_DAYS)
    phrasing = _Phrasing(set(), Counter(), Counter())
    threads = []
    for category in _category_plan(rng, count):
        created_at = _question_time(rng, now, days, day_weights)
        asker = rng.choices(DEMO_MEMBERS, _ASKER_WEIGHTS)[0]
        slots = draw_slots(rng, created_at, asker)
        topic, ask, title = _draw_question(rng, category, phrasing, slots)
        threads.append(_build_thread(rng, topic, ask, title, slots, created_at, now))
    threads.sort(key=lambda thread: thread.created_at)
    return threads


def generate_demo_searches(now: datetime, days: int = 90, seed: int = 7) -> list[DemoSearch]:
    """About 25-45 logged searches a day over the ``days`` days up to ``now``, oldest first.

    Searches marked ``results_expected`` only use words found in the threads that
    ``generate_demo_threads(now, seed=seed)`` gives, so the knowledge-gap report shows only
    the real gaps. Raises ValueError for a naive ``now``.
    """
    return searches_for_corpus(now, days, seed, corpus_words(generate_demo_threads(now, seed=seed)))


def corpus_words(threads: Sequence[DemoThread]) -> frozenset[str]:
    """Every word of the titles, bodies, tags and answers of ``threads``, lowercased."""
    words: set[str] = set()
    for thread in threads:
        for text in (thread.title, thread.body, *thread.tags, *(answer.body for answer in thread.answers)):
            words.update(words_of(text))
    return frozenset(words)


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


def _question_time(rng: random.Random, now: datetime, days: list[date], weights: list[float]) -> datetime:
    earliest, latest = now - timedelta(days=_WINDOW_DAYS), now - _MIN_QUESTION_AGE
    while True:
        moment = moment_on(rng.choices(days, weights)[0], busy_hour(rng))
        if earliest <= moment <= latest:
            return moment


def _draw_question(
    rng: random.Random, category: str, phrasing: _Phrasing, slots: dict[str, str]
) -> tuple[Topic, Ask, str]:
    """A topic, one of its asks and a title not used yet, filled in from ``slots``.

    Topics asked least often and wordings used least come first. Raises ValueError when
    every wording of the category is taken.
    """
    candidates = [
        (topic, ask, template)
        for topic in topics_in(category)
        for ask in topic.asks
        for template in ask.titles
    ]
    weights = [
        1.0 / (1 + phrasing.topic_uses[topic.key]) ** 2 / (1 + phrasing.template_uses[template]) ** 4
        for topic, _ask, template in candidates
    ]
    while candidates:
        index = rng.choices(range(len(candidates)), weights)[0]
        topic, ask, template = candidates[index]
        title = template.format_map(slots)
        if title.lower() not in phrasing.titles:
            phrasing.titles.add(title.lower())
            phrasing.topic_uses[topic.key] += 1
            phrasing.template_uses[template] += 1
            return topic, ask, title
        del candidates[index], weights[index]
    raise ValueError(f"not enough distinct {category} questions for this count")


def _build_thread(
    rng: random.Random,
    topic: Topic,
    ask: Ask,
    title: str,
    slots: dict[str, str],
    created_at: datetime,
    now: datetime,
) -> DemoThread:
    asker = slots["asker"]
    answers = _answer_drafts(rng, topic, ask, slots)
    clarifying = HOWTO_CLARIFYING if _is_question(ask, title) else CLARIFYING_COMMENTS[topic.category]
    comments = _comment_drafts(rng, clarifying, asker, answers, now - created_at)
    _fit_before(rng, answers + comments, now - created_at - timedelta(minutes=1))
    popular = rng.random() < 0.08
    upvotes = rng.randint(10, 40) if popular else rng.choices(range(6), (20, 24, 20, 14, 11, 11))[0]
    _vote_answers(rng, answers, popular)
    return DemoThread(
        title=title,
        body=_question_body(rng, ask, slots, _is_question(ask, title)),
        category=topic.category,
        tags=tuple(dict.fromkeys(tag.format_map(slots) for tag in topic.tags))[:5],
        author=asker,
        created_at=created_at,
        upvotes=upvotes,
        downvotes=rng.choices((0, 1, 2), (85, 11, 4))[0],
        views=_views(rng, upvotes, len(answers), now - created_at),
        answers=tuple(
            DemoAnswer(d.author, d.body, d.offset, d.upvotes, d.downvotes, d.accepted, d.verified)
            for d in answers
        ),
        comments=tuple(DemoComment(d.author, d.body, d.offset) for d in comments),
    )


def _is_question(ask: Ask, title: str) -> bool:
    """Whether the thread asks how or whether (rather than reporting something broken)."""
    return ask.howto or title.endswith("?")


def _question_body(rng: random.Random, ask: Ask, slots: dict[str, str], question: bool) -> str:
    """2-6 sentences of Markdown: the problem, sometimes steps tried or a log, a closing line."""
    parts = [rng.choice(ask.problems)]
    if rng.random() < 0.2:
        parts.insert(0, rng.choice(GREETINGS))
    if ask.tried and rng.random() < 0.6:
        steps = rng.sample(ask.tried, k=min(len(ask.tried), rng.randint(2, 3)))
        parts.append(rng.choice(TRIED_HEADERS) + "\n\n" + "\n".join(f"- {step}" for step in steps))
    if ask.snippet and rng.random() < 0.75:
        parts.append(rng.choice(SNIPPET_LEADS) + "\n\n" + ask.snippet)
    if rng.random() < 0.8:
        parts.append(rng.choice(HOWTO_CLOSINGS if question else PROBLEM_CLOSINGS))
    return "\n\n".join(parts).format_map(slots)


def _answer_drafts(rng: random.Random, topic: Topic, ask: Ask, slots: dict[str, str]) -> list[_Draft]:
    """0-4 answers by people other than the asker; the one that solves the ask is the first
    helpful one, and a thread with two answers or more has at least one helpful answer."""
    count = rng.choices(range(5), _ANSWER_COUNT_WEIGHTS)[0]
    others = [body for index, body in enumerate(topic.answers) if index != ask.answer]
    helpful_bodies = [topic.answers[ask.answer], *rng.sample(others, k=len(others))]
    me_too = ME_TOO_HOWTO if ask.howto else ME_TOO_PROBLEM
    me_too_bodies = rng.sample(me_too, k=len(me_too))
    taken: set[str] = {slots["asker"]}
    drafts: list[_Draft] = []
    elapsed = timedelta()
    for position in range(count):
        helped = any(draft.helpful for draft in drafts)
        wanted = (position > 0 and not helped) or rng.random() < (0.85 if position == 0 else 0.65)
        helpful = bool(helpful_bodies) and (wanted or not me_too_bodies)
        if not helpful and not me_too_bodies:
            break
        elapsed += _delay(rng, 150 if position == 0 else 300)
        if helpful:
            author = _pick_helper(rng, taken)
            body = _helpful_body(rng, helpful_bodies.pop(0), author, slots)
        else:
            author = _pick_member(rng, taken, _ASKER_WEIGHTS)
            body = me_too_bodies.pop()
        taken.add(author)
        drafts.append(_Draft(author, body, elapsed, helpful=helpful))
    helpful_drafts = [draft for draft in drafts if draft.helpful]
    if helpful_drafts and rng.random() < _ACCEPT_CHANCE:
        chosen = helpful_drafts[0] if rng.random() < 0.9 else rng.choice(helpful_drafts)
        chosen.accepted = True
    if helpful_drafts and rng.random() < _VERIFY_CHANCE:
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
    """A regular or, now and then, an advocate - at most one advocate answers a thread."""
    if not taken & set(DEMO_ADVOCATES) and rng.random() < _ADVOCATE_ANSWER_CHANCE:
        return rng.choice(DEMO_ADVOCATES)
    return _pick_member(rng, taken, _ANSWERER_WEIGHTS)


def _pick_member(rng: random.Random, taken: set[str], weights: Sequence[float]) -> str:
    pool = [(name, weight) for name, weight in zip(DEMO_MEMBERS, weights, strict=True) if name not in taken]
    return rng.choices([name for name, _ in pool], [weight for _, weight in pool])[0]


def _helpful_body(rng: random.Random, template: str, author: str, slots: dict[str, str]) -> str:
    """An answer from the topic bank; advocates greet the asker and sometimes sign off."""
    if author not in DEMO_ADVOCATES:
        return template.format_map(slots)
    parts = (rng.choice(ADVOCATE_OPENERS), template, rng.choice(ADVOCATE_CLOSERS))
    return "\n\n".join(part for part in parts if part).format_map(slots)


def _comment_drafts(
    rng: random.Random, clarifiers: Sequence[str], asker: str, answers: list[_Draft], age: timedelta
) -> list[_Draft]:
    """Clarifying questions, thanks for the accepted answer, a bump on an old unanswered one."""
    drafts: list[_Draft] = []
    clarifying = rng.sample(clarifiers, k=len(clarifiers))
    for _ in range(rng.choices(range(4), (45, 32, 15, 8))[0]):
        taken = {asker} | {draft.author for draft in drafts}
        if any(draft.helpful for draft in answers) and rng.random() < 0.4:
            body, author = rng.choice(BYSTANDER_COMMENTS), _pick_member(rng, taken, _ASKER_WEIGHTS)
            drafts.append(_Draft(author, body, answers[-1].offset + _delay(rng, 600)))
        elif clarifying:
            asked_at = _delay(rng, 60)
            if answers:  # clarifying questions come before the first answer
                asked_at = min(asked_at, answers[0].offset * rng.uniform(0.3, 0.9))
            drafts.append(_Draft(_pick_helper(rng, taken), clarifying.pop(), asked_at))
    accepted = [draft for draft in answers if draft.accepted]
    if accepted and rng.random() < 0.6:
        thanks_at = accepted[0].offset + _delay(rng, 120)
        drafts.append(_Draft(asker, rng.choice(THANKS_COMMENTS), thanks_at))
    if not answers and age > timedelta(days=2) and rng.random() < 0.5:
        drafts.append(_Draft(asker, rng.choice(BUMP_COMMENTS), timedelta(days=rng.uniform(1.0, 2.0))))
    return sorted(drafts, key=lambda draft: draft.offset)


def _delay(rng: random.Random, median_minutes: float) -> timedelta:
    """A reply delay around ``median_minutes`` with a long tail, between 3 minutes and 5 days."""
    minutes = min(max(rng.lognormvariate(0.0, 1.1) * median_minutes, 3.0), 5 * 24 * 60.0)
    return timedelta(minutes=minutes)


def _fit_before(rng: random.Random, drafts: list[_Draft], available: timedelta) -> None:
    """Squeeze the replies to a recent question, keeping their order, so none is in the future."""
    latest = max((draft.offset for draft in drafts), default=timedelta())
    if latest <= available:
        return
    factor = available * rng.uniform(0.6, 0.95) / latest
    for draft in drafts:
        draft.offset = max(draft.offset * factor, timedelta(seconds=1))


def _vote_answers(rng: random.Random, answers: list[_Draft], popular: bool) -> None:
    for draft in answers:
        if draft.accepted or draft.verified:
            bonus = (rng.randint(3, 12) if popular else 0) + (2 if draft.verified else 0)
            draft.upvotes, draft.downvotes = rng.randint(2, 8) + bonus, rng.choices((0, 1), (92, 8))[0]
        elif draft.helpful:
            draft.upvotes = rng.choices(range(6), (20, 25, 20, 15, 10, 10))[0]
            draft.downvotes = rng.choices((0, 1), (88, 12))[0]
        else:
            draft.upvotes = rng.choices((0, 1, 2), (60, 30, 10))[0]
            draft.downvotes = rng.choices((0, 1, 2), (70, 22, 8))[0]


def _views(rng: random.Random, upvotes: int, answer_count: int, age: timedelta) -> int:
    """Page views that grow with votes, answers and age, between 5 and 2,000."""
    views = (
        rng.randint(5, 30)
        + upvotes * rng.randint(15, 45)
        + answer_count * rng.randint(4, 15)
        + int(age / timedelta(days=1) * rng.uniform(0.3, 2.5))
    )
    return min(max(views, 5), 2000)
