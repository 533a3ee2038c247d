"""Provenance off the request path, and never lost while Neo4j is away.

Requests hand finished decision records to `ProvenanceWriter.submit_*`, which
only enqueues. A background thread writes batches to Neo4j. When a batch
cannot be written, it goes to an append-only JSONL journal (fsynced), and from
then on everything goes to the journal, preserving order, until a replay has
drained it. Replays rename the journal first, so new entries keep flowing into a
fresh file, and re-send whole files: the graph writes are idempotent MERGEs, so
a replay interrupted halfway is simply run again.

While the journal holds anything, a replay first asks a cheap `probe` (the
driver's connectivity check) and leaves the files alone if Neo4j is still away:
a write would sit in the driver's retry loop for its whole retry budget instead.

What can still be lost: records in the in-memory queue if the process is killed
with SIGKILL. A normal shutdown (`close`) drains the queue to Neo4j or the journal.
A line torn by a crash mid-append is skipped on replay, and the next append starts
on a fresh line, so the tear costs that one record and never the one after it.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j.exceptions import Neo4jError

from engine.errors import GraphUnavailable
from graph.connection import GraphClient
from graph.provenance import write_provenance

log = logging.getLogger("govroute.provenance")

Records = Sequence[dict[str, Any]]
Writer = Callable[[Records, Records, Records], None]
"""Writes decisions, attempts and restores (in that order) in one transaction."""
Probe = Callable[[], None]

_STOP = object()


@dataclass(slots=True)
class WriterStats:
    written: int = 0
    journaled: int = 0
    replayed: int = 0
    write_failures: int = 0
    batches: int = 0


class Journal:
    """Append-only JSONL files under one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.active = directory / "journal.jsonl"

    def append(self, entries: Sequence[tuple[str, dict[str, Any]]]) -> None:
        lines = "".join(
            json.dumps({"kind": kind, "record": rec}, ensure_ascii=False, separators=(",", ":"))
            + "\n"
            for kind, rec in entries
        )
        if not self._ends_with_newline():
            lines = "\n" + lines  # after a torn line, never glue a good record onto it
        with self.active.open("a", encoding="utf-8") as f:
            f.write(lines)
            f.flush()
            os.fsync(f.fileno())

    def _ends_with_newline(self) -> bool:
        try:
            with self.active.open("rb") as f:
                if f.seek(0, os.SEEK_END) == 0:
                    return True
                f.seek(-1, os.SEEK_END)
                return f.read(1) == b"\n"
        except FileNotFoundError:
            return True

    def pending_files(self) -> list[Path]:
        replaying = sorted(self.directory.glob("journal.replaying-*.jsonl"))
        return replaying + (
            [self.active] if self.active.exists() and self.active.stat().st_size else []
        )

    def has_pending(self) -> bool:
        return bool(self.pending_files())

    def seal_active(self) -> None:
        """Move the active file aside so replay can read it while new entries keep coming."""
        if self.active.exists() and self.active.stat().st_size:
            self.active.rename(self.directory / f"journal.replaying-{time.time_ns():020d}.jsonl")

    @staticmethod
    def read(path: Path) -> list[tuple[str, dict[str, Any]]]:
        out: list[tuple[str, dict[str, Any]]] = []
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    # A torn last line from a crash mid-append: everything before it is good.
                    log.warning("journal %s line %d is not JSON; skipped", path, number)
                    continue
                out.append((entry["kind"], entry["record"]))
        return out


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
    ) -> None:
        self._write = write
        self._probe = probe
        self.journal = Journal(journal_dir)
        self._batch_size = batch_size
        self._flush_interval = flush_interval_s
        self._retry_interval = retry_interval_s
        self._queue: queue.Queue[object] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="govroute-provenance", daemon=True)
        self._idle = threading.Event()
        self._idle.set()
        # Enqueue-and-clear and check-empty-and-set must not interleave, or flush()
        # could return while a just-submitted record is still in the queue.
        self._idle_lock = threading.Lock()
        self._next_replay = 0.0
        self.stats = WriterStats()

    @classmethod
    def for_graph(cls, client: GraphClient, journal_dir: Path, **kwargs: Any) -> ProvenanceWriter:
        kwargs.setdefault("probe", client.verify)
        return cls(lambda d, a, r: write_provenance(client, d, a, r), journal_dir, **kwargs)

    # ------------------------------------------------------------ request side

    def start(self) -> ProvenanceWriter:
        self._thread.start()
        return self

    def submit_decision(self, record: dict[str, Any]) -> None:
        self._enqueue(("decision", record))

    def submit_attempt(self, record: dict[str, Any]) -> None:
        self._enqueue(("attempt", record))

    def submit_restore(self, record: dict[str, Any]) -> None:
        """A pseudonym restored for a caller (api/vault/vault.py `Restore.record`)."""
        self._enqueue(("restore", record))

    def _enqueue(self, item: tuple[str, dict[str, Any]]) -> None:
        with self._idle_lock:
            self._queue.put(item)
            self._idle.clear()

    def flush(self, timeout_s: float = 30.0) -> bool:
        """Wait until everything submitted so far is in Neo4j or the journal."""
        return self._idle.wait(timeout_s)

    def replay_now(self) -> None:
        """Ask for a replay attempt at the next loop turn (e.g. after Neo4j came back)."""
        self._next_replay = 0.0
        self._enqueue(("wake", {}))

    def close(self, timeout_s: float = 30.0) -> None:
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
            batch, stopping = self._collect()
            self._maybe_replay(force=stopping)
            if batch:
                self._deliver(batch)
            with self._idle_lock:
                if self._queue.empty():
                    self._idle.set()
        self._idle.set()

    def _collect(self) -> tuple[list[tuple[str, dict[str, Any]]], bool]:
        batch: list[tuple[str, dict[str, Any]]] = []
        wait = self._retry_interval if self.journal.has_pending() else 0.5
        deadline: float | None = None
        while len(batch) < self._batch_size:
            timeout = wait if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            assert isinstance(item, tuple)
            entry: tuple[str, dict[str, Any]] = item
            if entry[0] != "wake":
                batch.append(entry)
            if deadline is None:
                deadline = time.monotonic() + self._flush_interval
        return batch, False

    def _deliver(self, batch: list[tuple[str, dict[str, Any]]]) -> None:
        if self.journal.has_pending():
            # Order matters (attempts follow their decision): queue behind the journal.
            self.journal.append(batch)
            self.stats.journaled += len(batch)
            return
        if self._send(batch):
            self.stats.written += len(batch)
            return
        self.journal.append(batch)
        self.stats.journaled += len(batch)
        self._next_replay = time.monotonic() + self._retry_interval

    def _send(self, batch: Sequence[tuple[str, dict[str, Any]]]) -> bool:
        decisions = [r for k, r in batch if k == "decision"]
        attempts = [r for k, r in batch if k == "attempt"]
        restores = [r for k, r in batch if k == "restore"]
        try:
            self._write(decisions, attempts, restores)
        except (GraphUnavailable, Neo4jError, OSError) as exc:
            self.stats.write_failures += 1
            log.warning("provenance write failed (%s); journaling %d records", exc, len(batch))
            return False
        self.stats.batches += 1
        return True

    def _maybe_replay(self, *, force: bool = False) -> None:
        if not self.journal.has_pending() or (time.monotonic() < self._next_replay and not force):
            return
        if self._probe is not None:
            try:
                self._probe()
            except (GraphUnavailable, Neo4jError, OSError) as exc:
                log.debug("provenance replay postponed: %s", exc)
                self._next_replay = time.monotonic() + self._retry_interval
                return
        self.journal.seal_active()
        for path in self.journal.pending_files():
            entries = Journal.read(path)
            for start in range(0, len(entries), self._batch_size):
                if not self._send(entries[start : start + self._batch_size]):
                    self._next_replay = time.monotonic() + self._retry_interval
                    return
            path.unlink()
            self.stats.replayed += len(entries)
            log.info("replayed %d provenance records from %s", len(entries), path.name)
