"""Bulk catalog writes: batched, idempotent, and undone when they fail half-way.

A catalog of a million documents cannot be one transaction on a small heap, so
it is written in batches, each its own managed transaction of MERGEs. What makes
the whole load one change is compensation: every node and relationship the load
creates is tagged with its `load_id`, and the state of every existing document it
changes is captured beforehand. If any batch (or recording the PolicySet) fails,
the created documents are deleted and the changed ones are written back as they
were, and only then is the error raised. A killed loader process cannot
compensate; its writes are MERGEs, so running the same catalog again completes it.

Documents are written in two phases (nodes with PART_OF and HAS_LABEL, then
DERIVED_FROM) so that lineage between documents of the same catalog never
depends on batch order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from neo4j import ManagedTransaction
from neo4j.exceptions import ConstraintError, DriverError, Neo4jError

from engine.errors import GovroutError, GraphUnavailable, InvalidPolicyData, Problem
from graph import catalog_queries as cq
from graph import queries
from graph.connection import GraphClient, records
from graph.store import PolicySetInfo, policy_set_info

DOCUMENT = "Document"
DATA_SOURCE = "DataSource"


@dataclass(frozen=True, slots=True)
class CatalogReferences:
    """What a catalog may point at, read once before validation."""

    data_sources: frozenset[str]
    labels: frozenset[str]
    foreign_documents: dict[str, str]  # id -> origin of Documents a catalog may not own
    # data source id -> its tenant; a catalog document belongs to its data source's tenant
    source_tenants: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Lineage:
    kind: str  # DOCUMENT or DATA_SOURCE
    target: str
    transform: str
    removes: tuple[str, ...]  # sorted
    load_id: str | None = None  # only when restoring an edge as it was

    def compared(self) -> str:
        """The form CATALOG_CHANGED_DOCUMENTS compares (see there)."""
        return f"{self.kind}:{self.target}\x1f{self.transform}\x1f{';'.join(self.removes)}"


@dataclass(frozen=True, slots=True)
class CatalogDocument:
    """One document as a catalog declares it (or as the graph held it)."""

    id: str
    title: str
    source: str
    labels: tuple[str, ...]  # sorted
    lineage: tuple[Lineage, ...]  # sorted by (kind, target)
    existed: bool = False  # the graph already held it when the load was planned
    part_of_load_id: str | None = None
    label_load_ids: tuple[str | None, ...] = ()
    # Only as the graph held them, for compensation: the catalog that owned it, whether
    # it was retired (and by which load).
    catalog: str | None = None
    retired: bool | None = None
    retired_by: str | None = None
    load_id: str | None = None  # of the node

    def node_row(self) -> dict[str, Any]:
        loads = self.label_load_ids or (None,) * len(self.labels)
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "catalog": self.catalog,
            "retired": self.retired,
            "retired_by": self.retired_by,
            "load_id": self.load_id,
            "part_of_load_id": self.part_of_load_id,
            "labels": [
                {"id": lab, "load_id": lid} for lab, lid in zip(self.labels, loads, strict=True)
            ],
        }

    def lineage_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lineage": [
                {
                    "kind": up.kind,
                    "target": up.target,
                    "transform": up.transform,
                    "removes": list(up.removes),
                    "load_id": up.load_id,
                }
                for up in self.lineage
            ],
        }


class Progress(Protocol):
    def phase(self, name: str, total: int | None) -> None: ...

    def advance(self, rows: int) -> None: ...


class NoProgress:
    def phase(self, name: str, total: int | None) -> None:
        return None

    def advance(self, rows: int) -> None:
        return None


AfterBatch = Callable[[str, int], None]
"""Called with (phase, batch number) after each committed batch; a test hook."""


@dataclass(frozen=True, slots=True)
class CatalogRecord:
    """What the PolicySet of a catalog load records."""

    content_hash: str
    author: str
    message: str
    source: str
    documents: int
    lineage: int
    edges: int


# ---------------------------------------------------------------- reads


def read_references(client: GraphClient) -> CatalogReferences:
    def work(tx: ManagedTransaction) -> CatalogReferences:
        sources = records(tx, queries.CATALOG_DATA_SOURCE_IDS)
        return CatalogReferences(
            data_sources=frozenset(r["id"] for r in sources),
            source_tenants={r["id"]: r["tenant"] for r in sources if r["tenant"]},
            labels=frozenset(r["id"] for r in records(tx, queries.CATALOG_LABEL_IDS)),
            foreign_documents={
                r["id"]: r["origin"] for r in records(tx, queries.CATALOG_FOREIGN_DOCUMENTS)
            },
        )

    return client.read(work)


def live_documents(
    client: GraphClient, ids: Iterable[str], batch_size: int
) -> dict[str, str | None]:
    """Which of these ids are Documents in the graph (not retired), with each one's tenant
    (its own, else its data source's; None when shared)."""
    found: dict[str, str | None] = {}
    for chunk in _chunks(list(ids), batch_size):
        rows = client.read(records, queries.CATALOG_LIVE_DOCUMENTS, ids=chunk)
        found.update((r["id"], r["tenant"]) for r in rows)
    return found


def upstream_documents(
    client: GraphClient, ids: Iterable[str], batch_size: int
) -> list[tuple[str, str]]:
    """Existing Document-to-Document lineage edges leaving these documents."""
    edges: list[tuple[str, str]] = []
    for chunk in _chunks(list(ids), batch_size):
        rows = client.read(records, queries.CATALOG_UPSTREAM_DOCUMENTS, ids=chunk)
        edges.extend((r["document"], r["upstream"]) for r in rows)
    return edges


def changed_documents(
    client: GraphClient, documents: Sequence[CatalogDocument], catalog: str
) -> tuple[list[int], list[int]]:
    """Positions of the documents the graph lacks, and of those it holds differently."""
    rows = [
        "\x1e".join(
            (
                str(i),
                d.id,
                d.source,
                "\x1d".join(d.labels),
                "\x1d".join(up.compared() for up in d.lineage),
                d.title,
            )
        )
        for i, d in enumerate(documents)
    ]
    found = client.read(records, queries.CATALOG_CHANGED_DOCUMENTS, rows=rows, catalog=catalog)[0]
    return list(found["created"]), list(found["changed"])


def owned_documents(client: GraphClient, catalog: str) -> list[str]:
    """The live documents the graph holds for this catalog (the last one that listed them)."""
    return [r["id"] for r in client.read(records, cq.OWNED_DOCUMENTS, catalog=catalog)]


def referenced_by_decisions(client: GraphClient, ids: Sequence[str], batch_size: int) -> set[str]:
    """Which of these documents a decision exposed or withheld."""
    found: set[str] = set()
    for chunk in _chunks(list(ids), batch_size):
        found.update(r["id"] for r in client.read(records, cq.REFERENCED_BY_DECISIONS, ids=chunk))
    return found


def dependents(client: GraphClient, ids: Sequence[str]) -> list[tuple[str, str]]:
    """(document, upstream) lineage edges into these documents from documents not among them."""
    rows = client.read(records, cq.DEPENDENTS, ids=list(ids))
    return sorted((r["document"], r["upstream"]) for r in rows)


@dataclass(frozen=True, slots=True)
class Disappeared:
    """The documents of a catalog its new file no longer lists: deleted, or retired where a
    decision references them; `before` is their state, for compensation."""

    delete: tuple[str, ...] = ()
    retire: tuple[str, ...] = ()
    before: tuple[CatalogDocument, ...] = ()

    def __len__(self) -> int:
        return len(self.delete) + len(self.retire)


def read_documents(client: GraphClient, ids: list[str]) -> dict[str, CatalogDocument]:
    """The graph's state of these documents, in the catalog's terms (one read)."""
    rows = client.read(records, queries.CATALOG_DOCUMENT_STATE, ids=ids)
    return {row["id"]: _stored(row) for row in rows}


def catalog_policy_set(client: GraphClient, content_hash: str) -> PolicySetInfo | None:
    rows = client.read(records, queries.CATALOG_POLICY_SET_BY_HASH, content_hash=content_hash)
    return policy_set_info(rows[0]["ps"]) if rows else None


def _stored(row: dict[str, Any]) -> CatalogDocument:
    part_of = sorted(row["part_of"], key=lambda pair: str(pair[0]))
    labels = sorted(row["labels"], key=lambda pair: str(pair[0]))
    lineage = sorted(
        (
            Lineage(kind, target, transform or "", tuple(sorted(removes or ())), load_id)
            for kind, target, transform, removes, load_id in row["lineage"]
        ),
        key=lambda up: (up.kind, up.target),
    )
    source = part_of[0][0] if part_of else ""  # a catalog writes exactly one PART_OF
    return CatalogDocument(
        id=row["id"],
        title=row["title"] or "",
        source=source,
        labels=tuple(lab for lab, _ in labels),
        lineage=tuple(lineage),
        existed=True,
        part_of_load_id=part_of[0][1] if part_of else None,
        label_load_ids=tuple(lid for _, lid in labels),
        catalog=row["catalog"],
        retired=row["retired"],
        retired_by=row["retired_by"],
        load_id=row["load_id"],
    )


# ---------------------------------------------------------------- writes


class CatalogWriter:
    """Writes the documents a load changes, deletes (or retires) the ones its catalog no
    longer lists, then records its PolicySet; all or nothing."""

    def __init__(
        self,
        client: GraphClient,
        *,
        load_id: str,
        catalog: str,
        batch_size: int = 5_000,
        progress: Progress | None = None,
        after_batch: AfterBatch | None = None,
    ) -> None:
        self.client = client
        self.load_id = load_id
        self.catalog = catalog
        self.batch_size = batch_size
        self.progress = progress or NoProgress()
        self.after_batch = after_batch

    def apply(
        self,
        documents: Sequence[CatalogDocument],
        before: Sequence[CatalogDocument],
        record: CatalogRecord,
        *,
        gone: Disappeared | None = None,
        now: datetime | None = None,
    ) -> PolicySetInfo:
        """Write `documents`, remove `gone`, record the PolicySet; on any failure undo and
        re-raise.

        `before` holds the graph's state of every document in `documents` that
        existed when the load was planned: compensation writes it back.
        """
        gone = gone or Disappeared()
        try:
            self._phase("writing documents", documents, self._write_nodes)
            self._phase("writing lineage", documents, self._write_lineage)
            self._phase("retiring documents", gone.retire, self._retire)
            self._phase("deleting documents", gone.delete, self._delete)
            created = (now or datetime.now(UTC)).isoformat()
            info = self.client.write(self._record, record, created, len(documents))
        except BaseException as exc:
            self._compensate(documents, [*before, *gone.before], gone.retire, exc)
            if isinstance(exc, GovroutError | KeyboardInterrupt):
                raise
            if isinstance(exc, Neo4jError | DriverError):
                raise GraphUnavailable(
                    f"the catalog load failed while writing ({exc}); "
                    "everything it had written was undone"
                ) from exc
            raise
        return info

    def _phase(
        self,
        name: str,
        items: Sequence[Any],
        work: Callable[[ManagedTransaction, list[Any]], None],
    ) -> None:
        if not items and name not in ("writing documents", "writing lineage"):
            return  # no deletion phase to show when nothing disappeared
        self.progress.phase(name, len(items))
        for number, start in enumerate(range(0, len(items), self.batch_size), 1):
            batch = list(items[start : start + self.batch_size])
            try:
                self.client.write(work, batch)
            except ConstraintError as exc:
                raise self._taken_over(batch) from exc
            self.progress.advance(len(batch))
            if self.after_batch is not None:
                self.after_batch(name, number)

    def _taken_over(self, batch: list[Any]) -> InvalidPolicyData:
        """A new document's id was created by another writer after the comparison."""
        ids = [d.id for d in batch if isinstance(d, CatalogDocument)]
        foreign = self.client.read(records, queries.CATALOG_FOREIGN_AMONG, ids=ids)
        return InvalidPolicyData(
            [
                Problem(
                    "<graph>",
                    f"document {row['id']}",
                    "id",
                    f"became a Document of origin '{row['origin']}' after the catalog was "
                    "validated; the load was undone",
                )
                for row in foreign
            ]
            or [Problem("<graph>", "", "id", "a new document's id was taken meanwhile")]
        )

    def _write_nodes(self, tx: ManagedTransaction, batch: list[CatalogDocument]) -> None:
        new = [[d.id, d.title, d.source, list(d.labels)] for d in batch if not d.existed]
        existing = [d.node_row() for d in batch if d.existed]
        written = labels = 0
        if new:
            found = records(
                tx, cq.CREATE_DOCUMENTS, rows=new, load_id=self.load_id, catalog=self.catalog
            )[0]
            written, labels = found["written"], found["labels"]
        if existing:
            tx.run(queries.CATALOG_DELETE_STALE_PART_OF, rows=existing).consume()
            tx.run(queries.CATALOG_DELETE_STALE_LABELS, rows=existing).consume()
            found = records(
                tx,
                queries.CATALOG_WRITE_DOCUMENTS,
                rows=existing,
                load_id=self.load_id,
                catalog=self.catalog,
            )[0]
            written, labels = written + found["written"], labels + (found["labels"] or 0)
            if found["written"] != len(existing):
                foreign = records(
                    tx, queries.CATALOG_FOREIGN_AMONG, ids=[r["id"] for r in existing]
                )
                raise InvalidPolicyData(
                    [
                        Problem(
                            "<graph>",
                            f"document {row['id']}",
                            "id",
                            f"became a Document of origin '{row['origin']}' after the catalog "
                            "was validated; the load was undone",
                        )
                        for row in foreign
                    ]
                    or [_vanished("PART_OF", written, len(batch))]
                )
        if written != len(batch):
            raise InvalidPolicyData([_vanished("PART_OF", written, len(batch))])
        expected = sum(len(d.labels) for d in batch)
        if labels != expected:
            raise InvalidPolicyData([_vanished("HAS_LABEL", labels, expected)])

    def _write_lineage(self, tx: ManagedTransaction, batch: list[CatalogDocument]) -> None:
        to_documents: list[list[Any]] = []
        to_sources: list[list[Any]] = []
        for d in batch:
            if d.existed:
                continue
            for up in d.lineage:
                edge = [d.id, up.target, up.transform, list(up.removes)]
                (to_sources if up.kind == DATA_SOURCE else to_documents).append(edge)
        existing = [d.lineage_row() for d in batch if d.existed]
        merged = 0
        for query, rows in (
            (cq.CREATE_LINEAGE_TO_DOCUMENTS, to_documents),
            (cq.CREATE_LINEAGE_TO_SOURCES, to_sources),
        ):
            if rows:
                merged += records(tx, query, rows=rows, load_id=self.load_id)[0]["created"]
        if existing:
            tx.run(queries.CATALOG_DELETE_STALE_LINEAGE, rows=existing).consume()
            merged += records(
                tx, queries.CATALOG_WRITE_LINEAGE, rows=existing, load_id=self.load_id
            )[0]["merged"]
        expected = sum(len(d.lineage) for d in batch)
        if merged != expected:
            raise InvalidPolicyData([_vanished("DERIVED_FROM", merged, expected)])

    def _delete(self, tx: ManagedTransaction, ids: list[str]) -> None:
        tx.run(cq.DELETE_DOCUMENTS, ids=ids, catalog=self.catalog).consume()

    def _retire(self, tx: ManagedTransaction, ids: list[str]) -> None:
        tx.run(cq.RETIRE_DOCUMENTS, ids=ids, catalog=self.catalog, load_id=self.load_id).consume()

    def _record(
        self, tx: ManagedTransaction, record: CatalogRecord, created: str, written: int
    ) -> PolicySetInfo:
        row = records(
            tx,
            queries.CREATE_CATALOG_POLICY_SET,
            content_hash=record.content_hash,
            author=record.author,
            message=record.message,
            created_at=created,
            load_id=self.load_id,
            source=record.source,
            node_count=record.documents,
            edge_count=record.edges,
            documents=record.documents,
            lineage=record.lineage,
            written=written,
        )[0]["ps"]
        return policy_set_info(row)

    def record_only(self, record: CatalogRecord, *, now: datetime | None = None) -> PolicySetInfo:
        """Record a version for content the graph already holds (nothing to undo)."""
        return self.client.write(self._record, record, (now or datetime.now(UTC)).isoformat(), 0)

    def _compensate(
        self,
        documents: Sequence[CatalogDocument],
        before: Sequence[CatalogDocument],
        retired: Sequence[str],
        cause: BaseException,
    ) -> None:
        self.progress.phase("undoing the failed load", len(documents) + len(before))
        try:
            for start in range(0, len(documents), self.batch_size):
                ids = [d.id for d in documents[start : start + self.batch_size]]
                self.client.write(
                    records, queries.CATALOG_DELETE_CREATED_DOCUMENTS, ids=ids, load_id=self.load_id
                )
                self.progress.advance(len(ids))
            # Nodes first, then lineage: a deleted document's upstream may be another one.
            for restore in (self._restore_nodes, self._restore_lineage):
                for start in range(0, len(before), self.batch_size):
                    self.client.write(restore, list(before[start : start + self.batch_size]))
            for start in range(0, len(retired), self.batch_size):
                ids = list(retired[start : start + self.batch_size])
                self.client.write(records, cq.UNRETIRE_DOCUMENTS, ids=ids, load_id=self.load_id)
            self.progress.advance(len(before))
        except Exception as exc:
            raise GraphUnavailable(
                f"the catalog load failed ({cause}) and undoing it failed too ({exc}): the graph "
                f"holds part of load {self.load_id}. Running the same catalog again completes "
                "it; running the previous catalog again restores what it declared"
            ) from exc

    def _restore_nodes(self, tx: ManagedTransaction, batch: list[CatalogDocument]) -> None:
        # The rows carry the node's and each edge's original load_id, so they keep them.
        rows = [d.node_row() for d in batch]
        tx.run(queries.CATALOG_DELETE_STALE_PART_OF, rows=rows).consume()
        tx.run(queries.CATALOG_DELETE_STALE_LABELS, rows=rows).consume()
        tx.run(queries.CATALOG_WRITE_DOCUMENTS, rows=rows, load_id=None, catalog=None).consume()

    def _restore_lineage(self, tx: ManagedTransaction, batch: list[CatalogDocument]) -> None:
        lineage = [d.lineage_row() for d in batch]
        tx.run(queries.CATALOG_DELETE_STALE_LINEAGE, rows=lineage).consume()
        tx.run(queries.CATALOG_WRITE_LINEAGE, rows=lineage, load_id=None).consume()


def _vanished(relation: str, written: int, expected: int) -> Problem:
    return Problem(
        "<graph>",
        "",
        relation,
        f"wrote {written} where {expected} were expected: a DataSource, label or document "
        "disappeared after the catalog was validated; the load was undone",
    )


# ---------------------------------------------------------------- fingerprint


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Counts and an order-independent checksum of every node and relationship."""

    nodes: int
    relationships: int
    checksum: str


def fingerprint(client: GraphClient) -> Fingerprint:
    """Proof that a load changed nothing: equal before and after, or it changed something."""

    def work(tx: ManagedTransaction) -> Fingerprint:
        # Totals start inside: the driver may run this again after a transient failure.
        total = 0
        counts = [0, 0]
        for index, query in enumerate(
            (queries.FINGERPRINT_NODES, queries.FINGERPRINT_RELATIONSHIPS)
        ):
            for record in tx.run(query):
                text = repr(sorted((k, _plain(v)) for k, v in record.data().items()))
                digest = hashlib.sha256(text.encode("utf-8")).digest()
                # A sum (not XOR) so that two equal elements do not cancel out.
                total = (total + int.from_bytes(digest, "big")) % (1 << 256)
                counts[index] += 1
        return Fingerprint(counts[0], counts[1], f"{total:064x}")

    return client.read(work)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return sorted((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


# ---------------------------------------------------------------- helpers


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
