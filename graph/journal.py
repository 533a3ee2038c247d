"""The provenance write-ahead journal: fsynced segment files, group-committed.

Every decision record (and gateway attempt) is appended here before its answer
leaves the process; the Neo4j writer takes the records from memory afterwards and
retires a segment once all of its records are in the graph. So the journal is not a
fallback for outages but the first place a record lives, and after a crash (SIGKILL,
power loss) whatever segments remain are replayed into Neo4j by the next process
(the graph writes are idempotent MERGEs, so a record written twice is written once).

Group commit: callers hand their lines to one committer thread and wait; the
committer writes everything that gathered meanwhile with one write and one
`fdatasync`, so concurrent requests share the sync (about 0.1 ms on the development
machine's disk) instead of queueing behind one each.

Layout under the directory: `wal-<seq>.jsonl`, seq increasing. The highest is the
active segment, appended to by this process only; a new process never appends to a
segment it did not create, so a line torn by a crash mid-write stays the last line
of its file (skipped on replay: its answer never left, because its sync had not
returned). Files `journal.jsonl` and `journal.replaying-*.jsonl` of the previous
design (journal only during outages) are picked up as leftovers too.

A failed write (disk full, I/O error) is cut back to the last synced size and
raised to every caller of that group: the decision is not answered as if recorded.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from engine.errors import ProvenanceUnavailable

log = logging.getLogger("govroute.provenance")

Entry = tuple[str, dict[str, Any]]
Durable = Callable[[int, Sequence[Entry]], None]
"""Told, in commit order, of each group of entries once synced: (segment, entries)."""

_SEGMENT = re.compile(r"^wal-(\d{12})\.jsonl$")
_LEGACY = ("journal.replaying-*.jsonl", "journal.jsonl")


def segment_name(seq: int) -> str:
    return f"wal-{seq:012d}.jsonl"


def segment_seq(path: Path) -> int | None:
    """A segment file's sequence number; None for the previous design's files."""
    match = _SEGMENT.match(path.name)
    return int(match.group(1)) if match else None


def encode(entries: Sequence[Entry]) -> bytes:
    return "".join(
        json.dumps({"kind": kind, "record": rec}, ensure_ascii=False, separators=(",", ":")) + "\n"
        for kind, rec in entries
    ).encode("utf-8")


@dataclass(slots=True)
class _Group:
    """One caller's entries, waiting for the committer."""

    entries: Sequence[Entry]
    data: bytes
    done: bool = False
    error: OSError | None = None


@dataclass(slots=True)
class _Segment:
    seq: int
    records: int = 0
    opened: float = field(default_factory=time.monotonic)


class Journal:
    """Append-only, fsynced, segmented; one per process and directory."""

    def __init__(
        self,
        directory: Path,
        *,
        on_durable: Durable | None = None,
        segment_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._on_durable = on_durable or (lambda seq, entries: None)
        self._segment_bytes = segment_bytes
        left = self.segments()
        self.recovered_through = max((seq for seq, _ in left), default=0)
        """Segments up to this one were left by an earlier process: replay them from disk."""
        self._cond = threading.Condition()
        self._queue: list[_Group] = []
        self._closing = False
        self._closed = False
        self.commits = 0
        """Group commits (one write and one sync each) so far."""
        # Held while a group is written and while a segment is sealed, so a group is
        # wholly in one segment and a sealed segment's count is final.
        self._file_lock = threading.Lock()
        self._counts: dict[int, int] = {}
        self._active = _Segment(self.recovered_through + 1)
        self._file = self._open(self._active.seq)
        self._size = 0
        self._committer = threading.Thread(
            target=self._commit_loop, name="govroute-journal", daemon=True
        )
        self._committer.start()

    # ------------------------------------------------------------ appending

    def append(self, entries: Sequence[Entry], *, wait: bool = True) -> None:
        """Make `entries` durable. With `wait`, return only once they are synced, or raise
        ProvenanceUnavailable when they could not be (the disk is full, say); without it,
        return at once (the next group commit syncs them; a failure is logged)."""
        group = _Group(entries, encode(entries))
        with self._cond:
            if self._closing:
                raise ProvenanceUnavailable("the provenance journal is closed")
            self._queue.append(group)
            self._cond.notify_all()
            if not wait:
                return
            while not group.done:
                self._cond.wait()
        if group.error is not None:
            raise ProvenanceUnavailable(
                f"the decision could not be recorded in the provenance journal under "
                f"{self.directory}: {group.error}"
            ) from group.error

    def close(self, timeout_s: float = 10.0) -> None:
        """Sync what was handed in, then stop the committer."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._committer.join(timeout_s)
        with self._file_lock:
            self._closed = True
            self._file.close()

    def _commit_loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return
                groups, self._queue = self._queue, []
            seq, error = self._write(b"".join(g.data for g in groups))
            if error is not None:
                log.error("provenance journal write failed: %s", error)
            else:
                # From this one thread, so the writer hears in commit order; before the
                # callers are released, so a record is handed over when append returns.
                self._on_durable(seq, [e for g in groups for e in g.entries])
            with self._cond:
                for g in groups:
                    g.done, g.error = True, error
                self._cond.notify_all()

    def _write(self, data: bytes) -> tuple[int, OSError | None]:
        with self._file_lock:
            seq = self._active.seq
            try:
                self._file.write(data)
                self._file.flush()
                os.fdatasync(self._file.fileno())
            except OSError as exc:
                self._cut_back()
                return seq, exc
            self._size += len(data)
            self.commits += 1
            self._active.records += data.count(b"\n")
            if self._size >= self._segment_bytes:
                self._rotate()
            return seq, None

    def _cut_back(self) -> None:
        """After a failed write, the file ends where the last synced group ended."""
        with contextlib.suppress(OSError):  # the buffered tail failed too: truncation drops it
            self._file.close()
        path = self.directory / segment_name(self._active.seq)
        with path.open("r+b") as f:
            f.truncate(self._size)
        self._file = self._open(self._active.seq)

    # ------------------------------------------------------------ segments

    @property
    def active_seq(self) -> int:
        return self._active.seq

    def seal(self) -> int:
        """Close the active segment (when it holds anything) and start a new one; return
        the highest sealed segment: every record appended so far is in it or below."""
        with self._file_lock:
            if self._active.records == 0:
                return self._active.seq - 1
            sealed = self._active.seq
            if self._closed:  # no new file after close: the active one is simply final
                self._counts[sealed] = self._active.records
            else:
                self._rotate()
            return sealed

    def _rotate(self) -> None:
        self._file.close()
        self._counts[self._active.seq] = self._active.records
        self._active = _Segment(self._active.seq + 1)
        self._file = self._open(self._active.seq)
        self._size = 0

    def active_age_s(self) -> float:
        return time.monotonic() - self._active.opened

    def sealed_count(self, seq: int) -> int | None:
        """Records in a segment sealed by this process; None while it is active."""
        with self._file_lock:
            return self._counts.get(seq)

    def retire(self, seq: int) -> None:
        """A sealed segment's records are all in the graph: delete it."""
        with self._file_lock:
            self._counts.pop(seq, None)
        (self.directory / segment_name(seq)).unlink(missing_ok=True)

    def _open(self, seq: int) -> BinaryIO:
        path = self.directory / segment_name(seq)
        f = path.open("ab")
        # The new file's directory entry must survive a crash too.
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return f

    def segments(self) -> list[tuple[int, Path]]:
        """Segment files on disk, oldest first (the active one included)."""
        found = [(segment_seq(p), p) for p in self.directory.iterdir()]
        return sorted((seq, p) for seq, p in found if seq is not None)

    def leftovers(self, through: int) -> list[Path]:
        """Files whose records must be replayed from disk: the old design's files, then
        segments up to `through`, oldest first."""
        legacy = [p for pattern in _LEGACY for p in sorted(self.directory.glob(pattern))]
        return legacy + [p for seq, p in self.segments() if seq <= through]

    def pending_files(self) -> list[Path]:
        """Files holding records (empty files are not pending)."""
        legacy = [p for pattern in _LEGACY for p in sorted(self.directory.glob(pattern))]
        files = legacy + [p for _, p in self.segments()]
        return [p for p in files if p.exists() and p.stat().st_size]

    def has_pending(self) -> bool:
        return bool(self.pending_files())

    @staticmethod
    def read(path: Path) -> list[Entry]:
        out: list[Entry] = []
        with path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    out.append((entry["kind"], entry["record"]))
                except (json.JSONDecodeError, KeyError, TypeError):
                    # A line torn by a crash mid-append: its answer never left.
                    log.warning("journal %s line %d is not a whole entry; skipped", path, number)
        return out
