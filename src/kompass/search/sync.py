"""Keeping each process's index in step with the database.

The database says what the index must hold (``IndexStamp``: one random stamp per
published evaluation, drawn whenever its passages are reindexed); the index folder says
what it holds (``state.json``: the stamps it was built from, written with every commit).
Before a search, a process whose data version changed since it last looked (a stamp
change raises it, by trigger) compares the two under a file lock and writes the
difference: the evaluations whose stamps differ are reindexed, those gone are removed.
So an index is never behind what the database has committed when a search starts, a
rolled-back publication never reaches it for long, and several web servers sharing one
PostgreSQL each keep their own index (or share one folder on a shared disk: the lock is
the same)."""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import tantivy
from django.db import connection

from kompass.evaluations.summaries import data_version
from kompass.search import engine, indexer

WRITER_HEAP = 256 * 1024 * 1024  # bytes for a full rebuild; Tantivy splits it over its threads
SMALL_HEAP = 32 * 1024 * 1024  # for a few evaluations
COMPARED_AT_ONCE = 500  # more evaluations to compare than this: compare them all

_STAMPS = (
    "SELECT s.evaluation_id, s.stamp FROM search_indexstamp s "
    "JOIN evaluations_evaluation e ON e.id = s.evaluation_id WHERE e.status = 'published'"
)


class Reader:
    """An index as one process reads it: the Tantivy index, its current searcher and the
    searcher's vocabulary, and the data version it was last compared at."""

    def __init__(self, path: Path):
        self.path = path
        self.index = engine.open_index(path)
        self.lock = threading.Lock()  # one catching up at a time in this process
        self.compared_at: str | None = None
        self.loaded: str | None = None  # the state file's generation the searcher shows
        self.held: tuple[str | None, dict[int, str]] = (None, {})  # the state file as last read or written
        self._searcher: tantivy.Searcher | None = None
        self._vocabulary: engine.Vocabulary | None = None

    def view(self) -> tuple[tantivy.Searcher, engine.Vocabulary]:
        with self.lock:
            if self._searcher is None:
                self.index.reload()
                self._searcher = self.index.searcher()
                self._vocabulary = engine.Vocabulary(self._searcher)
            return self._searcher, self._vocabulary

    def reloaded(self, generation: str | None) -> None:
        if generation != self.loaded:
            self._searcher = self._vocabulary = None
            self.loaded = generation


_readers: dict[Path, Reader] = {}
_readers_lock = threading.Lock()


def reader() -> Reader:
    path = engine.folder()
    with _readers_lock:
        if path not in _readers:
            _readers[path] = Reader(path)
        return _readers[path]


@contextmanager
def _folder_lock(path: Path):
    """Across processes: one writer, and nobody compares while another writes."""
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "kompass.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _held(index: Reader) -> tuple[dict[int, str], str | None]:
    """The stamps the folder holds: from memory when this process wrote or read the
    folder's current generation (its own small file), else from ``state.json``."""
    try:
        generation = (index.path / "generation").read_text()
    except FileNotFoundError:
        return {}, None
    if index.held[0] != generation:
        state = json.loads((index.path / "state.json").read_text())
        index.held = (state["generation"], {int(k): v for k, v in state["stamps"].items()})
    return dict(index.held[1]), index.held[0]


def _write_state(index: Reader, stamps: dict[int, str]) -> str:
    generation = secrets.token_hex(8)
    for name, text in (("state.json", json.dumps({"generation": generation, "stamps": {str(k): v for k, v in stamps.items()}})),
                       ("generation", generation)):
        temporary = index.path / f"{name}.{generation}"
        temporary.write_text(text)
        os.replace(temporary, index.path / name)
    index.held = (generation, dict(stamps))
    return generation


def wanted(evaluation_ids: list[int] | None = None) -> dict[int, str]:
    """The stamps of the published evaluations (of those given, or all)."""
    sql, params = _STAMPS, []
    if evaluation_ids is not None:
        sql += f" AND s.evaluation_id IN ({', '.join(['%s'] * len(evaluation_ids))})"
        params = list(evaluation_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def current() -> tuple[tantivy.Searcher, engine.Vocabulary]:
    """The searcher and vocabulary to search with, after catching up with the database if
    the data version changed since this process last compared. Inside a transaction
    (tests, a command) it always compares: what the transaction sees is what counts."""
    index = reader()
    version = data_version()
    committed = not connection.in_atomic_block
    if not committed or index.compared_at != version:
        catch_up(index)
        index.compared_at = version if committed else None
    return index.view()


def catch_up(index: Reader, only: list[int] | None = None) -> int:
    """Writes what differs between the stamps and the index (for the evaluations ``only``,
    or all); returns the evaluations reindexed."""
    with index.lock, _folder_lock(index.path):
        held, generation = _held(index)
        stamps = wanted(only)
        stale = sorted(e for e, stamp in stamps.items() if held.get(e) != stamp)
        gone = sorted(e for e in (held if only is None else only) if e in held and e not in stamps)
        if stale or gone:
            _write(index.index, remove=gone + stale, add=stale, heap=SMALL_HEAP if len(stale) < 200 else WRITER_HEAP)
            for evaluation_id in gone:
                del held[evaluation_id]
            held.update((e, stamps[e]) for e in stale)
            generation = _write_state(index, held)
        index.reloaded(generation)
        return len(stale)


def rebuild(stamps: dict[int, str], progress: Callable[[int, int], None] | None = None) -> int:
    """The whole index anew from the evaluations with those stamps (all published ones);
    searches see the old index until the commit. Returns the passages written."""
    index = reader()
    with index.lock, _folder_lock(index.path):
        written = _write(index.index, remove=None, add=sorted(stamps), heap=WRITER_HEAP, progress=progress)
        index.reloaded(_write_state(index, stamps))
        index.compared_at = None
    return written


def _write(index: tantivy.Index, *, remove: Iterable[int] | None, add: list[int], heap: int,
           progress: Callable[[int, int], None] | None = None) -> int:
    writer = index.writer(heap, max(1, min(2, os.cpu_count() or 1)))
    try:
        if remove is None:
            writer.delete_all_documents()
        else:
            for evaluation_id in remove:
                writer.delete_documents_by_term("tags", engine.evaluation_tag(evaluation_id))
        written = 0
        catalogue = indexer.Catalogue()
        step = indexer.BATCH
        for start in range(0, len(add), step):
            for passage in indexer.passages(add[start : start + step], catalogue):
                writer.add_document(engine.document(passage))
                written += 1
            if progress:
                progress(min(start + step, len(add)), len(add))
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    return written
