"""The rendered thread articles anonymous readers share, kept per worker process."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from forum.questions.queries import Thread


@dataclass(frozen=True)
class Article:
    version: Hashable
    expires: float
    html: str
    thread: Thread  # detached snapshot, for the partials after the answers


class ThreadArticles:
    """Threads as every anonymous reader sees them, rendered once and kept per worker.

    An entry is used only while the thread's version is unchanged: its question row (edits,
    votes, new answers and comments, acceptance, lock, visibility) and each answer's and
    comment's score, edit time, accuracy and visibility, read with the row in one query
    (``queries.thread_question``). What the version does not cover (authors' reputation and
    names, the re-check notice on old verifications) is at most ``seconds`` old
    (``THREAD_CACHE_SECONDS``). Signed-in readers always get a live page.

    At most ``max_entries`` threads are kept (``THREAD_CACHE_ENTRIES``); the least recently
    read one makes room for a new one, so the popular threads stay while crawlers walk the
    long tail. An entry of a ten-answer thread is about 0.1 MB (its HTML and the loaded rows).
    """

    def __init__(self, seconds: float, max_entries: int) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._articles: OrderedDict[int, Article] = OrderedDict()

    def __len__(self) -> int:
        return len(self._articles)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._articles

    def get(self, question_id: int, version: Hashable) -> Article | None:
        with self._lock:
            article = self._articles.get(question_id)
            if article is not None:
                self._articles.move_to_end(question_id)
        if article is None or article.version != version or article.expires < time.monotonic():
            return None
        return article

    def put(self, question_id: int, version: Hashable, html: str, thread: Thread) -> Article:
        article = Article(version, time.monotonic() + self.seconds, html, thread)
        if self.max_entries <= 0:
            return article
        with self._lock:
            self._articles[question_id] = article
            self._articles.move_to_end(question_id)
            while len(self._articles) > self.max_entries:
                self._articles.popitem(last=False)
        return article
