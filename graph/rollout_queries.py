"""Cypher of the candidate rollout's provenance: shadow decisions and the report's read.

A shadow decision is stored on the Decision it shadows, as `shadow_*` properties
(the served record is never touched: it is hash-chained), plus an edge to the
candidate's PolicySet, so auditors can walk from a candidate to the decisions it
was measured on.
"""

from __future__ import annotations

from typing import LiteralString

# Written after the batch's decisions, in the same transaction; the journal orders a
# shadow after its decision, so the Decision is always there by then.
WRITE_SHADOWS: LiteralString = """
UNWIND $rows AS s
MATCH (x:Decision {id: s.decision_id})
SET x.shadow_version = s.shadow_version, x.shadow_outcome = s.after,
    x.shadow_kinds = s.kinds, x.shadow_policies = s.policies, x.shadow_intent = s.intent,
    x.shadow_at = datetime(s.at)
WITH x, s
CALL (x, s) {
  MATCH (ps:PolicySet {id: s.shadow_version}) MERGE (x)-[:SHADOWED_UNDER]->(ps)
}
"""

# The stored changes of one candidate since a time, oldest first (the report's input).
SHADOW_CHANGES: LiteralString = """
MATCH (x:Decision) WHERE x.shadow_version = $version AND x.created_at >= datetime($since)
RETURN x.id AS decision_id, x.tenant_id AS tenant, x.shadow_intent AS intent,
       x.outcome AS before, x.shadow_outcome AS after, x.shadow_kinds AS kinds,
       x.shadow_policies AS policies
ORDER BY x.created_at, x.id
"""

KNOWN_NAMES: LiteralString = """
CALL () {
  OPTIONAL MATCH (t:Tenant) WHERE t.id IN $tenants AND NOT coalesce(t.retired, false)
  RETURN collect(t.id) AS tenants
}
CALL () {
  OPTIONAL MATCH (p:Principal) WHERE p.id IN $principals AND NOT coalesce(p.retired, false)
  RETURN collect(p.id) AS principals
}
RETURN tenants, principals
"""
