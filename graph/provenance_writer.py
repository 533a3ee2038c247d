"""Provenance that survives a crash: journal first, then Neo4j off the request path.

`ProvenanceWriter.submit_decision` appends the record to the write-ahead journal
(graph.journal) and returns once it is synced, so a decision whose answer leaves
the process is on disk whatever happens next. The journal hands each synced group
to this writer's queue, and a background thread writes batches to Neo4j; once all
records of a sealed segment are in the graph, the segment file is deleted.

When a write fails (Neo4j stopped, frozen, refusing), the writer stops writing from
memory: everything is on disk already, so it drops its queue and falls *behind*.
A replay then asks a cheap `probe` first (a write to an absent server sits in the
driver's retry loop), seals the active segment and re-sends the segments up to it
from disk, oldest first, deleting each once written; records that arrive meanwhile
go to newer segments and are written from memory once the replay is done. Writes
are idempotent MERGEs, so a replay interrupted halfway is simply run again. The
writer's Neo4j retries never hold up the request path: requests wait only for the
journal's sync.

After a crash, the next process finds the segments left behind and replays them
in the same way before anything new. Memory is bounded: past `max_queue` records
the journal's hand-over is dropped and the writer replays from disk instead.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j.exceptions import Neo4jError

from engine.errors import GraphUnavailable
from graph.connection import GraphClient
from graph.journal import Entry, Journal, segment_seq
from graph.provenance import write_provenance

log = logging.getLogger("govroute.provenance")

Records = Sequence[dict[str, Any]]
Writer = Callable[[Records, Records, Records, Records], None]
"""Writes decisions, attempts, restores and shadow decisions (in that order) in one
transaction."""
Probe = Callable[[], None]

_STOP = object()
_WAKE = object()


class _Flush(threading.Event):
    """Queued by `flush`; set once everything queued before it has been handled."""


@dataclass(slots=True)
class WriterStats:
    written: int = 0
    journaled: int = 0
    replayed: int = 0
    write_failures: int = 0
    batches: int = 0
    segments_retired: int = 0


class ProvenanceWriter:
    def __init__(
        self,
        write: Writer,
        journal_dir: Path,
        *,
        batch_size: int = 256,
        # Neo4j spends ~4 ms of CPU on a write transaction however small: a batch of 3
        # decisions costs 3-5 ms of its CPU each, one of 20-40 about 1 ms (measured on
        # 2 cores). Records are served from the runtime's memory until they land.
        flush_interval_s: float = 0.25,
        retry_interval_s: float = 2.0,
        probe: Probe | None = None,
        seal_interval_s: float = 5.0,
        max_queue: int = 50_000,
        segment_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self._write = write
        self._probe = probe
        self._batch_size = batch_size
        self._flush_interval = flush_interval_s
        self._retry_interval = retry_interval_s
        self._seal_interval = seal_interval_s
        self._max_queue = max_queue
        self._queue: queue.Queue[object] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="govroute-provenance", daemon=True)
        self._next_replay = 0.0
        self._overflowed = False
        self._written: Counter[int] = Counter()
        self.stats = WriterStats()
        self.journal = Journal(journal_dir, on_durable=self._durable, segment_bytes=segment_bytes)
        # Segments up to `_disk_through` are replayed from disk, not from memory.
        self._disk_through = self.journal.recovered_through
        self.behind = bool(self.journal.leftovers(self._disk_through))
        """True while records wait on disk for a replay into Neo4j."""

    @classmethod
    def for_graph(cls, client: GraphClient, journal_dir: Path, **kwargs: Any) -> ProvenanceWriter:
        kwargs.setdefault("probe", client.ping)
        return cls(lambda d, a, r, s: write_provenance(client, d, a, r, s), journal_dir, **kwargs)

    # ------------------------------------------------------------ request side

    def start(self) -> ProvenanceWriter:
        self._thread.start()
        return self

    def submit_decision(self, record: dict[str, Any]) -> None:
        """Return once the record is synced to the journal (raises ProvenanceUnavailable
        if it cannot be): call it before the decision's answer is sent."""
        self._submit(("decision", record), wait=True)

    def submit_attempt(self, record: dict[str, Any], *, wait: bool = False) -> None:
        """An upstream attempt: journaled with the next group commit (callers on the event
        loop do not wait for the sync; its decision is already durable)."""
        self._submit(("attempt", record), wait=wait)

    def submit_restore(self, record: dict[str, Any]) -> None:
        """A pseudonym restored for a caller (api/vault/vault.py `Restore.record`):
        journaled with the next group commit, like an attempt."""
        self._submit(("restore", record), wait=False)

    def submit_shadow(self, record: dict[str, Any]) -> None:
        """A candidate's decision of a served request (api/rollout.py `shadow_record`):
        journaled with the next group commit, after its decision, so the graph writes it
        onto a Decision that is already there."""
        self._submit(("shadow", record), wait=False)

    def _submit(self, entry: Entry, *, wait: bool) -> None:
        self.journal.append([entry], wait=wait)

    def _durable(self, seq: int, entries: Sequence[Entry]) -> None:
        """From the journal's committer, in commit order: hand the records over."""
        self.stats.journaled += len(entries)
        if self._queue.qsize() >= self._max_queue:
            self._overflowed = True  # on disk anyway: the writer replays from there
            self._queue.put(_WAKE)
            return
        for entry in entries:
            self._queue.put((seq, entry))

    def flush(self, timeout_s: float = 30.0) -> bool:
        """Wait until everything submitted so far has been handled: in Neo4j, or on disk
        waiting for a replay (`behind`). False when that took longer than `timeout_s`."""
        if not self._thread.is_alive():
            return self._queue.empty()
        self.journal.append([], wait=True)  # a barrier: earlier groups are handed over
        handled = _Flush()
        self._queue.put(handled)
        return handled.wait(timeout_s)

    def replay_now(self) -> None:
        """Ask for a replay attempt at the next loop turn (e.g. after Neo4j came back)."""
        self._next_replay = 0.0
        self._queue.put(_WAKE)

    def close(self, timeout_s: float = 30.0) -> None:
        """Sync the journal, then write what is queued to Neo4j (or leave it on disk)."""
        self.journal.close()
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout_s)

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    # ------------------------------------------------------------ background

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch, flushes, stopping = self._collect()
            if self._overflowed:
                self._overflowed = False
                self._fall_behind("the in-memory queue is full")
            if self.behind:
                self._maybe_replay(force=stopping)
            elif batch and not self._send(batch):
                self._fall_behind("a write failed")
            else:
                self.stats.written += len(batch)
                # Written in commit order: per segment, always a prefix of its lines.
                self._written.update(seq for seq, _ in batch)
                self._retire(stopping)
            for handled in flushes:
                handled.set()

    def _collect(self) -> tuple[list[tuple[int, Entry]], list[_Flush], bool]:
        """A batch: what arrives within the flush interval of its first record, up to the
        batch size; a flush request ends it early."""
        batch: list[tuple[int, Entry]] = []
        flushes: list[_Flush] = []
        wait = self._retry_interval if self.behind else 0.5
        deadline: float | None = None
        while len(batch) < self._batch_size:
            timeout = wait if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                break
            if item is _STOP:
                return batch, flushes, True
            if isinstance(item, _Flush):
                flushes.append(item)
                break
            if item is _WAKE:
                continue
            assert isinstance(item, tuple)
            seq, entry = item
            if self.behind or seq <= self._disk_through:
                continue  # on disk: the replay sends it
            batch.append((seq, entry))
            if deadline is None:
                deadline = time.monotonic() + self._flush_interval
        return batch, flushes, False

    def _fall_behind(self, why: str) -> None:
        if not self.behind:
            log.warning("provenance falls back to the journal on disk: %s", why)
        self.behind = True
        self._next_replay = time.monotonic() + self._retry_interval
        # What is queued is on disk too; the replay reads it from there.
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is _STOP or isinstance(item, _Flush):
                self._queue.put(item)  # handled by the loop, after this
                return

    def _send(self, batch: Sequence[tuple[int, Entry]]) -> bool:
        decisions = [r for _, (k, r) in batch if k == "decision"]
        attempts = [r for _, (k, r) in batch if k == "attempt"]
        restores = [r for _, (k, r) in batch if k == "restore"]
        shadows = [r for _, (k, r) in batch if k == "shadow"]
        try:
            self._write(decisions, attempts, restores, shadows)
        except (GraphUnavailable, Neo4jError, OSError) as exc:
            self.stats.write_failures += 1
            log.warning("provenance write of %d records failed: %s", len(batch), exc)
            return False
        self.stats.batches += 1
        return True

    def _retire(self, stopping: bool) -> None:
        """Delete sealed segments whose records are all written; seal the active one when
        it is fully written and old enough (or at shutdown), so the disk holds seconds."""
        active = self.journal.active_seq
        if (
            self._queue.empty()
            and self._written[active]
            and (stopping or self.journal.active_age_s() >= self._seal_interval)
        ):
            self.journal.seal()
        for seq in sorted(self._written):
            count = self.journal.sealed_count(seq)
            if count is not None and self._written[seq] >= count:
                self.journal.retire(seq)
                del self._written[seq]
                self.stats.segments_retired += 1

    def _maybe_replay(self, *, force: bool = False) -> None:
        if time.monotonic() < self._next_replay and not force:
            return
        self._next_replay = time.monotonic() + self._retry_interval
        if self._probe is not None:
            try:
                self._probe()
            except (GraphUnavailable, Neo4jError, OSError) as exc:
                log.debug("provenance replay postponed: %s", exc)
                return
        self._disk_through = self.journal.seal()
        for path in self.journal.leftovers(self._disk_through):
            seq = segment_seq(path)
            # The lines this process already wrote from memory are not sent again.
            entries = Journal.read(path)[self._written[seq] if seq is not None else 0 :]
            for start in range(0, len(entries), self._batch_size):
                chunk = [(0, e) for e in entries[start : start + self._batch_size]]
                if not self._send(chunk):
                    return
            path.unlink()
            if seq is not None:
                self.journal.retire(seq)
                self._written.pop(seq, None)
            self.stats.replayed += len(entries)
            if entries:  # a segment that held only what was already written is no news
                log.info("replayed %d provenance records from %s", len(entries), path.name)
        self.behind = False
