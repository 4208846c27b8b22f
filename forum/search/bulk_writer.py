"""Writers for a full rebuild of the index, several times cheaper per posting than Whoosh's own.

Whoosh's ``SegmentWriter`` sends every posting through a generator of analyzer
tokens, then appends it as a tuple to a pool that is sorted at the end and,
past its memory limit, spilled to temporary files and merged back in pure Python.
With 100,000 threads (about 25 million postings) the spilling and merging took
most of the rebuild. Here the postings of a segment are grouped by field and term
as they arrive, in compact arrays (about 16 bytes a posting), so nothing is sorted
but the distinct terms and nothing is spilled; words of the stemming analyzer are
counted with one regex pass and a ``Counter``. The segment written is an ordinary
Whoosh segment: only the way to it is shorter.

``BulkSegmentWriter`` writes one segment; ``BulkMpWriter`` runs one per process
(Whoosh's multiprocessing writer with our writer in each process, one segment each).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.fields import FieldType, Schema
from whoosh.formats import Frequency
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from forum.search.analysis import StemmedWords

PARALLEL_REBUILD_FROM = 5_000  # documents; below this, starting processes costs more than it gives
REBUILD_MAX_PROCS = 2

Posting = tuple[str, bytes, int, float, bytes]
TermItems = Iterable[tuple[bytes, int, float, bytes]]


class GroupedPostings:
    """The postings of one segment, grouped by (field, term) in arrival (document) order.

    It stands in for Whoosh's ``PostingPool`` (``add``, ``iter_postings``,
    ``fieldnames``, ``cleanup``); documents must arrive in increasing docnum order,
    as a writer adds them.
    """

    def __init__(self) -> None:
        self.fieldnames: set[str] = set()
        self._lists: dict[tuple[str, bytes], tuple[array[int], array[float], list[bytes]]] = {}
        self._shared_values: dict[bytes, bytes] = {}  # one bytes object per distinct payload

    def add_terms(self, fieldname: str, items: TermItems, docnum: int) -> int:
        """Add one document's terms of one field; returns the sum of their frequencies."""
        self.fieldnames.add(fieldname)
        lists = self._lists
        shared = self._shared_values
        length = 0
        for tbytes, freq, weight, vbytes in items:
            postings = lists.get((fieldname, tbytes))
            if postings is None:
                postings = lists[(fieldname, tbytes)] = (array("I"), array("f"), [])
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(shared.setdefault(vbytes, vbytes))
            length += freq
        return length

    def add(self, item: Posting) -> None:
        """Whoosh's pool interface: one (field, term, docnum, weight, payload) posting."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_terms(fieldname, [(tbytes, 1, weight, vbytes or b"")], docnum)

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, sorted by field, term and docnum, as a codec's field writer takes them."""
        for key in sorted(self._lists):
            fieldname, tbytes = key
            ids, weights, values = self._lists[key]
            for docnum, weight, vbytes in zip(ids, weights, values, strict=True):
                yield fieldname, tbytes, docnum, weight, vbytes

    def cleanup(self) -> None:
        self._lists.clear()
        self._shared_values.clear()


def _counted_terms(field: FieldType, value: str) -> TermItems | None:
    """The (term, frequency, weight, payload) items of a stemmed text field, counted in one pass;
    None when the field is not one whose items this shortcut reproduces exactly."""
    analyzer = field.analyzer
    fmt = field.format
    if type(analyzer) is not StemmedWords or type(fmt) is not Frequency or fmt.field_boost != 1.0:
        return None
    if not isinstance(value, str):
        return None
    return (
        (term.encode("utf-8"), freq, float(freq), pack_uint(freq))
        for term, freq in analyzer.term_counts(value).items()
    )


class BulkSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` for adding many new documents: grouped postings, counted terms.

    Only ``add_document`` differs. Fields with spelling words or term vectors (we
    have none) would need Whoosh's own path, so they are refused.
    """

    def __init__(self, ix: Any, schema: Schema | None = None, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.pool = GroupedPostings()
        if schema is not None:  # a rebuild writes (and commits) the current schema, not the index's old one
            self.schema = schema

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        schema = self.schema
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdocwriter.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is not None:
                    self._add_field(name, schema[name], value, docnum)
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field(self, name: str, field: FieldType, value: Any, docnum: int) -> None:
        if field.separate_spelling() or field.vector:
            raise ValueError(f"field {name!r} needs Whoosh's own writer (spelling words or vectors)")
        length = 0
        if field.indexed:
            items = _counted_terms(field, value)
            length = self.pool.add_terms(name, field.index(value) if items is None else items, docnum)
        self.perdocwriter.add_field(
            name, field, value if field.stored else None, length if field.scorable else 0
        )
        column = field.column_type
        if column:
            self.perdocwriter.add_column_value(name, column, field.to_column_value(value))


class _BulkSubWriterTask(SubWriterTask):
    """One process of ``BulkMpWriter``: a ``BulkSegmentWriter`` making its own segment."""

    def run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = BulkSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


class BulkMpWriter(MpWriter):
    """Whoosh's multiprocessing writer, each process a ``BulkSegmentWriter`` (one segment each)."""

    def __init__(self, ix: Any, schema: Schema | None = None, **kwargs: Any) -> None:
        kwargs["multisegment"] = True  # each process's segment is kept as it is
        super().__init__(ix, **kwargs)
        self.pool = GroupedPostings()
        if schema is not None:
            self.schema = self.subargs["schema"] = schema

    def _new_task(self) -> _BulkSubWriterTask:
        task = _BulkSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        self.tasks.append(task)
        task.start()
        return task


def open_rebuild_writer(ix: Any, expected: int | None, **options: Any) -> SegmentWriter:
    """The writer of a full rebuild: one process per core when there is enough to repay them.

    Pass ``schema=`` to give the rebuilt index that schema (an index built by an older
    release keeps its own until then; the terms are the same, the writing slower)."""
    procs = min(REBUILD_MAX_PROCS, os.cpu_count() or 1)
    if expected is None or expected < PARALLEL_REBUILD_FROM or procs < 2:
        return BulkSegmentWriter(ix, **options)
    return BulkMpWriter(ix, procs=procs, batchsize=256, **options)
