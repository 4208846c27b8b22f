"""The write buffer on its own (no database): when it writes, what a failed write keeps, the
timer of an idle worker, and the write at the exit of the process."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from flask import Flask

from analytics import batching
from analytics.batching import WriteBuffer, flush_all
from tests.support import PROJECT_ROOT


class Writer:
    """Records each batch; fails while ``failures`` is above zero."""

    def __init__(self, failures: int = 0) -> None:
        self.batches: list[list[int]] = []
        self.failures = failures
        self.wrote = threading.Event()

    def __call__(self, items: Sequence[int]) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("the database is away")
        self.batches.append(list(items))
        self.wrote.set()


def make_buffer(
    size: int = 3, seconds: float = 60.0, writer: Writer | None = None
) -> tuple[WriteBuffer[int], Writer]:
    app = Flask(__name__)
    app.config.update(TEST_BUFFER=size, TEST_SECONDS=seconds)
    writer = writer or Writer()
    return WriteBuffer(app, writer, "TEST_BUFFER", "TEST_SECONDS"), writer


def test_items_wait_until_the_buffer_is_full_and_are_written_once_in_one_batch():
    buffer, writer = make_buffer(size=3)
    assert [buffer.add(1), buffer.add(2)] == [False, False]
    assert writer.batches == [] and len(buffer) == 2
    assert buffer.add(3) is True  # full: the caller writes it now
    assert buffer.flush() == 3
    assert buffer.flush() == 0  # nothing is written twice
    assert writer.batches == [[1, 2, 3]] and len(buffer) == 0


def test_a_failed_write_keeps_its_items_in_order_for_the_next_attempt(caplog):
    buffer, writer = make_buffer(writer=Writer(failures=1))
    buffer.add(1)
    buffer.add(2)
    assert buffer.flush() == 0
    assert "keeping them for the next attempt" in caplog.text
    buffer.add(3)
    assert buffer.flush() == 3
    assert writer.batches == [[1, 2, 3]]


def test_while_writes_fail_only_the_newest_items_are_kept(monkeypatch):
    monkeypatch.setattr(batching, "BACKLOG_LIMIT", 3)
    buffer, writer = make_buffer(size=10, writer=Writer(failures=2))
    for item in (1, 2):
        buffer.add(item)
    buffer.flush()
    for item in (3, 4, 5):
        buffer.add(item)
    buffer.flush()
    assert buffer.flush() == 3
    assert writer.batches == [[3, 4, 5]]


def test_an_idle_buffer_writes_when_its_oldest_item_has_waited_the_interval():
    buffer, writer = make_buffer(size=100, seconds=0.05)
    began = time.monotonic()
    buffer.add(1)
    buffer.add(2)
    assert writer.wrote.wait(timeout=10)
    assert time.monotonic() - began >= 0.05
    assert writer.batches == [[1, 2]] and len(buffer) == 0


def test_size_zero_leaves_every_write_to_the_caller_at_once():
    buffer, writer = make_buffer(size=0, seconds=0.01)
    assert buffer.holds_items is False and make_buffer(size=1)[0].holds_items is True
    assert buffer.add(1) is True
    time.sleep(0.1)
    assert writer.batches == []  # no timer: the caller writes right after its response
    assert buffer.flush() == 1 and writer.batches == [[1]]


def test_flush_all_writes_every_buffer_of_the_process():
    first, first_writer = make_buffer()
    second, second_writer = make_buffer()
    first.add(1)
    second.add(2)
    assert flush_all() >= 2
    assert (first_writer.batches, second_writer.batches) == ([[1]], [[2]])


EXITING_PROCESS = """
import sys
from flask import Flask
from analytics.batching import WriteBuffer

def write(items):
    with open(sys.argv[1], "a") as handle:
        handle.write(",".join(map(str, items)))

app = Flask("exiting")
app.config.update(SIZE=100, SECONDS=600.0)
buffer = WriteBuffer(app, write, "SIZE", "SECONDS")
for item in (7, 8, 9):
    buffer.add(item)
sys.exit(0)  # as a gunicorn worker does on a graceful stop or a restart
"""


@pytest.mark.slow
def test_a_process_writes_what_it_holds_when_it_exits(tmp_path: Path):
    out = tmp_path / "written.txt"
    subprocess.run(
        [sys.executable, "-c", EXITING_PROCESS, str(out)], cwd=PROJECT_ROOT, check=True, timeout=60
    )
    assert out.read_text() == "7,8,9"


def test_a_forked_child_starts_empty_and_leaves_the_parents_items_to_the_parent():
    import os

    buffer, writer = make_buffer(size=10, seconds=60)
    buffer.add(1)
    child = os.fork()
    if child == 0:  # the child: nothing held, and its exit writes nothing of the parent's
        code = 0 if len(buffer) == 0 and flush_all() == 0 and writer.batches == [] else 1
        os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert len(buffer) == 1 and buffer.flush() == 1 and writer.batches == [[1]]
