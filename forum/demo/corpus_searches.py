"""Demo search log: what visitors typed into the search box over the last weeks.

Most searches are about topics the demo threads cover, in customers' own words and now
and then with a typo; about one in six asks about something never discussed, and the same
few of those knowledge gaps come back again and again so that they rank in the report.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from forum.demo.corpus_clock import as_utc, busy_hour, moment_on
from forum.demo.corpus_text import GAP_SEARCHES
from forum.demo.corpus_topics import DEMO_TOPICS

_GAP_SEARCH_SHARE = 0.17
_CLICK_CHANCE, _CLICK_CHANCE_WITH_TYPO = 0.63, 0.45


@dataclass(frozen=True)
class DemoSearch:
    at: datetime
    query: str
    results_expected: bool  # whether the query is about something the demo threads cover
    clicked: bool


def searches_for_corpus(now: datetime, days: int, seed: int, vocabulary: frozenset[str]) -> list[DemoSearch]:
    """25-45 searches on each calendar day of the ``days`` days up to ``now``, oldest first.

    Searches about covered topics only use wordings whose words are all in ``vocabulary``
    (the words of the demo threads), so each of them can find something. Today only gets
    the searches whose time has come. Raises ValueError for a naive ``now``.
    """
    now = as_utc(now)
    rng = random.Random(seed)
    topics = _findable_wordings(vocabulary)
    topic_weights = _topic_popularity(rng, len(topics))
    searches = []
    for days_ago in range(days):
        day = now.date() - timedelta(days=days_ago)
        for _ in range(_searches_on(rng, day, days_ago, days)):
            at = moment_on(day, busy_hour(rng))
            if at < now:
                searches.append(_one_search(rng, at, topics, topic_weights))
    searches.sort(key=lambda search: search.at)
    return searches


def words_of(text: str) -> list[str]:
    """The lowercase words and numbers of ``text``, as the corpus and the queries are compared."""
    return re.findall(r"[a-z0-9]+", text.lower())


def _findable_wordings(vocabulary: frozenset[str]) -> list[tuple[str, ...]]:
    """Per topic, the search wordings whose words all occur in the corpus (topics with none are left out)."""
    per_topic = (
        tuple(phrase for phrase in topic.searches if set(words_of(phrase)) <= vocabulary)
        for topic in DEMO_TOPICS
    )
    return [phrases for phrases in per_topic if phrases]


def _topic_popularity(rng: random.Random, count: int) -> list[float]:
    """How often each topic is searched for: a few topics get most of the searches."""
    ranks = list(range(count))
    rng.shuffle(ranks)
    return [1.0 / (rank + 4) for rank in ranks]


def _searches_on(rng: random.Random, day: date, days_ago: int, days: int) -> int:
    base = 35 if day.weekday() < 5 else 27
    trend = 4 * (1 - days_ago / max(days, 1))
    return min(max(round(base + trend + rng.uniform(-5, 5)), 25), 45)


def _one_search(
    rng: random.Random, at: datetime, topics: list[tuple[str, ...]], topic_weights: list[float]
) -> DemoSearch:
    if rng.random() < _GAP_SEARCH_SHARE:
        _weight, main, others = rng.choices(GAP_SEARCHES, [gap[0] for gap in GAP_SEARCHES])[0]
        wording = main if not others or rng.random() < 0.65 else rng.choice(others)
        return DemoSearch(at, _as_typed(rng, wording)[0], results_expected=False, clicked=False)
    wordings = rng.choices(topics, topic_weights)[0]
    query, typo = _as_typed(rng, rng.choice(wordings))
    click_chance = _CLICK_CHANCE_WITH_TYPO if typo else _CLICK_CHANCE
    return DemoSearch(at, query, results_expected=True, clicked=rng.random() < click_chance)


def _as_typed(rng: random.Random, phrase: str) -> tuple[str, bool]:
    """The phrase as a visitor types it: mostly lowercase, sometimes with a typo."""
    typo = False
    if rng.random() < 0.06:
        phrase, typo = _with_typo(rng, phrase)
    if rng.random() < 0.04 and "brightwave" not in phrase:
        phrase = f"brightwave {phrase}"
    if rng.random() < 0.08:
        phrase = phrase[:1].upper() + phrase[1:]
    return phrase, typo


def _with_typo(rng: random.Random, phrase: str) -> tuple[str, bool]:
    """Swap, drop or double one letter of a longer word; unchanged if no word is long enough."""
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
    typed = " ".join(words)
    return typed, typed != phrase
