"""Label inheritance along lineage, decided purely from raw graph paths."""

from __future__ import annotations

from engine.lineage import Hop, RawLabelPath, effective_labels

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
