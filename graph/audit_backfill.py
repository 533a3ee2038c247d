"""Bring decisions written before the audit shape (graph/label_receipts.py) to it: stamp
their `EXPOSED` edges with `at` and `item_id` (audit query (a)'s index) and add them to the
label-receipt tallies (query (b)), as WRITE_DECISIONS now does for every new decision.

Batched and resumable: decisions are read in id order, a page at a time; each page is one
write transaction that marks its decisions (`audit_shape`), stamps their edges and adds
their tallies, so a page is all done or not at all. A run interrupted anywhere resumes
from the start at the cost of reading ids: marked decisions are skipped, never counted
twice. Nothing the hash chain covers changes (`record` is only read, never written).

A gateway call written while its decision's page is being backfilled can miss the
tallies (the writer skips unmarked decisions and the page read the calls before it
committed); run the backfill when the writers are stopped or quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph import receipt_queries as rq
from graph.connection import GraphClient
from graph.label_receipts import AUDIT_SHAPE, ReceiptFold, add_receipts, receipt

Progress = Callable[["BackfillProgress"], None]
PAGE = 2_000


@dataclass
class BackfillProgress:
    total: int  # Decision nodes when the run started
    read: int = 0  # ids read so far, in id order
    backfilled: int = 0  # decisions this run brought to the shape
    after: str = ""  # the last id read: where the next page starts


def fold_page(rows: list[dict[str, Any]]) -> ReceiptFold:
    """The tallies of a page of unmarked decisions (BACKFILL_MARK rows): each decision,
    then its gateway calls in attempt order, as the live writer would have counted them."""
    fold = ReceiptFold()
    for row in rows:
        r = receipt(row["id"], row["created_at"], row["outcome"], row["labels"], row["redacted"])
        primary = row["primary"]
        fold.decision(r, (primary[0], primary[1]) if primary else None)
        for a in sorted(row["attempts"], key=lambda a: a["attempt"] or 0):
            fold.attempt(r, None, a["provider"], a["model"], a["status"])
    return fold


def backfill(
    client: GraphClient, *, page: int = PAGE, on_progress: Progress | None = None
) -> BackfillProgress:
    [count] = client.read(lambda tx: [r["n"] for r in tx.run(rq.COUNT_DECISIONS)])
    progress = BackfillProgress(total=int(count))
    while True:
        ids = client.read(
            lambda tx: [
                (r["id"], r["done"])
                for r in tx.run(rq.BACKFILL_PAGE, after=progress.after, limit=page)
            ]
        )
        if not ids:
            break
        todo = [i for i, done in ids if not done]
        if todo:

            def work(tx: Any, todo: list[str] = todo) -> int:
                rows = [
                    dict(r) for r in tx.run(rq.BACKFILL_MARK, ids=todo, audit_shape=AUDIT_SHAPE)
                ]
                add_receipts(tx, fold_page(rows))
                return len(rows)

            progress.backfilled += client.write(work)
        progress.read += len(ids)
        progress.after = ids[-1][0]
        if on_progress is not None:
            on_progress(progress)
    return progress
