"""Which providers received which labels: tallies kept in the provenance transaction, so
the audit query "which providers ever received PCI data?" (docs/audit.md, query (b))
reads a few hundred tallies instead of every allowed Decision.

A `LabelReceipt` node counts the decisions that one provider received (rules 1 and 2 of
"received" in docs/audit.md: an allowed decision, the provider of its primary route or of
a model the gateway called) under one *label signature*: the decision's recorded labels
(`Decision.labels`) and the labels it redacted (`REDACTED`), both as sorted sets. The
signature, not a label, is the key because the label family is read from the graph when
the query runs (`SUBLABEL_OF*`): each decision is in exactly one tally per provider, so
the query adds up the tallies whose signature meets the family and counts no decision
twice, whatever the family is that day. Rule 3's third place (a label held *today* by
an exposed item) cannot be tallied; the query reads it from the items that hold the
label (graph/queries.py).

`Decision.received_by` lists the providers the tallies count the decision under, so a
gateway call written in a later transaction adds the decision to a provider's tally only
once. `Decision.audit_shape` marks a decision whose tallies and `EXPOSED {at, item_id}`
are written (by WRITE_DECISIONS, or by the backfill for a graph written earlier:
graph/audit_backfill.py); the folds below skip decisions without it.

The fold is pure: rows in, tally increments out; graph/receipt_queries.py writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph import receipt_queries as rq

AUDIT_SHAPE = 1  # Decision.audit_shape: tallies and EXPOSED properties are written
ALLOWED = ("allow", "allow_with_redactions")
# A cache hit sent nothing, a skipped call was never made: neither received anything.
NOT_SENT = ("skipped_open_circuit", "cache_hit")
PRIMARY_ROUTE, GATEWAY_CALL = "primary route", "gateway call"
SAMPLE_SIZE = 25  # decision ids a tally keeps, to explain with query (c)
KEY_SEPARATOR = "\x1f"


@dataclass
class Tally:
    """What one transaction adds to one LabelReceipt."""

    provider: str
    labels: tuple[str, ...]
    redacted: tuple[str, ...]
    decisions: int = 0
    models: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    sample: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return KEY_SEPARATOR.join((self.provider, ",".join(self.labels), ",".join(self.redacted)))

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider,
            "labels": list(self.labels),
            "redacted": list(self.redacted),
            "decisions": self.decisions,
            "models": self.models,
            "via": self.via,
            # None when the transaction only adds a model or a way to counted decisions
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "sample": self.sample,
        }


@dataclass(frozen=True, slots=True)
class Receipt:
    """A decision as the tallies need it."""

    id: str
    created_at: datetime
    outcome: str
    labels: tuple[str, ...]
    redacted: tuple[str, ...]

    @property
    def tallied(self) -> bool:
        return self.outcome in ALLOWED and bool(self.labels or self.redacted)


def receipt(
    decision_id: str, created_at: str | datetime, outcome: str, labels: Iterable[str] | None,
    redacted: Iterable[str],
) -> Receipt:  # fmt: skip
    at = created_at if isinstance(created_at, datetime) else datetime.fromisoformat(created_at)
    return Receipt(
        decision_id, at, outcome, tuple(sorted(set(labels or ()))), tuple(sorted(set(redacted)))
    )


class ReceiptFold:
    """Tally increments and `received_by` updates for one transaction."""

    def __init__(self) -> None:
        self._tallies: dict[str, Tally] = {}
        self._received: dict[str, list[str]] = {}

    def decision(self, r: Receipt, primary: tuple[str, str] | None) -> None:
        """A decision the transaction creates (or the backfill marks), with the
        (provider, model) of its primary route, if the model has a provider."""
        self._received[r.id] = []
        if r.tallied and primary is not None:
            self._receive(r, primary[0], primary[1], PRIMARY_ROUTE, [])

    def attempt(
        self, r: Receipt, received_by: Sequence[str] | None, provider: str | None, model: str,
        status: str,
    ) -> None:  # fmt: skip
        """A gateway call the transaction creates, to a decision already marked;
        `received_by` as the graph has it (this fold's own value wins)."""
        if provider is None or status in NOT_SENT or not r.tallied:
            return
        received = self._received.setdefault(r.id, list(received_by or ()))
        self._receive(r, provider, model, GATEWAY_CALL, received)

    def _receive(
        self, r: Receipt, provider: str, model: str, how: str, received: list[str]
    ) -> None:
        tally = Tally(provider, r.labels, r.redacted)
        tally = self._tallies.setdefault(tally.id, tally)
        if model not in tally.models:
            tally.models.append(model)
        if how not in tally.via:
            tally.via.append(how)
        if provider in received:  # counted already: only the model and the way are new
            return
        received.append(provider)
        self._received[r.id] = received
        tally.decisions += 1
        if len(tally.sample) < SAMPLE_SIZE:
            tally.sample.append(r.id)
        at = r.created_at
        tally.first_seen = at if tally.first_seen is None else min(tally.first_seen, at)
        tally.last_seen = at if tally.last_seen is None else max(tally.last_seen, at)

    def tally_rows(self) -> list[dict[str, Any]]:
        """Sorted by id, so concurrent writers lock the tallies in one order."""
        return [t.row() for _, t in sorted(self._tallies.items())]

    def received_rows(self) -> list[dict[str, Any]]:
        return [{"id": i, "providers": p} for i, p in sorted(self._received.items())]


def fold_write(
    created: Sequence[dict[str, Any]], records: dict[str, dict[str, Any]],
    new_attempts: Sequence[dict[str, Any]],
) -> ReceiptFold:  # fmt: skip
    """The fold of one provenance transaction: the decisions WRITE_DECISIONS created
    (`created`: its rows, id and primary), their `records` by id, then the new gateway
    calls (graph/console_buckets.new_attempts rows) in order."""
    fold = ReceiptFold()
    for row in created:
        record = records[row["id"]]
        r = receipt(
            record["id"], record["created_at"], record["outcome"], record["labels"],
            (x["label"] for x in record["redactions"]),
        )  # fmt: skip
        primary = row["primary"]
        fold.decision(r, (primary[0], primary[1]) if primary else None)
    for a in new_attempts:
        if a["audit_shape"] is None:
            continue  # not backfilled yet: the backfill counts its calls with it
        r = receipt(a["decision_id"], a["created_at"], a["outcome"], a["labels"], a["redacted"])
        fold.attempt(r, a["received_by"], a["provider"], a["model_id"], a["status"])
    return fold


def add_receipts(tx: Any, fold: ReceiptFold) -> None:
    tallies, received = fold.tally_rows(), fold.received_rows()
    if tallies or received:
        tx.run(
            rq.ADD_RECEIPTS, tallies=tallies, received=received, sample_size=SAMPLE_SIZE
        ).consume()
