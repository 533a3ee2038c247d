"""Every IRI govroute writes, spelled once.

`GR` lists the terms of ontology/govroute.ttl (tests/test_ontology.py keeps the two
equal), so a misspelt term fails at import rather than producing triples nobody
can read. Graph nodes get IRIs from `node_iri`; the W3C vocabularies the ontology
maps to are re-exported here so callers need no second spelling of them.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    ODRL2,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "DCTERMS",
    "DPV",
    "DPV_PD",
    "GR",
    "ID",
    "ODRL2",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SHAPES",
    "SKOS",
    "XSD",
    "bind_prefixes",
    "node_iri",
    "node_key",
]

DPV = Namespace("https://w3id.org/dpv#")
"""W3C Data Privacy Vocabulary 2.x core (dpv:Purpose, dpv:Location, dpv:Jurisdiction, ...)."""

DPV_PD = Namespace("https://w3id.org/dpv/pd#")
"""DPV 2.x personal data extension (pd:EmailAddress, pd:PaymentCardNumber, ...)."""

ID = Namespace("https://govroute.dev/id/")
"""Base of node IRIs: https://govroute.dev/id/<Kind>/<id>."""

SHAPES = Namespace("https://govroute.dev/shapes#")
"""The SHACL shapes of ontology/shapes.ttl (grsh:PrincipalShape, ...)."""


class GR(DefinedNamespace):
    """The govroute vocabulary: node labels, relationship types and properties.

    Node labels and relationship types keep their Neo4j names (gr:Tenant,
    gr:MEMBER_OF); properties keep their Neo4j property names (gr:context_window).
    """

    _fail = True
    _NS = Namespace("https://govroute.dev/ontology#")

    # annotation: the relationship type a qualified-relation class qualifies
    qualifies: URIRef

    # node labels
    Tenant: URIRef
    Purpose: URIRef
    Principal: URIRef
    Role: URIRef
    ApiKey: URIRef
    DataSource: URIRef
    Document: URIRef
    SensitivityLabel: URIRef
    EntityType: URIRef
    Intent: URIRef
    ThreatCategory: URIRef
    Capability: URIRef
    Model: URIRef
    Provider: URIRef
    Region: URIRef
    Jurisdiction: URIRef
    Certification: URIRef
    Policy: URIRef
    PolicySet: URIRef
    Decision: URIRef
    PseudonymRestore: URIRef
    ProvenanceBatch: URIRef
    ProvenanceChain: URIRef
    DetectionSettings: URIRef
    DetectionRecognizer: URIRef
    ValueList: URIRef
    DriftSettings: URIRef
    DriftLimit: URIRef
    DriftCheck: URIRef
    GovernanceSettings: URIRef
    Approval: URIRef
    AdminAction: URIRef
    Review: URIRef
    DecisionBucket: URIRef
    LabelReceipt: URIRef

    # qualified relations: relationship properties as nodes (not node labels)
    QualifiedRelation: URIRef
    AccessGrant: URIRef
    Derivation: URIRef
    Preference: URIRef
    IntentMatch: URIRef
    PolicyApplication: URIRef
    Withholding: URIRef
    Redaction: URIRef
    Exposure: URIRef
    RouteChoice: URIRef
    Rejection: URIRef
    UpstreamAttempt: URIRef

    # relationship types: identity
    MEMBER_OF: URIRef
    BELONGS_TO: URIRef
    HAS_ROLE: URIRef
    IDENTIFIES: URIRef
    CAN_ACCESS: URIRef
    # data and lineage
    PART_OF: URIRef
    DERIVED_FROM: URIRef
    HAS_LABEL: URIRef
    SUBLABEL_OF: URIRef
    INDICATES: URIRef
    RESIDES_IN: URIRef
    # models and providers
    REQUIRES: URIRef
    HAS_CAPABILITY: URIRef
    OFFERED_BY: URIRef
    HOSTED_IN: URIRef
    IN: URIRef
    HOLDS: URIRef
    # policies
    APPLIES_TO: URIRef
    GOVERNS: URIRef
    REQUIRES_CERTIFICATION: URIRef
    RESTRICTS_TO: URIRef
    FORBIDS: URIRef
    PREFERS: URIRef
    CONTAINS: URIRef
    SUPERSEDES: URIRef
    # provenance
    REQUESTED_BY: URIRef
    MATCHED: URIRef
    APPLIED: URIRef
    EXPOSED: URIRef
    WITHHELD: URIRef
    REDACTED: URIRef
    ROUTED_TO: URIRef
    REJECTED: URIRef
    UNDER: URIRef
    ATTEMPTED: URIRef
    RESTORED: URIRef
    RESTORED_FOR: URIRef
    OF_LABEL: URIRef
    # the admin API's audit trail
    PERFORMED_BY: URIRef
    ACTED_ON: URIRef
    PRODUCED: URIRef
    # detection settings
    DETECTS: URIRef
    MARKS: URIRef
    # the policy lifecycle
    AUTHORED_BY: URIRef
    APPROVES: URIRef
    APPROVED_BY: URIRef
    # human review
    REVIEWS: URIRef
    REVIEWED_BY: URIRef

    # object properties that are RDF plumbing, not relationship types
    qualified: URIRef
    target: URIRef
    removes: URIRef
    dpv: URIRef
    patterns: URIRef
    pattern_scores: URIRef
    path: URIRef

    # properties
    id: URIRef
    name: URIRef
    description: URIRef
    origin: URIRef
    retired: URIRef
    retired_in: URIRef
    title: URIRef
    kind: URIRef
    level: URIRef
    transform: URIRef
    context: URIRef
    validator: URIRef
    purposes: URIRef
    default_purpose: URIRef
    shared: URIRef
    permissions: URIRef
    requests_per_minute: URIRef
    tokens_per_minute: URIRef
    record_prompts: URIRef
    category: URIRef
    exemplars: URIRef
    threshold: URIRef
    positives: URIRef
    negatives: URIRef
    trains_on_data: URIRef
    retention_days: URIRef
    api_kind: URIRef
    base_url: URIRef
    key_env: URIRef
    api_version: URIRef
    api_region: URIRef
    api_auth: URIRef
    upstream_name: URIRef
    context_window: URIRef
    input_cost_per_mtok: URIRef
    output_cost_per_mtok: URIRef
    latency_ms: URIRef
    effect: URIRef
    priority: URIRef
    no_training: URIRef
    max_retention_days: URIRef
    block_output: URIRef
    review_ttl_minutes: URIRef
    cache_ttl_seconds: URIRef
    cache_semantic_threshold: URIRef
    cache_max_temperature: URIRef
    balances: URIRef
    balance_weights: URIRef
    tools_allow: URIRef
    tools_providers: URIRef
    tools_refused: URIRef
    threats: URIRef
    rank: URIRef
    content_hash: URIRef
    version: URIRef
    content: URIRef
    node_count: URIRef
    edge_count: URIRef
    author: URIRef
    message: URIRef
    status: URIRef
    created_at: URIRef
    outcome: URIRef
    tenant_id: URIRef
    purpose: URIRef
    prompt_sha256: URIRef
    principal_id: URIRef
    policy_version: URIRef
    intent_score: URIRef
    redacted_prompt: URIRef
    labels: URIRef
    record: URIRef
    sentence: URIRef
    code: URIRef
    http_status: URIRef
    detail: URIRef
    score: URIRef
    embedder: URIRef
    reason: URIRef
    count: URIRef
    attempt: URIRef
    # decision export and the provenance hash chain
    item_id: URIRef
    seq: URIRef
    hash: URIRef
    prev_hash: URIRef
    decision_ids: URIRef
    digests: URIRef
    at: URIRef
    batch_seq: URIRef
    # detection settings
    phone_regions: URIRef
    invalid_numbers: URIRef
    context_instructions: URIRef
    regex: URIRef
    base_score: URIRef
    checksum: URIRef
    cue_words: URIRef
    list_kind: URIRef
    values: URIRef
    # drift settings and checks
    CHECKED: URIRef
    BASELINE: URIRef
    ROLLBACK_TO: URIRef
    window_minutes: URIRef
    baseline_minutes: URIRef
    watch_hours: URIRef
    min_decisions: URIRef
    threat_score: URIRef
    metric: URIRef
    max_increase: URIRef
    max_ratio: URIRef
    action: URIRef
    # governance settings
    approvals_required: URIRef


PREFIXES: dict[str, Namespace] = {
    "gr": Namespace(str(GR)),
    "grsh": SHAPES,
    "dpv": DPV,
    "pd": DPV_PD,
    "prov": Namespace(str(PROV)),
    "odrl": Namespace(str(ODRL2)),
    "org": Namespace(str(ORG)),
    "skos": Namespace(str(SKOS)),
    "dct": Namespace(str(DCTERMS)),
}
"""The prefixes govroute's Turtle uses, for `Graph.bind`."""

# ':' is allowed in an IRI path and common in ids ('contract.summary:v2'); every
# other character outside the unreserved set is percent-encoded, as SPARQL's
# ENCODE_FOR_URI does, so shapes.ttl can rebuild the IRI from the id.
_SAFE = ":"


def node_iri(kind: str, node_id: str) -> URIRef:
    """The IRI of a graph node: ``https://govroute.dev/id/<Kind>/<id>``.

    `kind` is the node label (a class of `GR`); `node_id` the node's `id`.
    """
    if kind not in GR or not kind[:1].isupper() or kind.isupper():
        raise ValueError(f"{kind!r} is not a govroute node class")
    if not node_id:
        raise ValueError("a node id must not be empty")
    return ID[f"{kind}/{quote(node_id, safe=_SAFE)}"]


def node_key(iri: str) -> tuple[str, str]:
    """The (kind, id) a node IRI stands for; the inverse of `node_iri`."""
    if not iri.startswith(str(ID)):
        raise ValueError(f"{iri!r} is not a govroute node IRI (expected {ID}<Kind>/<id>)")
    kind, sep, encoded = iri[len(str(ID)) :].partition("/")
    if not sep or not encoded or "/" in encoded:
        raise ValueError(f"{iri!r} is not a govroute node IRI (expected {ID}<Kind>/<id>)")
    node_id = unquote(encoded)
    if str(node_iri(kind, node_id)) != iri:
        raise ValueError(
            f"{iri!r} is not a canonical govroute node IRI; expected {node_iri(kind, node_id)}"
        )
    return kind, node_id


def bind_prefixes(graph: Graph) -> Graph:
    """Bind govroute's usual prefixes on `graph` (for readable Turtle) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph
