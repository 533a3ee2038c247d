"""`govroute audit export` against the real Neo4j: decisions written by the real writer
export as PROV-O that parses (Turtle and JSON-LD), passes the SHACL shapes of
ontology/decision_shapes.ttl, reads back with the same decisions and fields, and
honours --since, --until and --tenant."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyshacl
import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from typer.testing import CliRunner

from api.cli import app
from engine.errors import InvalidRequest
from graph import store
from graph.connection import GraphClient, records
from graph.settings import Neo4jSettings
from lifecycle.audit_export import ExportFormat, export_decisions, parse_time
from lifecycle.prov_decision import PREFIXES
from ontology import decision_shapes_graph
from ontology.namespace import DPV, GR, PROV, RDF, node_iri
from tests.audit_decisions import CLEAR_PROVENANCE, enterprise_records, write_through_writer
from tests.conftest import ENTERPRISE

pytestmark = pytest.mark.neo4j

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
COUNT = 30
SYNTAX = {ExportFormat.TURTLE: "turtle", ExportFormat.JSONLD: "json-ld"}


@pytest.fixture(scope="module")
def stored(
    graph: GraphClient, tmp_path_factory: pytest.TempPathFactory
) -> tuple[GraphClient, list[dict[str, Any]]]:
    from tests.conftest import load_enterprise

    load_enterprise(graph)
    graph.run_statement(CLEAR_PROVENANCE)
    active = store.active_policy_set(graph)
    assert active is not None
    written = enterprise_records(active.id, COUNT, start=START)
    write_through_writer(graph, tmp_path_factory.mktemp("journal"), written)
    return graph, written


def export(client: GraphClient, fmt: ExportFormat, **window: Any) -> tuple[str, Graph]:
    out = io.StringIO()
    window.setdefault("since", (START - timedelta(hours=1)).isoformat())
    export_decisions(client, out, format=fmt, page=7, **window)
    text = out.getvalue()
    return text, Graph().parse(data=text, format=SYNTAX[fmt])


def number(term: object) -> int:
    assert isinstance(term, Literal)
    return int(term)


def decisions_in(g: Graph) -> set[str]:
    return {str(g.value(d, GR.id)) for d in g.subjects(RDF.type, GR.Decision)}


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_when_decisions_are_exported_then_they_parse_and_pass_the_shacl_shapes(
    stored: tuple[GraphClient, list[dict[str, Any]]], fmt: ExportFormat
) -> None:
    client, written = stored

    text, g = export(client, fmt)

    conforms, _, report = pyshacl.validate(g, shacl_graph=decision_shapes_graph())
    assert conforms, report
    assert decisions_in(g) == {r["id"] for r in written}
    # The prefixes or the @context are written once, however many decisions follow.
    if fmt is ExportFormat.TURTLE:
        assert text.count("@prefix") == len(PREFIXES)
    else:
        assert text.count('"@context"') == 1


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_when_the_export_is_read_back_then_each_decision_keeps_its_fields(
    stored: tuple[GraphClient, list[dict[str, Any]]], fmt: ExportFormat
) -> None:
    client, written = stored
    _, g = export(client, fmt)

    for r in written:
        d = node_iri("Decision", r["id"])
        assert g.value(d, GR.outcome) == Literal(r["outcome"])
        started = g.value(d, PROV.startedAtTime)
        assert isinstance(started, Literal)
        assert started.toPython() == datetime.fromisoformat(r["created_at"])
        assert g.value(d, PROV.wasAssociatedWith) == node_iri("Principal", r["principal_id"])
        principal = node_iri("Principal", r["principal_id"])
        assert g.value(principal, GR.MEMBER_OF) == node_iri("Tenant", r["tenant_id"])
        assert g.value(d, GR.UNDER) == node_iri("PolicySet", r["policy_version"])
        association = g.value(d, PROV.qualifiedAssociation)
        assert g.value(association, PROV.hadPlan) == node_iri("PolicySet", r["policy_version"])
        used = set(g.objects(d, PROV.used))
        for e in r["exposures"]:
            assert node_iri(e["kind"], e["id"]) in used
        withheld = {
            (str(g.value(w, GR.item_id)), str(g.value(w, GR.code)))
            for w in g.objects(d, GR.qualified)
            if (w, RDF.type, GR.Withholding) in g
        }
        assert withheld == {(w["id"], w["code"]) for w in r["withholdings"]}
        applied = {
            str(g.value(a, GR.sentence))
            for a in g.objects(d, GR.qualified)
            if (a, RDF.type, GR.PolicyApplication) in g
        }
        assert applied == {reason["sentence"] for reason in r["reasons"]}
        ranks = {
            (g.value(c, GR.target), number(g.value(c, GR.rank)))
            for c in g.objects(d, GR.qualified)
            if (c, RDF.type, GR.RouteChoice) in g
        }
        route = r["route"]
        routed = ([route["primary"]] if route["primary"] else []) + route["fallbacks"]
        assert ranks == {(node_iri("Model", m), i) for i, m in enumerate(routed)}
        rejected = {
            g.value(j, GR.target)
            for j in g.objects(d, GR.qualified)
            if (j, RDF.type, GR.Rejection) in g
        }
        assert rejected == {node_iri("Model", c["model_id"]) for c in route["rejected"]}
        redacted = Counter(x["label"] for x in r["redactions"])
        counts = {
            g.value(x, GR.target): number(g.value(x, GR.count))
            for x in g.objects(d, GR.qualified)
            if (x, RDF.type, GR.Redaction) in g
        }
        assert counts == {node_iri("SensitivityLabel", k): n for k, n in redacted.items()}


def test_when_purposes_and_labels_map_to_dpv_then_the_export_states_them(
    stored: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = stored
    _, g = export(client, ExportFormat.TURTLE)

    declared = yaml.safe_load((ENTERPRISE / "purposes.yaml").read_text())["purposes"]
    mapped = {
        p["id"]: URIRef(str(DPV) + p["dpv"].removeprefix("dpv:")) for p in declared if "dpv" in p
    }
    with_purpose = [r for r in written if r["purpose"]]
    assert any(r["purpose"] in mapped for r in with_purpose)
    for r in with_purpose:
        purposes = set(g.objects(node_iri("Decision", r["id"]), DPV.hasPurpose))
        own = node_iri("Purpose", r["purpose"])
        assert purposes == ({own, mapped[r["purpose"]]} if r["purpose"] in mapped else {own})
    personal = [r for r in written if "pii" in r["labels"]]
    assert personal, "some enterprise cases carry personal data"
    for r in personal:
        categories = set(g.objects(node_iri("Decision", r["id"]), DPV.hasPersonalData))
        assert URIRef(str(DPV) + "PersonalData") in categories


def test_when_a_policy_path_is_exported_then_it_reads_back_as_an_ordered_list(
    stored: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = stored
    _, g = export(client, ExportFormat.JSONLD)
    with_path = next(r for r in written if any(x["path"] for x in r["reasons"]))
    d = node_iri("Decision", with_path["id"])

    heads = [g.value(a, GR.path) for a in g.objects(d, GR.qualified)]
    paths = [[str(v) for v in Collection(g, h)] for h in heads if h is not None]

    assert sorted(paths) == sorted(x["path"] for x in with_path["reasons"] if x["path"])


def test_when_since_and_until_are_given_then_only_that_window_is_exported(
    stored: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = stored
    since, until = START + timedelta(minutes=10), START + timedelta(minutes=20)

    _, g = export(client, ExportFormat.TURTLE, since=since.isoformat(), until=until.isoformat())

    expected = {
        r["id"] for r in written if since <= datetime.fromisoformat(r["created_at"]) < until
    }
    assert len(expected) == 10
    assert decisions_in(g) == expected


def test_when_a_tenant_is_given_then_only_its_decisions_are_exported(
    stored: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = stored
    tenants = Counter(r["tenant_id"] for r in written)
    tenant, n = tenants.most_common()[-1]
    assert len(tenants) > 1

    _, g = export(client, ExportFormat.JSONLD, tenant=tenant)

    assert decisions_in(g) == {r["id"] for r in written if r["tenant_id"] == tenant}
    assert len(decisions_in(g)) == n


def test_when_the_cli_exports_to_a_file_then_it_says_how_many(
    stored: tuple[GraphClient, list[dict[str, Any]]],
    neo4j_settings: Neo4jSettings,
    tmp_path: Path,
) -> None:
    assert neo4j_settings.password is not None
    env = {
        "NEO4J_URI": neo4j_settings.uri or "",
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    target = tmp_path / "decisions.jsonld"
    runner = CliRunner()

    done = runner.invoke(
        app,
        ["audit", "export", "--since", "2026-11-30", "--format", "jsonld", "-o", str(target)],
        env=env,
    )
    refused = runner.invoke(app, ["audit", "export", "--since", "yesterday"], env=env)

    assert done.exit_code == 0, done.output
    assert f"exported {COUNT} decisions" in done.output
    assert len(json.loads(target.read_text())["@graph"]) > COUNT
    assert refused.exit_code == 2
    assert "--since: 'yesterday'" in refused.output


def test_when_a_time_is_relative_or_iso_then_it_becomes_a_utc_instant() -> None:
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)

    assert parse_time("24h", now=now, option="--since") == "2026-12-06T12:00:00+00:00"
    assert parse_time("2026-12-01", now=now, option="--since") == "2026-12-01T00:00:00+00:00"
    assert (
        parse_time("2026-12-01T09:30:00+01:00", now=now, option="--until")
        == "2026-12-01T08:30:00+00:00"
    )
    with pytest.raises(InvalidRequest, match="--since: '3 days'"):
        parse_time("3 days", now=now, option="--since")


def test_when_a_stored_record_is_not_json_then_the_export_skips_and_names_it(
    stored: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = stored
    victim = written[4]["id"]
    original = client.read(records, "MATCH (x:Decision {id: $id}) RETURN x.record AS r", id=victim)[
        0
    ]["r"]
    client.run_statement("MATCH (x:Decision {id: $id}) SET x.record = '{broken'", id=victim)
    try:
        out = io.StringIO()
        summary = export_decisions(client, out, since=(START - timedelta(hours=1)).isoformat())
    finally:
        client.run_statement(
            "MATCH (x:Decision {id: $id}) SET x.record = $r", id=victim, r=original
        )

    assert summary.skipped == (victim,)
    assert summary.decisions == COUNT - 1
    assert victim in summary.text()
    assert decisions_in(Graph().parse(data=out.getvalue(), format="turtle")) == {
        r["id"] for r in written if r["id"] != victim
    }
