"""Request-time graph reads against the real Neo4j: identity, item facts, snapshot."""

from __future__ import annotations

from pathlib import Path

from engine.model import ItemFacts
from graph.connection import GraphClient
from graph.facts import item_facts, principal_for_key
from graph.snapshot import load_snapshot
from loaders.policy_load import load_policy_path

MINIMAL = Path(__file__).parent / "data" / "minimal"


def loaded(client: GraphClient) -> GraphClient:
    load_policy_path(client, MINIMAL, author="t", message="minimal")
    return client


def test_when_key_is_known_then_principal_tenant_and_roles_resolve(
    empty_graph: GraphClient,
) -> None:
    client = loaded(empty_graph)
    alice = principal_for_key(client, "gr_test_alice")
    assert alice is not None
    assert (alice.id, alice.tenant, alice.roles) == ("alice", "acme-eu", frozenset({"analyst"}))
    assert principal_for_key(client, "gr_test_mallory") is None


def test_when_snapshot_is_built_then_it_mirrors_the_policy_content(
    empty_graph: GraphClient,
) -> None:
    snap = load_snapshot(loaded(empty_graph))
    assert snap.version == "policyset-v1"
    assert snap.label_ancestry("contact") == ("contact", "pii", "confidential")
    assert snap.providers["euai"].jurisdictions == frozenset({"eu"})
    assert snap.models["eu-small"].provider == "euai"
    pci = next(p for p in snap.policies if p.id == "pci-route")
    assert pci.constraints.certifications == frozenset({"pci_dss"})
    assert pci.prefer_models == ("eu-small",)
    assert snap.policies[0].id == "deny-injection"  # highest priority first
    assert snap.entity_types["ACCOUNT_NUMBER"].recognizer is not None
    assert "unknown" in snap.intents


def test_when_items_are_looked_up_then_labels_follow_lineage_and_grants_follow_roles(
    empty_graph: GraphClient,
) -> None:
    client = loaded(empty_graph)
    snap = load_snapshot(client)
    facts = item_facts(
        client,
        ["doc-1", "warehouse", "kpis", "nope"],
        ["analyst"],
        snap.label_ancestry,
        tenant="acme-eu",
    )
    assert not facts["nope"].found
    doc = facts["doc-1"]
    assert (doc.kind, doc.source, doc.tenant) == ("Document", "crm", "acme-eu")
    assert {e.label for e in doc.labels} == {"contact", "pii", "confidential"}
    warehouse = {e.label: e.path for e in facts["warehouse"].labels}
    assert warehouse["contact"] == (
        "DataSource:warehouse",
        "DERIVED_FROM",
        "DataSource:crm",
        "HAS_LABEL",
        "SensitivityLabel:contact",
    )
    # the aggregation into kpis removes pii, and with it contact info
    assert {e.label for e in facts["kpis"].labels} == {"public"}
    assert [(g.role, g.purposes) for g in doc.grants] == [
        ("analyst", frozenset({"analytics", "support"}))
    ]


def test_when_another_tenant_looks_items_up_then_they_come_back_as_unknown_ids(
    empty_graph: GraphClient,
) -> None:
    client = loaded(empty_graph)
    snap = load_snapshot(client)
    ids = ["doc-1", "warehouse", "nope"]
    facts = item_facts(client, ids, ["analyst"], snap.label_ancestry, tenant="other-tenant")
    assert facts == {i: ItemFacts(id=i, found=False) for i in ids}
