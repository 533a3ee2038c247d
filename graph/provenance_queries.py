"""Cypher of the provenance write (graph.provenance.write_provenance).

Kept apart from graph/queries.py because its shape is tuned for Neo4j's cost per
decision (bench/provenance_write.py measures it):

- one statement writes a whole batch of decisions and their edges, and returns the ids
  it created: the console buckets and the hash chain need exactly those, so the
  separate "which ids are new" read and the chain's claim are gone;
- the Decision node is the idempotency gate: `MERGE` on its id (the `decision_id`
  constraint's index), and only a decision this statement creates gets its edges, with
  `CREATE`. A decision already in the graph was written whole by one earlier
  transaction, so a replay has nothing to add, and `MERGE` on each relationship (which
  reads the node's relationships and locks both ends) was work for nothing;
- what the audit queries need to start small is written here too: `EXPOSED {at, item_id}`
  for query (a)'s index, and the primary route's provider for the label-receipt tallies
  of query (b) (graph/label_receipts.py), which the same transaction adds to.

Parameters only, as everywhere.
"""

from __future__ import annotations

from typing import LiteralString

# One Decision node per request with an edge to everything that shaped it. `$token` marks,
# for the duration of the statement only, the nodes this statement creates (ON CREATE):
# a decision a journal replay re-sends is matched, keeps no token, gets no second set of
# edges and is not returned, so it is neither chained nor counted twice. Rows must have
# distinct ids, and each list distinct targets (graph.provenance.decision_row keeps the last
# of repeats, as the SET after each MERGE of the earlier shape did).
WRITE_DECISIONS: LiteralString = """
UNWIND $rows AS d
MERGE (x:Decision {id: d.id})
ON CREATE SET x.created_at = datetime(d.created_at), x.outcome = d.outcome,
  x.tenant_id = d.tenant_id, x.principal_id = d.principal_id, x.purpose = d.purpose,
  x.prompt_sha256 = d.prompt_sha256, x.policy_version = d.policy_version,
  x.intent_id = d.intent_id, x.intent_score = d.intent_score,
  x.intent_embedder = d.intent_embedder,
  x.redacted_prompt = d.redacted_prompt, x.labels = d.labels, x.record = d.record,
  x.detector_version = d.detector_version,
  x.threat_score = d.threat_score, x.threat_category = d.threat_category,
  x.rollout_role = d.rollout_role, x.rollout_candidate = d.rollout_candidate,
  x.audit_shape = $audit_shape, x.chain_token = $token
WITH x, d WHERE x.chain_token = $token
REMOVE x.chain_token
WITH x, d
CALL (x, d) {
  MATCH (p:Principal {id: d.principal_id}) CREATE (x)-[:REQUESTED_BY]->(p)
}
CALL (x, d) {
  MATCH (i:Intent {id: d.intent_id})
  CREATE (x)-[:MATCHED {score: d.intent_score, embedder: d.intent_embedder}]->(i)
}
CALL (x, d) {
  MATCH (ps:PolicySet {id: d.policy_version}) CREATE (x)-[:UNDER]->(ps)
}
CALL (x, d) {
  UNWIND d.applied AS a
  MATCH (pol:Policy {id: a.policy_id})
  CREATE (x)-[:APPLIED {effect: a.effect, sentence: a.sentence, path: a.path}]->(pol)
}
CALL (x, d) {
  UNWIND d.exposed AS item_id
  OPTIONAL MATCH (doc:Document {id: item_id})
  OPTIONAL MATCH (src:DataSource {id: item_id})
  WITH x, d, coalesce(doc, src) AS n WHERE n IS NOT NULL
  OPTIONAL MATCH (n)-[:BELONGS_TO]->(own:Tenant)
  OPTIONAL MATCH (n)-[:PART_OF]->(:DataSource)-[:BELONGS_TO]->(via:Tenant)
  WITH x, d, n, coalesce(own.id, via.id) AS owner
  WHERE owner IS NULL OR owner = d.tenant_id
  // `at` and `item_id` serve the index that pages query (a) (docs/audit.md)
  CREATE (x)-[:EXPOSED {at: x.created_at, item_id: n.id}]->(n)
}
CALL (x, d) {
  // An id of another tenant was an unknown id to the caller: no edge to that tenant's item.
  UNWIND d.withheld AS w
  OPTIONAL MATCH (doc:Document {id: w.id})
  OPTIONAL MATCH (src:DataSource {id: w.id})
  WITH x, d, w, coalesce(doc, src) AS n WHERE n IS NOT NULL
  OPTIONAL MATCH (n)-[:BELONGS_TO]->(own:Tenant)
  OPTIONAL MATCH (n)-[:PART_OF]->(:DataSource)-[:BELONGS_TO]->(via:Tenant)
  WITH x, d, w, n, coalesce(own.id, via.id) AS owner
  WHERE owner IS NULL OR owner = d.tenant_id
  CREATE (x)-[:WITHHELD {reason: w.reason, code: w.code}]->(n)
}
CALL (x, d) {
  UNWIND d.redacted AS rd
  MATCH (l:SensitivityLabel {id: rd.label})
  CREATE (x)-[:REDACTED {count: rd.count}]->(l)
}
CALL (x, d) {
  UNWIND d.routed AS rt
  MATCH (m:Model {id: rt.model_id})
  CREATE (x)-[:ROUTED_TO {rank: rt.rank}]->(m)
}
CALL (x, d) {
  UNWIND d.rejected AS rj
  MATCH (m:Model {id: rj.model_id})
  CREATE (x)-[:REJECTED {reason: rj.reason}]->(m)
}
// the primary route's provider and model, for the label-receipt tallies
RETURN x.id AS id,
  [(x)-[:ROUTED_TO {rank: 0}]->(m:Model)-[:OFFERED_BY]->(p:Provider) | [p.id, m.id]][0]
    AS primary
"""
