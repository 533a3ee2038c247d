"""Bulk catalogs from CSV: documents and their lineage, validated whole, then written.

A catalog is a directory holding ``documents.csv`` (``id,title,source,labels``)
and, optionally, ``lineage.csv`` (``document,derived_from,transform,removes_labels``);
list cells are ``;``-separated label ids. docs/loading.md describes the format.

A load validates everything before it writes anything: every row of both files
(streamed with the csv module and kept as small tuples, not pydantic models: a
pydantic model per row validated 35,000 rows/s where these checks, references
included, do 157,000), every reference against the graph's policy content, and
the lineage graph the catalog makes with the edges it touches (no self-lineage,
no cycles). Problems name the file, the physical line,
the column and what is wrong. Then it compares each listed document with what
the graph holds and writes only those that differ (graph.catalog_store), so
loading the same catalog twice changes nothing.

A catalog is the truth for the documents it lists: their title, data source,
labels and lineage become exactly what the files say. It also owns them (the last
catalog that listed a document owns it): a document it owns and no longer lists is
deleted in the same load, or retired when a decision references it, so provenance
keeps its edges. Documents of other catalogs and of the policy content are left alone.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import re
import time
import uuid
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args, overload

from pydantic import StringConstraints

from engine.errors import InvalidPolicyData, Problem
from graph import catalog_store
from graph.catalog_store import (
    DATA_SOURCE,
    DOCUMENT,
    AfterBatch,
    CatalogDocument,
    CatalogRecord,
    CatalogReferences,
    CatalogWriter,
    Disappeared,
    Lineage,
    Progress,
)
from graph.connection import GraphClient
from graph.schema import apply_schema
from graph.store import PolicySetInfo
from loaders.catalog_progress import ProgressBar
from loaders.spec import Id

DOCUMENTS = "documents.csv"
LINEAGE = "lineage.csv"
DOCUMENT_COLUMNS = ("id", "title", "source", "labels")
LINEAGE_COLUMNS = ("document", "derived_from", "transform", "removes_labels")
MAX_LISTED = 100
# Rows per write transaction: 2k-20k measured alike on this 2-core machine (docs/
# loading.md), 50k slower; 5k keeps each transaction's state small on a 1-2 GB heap.
BATCH_SIZE = 5_000
# Rows per comparison read (one packed string each).
READ_BATCH = 20_000
_FORMAT = b"govroute-catalog/1\0"


def _id_pattern() -> re.Pattern[str]:
    for meta in get_args(Id)[1:]:
        if isinstance(meta, StringConstraints) and meta.pattern is not None:
            return re.compile(str(meta.pattern))
    raise AssertionError("loaders.spec.Id has no pattern")


_ID = _id_pattern()
# Cells hold text: C0 controls other than tab, LF and CR are refused (the content
# hash and the graph comparison use \x00 and \x1d-\x1f as separators).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ID_RULE = "letters, digits, '_', '.', ':', '-', starting with a letter or digit, at most 128"

# Where a lineage edge points, once resolved.
_UNRESOLVED, _IN_FILE, _IN_GRAPH, _SOURCE = 0, 1, 2, 3


# ---------------------------------------------------------------- problems


class _Problems:
    """Every problem is counted; the first MAX_LISTED are kept for the message."""

    def __init__(self, limit: int = MAX_LISTED) -> None:
        self.listed: list[Problem] = []
        self.count = 0
        self.limit = limit

    @property
    def listing(self) -> bool:
        return len(self.listed) < self.limit

    def add(self, source: str, line: int | None, column: str, message: str) -> None:
        self.count += 1
        if self.listing:
            self.listed.append(Problem(source, f"line {line}" if line else "", column, message))

    def raise_if_any(self) -> None:
        if not self.count:
            return
        if self.count == len(self.listed):
            raise InvalidPolicyData(self.listed)
        more = self.count - len(self.listed)
        summary = Problem("", "", "", f"... and {more} more problem(s) not listed")
        exc = InvalidPolicyData([*self.listed, summary])
        shown = "\n".join(f"  - {p}" for p in self.listed)
        exc.message = (
            f"{self.count} problem(s); nothing was written. The first {len(self.listed)}:\n"
            f"{shown}\n  ... and {more} more"
        )
        exc.args = (exc.message,)
        raise exc


def _hint(value: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


# ---------------------------------------------------------------- the catalog in memory


@dataclass(slots=True)
class Catalog:
    """The rows of one catalog, compact: 1M documents are a few hundred MB of tuples."""

    root: Path
    ids: dict[str, int] = field(default_factory=dict)
    docs: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    doc_lines: array[int] = field(default_factory=lambda: array("l"))
    edges: list[tuple[int, str, str, tuple[str, ...]]] = field(default_factory=list)
    edge_lines: array[int] = field(default_factory=lambda: array("l"))
    edge_kinds: bytearray = field(default_factory=bytearray)
    # edges of document i are by_doc[offsets[i]:offsets[i + 1]] (indexes into edges)
    offsets: array[int] = field(default_factory=lambda: array("l"))
    by_doc: array[int] = field(default_factory=lambda: array("l"))

    def group_edges(self) -> None:
        n = len(self.docs)
        offsets = array("l", bytes(8 * (n + 1)))
        for doc, *_ in self.edges:
            offsets[doc + 1] += 1
        for i in range(n):
            offsets[i + 1] += offsets[i]
        fill = array("l", offsets)
        by_doc = array("l", bytes(8 * len(self.edges)))
        for k, (doc, *_) in enumerate(self.edges):
            by_doc[fill[doc]] = k
            fill[doc] += 1
        self.offsets, self.by_doc = offsets, by_doc

    def edges_of(self, doc: int) -> array[int]:
        return self.by_doc[self.offsets[doc] : self.offsets[doc + 1]]

    def document(self, index: int, *, existed: bool = False) -> CatalogDocument:
        doc_id, title, source, labels = self.docs[index]
        lineage = []
        for k in self.edges_of(index):
            _, target, transform, removes = self.edges[k]
            kind = DATA_SOURCE if self.edge_kinds[k] == _SOURCE else DOCUMENT
            lineage.append(Lineage(kind, target, transform, removes))
        lineage.sort(key=lambda up: (up.kind, up.target))
        return CatalogDocument(doc_id, title, source, labels, tuple(lineage), existed=existed)

    def content_hash(self) -> str:
        """SHA-256 of the rows sorted (by id; lineage by document, upstream), not of the bytes."""
        digest = hashlib.sha256(_FORMAT)
        digest.update(f"documents\0{len(self.docs)}\0".encode())
        order = sorted(range(len(self.docs)), key=lambda i: self.docs[i][0])
        _hash_rows(digest, (self.docs[i] for i in order))
        digest.update(f"lineage\0{len(self.edges)}\0".encode())
        names = [d[0] for d in self.docs]
        edge_order = sorted(
            range(len(self.edges)), key=lambda k: (names[self.edges[k][0]], self.edges[k][1])
        )
        _hash_rows(
            digest, ((names[e[0]], e[1], e[2], e[3]) for e in (self.edges[k] for k in edge_order))
        )
        return "sha256:" + digest.hexdigest()


def _hash_rows(
    digest: hashlib._Hash, rows: Iterator[tuple[str, str, str, tuple[str, ...]]]
) -> None:
    # Fields are NUL-separated (control characters in cells are refused) and each section is
    # prefixed by its row count, so the encoding is unambiguous.
    chunk: list[str] = []
    for a, b, c, labels in rows:
        chunk.append(f"{a}\0{b}\0{c}\0{';'.join(labels)}\0")
        if len(chunk) >= 10_000:
            digest.update("".join(chunk).encode("utf-8"))
            chunk.clear()
    digest.update("".join(chunk).encode("utf-8"))


# ---------------------------------------------------------------- reading CSV


class _CsvFile:
    """Records of one CSV file with the physical line each starts on.

    Lines are decoded one by one so that bad UTF-8 is reported on its line (the
    line is then read with replacement characters and its row skipped).
    """

    def __init__(self, path: Path, problems: _Problems) -> None:
        self.path = path
        self.name = path.name
        self.problems = problems
        self.bad: dict[int, str] = {}

    def _lines(self) -> Iterator[str]:
        with self.path.open("rb") as raw:
            for number, chunk in enumerate(raw, 1):
                if number == 1 and chunk.startswith(codecs.BOM_UTF8):
                    chunk = chunk[len(codecs.BOM_UTF8) :]
                try:
                    text = chunk.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self.bad[number] = f"is not valid UTF-8 (byte {exc.start + 1} of the line)"
                    text = chunk.decode("utf-8", "replace")
                control = _CONTROL.search(text)
                if control is not None:
                    self.bad[number] = (
                        f"contains the control character U+{ord(control.group()):04X} "
                        "(only tab, CR and LF are allowed)"
                    )
                yield text

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(first line, fields) per record; broken records are reported and skipped."""
        reader = csv.reader(self._lines(), strict=True)
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                at = f" (at line {reader.line_num})" if reader.line_num > start else ""
                self.problems.add(self.name, start, "", f"is not valid CSV: {exc}{at}")
                continue
            if self.bad and self._report_bad(start, reader.line_num, fields):
                continue
            if fields:  # a blank line is no record
                yield start, fields

    def _report_bad(self, start: int, end: int, fields: list[str]) -> bool:
        found = False
        for number in range(start, end + 1):
            message = self.bad.pop(number, None)
            if message is not None:
                columns = [i for i, f in enumerate(fields) if "\ufffd" in f or _CONTROL.search(f)]
                column = f"column {columns[0] + 1}" if columns else ""
                self.problems.add(self.name, number, column, message)
                found = True
        return found


def _columns(
    file: _CsvFile, expected: tuple[str, ...], records: Iterator[tuple[int, list[str]]]
) -> tuple[int, ...] | None:
    """Positions of the expected columns, from the header; None if it is wrong."""
    first = next(records, None)
    if first is None:
        file.problems.add(file.name, 1, "", f"is empty; the header is {','.join(expected)}")
        return None
    line, header = first
    names = [h.strip() for h in header]
    ok = True
    for position, name in enumerate(names):
        if name not in expected:
            hint = difflib.get_close_matches(name, expected, n=1)
            why = f"did you mean '{hint[0]}'?" if hint else f"the columns are {','.join(expected)}"
            file.problems.add(file.name, line, name, f"is not a known column ({why})")
            ok = False
        elif names.index(name) != position:
            file.problems.add(file.name, line, name, "is a duplicate column")
            ok = False
    for name in expected:
        if name not in names:
            file.problems.add(file.name, line, name, "column is missing")
            ok = False
    return tuple(names.index(name) for name in expected) if ok else None


class _Labels:
    """Parses and checks `;`-separated label lists, memoised: catalogs repeat a few."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
        self.memo: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def parse(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(sorted unique labels, problems)."""
        found = self.memo.get(text)
        if found is None:
            found = self._parse(text)
            if len(self.memo) < 100_000:
                self.memo[text] = found
        return found

    def _parse(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if not text.strip():
            return (), ()
        labels: set[str] = set()
        problems: list[str] = []
        for part in text.split(";"):
            label = part.strip()
            if not label:
                problems.append("has an empty entry (labels are separated by ';')")
            elif label not in self.known:
                problems.append(f"unknown SensitivityLabel '{label}'{_hint(label, self.known)}")
            else:
                labels.add(label)
        return tuple(sorted(labels)), tuple(problems)


def _check_id(
    problems: _Problems, name: str, line: int, column: str, value: str, what: str = ""
) -> bool:
    if not value:
        problems.add(name, line, column, f"is empty{what}")
        return False
    if not _ID.fullmatch(value):
        problems.add(name, line, column, f"'{value[:140]}' is not a valid id ({_ID_RULE})")
        return False
    return True


def read_catalog(
    root: Path, refs: CatalogReferences, problems: _Problems, progress: Progress
) -> Catalog:
    """Read both files and check every row on its own and against the references."""
    catalog = Catalog(root)
    labels = _Labels(refs.labels)
    documents_ok = _read_documents(catalog, refs, labels, problems, progress)
    lineage = root / LINEAGE
    if lineage.is_file():
        _read_lineage(catalog, lineage, labels, problems, progress, documents_ok=documents_ok)
    catalog.edge_kinds = bytearray(len(catalog.edges))
    return catalog


def _read_documents(
    catalog: Catalog,
    refs: CatalogReferences,
    labels: _Labels,
    problems: _Problems,
    progress: Progress,
) -> bool:
    file = _CsvFile(catalog.root / DOCUMENTS, problems)
    name = file.name
    records = file.records()
    columns = _columns(file, DOCUMENT_COLUMNS, records)
    if columns is None:
        return False
    progress.phase(f"reading {name}", None)
    p_id, p_title, p_source, p_labels = columns
    width = len(DOCUMENT_COLUMNS)
    sources = {s: s for s in refs.data_sources}  # one string object per source
    ids, docs, lines, foreign = catalog.ids, catalog.docs, catalog.doc_lines, refs.foreign_documents
    count = 0
    for count, (line, fields) in enumerate(records, 1):
        if count % 10_000 == 0:
            progress.advance(10_000)
        if len(fields) != width:
            problems.add(name, line, "", f"has {len(fields)} fields; the header has {width}")
            continue
        doc_id = fields[p_id].strip()
        source = fields[p_source].strip()
        registered = False
        if _check_id(problems, name, line, "id", doc_id):
            first = ids.get(doc_id)
            if first is not None:
                problems.add(name, line, "id", f"duplicates the document on line {lines[first]}")
            elif doc_id in sources:
                problems.add(
                    name,
                    line,
                    "id",
                    f"'{doc_id}' is also the id of a DataSource: lineage could not tell them apart",
                )
            elif doc_id in foreign:
                problems.add(
                    name,
                    line,
                    "id",
                    f"'{doc_id}' is a Document of origin '{foreign[doc_id]}' (the policy "
                    "content owns it); a catalog may not take it over",
                )
            else:
                registered = True
        if not source:
            problems.add(name, line, "source", "is empty; every document is PART_OF a DataSource")
        elif source not in sources:
            hint = _hint(source, refs.data_sources) if problems.listing else ""
            problems.add(name, line, "source", f"unknown DataSource '{source}'{hint}")
        label_ids, label_problems = labels.parse(fields[p_labels])
        for message in label_problems:
            problems.add(name, line, "labels", message)
        if registered:
            # Registered even when other cells are wrong, so that lineage rows naming
            # it are checked and do not add a second, misleading problem.
            ids[doc_id] = len(docs)
            docs.append((doc_id, fields[p_title].strip(), sources.get(source, source), label_ids))
            lines.append(line)
    progress.advance(count % 10_000)
    return True


def _read_lineage(
    catalog: Catalog,
    path: Path,
    labels: _Labels,
    problems: _Problems,
    progress: Progress,
    *,
    documents_ok: bool,
) -> None:
    file = _CsvFile(path, problems)
    name = file.name
    records = file.records()
    columns = _columns(file, LINEAGE_COLUMNS, records)
    if columns is None:
        return
    progress.phase(f"reading {name}", None)
    p_doc, p_up, p_transform, p_removes = columns
    width = len(LINEAGE_COLUMNS)
    transforms: dict[str, str] = {}
    ids, edges, lines = catalog.ids, catalog.edges, catalog.edge_lines
    count = 0
    for count, (line, fields) in enumerate(records, 1):
        if count % 10_000 == 0:
            progress.advance(10_000)
        if len(fields) != width:
            problems.add(name, line, "", f"has {len(fields)} fields; the header has {width}")
            continue
        doc_id = fields[p_doc].strip()
        upstream = fields[p_up].strip()
        ok = True
        doc = -1
        if _check_id(problems, name, line, "document", doc_id):
            doc = ids.get(doc_id, -1)
            if doc < 0 and documents_ok:
                problems.add(
                    name,
                    line,
                    "document",
                    f"'{doc_id}' is not in {DOCUMENTS}: a catalog declares the lineage of "
                    "its own documents",
                )
            ok = doc >= 0
        else:
            ok = False
        if not _check_id(problems, name, line, "derived_from", upstream):
            ok = False
        elif upstream == doc_id:
            problems.add(name, line, "derived_from", "a document cannot derive from itself")
            ok = False
        removes, label_problems = labels.parse(fields[p_removes])
        for message in label_problems:
            problems.add(name, line, "removes_labels", message)
            ok = False
        if ok:
            transform = fields[p_transform].strip()
            edges.append((doc, upstream, transforms.setdefault(transform, transform), removes))
            lines.append(line)
    progress.advance(count % 10_000)


# ---------------------------------------------------------------- lineage checks


def check_lineage(
    client: GraphClient,
    catalog: Catalog,
    refs: CatalogReferences,
    problems: _Problems,
    progress: Progress,
    gone: frozenset[str] = frozenset(),
) -> None:
    """Duplicates, upstreams that exist nowhere (or that this load removes), and cycles
    (with the edges it touches)."""
    progress.phase("checking lineage", len(catalog.edges))
    catalog.group_edges()
    _check_duplicates(catalog, problems)
    external = _resolve_upstreams(client, catalog, refs, problems, gone)
    progress.advance(len(catalog.edges))
    _check_cycles(client, catalog, external, problems)


def _check_duplicates(catalog: Catalog, problems: _Problems) -> None:
    edges, lines = catalog.edges, catalog.edge_lines
    for doc in range(len(catalog.docs)):
        mine = catalog.edges_of(doc)
        if len(mine) < 2:
            continue
        seen: dict[str, int] = {}
        for k in mine:
            target = edges[k][1]
            if target in seen:
                problems.add(
                    LINEAGE,
                    lines[k],
                    "derived_from",
                    f"duplicates the lineage on line {lines[seen[target]]}",
                )
            else:
                seen[target] = k


def _resolve_upstreams(
    client: GraphClient,
    catalog: Catalog,
    refs: CatalogReferences,
    problems: _Problems,
    gone: frozenset[str],
) -> set[str]:
    """Mark each edge's upstream kind; returns the graph Documents lineage points at."""
    ids, edges, kinds = catalog.ids, catalog.edges, catalog.edge_kinds
    pending = {e[1] for e in edges if e[1] not in ids}
    # No catalog document shares an id with a DataSource (refused above), nor does
    # a policy document; a graph Document is looked for first, as policy loads do.
    in_graph = catalog_store.live_documents(client, pending, READ_BATCH) if pending else {}
    tenants, docs = refs.source_tenants, catalog.docs
    for k, (doc, upstream, _, _) in enumerate(edges):
        if upstream in gone:
            problems.add(
                LINEAGE,
                catalog.edge_lines[k],
                "derived_from",
                f"'{upstream}' is a document of this catalog that {DOCUMENTS} no longer lists: "
                "this load removes it; list it again or drop the lineage",
            )
            continue
        if upstream in ids:
            kinds[k] = _IN_FILE
            theirs = tenants.get(docs[ids[upstream]][2])
        elif upstream in in_graph:
            kinds[k] = _IN_GRAPH
            theirs = in_graph[upstream]
        elif upstream in refs.data_sources:
            kinds[k] = _SOURCE
            theirs = tenants.get(upstream)
        else:
            problems.add(
                LINEAGE,
                catalog.edge_lines[k],
                "derived_from",
                f"'{upstream}' is neither a document of {DOCUMENTS}, a Document in the graph, "
                "nor a DataSource",
            )
            continue
        # A catalog document belongs to its data source's tenant; its lineage may reach
        # its own tenant's items and shared ones, never another tenant's.
        mine = tenants.get(docs[doc][2])
        if theirs is not None and theirs != mine:
            scope = f"of tenant '{mine}'" if mine else "shared"
            problems.add(
                LINEAGE,
                catalog.edge_lines[k],
                "derived_from",
                f"document '{docs[doc][0]}' is {scope} but '{upstream}' belongs to tenant "
                f"'{theirs}'; lineage may cross into shared items only",
            )
    return {edges[k][1] for k in range(len(edges)) if kinds[k] == _IN_GRAPH}


def _check_cycles(
    client: GraphClient, catalog: Catalog, external: set[str], problems: _Problems
) -> None:
    """Find cycles in this catalog's lineage plus the graph's lineage it reaches.

    The graph's own edges of documents this catalog lists do not count: the
    catalog replaces them. Iterative (a million edges nest far deeper than
    Python's recursion limit).
    """
    ids, edges = catalog.ids, catalog.edges
    names: list[str] = [d[0] for d in catalog.docs]
    index: dict[str, int] = {}
    src, dst, lines = array("l"), array("l"), array("l")

    def node(doc_id: str) -> int:
        found = ids.get(doc_id)
        if found is not None:
            return found
        found = index.get(doc_id)
        if found is None:
            found = index[doc_id] = len(names)
            names.append(doc_id)
        return found

    for k, (doc, upstream, _, _) in enumerate(edges):
        if catalog.edge_kinds[k] in (_IN_FILE, _IN_GRAPH):
            src.append(doc)
            dst.append(node(upstream))
            lines.append(catalog.edge_lines[k])
    frontier = set(external)
    seen = set(frontier)
    while frontier:
        found = catalog_store.upstream_documents(client, frontier, READ_BATCH)
        frontier = set()
        for doc_id, upstream in found:
            src.append(node(doc_id))
            dst.append(node(upstream))
            lines.append(-1)
            if upstream not in ids and upstream not in seen:
                seen.add(upstream)
                frontier.add(upstream)
    _find_cycles(names, src, dst, lines, problems)


def _find_cycles(
    names: list[str], src: array[int], dst: array[int], lines: array[int], problems: _Problems
) -> None:
    n = len(names)
    offsets = array("l", bytes(8 * (n + 1)))
    for s in src:
        offsets[s + 1] += 1
    for i in range(n):
        offsets[i + 1] += offsets[i]
    fill = array("l", offsets)
    out = array("l", bytes(8 * len(src)))  # edge indexes, grouped by source node
    for e, s in enumerate(src):
        out[fill[s]] = e
        fill[s] += 1
    colour = bytearray(n)  # 0 unvisited, 1 on the current path, 2 done
    for root in range(n):
        if colour[root]:
            continue
        stack_nodes, stack_next = [root], [offsets[root]]
        colour[root] = 1
        while stack_nodes:
            v, i = stack_nodes[-1], stack_next[-1]
            if i == offsets[v + 1]:
                colour[v] = 2
                stack_nodes.pop()
                stack_next.pop()
                continue
            stack_next[-1] = i + 1
            e = out[i]
            w = dst[e]
            if colour[w] == 0:
                colour[w] = 1
                stack_nodes.append(w)
                stack_next.append(offsets[w])
            elif colour[w] == 1:
                start = stack_nodes.index(w)
                cycle_edges = [out[j - 1] for j in stack_next[start:]]
                _report_cycle(names, stack_nodes[start:], cycle_edges, lines, problems)


def _report_cycle(
    names: list[str],
    path: list[int],
    cycle_edges: list[int],
    lines: array[int],
    problems: _Problems,
) -> None:
    # Blame the edge written last in the file (the likeliest newcomer) and start
    # the ring there: path[j] -> path[j + 1] is cycle_edges[j].
    blamed = max(range(len(cycle_edges)), key=lambda j: lines[cycle_edges[j]])
    ring = [names[v] for v in path[blamed:] + path[:blamed]]
    ring.append(ring[0])
    shown = " -> ".join(ring if len(ring) <= 8 else [*ring[:4], "...", *ring[-3:]])
    line = lines[cycle_edges[blamed]]
    problems.add(
        LINEAGE, line if line >= 0 else None, "derived_from", f"closes a lineage cycle: {shown}"
    )


# ---------------------------------------------------------------- planning and loading


class _Written(Sequence[CatalogDocument]):
    """The documents a load writes, built one batch at a time from the compact rows."""

    def __init__(self, catalog: Catalog, indexes: array[int], existed: bytearray) -> None:
        self.catalog, self.indexes, self.existed = catalog, indexes, existed

    def __len__(self) -> int:
        return len(self.indexes)

    @overload
    def __getitem__(self, item: int) -> CatalogDocument: ...

    @overload
    def __getitem__(self, item: slice) -> Sequence[CatalogDocument]: ...

    def __getitem__(self, item: int | slice) -> CatalogDocument | Sequence[CatalogDocument]:
        if isinstance(item, slice):
            return [self[i] for i in range(*item.indices(len(self)))]
        return self.catalog.document(self.indexes[item], existed=bool(self.existed[item]))


@dataclass(frozen=True, slots=True)
class _Plan:
    write: _Written
    before: list[CatalogDocument]  # graph state of every existing document written
    created: int


def plan_writes(client: GraphClient, catalog: Catalog, progress: Progress, identity: str) -> _Plan:
    """Compare each listed document with the graph; keep the ones that differ."""
    progress.phase("comparing with the graph", len(catalog.docs))
    indexes, existed = array("l"), bytearray()
    before: list[CatalogDocument] = []
    created_count = 0
    for start in range(0, len(catalog.docs), READ_BATCH):
        stop = min(start + READ_BATCH, len(catalog.docs))
        batch = [catalog.document(i) for i in range(start, stop)]
        created, changed = catalog_store.changed_documents(client, batch, identity)
        if changed:
            stored = catalog_store.read_documents(client, [batch[i].id for i in changed])
            before.extend(stored[d.id] for d in (batch[i] for i in changed) if d.id in stored)
        for flag, found in ((0, created), (1, changed)):
            for i in found:
                indexes.append(start + i)
                existed.append(flag)
        created_count += len(created)
        progress.advance(stop - start)
    return _Plan(_Written(catalog, indexes, existed), before, created_count)


def find_disappeared(
    client: GraphClient, catalog: Catalog, identity: str, progress: Progress
) -> Disappeared:
    """The documents this catalog owns in the graph that its file no longer lists:
    deleted, or retired where a decision exposed or withheld them."""
    progress.phase("finding removed documents", None)
    owned = catalog_store.owned_documents(client, identity)
    gone = sorted(d for d in owned if d not in catalog.ids)
    progress.advance(len(owned))
    if not gone:
        return Disappeared()
    referenced = catalog_store.referenced_by_decisions(client, gone, READ_BATCH)
    stored = catalog_store.read_documents(client, [d for d in gone if d not in referenced])
    return Disappeared(
        delete=tuple(d for d in gone if d not in referenced),
        retire=tuple(d for d in gone if d in referenced),
        before=tuple(stored[d] for d in gone if d in stored),
    )


def check_dependents(
    client: GraphClient, catalog: Catalog, gone: Disappeared, problems: _Problems
) -> None:
    """Documents that stay (not listed by this catalog) may not derive from one it removes:
    their inherited labels would silently go with it."""
    going = [*gone.delete, *gone.retire]
    if not going:
        return
    for document, upstream in catalog_store.dependents(client, going):
        if document not in catalog.ids:  # listed ones: their new lineage was checked
            problems.add(
                "<graph>",
                None,
                "lineage",
                f"Document '{document}' derives from '{upstream}', which {DOCUMENTS} no longer "
                "lists; removing it would drop the labels it inherits: list it again, or "
                "change that document's lineage first",
            )


@dataclass(frozen=True, slots=True)
class CatalogReport:
    changed: bool
    policy_set: PolicySetInfo | None
    content_hash: str
    documents: int
    lineage: int
    written: int  # documents created or changed
    created: int
    seconds: dict[str, float]
    deleted: int = 0  # documents the catalog no longer lists, gone from the graph
    retired: int = 0  # the same, but a decision references them: retired, not deleted
    dry_run: bool = False

    def describe(self) -> str:
        ps = self.policy_set
        version = f"PolicySet v{ps.version}" if ps else "no PolicySet"
        removed = f"{self.deleted} deleted, {self.retired} retired (referenced by decisions)"
        if self.dry_run:
            return (
                f"dry run, nothing written: {self.documents} documents, {self.lineage} lineage "
                f"edges; would write {self.written} ({self.created} new); would remove "
                f"{self.deleted + self.retired}: {removed}"
            )
        if not self.changed:
            return (
                f"unchanged: the graph already holds this catalog ({self.content_hash[:19]}…, "
                f"{version}); {self.documents} documents, {self.lineage} lineage edges"
            )
        return (
            f"loaded catalog as {version} ({self.content_hash[:19]}…): {self.documents} "
            f"documents, {self.lineage} lineage edges; {self.written} written "
            f"({self.created} new), {removed} in {self.seconds.get('total', 0.0):.1f}s"
        )


def load_catalog(
    client: GraphClient,
    path: Path,
    *,
    author: str,
    message: str,
    progress: bool = True,
    batch_size: int = BATCH_SIZE,
    after_batch: AfterBatch | None = None,
    catalog_name: str | None = None,
    dry_run: bool = False,
) -> CatalogReport:
    """Validate the whole catalog, then write what differs and remove the documents it no
    longer lists, as one change (or none). `catalog_name` is the catalog's identity, whose
    documents a later load may remove (default: the directory's absolute path);
    `dry_run` validates and counts what would change, and writes nothing."""
    root = catalog_root(path)
    if root is None:
        raise InvalidPolicyData(
            [Problem(str(path), "", "", f"is not a CSV catalog (a directory with {DOCUMENTS})")]
        )
    identity = catalog_name or str(root.resolve())
    seconds: dict[str, float] = {}
    clock = _Clock(seconds)
    with ProgressBar(enabled=progress) as bar:
        # A new index on a large graph populates before anything is read or written.
        bar.phase("building indexes (%)", 100, rows=False)
        apply_schema(client, on_population=bar.reached if bar.shown else None)
        clock.lap("schema")
        problems = _Problems()
        refs = catalog_store.read_references(client)
        if not refs.data_sources:
            problems.add("<graph>", None, "", "holds no DataSource: load the policy content first")
            problems.raise_if_any()
        catalog = read_catalog(root, refs, problems, bar)
        clock.lap("read")
        gone = find_disappeared(client, catalog, identity, bar)
        going = frozenset((*gone.delete, *gone.retire))
        check_lineage(client, catalog, refs, problems, bar, going)
        check_dependents(client, catalog, gone, problems)
        clock.lap("check")
        problems.raise_if_any()
        content_hash = catalog.content_hash()
        plan = plan_writes(client, catalog, bar, identity)
        clock.lap("plan")
        record = CatalogRecord(
            content_hash=content_hash,
            author=author,
            message=message,
            source=identity,
            documents=len(catalog.docs),
            lineage=len(catalog.edges),
            # PART_OF, HAS_LABEL and DERIVED_FROM relationships the catalog declares
            edges=len(catalog.docs) + sum(len(d[3]) for d in catalog.docs) + len(catalog.edges),
        )
        load_id = f"catalog-{uuid.uuid4()}"
        writer = CatalogWriter(
            client,
            load_id=load_id,
            catalog=identity,
            batch_size=batch_size,
            progress=bar,
            after_batch=after_batch,
        )
        info: PolicySetInfo | None
        if dry_run:
            info, changed = catalog_store.catalog_policy_set(client, content_hash), False
        elif not len(plan.write) and not len(gone):
            info = catalog_store.catalog_policy_set(client, content_hash)
            changed = info is None
            if info is None:  # the graph holds it, but no version records it yet
                info = writer.record_only(record)
        else:
            info = writer.apply(plan.write, plan.before, record, gone=gone)
            changed = True
        clock.lap("write")
    seconds["total"] = sum(seconds.values())
    return CatalogReport(
        changed=changed,
        policy_set=info,
        content_hash=content_hash,
        documents=len(catalog.docs),
        lineage=len(catalog.edges),
        written=len(plan.write),
        created=plan.created,
        seconds=seconds,
        deleted=len(gone.delete),
        retired=len(gone.retire),
        dry_run=dry_run,
    )


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self.last
        self.last = now


# ---------------------------------------------------------------- which paths are catalogs


def catalog_root(path: Path) -> Path | None:
    """The catalog directory `path` names, None if it is no catalog; refuses mixtures."""
    if path.is_file():
        if path.suffix.lower() != ".csv":
            return None
        if path.name != DOCUMENTS:
            raise InvalidPolicyData(
                [
                    Problem(
                        str(path),
                        "",
                        "",
                        f"a CSV catalog is loaded through its {DOCUMENTS} or its directory",
                    )
                ]
            )
        root = path.parent
    elif path.is_dir():
        csvs = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".csv" and p.is_file())
        if not csvs:
            return None
        yaml = [p for p in path.rglob("*") if p.suffix.lower() in {".yaml", ".yml"}]
        if yaml:
            raise InvalidPolicyData(
                [
                    Problem(
                        str(path),
                        "",
                        "",
                        "holds both YAML policy files and CSV files: load the policy directory "
                        "and the catalog directory separately (policy first)",
                    )
                ]
            )
        root = path
    else:
        return None
    known = {root / DOCUMENTS, root / LINEAGE}
    others = sorted(p for p in root.rglob("*") if p.suffix.lower() == ".csv" and p not in known)
    if others or not (root / DOCUMENTS).is_file():
        what = f"unknown file {others[0].relative_to(root)}" if others else f"no {DOCUMENTS}"
        raise InvalidPolicyData(
            [
                Problem(
                    str(root),
                    "",
                    "",
                    f"{what}: a catalog directory holds {DOCUMENTS} and, optionally, {LINEAGE}",
                )
            ]
        )
    return root
