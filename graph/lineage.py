"""Lineage reads for architects and auditors: paths to labels, subgraphs, inheritors.

The graph only finds each item's upstream subgraph (what it reaches along
PART_OF|DERIVED_FROM, up to 20 hops, with the labels held and what each transform
removes); the paths and which of them count are decided by engine.lineage, the same
code the firewall uses at request time, so a notebook answer and a routing decision
apply the same inheritance and removal rules.

Costs, for a catalog of N documents (docs/lineage.md has the measurements):

- `label_paths_of` / `effective_labels_of` walk upstream from the given items:
  cost follows the number of upstream nodes and edges, independent of N.
- `inheritors` / `impact_of_label` walk downstream from the label's holders, which
  can reach most of the catalog. They return one page of at most `limit` items,
  ordered by id; pass the last item's id as `after` for the next page. Each page
  re-runs the reachability walk (linear in the items reachable from the holders,
  skipping transforms that remove the label or a broader one), then resolves only
  that page's paths.
- `lineage_subgraph` walks `depth` hops each way and stops at `max_nodes`
  (the graph's `truncated` attribute says so), since one data source can have
  millions of documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

import networkx as nx
from neo4j import ManagedTransaction

from engine.errors import NotFound
from engine.lineage import Ancestry, Hop, RawLabelPath, effective_labels, label_paths
from engine.model import LabelEvidence
from graph import queries
from graph.connection import GraphClient, records
from graph.facts import upstream_of

DEFAULT_LIMIT = 1000
_MIN_SCAN = 256  # candidates fetched per round, whatever the caller's limit


@dataclass(frozen=True, slots=True)
class Inheritor:
    """An item that carries `label`, and the path that justifies it.

    The path alternates nodes ("Kind:id") and edge types, from the item to the label,
    e.g. ("Document:d1", "PART_OF", "DataSource:crm", "HAS_LABEL", "SensitivityLabel:pii").
    """

    item: str
    kind: str  # "Document" | "DataSource"
    label: str
    path: tuple[str, ...]

    @property
    def direct(self) -> bool:
        """True when the item holds the label (or a sublabel) itself, not through lineage."""
        return "PART_OF" not in self.path and "DERIVED_FROM" not in self.path

    def describe(self) -> str:
        return describe_path(self.path)


def describe_path(path: Sequence[str]) -> str:
    """A path as one line: node -TYPE-> node -TYPE-> ..."""
    out = path[0] if path else ""
    for index in range(1, len(path) - 1, 2):
        out += f" -{path[index]}-> {path[index + 1]}"
    return out


# ---------------------------------------------------------------- labels of given items


def label_paths_of(
    client: GraphClient, item_ids: Iterable[str], ancestry: Ancestry
) -> dict[str, list[RawLabelPath]]:
    """Per item, for each label it reaches, the path that carries it: the shortest
    one that no transform on the way removes (engine.lineage.label_paths), one query.

    Every requested id is a key; an unknown, retired or unlabelled item maps to [].
    """
    wanted = sorted(set(item_ids))
    return client.read(_label_paths, wanted, ancestry)


def effective_labels_of(
    client: GraphClient, item_ids: Iterable[str], ancestry: Ancestry
) -> dict[str, tuple[LabelEvidence, ...]]:
    """Each item's effective labels, one shortest surviving path each (engine semantics).

    `ancestry` is the label hierarchy, e.g. `graph.snapshot.load_snapshot(client).label_ancestry`.
    """
    return {
        item: effective_labels(paths, ancestry)
        for item, paths in label_paths_of(client, item_ids, ancestry).items()
    }


# ---------------------------------------------------------------- who carries a label


def inheritors(
    client: GraphClient,
    label_id: str,
    ancestry: Ancestry,
    *,
    limit: int = DEFAULT_LIMIT,
    after: str | None = None,
) -> list[Inheritor]:
    """Documents and data sources that carry `label_id`, with the path that justifies it.

    Found by walking back from every holder of the label or of one of its sublabels,
    then keeping the items with a path that survives the transforms on the way
    (engine.lineage: removing `pii` also removes `contact_info`). Direct holders are
    included (`Inheritor.direct`). At most `limit` items, ordered by id, strictly
    after `after`: page with `after=page[-1].item`. Raises NotFound for an unknown label.
    """
    _check_limit(limit)

    def work(tx: ManagedTransaction) -> list[Inheritor]:
        if not records(tx, queries.LINEAGE_LABEL_EXISTS, label=label_id):
            raise NotFound(f"no sensitivity label {label_id!r}")

        def resolve(ids: list[str]) -> list[Inheritor]:
            paths = _label_paths(tx, ids, ancestry)
            return [
                found for item in ids if (found := _carrying(item, paths[item], label_id, ancestry))
            ]

        params = {"label": label_id, "blocked": list(ancestry(label_id))}
        return _paged(tx, queries.LINEAGE_ITEMS_REACHING_LABEL, params, resolve, limit, after)

    return client.read(work)


def impact_of_label(
    client: GraphClient,
    item_id: str,
    label_id: str,
    ancestry: Ancestry,
    *,
    limit: int = DEFAULT_LIMIT,
    after: str | None = None,
) -> list[Inheritor]:
    """Items that would newly carry `label_id` if `item_id` held it (nothing is written).

    The hypothetical label is added as one more raw path per route to `item_id`, and
    each affected item's labels are decided before and after by engine.lineage, so
    transforms that would remove the label are respected. Paged like `inheritors`.
    Raises NotFound for an unknown item.
    """
    _check_limit(limit)

    def work(tx: ManagedTransaction) -> list[Inheritor]:
        if not records(tx, queries.LINEAGE_NODES, ids=[item_id]):
            raise NotFound(f"no document or data source {item_id!r}")

        def resolve(ids: list[str]) -> list[Inheritor]:
            existing = _label_paths(tx, ids, ancestry)
            routes = _raw_paths_to(tx, ids, item_id, label_id)
            out = []
            for item in ids:
                if _carrying(item, existing[item], label_id, ancestry):
                    continue
                found = _carrying(item, existing[item] + routes[item], label_id, ancestry)
                if found:
                    out.append(found)
            return out

        params = {"target": item_id, "blocked": list(ancestry(label_id))}
        return _paged(tx, queries.LINEAGE_ITEMS_REACHING_ITEM, params, resolve, limit, after)

    return client.read(work)


# ---------------------------------------------------------------- the lineage around items


def lineage_subgraph(
    client: GraphClient,
    root_ids: Iterable[str],
    *,
    depth: int = 3,
    max_nodes: int = 500,
) -> Any:  # networkx.MultiDiGraph (networkx ships no type hints)
    """The roots with everything up to `depth` hops upstream and downstream of them.

    Nodes are keyed "Kind:id" (as in label paths) with attributes kind, id, name,
    labels (direct labels, sorted) and root. Edges point as in the graph (from the
    derived item to its source) with attributes type, transform and removes; their
    key is the type. Upstream means what the roots derive from (and the data source
    a document is part of); downstream means what derives from them. Siblings (other
    documents of a root's data source) are not included. Expansion stops once the
    graph holds `max_nodes` nodes, and then `graph.graph["truncated"]` is True.
    """
    if depth < 0 or max_nodes < 1:
        raise ValueError("depth must be >= 0 and max_nodes >= 1")
    wanted = sorted(set(root_ids))

    def work(tx: ManagedTransaction) -> Any:
        g = nx.MultiDiGraph(truncated=False)
        keys: dict[str, str] = {}  # element id -> node key
        for row in records(tx, queries.LINEAGE_NODES, ids=wanted):
            keys[row["element"]] = _add_node(g, row, root=True)
        roots = sorted(keys)
        rows_per_hop = 4 * max_nodes  # edges to known nodes also cost rows
        for query, downstream in (
            (queries.LINEAGE_UPSTREAM_HOP, False),
            (queries.LINEAGE_DOWNSTREAM_HOP, True),
        ):
            frontier, seen = roots, set(roots)
            for _ in range(depth):
                if not frontier:
                    break
                rows = records(tx, query, elements=frontier, limit=rows_per_hop)
                if len(rows) == rows_per_hop:
                    g.graph["truncated"] = True
                frontier = []
                for row in rows:
                    element = row["element"]
                    if element not in keys:
                        if g.number_of_nodes() >= max_nodes:
                            g.graph["truncated"] = True
                            continue
                        keys[element] = _add_node(g, row, root=False)
                    if element not in seen:
                        seen.add(element)
                        frontier.append(element)
                    here, there = keys[row["origin"]], keys[element]
                    source, target = (there, here) if downstream else (here, there)
                    if not g.has_edge(source, target, key=row["type"]):
                        g.add_edge(
                            source,
                            target,
                            key=row["type"],
                            type=row["type"],
                            transform=row["transform"],
                            removes=tuple(sorted(row["removes"])),
                        )
        return g

    return client.read(work)


# ---------------------------------------------------------------- internals


def _label_paths(
    tx: ManagedTransaction, ids: list[str], ancestry: Ancestry
) -> dict[str, list[RawLabelPath]]:
    found: dict[str, list[RawLabelPath]] = {item: [] for item in ids}
    for row in records(tx, queries.LINEAGE_UPSTREAM, ids=ids):
        upstream = upstream_of(row["key"], row["upstream"])
        found[row["item_id"]] = label_paths(upstream, ancestry, queries.LINEAGE_MAX_HOPS)
    return found


def _raw_paths_to(
    tx: ManagedTransaction, ids: list[str], target: str, label: str
) -> dict[str, list[RawLabelPath]]:
    """Paths from each item to `target`, as if `target` held `label`."""
    found: dict[str, list[RawLabelPath]] = defaultdict(list)
    for row in records(tx, queries.LINEAGE_PATHS_TO, ids=ids, target=target):
        found[row["item_id"]].append(_path(row, label))
    return found


def _path(row: Mapping[str, Any], label: str) -> RawLabelPath:
    hops = tuple(Hop(t, frozenset(r)) for t, r in zip(row["types"], row["removes"], strict=True))
    return RawLabelPath(nodes=tuple(row["nodes"]), hops=hops, label=label)


def _carrying(
    item: str, paths: list[RawLabelPath], label: str, ancestry: Ancestry
) -> Inheritor | None:
    for evidence in effective_labels(paths, ancestry):
        if evidence.label == label:
            kind = evidence.path[0].partition(":")[0]
            return Inheritor(item=item, kind=kind, label=label, path=evidence.path)
    return None


def _paged(
    tx: ManagedTransaction,
    candidates: LiteralString,
    params: dict[str, Any],
    resolve: Callable[[list[str]], list[Inheritor]],
    limit: int,
    after: str | None,
) -> list[Inheritor]:
    """Fetch candidate ids page by page and resolve them until `limit` items are found.

    A candidate reaches a holder but may still lose the label to a transform, so a
    page of candidates can yield fewer items than it holds; the cursor then moves on.
    """
    found: list[Inheritor] = []
    cursor = after or ""
    scan = max(limit, _MIN_SCAN)
    while len(found) < limit:
        ids = [r["id"] for r in records(tx, candidates, **params, after=cursor, limit=scan)]
        found += resolve(ids)
        if len(ids) < scan:
            break
        cursor = ids[-1]
    return found[:limit]


def _add_node(g: Any, row: Mapping[str, Any], *, root: bool) -> str:
    key = f"{row['kind']}:{row['id']}"
    g.add_node(
        key,
        kind=row["kind"],
        id=row["id"],
        name=row["name"],
        labels=tuple(sorted(row["labels"])),
        root=root,
    )
    return key


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise ValueError("limit must be >= 1")
