"""Hold small writes in the worker process and write them together (thread views).

A ``WriteBuffer`` keeps items in memory and hands them to its writer in one batch: when
it holds ``size`` items, when its oldest item has waited ``seconds`` (a timer thread, so
an idle worker writes too), when asked (``flush``) and when the process exits normally
(``atexit``; gunicorn workers exit this way on a restart or a graceful stop). A failed
write keeps its items for the next attempt, so only a crash of the process (SIGKILL, a
worker timeout, a power cut) loses what was held - at most ``size`` items or ``seconds``
of them. With ``size`` 0 nothing is held (``holds_items``): the caller writes each item.

Each process has its own buffer: a forked child starts empty (its parent still owns and
writes what it held before the fork; ``os.register_at_fork``).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from flask import Flask

log = logging.getLogger(__name__)
T = TypeVar("T")

BACKLOG_LIMIT = 50_000
"""Items kept while writes keep failing (the database is down); older ones are dropped."""

_open_buffers: weakref.WeakSet[WriteBuffer[object]] = weakref.WeakSet()


class WriteBuffer(Generic[T]):
    """Items waiting to be written by ``writer`` in one batch, inside an app context.

    ``size_key`` and ``seconds_key`` name the app settings read on each ``add``, so a
    changed setting applies at once.
    """

    def __init__(
        self, app: Flask, writer: Callable[[Sequence[T]], None], size_key: str, seconds_key: str
    ) -> None:
        self.app = app
        self.writer = writer
        self.size_key = size_key
        self.seconds_key = seconds_key
        self._lock = threading.Lock()
        self._items: list[T] = []
        self._timer: threading.Timer | None = None
        _open_buffers.add(self)  # type: ignore[arg-type]

    @property
    def holds_items(self) -> bool:
        """False when ``size`` is 0: the caller writes each item itself."""
        return int(self.app.config[self.size_key]) > 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def add(self, item: T) -> bool:
        """Hold ``item``; True when the buffer is full and should be written now."""
        size = int(self.app.config[self.size_key])
        with self._lock:
            self._items.append(item)
            full = len(self._items) >= size
            if not full and self._timer is None:
                self._start_timer()
        return full

    def flush(self) -> int:
        """Write every held item in one batch; returns how many were written.

        On failure the items are kept for the next attempt (logged, never raised): the
        callers are a finished response, a timer thread and the interpreter's exit.
        """
        with self._lock:
            items, self._items = self._items, []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if not items:
            return 0
        try:
            with self.app.app_context():  # its own session, whatever the caller's context holds
                self.writer(items)
        except Exception:
            log.exception("could not write %d buffered items; keeping them for the next attempt", len(items))
            self._keep(items)
            return 0
        return len(items)

    def _keep(self, items: list[T]) -> None:
        with self._lock:
            self._items[:0] = items
            dropped = len(self._items) - BACKLOG_LIMIT
            if dropped > 0:
                del self._items[:dropped]
                log.error("write buffer over %d items: dropped the %d oldest", BACKLOG_LIMIT, dropped)
            if self._timer is None:
                self._start_timer()

    def _start_empty(self) -> None:
        """In a forked child: the parent writes what it held, and its lock or timer is not ours."""
        self._lock = threading.Lock()
        self._items, self._timer = [], None

    def _start_timer(self) -> None:
        """Write in ``seconds`` from now (the lock is held)."""
        timer = threading.Timer(float(self.app.config[self.seconds_key]), self.flush)
        timer.daemon = True  # the exit hook writes what is left; never hold the exit up
        timer.start()
        self._timer = timer


def flush_all() -> int:
    """Write every buffer of this process now (the exit hook); returns the items written."""
    return sum(buffer.flush() for buffer in list(_open_buffers))


def _empty_buffers_in_child() -> None:
    for buffer in list(_open_buffers):
        buffer._start_empty()


os.register_at_fork(after_in_child=_empty_buffers_in_child)
atexit.register(flush_all)
