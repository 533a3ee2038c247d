"""Policy content as RDF: YAML -> RDF -> YAML is the identity, refused RDF writes nothing.

Pure tests go through `document_to_rdf`, the serializers and `read_rdf`; the Neo4j
tests export the active content of the session's real server and load it back.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, get_args

import pyshacl
import pytest
import rdflib.namespace
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from typer.testing import CliRunner

from api.cli import app
from engine.errors import InvalidPolicyData, Problem
from graph import queries, store
from graph.connection import GraphClient, records
from graph.content import RELATION_BY_KEY
from graph.settings import Neo4jSettings
from loaders.bundle import Bundle
from loaders.graph_mapping import from_graph, to_graph
from loaders.policy_load import load_policy_path, read_bundle
from loaders.rdf_export import (
    KIND_PREFIXES,
    QUALIFIED,
    RDF_FIELDS,
    RdfFormat,
    document_to_rdf,
    export_active,
    jsonld_context,
    serialize,
)
from loaders.rdf_import import load_rdf_path, read_rdf
from loaders.spec import PolicyDocument
from ontology import ontology_graph, shapes_graph
from ontology.namespace import GR, ID, node_iri
from tests.conftest import ENTERPRISE, wipe

MINIMAL = Path(__file__).parent / "data" / "minimal"
HEALTH_INSURER = ENTERPRISE.parent / "health_insurer"  # declares a threat category of its own
POLICIES = {"minimal": MINIMAL, "enterprise": ENTERPRISE, "health_insurer": HEALTH_INSURER}
FORMATS: tuple[RdfFormat, ...] = get_args(RdfFormat)
SUFFIX = {"turtle": ".ttl", "json-ld": ".jsonld"}


def write_rdf(doc: PolicyDocument, directory: Path, fmt: RdfFormat = "turtle") -> Path:
    path = directory / f"policy{SUFFIX[fmt]}"
    path.write_text(serialize(document_to_rdf(doc), fmt), encoding="utf-8")
    return path


def write_graph(graph: Graph, directory: Path) -> Path:
    path = directory / "policy.ttl"
    path.write_text(serialize(graph, "turtle"), encoding="utf-8")
    return path


def refused(path: Path) -> set[tuple[str, str, str]]:
    """(location, path, message) of every problem reading `path` raises."""
    with pytest.raises(InvalidPolicyData) as caught:
        read_rdf(path)
    assert all(p.source == path.name for p in caught.value.problems)
    return {(p.location, p.path, p.message) for p in caught.value.problems}


def minimal_rdf() -> Graph:
    return document_to_rdf(read_bundle(MINIMAL).document())


# ---------------------------------------------------------------- round trips (pure)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_when_a_document_goes_to_rdf_and_back_then_the_content_is_identical(
    policy: str, fmt: RdfFormat, tmp_path: Path
) -> None:
    original = read_bundle(POLICIES[policy])

    again = read_rdf(write_rdf(original.document(), tmp_path, fmt))

    assert again.canonical() == original.canonical()
    assert sum(map(len, again.sections.values())) == sum(map(len, original.sections.values()))


def test_when_exemplars_are_not_sorted_then_the_rdf_round_trip_keeps_the_content_hash(
    tmp_path: Path,
) -> None:
    original = read_bundle(ENTERPRISE)

    again = read_rdf(write_rdf(original.document(), tmp_path))

    assert again.content_hash() == original.content_hash()


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_exported_rdf_conforms_to_the_shapes(policy: str) -> None:
    data = document_to_rdf(read_bundle(POLICIES[policy]).document())

    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none")

    assert conforms, text


EDGE_CASES = """
roles:
  - {id: data-only, name: Data only, permissions: [], tenant: t, default_purpose: a,
     can_access: [{source: crm, purposes: [a]}, {source: wiki, purposes: ["*"]}]}
  - {id: auditor, name: Auditor, permissions: [audit]}
  - {id: plain, name: Plain}
tenants: [{id: t, name: T, limits: {requests_per_minute: 600}}]
purposes:
  - {id: a, description: A purpose without a DPV concept.}
  - {id: support, description: Support., dpv: "dpv:CustomerCare"}
principals:
  - {id: p, name: P, tenant: t, roles: [data-only, plain], limits: {tokens_per_minute: 90000},
     default_purpose: support}
jurisdictions: [{id: eu, name: EU}]
regions: [{id: r, name: R, jurisdiction: eu}]
capabilities: [{id: "chat:v2", description: Chat}]
labels:
  - {id: pii, name: PII, level: confidential, dpv: "https://w3id.org/dpv/pd#Name"}
entity_types:
  - id: ACCOUNT
    indicates: [pii]
    recognizer:
      patterns: [{regex: 'Z\\d+', score: 1.0}, {regex: 'A\\d+', score: 0.0}]
      context: [konto, account]
      validator: mod97
data_sources:
  - {id: crm, name: CRM, kind: "", region: r, labels: [pii], tenant: t}
  - {id: mart, name: Mart, tenant: t, derived_from: [{source: doc-1, removes_labels: [pii]}]}
  - {id: wiki, name: Wiki, shared: true}
documents:
  - {id: doc-1, source: crm}
  - {id: doc-2, source: wiki, tenant: t}
intents:
  - id: "summarize:v2"
    name: Summarize
    category: business
    tenant: t
    exemplars: [zebra first, apple second]
    threshold: 0.5
    requires: ["chat:v2"]
providers:
  - {id: b, name: B, regions: [r], retention_days: 7, trains_on_data: true}
  - {id: a, name: A, regions: [r], api: {base_url: "https://a.example/v1", key_env: A_KEY}}
models:
  - {id: m2, name: M2, provider: a, upstream_name: x, context_window: 8,
     input_cost_per_mtok: 0, output_cost_per_mtok: 10}
  - {id: m1, name: M1, provider: b, upstream_name: y, context_window: 8,
     input_cost_per_mtok: 1.5, output_cost_per_mtok: 2, latency_ms: 0}
policies:
  - id: pick
    description: Prefer in the order given, not alphabetically.
    effect: constrain
    priority: -5
    tenant: t
    applies_to: {intents: ["summarize:v2", unknown], purposes: [support, "*"]}
    constraints: {max_retention_days: 0, no_training: true, regions: [r], forbid_models: [m1]}
    prefer: {models: [m2, m1], providers: [b, a]}
  - {id: block, description: Block PII in answers., effect: mask, governs: [pii],
     block_output: true}
"""


@pytest.mark.parametrize("fmt", FORMATS)
def test_when_fields_have_edge_values_then_rdf_keeps_every_one(
    fmt: RdfFormat, tmp_path: Path
) -> None:
    (tmp_path / "edge.yaml").write_text(EDGE_CASES, encoding="utf-8")
    original = read_bundle(tmp_path / "edge.yaml")

    again = read_rdf(write_rdf(original.document(), tmp_path, fmt))

    assert again.canonical() == original.canonical()
    roles = {
        r.id: sorted(r.model_dump(mode="json")["permissions"]) for r in again.sections["roles"]
    }
    assert roles == {"data-only": [], "auditor": ["audit"], "plain": ["chat", "decide"]}
    prefer = next(p for p in again.document().policies if p.id == "pick").prefer
    assert (prefer.models, prefer.providers) == (["m2", "m1"], ["b", "a"])


def test_when_a_role_may_call_nothing_then_rdf_says_none_rather_than_nothing() -> None:
    doc = PolicyDocument.model_validate(
        {"roles": [{"id": "data-only", "name": "Data only", "permissions": []}]}
    )

    data = document_to_rdf(doc)

    assert set(data.objects(node_iri("Role", "data-only"), GR.permissions)) == {Literal("none")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_when_the_same_content_is_exported_twice_then_the_text_is_the_same(
    fmt: RdfFormat,
) -> None:
    doc = read_bundle(ENTERPRISE).document()

    assert serialize(document_to_rdf(doc), fmt) == serialize(document_to_rdf(doc), fmt)


def test_turtle_export_uses_one_prefix_per_kind_and_inline_qualifications() -> None:
    text = serialize(minimal_rdf(), "turtle")

    assert "@prefix role: <https://govroute.dev/id/Role/> ." in text
    assert "gr:qualified [ a gr:AccessGrant ;" in text
    assert "_:" not in text


def test_json_ld_export_nests_qualifications_in_their_subject() -> None:
    data = json.loads(serialize(minimal_rdf(), "json-ld"))
    nodes = {node["@id"]: node for node in data["@graph"]}

    analyst = nodes["role:analyst"]
    assert sorted(q["target"] for q in analyst["qualified"]) == ["source:crm", "source:warehouse"]
    assert all(not str(node_id).startswith("_:") for node_id in nodes)
    assert nodes["entity:ACCOUNT_NUMBER"]["pattern_scores"] == [0.8]
    assert nodes["intent:summarize"]["threshold"] == 0.55


def test_json_ld_context_matches_the_ontology() -> None:
    context = jsonld_context()
    ontology = ontology_graph()
    ns = str(GR)
    object_properties = {
        str(s)[len(ns) :] for s in ontology.subjects(RDF.type, OWL.ObjectProperty)
    } - {"qualified"}  # blank qualification nodes must stay node objects for rdflib
    lists = {"patterns", "pattern_scores", "path"}
    doubles = {
        str(s)[len(ns) :] for s in ontology.subjects(RDFS.range, rdflib.namespace.XSD.double)
    }

    assert context["@vocab"] == ns
    assert {p: context[p] for p in KIND_PREFIXES.values()} == {
        p: f"{ID}{kind}/" for kind, p in KIND_PREFIXES.items()
    }
    assert {p for p in object_properties - lists if context.get(p) != {"@type": "@id"}} == set()
    assert {p for p in lists if context[p].get("@container") != "@list"} == set()
    assert {p for p in doubles if context[p].get("@type") != "xsd:double"} == set()


def test_when_iris_are_relative_then_they_name_nodes_in_the_id_namespace(tmp_path: Path) -> None:
    path = tmp_path / "relative.ttl"
    path.write_text(
        "@prefix gr: <https://govroute.dev/ontology#> .\n"
        '<Tenant/acme> a gr:Tenant ; gr:id "acme" ; gr:name "Acme" .\n',
        encoding="utf-8",
    )

    assert read_rdf(path).ids("tenants") == {"acme"}


def test_the_turtle_example_in_the_loading_docs_loads(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "docs" / "loading.md").read_text(encoding="utf-8")
    section = text[text.index("## RDF") :]
    start = section.index("```turtle\n") + len("```turtle\n")
    path = tmp_path / "example.ttl"
    path.write_text(section[start : section.index("```", start)], encoding="utf-8")

    assert read_rdf(path).ids("policies") == {"redact-email-for-support"}


def test_every_property_a_load_writes_has_an_rdf_mapping(tmp_path: Path) -> None:
    (tmp_path / "edge.yaml").write_text(EDGE_CASES, encoding="utf-8")
    unmapped = set()
    for bundle in (read_bundle(ENTERPRISE), read_bundle(tmp_path / "edge.yaml")):
        content = to_graph(bundle)
        for kind, rows in content.nodes.items():
            written = {key for row in rows for key in row} - {"id", "origin", "retired"}
            unmapped |= {f"{kind}.{key}" for key in written - set(RDF_FIELDS[kind])}
        for key, edges in content.edges.items():
            type_ = RELATION_BY_KEY[key].type
            fields = QUALIFIED[type_][1] if type_ in QUALIFIED else {}
            unmapped |= {f"{type_}.{p}" for e in edges for p in e.props if p not in fields}

    assert unmapped == set(), "graph properties that RDF export would drop"


# ---------------------------------------------------------------- refused RDF (pure)


def test_when_turtle_has_a_syntax_error_then_its_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(
        "@prefix gr: <https://govroute.dev/ontology#> .\n"
        "\n"
        '<Tenant/acme> a gr:Tenant ; gr:id "acme" ; gr:name "Acme"\n'
        '<Tenant/beta> a gr:Tenant ; gr:id "beta" ; gr:name "Beta" .\n',
        encoding="utf-8",
    )

    [(location, path_, message)] = refused(path)

    assert (location, path_) == ("line 4", "")
    assert message.startswith("is not valid Turtle: expected '.'")


def test_when_json_is_malformed_then_line_and_column_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonld"
    path.write_text('{"@graph": [\n  {"@id": "x",}\n]}\n', encoding="utf-8")

    assert refused(path) == {
        ("line 2, column 15", "", "is not valid JSON: Expecting property name enclosed in "
         "double quotes")
    }  # fmt: skip


def test_when_file_is_not_utf8_then_it_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    raw = '<Tenant/a> <https://govroute.dev/ontology#name> "Zürich" .'.encode("latin-1")
    path.write_bytes(raw)

    at = raw.index("ü".encode("latin-1"))
    assert refused(path) == {(f"byte {at}", "", "is not valid UTF-8")}


def test_when_shapes_are_violated_then_focus_node_path_and_message_are_reported(
    tmp_path: Path,
) -> None:
    data = minimal_rdf()
    alice = node_iri("Principal", "alice")
    pii = node_iri("SensitivityLabel", "pii")
    summarize = node_iri("Intent", "summarize")
    data.remove((alice, GR.MEMBER_OF, None))
    data.set((pii, GR.level, Literal("secret")))
    data.set((summarize, GR.threshold, Literal(1.5)))

    assert refused(write_graph(data, tmp_path)) == {
        (
            str(alice),
            "MEMBER_OF",
            "A principal must be a member of exactly one tenant (gr:MEMBER_OF).",
        ),
        (
            str(pii),
            "level",
            "A label's level must be exactly one of: public, internal, confidential, restricted.",
        ),
        (
            str(summarize),
            "threshold",
            "An intent's threshold must be one number (xsd:double) strictly between 0 and 1.",
        ),
    }


def test_when_a_qualification_is_wrong_then_its_subject_and_target_locate_it(
    tmp_path: Path,
) -> None:
    data = minimal_rdf()
    analyst, crm = node_iri("Role", "analyst"), node_iri("DataSource", "crm")
    grant = next(q for q in data.objects(analyst, GR.qualified) if (q, GR.target, crm) in data)
    data.remove((grant, GR.purposes, None))
    data.add((grant, GR.purposes, Literal("Not A Purpose")))

    assert refused(write_graph(data, tmp_path)) == {
        (
            f"{analyst} gr:qualified [ a gr:AccessGrant to <{crm}> ]",
            "purposes",
            "A purpose is '*' (any) or a lower-case code of letters, digits, '_' or '-', "
            "at most 64 characters.",
        )
    }


def test_when_a_reference_dangles_then_the_undeclared_node_is_named(tmp_path: Path) -> None:
    data = minimal_rdf()
    alice = node_iri("Principal", "alice")
    data.add((alice, GR.HAS_ROLE, node_iri("Role", "ghost")))

    assert refused(write_graph(data, tmp_path)) == {
        (
            str(alice),
            "HAS_ROLE",
            "names Role 'ghost', which the document does not declare "
            "(<https://govroute.dev/id/Role/ghost> a gr:Role)",
        ),
        (
            str(alice),
            "HAS_ROLE",
            "A principal must have at least one role (gr:HAS_ROLE), and only roles.",
        ),
    }


def test_when_lineage_loops_then_the_reference_check_names_the_node(tmp_path: Path) -> None:
    data = minimal_rdf()
    crm, kpis = node_iri("DataSource", "crm"), node_iri("DataSource", "kpis")
    data.add((crm, GR.DERIVED_FROM, kpis))

    assert refused(write_graph(data, tmp_path)) == {
        (str(crm), "data_sources.crm", "lineage (derived_from) has a cycle: crm -> kpis -> "
         "warehouse -> crm")
    }  # fmt: skip


def test_when_a_gr_term_is_misspelt_or_misplaced_then_node_and_predicate_are_named(
    tmp_path: Path,
) -> None:
    data = minimal_rdf()
    acme = node_iri("Tenant", "acme-eu")
    data.add((acme, URIRef(f"{GR}nmae"), Literal("ACME")))
    data.add((acme, GR.title, Literal("ACME")))

    assert refused(write_graph(data, tmp_path)) == {
        (str(acme), "nmae", "gr:nmae is not a term of the ontology"),
        (str(acme), "title", "gr:title is not a property of gr:Tenant in a policy document"),
    }


def test_when_an_iri_is_outside_the_scheme_then_it_is_refused(tmp_path: Path) -> None:
    data = minimal_rdf()
    alice = node_iri("Principal", "alice")
    elsewhere = URIRef("https://example.org/tenants/acme")
    data.remove((alice, GR.MEMBER_OF, None))
    data.add((alice, GR.MEMBER_OF, elsewhere))
    data.add((elsewhere, RDF.type, GR.Tenant))
    data.add((elsewhere, GR.id, Literal("acme")))
    data.add((elsewhere, GR.name, Literal("Acme")))
    scheme = (
        f"'{elsewhere}' is not a govroute node IRI (expected https://govroute.dev/id/<Kind>/<id>)"
    )

    problems = refused(write_graph(data, tmp_path))

    assert (str(elsewhere), "", scheme) in problems
    assert (str(alice), "MEMBER_OF", scheme) in problems
    assert {location for location, _, _ in problems} == {str(elsewhere), str(alice)}


def test_when_nodes_are_not_policy_content_then_they_are_refused(tmp_path: Path) -> None:
    data = minimal_rdf()
    version = node_iri("PolicySet", "v1")
    typo = node_iri("Tenant", "acme-ue")
    data.add((version, RDF.type, GR.PolicySet))
    data.add((typo, GR.name, Literal("ACME EU")))

    assert refused(write_graph(data, tmp_path)) == {
        (str(version), "type", "gr:PolicySet is written by govroute, not by policy documents"),
        (
            str(typo),
            "name",
            "has govroute properties but no rdf:type gr:<Kind>; is its IRI misspelt?",
        ),
    }


def test_when_none_is_combined_with_permissions_then_it_is_refused(tmp_path: Path) -> None:
    data = minimal_rdf()
    analyst = node_iri("Role", "analyst")
    data.add((analyst, GR.permissions, Literal("none")))

    assert refused(write_graph(data, tmp_path)) == {
        (
            str(analyst),
            "",
            'A role\'s permission "none" (no API operation) cannot be combined with others.',
        )
    }


def test_when_a_list_is_not_an_rdf_list_then_it_is_refused(tmp_path: Path) -> None:
    data = minimal_rdf()
    account = node_iri("EntityType", "ACCOUNT_NUMBER")
    data.remove((account, GR.patterns, None))
    data.add((account, GR.patterns, Literal("AC-\\d{8}")))

    assert (
        str(account),
        "patterns",
        "must be one RDF list, e.g. gr:patterns ( … )",
    ) in refused(write_graph(data, tmp_path))


def test_when_two_preferences_share_a_rank_then_the_order_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(EDGE_CASES, encoding="utf-8")
    data = document_to_rdf(read_bundle(tmp_path / "p.yaml").document())
    pick = node_iri("Policy", "pick")
    for qualifier in data.objects(pick, GR.qualified):
        data.set((qualifier, GR.rank, Literal(0)))

    problems = refused(write_graph(data, tmp_path))

    assert {(loc, path) for loc, path, _ in problems} == {(str(pick), "rank")}
    assert len(problems) == 2  # one clash among models, one among providers


def test_when_json_ld_names_a_remote_context_then_nothing_is_fetched(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        json.dumps({"@context": "https://example.org/context.jsonld", "@id": "tenant:a"}),
        encoding="utf-8",
    )

    assert refused(path) == {
        (
            "",
            "@context",
            "names a remote context (https://example.org/context.jsonld), which is never "
            "fetched; embed it (ontology/context.jsonld is govroute's)",
        )
    }


def test_when_json_ld_holds_a_named_graph_then_it_is_refused_not_read_as_empty(
    tmp_path: Path,
) -> None:
    path = tmp_path / "named.jsonld"
    node = {"@id": "tenant:a", "@type": "Tenant", "id": "a", "name": "A"}
    document = {"@context": jsonld_context(), "@id": "https://example.org/doc", "@graph": [node]}
    path.write_text(json.dumps(document), encoding="utf-8")

    assert refused(path) == {
        (
            "https://example.org/doc",
            "@graph",
            "is a named graph; a policy document is the default graph only "
            '(no "@id" beside the top-level "@graph")',
        )
    }


@pytest.mark.parametrize(
    ("file", "text"), [("empty.ttl", "# nothing yet\n"), ("empty.jsonld", '{"@graph": []}')]
)
def test_when_a_document_holds_no_policy_content_then_it_is_refused(
    file: str, text: str, tmp_path: Path
) -> None:
    path = tmp_path / file
    path.write_text(text, encoding="utf-8")

    assert refused(path) == {("", "", "holds no policy content (no node a gr:<Kind>)")}


def test_when_json_ld_key_is_not_in_its_context_then_it_is_not_dropped_silently(
    tmp_path: Path,
) -> None:
    path = tmp_path / "own-context.jsonld"
    context = {"gr": str(GR), "name": "gr:name", "id": "gr:id"}
    node = {"@id": "https://govroute.dev/id/Tenant/a", "@type": "gr:Tenant", "id": "a"}
    path.write_text(
        json.dumps({"@context": context, "@graph": [{**node, "nmae": "A"}]}), encoding="utf-8"
    )

    assert refused(path) == {
        (
            "https://govroute.dev/id/Tenant/a",
            "nmae",
            "is not a term of the @context, so JSON-LD would drop it unread",
        )
    }


def test_when_json_ld_uses_the_shipped_context_then_a_misspelt_term_is_caught(
    tmp_path: Path,
) -> None:
    path = tmp_path / "typo.jsonld"
    node = {"@id": "tenant:a", "@type": "Tenant", "id": "a", "name": "A", "descripton": "x"}
    path.write_text(json.dumps({"@context": jsonld_context(), **node}), encoding="utf-8")

    assert refused(path) == {
        (str(node_iri("Tenant", "a")), "descripton", "gr:descripton is not a term of the ontology")
    }


# ---------------------------------------------------------------- through the real graph


def counts(client: GraphClient) -> dict[str, int]:
    return {r["kind"]: r["count"] for r in client.read(records, queries.COUNT_NODES)}


def graph_bundle(client: GraphClient) -> Bundle:
    _, content = store.read_policy_content(client)
    return Bundle.from_document(from_graph(content), "<graph>")


def test_when_enterprise_is_exported_and_loaded_into_an_empty_graph_then_content_is_the_same(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    yaml_load = load_policy_path(empty_graph, ENTERPRISE, author="t", message="yaml")
    original, nodes = graph_bundle(empty_graph), counts(empty_graph)
    exported = tmp_path / "enterprise.ttl"
    exported.write_text(export_active(empty_graph, "turtle"), encoding="utf-8")

    wipe(empty_graph)
    rdf_load = load_rdf_path(empty_graph, exported, author="t", message="rdf")

    assert rdf_load.outcome.changed
    assert graph_bundle(empty_graph).canonical() == original.canonical()
    assert original.canonical() == read_bundle(ENTERPRISE).canonical()
    assert counts(empty_graph) == nodes
    assert (rdf_load.outcome.nodes, rdf_load.outcome.edges) == (
        yaml_load.outcome.nodes,
        yaml_load.outcome.edges,
    )


def test_when_exported_content_is_loaded_then_hash_matches_and_an_equal_load_is_unchanged(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    yaml_load = load_policy_path(empty_graph, ENTERPRISE, author="t", message="yaml")
    exported = tmp_path / "enterprise.ttl"
    exported.write_text(export_active(empty_graph, "turtle"), encoding="utf-8")

    on_top = load_rdf_path(empty_graph, exported, author="t", message="same content as RDF")
    wipe(empty_graph)
    fresh = load_rdf_path(empty_graph, exported, author="t", message="rdf")

    assert not on_top.outcome.changed
    ps = store.active_policy_set(empty_graph)
    assert ps is not None
    assert ps.content_hash == fresh.content_hash == yaml_load.content_hash


def test_when_rdf_is_loaded_twice_then_the_second_load_is_unchanged(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, MINIMAL, author="t", message="yaml")
    exported = tmp_path / "minimal.jsonld"
    exported.write_text(export_active(empty_graph, "json-ld"), encoding="utf-8")
    first = load_rdf_path(empty_graph, exported, author="t", message="rdf")
    before = counts(empty_graph)

    again = load_rdf_path(empty_graph, exported, author="t", message="rdf again")

    assert not again.outcome.changed
    assert again.content_hash == first.content_hash
    assert counts(empty_graph) == before


def broken_turtle(directory: Path) -> Path:
    path = directory / "syntax.ttl"
    path.write_text("<Tenant/a> a <https://govroute.dev/ontology#Tenant> ;\n", encoding="utf-8")
    return path


def shapes_violated(directory: Path) -> Path:
    data = minimal_rdf()
    data.remove((node_iri("Principal", "alice"), GR.MEMBER_OF, None))
    data.set((node_iri("SensitivityLabel", "pii"), GR.level, Literal("secret")))
    data.set((node_iri("Intent", "summarize"), GR.threshold, Literal(1.5)))
    return write_graph(data, directory)


def dangling(directory: Path) -> Path:
    data = minimal_rdf()
    data.add((node_iri("Principal", "alice"), GR.HAS_ROLE, node_iri("Role", "ghost")))
    return write_graph(data, directory)


def misspelt(directory: Path) -> Path:
    data = minimal_rdf()
    data.add((node_iri("Tenant", "acme-eu"), URIRef(f"{GR}nmae"), Literal("ACME")))
    return write_graph(data, directory)


@pytest.mark.parametrize("make", [broken_turtle, shapes_violated, dangling, misspelt])
def test_when_rdf_is_refused_then_nothing_is_written(
    make: Any, empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, MINIMAL, author="t", message="good")
    before, active = counts(empty_graph), store.active_policy_set(empty_graph)

    with pytest.raises(InvalidPolicyData) as caught:
        load_rdf_path(empty_graph, make(tmp_path), author="t", message="bad")

    assert caught.value.problems
    assert all(isinstance(p, Problem) for p in caught.value.problems)
    assert counts(empty_graph) == before
    assert store.active_policy_set(empty_graph) == active


def test_when_the_cli_exports_and_loads_rdf_then_the_content_round_trips(
    empty_graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    assert neo4j_settings.password is not None
    env = {
        "NEO4J_URI": neo4j_settings.uri or "",
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    policy = tmp_path / "policy"
    shutil.copytree(MINIMAL, policy)
    runner = CliRunner()
    assert runner.invoke(app, ["load", str(policy)], env=env).exit_code == 0
    exported = tmp_path / "out.jsonld"

    written = runner.invoke(
        app, ["export", "--format", "json-ld", "--output", str(exported)], env=env
    )
    printed = runner.invoke(app, ["export"], env=env)
    wipe(empty_graph)
    loaded = runner.invoke(app, ["load", str(exported), "-m", "from RDF"], env=env)
    bad = runner.invoke(app, ["load", str(broken_turtle(tmp_path))], env=env)

    assert written.exit_code == 0, written.output
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith("# govroute policy content: PolicySet v1")
    assert loaded.exit_code == 0, loaded.output
    assert "loaded PolicySet v1" in loaded.output
    assert graph_bundle(empty_graph).canonical() == read_bundle(MINIMAL).canonical()
    assert bad.exit_code == 2
    assert "syntax.ttl:line 2" in bad.output


def test_when_an_imported_value_list_is_malformed_then_the_shapes_refuse_the_document(
    tmp_path: Path,
) -> None:
    graph = document_to_rdf(read_bundle(ENTERPRISE).document())
    contacts = node_iri("ValueList", "retail-public-contacts")
    graph.add((contacts, GR.MARKS, node_iri("EntityType", "EMAIL_ADDRESS")))
    graph.remove((contacts, GR.values, None))

    messages = {message for _, _, message in refused(write_graph(graph, tmp_path))}

    assert "A value list needs at least one value, strings, none of them blank." in messages
    assert (
        "A deny list must name the entity type its values are reported as (gr:MARKS); "
        "an allow list names none." in messages
    )


def test_when_a_policy_caches_semantically_then_rdf_keeps_the_threshold(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(ENTERPRISE, folder, ignore=shutil.ignore_patterns("cases", "*.md"))
    semantic = Path(__file__).parent / "data" / "serving" / "semantic_policies.yaml"
    shutil.copy(semantic, folder / "serving.yaml")
    original = read_bundle(folder)
    again = read_rdf(write_rdf(original.document(), tmp_path))
    assert again.canonical() == original.canonical()
    assert '"semantic_threshold": 0.9' in json.dumps(again.canonical())
