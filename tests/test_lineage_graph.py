"""Lineage reads and the architect's workspace against the session's real Neo4j.

The world is tests/data/minimal (crm holds `contact`; warehouse copies crm; kpis
aggregates warehouse and removes `pii`) plus a few documents and a mart, so paths
cross PART_OF and several DERIVED_FROM hops.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.errors import InvalidPolicyData, InvalidRequest, NotFound
from engine.lineage import Ancestry, Hop
from graph import queries, store
from graph.connection import GraphClient, records
from graph.lineage import (
    effective_labels_of,
    impact_of_label,
    inheritors,
    label_paths_of,
    lineage_subgraph,
)
from graph.snapshot import load_snapshot
from loaders.policy_load import load_policy_path, read_bundle
from loaders.workspace import Workspace
from loaders.yaml_source import parse_policy_text

MINIMAL = Path(__file__).parent / "data" / "minimal"

EXTRA = """
data_sources:
  - id: mart
    tenant: acme-eu
    name: Customer mart
    region: eu-west
    derived_from: [{source: warehouse, transform: dbt model}]
documents:
  - {id: doc-wh, title: Warehouse table, source: warehouse}
  - {id: doc-kpi, title: KPI report, source: kpis}
  - {id: doc-mart, title: Mart extract, source: mart}
  - id: doc-chunk
    title: Chunk of the customer list
    source: kpis
    derived_from: [{source: doc-1, transform: chunk and embed}]
"""


@pytest.fixture
def world(empty_graph: GraphClient, tmp_path: Path) -> GraphClient:
    policy = tmp_path / "policy"
    shutil.copytree(MINIMAL, policy)
    (policy / "lineage.yaml").write_text(EXTRA, encoding="utf-8")
    load_policy_path(empty_graph, policy, author="tests", message="lineage world")
    return empty_graph


def ancestry(client: GraphClient) -> Ancestry:
    return load_snapshot(client).label_ancestry


def counts(client: GraphClient) -> dict[str, int]:
    return {r["kind"]: r["count"] for r in client.read(records, queries.COUNT_NODES)}


# ---------------------------------------------------------------- paths and effective labels


def test_when_a_document_is_part_of_a_derived_source_then_its_path_crosses_every_hop(
    world: GraphClient,
) -> None:
    paths = label_paths_of(world, ["doc-mart", "nope"], ancestry(world))
    assert paths["nope"] == []
    (path,) = paths["doc-mart"]
    assert path.nodes == (
        "Document:doc-mart", "DataSource:mart", "DataSource:warehouse", "DataSource:crm",
    )  # fmt: skip
    assert path.hops == (Hop("PART_OF"), Hop("DERIVED_FROM"), Hop("DERIVED_FROM"))
    assert path.label == "contact"
    labels = {
        e.label: e.path
        for e in effective_labels_of(world, ["doc-mart"], ancestry(world))["doc-mart"]
    }
    assert set(labels) == {"contact", "pii", "confidential"}
    assert labels["contact"] == (
        "Document:doc-mart", "PART_OF", "DataSource:mart", "DERIVED_FROM", "DataSource:warehouse",
        "DERIVED_FROM", "DataSource:crm", "HAS_LABEL", "SensitivityLabel:contact",
    )  # fmt: skip


def test_when_a_transform_removes_pii_then_contact_does_not_flow_past_it(
    world: GraphClient,
) -> None:
    # doc-kpi reaches crm's contact label, but only through the transform removing pii
    assert "contact" not in {
        p.label for p in label_paths_of(world, ["doc-kpi"], ancestry(world))["doc-kpi"]
    }
    found = effective_labels_of(world, ["doc-kpi", "doc-chunk"], ancestry(world))
    assert {e.label for e in found["doc-kpi"]} == {"public"}
    # doc-chunk is part of kpis too, but it derives from doc-1 directly: that path survives
    chunk = {e.label: e.path for e in found["doc-chunk"]}
    assert chunk["contact"] == (
        "Document:doc-chunk", "DERIVED_FROM", "Document:doc-1", "PART_OF", "DataSource:crm",
        "HAS_LABEL", "SensitivityLabel:contact",
    )  # fmt: skip


# ---------------------------------------------------------------- inheritors


def test_when_asking_who_inherits_pii_then_removed_paths_are_excluded_and_paths_are_given(
    world: GraphClient,
) -> None:
    found = {i.item: i for i in inheritors(world, "pii", ancestry(world))}
    assert set(found) == {"crm", "warehouse", "mart", "doc-1", "doc-wh", "doc-mart", "doc-chunk"}
    assert found["crm"].direct
    assert not found["doc-wh"].direct
    assert found["doc-wh"].kind == "Document"
    assert found["doc-wh"].path == (
        "Document:doc-wh", "PART_OF", "DataSource:warehouse", "DERIVED_FROM", "DataSource:crm",
        "HAS_LABEL", "SensitivityLabel:contact", "SUBLABEL_OF", "SensitivityLabel:pii",
    )  # fmt: skip
    assert found["doc-wh"].describe() == (
        "Document:doc-wh -PART_OF-> DataSource:warehouse -DERIVED_FROM-> DataSource:crm "
        "-HAS_LABEL-> SensitivityLabel:contact -SUBLABEL_OF-> SensitivityLabel:pii"
    )


def test_when_inheritors_are_paged_then_pages_are_ordered_disjoint_and_complete(
    world: GraphClient,
) -> None:
    anc = ancestry(world)
    everything = [i.item for i in inheritors(world, "contact", anc)]
    pages: list[str] = []
    after = None
    while True:
        page = inheritors(world, "contact", anc, limit=3, after=after)
        pages += [i.item for i in page]
        if len(page) < 3:
            break
        after = page[-1].item
    assert pages == everything == sorted(everything)


def test_when_the_label_is_unknown_then_inheritors_raise_not_found(world: GraphClient) -> None:
    with pytest.raises(NotFound):
        inheritors(world, "no-such-label", ancestry(world))


def test_when_a_source_would_hold_pci_then_impact_lists_what_newly_carries_it(
    world: GraphClient,
) -> None:
    found = {i.item: i.path for i in impact_of_label(world, "warehouse", "pci", ancestry(world))}
    # kpis and its documents stay out: the aggregation removes pii, an ancestor of pci
    assert set(found) == {"warehouse", "doc-wh", "mart", "doc-mart"}
    assert found["doc-mart"] == (
        "Document:doc-mart", "PART_OF", "DataSource:mart", "DERIVED_FROM", "DataSource:warehouse",
        "HAS_LABEL", "SensitivityLabel:pci",
    )  # fmt: skip
    # what already carries the label is not news
    assert impact_of_label(world, "warehouse", "contact", ancestry(world)) == []


# ---------------------------------------------------------------- subgraph


def test_when_a_subgraph_is_pulled_then_it_holds_upstream_and_downstream_with_attributes(
    world: GraphClient,
) -> None:
    g = lineage_subgraph(world, ["warehouse"], depth=2)
    assert set(g.nodes) == {
        "DataSource:warehouse", "DataSource:crm", "DataSource:kpis", "DataSource:mart",
        "Document:doc-wh", "Document:doc-kpi", "Document:doc-mart", "Document:doc-chunk",
    }  # fmt: skip
    assert not g.graph["truncated"]
    assert g.nodes["DataSource:warehouse"]["root"]
    assert g.nodes["DataSource:crm"]["labels"] == ("contact",)
    assert g.nodes["Document:doc-wh"]["name"] == "Warehouse table"
    assert g.nodes["Document:doc-wh"]["kind"] == "Document"
    edges = {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}
    assert set(edges) == {
        ("DataSource:warehouse", "DataSource:crm", "DERIVED_FROM"),
        ("DataSource:kpis", "DataSource:warehouse", "DERIVED_FROM"),
        ("DataSource:mart", "DataSource:warehouse", "DERIVED_FROM"),
        ("Document:doc-wh", "DataSource:warehouse", "PART_OF"),
        ("Document:doc-kpi", "DataSource:kpis", "PART_OF"),
        ("Document:doc-chunk", "DataSource:kpis", "PART_OF"),
        ("Document:doc-mart", "DataSource:mart", "PART_OF"),
    }
    aggregation = edges[("DataSource:kpis", "DataSource:warehouse", "DERIVED_FROM")]
    assert (aggregation["transform"], aggregation["removes"]) == ("aggregation", ("pii",))
    shallow = lineage_subgraph(world, ["warehouse"], depth=1)
    assert "Document:doc-kpi" not in shallow
    capped = lineage_subgraph(world, ["warehouse"], depth=5, max_nodes=3)
    assert capped.number_of_nodes() == 3
    assert capped.graph["truncated"]


# ---------------------------------------------------------------- workspace


def test_when_a_workspace_commits_a_source_then_a_version_records_it_and_labels_follow_lineage(
    world: GraphClient,
) -> None:
    ws = Workspace(world)
    assert ws.base_version == 1
    ws.add_data_source(
        "scores",
        "Scores",
        tenant="acme-eu",
        region="eu-west",
        labels=["public"],
        derived_from=[("crm", "scoring"), ("warehouse", "aggregation", ["pii"])],
    )
    ws.add_document("doc-scores", "scores", title="Scores, October")
    ws.add_data_source(
        "trends", "Trends", tenant="acme-eu", derived_from=[("crm", "aggregation", ["pii"])]
    )
    assert [(c.id, c.kind) for c in ws.changes()] == [
        ("scores", "added"),
        ("trends", "added"),
        ("doc-scores", "added"),
    ]
    report = ws.commit("add scores", "ana")
    assert report.outcome.changed
    active = store.active_policy_set(world)
    assert active is not None
    assert (active.version, active.author, active.message) == (2, "ana", "add scores")
    assert ws.base_version == 2
    assert ws.changes() == []
    found = effective_labels_of(world, ["doc-scores", "trends"], ws.snapshot.label_ancestry)
    doc = {e.label: e.path for e in found["doc-scores"]}
    # the copy keeps contact through crm; the aggregated path would have dropped it
    assert doc["contact"] == (
        "Document:doc-scores", "PART_OF", "DataSource:scores", "DERIVED_FROM", "DataSource:crm",
        "HAS_LABEL", "SensitivityLabel:contact",
    )  # fmt: skip
    assert "public" in doc
    assert {e.label for e in found["trends"]} == set()


def test_when_a_workspace_commit_has_a_dangling_reference_then_nothing_is_written(
    world: GraphClient,
) -> None:
    before = counts(world)
    ws = Workspace(world)
    ws.add_data_source(
        "orphan", "Orphan", tenant="acme-eu", derived_from=["ghost"], labels=["no-such-label"]
    )
    with pytest.raises(InvalidPolicyData) as caught:
        ws.commit("bad", "ana")
    message = str(caught.value)
    assert "unknown data source or document 'ghost'" in message
    assert "unknown label 'no-such-label'" in message
    assert "<workspace>: data_sources.orphan" in message
    assert counts(world) == before
    assert [ps.version for ps in store.list_policy_sets(world)] == [1]


def test_when_an_item_is_invalid_then_the_workspace_refuses_it_at_once(
    world: GraphClient,
) -> None:
    ws = Workspace(world)
    with pytest.raises(InvalidPolicyData) as caught:
        ws.add_data_source("bad id!", "Bad")
    assert "data_sources.bad id!.id" in str(caught.value)
    with pytest.raises(InvalidPolicyData):
        ws.add_data_source("crm", "CRM again")  # exists: replace=True is needed
    ws.set_labels("crm", ["pci"])
    assert [(c.id, c.kind) for c in ws.changes()] == [("crm", "changed")]


def test_when_another_load_happened_since_the_workspace_opened_then_commit_is_refused(
    world: GraphClient, tmp_path: Path
) -> None:
    ws = Workspace(world)
    ws.add_data_source("late", "Late", tenant="acme-eu")
    other = Workspace(world)
    other.add_data_source("first", "First", tenant="acme-eu")
    other.commit("first", "bob")
    with pytest.raises(InvalidPolicyData, match="refresh"):
        ws.commit("late", "ana")
    assert store.active_policy_set(world).version == 2  # type: ignore[union-attr]


def test_when_impact_is_asked_with_uncommitted_changes_then_the_workspace_refuses(
    world: GraphClient,
) -> None:
    ws = Workspace(world)
    assert {i.item for i in ws.impact_of_labeling("warehouse", "pci")} == {
        "warehouse", "doc-wh", "mart", "doc-mart",
    }  # fmt: skip
    ws.set_labels("warehouse", ["pci"])
    with pytest.raises(InvalidRequest, match="commit the draft first"):
        ws.impact_of_labeling("warehouse", "pci")


def test_when_the_export_joins_the_policy_dir_then_a_yaml_load_keeps_the_notebook_source(
    world: GraphClient, tmp_path: Path
) -> None:
    ws = Workspace(world)
    ws.add_data_source(
        "scores", "Scores", tenant="acme-eu", derived_from=[("crm", "scoring", ["pii"])]
    )
    ws.add_document("doc-scores", "scores")
    ws.commit("add scores", "ana")
    committed = store.active_policy_set(world)
    assert committed is not None
    policy = tmp_path / "repo"
    shutil.copytree(MINIMAL, policy)
    (policy / "lineage.yaml").write_text(EXTRA, encoding="utf-8")
    ws.export_yaml(policy / "notebook.yaml")
    assert read_bundle(policy).content_hash() == committed.content_hash
    named = ws.export_yaml(tmp_path / "named.yaml", ids=["doc-scores"])
    assert [i.item.id for i in parse_policy_text(named.read_text(), "named.yaml")] == ["doc-scores"]
    # without the export, the declarative load retires what the notebook added
    (policy / "notebook.yaml").unlink()
    report = load_policy_path(world, policy, author="ci", message="repo without export")
    assert report.outcome.retired == 2
