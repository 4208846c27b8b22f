"""The demo corpus: realistic, well-formed and deterministic threads and searches."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

from forum.demo.corpus import (
    DEMO_ADVOCATES,
    DEMO_CATEGORIES,
    DEMO_MEMBERS,
    DemoSearch,
    DemoThread,
    corpus_words,
    generate_demo_searches,
    generate_demo_threads,
)
from forum.demo.corpus_text import GAP_SEARCHES, draw_slots
from forum.demo.corpus_topics import DEMO_TOPICS

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
SLUGS = {"product", "website", "technical", "billing"}
TAG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,29}$")
UNFILLED_SLOT = re.compile(r"\{[a-z_]+\}")


@cache
def demo_threads(seed: int = 7, now: datetime = NOW) -> tuple[DemoThread, ...]:
    return tuple(generate_demo_threads(now, seed=seed))


@cache
def demo_searches(seed: int = 7) -> tuple[DemoSearch, ...]:
    return tuple(generate_demo_searches(NOW, seed=seed))


def answered(threads: tuple[DemoThread, ...]) -> list[DemoThread]:
    return [thread for thread in threads if thread.answers]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def corpus_vocabulary() -> frozenset[str]:
    return corpus_words(demo_threads())


def test_generates_the_requested_number_of_threads() -> None:
    assert len(demo_threads()) == 240
    assert len(generate_demo_threads(NOW, count=25)) == 25
    assert generate_demo_threads(NOW, count=0) == []


def test_titles_are_unique_and_between_15_and_150_characters() -> None:
    titles = [thread.title for thread in demo_threads()]
    assert len({title.lower() for title in titles}) == len(titles)
    assert all(15 <= len(title) <= 150 for title in titles)


def test_a_larger_count_still_gives_unique_titles() -> None:
    titles = [thread.title.lower() for thread in generate_demo_threads(NOW, count=400, seed=3)]
    assert len(set(titles)) == 400


def test_tags_are_one_to_five_lowercase_hyphenated_names() -> None:
    for thread in demo_threads():
        assert 1 <= len(thread.tags) <= 5
        assert len(set(thread.tags)) == len(thread.tags)
        assert all(TAG_PATTERN.match(tag) and len(tag) <= 35 for tag in thread.tags), thread.tags


def test_every_category_is_one_of_the_four_and_well_represented() -> None:
    counts = Counter(thread.category for thread in demo_threads())
    assert set(counts) == SLUGS == {slug for slug, _name, _description in DEMO_CATEGORIES}
    assert min(counts.values()) >= 30


def test_usernames_are_valid_distinct_and_members_are_not_advocates() -> None:
    names = DEMO_MEMBERS + DEMO_ADVOCATES
    assert all(USERNAME_PATTERN.match(name) for name in names)
    assert len(set(names)) == len(names)
    assert 35 <= len(DEMO_MEMBERS) <= 45 and 3 <= len(DEMO_ADVOCATES) <= 6


def test_authors_are_demo_users_and_askers_are_members() -> None:
    people = set(DEMO_MEMBERS) | set(DEMO_ADVOCATES)
    for thread in demo_threads():
        assert thread.author in DEMO_MEMBERS
        assert {answer.author for answer in thread.answers} <= people
        assert {comment.author for comment in thread.comments} <= people


def test_at_most_one_accepted_answer_and_never_by_the_asker() -> None:
    for thread in demo_threads():
        accepted = [answer for answer in thread.answers if answer.accepted]
        assert len(accepted) <= 1
        assert all(answer.author != thread.author for answer in accepted)
        assert len({answer.author for answer in thread.answers}) == len(thread.answers)


def test_share_of_unanswered_threads_is_between_5_and_20_percent() -> None:
    for seed in (7, 8):
        threads = demo_threads(seed)
        unanswered = len(threads) - len(answered(threads))
        assert 0.05 <= unanswered / len(threads) <= 0.20


def test_about_half_of_answered_threads_are_solved_and_some_verified() -> None:
    threads = answered(demo_threads())
    solved = sum(any(answer.accepted for answer in thread.answers) for thread in threads)
    verified = sum(any(answer.verified for answer in thread.answers) for thread in threads)
    assert 0.45 <= solved / len(threads) <= 0.65
    assert 0.08 <= verified / len(threads) <= 0.22
    assert max(len(thread.answers) for thread in threads) == 4


@pytest.mark.parametrize("now", [NOW, datetime(2025, 3, 3, 0, 10, tzinfo=UTC)])
def test_threads_fall_in_the_90_days_before_now_and_replies_follow_them(now: datetime) -> None:
    threads = demo_threads(7, now)
    assert [thread.created_at for thread in threads] == sorted(thread.created_at for thread in threads)
    for thread in threads:
        assert thread.created_at.utcoffset() == timedelta(0)
        assert now - timedelta(days=90) <= thread.created_at <= now
        offsets = [answer.offset for answer in thread.answers] + [c.offset for c in thread.comments]
        for offset in offsets:
            assert offset > timedelta(0)
            assert thread.created_at + offset < now


def test_weekdays_and_recent_weeks_are_busier() -> None:
    threads = demo_threads()
    weekday = sum(thread.created_at.weekday() < 5 for thread in threads)
    assert weekday / 5 > 1.5 * (len(threads) - weekday) / 2
    recent = sum(NOW - thread.created_at <= timedelta(days=30) for thread in threads)
    oldest = sum(NOW - thread.created_at > timedelta(days=60) for thread in threads)
    assert recent > oldest


def test_comments_are_short_plain_text() -> None:
    comments = [comment for thread in demo_threads() for comment in thread.comments]
    assert len(comments) > 100
    assert all(0 < len(comment.body) <= 300 for comment in comments)
    assert not any(re.search(r"[*`#]|\]\(", comment.body) for comment in comments)


def test_bodies_use_markdown_code_blocks_lists_and_inline_code() -> None:
    bodies = [thread.body for thread in demo_threads()]
    answers = [answer.body for thread in demo_threads() for answer in thread.answers]
    assert sum("```" in body for body in bodies) >= 15
    assert sum("\n- " in body for body in bodies) >= 15
    assert sum(re.search(r"[^`]`[^`]+`", body) is not None for body in bodies) >= 15
    assert any("\n1. " in body for body in answers)
    assert not any(UNFILLED_SLOT.search(text) for text in bodies + answers)


def test_every_template_fills_in_with_drawn_details() -> None:
    slots = draw_slots(random.Random(1), NOW, "maria.keller")
    for topic in DEMO_TOPICS:
        assert topic.category in SLUGS
        for ask in topic.asks:
            assert 0 <= ask.answer < len(topic.answers)
            assert all(15 <= len(title.format_map(slots)) <= 150 for title in ask.titles)
            for template in (*ask.problems, *ask.tried, ask.snippet, *topic.answers, *topic.tags):
                assert not UNFILLED_SLOT.search(template.format_map(slots)), template


def test_votes_are_mostly_small_with_a_few_popular_threads_and_views_follow() -> None:
    threads = demo_threads()
    small = [thread for thread in threads if thread.upvotes <= 5]
    popular = [thread for thread in threads if thread.upvotes >= 10]
    assert len(small) >= 0.8 * len(threads) and 3 <= len(popular) <= 0.15 * len(threads)
    assert max(thread.upvotes for thread in threads) <= 40
    assert all(5 <= thread.views <= 2000 for thread in threads)
    mean_small = sum(thread.views for thread in small) / len(small)
    assert sum(thread.views for thread in popular) / len(popular) > 2 * mean_small


def test_same_seed_gives_the_same_corpus_and_another_seed_a_different_one() -> None:
    assert generate_demo_threads(NOW, seed=7) == list(demo_threads(7))
    assert generate_demo_searches(NOW, seed=7) == list(demo_searches(7))
    assert generate_demo_threads(NOW, seed=8) != list(demo_threads(7))
    assert generate_demo_searches(NOW, seed=8) != list(demo_searches(7))


def test_a_naive_now_or_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        generate_demo_threads(datetime(2025, 3, 14, 9, 30))
    with pytest.raises(ValueError):
        generate_demo_searches(datetime(2025, 3, 14, 9, 30))
    with pytest.raises(ValueError):
        generate_demo_threads(NOW, count=-1)


def test_searches_cover_90_days_with_25_to_45_a_day() -> None:
    searches = demo_searches()
    assert [search.at for search in searches] == sorted(search.at for search in searches)
    assert all(NOW - timedelta(days=90) <= search.at < NOW for search in searches)
    per_day = Counter(search.at.date() for search in searches)
    full_days = [day for day in per_day if day != NOW.date()]
    assert len(full_days) == 89
    assert all(25 <= per_day[day] <= 45 for day in full_days)
    assert 2000 <= len(searches) <= 4000


def test_knowledge_gap_queries_repeat_and_are_not_covered_by_the_corpus() -> None:
    searches = demo_searches()
    gaps = Counter(search.query for search in searches if not search.results_expected)
    assert 0.12 <= sum(gaps.values()) / len(searches) <= 0.22
    assert len([query for query, count in gaps.items() if count >= 10]) >= 3
    vocabulary = corpus_vocabulary()
    for _weight, main, others in GAP_SEARCHES:
        for wording in (main, *others):
            assert any(word not in vocabulary for word in words(wording)), wording


def test_corpus_words_are_the_lowercased_words_of_the_threads() -> None:
    vocabulary = corpus_vocabulary()
    thread = demo_threads()[0]
    assert set(words(thread.title)) | set(thread.tags[0].split("-")) <= vocabulary
    assert all(word == word.lower() for word in vocabulary)
    assert "hipaa" not in vocabulary


def test_matching_searches_only_use_words_found_in_the_corpus() -> None:
    vocabulary = corpus_vocabulary()
    phrases = {phrase for topic in DEMO_TOPICS for phrase in topic.searches}
    typed = {search.query.lower() for search in demo_searches() if search.results_expected}
    exact = [query for query in typed if query.removeprefix("brightwave ") in phrases]
    assert len(exact) >= 150
    assert [query for query in exact if not set(words(query)) <= vocabulary] == []
    findable = [phrase for phrase in phrases if set(words(phrase)) <= vocabulary]
    assert len(findable) >= 0.97 * len(phrases)


def test_only_matching_searches_are_clicked_about_60_percent_of_the_time() -> None:
    searches = demo_searches()
    matching = [search for search in searches if search.results_expected]
    assert not any(search.clicked for search in searches if not search.results_expected)
    assert 0.5 <= sum(search.clicked for search in matching) / len(matching) <= 0.7


def test_queries_are_mostly_lowercase_with_some_typos() -> None:
    searches = demo_searches()
    phrases = {phrase for topic in DEMO_TOPICS for phrase in topic.searches}
    typed = [
        search.query.lower().removeprefix("brightwave ") for search in searches if search.results_expected
    ]
    unknown = [query for query in typed if query not in phrases]
    assert 0.01 <= len(unknown) / len(typed) <= 0.12
    assert sum(search.query == search.query.lower() for search in searches) / len(searches) >= 0.85
