"""Every demo topic, across the four categories, in one place."""

from __future__ import annotations

from forum.demo.corpus_billing import BILLING_TOPICS
from forum.demo.corpus_platform import PLATFORM_TOPICS
from forum.demo.corpus_product import PRODUCT_TOPICS
from forum.demo.corpus_technical import TECHNICAL_TOPICS
from forum.demo.corpus_text import Topic
from forum.demo.corpus_website import WEBSITE_TOPICS

DEMO_TOPICS: tuple[Topic, ...] = (
    PRODUCT_TOPICS + WEBSITE_TOPICS + TECHNICAL_TOPICS + PLATFORM_TOPICS + BILLING_TOPICS
)


def topics_in(category: str) -> tuple[Topic, ...]:
    """The topics of one category slug, in a fixed order (empty for an unknown slug)."""
    return tuple(topic for topic in DEMO_TOPICS if topic.category == category)
