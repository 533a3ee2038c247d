"""Bulk CSV catalogs against the session's real Neo4j: validated whole, atomic, idempotent."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, LiteralString

import pytest
from neo4j import ManagedTransaction
from typer.testing import CliRunner

from api.cli import app
from engine.errors import GraphUnavailable, InvalidPolicyData
from graph import store
from graph.catalog_store import fingerprint
from graph.connection import GraphClient, records
from graph.settings import Neo4jSettings
from loaders.catalog import CatalogReport, catalog_root, load_catalog
from loaders.policy_load import load_policy_path
from tests.conftest import wipe

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal"
CATALOG = DATA / "catalog"


def run(client: GraphClient, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return records(tx, query, **params)

    return client.write(work)


def load(client: GraphClient, path: Path = CATALOG, **kwargs: Any) -> CatalogReport:
    # Copies in tmp_path are the same catalog as tests/data/catalog unless a test says not.
    kwargs.setdefault("catalog_name", "test-catalog")
    return load_catalog(client, path, author="ana", message="catalog", progress=False, **kwargs)


def copy_catalog(tmp_path: Path) -> Path:
    work = tmp_path / "catalog"
    shutil.copytree(CATALOG, work)
    return work


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def policy(empty_graph: GraphClient) -> Iterator[GraphClient]:
    load_policy_path(empty_graph, MINIMAL, author="tests", message="minimal")
    yield empty_graph
    # Catalog documents left behind would make the next module's policy load refused.
    wipe(empty_graph)


# ---------------------------------------------------------------- loading


def test_when_catalog_is_loaded_then_documents_labels_and_lineage_are_in_the_graph(
    policy: GraphClient,
) -> None:
    report = load(policy)
    assert report.changed
    assert (report.documents, report.lineage, report.written, report.created) == (6, 5, 6, 6)
    docs = run(
        policy,
        "MATCH (d:Document {origin: 'catalog'})-[:PART_OF]->(s:DataSource) "
        "RETURN d.id AS id, d.title AS title, s.id AS source, d.load_id AS load_id ORDER BY id",
    )
    assert [(d["id"], d["source"]) for d in docs][:2] == [
        ("cat-crm-export", "crm"),
        ("cat-crm-notes", "crm"),
    ]
    assert docs[0]["title"] == "CRM export, weekly"
    (ps,) = run(policy, "MATCH (ps:PolicySet {kind: 'catalog'}) RETURN ps.load_id AS load_id")
    assert {d["load_id"] for d in docs} == {ps["load_id"]}
    labels = run(
        policy,
        "MATCH (:Document {id: 'cat-crm-notes'})-[:HAS_LABEL]->(l) RETURN l.id AS id ORDER BY id",
    )
    assert labels == [{"id": "contact"}, {"id": "pii"}]
    lineage = run(
        policy,
        "MATCH (d:Document {origin: 'catalog'})-[r:DERIVED_FROM]->(u) "
        "RETURN d.id AS d, labels(u)[0] AS kind, u.id AS u, r.transform AS t, r.removes AS rm "
        "ORDER BY d, u",
    )
    assert {
        "d": "cat-kpi-deck",
        "kind": "Document",
        "u": "doc-1",
        "t": "appendix copied",
        "rm": [],
    } in lineage
    assert {
        "d": "cat-payments",
        "kind": "DataSource",
        "u": "crm",
        "t": "join on customer id",
        "rm": ["contact"],
    } in lineage
    assert len(lineage) == 5


def test_when_catalog_is_loaded_then_a_catalog_policy_set_is_recorded_and_policy_stays_active(
    policy: GraphClient, tmp_path: Path
) -> None:
    active = store.active_policy_set(policy)
    report = load(policy)
    ps = report.policy_set
    assert ps is not None
    assert (ps.kind, ps.status, ps.version, ps.author, ps.message) == (
        "catalog",
        "applied",
        2,
        "ana",
        "catalog",
    )
    assert ps.content_hash == report.content_hash
    assert ps.content_hash.startswith("sha256:")
    assert store.active_policy_set(policy) == active
    listed = [(s.version, s.kind, s.status) for s in store.list_policy_sets(policy)]
    assert listed == [(2, "catalog", "applied"), (1, "policy", "active")]
    # The next policy version continues the one sequence, and supersedes v1 only.
    work = tmp_path / "policy"
    shutil.copytree(MINIMAL, work)
    (work / "more.yaml").write_text("tenants:\n  - {id: acme-us, name: ACME US}\n", "utf-8")
    load_policy_path(policy, work, author="a", message="v3")
    listed = [(s.version, s.kind, s.status) for s in store.list_policy_sets(policy)]
    assert listed == [(3, "policy", "active"), (2, "catalog", "applied"), (1, "policy", "retired")]


def test_when_same_catalog_is_loaded_twice_then_nothing_changes(policy: GraphClient) -> None:
    first = load(policy)
    before = fingerprint(policy)
    again = load(policy)
    assert not again.changed
    assert again.written == 0
    assert again.policy_set == first.policy_set
    assert fingerprint(policy) == before
    assert [s.version for s in store.list_policy_sets(policy)] == [2, 1]


def test_when_rows_are_reordered_then_the_content_hash_and_graph_are_the_same(
    policy: GraphClient, tmp_path: Path
) -> None:
    first = load(policy)
    before = fingerprint(policy)
    work = copy_catalog(tmp_path)
    for name in ("documents.csv", "lineage.csv"):
        header, *rows = (work / name).read_text(encoding="utf-8").splitlines()
        (work / name).write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    edit(work / "documents.csv", "pii;contact", "contact ; pii")
    again = load(policy, work)
    assert again.content_hash == first.content_hash
    assert not again.changed
    assert fingerprint(policy) == before


def test_when_catalog_changes_then_listed_documents_are_replaced_and_others_untouched(
    policy: GraphClient, tmp_path: Path
) -> None:
    load(policy)
    work = copy_catalog(tmp_path)
    (work / "documents.csv").write_text(
        "id,title,source,labels\n"
        "cat-kpi-q1,Q1 KPI summary (final),kpis,public;confidential\n"
        "cat-kpi-deck,Board deck,warehouse,\n"
        "cat-new,A new one,crm,\n",
        encoding="utf-8",
    )
    (work / "lineage.csv").write_text(
        "document,derived_from,transform,removes_labels\n"
        "cat-kpi-q1,cat-crm-notes,re-aggregated,pii;contact\n"
        "cat-new,cat-kpi-deck,,\n",
        encoding="utf-8",
    )
    # Another catalog: it takes over the documents it lists, and removes none of the first's.
    report = load(policy, work, catalog_name="another-catalog")
    assert (report.changed, report.written, report.created) == (True, 3, 1)
    assert (report.deleted, report.retired) == (0, 0)
    q1 = run(
        policy,
        "MATCH (d:Document {id: 'cat-kpi-q1'}) RETURN d.title AS title, "
        "[(d)-[:HAS_LABEL]->(l) | l.id] AS labels, "
        "[(d)-[r:DERIVED_FROM]->(u) | [u.id, r.transform, r.removes]] AS lineage",
    )[0]
    assert q1["title"] == "Q1 KPI summary (final)"
    assert sorted(q1["labels"]) == ["confidential", "public"]
    assert q1["lineage"] == [["cat-crm-notes", "re-aggregated", ["contact", "pii"]]]
    deck = run(
        policy,
        "MATCH (d:Document {id: 'cat-kpi-deck'}) RETURN [(d)-[:PART_OF]->(s) | s.id] AS src, "
        "[(d)-[:DERIVED_FROM]->(u) | u.id] AS up",
    )[0]
    assert deck == {"src": ["warehouse"], "up": []}
    untouched = run(
        policy,
        "MATCH (d:Document {id: 'cat-dwh-orders'})-[:DERIVED_FROM]->(u) RETURN u.id AS u",
    )
    assert untouched == [{"u": "cat-crm-export"}]
    assert [s.version for s in store.list_policy_sets(policy)] == [3, 2, 1]


# ---------------------------------------------------------------- refused catalogs


def _set(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


INVALID: list[tuple[str, Any, tuple[str, str, str, str]]] = [
    (
        "bad id",
        lambda w: edit(w / "documents.csv", "cat-kpi-q1,", "cat kpi q1,"),
        ("documents.csv", "line 5", "id", "is not a valid id"),
    ),
    (
        "unknown source",
        lambda w: edit(w / "documents.csv", "Orders fact table extract,warehouse", "x,wearhouse"),
        ("documents.csv", "line 4", "source", "unknown DataSource 'wearhouse'; did you mean"),
    ),
    (
        "unknown label",
        lambda w: edit(w / "documents.csv", "pii;contact", "pii;secret"),
        ("documents.csv", "line 3", "labels", "unknown SensitivityLabel 'secret'"),
    ),
    (
        "duplicate id",
        lambda w: edit(w / "documents.csv", "cat-payments,", "cat-crm-notes,"),
        ("documents.csv", "line 7", "id", "duplicates the document on line 3"),
    ),
    (
        "policy-owned id",
        lambda w: edit(w / "documents.csv", "cat-payments,", "doc-1,"),
        ("documents.csv", "line 7", "id", "is a Document of origin 'policy'"),
    ),
    (
        "id of a data source",
        lambda w: edit(w / "documents.csv", "cat-payments,", "warehouse,"),
        ("documents.csv", "line 7", "id", "is also the id of a DataSource"),
    ),
    (
        "missing column",
        lambda w: edit(w / "documents.csv", "id,title,source,labels", "id,title,labels"),
        ("documents.csv", "line 1", "source", "column is missing"),
    ),
    (
        "unknown column",
        lambda w: edit(w / "lineage.csv", "removes_labels", "removes"),
        (
            "lineage.csv",
            "line 1",
            "removes",
            "is not a known column (did you mean 'removes_labels'",
        ),
    ),
    (
        "broken quoting",
        lambda w: edit(w / "documents.csv", '"Board deck,', '"Board" deck,'),
        ("documents.csv", "line 6", "", "is not valid CSV"),
    ),
    (
        "unclosed quote",
        lambda w: edit(w / "documents.csv", "Card payments sample", '"Card payments sample'),
        ("documents.csv", "line 7", "", "is not valid CSV: unexpected end of data"),
    ),
    (
        "wrong field count",
        lambda w: edit(w / "documents.csv", "cat-kpi-q1,Q1 KPI summary", "cat-kpi-q1,Q1,KPI"),
        ("documents.csv", "line 5", "", "has 5 fields; the header has 4"),
    ),
    (
        "bad utf-8",
        lambda w: (w / "documents.csv").write_bytes(
            (w / "documents.csv").read_bytes().replace(b"Q1 KPI", b"Q1 \xff KPI")
        ),
        ("documents.csv", "line 5", "column 2", "is not valid UTF-8"),
    ),
    (
        "control character",
        lambda w: edit(w / "lineage.csv", "nightly copy", "nightly\x1ecopy"),
        ("lineage.csv", "line 2", "column 3", "contains the control character U+001E"),
    ),
    (
        "dangling lineage",
        lambda w: edit(w / "lineage.csv", "cat-dwh-orders,cat-crm-export", "cat-dwh-orders,ghost"),
        ("lineage.csv", "line 2", "derived_from", "'ghost' is neither a document"),
    ),
    (
        "lineage of an unlisted document",
        lambda w: edit(w / "lineage.csv", "cat-kpi-q1,cat-dwh", "cat-kpi-q9,cat-dwh"),
        ("lineage.csv", "line 3", "document", "'cat-kpi-q9' is not in documents.csv"),
    ),
    (
        "self lineage",
        lambda w: edit(w / "lineage.csv", "cat-kpi-q1,cat-dwh-orders", "cat-kpi-q1,cat-kpi-q1"),
        ("lineage.csv", "line 3", "derived_from", "a document cannot derive from itself"),
    ),
    (
        "cycle",
        lambda w: (
            (w / "lineage.csv")
            .open("a", encoding="utf-8")
            .write("cat-crm-export,cat-kpi-deck,loop,\n")
        ),
        (
            "lineage.csv",
            "line 7",
            "derived_from",
            "closes a lineage cycle: cat-crm-export -> cat-kpi-deck -> cat-kpi-q1 -> "
            "cat-dwh-orders -> cat-crm-export",
        ),
    ),
    (
        "duplicate lineage",
        lambda w: (
            (w / "lineage.csv").open("a", encoding="utf-8").write("cat-kpi-deck,doc-1,again,\n")
        ),
        ("lineage.csv", "line 7", "derived_from", "duplicates the lineage on line 5"),
    ),
    (
        "unknown removed label",
        lambda w: edit(w / "lineage.csv", "aggregation,pii", "aggregation,pii;;"),
        ("lineage.csv", "line 3", "removes_labels", "has an empty entry"),
    ),
]


@pytest.mark.parametrize(("case", "damage", "expected"), INVALID, ids=[c[0] for c in INVALID])
def test_when_catalog_is_invalid_then_the_problem_is_located_and_nothing_is_written(
    policy: GraphClient, tmp_path: Path, case: str, damage: Any, expected: tuple[str, ...]
) -> None:
    work = copy_catalog(tmp_path)
    damage(work)
    before = fingerprint(policy)
    with pytest.raises(InvalidPolicyData) as caught:
        load(policy, work)
    source, location, path, message = expected
    found = [
        p
        for p in caught.value.problems
        if (p.source, p.location, p.path) == (source, location, path) and message in p.message
    ]
    assert found, f"{case}: {caught.value.problems}"
    assert fingerprint(policy) == before


def test_when_an_existing_edge_closes_a_cycle_then_the_catalog_is_refused(
    policy: GraphClient, tmp_path: Path
) -> None:
    load(policy)
    other = tmp_path / "other"
    other.mkdir()
    _set(other / "documents.csv", "id,title,source,labels\ncat-x,X,crm,\n")
    _set(other / "lineage.csv", "document,derived_from,transform,removes_labels\n"
         "cat-x,cat-kpi-deck,,\n")  # fmt: skip
    load(policy, other, catalog_name="other")
    # cat-crm-export is not in this file: the graph's edge cat-x -> ... -> cat-crm-export counts.
    cyclic = tmp_path / "cyclic"
    cyclic.mkdir()
    _set(cyclic / "documents.csv", "id,title,source,labels\ncat-crm-export,CRM,crm,\n")
    _set(cyclic / "lineage.csv", "document,derived_from,transform,removes_labels\n"
         "cat-crm-export,cat-x,,\n")  # fmt: skip
    with pytest.raises(InvalidPolicyData) as caught:
        load(policy, cyclic, catalog_name="cyclic")
    (problem,) = caught.value.problems
    assert (problem.source, problem.location) == ("lineage.csv", "line 2")
    assert "cat-crm-export -> cat-x -> cat-kpi-deck" in problem.message


def test_when_a_lineage_chain_is_very_long_then_a_cycle_at_its_end_is_found(
    policy: GraphClient, tmp_path: Path
) -> None:
    n = 60_000
    work = tmp_path / "chain"
    work.mkdir()
    docs = ["id,title,source,labels"] + [f"c{i},,crm," for i in range(n)]
    lineage = ["document,derived_from,transform,removes_labels"]
    lineage += [f"c{i},c{i - 1},," for i in range(1, n)] + [f"c0,c{n - 1},,"]
    _set(work / "documents.csv", "\n".join(docs) + "\n")
    _set(work / "lineage.csv", "\n".join(lineage) + "\n")
    with pytest.raises(InvalidPolicyData) as caught:
        load(policy, work)
    (problem,) = caught.value.problems
    assert problem.location.startswith("line ")
    assert "closes a lineage cycle: c0 -> c59999 -> c59998 -> c59997 -> ..." in problem.message


def test_when_there_are_many_problems_then_the_first_hundred_are_listed_with_the_total(
    policy: GraphClient, tmp_path: Path
) -> None:
    work = tmp_path / "many"
    work.mkdir()
    rows = [f"bad id {i},,crm," for i in range(250)]
    _set(work / "documents.csv", "\n".join(["id,title,source,labels", *rows]) + "\n")
    with pytest.raises(InvalidPolicyData) as caught:
        load(policy, work)
    problems = caught.value.problems
    assert len(problems) == 101
    assert problems[0].location == "line 2"
    assert problems[99].location == "line 101"
    assert "150 more" in problems[100].message
    assert caught.value.message.startswith("250 problem(s); nothing was written")


def test_when_no_policy_content_is_loaded_then_the_catalog_is_refused(
    empty_graph: GraphClient,
) -> None:
    with pytest.raises(InvalidPolicyData) as caught:
        load(empty_graph)
    assert "load the policy content first" in str(caught.value)


# ---------------------------------------------------------------- failures while writing


def test_when_a_batch_fails_mid_write_then_nothing_of_the_load_remains(
    policy: GraphClient,
) -> None:
    before = fingerprint(policy)

    def fail(phase: str, batch: int) -> None:
        if phase == "writing lineage" and batch == 2:
            raise GraphUnavailable("Neo4j went away")

    with pytest.raises(GraphUnavailable):
        load(policy, batch_size=2, after_batch=fail)
    assert fingerprint(policy) == before
    assert [s.version for s in store.list_policy_sets(policy)] == [1]


def test_when_a_document_is_taken_over_mid_write_then_the_load_is_undone(
    policy: GraphClient,
) -> None:
    before = fingerprint(policy)

    def take_over(phase: str, batch: int) -> None:
        if batch == 1:  # cat-kpi-q1 is in the second batch of two rows
            run(policy, "CREATE (:Document {id: 'cat-kpi-q1', origin: 'policy', title: 'mine'})")

    with pytest.raises(InvalidPolicyData) as caught:
        load(policy, batch_size=2, after_batch=take_over)
    assert caught.value.problems[0].location == "document cat-kpi-q1"
    kept = run(policy, "MATCH (d:Document {id: 'cat-kpi-q1'}) RETURN properties(d) AS p")
    assert kept == [{"p": {"id": "cat-kpi-q1", "origin": "policy", "title": "mine"}}]
    run(policy, "MATCH (d:Document {id: 'cat-kpi-q1'}) DETACH DELETE d")
    assert fingerprint(policy) == before


def test_when_an_update_fails_mid_write_then_the_previous_catalog_is_restored(
    policy: GraphClient, tmp_path: Path
) -> None:
    load(policy)
    before = fingerprint(policy)
    work = copy_catalog(tmp_path)
    edit(work / "documents.csv", "pii;contact", "pci")
    edit(work / "documents.csv", "Q1 KPI summary", "Q1 KPIs")
    edit(work / "documents.csv", "cat-kpi-deck,", "cat-kpi-deck-2,")
    edit(work / "lineage.csv", "nightly copy,", "hourly copy,contact")
    edit(work / "lineage.csv", "cat-kpi-deck,cat-kpi-q1", "cat-kpi-deck-2,cat-crm-notes")
    edit(work / "lineage.csv", "cat-kpi-deck,doc-1", "cat-kpi-deck-2,doc-1")

    def fail(phase: str, batch: int) -> None:
        if phase == "writing lineage" and batch == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load(policy, work, batch_size=2, after_batch=fail)
    assert fingerprint(policy) == before


# ---------------------------------------------------------------- interplay with policy loads


def test_when_policy_load_removes_a_source_the_catalog_uses_then_it_is_refused(
    policy: GraphClient, tmp_path: Path
) -> None:
    load(policy)
    work = tmp_path / "policy"
    shutil.copytree(MINIMAL, work)
    text = (work / "world.yaml").read_text(encoding="utf-8")
    cut = text.index("  - id: kpis")
    end = text.index("documents:")
    (work / "world.yaml").write_text(text[:cut] + text[end:], encoding="utf-8")
    before = fingerprint(policy)
    with pytest.raises(InvalidPolicyData) as caught:
        load_policy_path(policy, work, author="a", message="drop kpis")
    assert "catalog document cat-kpi-q1" in str(caught.value)
    assert fingerprint(policy) == before


# ---------------------------------------------------------------- which paths are catalogs


def test_when_path_is_a_catalog_then_its_directory_is_the_root(tmp_path: Path) -> None:
    assert catalog_root(CATALOG) == CATALOG
    assert catalog_root(CATALOG / "documents.csv") == CATALOG
    assert catalog_root(MINIMAL) is None
    assert catalog_root(MINIMAL / "world.yaml") is None


def test_when_directory_mixes_yaml_and_csv_then_it_is_refused(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    shutil.copytree(CATALOG, mixed)
    shutil.copy(MINIMAL / "world.yaml", mixed / "world.yaml")
    with pytest.raises(InvalidPolicyData, match="both YAML policy files and CSV files"):
        catalog_root(mixed)
    stray = tmp_path / "stray"
    shutil.copytree(CATALOG, stray)
    _set(stray / "extra.csv", "a,b\n")
    with pytest.raises(InvalidPolicyData, match=r"unknown file extra\.csv"):
        catalog_root(stray)
    with pytest.raises(InvalidPolicyData, match=r"through its documents\.csv"):
        catalog_root(stray / "lineage.csv")


def test_when_cli_loads_a_catalog_then_it_is_dispatched_and_listed(
    policy: GraphClient, neo4j_settings: Neo4jSettings
) -> None:
    assert neo4j_settings.password is not None
    env = {
        "NEO4J_URI": neo4j_settings.uri or "",
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    runner = CliRunner()
    done = runner.invoke(app, ["load", str(CATALOG), "-m", "first catalog"], env=env)
    assert done.exit_code == 0, done.output
    assert "loaded catalog as PolicySet v2" in done.output
    again = runner.invoke(app, ["load", str(CATALOG / "documents.csv")], env=env)
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output
    listed = runner.invoke(app, ["policy", "list"], env=env)
    assert "catalog" in listed.output
    assert "applied" in listed.output


def test_when_catalog_lineage_crosses_into_another_tenant_then_it_is_refused(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    policy_dir = tmp_path / "policy"
    shutil.copytree(MINIMAL, policy_dir)
    (policy_dir / "globex.yaml").write_text(
        "tenants: [{id: globex, name: Globex}]\n"
        "data_sources:\n"
        "  - {id: globex-crm, name: Globex CRM, tenant: globex}\n"
        "  - {id: wiki, name: Wiki, shared: true}\n",
        encoding="utf-8",
    )
    load_policy_path(empty_graph, policy_dir, author="tests", message="two tenants")
    work = tmp_path / "catalog"
    work.mkdir()
    (work / "documents.csv").write_text(
        "id,title,source,labels\n"
        "acme-copy,Copy,crm,\n"  # acme-eu, through its data source
        "wiki-page,Page,wiki,\n"  # shared
        "wiki-ok,Fine,wiki,\n",
        encoding="utf-8",
    )
    (work / "lineage.csv").write_text(
        "document,derived_from,transform,removes_labels\n"
        "acme-copy,globex-crm,export,\n"
        "wiki-page,doc-1,copied,\n"
        "acme-copy,wiki-ok,quoted,\n",  # into a shared item: fine
        encoding="utf-8",
    )
    before = fingerprint(empty_graph)
    try:
        with pytest.raises(InvalidPolicyData) as caught:
            load(empty_graph, work)
        messages = [(p.location, p.message) for p in caught.value.problems]
        assert messages == [
            (
                "line 2",
                "document 'acme-copy' is of tenant 'acme-eu' but 'globex-crm' belongs to "
                "tenant 'globex'; lineage may cross into shared items only",
            ),
            (
                "line 3",
                "document 'wiki-page' is shared but 'doc-1' belongs to tenant 'acme-eu'; "
                "lineage may cross into shared items only",
            ),
        ]
        assert fingerprint(empty_graph) == before
    finally:
        wipe(empty_graph)
