"""Cypher of the provenance hash chain (graph.provenance_chain) and of the decision export.

Kept apart from graph/queries.py so the chain reads as one piece. Parameters only, as
everywhere.
"""

from __future__ import annotations

from typing import LiteralString

# ---------------------------------------------------------------- extending the chain

# The chain head, write-locked: SET takes the node's exclusive lock, so two writers (API
# replicas) extending the chain at once are serialized by Neo4j. The lock is held until
# the transaction commits, which follows at once. The head is the lock (and a copy of
# the last link for `audit head`); where the chain ends is read from the batches
# themselves, after the lock, so a head deleted or edited in Browser cannot stop writes.
LOCK_CHAIN_HEAD: LiteralString = """
MERGE (h:ProvenanceChain {id: $chain})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.locked = true
"""

LAST_BATCH: LiteralString = """
MATCH (b:ProvenanceBatch) WHERE b.seq IS NOT NULL
RETURN b.seq AS seq, b.hash AS hash
ORDER BY b.seq DESC LIMIT 1
"""

APPEND_BATCH: LiteralString = """
MATCH (h:ProvenanceChain {id: $chain})
CREATE (b:ProvenanceBatch {seq: $seq, hash: $hash, prev_hash: $prev_hash,
        decision_ids: $ids, digests: $digests, count: size($ids), at: datetime($at)})
SET h.seq = $seq, h.hash = $hash
REMOVE h.locked
WITH b
UNWIND $ids AS id
MATCH (x:Decision {id: id})
SET x.batch_seq = $seq
"""

# ---------------------------------------------------------------- verifying it

READ_CHAIN_HEAD: LiteralString = """
OPTIONAL MATCH (h:ProvenanceChain {id: $chain})
RETURN h.seq AS seq, h.hash AS hash
"""

# One page of batches in chain order (keyset: seq > $after).
READ_BATCHES: LiteralString = """
MATCH (b:ProvenanceBatch)
WHERE b.seq > $after
RETURN b.seq AS seq, b.hash AS hash, b.prev_hash AS prev_hash, b.decision_ids AS ids,
       b.digests AS digests, b.count AS count, toString(b.at) AS at
ORDER BY b.seq LIMIT $limit
"""

# The stored decisions of a batch's ids, with the properties that restate the record.
READ_CHAINED_DECISIONS: LiteralString = """
UNWIND $ids AS id
MATCH (x:Decision {id: id})
RETURN x.id AS id, x.record AS record, x.outcome AS outcome, x.tenant_id AS tenant_id,
       x.principal_id AS principal_id, x.policy_version AS policy_version
"""

# Decision nodes no batch lists: created outside the writer (Browser, a script), or left
# behind by a removed batch. The id-list test is a scan of at most a batch's ids.
READ_UNCHAINED_DECISIONS: LiteralString = """
MATCH (x:Decision)
WHERE x.batch_seq IS NULL
   OR NOT EXISTS { MATCH (b:ProvenanceBatch {seq: x.batch_seq}) WHERE x.id IN b.decision_ids }
RETURN x.id AS id, x.batch_seq AS batch_seq
ORDER BY id LIMIT $limit
"""

COUNT_UNCHAINED_DECISIONS: LiteralString = """
MATCH (x:Decision)
WHERE x.batch_seq IS NULL
   OR NOT EXISTS { MATCH (b:ProvenanceBatch {seq: x.batch_seq}) WHERE x.id IN b.decision_ids }
RETURN count(x) AS n
"""

# ---------------------------------------------------------------- the decision export

# One page of decisions in (created_at, id) order, after the last one of the previous
# page (keyset pagination: each page is an index range seek, never an OFFSET skip).
# The WITHHELD edges give the kind (Document or DataSource) of each withheld item the
# graph knows; the record itself does not say.
READ_DECISION_PAGE: LiteralString = """
MATCH (x:Decision)
WHERE x.created_at >= datetime($after_at)
  AND ($until IS NULL OR x.created_at < datetime($until))
  AND ($tenant IS NULL OR x.tenant_id = $tenant)
  AND (x.created_at > datetime($after_at) OR x.id > $after_id)
RETURN x.id AS id, toString(x.created_at) AS created_at, x.record AS record,
       [(x)-[:WITHHELD]->(n) | {id: n.id, kind: labels(n)[0]}] AS withheld_kinds
ORDER BY x.created_at, x.id LIMIT $limit
"""

# The DPV IRIs that declared purposes and sensitivity labels map to (small: read once).
READ_DPV_MAPPINGS: LiteralString = """
CALL () {
  MATCH (p:Purpose) WHERE p.dpv IS NOT NULL RETURN 'Purpose' AS kind, p.id AS id, p.dpv AS dpv
  UNION
  MATCH (l:SensitivityLabel) WHERE l.dpv IS NOT NULL
  RETURN 'SensitivityLabel' AS kind, l.id AS id, l.dpv AS dpv
}
RETURN kind, id, dpv
"""
