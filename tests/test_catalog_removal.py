"""Catalog loads remove what disappeared (real Neo4j): deleted in the same load, retired
where a decision references it, counted by a dry run first, refused where other
documents inherit labels through it, undone when the load fails; progress off a TTY."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, LiteralString

import pytest
from neo4j import ManagedTransaction

from engine.errors import GraphUnavailable, InvalidPolicyData
from graph.catalog_store import fingerprint
from graph.connection import GraphClient, records
from loaders.catalog import CatalogReport, load_catalog
from loaders.policy_load import load_policy_path
from tests.conftest import wipe

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal"
CATALOG = DATA / "catalog"
NAME = "removal-tests"


def run(client: GraphClient, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return records(tx, query, **params)

    return client.write(work)


def load(client: GraphClient, path: Path, **kwargs: Any) -> CatalogReport:
    kwargs.setdefault("progress", False)
    return load_catalog(client, path, author="ana", message="m", catalog_name=NAME, **kwargs)


def catalog_ids(client: GraphClient) -> list[str]:
    rows = run(client, "MATCH (d:Document {origin: 'catalog'}) RETURN d.id AS id ORDER BY id")
    return [r["id"] for r in rows]


def drop_rows(work: Path, name: str, *starts: str) -> None:
    path = work / name
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(starts)]
    assert len(kept) < len(lines), f"none of {starts} in {name}"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


@pytest.fixture
def loaded(empty_graph: GraphClient, tmp_path: Path) -> Iterator[tuple[GraphClient, Path]]:
    load_policy_path(empty_graph, MINIMAL, author="tests", message="minimal")
    work = tmp_path / "catalog"
    shutil.copytree(CATALOG, work)
    load(empty_graph, work)
    yield empty_graph, work
    wipe(empty_graph)


def test_when_documents_disappear_then_a_dry_run_counts_them_and_the_load_deletes_them(
    loaded: tuple[GraphClient, Path],
) -> None:
    client, work = loaded
    drop_rows(work, "documents.csv", "cat-payments,", "cat-crm-notes,")
    drop_rows(work, "lineage.csv", "cat-payments,")
    before = fingerprint(client)

    dry = load(client, work, dry_run=True)
    assert (dry.dry_run, dry.deleted, dry.retired, dry.written) == (True, 2, 0, 0)
    assert "would remove 2: 2 deleted, 0 retired" in dry.describe()
    assert fingerprint(client) == before

    report = load(client, work)
    assert (report.changed, report.deleted, report.retired) == (True, 2, 0)
    assert "2 deleted" in report.describe()
    assert catalog_ids(client) == ["cat-crm-export", "cat-dwh-orders", "cat-kpi-deck", "cat-kpi-q1"]


def test_when_the_reduced_catalog_is_loaded_again_then_nothing_changes(
    loaded: tuple[GraphClient, Path],
) -> None:
    client, work = loaded
    drop_rows(work, "documents.csv", "cat-payments,")
    drop_rows(work, "lineage.csv", "cat-payments,")
    load(client, work)
    before = fingerprint(client)
    again = load(client, work)
    assert (again.changed, again.written, again.deleted, again.retired) == (False, 0, 0, 0)
    assert fingerprint(client) == before


def test_when_a_removed_document_was_exposed_by_a_decision_then_it_is_retired_with_its_edges(
    loaded: tuple[GraphClient, Path],
) -> None:
    client, work = loaded
    run(
        client,
        "MATCH (d:Document {id: 'cat-payments'}) "
        "CREATE (:Decision {id: 'dec_removal'})-[:EXPOSED]->(d)",
    )
    drop_rows(work, "documents.csv", "cat-payments,")
    drop_rows(work, "lineage.csv", "cat-payments,")
    report = load(client, work)
    assert (report.deleted, report.retired) == (0, 1)
    kept = run(
        client,
        "MATCH (:Decision {id: 'dec_removal'})-[:EXPOSED]->(d:Document)-[:PART_OF]->(s) "
        "RETURN d.id AS id, d.retired AS retired, s.id AS source, "
        "[(d)-[:HAS_LABEL]->(l) | l.id] AS labels",
    )
    assert kept == [
        {"id": "cat-payments", "retired": True, "source": "warehouse", "labels": ["pci"]}
    ]
    # Listed again, it comes back to life, and the decision's edge is still the same node's.
    shutil.copy(CATALOG / "documents.csv", work / "documents.csv")
    shutil.copy(CATALOG / "lineage.csv", work / "lineage.csv")
    back = load(client, work)
    assert (back.written, back.created) == (1, 0)
    assert run(client, "MATCH (d:Document {id: 'cat-payments'}) RETURN d.retired AS r") == [
        {"r": None}
    ]


def test_when_a_listed_document_derives_from_a_removed_one_then_the_load_is_refused(
    loaded: tuple[GraphClient, Path],
) -> None:
    client, work = loaded
    drop_rows(work, "documents.csv", "cat-dwh-orders,")
    drop_rows(work, "lineage.csv", "cat-dwh-orders,")  # cat-kpi-q1 still derives from it
    before = fingerprint(client)
    with pytest.raises(InvalidPolicyData) as caught:
        load(client, work)
    (problem,) = caught.value.problems
    assert (problem.source, problem.path) == ("lineage.csv", "derived_from")
    assert "'cat-dwh-orders' is a document of this catalog that documents.csv no longer lists" in (
        problem.message
    )
    assert fingerprint(client) == before


def test_when_another_catalogs_document_derives_from_a_removed_one_then_it_is_refused(
    loaded: tuple[GraphClient, Path], tmp_path: Path
) -> None:
    client, work = loaded
    other = tmp_path / "other"
    other.mkdir()
    (other / "documents.csv").write_text("id,title,source,labels\nx-1,X,crm,\n", encoding="utf-8")
    (other / "lineage.csv").write_text(
        "document,derived_from,transform,removes_labels\nx-1,cat-payments,copy,\n",
        encoding="utf-8",
    )
    load_catalog(client, other, author="bo", message="m", progress=False, catalog_name="other")
    drop_rows(work, "documents.csv", "cat-payments,")
    drop_rows(work, "lineage.csv", "cat-payments,")
    with pytest.raises(InvalidPolicyData) as caught:
        load(client, work)
    assert "Document 'x-1' derives from 'cat-payments'" in str(caught.value)
    assert "cat-payments" in catalog_ids(client)


def test_when_the_load_fails_after_deleting_then_the_deleted_documents_come_back(
    loaded: tuple[GraphClient, Path],
) -> None:
    client, work = loaded
    before = fingerprint(client)
    drop_rows(work, "documents.csv", "cat-payments,", "cat-crm-notes,")
    drop_rows(work, "lineage.csv", "cat-payments,")

    def fail(phase: str, batch: int) -> None:
        if phase == "deleting documents":
            raise GraphUnavailable("Neo4j went away")

    with pytest.raises(GraphUnavailable):
        load(client, work, after_batch=fail)
    assert fingerprint(client) == before


def test_when_stderr_is_not_a_terminal_then_progress_is_plain_lines(
    loaded: tuple[GraphClient, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    client, work = loaded
    drop_rows(work, "documents.csv", "cat-payments,")
    drop_rows(work, "lineage.csv", "cat-payments,")
    capsys.readouterr()
    load(client, work, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert "reading documents.csv: started" in lines
    assert any(line.startswith("comparing with the graph: 5/5 rows") for line in lines)
    assert any(line.startswith("deleting documents: 1/1 rows") for line in lines)
    assert not any("\x1b[" in line for line in lines)  # no escape codes in a log
