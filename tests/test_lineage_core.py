"""Label inheritance along lineage, decided purely from raw graph paths or the
upstream subgraph."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.lineage import (
    Hop,
    RawLabelPath,
    Upstream,
    UpstreamEdge,
    UpstreamNode,
    effective_labels,
    label_paths,
)

PARENTS = {"contact": "pii", "pii": "confidential", "pci": "pii"}


def ancestry(label: str) -> tuple[str, ...]:
    chain = [label]
    while chain[-1] in PARENTS:
        chain.append(PARENTS[chain[-1]])
    return tuple(chain)


def test_when_label_is_direct_then_it_and_its_ancestors_are_effective() -> None:
    path = RawLabelPath(("Document:d1",), (), "contact")
    found = {e.label: e.path for e in effective_labels([path], ancestry)}
    assert set(found) == {"contact", "pii", "confidential"}
    assert found["contact"] == ("Document:d1", "HAS_LABEL", "SensitivityLabel:contact")
    assert found["pii"][-2:] == ("SUBLABEL_OF", "SensitivityLabel:pii")


def test_when_inherited_through_lineage_then_path_names_every_hop() -> None:
    path = RawLabelPath(
        ("Document:d1", "DataSource:mart", "DataSource:crm"),
        (Hop("PART_OF"), Hop("DERIVED_FROM")),
        "pci",
    )
    (pci,) = [e for e in effective_labels([path], ancestry) if e.label == "pci"]
    assert pci.path == (
        "Document:d1", "PART_OF", "DataSource:mart", "DERIVED_FROM", "DataSource:crm",
        "HAS_LABEL", "SensitivityLabel:pci",
    )  # fmt: skip


def test_when_a_transform_removes_an_ancestor_then_the_descendant_label_is_dropped() -> None:
    path = RawLabelPath(
        ("DataSource:kpis", "DataSource:crm"), (Hop("DERIVED_FROM", frozenset({"pii"})),), "contact"
    )
    assert effective_labels([path], ancestry) == ()


def test_when_one_path_is_removed_but_another_survives_then_label_stays() -> None:
    removed = RawLabelPath(
        ("DataSource:kpis", "DataSource:crm"), (Hop("DERIVED_FROM", frozenset({"pci"})),), "pci"
    )
    kept = RawLabelPath(
        ("DataSource:kpis", "DataSource:x", "DataSource:pay"),
        (Hop("DERIVED_FROM"), Hop("DERIVED_FROM")),
        "pci",
    )
    labels = {e.label: e.path for e in effective_labels([removed, kept], ancestry)}
    assert "DataSource:pay" in labels["pci"]


# ---- label_paths: the upstream subgraph gives what every raw path gives

LABELS = ("contact", "pii", "pci", "confidential", "public")


@st.composite
def lineage_dags(draw: st.DrawFn) -> Upstream:
    """A random DAG (edges only to higher-numbered nodes), parallel edges of both
    types, removals, retired nodes and held labels; the item is node 0."""
    size = draw(st.integers(1, 9))
    keys = [f"Document:n{i}" for i in range(size)]
    nodes = {}
    for i, key in enumerate(keys):
        out = []
        for j in draw(st.lists(st.integers(i + 1, size), max_size=3)) if i + 1 < size else []:
            if j < size:
                removes = draw(st.frozensets(st.sampled_from(LABELS), max_size=1))
                out.append(UpstreamEdge(keys[j], Hop(draw(st.sampled_from(TYPES)), removes)))
        nodes[key] = UpstreamNode(
            retired=i > 0 and draw(st.booleans()) and draw(st.booleans()),
            labels=tuple(draw(st.lists(st.sampled_from(LABELS), max_size=2, unique=True))),
            out=tuple(out),
        )
    return Upstream(item=keys[0], nodes=nodes)


TYPES = ("PART_OF", "DERIVED_FROM")


def every_path(upstream: Upstream, max_hops: int) -> Iterator[RawLabelPath]:
    """What a Cypher var-length match returns: every path, each edge at most once."""

    def walk(nodes: tuple[str, ...], hops: tuple[Hop, ...]) -> Iterator[RawLabelPath]:
        node = upstream.nodes[nodes[-1]]
        if node.retired:
            return
        for label in node.labels:
            yield RawLabelPath(nodes, hops, label)
        if len(hops) < max_hops:
            for edge in node.out:
                yield from walk((*nodes, edge.target), (*hops, edge.hop))

    return walk((upstream.item,), ())


@settings(max_examples=300, deadline=None)
@given(upstream=lineage_dags(), max_hops=st.integers(0, 4))
def test_when_labels_come_from_the_upstream_subgraph_then_they_equal_those_of_every_path(
    upstream: Upstream, max_hops: int
) -> None:
    expected = effective_labels(every_path(upstream, max_hops), ancestry)
    assert effective_labels(label_paths(upstream, ancestry, max_hops), ancestry) == expected


def test_when_the_shortest_path_crosses_a_removal_then_a_longer_surviving_one_is_chosen() -> None:
    upstream = Upstream(
        item="Document:a",
        nodes={
            "Document:a": UpstreamNode(
                out=(
                    UpstreamEdge("DataSource:crm", Hop("DERIVED_FROM", frozenset({"pii"}))),
                    UpstreamEdge("Document:b", Hop("DERIVED_FROM")),
                )
            ),
            "Document:b": UpstreamNode(out=(UpstreamEdge("DataSource:crm", Hop("PART_OF")),)),
            "DataSource:crm": UpstreamNode(labels=("contact",)),
        },
    )
    (path,) = label_paths(upstream, ancestry, 20)
    assert path.nodes == ("Document:a", "Document:b", "DataSource:crm")
