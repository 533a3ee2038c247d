"""Cypher of the drift check (lifecycle/drift_check.py): traffic aggregates and its records.

Every aggregation reads one version's decisions in one half-open window
[since, until), through the (policy_version, created_at) index.
"""

from __future__ import annotations

from typing import LiteralString

# Decisions by tenant, intent and intent-score decile. Decisions written before the
# Decision node carried intent_id name their intent by the MATCHED edge only (there is
# no edge to `unknown`, which has no node in some graphs).
DECISION_GROUPS: LiteralString = """
MATCH (x:Decision)
WHERE x.policy_version = $version
  AND x.created_at >= datetime($since) AND x.created_at < datetime($until)
WITH x, coalesce(x.intent_id, head([(x)-[:MATCHED]->(i:Intent) | i.id]), 'unknown') AS intent
RETURN x.tenant_id AS tenant, intent,
       toInteger(floor(coalesce(x.intent_score, 0.0) * 10)) AS bucket,
       count(*) AS decisions,
       sum(CASE WHEN x.outcome = 'deny' THEN 1 ELSE 0 END) AS denies,
       sum(CASE WHEN coalesce(x.threat_score, 0.0) >= $threat_score THEN 1 ELSE 0 END) AS threats
"""

# Upstream calls the gateway made for those decisions; a call skipped by an open circuit
# never reached the provider, nor did an answer served from the response cache: they
# count for nothing.
ATTEMPT_STATS: LiteralString = """
MATCH (x:Decision)-[a:ATTEMPTED]->(:Model)
WHERE x.policy_version = $version
  AND x.created_at >= datetime($since) AND x.created_at < datetime($until)
  AND NOT a.status IN ['skipped_open_circuit', 'cache_hit']
RETURN count(a) AS attempts,
       sum(CASE WHEN a.status = 'ok' THEN 0 ELSE 1 END) AS errors,
       percentileCont(CASE WHEN a.status = 'ok' THEN a.latency_ms END, 0.95) AS p95_ms
"""

# The active version and the one it replaced: `previous_version` when the activation
# recorded it (issue 11, item 3), otherwise the version it SUPERSEDES.
ACTIVE_WITH_PREVIOUS: LiteralString = """
MATCH (ps:PolicySet {status: 'active'})
OPTIONAL MATCH (ps)-[:SUPERSEDES]->(old:PolicySet)
WITH ps, coalesce(ps.previous_version, max(old.version)) AS previous
RETURN ps {.*, content: null} AS ps, previous
"""

# One check, its evidence and the versions it judged and compared with. The unit
# subqueries keep the row when a version is absent (a check of an empty graph).
CREATE_DRIFT_CHECK: LiteralString = """
CREATE (c:DriftCheck {
  id: $id, at: datetime($at), kind: $kind, action: $action, by: $by,
  breaches: $breaches, alerts: $alerts, summary: $summary, evidence: $evidence
})
WITH c
CALL (c) { MATCH (j:PolicySet {version: $judged}) CREATE (c)-[:CHECKED]->(j) }
CALL (c) { MATCH (b:PolicySet {version: $baseline}) CREATE (c)-[:BASELINE]->(b) }
RETURN c.id AS id
"""

LINK_ROLLBACK: LiteralString = """
MATCH (c:DriftCheck {id: $id}), (ps:PolicySet {version: $version})
CREATE (c)-[:ROLLBACK_TO]->(ps)
SET ps.drift_check = $id
"""

# Taking the node's write lock before reading its state: two replicas that find the same
# breach serialize here, and the second sees what the first did (no double rollback).
LOCK_POLICY_SET: LiteralString = """
MATCH (ps:PolicySet {version: $version})
SET ps.drift_checked_at = datetime($at)
RETURN ps.status AS status, ps.rollout AS rollout
"""

END_CANARY: LiteralString = """
MATCH (ps:PolicySet {version: $version, status: 'candidate'}) WHERE ps.rollout = 'canary'
SET ps.rollout = null, ps.rollout_ended = datetime($at), ps.rollout_end_reason = $reason,
    ps.drift_check = $check_id
"""

MARK_ROLLED_BACK: LiteralString = """
MATCH (ps:PolicySet {version: $version})
SET ps.drift_rolled_back_at = datetime($at), ps.drift_reason = $reason, ps.drift_check = $check_id
"""

LAST_DRIFT_CHECKS: LiteralString = """
MATCH (c:DriftCheck)
OPTIONAL MATCH (c)-[:CHECKED]->(j:PolicySet)
OPTIONAL MATCH (c)-[:BASELINE]->(b:PolicySet)
OPTIONAL MATCH (c)-[:ROLLBACK_TO]->(r:PolicySet)
RETURN c.id AS id, toString(c.at) AS at, c.kind AS kind, c.action AS action, c.by AS by,
       c.breaches AS breaches, c.alerts AS alerts, c.summary AS summary,
       c.evidence AS evidence, j.version AS judged, b.version AS baseline,
       r.version AS rollback_to
ORDER BY c.at DESC LIMIT $limit
"""
