"""A hash chain over decision provenance, so that an edit made in Neo4j Browser shows.

On Neo4j Community every user may write, so the graph alone cannot prove that a
Decision node still says what the engine wrote. Each provenance transaction that
creates decisions also appends one (:ProvenanceBatch) to a chain:

    digest_i = SHA-256(record_i)                 the Decision's `record` string, UTF-8
    hash     = SHA-256("govroute-chain-v1\\n" seq "\\n" prev_hash "\\n" at "\\n"
                       then, per decision in ascending id order: id " " digest_i "\\n")

`prev_hash` is the previous batch's hash (64 zeros before the first), and the single
(:ProvenanceChain {id: 'decisions'}) node holds the head (seq, hash). The head is
write-locked inside the same transaction that writes the decisions, so replicas that
write at once are serialized by Neo4j and the chain never forks; the new link follows
the highest stored batch, read under that lock. A decision a replay sends again is
matched, not created, and is not chained twice (WRITE_DECISIONS in
graph/provenance_queries.py returns only the decisions it created).

Only decisions are chained: the `record` is the decision's whole content, the thing
an auditor reads and `GET /v1/decisions/{id}` returns. Attempts and pseudonym
restores are not (docs/audit.md says what that leaves open). Verification lives in
lifecycle/audit_verify.py.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph import chain_queries as q
from graph.connection import GraphClient, records

CHAIN_ID = "decisions"
GENESIS = "0" * 64
CHAIN_FORMAT = "govroute-chain-v1"


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int
    hash: str

    def text(self) -> str:
        return f"chain head: seq {self.seq} hash {self.hash}"


@dataclass(frozen=True, slots=True)
class Batch:
    """One stored (:ProvenanceBatch), as read back for verification."""

    seq: int
    hash: str
    prev_hash: str
    ids: tuple[str, ...]
    digests: tuple[str, ...]
    count: int
    at: str


def record_digest(record: str) -> str:
    return hashlib.sha256(record.encode("utf-8")).hexdigest()


def batch_hash(seq: int, prev_hash: str, at: str, entries: Sequence[tuple[str, str]]) -> str:
    """The hash of a batch: its place, its predecessor, its time and its (id, digest)s,
    which must come in ascending id order."""
    h = hashlib.sha256(f"{CHAIN_FORMAT}\n{seq}\n{prev_hash}\n{at}\n".encode())
    for decision_id, digest in entries:
        h.update(f"{decision_id} {digest}\n".encode())
    return h.hexdigest()


def new_chain_token() -> str:
    """Marks, within WRITE_DECISIONS, the decisions that statement creates."""
    return secrets.token_hex(16)


def extend_chain(tx: Any, records_by_id: dict[str, str]) -> int | None:
    """Inside a write transaction that has just created these decisions (WRITE_DECISIONS
    returns exactly the ones it created): chain them, under the head's lock. The seq of
    the new batch, or None when there is nothing to chain (a replay)."""
    created = sorted(records_by_id)
    if not created:
        return None
    tx.run(q.LOCK_CHAIN_HEAD, chain=CHAIN_ID, genesis=GENESIS).consume()
    last = tx.run(q.LAST_BATCH).single()
    prev_seq, prev_hash = (int(last["seq"]), str(last["hash"])) if last else (0, GENESIS)
    seq = prev_seq + 1
    # Whole seconds with a Z: the form Neo4j's toString gives back for the stored datetime.
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    digests = [record_digest(records_by_id[i]) for i in created]
    digest = batch_hash(seq, prev_hash, at, list(zip(created, digests, strict=True)))
    tx.run(
        q.APPEND_BATCH,
        chain=CHAIN_ID,
        seq=seq,
        hash=digest,
        prev_hash=prev_hash,
        ids=created,
        digests=digests,
        at=at,
    ).consume()
    return seq


# ---------------------------------------------------------------- reading it back


def read_head(client: GraphClient) -> ChainHead | None:
    rows = client.read(records, q.READ_CHAIN_HEAD, chain=CHAIN_ID)
    if not rows or rows[0]["seq"] is None:
        return None
    return ChainHead(int(rows[0]["seq"]), str(rows[0]["hash"]))


def iter_batches(client: GraphClient, *, page: int = 500) -> Iterator[Batch]:
    """Every stored batch in seq order, a page at a time (memory: one page)."""
    after = 0
    while True:
        rows = client.read(records, q.READ_BATCHES, after=after, limit=page)
        for r in rows:
            yield Batch(
                seq=int(r["seq"]),
                hash=str(r["hash"] or ""),
                prev_hash=str(r["prev_hash"] or ""),
                ids=tuple(r["ids"] or ()),
                digests=tuple(r["digests"] or ()),
                count=int(r["count"]) if r["count"] is not None else -1,
                at=str(r["at"] or ""),
            )
        if len(rows) < page:
            return
        after = int(rows[-1]["seq"])


def read_chained_decisions(client: GraphClient, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = client.read(records, q.READ_CHAINED_DECISIONS, ids=list(ids))
    return {r["id"]: r for r in rows}


def read_unchained(client: GraphClient, *, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Decision nodes no batch lists (up to `limit` of them, by id), and how many in all."""
    rows = client.read(records, q.READ_UNCHAINED_DECISIONS, limit=limit)
    total = client.read(records, q.COUNT_UNCHAINED_DECISIONS)[0]["n"]
    return rows, int(total)
