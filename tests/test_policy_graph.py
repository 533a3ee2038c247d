"""Policy loads against the session's real Neo4j: atomic, idempotent, versioned."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, LiteralString

import pytest
from neo4j import ManagedTransaction

from engine.errors import InvalidPolicyData
from graph import queries, store
from graph.connection import GraphClient, records
from graph.schema import apply_schema
from graph.snapshot import build_snapshot
from loaders.bundle import Bundle
from loaders.graph_mapping import from_graph
from loaders.policy_load import load_policy_path, read_bundle, rollback
from tests.conftest import ENTERPRISE

MINIMAL = Path(__file__).parent / "data" / "minimal"


def counts(client: GraphClient) -> dict[str, int]:
    return {r["kind"]: r["count"] for r in client.read(records, queries.COUNT_NODES)}


def run(client: GraphClient, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return records(tx, query, **params)

    return client.write(work)


def copy_minimal(tmp_path: Path) -> Path:
    work = tmp_path / "policy"
    shutil.copytree(MINIMAL, work)
    return work


def test_when_content_is_loaded_then_graph_holds_it_and_a_policy_set_records_it(
    empty_graph: GraphClient,
) -> None:
    report = load_policy_path(empty_graph, MINIMAL, author="ana", message="first")
    assert report.outcome.changed
    ps = store.active_policy_set(empty_graph)
    assert ps is not None
    assert (ps.version, ps.author, ps.message, ps.status) == (1, "ana", "first", "active")
    assert ps.content_hash == read_bundle(MINIMAL).content_hash()
    found = counts(empty_graph)
    assert found["Policy"] == 4
    assert found["Intent"] == 3  # two declared plus the reserved 'unknown'
    assert found["PolicySet"] == 1


def test_when_same_content_is_loaded_twice_then_nothing_changes(empty_graph: GraphClient) -> None:
    load_policy_path(empty_graph, MINIMAL, author="a", message="one")
    before = counts(empty_graph)
    again = load_policy_path(empty_graph, MINIMAL, author="a", message="two")
    assert not again.outcome.changed
    assert counts(empty_graph) == before
    assert [ps.version for ps in store.list_policy_sets(empty_graph)] == [1]


def test_when_invalid_content_is_loaded_then_nothing_is_written(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, MINIMAL, author="a", message="good")
    before = counts(empty_graph)
    work = copy_minimal(tmp_path)
    (work / "bad.yaml").write_text(
        "policies:\n  - {id: p9, description: d, effect: deny, applies_to: {roles: [ghost]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidPolicyData) as caught:
        load_policy_path(empty_graph, work, author="a", message="bad")
    assert "unknown role 'ghost'" in str(caught.value)
    assert counts(empty_graph) == before


def test_when_content_changes_then_new_version_supersedes_and_removed_nodes_are_retired(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, MINIMAL, author="a", message="v1")
    # A past decision points at the policy that v2 removes: its provenance must survive.
    run(
        empty_graph,
        "MATCH (p:Policy {id: 'redact-contact'}) CREATE (:Decision {id: 'd-old'})-[:APPLIED]->(p)",
    )
    work = copy_minimal(tmp_path)
    text = (work / "policies.yaml").read_text(encoding="utf-8")
    cut = text.index("  - id: redact-contact")
    end = text.index("  - id: pci-route")
    (work / "policies.yaml").write_text(text[:cut] + text[end:], encoding="utf-8")
    report = load_policy_path(empty_graph, work, author="a", message="v2")
    assert report.outcome.changed
    assert report.outcome.retired == 1
    sets = store.list_policy_sets(empty_graph)
    assert [(s.version, s.status) for s in sets] == [(2, "active"), (1, "retired")]
    chain = run(
        empty_graph, "MATCH (:PolicySet {version: 2})-[:SUPERSEDES]->(p) RETURN p.version AS v"
    )
    assert chain == [{"v": 1}]
    kept = run(empty_graph, "MATCH (:Decision {id: 'd-old'})-[:APPLIED]->(p) RETURN p.retired AS r")
    assert kept == [{"r": True}]
    _, content = store.read_policy_content(empty_graph)
    assert "redact-contact" not in content.ids("Policy")


def test_when_graph_is_read_back_then_it_yields_the_loaded_content(
    empty_graph: GraphClient,
) -> None:
    bundle = read_bundle(MINIMAL)
    load_policy_path(empty_graph, MINIMAL, author="a", message="m")
    _, content = store.read_policy_content(empty_graph)
    again = Bundle.from_document(from_graph(content), "<graph>")
    assert again.content_hash() == bundle.content_hash()


def test_when_rolled_back_then_old_content_is_active_as_a_new_version(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, MINIMAL, author="a", message="v1")
    work = copy_minimal(tmp_path)
    (work / "more.yaml").write_text(
        "tenants:\n  - {id: acme-us, name: ACME US}\n", encoding="utf-8"
    )
    load_policy_path(empty_graph, work, author="a", message="v2")
    report = rollback(empty_graph, 1, author="ops")
    ps = store.active_policy_set(empty_graph)
    assert ps is not None
    assert ps.version == 3
    assert ps.content_hash == read_bundle(MINIMAL).content_hash()
    assert report.outcome.retired == 1
    tenants = run(empty_graph, "MATCH (t:Tenant) WHERE NOT t.retired RETURN t.id AS id")
    assert tenants == [{"id": "acme-eu"}]


def test_when_catalog_documents_point_at_a_removed_source_then_load_is_refused(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, MINIMAL, author="a", message="v1")
    run(
        empty_graph,
        "MATCH (s:DataSource {id: 'kpis'}) "
        "CREATE (:Document {id: 'cat-1', origin: 'catalog'})-[:PART_OF]->(s)",
    )
    work = copy_minimal(tmp_path)
    text = (work / "world.yaml").read_text(encoding="utf-8")
    cut = text.index("  - id: kpis")
    end = text.index("documents:")
    (work / "world.yaml").write_text(text[:cut] + text[end:], encoding="utf-8")
    before = counts(empty_graph)
    with pytest.raises(InvalidPolicyData) as caught:
        load_policy_path(empty_graph, work, author="a", message="v2")
    assert "catalog document cat-1" in str(caught.value)
    assert counts(empty_graph) == before
    assert store.active_policy_set(empty_graph).version == 1  # type: ignore[union-attr]


def test_when_policy_content_names_a_catalog_document_then_load_is_refused(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, MINIMAL, author="a", message="v1")
    run(
        empty_graph,
        "MATCH (s:DataSource {id: 'crm'}) "
        "CREATE (:Document {id: 'cat-7', origin: 'catalog', title: 'kept'})-[:PART_OF]->(s)",
    )
    work = copy_minimal(tmp_path)
    (work / "extra.yaml").write_text(
        "documents:\n  - {id: cat-7, title: taken over, source: crm}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidPolicyData) as caught:
        load_policy_path(empty_graph, work, author="a", message="v2")
    assert "document cat-7" in str(caught.value)
    kept = run(empty_graph, "MATCH (d:Document {id: 'cat-7'}) RETURN d.title AS t, d.origin AS o")
    assert kept == [{"t": "kept", "o": "catalog"}]


def test_when_graph_has_value_lists_under_their_old_tenant_edge_then_the_schema_renames_it(
    empty_graph: GraphClient,
) -> None:
    load_policy_path(empty_graph, ENTERPRISE, author="a", message="with a tenant's allow list")
    # As a build before tenant scope had one edge name wrote it.
    run(
        empty_graph,
        "MATCH (v:ValueList)-[own:BELONGS_TO]->(t:Tenant) CREATE (v)-[:FOR_TENANT]->(t) DELETE own",
    )

    def allow_list_tenants() -> dict[str, str | None]:
        _, content = store.read_policy_content(empty_graph)
        snapshot = build_snapshot(content, version="v", content_hash="h")
        return {v.id: v.tenant for v in snapshot.detection.allow_lists}

    assert allow_list_tenants() == {"retail-public-contacts": None}  # every tenant: a leak

    apply_schema(empty_graph)
    apply_schema(empty_graph)  # idempotent

    assert allow_list_tenants() == {"retail-public-contacts": "nw-retail"}
    assert run(empty_graph, "MATCH ()-[r:FOR_TENANT]->() RETURN count(r) AS n") == [{"n": 0}]
