"""`govroute audit verify` and `audit head`: recompute the provenance hash chain.

Walks the batches in seq order (graph.provenance_chain), recomputes every decision's
digest and every batch's hash, follows the prev_hash links to the head, and looks for
Decision nodes that no batch lists. Each finding names what it is about:

    decision_edited    a decision whose record (or a property that restates it) changed
    decision_deleted   listed in a batch, absent from the graph
    decision_inserted  a Decision node that no batch lists
    batch_edited       a batch whose stored fields no longer give its hash
    batch_missing      a gap in the seqs: batches removed
    chain_broken       a batch whose prev_hash is not its predecessor's hash
    head_mismatch      the head does not name the last batch
    anchor_missing     --expect-head: no batch of the chain has that hash any more

What it proves and what it does not is in docs/audit.md ("Tamper-evident provenance").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from graph.connection import GraphClient
from graph.provenance_chain import (
    GENESIS,
    Batch,
    ChainHead,
    batch_hash,
    iter_batches,
    read_chained_decisions,
    read_head,
    read_unchained,
    record_digest,
)

# Decision properties that restate the record: an edit to one of them alone is an edit.
RESTATED = ("outcome", "tenant_id", "principal_id", "policy_version")
INSERTED_LISTED = 100


class Finding(StrEnum):
    DECISION_EDITED = "decision_edited"
    DECISION_DELETED = "decision_deleted"
    DECISION_INSERTED = "decision_inserted"
    BATCH_EDITED = "batch_edited"
    BATCH_MISSING = "batch_missing"
    CHAIN_BROKEN = "chain_broken"
    HEAD_MISMATCH = "head_mismatch"
    ANCHOR_MISSING = "anchor_missing"


@dataclass(frozen=True, slots=True)
class Problem:
    finding: Finding
    detail: str
    batch_seq: int | None = None
    decision_id: str | None = None

    def text(self) -> str:
        where = [f"batch {self.batch_seq}"] if self.batch_seq is not None else []
        where += [f"decision {self.decision_id}"] if self.decision_id else []
        return f"{self.finding.value:<18} {', '.join(where) or '-'}: {self.detail}"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    head: ChainHead | None
    batches: int
    decisions: int
    problems: tuple[Problem, ...]
    unchained: int = 0  # all Decision nodes no batch lists (problems list the first 100)
    anchor: str | None = None

    @property
    def clean(self) -> bool:
        return not self.problems

    def text(self) -> str:
        lines = [
            f"checked {self.batches} batches, {self.decisions} chained decisions",
            self.head.text() if self.head else "chain head: none (no decision chained yet)",
        ]
        if self.anchor:
            found = not any(p.finding is Finding.ANCHOR_MISSING for p in self.problems)
            lines.append(f"anchor {self.anchor}: {'in the chain' if found else 'NOT FOUND'}")
        if self.clean:
            lines.append("verified: no edited, inserted or deleted decision")
            return "\n".join(lines)
        n = len(self.problems)
        lines.append(f"TAMPERED: {n} finding{'' if n == 1 else 's'}")
        lines += ["  " + p.text() for p in self.problems]
        if self.unchained > INSERTED_LISTED:
            lines.append(
                f"  ... {self.unchained - INSERTED_LISTED} more decisions in no batch (not listed)"
            )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "head": asdict(self.head) if self.head else None,
            "batches": self.batches,
            "decisions": self.decisions,
            "unchained": self.unchained,
            "anchor": self.anchor,
            "problems": [{**asdict(p), "finding": p.finding.value} for p in self.problems],
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2) + "\n"


@dataclass(slots=True)
class _Walk:
    problems: list[Problem] = field(default_factory=list)
    prev_hash: str = GENESIS
    expected_seq: int = 1
    last: Batch | None = None
    batches: int = 0
    decisions: int = 0
    anchor_found: bool = False

    def flag(
        self,
        finding: Finding,
        detail: str,
        *,
        batch_seq: int | None = None,
        decision_id: str | None = None,
    ) -> None:
        self.problems.append(Problem(finding, detail, batch_seq, decision_id))


def chain_head(client: GraphClient) -> ChainHead | None:
    """The head to anchor outside the graph (a log line, a ticket)."""
    return read_head(client)


def verify_chain(client: GraphClient, *, expect_head: str | None = None) -> VerifyReport:
    walk = _Walk()
    for batch in iter_batches(client):
        _check_link(walk, batch)
        intact = _check_batch(walk, batch)
        if intact and expect_head and batch.hash == expect_head:
            walk.anchor_found = True
        _check_decisions(walk, batch, read_chained_decisions(client, batch.ids))
        walk.prev_hash, walk.expected_seq, walk.last = batch.hash, batch.seq + 1, batch
        walk.batches += 1
    head = read_head(client)
    _check_head(walk, head)
    unchained, total = read_unchained(client, limit=INSERTED_LISTED)
    for row in unchained:
        claimed = f" (claims batch {row['batch_seq']})" if row["batch_seq"] is not None else ""
        walk.flag(
            Finding.DECISION_INSERTED,
            f"a Decision node that no batch lists{claimed}",
            decision_id=row["id"],
        )
    if expect_head and not walk.anchor_found:
        walk.flag(
            Finding.ANCHOR_MISSING,
            f"no intact batch has the anchored hash {expect_head}: the chain was rewritten "
            "or truncated since it was anchored",
        )
    return VerifyReport(
        head, walk.batches, walk.decisions, tuple(walk.problems), total, expect_head
    )


def _check_link(walk: _Walk, batch: Batch) -> None:
    if batch.seq != walk.expected_seq:
        gap = (
            f"seq {walk.expected_seq}"
            if batch.seq == walk.expected_seq + 1
            else f"seqs {walk.expected_seq}..{batch.seq - 1}"
        )
        walk.flag(Finding.BATCH_MISSING, f"{gap} absent before this batch", batch_seq=batch.seq)
    elif batch.prev_hash != walk.prev_hash:
        walk.flag(
            Finding.CHAIN_BROKEN,
            f"prev_hash {batch.prev_hash[:16]}... is not batch {batch.seq - 1}'s hash "
            f"{walk.prev_hash[:16]}...",
            batch_seq=batch.seq,
        )


def _check_batch(walk: _Walk, batch: Batch) -> bool:
    entries = list(zip(batch.ids, batch.digests, strict=False))
    if len(batch.ids) != len(batch.digests) or batch.count != len(batch.ids):
        walk.flag(
            Finding.BATCH_EDITED,
            f"count {batch.count}, {len(batch.ids)} ids, {len(batch.digests)} digests",
            batch_seq=batch.seq,
        )
        return False
    if batch_hash(batch.seq, batch.prev_hash, batch.at, entries) != batch.hash:
        walk.flag(
            Finding.BATCH_EDITED,
            "its ids, digests, time or prev_hash no longer give its hash",
            batch_seq=batch.seq,
        )
        return False
    return True


def _check_decisions(walk: _Walk, batch: Batch, stored: dict[str, dict[str, object]]) -> None:
    for decision_id, digest in zip(batch.ids, batch.digests, strict=False):
        walk.decisions += 1
        row = stored.get(decision_id)
        if row is None:
            walk.flag(
                Finding.DECISION_DELETED,
                "listed in the batch, absent from the graph",
                batch_seq=batch.seq,
                decision_id=decision_id,
            )
            continue
        record = row["record"]
        if not isinstance(record, str) or record_digest(record) != digest:
            walk.flag(
                Finding.DECISION_EDITED,
                "its record is not the one chained (SHA-256 differs)",
                batch_seq=batch.seq,
                decision_id=decision_id,
            )
            continue
        if changed := _restated_changes(record, row, RESTATED):
            walk.flag(
                Finding.DECISION_EDITED,
                "property differs from its chained record: " + ", ".join(changed),
                batch_seq=batch.seq,
                decision_id=decision_id,
            )


def _restated_changes(record: str, row: dict[str, object], keys: Sequence[str]) -> list[str]:
    content = json.loads(record)
    return [
        f"{k} {row.get(k)!r} (record: {content.get(k)!r})"
        for k in keys
        if row.get(k) != content.get(k)
    ]


def _check_head(walk: _Walk, head: ChainHead | None) -> None:
    last = walk.last
    if last is None:
        if head is not None and head.seq != 0:
            walk.flag(Finding.HEAD_MISMATCH, f"the head names seq {head.seq}, no batch exists")
        return
    if head is None:
        walk.flag(Finding.HEAD_MISMATCH, "the chain head node is gone", batch_seq=last.seq)
    elif (head.seq, head.hash) != (last.seq, last.hash):
        walk.flag(
            Finding.HEAD_MISMATCH,
            f"the head names seq {head.seq} hash {head.hash[:16]}..., the last batch is "
            f"seq {last.seq} hash {last.hash[:16]}...",
            batch_seq=last.seq,
        )
