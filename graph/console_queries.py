"""Cypher of the console (api/console/): hourly aggregates of decisions, the filtered
decision list, and the text of the Neo4j Browser link of a reason's path.

Aggregates are `DecisionBucket` nodes, one per (tenant, hour, kind, key, key2), written
in the provenance transaction (graph/console_buckets.py) for the decisions and attempts
that transaction creates, so a replayed record never counts twice. A page reads a few
thousand buckets instead of counting a million decisions.
"""

from __future__ import annotations

from typing import LiteralString

# Which of these attempts will WRITE_ATTEMPTS create (their decision and model exist, the
# edge does not), with the decision's tenant and time to bucket them by.
NEW_ATTEMPTS: LiteralString = """
UNWIND $rows AS a
MATCH (x:Decision {id: a.decision_id})
MATCH (m:Model {id: a.model_id})
WITH x, m, a WHERE NOT EXISTS { (x)-[:ATTEMPTED {attempt: a.attempt}]->(m) }
RETURN a.status AS status, x.tenant_id AS tenant_id, toString(x.created_at) AS created_at,
  // what the label-receipt tallies need of the call (graph/label_receipts.py)
  x.id AS decision_id, a.model_id AS model_id, x.audit_shape AS audit_shape,
  x.outcome AS outcome, x.labels AS labels, x.received_by AS received_by,
  [(x)-[:REDACTED]->(l:SensitivityLabel) | l.id] AS redacted,
  [(m)-[:OFFERED_BY]->(p:Provider) | p.id][0] AS provider
"""

# Adds counts to buckets; rows are sorted by id so concurrent writers lock in one order.
ADD_TO_BUCKETS: LiteralString = """
UNWIND $rows AS b
MERGE (k:DecisionBucket {id: b.id})
ON CREATE SET k.tenant_id = b.tenant_id, k.start = datetime(b.start), k.kind = b.kind,
  k.key = b.key, k.key2 = b.key2, k.count = 0
SET k.count = k.count + b.count
"""

# A window's buckets summed in the graph, so a page receives one row per point it draws
# however many tenants and hours there are: per hour (the overview's series, tenants
# added up) or per tenant over the whole window (the heatmaps).
READ_HOURLY: LiteralString = """
MATCH (k:DecisionBucket)
WHERE k.start >= datetime($since) AND k.start < datetime($until)
  AND k.kind IN $kinds
  AND ($tenant IS NULL OR k.tenant_id = $tenant)
RETURN toString(k.start) AS start, k.kind AS kind, k.key AS key, k.key2 AS key2,
       sum(k.count) AS count
"""

READ_WINDOW_TOTALS: LiteralString = """
MATCH (k:DecisionBucket)
WHERE k.start >= datetime($since) AND k.start < datetime($until)
  AND k.kind IN $kinds
  AND ($tenant IS NULL OR k.tenant_id = $tenant)
RETURN k.tenant_id AS tenant_id, k.kind AS kind, k.key AS key, k.key2 AS key2,
       sum(k.count) AS count
"""

# One page of decisions, newest first; a page starts strictly after the cursor
# (created_at, id) of the last row of the page before. The created_at index gives the
# order, the id only breaks ties (a partial sort), so a page reads about `limit` rows.
LIST_DECISIONS: LiteralString = """
MATCH (x:Decision)
WHERE x.created_at >= datetime($since) AND x.created_at < datetime($until)
  AND ($tenant IS NULL OR x.tenant_id = $tenant)
  AND ($principal IS NULL OR x.principal_id = $principal)
  AND ($outcomes IS NULL OR x.outcome IN $outcomes)
  AND ($intent IS NULL OR x.intent_id = $intent)
  AND ($label IS NULL OR $label IN x.labels)
  AND ($policy IS NULL OR EXISTS { (x)-[:APPLIED]->(:Policy {id: $policy}) })
  AND ($after_at IS NULL OR x.created_at < datetime($after_at)
       OR (x.created_at = datetime($after_at) AND x.id < $after_id))
RETURN x.id AS id, toString(x.created_at) AS created_at, x.tenant_id AS tenant_id,
       x.principal_id AS principal_id, x.outcome AS outcome, x.intent_id AS intent_id,
       x.purpose AS purpose, x.policy_version AS policy_version
ORDER BY x.created_at DESC, x.id DESC
LIMIT $limit
"""

READ_TENANTS: LiteralString = """
MATCH (t:Tenant) RETURN t.id AS id, coalesce(t.name, t.id) AS name ORDER BY t.id
"""


# ---------------------------------------------------------------- Neo4j Browser

# Reason paths are ['Kind:id', 'REL', 'Kind:id', ...] read in the direction of the
# justification (docs/audit.md), so the Browser query matches each hop undirected.


def browser_cypher(decision_id: str, path: list[str]) -> str:
    """The Cypher that draws `path` and the decision's edge to its policy in Neo4j
    Browser. It is text for a person to run there, never run by govroute: values are
    quoted as Cypher string literals, labels and types checked as identifiers."""
    nodes, rels = path[0::2], path[1::2]
    parts: list[str] = []
    for i, node in enumerate(nodes):
        kind, _, node_id = node.partition(":")
        parts.append(f"(n{i}:{_identifier(kind)} {{id: {_literal(node_id)}}})")
    hops = [parts[0]]
    for i, rel in enumerate(rels):
        hops.append(f"-[:{_identifier(rel)}]-{parts[i + 1]}")
    lines = [f"MATCH p = {''.join(hops)}"]
    last = len(nodes) - 1
    if nodes[0].startswith("Decision:"):
        lines.append("RETURN p")
    else:
        lines.append(f"MATCH q = (:Decision {{id: {_literal(decision_id)}}})-[:APPLIED]->(n{last})")
        lines.append("RETURN p, q")
    return "\n".join(lines)


def _literal(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _identifier(name: str) -> str:
    if name.isidentifier():
        return name
    return "`" + name.replace("`", "``") + "`"
