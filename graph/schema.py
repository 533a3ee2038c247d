"""The graph's vocabulary and its schema: constraints and indexes, idempotent.

NODE_LABELS and RELATIONSHIP_TYPES are the single list of what the graph may
contain; the ontology (ontology/govroute.ttl) must name exactly the same things,
which tests/test_ontology.py checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, LiteralString

if TYPE_CHECKING:
    from graph.connection import GraphClient

Population = Callable[[float], None]
"""Told how far the indexes' population is, in percent (100: every index online)."""

NODE_LABELS: tuple[LiteralString, ...] = (
    "Tenant",
    "Purpose",
    "Principal",
    "Role",
    "ApiKey",
    "DataSource",
    "Document",
    "SensitivityLabel",
    "EntityType",
    "Intent",
    "ThreatCategory",
    "Capability",
    "Model",
    "Provider",
    "Region",
    "Jurisdiction",
    "Certification",
    "Policy",
    "PolicySet",
    "Decision",
    "PseudonymRestore",
    "ProvenanceBatch",
    "ProvenanceChain",
    "DetectionSettings",
    "DetectionRecognizer",
    "ValueList",
    "DriftSettings",
    "DriftLimit",
    "DriftCheck",
    "GovernanceSettings",
    "Approval",  # an admin's approval of a candidate PolicySet (lifecycle.versions)
    "AdminAction",
    "Review",  # a reviewer's verdict on a held decision (api/review/)
    "DecisionBucket",  # hourly decision counts for the console (graph/console_buckets.py)
    "LabelReceipt",  # decisions a provider received, per label signature (graph/label_receipts.py)
)

RELATIONSHIP_TYPES: tuple[LiteralString, ...] = (
    # identity
    "MEMBER_OF",  # Principal -> Tenant
    "BELONGS_TO",  # DataSource|Document|Role|Intent|Policy|ValueList -> Tenant (none: shared)
    "HAS_ROLE",  # Principal -> Role
    "IDENTIFIES",  # ApiKey -> Principal
    "CAN_ACCESS",  # Role -> DataSource {purposes}
    # data and lineage
    "PART_OF",  # Document -> DataSource
    "DERIVED_FROM",  # DataSource|Document -> DataSource|Document {transform, removes}
    "HAS_LABEL",  # DataSource|Document -> SensitivityLabel
    "SUBLABEL_OF",  # SensitivityLabel -> SensitivityLabel
    "INDICATES",  # EntityType -> SensitivityLabel
    "RESIDES_IN",  # DataSource -> Region
    # models and providers
    "REQUIRES",  # Intent -> Capability
    "HAS_CAPABILITY",  # Model -> Capability
    "OFFERED_BY",  # Model -> Provider
    "HOSTED_IN",  # Provider -> Region
    "IN",  # Region -> Jurisdiction
    "HOLDS",  # Provider -> Certification
    # policies
    "APPLIES_TO",  # Policy -> Intent|Role|Tenant
    "GOVERNS",  # Policy -> SensitivityLabel
    "REQUIRES_CERTIFICATION",  # Policy -> Certification
    "RESTRICTS_TO",  # Policy -> Jurisdiction|Region
    "FORBIDS",  # Policy -> Provider|Model
    "PREFERS",  # Policy -> Model|Provider {rank}
    # detection settings
    "DETECTS",  # DetectionRecognizer -> EntityType
    "MARKS",  # ValueList -> EntityType (a deny list's values are reported as it)
    "CONTAINS",  # PolicySet -> Policy
    "SUPERSEDES",  # PolicySet -> PolicySet (the version it replaced)
    # provenance, from each Decision
    "REQUESTED_BY",  # -> Principal
    "MATCHED",  # -> Intent {score, embedder}
    "APPLIED",  # -> Policy {effect, sentence, path}
    "EXPOSED",  # -> DataSource|Document {at, item_id}
    "WITHHELD",  # -> DataSource|Document {reason, code}
    "REDACTED",  # -> SensitivityLabel {count}
    "ROUTED_TO",  # -> Model {rank}
    "REJECTED",  # -> Model {reason}
    "UNDER",  # -> PolicySet
    "ATTEMPTED",  # -> Model {attempt, status, latency_ms, http_status, detail} (gateway calls)
    "RESTORED",  # -> PseudonymRestore (a pseudonym restored in the decision's answer)
    # pseudonym restores (api/vault/), answers' and detokenize's
    "RESTORED_FOR",  # PseudonymRestore -> Principal
    "OF_LABEL",  # PseudonymRestore -> SensitivityLabel
    # drift checks (lifecycle/drift_check.py)
    "CHECKED",  # DriftCheck -> PolicySet (the canary or new activation judged)
    "BASELINE",  # DriftCheck -> PolicySet (the version compared with)
    "ROLLBACK_TO",  # DriftCheck -> PolicySet (the version its rollback created)
    # the policy lifecycle (lifecycle.versions)
    "AUTHORED_BY",  # PolicySet -> Principal (a candidate staged with an admin key)
    "APPROVES",  # Approval -> PolicySet
    "APPROVED_BY",  # Approval -> Principal
    # the admin API's audit trail (graph/admin_audit.py)
    "PERFORMED_BY",  # AdminAction -> Principal
    "ACTED_ON",  # AdminAction -> PolicySet (the version the call named)
    "PRODUCED",  # AdminAction -> PolicySet (the version the call created)
    # human review (graph/review_queries.py)
    "REVIEWS",  # Review -> Decision (the held decision)
    "REVIEWED_BY",  # Review -> Principal (who approved or rejected it)
)

# Uniqueness on every node type's id; the constraint also gives the id index.
CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT tenant_id IF NOT EXISTS FOR (n:Tenant) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT purpose_id IF NOT EXISTS FOR (n:Purpose) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT principal_id IF NOT EXISTS FOR (n:Principal) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT role_id IF NOT EXISTS FOR (n:Role) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT apikey_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT datasource_id IF NOT EXISTS FOR (n:DataSource) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT label_id IF NOT EXISTS FOR (n:SensitivityLabel) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT entitytype_id IF NOT EXISTS FOR (n:EntityType) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT intent_id IF NOT EXISTS FOR (n:Intent) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT threatcategory_id IF NOT EXISTS "
    "FOR (n:ThreatCategory) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT capability_id IF NOT EXISTS FOR (n:Capability) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT model_id IF NOT EXISTS FOR (n:Model) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT provider_id IF NOT EXISTS FOR (n:Provider) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT jurisdiction_id IF NOT EXISTS FOR (n:Jurisdiction) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT certification_id IF NOT EXISTS FOR (n:Certification) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT policy_id IF NOT EXISTS FOR (n:Policy) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT policyset_id IF NOT EXISTS FOR (n:PolicySet) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT pseudonymrestore_id IF NOT EXISTS "
    "FOR (n:PseudonymRestore) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT detectionsettings_id IF NOT EXISTS "
    "FOR (n:DetectionSettings) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT detectionrecognizer_id IF NOT EXISTS "
    "FOR (n:DetectionRecognizer) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT valuelist_id IF NOT EXISTS FOR (n:ValueList) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT driftsettings_id IF NOT EXISTS FOR (n:DriftSettings) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT driftlimit_id IF NOT EXISTS FOR (n:DriftLimit) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT driftcheck_id IF NOT EXISTS FOR (n:DriftCheck) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT governancesettings_id IF NOT EXISTS "
    "FOR (n:GovernanceSettings) REQUIRE n.id IS UNIQUE",
    # An approval's id names the version and the approver: one approval per admin, by
    # construction as well as by the check before it is written.
    "CREATE CONSTRAINT approval_id IF NOT EXISTS FOR (n:Approval) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT adminaction_id IF NOT EXISTS FOR (n:AdminAction) REQUIRE n.id IS UNIQUE",
    # A review's id is its decision's: one hold per decision, whatever retries do.
    "CREATE CONSTRAINT review_id IF NOT EXISTS FOR (n:Review) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT decisionbucket_id IF NOT EXISTS "
    "FOR (n:DecisionBucket) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT labelreceipt_id IF NOT EXISTS FOR (n:LabelReceipt) REQUIRE n.id IS UNIQUE",
    # The provenance hash chain (graph/provenance_chain.py): one batch per seq, one head.
    "CREATE CONSTRAINT provenancebatch_seq IF NOT EXISTS "
    "FOR (n:ProvenanceBatch) REQUIRE n.seq IS UNIQUE",
    "CREATE CONSTRAINT provenancechain_id IF NOT EXISTS "
    "FOR (n:ProvenanceChain) REQUIRE n.id IS UNIQUE",
)

# Request-time and audit lookups beyond the id constraints.
INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX policyset_status IF NOT EXISTS FOR (n:PolicySet) ON (n.status)",
    "CREATE INDEX policyset_hash IF NOT EXISTS FOR (n:PolicySet) ON (n.content_hash)",
    "CREATE INDEX decision_created IF NOT EXISTS FOR (n:Decision) ON (n.created_at)",
    "CREATE INDEX decision_tenant IF NOT EXISTS FOR (n:Decision) ON (n.tenant_id)",
    "CREATE INDEX decision_outcome IF NOT EXISTS FOR (n:Decision) ON (n.outcome)",
    # drift checks read one version's decisions in a window (lifecycle.drift_check)
    "CREATE INDEX decision_version_created IF NOT EXISTS "
    "FOR (n:Decision) ON (n.policy_version, n.created_at)",
    "CREATE INDEX driftcheck_at IF NOT EXISTS FOR (n:DriftCheck) ON (n.at)",
    "CREATE INDEX decision_shadow IF NOT EXISTS FOR (n:Decision) ON (n.shadow_version)",
    "CREATE INDEX decision_batch IF NOT EXISTS FOR (n:Decision) ON (n.batch_seq)",
    "CREATE INDEX document_origin IF NOT EXISTS FOR (n:Document) ON (n.origin)",
    # The documents a catalog owns, read by every catalog load to find what disappeared.
    "CREATE INDEX document_catalog IF NOT EXISTS FOR (n:Document) ON (n.catalog)",
    "CREATE INDEX adminaction_started IF NOT EXISTS FOR (n:AdminAction) ON (n.started_at)",
    # the review queue: a tenant's pending holds, oldest first (graph/review_queries.py)
    "CREATE INDEX review_queue IF NOT EXISTS FOR (n:Review) ON (n.tenant_id, n.status)",
    "CREATE INDEX review_status IF NOT EXISTS FOR (n:Review) ON (n.status)",
    "CREATE INDEX review_notify IF NOT EXISTS FOR (n:Review) ON (n.notify)",
    # the console (graph/console_queries.py): a window's buckets by kind and hour
    "CREATE INDEX decisionbucket_kind_start IF NOT EXISTS "
    "FOR (n:DecisionBucket) ON (n.kind, n.start)",
    # audit query (a): one item's exposures, newest first, a page at a time (docs/audit.md)
    "CREATE INDEX exposed_item_at IF NOT EXISTS FOR ()-[e:EXPOSED]-() ON (e.item_id, e.at)",
)


# Renames since a graph may have been written, each idempotent (it matches nothing once
# applied), so a graph written by an earlier build reads as this one writes it.
MIGRATIONS: tuple[LiteralString, ...] = (
    # A value list's tenant was a FOR_TENANT edge before tenant scope had one name
    # everywhere. Left unread, a tenant's list would apply to every tenant.
    "MATCH (v:ValueList)-[old:FOR_TENANT]->(t:Tenant) MERGE (v)-[:BELONGS_TO]->(t) DELETE old",
)


def apply_schema(client: GraphClient, on_population: Population | None = None) -> None:
    """Create every constraint and index and apply the renames; every statement is
    idempotent, so re-runs are no-ops.

    A new index on a large graph populates for a while: `on_population`, if given,
    hears its progress (a few times a second) until every index is online. The wait
    itself, with its failure and its 300 s limit, is Neo4j's `db.awaitIndexes`."""
    for statement in (*CONSTRAINTS, *INDEXES):
        client.run_statement(statement)
    if on_population is not None:
        _watch_population(client, on_population)
    client.run_statement(AWAIT_INDEXES)
    for statement in MIGRATIONS:
        client.run_statement(statement)


def _watch_population(client: GraphClient, on_population: Population) -> None:
    deadline = time.monotonic() + AWAIT_LIMIT_S
    while True:
        [row] = client.run_statement(INDEX_POPULATION)
        on_population(float(row["percent"]) if row["populating"] else 100.0)
        if not row["populating"] or time.monotonic() > deadline:
            return  # db.awaitIndexes says what went wrong, if anything did
        time.sleep(POPULATION_POLL_S)


AWAIT_LIMIT_S = 300
AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"
POPULATION_POLL_S = 0.25
# The least populated index still populating (a FAILED one is db.awaitIndexes' to report).
INDEX_POPULATION: LiteralString = """
SHOW INDEXES YIELD state, populationPercent
WHERE state = 'POPULATING'
RETURN count(*) AS populating, coalesce(min(populationPercent), 100.0) AS percent
"""
