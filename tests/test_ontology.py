"""The ontology names what the graph holds, and its shapes judge RDF policy documents.

Pure tests: the Turtle files, graph/schema.py and pyshacl; no Neo4j.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path

import pyshacl
import pytest
import rdflib.namespace
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, ODRL2, ORG, OWL, PROV, RDF, RDFS, SH, SKOS

import graph.schema
from graph.content import RELATION_BY_KEY
from graph.schema import NODE_LABELS, RELATIONSHIP_TYPES
from loaders.graph_mapping import to_graph
from loaders.policy_load import read_bundle
from ontology import ontology_graph, shapes_graph
from ontology.namespace import DPV, DPV_PD, GR, ID, node_iri, node_key

ONTOLOGY = ontology_graph()
SHAPES = shapes_graph()
NS = str(GR)
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9_]*$")

# DPV 2.2 terms the ontology may use, each checked by hand against
# https://github.com/w3c/dpv (2.2/dpv/dpv.ttl, 2.2/pd/pd.ttl). A new DPV term
# belongs here only after the same check: DPV is not available offline.
DPV_TERMS_CHECKED = {
    DPV.Certification,
    DPV.DataSource,
    DPV.Jurisdiction,
    DPV.Location,
    DPV.Recipient,
    DPV.Purpose,  # dpv:Purpose, the class of every DPV purpose
    DPV.Rule,
    DPV.Technology,
    DPV.hasJurisdiction,
    DPV.hasLocation,
    DPV.hasPurpose,
    DPV.hasSensitivityLevel,
}


def _local(term: object) -> str:
    return str(term)[len(NS) :]


def _defined(rdf_type: URIRef) -> set[str]:
    return {
        _local(s)
        for s in ONTOLOGY.subjects(RDF.type, rdf_type)
        if isinstance(s, URIRef) and str(s).startswith(NS)
    }


def _qualified_relation_classes() -> set[str]:
    return {
        _local(s)
        for s in ONTOLOGY.subjects(RDFS.subClassOf, GR.QualifiedRelation)
        if isinstance(s, URIRef)
    } | {"QualifiedRelation"}


def _node_classes() -> set[str]:
    return _defined(OWL.Class) - _qualified_relation_classes()


def _relationship_properties() -> set[str]:
    return {p for p in _defined(OWL.ObjectProperty) if UPPER_SNAKE.match(p)}


def _differences(what: str, schema: Iterable[str], ontology: Iterable[str]) -> list[str]:
    """Both directions of a mismatch between graph/schema.py and govroute.ttl, in words."""
    in_schema, in_ontology = set(schema), set(ontology)
    problems = []
    if missing := sorted(in_schema - in_ontology):
        problems.append(
            f"{what} in graph/schema.py but not in ontology/govroute.ttl: {', '.join(missing)}"
        )
    if extra := sorted(in_ontology - in_schema):
        problems.append(
            f"{what} in ontology/govroute.ttl but not in graph/schema.py: {', '.join(extra)}"
        )
    return problems


# ---------------------------------------------------------------- vocabulary vs graph schema


def test_graph_schema_and_ontology_name_the_same_things() -> None:
    problems = _differences("node labels (owl:Class)", NODE_LABELS, _node_classes())
    problems += _differences(
        "relationship types (upper-case owl:ObjectProperty)",
        RELATIONSHIP_TYPES,
        _relationship_properties(),
    )
    assert not problems, "\n".join(problems)


def test_when_schema_and_ontology_differ_then_both_directions_are_named() -> None:
    problems = _differences("node labels", ["Tenant", "Audit"], ["Tenant", "Ghost"])

    assert problems == [
        "node labels in graph/schema.py but not in ontology/govroute.ttl: Audit",
        "node labels in ontology/govroute.ttl but not in graph/schema.py: Ghost",
    ]


def test_every_relationship_with_properties_has_one_qualified_relation_class() -> None:
    # graph/schema.py documents edge properties in its comments: "APPLIED",  # -> Policy {effect}
    source = inspect.getsource(graph.schema)
    with_properties = set(re.findall(r'"([A-Z_]+)",\s*#[^\n]*\{', source))
    helpers = _qualified_relation_classes() - {"QualifiedRelation"}
    qualifies = {name: set(ONTOLOGY.objects(GR[name], GR.qualifies)) for name in helpers}
    qualified = {_local(rel) for rels in qualifies.values() for rel in rels}

    assert with_properties, "found no '{...}' property comments in graph/schema.py"
    assert {n: len(r) for n, r in qualifies.items() if len(r) != 1} == {}, (
        "each qualified-relation class must name exactly one relationship with gr:qualifies"
    )
    assert len(qualified) == len(helpers), "two classes qualify the same relationship"
    assert not (with_properties - qualified), (
        f"relationships with properties but no class that gr:qualifies them: "
        f"{sorted(with_properties - qualified)}"
    )
    assert not (qualified - set(RELATIONSHIP_TYPES)), "gr:qualifies names an unknown relationship"


def _domain(prop: str) -> set[str] | None:
    """Local names of the classes a property's rdfs:domain allows; None when it has none."""
    domain = ONTOLOGY.value(GR[prop], RDFS.domain)
    if domain is None:
        return None
    members = ONTOLOGY.value(domain, OWL.unionOf)
    return {_local(c) for c in Collection(ONTOLOGY, members)} if members else {_local(domain)}


def _allows(prop: str, kind: str) -> bool:
    """Whether the ontology has `prop` and lets a `kind` node (or qualified edge) carry it."""
    if prop not in GR.__annotations__:
        return False
    domain = _domain(prop)
    return domain is None or kind in domain


def test_every_edge_property_in_the_graph_schema_is_a_term_of_its_qualified_relation() -> None:
    source = inspect.getsource(graph.schema)
    documented = re.findall(r'"([A-Z_]+)",\s*#[^\n]*\{([^}]*)\}', source)
    qualifier = {_local(rel): _local(cls) for cls, rel in ONTOLOGY.subject_objects(GR.qualifies)}

    missing = [
        f"{rel}.{prop} (on gr:{qualifier.get(rel)})"
        for rel, props in documented
        for prop in (p.strip() for p in props.split(","))
        if not _allows(prop, qualifier.get(rel, ""))
    ]

    assert documented
    assert not missing, f"edge properties with no ontology term for their edge: {missing}"


@pytest.mark.parametrize("policy_dir", ["tests/data/minimal", "examples/enterprise"])
def test_every_property_a_policy_load_writes_is_a_term_for_its_node_or_edge(
    policy_dir: str,
) -> None:
    content = to_graph(read_bundle(Path(__file__).parent.parent / policy_dir))
    written = {(kind, key) for kind, rows in content.nodes.items() for row in rows for key in row}
    qualifier = {_local(rel): _local(cls) for cls, rel in ONTOLOGY.subject_objects(GR.qualifies)}
    written |= {
        (qualifier.get(RELATION_BY_KEY[rel].type, RELATION_BY_KEY[rel].type), key)
        for rel, edges in content.edges.items()
        for edge in edges
        for key in edge.props
    }

    missing = sorted(f"{kind}.{key}" for kind, key in written if not _allows(key, kind))

    assert not missing, f"graph properties with no ontology term allowed on their kind: {missing}"


def test_every_relationship_type_has_a_domain_and_a_range() -> None:
    lacking = [
        rel
        for rel in sorted(_relationship_properties())
        if ONTOLOGY.value(GR[rel], RDFS.domain) is None
        or ONTOLOGY.value(GR[rel], RDFS.range) is None
    ]

    assert not lacking, f"relationship types without rdfs:domain or rdfs:range: {lacking}"


# ---------------------------------------------------------------- vocabulary hygiene


def test_every_class_and_property_has_a_label_and_a_comment() -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {GR[name] for kind in kinds for name in _defined(kind)}
    terms.add(URIRef("https://govroute.dev/ontology"))

    unlabelled = sorted(_local(t) for t in terms if ONTOLOGY.value(t, RDFS.label) is None)
    uncommented = sorted(_local(t) for t in terms if ONTOLOGY.value(t, RDFS.comment) is None)

    assert not unlabelled, f"terms without rdfs:label: {unlabelled}"
    assert not uncommented, f"terms without rdfs:comment: {uncommented}"


def test_gr_namespace_lists_exactly_the_terms_the_ontology_defines() -> None:
    defined = {_local(s) for s in ONTOLOGY.subjects(RDF.type, None) if str(s).startswith(NS)}
    listed = set(GR.__annotations__)

    assert not (defined - listed), f"defined in govroute.ttl, missing from GR: {defined - listed}"
    assert not (listed - defined), f"listed in GR, not defined in govroute.ttl: {listed - defined}"
    assert all(GR[name] == URIRef(NS + name) for name in listed)


def test_every_gr_term_the_turtle_files_use_is_defined() -> None:
    defined = {s for s in ONTOLOGY.subjects(RDF.type, None) if str(s).startswith(NS)}
    used = {
        term
        for g in (ONTOLOGY, SHAPES)
        for triple in g
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(NS)
    }

    assert not (used - defined), f"gr: terms used but never defined: {sorted(used - defined)}"


def test_every_term_of_each_type_is_declared_once() -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    seen: dict[str, list[str]] = {}
    for kind in kinds:
        for name in _defined(kind):
            seen.setdefault(name, []).append(str(kind))

    assert {name: k for name, k in seen.items() if len(k) > 1} == {}


def test_w3c_terms_the_ontology_maps_to_exist() -> None:
    external = {
        term
        for triple in ONTOLOGY
        for term in triple
        if isinstance(term, URIRef) and not str(term).startswith(NS)
    }
    unknown = []
    for term in sorted(external):
        for namespace in (PROV, ODRL2, ORG, SKOS, DCTERMS):
            if str(term).startswith(str(namespace)) and term not in namespace:
                unknown.append(term)
        if str(term).startswith(str(DPV)) and term not in DPV_TERMS_CHECKED:
            unknown.append(term)

    assert not unknown, f"W3C terms that do not exist (or are unchecked DPV terms): {unknown}"


def test_mappings_to_prov_make_decisions_activities_and_data_entities() -> None:
    assert (GR.Decision, RDFS.subClassOf, PROV.Activity) in ONTOLOGY
    assert (GR.DataSource, RDFS.subClassOf, PROV.Entity) in ONTOLOGY
    assert (GR.Principal, RDFS.subClassOf, PROV.Agent) in ONTOLOGY
    assert (GR.REQUESTED_BY, RDFS.subPropertyOf, PROV.wasAssociatedWith) in ONTOLOGY
    assert (GR.DERIVED_FROM, RDFS.subPropertyOf, PROV.wasDerivedFrom) in ONTOLOGY
    assert (GR.SUPERSEDES, RDFS.subPropertyOf, PROV.wasRevisionOf) in ONTOLOGY


# ---------------------------------------------------------------- node IRIs


@pytest.mark.parametrize(
    ("kind", "node_id", "iri"),
    [
        ("Tenant", "acme", "https://govroute.dev/id/Tenant/acme"),
        ("Intent", "contract.summary:v2", "https://govroute.dev/id/Intent/contract.summary:v2"),
        ("Document", "a b/c", "https://govroute.dev/id/Document/a%20b%2Fc"),
    ],
)
def test_node_iri_and_node_key_are_inverses(kind: str, node_id: str, iri: str) -> None:
    assert node_iri(kind, node_id) == URIRef(iri)
    assert node_key(iri) == (kind, node_id)


@pytest.mark.parametrize(
    "bad",
    [
        "https://example.org/id/Tenant/acme",
        "https://govroute.dev/id/Tenant",
        "https://govroute.dev/id/Tenant/a/b",
        "https://govroute.dev/id/Nope/acme",
        "https://govroute.dev/id/MEMBER_OF/acme",
        "https://govroute.dev/id/Document/a b",
    ],
)
def test_when_iri_is_not_a_canonical_node_iri_then_node_key_refuses_it(bad: str) -> None:
    with pytest.raises(ValueError, match="node"):
        node_key(bad)


# ---------------------------------------------------------------- shapes


def test_shapes_are_valid_shacl() -> None:
    shacl_shacl = Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"))

    conforms, _, text = pyshacl.validate(SHAPES, shacl_graph=shacl_shacl)

    assert conforms, text


def test_every_shape_says_what_is_wrong_in_plain_words() -> None:
    # Shapes nested in sh:or / sh:and / sh:not report through the shape around them.
    shapes = set(SHAPES.subjects(RDF.type, SH.NodeShape)) | set(SHAPES.objects(None, SH.property))
    silent = sorted(str(s) for s in shapes if SHAPES.value(s, SH.message) is None)

    assert not silent, f"shapes without sh:message: {silent}"


PREFIXES = """
@prefix gr:        <https://govroute.dev/ontology#> .
@prefix rdf:       <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd:       <http://www.w3.org/2001/XMLSchema#> .
@prefix pd:        <https://w3id.org/dpv/pd#> .
@prefix tenant:    <https://govroute.dev/id/Tenant/> .
@prefix role:      <https://govroute.dev/id/Role/> .
@prefix principal: <https://govroute.dev/id/Principal/> .
@prefix apikey:    <https://govroute.dev/id/ApiKey/> .
@prefix jur:       <https://govroute.dev/id/Jurisdiction/> .
@prefix region:    <https://govroute.dev/id/Region/> .
@prefix cert:      <https://govroute.dev/id/Certification/> .
@prefix cap:       <https://govroute.dev/id/Capability/> .
@prefix label:     <https://govroute.dev/id/SensitivityLabel/> .
@prefix entity:    <https://govroute.dev/id/EntityType/> .
@prefix source:    <https://govroute.dev/id/DataSource/> .
@prefix doc:       <https://govroute.dev/id/Document/> .
@prefix intent:    <https://govroute.dev/id/Intent/> .
@prefix provider:  <https://govroute.dev/id/Provider/> .
@prefix model:     <https://govroute.dev/id/Model/> .
@prefix policy:    <https://govroute.dev/id/Policy/> .
@prefix detection: <https://govroute.dev/id/DetectionSettings/> .
@prefix recognizer: <https://govroute.dev/id/DetectionRecognizer/> .
@prefix valuelist: <https://govroute.dev/id/ValueList/> .
"""

KEY_DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

VALID_DOCUMENT = (
    PREFIXES
    + """
tenant:acme a gr:Tenant ; gr:id "acme" ; gr:name "Acme Corp" .

role:support a gr:Role ; gr:id "support" ; gr:name "Support agent" ;
    gr:CAN_ACCESS source:crm ;
    gr:qualified [ a gr:AccessGrant ; gr:target source:crm ;
                   gr:purposes "customer_support", "billing" ] .

principal:alice a gr:Principal ; gr:id "alice" ; gr:name "Alice" ;
    gr:MEMBER_OF tenant:acme ; gr:HAS_ROLE role:support .

apikey:{KEY} a gr:ApiKey ; gr:id "{KEY}" ; gr:IDENTIFIES principal:alice .

jur:eu a gr:Jurisdiction ; gr:id "eu" ; gr:name "European Union" .
region:eu-west a gr:Region ; gr:id "eu-west" ; gr:name "EU West" ; gr:IN jur:eu .
cert:iso27001 a gr:Certification ; gr:id "iso27001" ; gr:name "ISO/IEC 27001" .
cap:long_context a gr:Capability ; gr:id "long_context" .

label:pii a gr:SensitivityLabel ; gr:id "pii" ; gr:name "Personal data" ;
    gr:level "confidential" ; gr:dpv <https://w3id.org/dpv#PersonalData> .
label:email a gr:SensitivityLabel ; gr:id "email" ; gr:name "Email address" ;
    gr:level "confidential" ; gr:SUBLABEL_OF label:pii ; gr:dpv pd:EmailAddress .

entity:EMAIL_ADDRESS a gr:EntityType ; gr:id "EMAIL_ADDRESS" ; gr:INDICATES label:email .
entity:ACCOUNT_NUMBER a gr:EntityType ; gr:id "ACCOUNT_NUMBER" ; gr:INDICATES label:pii ;
    gr:patterns ( "ACCT-\\\\d{8}" "AC\\\\d{10}" ) ; gr:pattern_scores ( 0.7e0 0.5e0 ) ;
    gr:context "account" ; gr:validator "none" .

source:crm a gr:DataSource ; gr:id "crm" ; gr:name "CRM" ; gr:kind "system" ;
    gr:RESIDES_IN region:eu-west ; gr:HAS_LABEL label:pii .
source:kb a gr:DataSource ; gr:id "kb" ; gr:name "Knowledge base" .
doc:faq-1 a gr:Document ; gr:id "faq-1" ; gr:title "Refund FAQ" ; gr:PART_OF source:kb ;
    gr:DERIVED_FROM source:crm ;
    gr:qualified [ a gr:Derivation ; gr:target source:crm ;
                   gr:transform "aggregation" ; gr:removes label:pii ] .

intent:summarize a gr:Intent ; gr:id "summarize" ; gr:name "Summarize" ;
    gr:category "business" ; gr:exemplars "Summarize this ticket", "Give me the gist" ;
    gr:threshold 0.6e0 ; gr:REQUIRES cap:long_context .

provider:azure-eu a gr:Provider ; gr:id "azure-eu" ; gr:name "Azure OpenAI EU" ;
    gr:HOSTED_IN region:eu-west ; gr:HOLDS cert:iso27001 ;
    gr:trains_on_data false ; gr:retention_days 0 ;
    gr:api_kind "openai" ; gr:base_url "https://eu.example.test/v1" ; gr:key_env "AZURE_KEY" .
model:gpt-eu a gr:Model ; gr:id "gpt-eu" ; gr:name "GPT EU" ; gr:OFFERED_BY provider:azure-eu ;
    gr:upstream_name "gpt-4o" ; gr:HAS_CAPABILITY cap:long_context ;
    gr:context_window 128000 ; gr:input_cost_per_mtok 2.5e0 ; gr:output_cost_per_mtok 10.0e0 ;
    gr:latency_ms 400 .

policy:redact-pii a gr:Policy ; gr:id "redact-pii" ;
    gr:description "Support may see customer data, with personal data redacted." ;
    gr:effect "redact" ; gr:priority 10 ; gr:GOVERNS label:pii ;
    gr:APPLIES_TO role:support ; gr:purposes "customer_support" ;
    gr:RESTRICTS_TO jur:eu ; gr:REQUIRES_CERTIFICATION cert:iso27001 ;
    gr:no_training true ; gr:max_retention_days 30 ; gr:block_output true ;
    gr:PREFERS model:gpt-eu ;
    gr:qualified [ a gr:Preference ; gr:target model:gpt-eu ; gr:rank 0 ] .
policy:eu-only a gr:Policy ; gr:id "eu-only" ;
    gr:description "Requests stay in the EU." ; gr:effect "constrain" ; gr:RESTRICTS_TO jur:eu .

detection:acme a gr:DetectionSettings ; gr:id "acme" ; gr:phone_regions "GB", "DE" ;
    gr:invalid_numbers "redact" ; gr:context_instructions "withhold" .
recognizer:acme-account a gr:DetectionRecognizer ; gr:id "acme-account" ;
    gr:DETECTS entity:ACCOUNT_NUMBER ; gr:regex "\\\\bAC\\\\d{10}\\\\b" ; gr:base_score 0.6e0 ;
    gr:checksum "luhn" ; gr:cue_words "account" ; gr:invalid_numbers "ignore" .
valuelist:acme-codes a gr:ValueList ; gr:id "acme-codes" ; gr:list_kind "deny" ;
    gr:values "Project Falcon" ; gr:MARKS entity:ACCOUNT_NUMBER ; gr:BELONGS_TO tenant:acme .
valuelist:public-contacts a gr:ValueList ; gr:id "public-contacts" ; gr:list_kind "allow" ;
    gr:values "help@acme.example" .
""".replace("{KEY}", KEY_DIGEST)
)


def _violations(data: Graph, *, meta_shacl: bool = False) -> set[tuple[str, str | None, str]]:
    """(focus node, path, message) of every violation.

    meta_shacl also checks the shapes against SHACL-SHACL; it doubles the time, and
    test_shapes_are_valid_shacl covers it, so only the conforming case asks for it.
    """
    conforms, report, _ = pyshacl.validate(data, shacl_graph=SHAPES, meta_shacl=meta_shacl)
    assert isinstance(report, Graph)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        found.add(
            (
                str(report.value(result, SH.focusNode)),
                _local(path) if isinstance(path, URIRef) and str(path).startswith(NS) else None,
                str(report.value(result, SH.resultMessage)),
            )
        )
    assert conforms == (not found)
    return found


def _valid() -> Graph:
    return Graph().parse(data=VALID_DOCUMENT, format="turtle")


def _qualifier(g: Graph, subject: URIRef) -> BNode:
    node = g.value(subject, GR.qualified)
    assert isinstance(node, BNode)
    return node


def test_when_policy_document_is_complete_then_it_conforms() -> None:
    assert _violations(_valid(), meta_shacl=True) == set()


def test_when_tenant_missing_level_unknown_and_threshold_too_high_then_each_is_reported() -> None:
    data = _valid()
    alice, pii, summarize = (
        node_iri("Principal", "alice"),
        node_iri("SensitivityLabel", "pii"),
        node_iri("Intent", "summarize"),
    )
    data.remove((alice, GR.MEMBER_OF, None))
    data.set((pii, GR.level, Literal("secret")))
    data.set((summarize, GR.threshold, Literal(1.5)))

    assert _violations(data) == {
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


Mutation = Callable[[Graph], object]


def _set(kind: str, node_id: str, prop: URIRef, value: Literal | URIRef) -> Mutation:
    return lambda g: g.set((node_iri(kind, node_id), prop, value))


def _drop(kind: str, node_id: str, prop: URIRef) -> Mutation:
    return lambda g: g.remove((node_iri(kind, node_id), prop, None))


def _add(kind: str, node_id: str, prop: URIRef, value: Literal | URIRef) -> Mutation:
    return lambda g: g.add((node_iri(kind, node_id), prop, value))


def _drop_access_triple(g: Graph) -> None:
    g.remove((node_iri("Role", "support"), GR.CAN_ACCESS, None))


def _drop_grant_purposes(g: Graph) -> None:
    g.remove((_qualifier(g, node_iri("Role", "support")), GR.purposes, None))


def _drop_one_pattern_score(g: Graph) -> None:
    scores = g.value(node_iri("EntityType", "ACCOUNT_NUMBER"), GR.pattern_scores)
    assert scores is not None
    g.set((scores, RDF.rest, RDF.nil))


def _rank_policy_preference_negative(g: Graph) -> None:
    g.set((_qualifier(g, node_iri("Policy", "redact-pii")), GR.rank, Literal(-1)))


@pytest.mark.parametrize(
    ("mutate", "focus", "message"),
    [
        (
            _add("Region", "eu-west", GR.IN, node_iri("Jurisdiction", "us")),
            node_iri("Region", "eu-west"),
            "A region must lie in exactly one jurisdiction (gr:IN).",
        ),
        (
            _drop("Principal", "alice", GR.HAS_ROLE),
            node_iri("Principal", "alice"),
            "A principal must have at least one role (gr:HAS_ROLE), and only roles.",
        ),
        (
            _drop("Provider", "azure-eu", GR.HOSTED_IN),
            node_iri("Provider", "azure-eu"),
            "A provider must be hosted in at least one region (gr:HOSTED_IN), and only regions.",
        ),
        (
            _drop("Model", "gpt-eu", GR.OFFERED_BY),
            node_iri("Model", "gpt-eu"),
            "A model must be offered by exactly one provider (gr:OFFERED_BY).",
        ),
        (
            _set("Model", "gpt-eu", GR.context_window, Literal(0)),
            node_iri("Model", "gpt-eu"),
            "A model needs exactly one context_window, a whole number of tokens greater than 0.",
        ),
        (
            _set("Provider", "azure-eu", GR.retention_days, Literal(-1)),
            node_iri("Provider", "azure-eu"),
            "retention_days is at most one whole number, 0 or more.",
        ),
        (
            _drop("Intent", "summarize", GR.exemplars),
            node_iri("Intent", "summarize"),
            "An intent needs at least one exemplar, and no exemplar may be blank.",
        ),
        (
            _set("Intent", "summarize", GR.category, Literal("sales")),
            node_iri("Intent", "summarize"),
            "An intent's category must be exactly one of: business, threat.",
        ),
        (
            _set("Policy", "eu-only", GR.effect, Literal("permit")),
            node_iri("Policy", "eu-only"),
            "A policy's effect must be exactly one of: allow, deny, redact, mask, hash, "
            "pseudonymize, drop, constrain, review.",
        ),
        (
            _set("Policy", "eu-only", GR.effect, Literal("mask")),
            node_iri("Policy", "eu-only"),
            "A policy whose effect acts on labels (redact, mask, hash, pseudonymize, drop) "
            "must list them with gr:GOVERNS.",
        ),
        (
            _set("Policy", "eu-only", GR.block_output, Literal(True)),
            node_iri("Policy", "eu-only"),
            "A policy with block_output true must list the labels to block with gr:GOVERNS.",
        ),
        (
            _add("Policy", "eu-only", GR.FORBIDS, node_iri("Tenant", "acme")),
            node_iri("Policy", "eu-only"),
            "A policy forbids providers or models only (gr:FORBIDS).",
        ),
        (
            _set("Tenant", "acme", GR.id, Literal("acme-corp")),
            ID[""],
            "https://govroute.dev/id/Tenant/acme does not match its class and id: expected "
            "https://govroute.dev/id/<Kind>/<id>, with the id percent-encoded except for ':'.",
        ),
        (
            _set("ApiKey", KEY_DIGEST, GR.IDENTIFIES, node_iri("Tenant", "acme")),
            node_iri("ApiKey", KEY_DIGEST),
            "An API key must identify exactly one principal (gr:IDENTIFIES).",
        ),
        (
            _set("SensitivityLabel", "pii", GR.SUBLABEL_OF, node_iri("SensitivityLabel", "pii")),
            node_iri("SensitivityLabel", "pii"),
            "The label hierarchy loops: following gr:SUBLABEL_OF from this label leads back to it.",
        ),
        (
            _set("SensitivityLabel", "pii", GR.dpv, Literal("PersonalData")),
            node_iri("SensitivityLabel", "pii"),
            "A label can map to at most one DPV concept, given as an absolute http(s) IRI.",
        ),
        (
            _drop("Document", "faq-1", GR.PART_OF),
            node_iri("Document", "faq-1"),
            "A document must be part of exactly one data source (gr:PART_OF).",
        ),
        (
            _set("EntityType", "EMAIL_ADDRESS", GR.validator, Literal("luhn")),
            node_iri("EntityType", "EMAIL_ADDRESS"),
            "A custom detector needs patterns; context words, a validator or scores alone "
            "detect nothing.",
        ),
        (
            _drop_one_pattern_score,
            node_iri("EntityType", "ACCOUNT_NUMBER"),
            "An entity type needs exactly one score per pattern: gr:pattern_scores must be as "
            "long as gr:patterns.",
        ),
        (
            _set("Provider", "azure-eu", GR.base_url, Literal("eu.example.test")),
            node_iri("Provider", "azure-eu"),
            "base_url is at most one http(s) address.",
        ),
    ],
    ids=[
        "region-in-two-jurisdictions",
        "principal-without-role",
        "provider-hosted-nowhere",
        "model-without-provider",
        "context-window-zero",
        "negative-retention",
        "intent-without-exemplars",
        "unknown-intent-category",
        "unknown-effect",
        "label-action-without-governs",
        "block-output-without-governs",
        "forbids-a-tenant",
        "iri-disagrees-with-id",
        "api-key-identifies-a-tenant",
        "label-is-its-own-sublabel",
        "dpv-not-an-iri",
        "document-outside-any-source",
        "validator-without-patterns",
        "fewer-scores-than-patterns",
        "base-url-not-http",
    ],
)
def test_when_one_rule_is_broken_then_exactly_that_rule_is_reported(
    mutate: Mutation, focus: URIRef, message: str
) -> None:
    data = _valid()
    mutate(data)

    assert {(node, msg) for node, _, msg in _violations(data)} == {(str(focus), message)}


@pytest.mark.parametrize(
    ("mutate", "focus", "message"),
    [
        (
            _set("DetectionSettings", "acme", GR.invalid_numbers, Literal("drop")),
            ("DetectionSettings", "acme"),
            "invalid_numbers is at most one of: redact, ignore.",
        ),
        (
            _add("DetectionSettings", "acme", GR.phone_regions, Literal("uk")),
            ("DetectionSettings", "acme"),
            "A phone region is a two-letter upper-case region code (GB, not UK or gb).",
        ),
        (
            _set("DetectionSettings", "acme", GR.context_instructions, Literal("log")),
            ("DetectionSettings", "acme"),
            "context_instructions is at most one of: withhold, warn, deny.",
        ),
        (
            _drop("DetectionRecognizer", "acme-account", GR.DETECTS),
            ("DetectionRecognizer", "acme-account"),
            "A detection recognizer detects exactly one entity type (gr:DETECTS).",
        ),
        (
            _drop("DetectionRecognizer", "acme-account", GR.regex),
            ("DetectionRecognizer", "acme-account"),
            "A detection recognizer needs exactly one pattern (gr:regex), 1 to 512 characters.",
        ),
        (
            _set("DetectionRecognizer", "acme-account", GR.base_score, Literal(1.5)),
            ("DetectionRecognizer", "acme-account"),
            "base_score is at most one number from 0 to 1.",
        ),
        (
            _set("DetectionRecognizer", "acme-account", GR.checksum, Literal("crc32")),
            ("DetectionRecognizer", "acme-account"),
            "checksum is at most one of: none, luhn, mod97, mod11, verhoeff.",
        ),
        (
            _add("DetectionRecognizer", "acme-account", GR.cue_words, Literal("  ")),
            ("DetectionRecognizer", "acme-account"),
            "A recognizer's context words are strings, none of them blank.",
        ),
        (
            _set("ValueList", "public-contacts", GR.list_kind, Literal("block")),
            ("ValueList", "public-contacts"),
            "A value list is exactly one of: deny, allow (gr:list_kind).",
        ),
        (
            _drop("ValueList", "public-contacts", GR.values),
            ("ValueList", "public-contacts"),
            "A value list needs at least one value, strings, none of them blank.",
        ),
        (
            _drop("ValueList", "acme-codes", GR.MARKS),
            ("ValueList", "acme-codes"),
            "A deny list must name the entity type its values are reported as (gr:MARKS); "
            "an allow list names none.",
        ),
        (
            _add("ValueList", "public-contacts", GR.MARKS, node_iri("EntityType", "EMAIL_ADDRESS")),
            ("ValueList", "public-contacts"),
            "A deny list must name the entity type its values are reported as (gr:MARKS); "
            "an allow list names none.",
        ),
        (
            _add("ValueList", "acme-codes", GR.BELONGS_TO, node_iri("Role", "support")),
            ("ValueList", "acme-codes"),
            "An item belongs to at most one tenant (gr:BELONGS_TO), and only to a tenant.",
        ),
    ],
)
def test_when_a_detection_setting_is_malformed_then_exactly_that_rule_is_reported(
    mutate: Mutation, focus: tuple[str, str], message: str
) -> None:
    data = _valid()
    mutate(data)

    assert {(node, msg) for node, _, msg in _violations(data)} == {(str(node_iri(*focus)), message)}


@pytest.mark.parametrize(
    ("mutate", "holder", "message"),
    [
        (
            _drop_access_triple,
            ("Role", "support"),
            "The role holding this grant must also state gr:CAN_ACCESS to the same data source.",
        ),
        (
            _drop_grant_purposes,
            ("Role", "support"),
            "An access grant must give at least one purpose ('*' for any).",
        ),
        (
            _rank_policy_preference_negative,
            ("Policy", "redact-pii"),
            "A route preference needs exactly one rank, a whole number from 0 (most preferred).",
        ),
    ],
)
def test_when_a_qualified_relation_is_incomplete_then_its_node_is_reported(
    mutate: Mutation, holder: tuple[str, str], message: str
) -> None:
    data = _valid()
    qualifier = _qualifier(data, node_iri(*holder))
    mutate(data)

    assert {(focus, msg) for focus, _, msg in _violations(data)} == {(str(qualifier), message)}


def test_when_intent_uses_the_reserved_id_then_it_is_refused() -> None:
    data = _valid()
    unknown = node_iri("Intent", "unknown")
    for p, o in list(data.predicate_objects(node_iri("Intent", "summarize"))):
        data.add((unknown, p, o))
    data.set((unknown, GR.id, Literal("unknown")))

    assert {msg for focus, _, msg in _violations(data) if focus == str(unknown)} == {
        "The intent id 'unknown' is reserved for prompts that match no intent."
    }


def test_when_numbers_are_typed_as_decimals_then_the_datatype_is_named() -> None:
    data = _valid()
    decimal = Literal("0.6", datatype=rdflib.namespace.XSD.decimal)
    data.set((node_iri("Intent", "summarize"), GR.threshold, decimal))

    assert {msg for _, _, msg in _violations(data)} == {
        "An intent's threshold must be one number (xsd:double) strictly between 0 and 1."
    }


def test_ids_in_the_id_namespace_are_node_iris() -> None:
    data = _valid()
    node_iris = {s for s in data.subjects(RDF.type, None) if isinstance(s, URIRef)}

    assert node_iris
    assert all(str(s).startswith(str(ID)) and node_key(str(s)) for s in node_iris)
    assert (node_iri("SensitivityLabel", "email"), GR.dpv, DPV_PD.EmailAddress) in data
