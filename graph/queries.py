"""Every Cypher statement govroute runs, as named constants taking $parameters.

The per-kind upserts and reads are assembled once, at import, from the fixed
LiteralString vocabulary in graph.content (never from input), so each still is a
constant string with parameters only. Request-time queries are written out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import LiteralString

from graph.content import POLICY_NODE_LABELS, RELATIONS, Relation

# ---------------------------------------------------------------- policy content (writes)


def _upsert_nodes(label: LiteralString) -> LiteralString:
    # SET n = row replaces every property: a field removed from the YAML disappears.
    return "UNWIND $rows AS row MERGE (n:" + label + " {id: row.id}) SET n = row"


def _by_origin(alias: LiteralString, label: LiteralString) -> LiteralString:
    # Documents can number in the millions (catalogs); policy-owned ones are found
    # through the origin index, or the planner may expand from the other end.
    return " USING INDEX " + alias + ":Document(origin) " if label == "Document" else " "


def _retire_missing(label: LiteralString) -> LiteralString:
    # Nodes dropped from the policy content are retired, never deleted, so the
    # provenance edges of past decisions that point at them survive.
    return (
        "MATCH (n:" + label + ")" + _by_origin("n", label) + "WHERE n.origin = 'policy' "
        "AND NOT n.id IN $ids "
        "AND NOT coalesce(n.retired, false) SET n.retired = true, n.retired_in = $version "
        "RETURN count(n) AS retired"
    )


def _delete_edges(rel: Relation) -> LiteralString:
    return (
        "MATCH (a:"
        + rel.source
        + ")-[r:"
        + rel.type
        + "]->(b:"
        + rel.target
        + ")"
        + _by_origin("a", rel.source)
        + "WHERE a.origin = 'policy' DELETE r"
    )


def _create_edges(rel: Relation) -> LiteralString:
    return (
        "UNWIND $rows AS row "
        "MATCH (a:" + rel.source + " {id: row.source}) "
        "MATCH (b:" + rel.target + " {id: row.target}) "
        "CREATE (a)-[r:" + rel.type + "]->(b) SET r = row.props"
    )


def _read_nodes(label: LiteralString) -> LiteralString:
    return (
        "MATCH (n:" + label + ")" + _by_origin("n", label) + "WHERE n.origin = 'policy' "
        "AND NOT coalesce(n.retired, false) RETURN properties(n) AS row ORDER BY n.id"
    )


def _read_edges(rel: Relation) -> LiteralString:
    return (
        "MATCH (a:"
        + rel.source
        + ")-[r:"
        + rel.type
        + "]->(b:"
        + rel.target
        + ")"
        + _by_origin("a", rel.source)
        + "WHERE a.origin = 'policy' AND NOT coalesce(a.retired, false) "
        "AND NOT coalesce(b.retired, false) "
        "RETURN a.id AS source, b.id AS target, properties(r) AS props "
        "ORDER BY source, target"
    )


UPSERT_NODES: Mapping[str, LiteralString] = {k: _upsert_nodes(k) for k in POLICY_NODE_LABELS}
RETIRE_MISSING: Mapping[str, LiteralString] = {k: _retire_missing(k) for k in POLICY_NODE_LABELS}
READ_NODES: Mapping[str, LiteralString] = {k: _read_nodes(k) for k in POLICY_NODE_LABELS}
DELETE_EDGES: Mapping[str, LiteralString] = {r.key: _delete_edges(r) for r in RELATIONS}
CREATE_EDGES: Mapping[str, LiteralString] = {r.key: _create_edges(r) for r in RELATIONS}
READ_EDGES: Mapping[str, LiteralString] = {r.key: _read_edges(r) for r in RELATIONS}

# ---------------------------------------------------------------- policy sets

ACTIVE_POLICY_SET: LiteralString = """
MATCH (ps:PolicySet {status: 'active'})
RETURN ps {.*, content: null} AS ps ORDER BY ps.version DESC LIMIT 1
"""

# Also a cheap change detector for serving processes: any load (policy or catalog)
# bumps the highest version.
# A real round trip for liveness probes (the driver's connectivity check may not ask).
PING: LiteralString = "RETURN 1 AS ok"

MAX_POLICY_SET_VERSION: LiteralString = """
MATCH (ps:PolicySet) RETURN coalesce(max(ps.version), 0) AS version
"""

# What serving processes watch: any load bumps the highest version, and activating a
# candidate older than the newest one (v5 staged, v6 staged, v5 activated) changes
# which version is active without bumping it.
POLICY_GENERATION: LiteralString = """
MATCH (ps:PolicySet)
RETURN coalesce(max(ps.version), 0) AS version,
       coalesce(max(CASE WHEN ps.status = 'active' THEN ps.version END), 0) AS active
"""

# Creating the new version and retiring the previous one in the same transaction
# as the content keeps "which version is active" and "what the graph says" in step.
CREATE_POLICY_SET: LiteralString = """
OPTIONAL MATCH (prev:PolicySet {status: 'active'})
SET prev.status = 'retired'
WITH collect(prev) AS previous
CREATE (ps:PolicySet {
  id: $id, version: $version, content_hash: $content_hash, author: $author,
  message: $message, created_at: datetime($created_at), status: 'active',
  content: $content, node_count: $node_count, edge_count: $edge_count,
  activated_at: datetime($created_at), activated_by: $author,
  previous_version: $previous_version
})
SET ps += $provenance
FOREACH (p IN previous | CREATE (ps)-[:SUPERSEDES]->(p))
WITH ps
UNWIND $policy_ids AS pid
MATCH (pol:Policy {id: pid})
CREATE (ps)-[:CONTAINS]->(pol)
RETURN count(*) AS contained
"""

# A candidate is content recorded, not applied: no node or edge changes until it is
# activated, so the active version keeps serving. `base_version` is the version that
# was active when it was staged (what its diff and its approvals were about).
CREATE_CANDIDATE: LiteralString = """
OPTIONAL MATCH (active:PolicySet {status: 'active'})
WITH max(active.version) AS base
OPTIONAL MATCH (any:PolicySet) WITH base, coalesce(max(any.version), 0) + 1 AS version
CREATE (ps:PolicySet {
  id: 'policyset-v' + toString(version), version: version, kind: 'policy',
  content_hash: $content_hash, author: $author, message: $message,
  created_at: datetime($created_at), status: 'candidate', base_version: base,
  content: $content, node_count: $node_count, edge_count: $edge_count,
  author_id: $author_id
})
WITH ps
OPTIONAL MATCH (p:Principal {id: $author_id})
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | CREATE (ps)-[:AUTHORED_BY]->(x))
RETURN ps {.*, content: null} AS ps
"""

# The one candidate under shadow or canary, if any (lifecycle: at most one at a time).
ROLLOUT_CANDIDATE: LiteralString = """
MATCH (ps:PolicySet {status: 'candidate'}) WHERE ps.rollout IS NOT NULL
RETURN ps {.*, content: null} AS ps ORDER BY ps.version DESC LIMIT 1
"""

# Starting a rollout stops any other: the previous one is recorded as replaced.
SET_ROLLOUT: LiteralString = """
MATCH (ps:PolicySet {version: $version, status: 'candidate'})
OPTIONAL MATCH (other:PolicySet {status: 'candidate'})
  WHERE other.rollout IS NOT NULL AND other.version <> $version
SET other.rollout = null, other.rollout_ended = datetime($at),
    other.rollout_end_reason = 'replaced by the rollout of v' + toString($version)
WITH DISTINCT ps
SET ps.rollout = $mode, ps.canary_percent = $percent, ps.canary_tenants = $tenants,
    ps.canary_principals = $principals, ps.rollout_since = datetime($at),
    ps.rollout_by = $by, ps.rollout_ended = null, ps.rollout_end_reason = null
RETURN ps {.*, content: null} AS ps
"""

END_ROLLOUT: LiteralString = """
MATCH (ps:PolicySet {version: $version}) WHERE ps.rollout IS NOT NULL
SET ps.rollout = null, ps.rollout_ended = datetime($at), ps.rollout_end_reason = $reason
RETURN ps {.*, content: null} AS ps
"""

LIST_POLICY_SETS: LiteralString = """
MATCH (ps:PolicySet)
RETURN ps.id AS id, ps.version AS version, ps.content_hash AS content_hash,
       ps.author AS author, ps.message AS message, toString(ps.created_at) AS created_at,
       ps.status AS status, ps.node_count AS node_count, ps.edge_count AS edge_count,
       coalesce(ps.kind, 'policy') AS kind
ORDER BY ps.version DESC
"""

POLICY_SET_BY_VERSION: LiteralString = """
MATCH (ps:PolicySet {version: $version}) RETURN properties(ps) AS ps
"""

# ---------------------------------------------------------------- cross-checks before a load

# Catalog documents (bulk-loaded, not part of policy content) must keep pointing
# at things the new policy content still has.
# Starts from the few targets the new content drops, never from the catalog's millions.
CATALOG_DANGLING_REFERENCES: LiteralString = """
CALL () {
  MATCH (t:DataSource) WHERE t.origin = 'policy' AND NOT coalesce(t.retired, false)
    AND NOT t.id IN $data_sources
  RETURN t
  UNION
  MATCH (t:SensitivityLabel) WHERE NOT coalesce(t.retired, false) AND NOT t.id IN $labels
  RETURN t
  UNION
  MATCH (t:Document) USING INDEX t:Document(origin)
  WHERE t.origin = 'policy' AND NOT coalesce(t.retired, false) AND NOT t.id IN $documents
  RETURN t
}
MATCH (d:Document)-[r:PART_OF|HAS_LABEL|DERIVED_FROM]->(t)
WHERE coalesce(d.origin, 'catalog') <> 'policy'
RETURN d.id AS document, type(r) AS relation, t.id AS target
LIMIT 50
"""

# A policy document must not silently take over a bulk-loaded catalog document.
CATALOG_ID_COLLISIONS: LiteralString = """
UNWIND $ids AS doc_id
MATCH (d:Document {id: doc_id})
WHERE coalesce(d.origin, 'catalog') <> 'policy'
RETURN d.id AS id LIMIT 50
"""

COUNT_NODES: LiteralString = """
MATCH (n) RETURN labels(n)[0] AS kind, count(*) AS count ORDER BY kind
"""

# ---------------------------------------------------------------- maintenance (tests, demo)

DELETE_ALL_BATCH: LiteralString = """
MATCH (n) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted
"""

# ---------------------------------------------------------------- request time

# Caller identity: API key hash -> principal, tenant, roles, and the rate limits the
# graph sets on the principal and its tenant (null where unset). Retired keys do not
# authenticate.
PRINCIPAL_BY_KEY: LiteralString = """
MATCH (k:ApiKey {id: $key_hash})-[:IDENTIFIES]->(p:Principal)-[:MEMBER_OF]->(t:Tenant)
WHERE NOT coalesce(k.retired, false) AND NOT coalesce(p.retired, false)
OPTIONAL MATCH (p)-[:HAS_ROLE]->(r:Role)
WHERE NOT coalesce(r.retired, false)
WITH p, t, collect(r) AS roles
RETURN p.id AS id, p.name AS name, t.id AS tenant, [r IN roles | r.id] AS roles,
       reduce(acc = [], r IN roles | acc + coalesce(r.permissions, [])) AS permissions,
       p.default_purpose AS default_purpose,
       [r IN roles WHERE r.default_purpose IS NOT NULL | r.default_purpose] AS role_purposes,
       p.requests_per_minute AS principal_rpm, p.tokens_per_minute AS principal_tpm,
       t.requests_per_minute AS tenant_rpm, t.tokens_per_minute AS tenant_tpm,
       coalesce(t.record_prompts, false) AS record_prompts
"""

LINEAGE_MAX_HOPS = 20
"""How far every lineage walk below follows PART_OF|DERIVED_FROM (`*0..20` in each;
checked at the end of this module): deeper chains are a modelling error, not data.
engine.lineage is given the same bound when it finds paths in a walked subgraph."""

# The upstream lineage subgraph of node x: every node it reaches (itself included)
# once, with its labels and its outgoing lineage edges and what each transform
# removes; engine.lineage finds the paths in it. Only distinct nodes are asked for,
# so the planner walks breadth-first with pruning instead of enumerating paths,
# which a lineage DAG has exponentially many of (67 ms against 2.4 ms an item over a
# 20,000-document catalog).
_UPSTREAM_OF_X: LiteralString = """
CALL (x) {
  OPTIONAL MATCH (x)-[:PART_OF|DERIVED_FROM*0..20]->(n)
  WITH DISTINCT n WHERE n IS NOT NULL
  RETURN collect({
    key: labels(n)[0] + ':' + n.id,
    retired: coalesce(n.retired, false),
    labels: [(n)-[:HAS_LABEL]->(l:SensitivityLabel) WHERE NOT coalesce(l.retired, false) | l.id],
    out: [(n)-[r:PART_OF|DERIVED_FROM]->(m) |
          {target: labels(m)[0] + ':' + m.id, type: type(r), removes: coalesce(r.removes, [])}]
  }) AS upstream
}
"""

# Everything the core needs about the referenced items, in one round trip: what each
# id is, which DataSource governs access to it, its upstream lineage subgraph, and
# the caller's roles' grants. Scoped to the caller's $tenant: an item of another tenant
# (its own BELONGS_TO, else its data source's) comes back exactly as an unknown id
# does, and nothing about it (labels, lineage, grants) leaves the graph.
ITEM_FACTS: LiteralString = (
    """
UNWIND $ids AS item_id
OPTIONAL MATCH (d:Document {id: item_id}) WHERE NOT coalesce(d.retired, false)
OPTIONAL MATCH (s:DataSource {id: item_id}) WHERE NOT coalesce(s.retired, false)
WITH item_id, coalesce(d, s) AS x
OPTIONAL MATCH (x)-[:PART_OF]->(owner:DataSource)
WITH item_id, x, CASE WHEN x:DataSource THEN x ELSE owner END AS source
OPTIONAL MATCH (x)-[:BELONGS_TO]->(own:Tenant)
OPTIONAL MATCH (source)-[:BELONGS_TO]->(via:Tenant)
WITH item_id, x, source, coalesce(own.id, via.id, '') AS tenant
WITH item_id, tenant IN ['', $tenant] AS visible, x, source, tenant
WITH item_id, CASE WHEN visible THEN x END AS x, CASE WHEN visible THEN source END AS source,
     CASE WHEN visible THEN tenant ELSE '' END AS tenant
"""
    + _UPSTREAM_OF_X
    + """CALL (source) {
  OPTIONAL MATCH (role:Role)-[g:CAN_ACCESS]->(source)
  WHERE role.id IN $roles AND NOT coalesce(role.retired, false)
  WITH role, g WHERE role IS NOT NULL
  RETURN collect({role: role.id, purposes: g.purposes}) AS grants
}
RETURN item_id, x IS NOT NULL AS found,
       CASE WHEN x IS NULL THEN '' ELSE labels(x)[0] END AS kind,
       coalesce(source.id, '') AS source, upstream, grants, tenant
"""
)


# ---------------------------------------------------------------- provenance

# Decisions and their edges: graph/provenance_queries.py (WRITE_DECISIONS).

WRITE_ATTEMPTS: LiteralString = """
UNWIND $rows AS a
MATCH (x:Decision {id: a.decision_id})
MATCH (m:Model {id: a.model_id})
MERGE (x)-[r:ATTEMPTED {attempt: a.attempt}]->(m)
SET r.status = a.status, r.latency_ms = a.latency_ms, r.http_status = a.http_status,
    r.detail = a.detail
"""

# A pseudonym restored for a caller (api/vault/): who, when, which pseudonym and label,
# never the value. An answer's restore hangs off its Decision (RESTORED), so the
# decision's provenance lists it; a detokenize stands alone, linked to who asked.
WRITE_RESTORES: LiteralString = """
UNWIND $rows AS r
MERGE (x:PseudonymRestore {id: r.id})
ON CREATE SET x.at = datetime(r.at), x.kind = r.kind, x.tenant_id = r.tenant_id,
  x.principal_id = r.principal_id, x.scope = r.scope, x.pseudonym = r.pseudonym,
  x.entity_type = r.entity_type, x.label = r.label, x.decision_id = r.decision_id
WITH x, r
CALL (x, r) {
  MATCH (p:Principal {id: r.principal_id}) MERGE (x)-[:RESTORED_FOR]->(p)
}
CALL (x, r) {
  MATCH (l:SensitivityLabel {id: r.label}) MERGE (x)-[:OF_LABEL]->(l)
}
CALL (x, r) {
  MATCH (d:Decision {id: r.decision_id}) MERGE (d)-[:RESTORED]->(x)
}
"""

# Restores recorded for a tenant, newest first (auditors: "who read which pseudonyms").
READ_RESTORES: LiteralString = """
MATCH (x:PseudonymRestore {tenant_id: $tenant_id})
RETURN x.id AS id, toString(x.at) AS at, x.kind AS kind, x.principal_id AS principal_id,
       x.scope AS scope, x.pseudonym AS pseudonym, x.entity_type AS entity_type,
       x.label AS label, x.decision_id AS decision_id
ORDER BY x.at DESC LIMIT $limit
"""

READ_DECISION: LiteralString = """
MATCH (x:Decision {id: $id})
OPTIONAL MATCH (x)-[r]->(n)
WITH x, r, n ORDER BY type(r), n.id
RETURN x.record AS record, x.tenant_id AS tenant_id,
       CASE WHEN x.shadow_version IS NULL THEN NULL ELSE {
         version: x.shadow_version, outcome: x.shadow_outcome, kinds: x.shadow_kinds,
         policies: x.shadow_policies, intent: x.shadow_intent, at: toString(x.shadow_at)
       } END AS shadow,
       [e IN collect(CASE WHEN r IS NULL THEN NULL ELSE {
          type: type(r), kind: labels(n)[0], id: n.id, props: properties(r)} END)
        WHERE e IS NOT NULL] AS edges
"""

# ---- lineage (architects and auditors)

# Lineage reads for notebooks and audits (graph.lineage). Paths follow PART_OF and
# DERIVED_FROM up to LINEAGE_MAX_HOPS; retired nodes are never part of a path. Items are looked
# up by id as a Document or a DataSource through the id constraints (index seeks).

# The upstream subgraph of each live item (the request-time walk of ITEM_FACTS), for
# labels and their paths; engine.lineage decides which paths survive.
LINEAGE_UPSTREAM: LiteralString = (
    """
UNWIND $ids AS item_id
OPTIONAL MATCH (d:Document {id: item_id}) WHERE NOT coalesce(d.retired, false)
OPTIONAL MATCH (s:DataSource {id: item_id}) WHERE NOT coalesce(s.retired, false)
WITH item_id, coalesce(d, s) AS x
WHERE x IS NOT NULL
"""
    + _UPSTREAM_OF_X
    + """
RETURN item_id, labels(x)[0] + ':' + item_id AS key, upstream
"""
)

# Every path from each item to one target node (an impact question's hypothetical holder).
LINEAGE_PATHS_TO: LiteralString = """
OPTIONAL MATCH (td:Document {id: $target})
OPTIONAL MATCH (ts:DataSource {id: $target})
WITH coalesce(td, ts) AS target
WHERE target IS NOT NULL AND NOT coalesce(target.retired, false)
UNWIND $ids AS item_id
OPTIONAL MATCH (d:Document {id: item_id})
OPTIONAL MATCH (s:DataSource {id: item_id})
WITH item_id, coalesce(d, s) AS item, target
WHERE item IS NOT NULL
MATCH p = (item)-[:PART_OF|DERIVED_FROM*0..20]->(target)
WHERE none(n IN nodes(p) WHERE coalesce(n.retired, false))
RETURN item_id,
       [n IN nodes(p) | CASE WHEN n:Document THEN 'Document:' ELSE 'DataSource:' END + n.id]
         AS nodes,
       [r IN relationships(p) | type(r)] AS types,
       [r IN relationships(p) | coalesce(r.removes, [])] AS removes
"""

# One page of candidate inheritors of a label: items that reach a holder of the label or
# of any sublabel, ordered by id after the $after cursor. Only endpoints are returned,
# so the planner can expand breadth-first and visit each node once per holder instead
# of enumerating paths; the paths of the page come from LINEAGE_UPSTREAM. A
# transform that removes the label or a broader one ($blocked: the label's ancestry)
# ends every path of the family, so the walk does not cross it; narrower removals are
# left to the engine, which decides on the page's paths.
LINEAGE_ITEMS_REACHING_LABEL: LiteralString = """
MATCH (top:SensitivityLabel {id: $label})
MATCH (l:SensitivityLabel)-[:SUBLABEL_OF*0..20]->(top)
MATCH (holder)-[:HAS_LABEL]->(l)
WHERE (holder:Document OR holder:DataSource) AND NOT coalesce(holder.retired, false)
WITH DISTINCT holder
MATCH (item)-[hops:PART_OF|DERIVED_FROM*0..20]->(holder)
WHERE all(r IN hops WHERE none(x IN coalesce(r.removes, []) WHERE x IN $blocked))
  AND item.id > $after AND NOT coalesce(item.retired, false)
RETURN DISTINCT item.id AS id
ORDER BY id
LIMIT $limit
"""

# One page of the items that reach one node (itself included), ordered by id, not
# crossing transforms that remove the hypothetical label or a broader one ($blocked).
LINEAGE_ITEMS_REACHING_ITEM: LiteralString = """
OPTIONAL MATCH (td:Document {id: $target})
OPTIONAL MATCH (ts:DataSource {id: $target})
WITH coalesce(td, ts) AS target
WHERE target IS NOT NULL AND NOT coalesce(target.retired, false)
MATCH (item)-[hops:PART_OF|DERIVED_FROM*0..20]->(target)
WHERE all(r IN hops WHERE none(x IN coalesce(r.removes, []) WHERE x IN $blocked))
  AND item.id > $after AND NOT coalesce(item.retired, false)
RETURN DISTINCT item.id AS id
ORDER BY id
LIMIT $limit
"""

LINEAGE_LABEL_EXISTS: LiteralString = """
MATCH (l:SensitivityLabel {id: $label}) WHERE NOT coalesce(l.retired, false)
RETURN l.id AS id
"""

# The subgraph is walked breadth-first, one hop per query, from element ids found in the
# same read transaction: the depth stays a parameter and the rows are edges, not paths.
LINEAGE_NODES: LiteralString = """
UNWIND $ids AS item_id
OPTIONAL MATCH (d:Document {id: item_id})
OPTIONAL MATCH (s:DataSource {id: item_id})
WITH coalesce(d, s) AS n
WHERE n IS NOT NULL AND NOT coalesce(n.retired, false)
RETURN elementId(n) AS element,
       CASE WHEN n:Document THEN 'Document' ELSE 'DataSource' END AS kind,
       n.id AS id, coalesce(n.name, n.title, n.id) AS name,
       [(n)-[:HAS_LABEL]->(l:SensitivityLabel) WHERE NOT coalesce(l.retired, false) | l.id]
         AS labels
ORDER BY id
"""

LINEAGE_UPSTREAM_HOP: LiteralString = """
UNWIND $elements AS start
MATCH (n) WHERE elementId(n) = start
MATCH (n)-[r:PART_OF|DERIVED_FROM]->(m)
WHERE NOT coalesce(m.retired, false)
RETURN start AS origin, type(r) AS type, coalesce(r.transform, '') AS transform,
       coalesce(r.removes, []) AS removes, elementId(m) AS element,
       CASE WHEN m:Document THEN 'Document' ELSE 'DataSource' END AS kind,
       m.id AS id, coalesce(m.name, m.title, m.id) AS name,
       [(m)-[:HAS_LABEL]->(l:SensitivityLabel) WHERE NOT coalesce(l.retired, false) | l.id]
         AS labels
ORDER BY id, type
LIMIT $limit
"""

LINEAGE_DOWNSTREAM_HOP: LiteralString = """
UNWIND $elements AS start
MATCH (n) WHERE elementId(n) = start
MATCH (n)<-[r:PART_OF|DERIVED_FROM]-(m)
WHERE NOT coalesce(m.retired, false)
RETURN start AS origin, type(r) AS type, coalesce(r.transform, '') AS transform,
       coalesce(r.removes, []) AS removes, elementId(m) AS element,
       CASE WHEN m:Document THEN 'Document' ELSE 'DataSource' END AS kind,
       m.id AS id, coalesce(m.name, m.title, m.id) AS name,
       [(m)-[:HAS_LABEL]->(l:SensitivityLabel) WHERE NOT coalesce(l.retired, false) | l.id]
         AS labels
ORDER BY id, type
LIMIT $limit
"""

# ---- catalog (bulk documents and lineage)
# Catalog documents carry origin 'catalog'. Every node and relationship a catalog
# load creates is tagged ON CREATE with that load's load_id, so a load that fails
# half-way can delete exactly what it made (graph.catalog_store). All writes are
# MERGEs: re-running the same rows changes nothing.

CATALOG_DATA_SOURCE_IDS: LiteralString = """
MATCH (s:DataSource) WHERE NOT coalesce(s.retired, false)
OPTIONAL MATCH (s)-[:BELONGS_TO]->(t:Tenant)
RETURN s.id AS id, t.id AS tenant
"""

CATALOG_LABEL_IDS: LiteralString = """
MATCH (l:SensitivityLabel) WHERE NOT coalesce(l.retired, false) RETURN l.id AS id
"""

# Documents a catalog may not take over: policy-owned ones, retired or not.
CATALOG_FOREIGN_DOCUMENTS: LiteralString = """
MATCH (d:Document) WHERE coalesce(d.origin, 'catalog') <> 'catalog'
RETURN d.id AS id, d.origin AS origin
"""

CATALOG_LIVE_DOCUMENTS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id}) WHERE NOT coalesce(d.retired, false)
OPTIONAL MATCH (d)-[:BELONGS_TO]->(own:Tenant)
OPTIONAL MATCH (d)-[:PART_OF]->(:DataSource)-[:BELONGS_TO]->(via:Tenant)
RETURN d.id AS id, coalesce(own.id, via.id) AS tenant
"""

CATALOG_UPSTREAM_DOCUMENTS: LiteralString = """
UNWIND $ids AS id
MATCH (:Document {id: id})-[:DERIVED_FROM]->(u:Document)
RETURN id AS document, u.id AS upstream
"""

# Which of the listed documents the graph lacks or holds differently, compared on
# the server. Each row is one string (the driver packs a string ~20x faster than a
# map): 'i RS id RS source RS labels RS lineage RS title', RS = \u001e, list items
# separated by \u001d, a lineage edge 'Kind:target US transform US removes' with
# US = \u001f and removes joined by ';' in stored (sorted) order. Catalog cells
# never hold these control characters (loaders.catalog refuses them). A document owned
# by another catalog (or retired) differs too: the load takes it over (or back).
CATALOG_CHANGED_DOCUMENTS: LiteralString = """
UNWIND $rows AS packed
WITH split(packed, '\u001e') AS f
WITH toInteger(f[0]) AS i, f[1] AS id, f[2] AS source, f[5] AS title,
     CASE f[3] WHEN '' THEN [] ELSE split(f[3], '\u001d') END AS want_labels,
     CASE f[4] WHEN '' THEN [] ELSE split(f[4], '\u001d') END AS want_lineage
OPTIONAL MATCH (d:Document {id: id})
WITH i, d, source, title, want_labels, want_lineage,
     [(d)-[:PART_OF]->(s) | CASE WHEN s:DataSource THEN s.id ELSE '' END] AS sources,
     [(d)-[:HAS_LABEL]->(l) | CASE WHEN l:SensitivityLabel THEN l.id ELSE '' END] AS labels,
     [(d)-[r:DERIVED_FROM]->(u) |
        CASE WHEN u:Document THEN 'Document:' WHEN u:DataSource THEN 'DataSource:' ELSE ':' END
        + coalesce(u.id, '') + '\u001f' + coalesce(r.transform, '') + '\u001f'
        + reduce(acc = '', x IN coalesce(r.removes, []) |
                 acc + CASE WHEN acc = '' THEN '' ELSE ';' END + x)] AS lineage
WITH i, d
WHERE d IS NULL
   OR coalesce(d.title, '') <> title
   OR coalesce(d.catalog, '') <> $catalog OR coalesce(d.retired, false)
   OR sources <> [source]
   OR size(labels) <> size(want_labels) OR any(x IN labels WHERE NOT x IN want_labels)
   OR size(lineage) <> size(want_lineage) OR any(x IN lineage WHERE NOT x IN want_lineage)
RETURN collect(CASE WHEN d IS NULL THEN i END) AS created,
       collect(CASE WHEN d IS NOT NULL THEN i END) AS changed
"""

# What the graph holds for the documents a catalog lists, in the catalog's terms
# (read for the documents a load changes: compensation writes it back).
CATALOG_DOCUMENT_STATE: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id AS id, d.title AS title, d.origin AS origin, d.catalog AS catalog,
       d.load_id AS load_id, d.retired AS retired, d.retired_by AS retired_by,
       [(d)-[r:PART_OF]->(s:DataSource) | [s.id, r.load_id]] AS part_of,
       [(d)-[r:HAS_LABEL]->(l:SensitivityLabel) | [l.id, r.load_id]] AS labels,
       [(d)-[r:DERIVED_FROM]->(u) WHERE u:Document OR u:DataSource |
         [CASE WHEN u:Document THEN 'Document' ELSE 'DataSource' END, u.id,
          r.transform, r.removes, r.load_id]] AS lineage
"""

# One statement per batch writes the nodes, PART_OF and HAS_LABEL (measured: about
# three times faster than a statement each). A document some other writer owns
# (origin not 'catalog') is left alone and not counted: the caller compares the
# count, names the documents (CATALOG_FOREIGN_AMONG) and fails the load. Edge
# load_ids, the owning catalog and retirement come from the row only when compensation
# restores a document as it was. New documents: graph/catalog_queries.py (CREATE).
CATALOG_WRITE_DOCUMENTS: LiteralString = """
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
ON CREATE SET d.origin = 'catalog', d.load_id = coalesce(row.load_id, $load_id)
WITH d, row WHERE coalesce(d.origin, 'catalog') = 'catalog'
SET d.origin = 'catalog', d.title = row.title, d.catalog = coalesce(row.catalog, $catalog),
    d.retired = row.retired, d.retired_by = row.retired_by
WITH d, row
MATCH (s:DataSource {id: row.source})
MERGE (d)-[p:PART_OF]->(s)
ON CREATE SET p.load_id = coalesce(row.part_of_load_id, $load_id)
WITH d, row
CALL (d, row) {
  UNWIND row.labels AS label
  MATCH (l:SensitivityLabel {id: label.id})
  MERGE (d)-[r:HAS_LABEL]->(l)
  ON CREATE SET r.load_id = coalesce(label.load_id, $load_id)
  RETURN count(r) AS labels
}
RETURN count(d) AS written, sum(labels) AS labels
"""

CATALOG_FOREIGN_AMONG: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id}) WHERE coalesce(d.origin, 'catalog') <> 'catalog'
RETURN d.id AS id, d.origin AS origin
"""

CATALOG_DELETE_STALE_PART_OF: LiteralString = """
UNWIND $rows AS row
MATCH (:Document {id: row.id})-[r:PART_OF]->(s)
WHERE NOT (s:DataSource AND s.id = row.source)
DELETE r
"""

CATALOG_DELETE_STALE_LABELS: LiteralString = """
UNWIND $rows AS row
MATCH (:Document {id: row.id})-[r:HAS_LABEL]->(l)
WHERE NOT (l:SensitivityLabel AND l.id IN [x IN row.labels | x.id])
DELETE r
"""

# An upstream is keyed 'Document:<id>' or 'DataSource:<id>': ids are unique per kind only.
CATALOG_DELETE_STALE_LINEAGE: LiteralString = """
UNWIND $rows AS row
MATCH (:Document {id: row.id})-[r:DERIVED_FROM]->(u)
WHERE NOT (CASE WHEN u:Document THEN 'Document:' WHEN u:DataSource THEN 'DataSource:' ELSE '' END
           + u.id) IN [x IN row.lineage | x.kind + ':' + x.target]
DELETE r
"""

CATALOG_WRITE_LINEAGE: LiteralString = """
UNWIND $rows AS row
MATCH (d:Document {id: row.id})
UNWIND row.lineage AS up
CALL (up) {
  MATCH (u:Document {id: up.target}) WHERE up.kind = 'Document' RETURN u
  UNION
  MATCH (u:DataSource {id: up.target}) WHERE up.kind = 'DataSource' RETURN u
}
MERGE (d)-[r:DERIVED_FROM]->(u)
ON CREATE SET r.load_id = coalesce(up.load_id, $load_id)
SET r.transform = up.transform, r.removes = up.removes
RETURN count(r) AS merged
"""

# Compensation: only nodes this load created carry its load_id.
CATALOG_DELETE_CREATED_DOCUMENTS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id}) WHERE d.load_id = $load_id
DETACH DELETE d
RETURN count(*) AS deleted
"""

CATALOG_POLICY_SET_BY_HASH: LiteralString = """
MATCH (ps:PolicySet {content_hash: $content_hash}) WHERE ps.kind = 'catalog'
RETURN properties(ps) AS ps ORDER BY ps.version DESC LIMIT 1
"""

# A catalog version is recorded next to the policy versions (one version sequence)
# with status 'applied': it never becomes or replaces the 'active' policy version.
CREATE_CATALOG_POLICY_SET: LiteralString = """
OPTIONAL MATCH (prev:PolicySet)
WITH coalesce(max(prev.version), 0) + 1 AS version
CREATE (ps:PolicySet {
  id: 'policyset-v' + toString(version), kind: 'catalog', version: version,
  status: 'applied', content_hash: $content_hash, author: $author, message: $message,
  created_at: datetime($created_at), load_id: $load_id, source: $source,
  node_count: $node_count, edge_count: $edge_count,
  documents: $documents, lineage: $lineage, written: $written
})
RETURN properties(ps) AS ps
"""

# The whole graph, for a before/after fingerprint (tests and bench/catalog_load.py).
FINGERPRINT_NODES: LiteralString = """
MATCH (n) RETURN labels(n) AS labels, properties(n) AS props
"""

FINGERPRINT_RELATIONSHIPS: LiteralString = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, labels(a) AS a_labels, a.id AS a_id, labels(b) AS b_labels,
       b.id AS b_id, properties(r) AS props
"""

# ---- auditor queries (docs/audit.md)

# Pasted into Neo4j Browser by auditors (set the parameter first, e.g.
# `:param source => 'crm-eu'`), and run by tests/test_audit_queries.py. They read
# only what provenance wrote (graph.provenance) plus the label hierarchy and the
# Model -> Provider edges of the policy content.

# (a) Decisions that exposed a data source, or a document PART_OF it, newest first: one
# page of $limit rows after the cursor $after (null for the first page, else the last
# row's {created_at, decision, exposed}). Each item's exposures are read from the
# `exposed_item_at` index (EXPOSED {item_id, at}) newest first, so a page costs its
# items' index seeks and $limit rows however many decisions exposed the source; ties on
# created_at are broken by decision id, then by the exposed item.
AUDIT_DECISIONS_EXPOSING_SOURCE: LiteralString = """
MATCH (s:DataSource {id: $source})
CALL (s) {
  RETURN s AS item
  UNION
  MATCH (d:Document)-[:PART_OF]->(s)
  RETURN d AS item
}
WITH item, item.id AS item_id, labels(item)[0] + ':' + item.id AS exposed,
     // the cursor's time at offset Z as stored: a zone-named UTC time (what a driver
     // sends back) would not compare equal to the stored one
     CASE WHEN $after IS NULL THEN datetime('+999999999-12-31T23:59:59Z')
          ELSE datetime({datetime: datetime($after.created_at), timezone: 'Z'}) END AS until
CALL (item, item_id, exposed, until) {
  MATCH (x:Decision)-[e:EXPOSED]->(t)
  USING INDEX e:EXPOSED(item_id, at)
  WHERE e.item_id = item_id AND e.at <= until AND t = item
    AND (e.at < until OR x.id > $after.decision
         OR (x.id = $after.decision AND exposed > $after.exposed))
  RETURN x
  // in the index's own order (both its keys), so the seek stops after a page
  ORDER BY e.item_id DESC, e.at DESC, x.id
  LIMIT $limit
}
OPTIONAL MATCH (x)-[primary:ROUTED_TO {rank: 0}]->(m:Model)
RETURN x.id AS decision, x.created_at AS created_at, x.outcome AS outcome,
       x.principal_id AS principal, x.tenant_id AS tenant, x.purpose AS purpose,
       exposed, m.id AS model, x.policy_version AS policy_version
ORDER BY created_at DESC, decision, exposed
LIMIT $limit
"""

# (a), how many rows the whole list has: the EXPOSED degree of the source and of each of
# its documents (Neo4j keeps degrees per type on dense nodes; no decision is read).
AUDIT_DECISIONS_EXPOSING_SOURCE_COUNT: LiteralString = """
MATCH (s:DataSource {id: $source})
CALL (s) {
  RETURN s AS item
  UNION
  MATCH (d:Document)-[:PART_OF]->(s)
  RETURN d AS item
}
RETURN sum(COUNT { (item)<-[:EXPOSED]-() }) AS exposures, count(item) AS items
"""

# (b) Every provider that received data carrying a label or any of its sublabels.
# "Received": the decision let the request through (allow, allow_with_redactions) and
# the model was its primary route (ROUTED_TO rank 0), or the gateway actually sent it
# there (ATTEMPTED, unless the circuit breaker skipped the call). "Carrying": the label
# family is among the labels the engine recorded on the decision, a label it redacted
# (masked or pseudonymized values still came from that data), or a label held today by
# an exposed item or its data source (catches sources labelled after the fact).
# The first two places are read from the label-receipt tallies the provenance write
# keeps (graph/label_receipts.py: one per provider and label signature, each decision
# in one tally per provider); the third from the items holding the family today, for
# the decisions the tallies did not already count. AUDIT_PROVIDERS_RECEIVING_LABEL_BY_SCAN
# below is the same definition read over every decision.
AUDIT_PROVIDERS_RECEIVING_LABEL: LiteralString = """
MATCH (:SensitivityLabel {id: $label})<-[:SUBLABEL_OF*0..]-(l:SensitivityLabel)
WITH collect(DISTINCT l.id) AS family
CALL (family) {
  MATCH (t:LabelReceipt)
  WHERE any(id IN t.labels WHERE id IN family) OR any(id IN t.redacted WHERE id IN family)
  RETURN t.provider_id AS provider, t.decisions AS decisions, t.models AS models,
         t.via AS via, [id IN t.labels WHERE id IN family] AS labels,
         t.first_seen AS first_seen, t.last_seen AS last_seen, t.sample AS sample
  UNION ALL
  MATCH (h:SensitivityLabel)<-[:HAS_LABEL]-(holder) WHERE h.id IN family
  CALL (holder) {
    RETURN holder AS item
    UNION
    MATCH (item)-[:PART_OF]->(holder)
    RETURN item
  }
  MATCH (x)-[:EXPOSED]->(item)
  WITH DISTINCT x, family
  WHERE x.outcome IN ['allow', 'allow_with_redactions']
    AND NOT any(id IN coalesce(x.labels, []) WHERE id IN family)
  // after the property tests, which settle almost every decision without its edges
  CALL (x, family) {
    WITH x WHERE NOT EXISTS { MATCH (x)-[:REDACTED]->(r:SensitivityLabel) WHERE r.id IN family }
    RETURN x AS unrecorded
  }
  WITH unrecorded AS x
  CALL (x) {
    MATCH (x)-[:ROUTED_TO {rank: 0}]->(m:Model)
    RETURN m, 'primary route' AS how
    UNION
    // a cache hit sent nothing: the provider got this data, if at all, under another decision
    MATCH (x)-[a:ATTEMPTED]->(m:Model) WHERE NOT a.status IN ['skipped_open_circuit', 'cache_hit']
    RETURN m, 'gateway call' AS how
  }
  MATCH (m)-[:OFFERED_BY]->(p:Provider)
  WITH p, x, collect(DISTINCT m.id) AS models, collect(DISTINCT how) AS hows
  RETURN p.id AS provider, count(x) AS decisions,
         reduce(acc = [], ms IN collect(models) | acc + [m IN ms WHERE NOT m IN acc]) AS models,
         reduce(acc = [], hs IN collect(hows) | acc + [h IN hs WHERE NOT h IN acc]) AS via,
         [] AS labels, min(x.created_at) AS first_seen, max(x.created_at) AS last_seen,
         collect(x.id)[..25] AS sample
}
WITH provider, sum(decisions) AS decisions, collect(models) AS models, collect(via) AS via,
     collect(labels) AS labels, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
     collect(sample) AS samples
MATCH (p:Provider {id: provider})
RETURN p.id AS provider, p.name AS name, decisions,
       reduce(acc = [], ms IN models | acc + [m IN ms WHERE NOT m IN acc]) AS models,
       reduce(acc = [], hs IN via | acc + [h IN hs WHERE NOT h IN acc]) AS via,
       reduce(acc = [], ls IN labels | acc + [l IN ls WHERE NOT l IN acc]) AS labels,
       first_seen, last_seen,
       reduce(acc = [], ss IN samples | acc + ss)[..25] AS sample_decisions
ORDER BY decisions DESC, provider
"""

# (c) One decision explained: one row per provenance edge with its properties and, for
# each APPLIED policy, the graph path the engine stored as its justification ('Kind:id'
# nodes and the relationship types between them). The `graph` column makes Neo4j
# Browser draw the Decision and its neighbours; the Decision node itself holds the rest
# (created_at, labels, redacted_prompt, the whole record as JSON).
AUDIT_EXPLAIN_DECISION: LiteralString = """
MATCH (x:Decision {id: $decision_id})
OPTIONAL MATCH graph = (x)-[r]->(n)
RETURN x.id AS decision, x.outcome AS outcome, type(r) AS edge,
       labels(n)[0] + ':' + n.id AS target, properties(r) AS properties,
       CASE type(r) WHEN 'APPLIED' THEN r.path END AS justification, graph
ORDER BY edge, target
"""

# The definitions of (a) and (b) read literally, over every decision that exposed the
# source / every allowed decision: the reference the tests hold the queries above to, the
# full unpaged list of (a) in one answer, and bench/provenance_write.py's "before". Both
# grow with the decisions (at 1,000,000: see docs/audit.md).

AUDIT_DECISIONS_EXPOSING_SOURCE_BY_SCAN: LiteralString = """
MATCH (s:DataSource {id: $source})
CALL (s) {
  MATCH (x:Decision)-[:EXPOSED]->(s)
  RETURN x, s AS item
  UNION
  MATCH (x:Decision)-[:EXPOSED]->(d:Document)-[:PART_OF]->(s)
  RETURN x, d AS item
}
OPTIONAL MATCH (x)-[primary:ROUTED_TO {rank: 0}]->(m:Model)
RETURN x.id AS decision, x.created_at AS created_at, x.outcome AS outcome,
       x.principal_id AS principal, x.tenant_id AS tenant, x.purpose AS purpose,
       labels(item)[0] + ':' + item.id AS exposed, m.id AS model,
       x.policy_version AS policy_version
ORDER BY created_at DESC, decision, exposed
"""

AUDIT_PROVIDERS_RECEIVING_LABEL_BY_SCAN: LiteralString = """
MATCH (:SensitivityLabel {id: $label})<-[:SUBLABEL_OF*0..]-(l:SensitivityLabel)
WITH collect(DISTINCT l.id) AS family
MATCH (x:Decision)
WHERE x.outcome IN ['allow', 'allow_with_redactions']
  AND (any(id IN coalesce(x.labels, []) WHERE id IN family)
    OR EXISTS { MATCH (x)-[:REDACTED]->(r:SensitivityLabel) WHERE r.id IN family }
    OR EXISTS {
      MATCH (x)-[:EXPOSED]->()-[:PART_OF*0..1]->()-[:HAS_LABEL]->(h:SensitivityLabel)
      WHERE h.id IN family
    })
CALL (x) {
  MATCH (x)-[:ROUTED_TO {rank: 0}]->(m:Model)
  RETURN m, 'primary route' AS how
  UNION
  // a cache hit sent nothing: the provider got this data, if at all, under another decision
  MATCH (x)-[a:ATTEMPTED]->(m:Model) WHERE NOT a.status IN ['skipped_open_circuit', 'cache_hit']
  RETURN m, 'gateway call' AS how
}
MATCH (m)-[:OFFERED_BY]->(p:Provider)
WITH p, x, collect(DISTINCT m.id) AS models, collect(DISTINCT how) AS hows,
     [id IN coalesce(x.labels, []) WHERE id IN family] AS labels
RETURN p.id AS provider, p.name AS name, count(x) AS decisions,
       reduce(acc = [], ms IN collect(models) | acc + [m IN ms WHERE NOT m IN acc]) AS models,
       reduce(acc = [], hs IN collect(hows) | acc + [h IN hs WHERE NOT h IN acc]) AS via,
       reduce(acc = [], ls IN collect(labels) | acc + [l IN ls WHERE NOT l IN acc]) AS labels,
       min(x.created_at) AS first_seen, max(x.created_at) AS last_seen,
       collect(x.id)[..25] AS sample_decisions
ORDER BY decisions DESC, provider
"""


for _walk in (
    _UPSTREAM_OF_X,
    LINEAGE_PATHS_TO,
    LINEAGE_ITEMS_REACHING_LABEL,
    LINEAGE_ITEMS_REACHING_ITEM,
):
    assert f"DERIVED_FROM*0..{LINEAGE_MAX_HOPS}]" in _walk, "a lineage walk lost its bound"
