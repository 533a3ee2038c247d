"""Cypher of the label-receipt tallies (graph/label_receipts.py) and of the backfill that
brings a graph written before them to the same shape (graph/audit_backfill.py).

Parameters only, as everywhere.
"""

from __future__ import annotations

from typing import LiteralString

# Adds one transaction's increments to the tallies, and records under which providers
# each decision is counted. Tally rows are sorted by id (concurrent writers lock them in
# one order); a tally keeps the first $sample_size decision ids it counted.
ADD_RECEIPTS: LiteralString = """
CALL () {
  UNWIND $tallies AS t
  MERGE (r:LabelReceipt {id: t.id})
  ON CREATE SET r.provider_id = t.provider, r.labels = t.labels, r.redacted = t.redacted,
    r.decisions = 0, r.models = [], r.via = [], r.sample = []
  WITH r, t, datetime(t.first_seen) AS first, datetime(t.last_seen) AS last
  SET r.decisions = r.decisions + t.decisions,
    r.models = r.models + [m IN t.models WHERE NOT m IN r.models],
    r.via = r.via + [h IN t.via WHERE NOT h IN r.via],
    r.sample = (r.sample + t.sample)[..$sample_size],
    r.first_seen = CASE WHEN r.first_seen IS NULL OR first < r.first_seen
                   THEN coalesce(first, r.first_seen) ELSE r.first_seen END,
    r.last_seen = CASE WHEN r.last_seen IS NULL OR last > r.last_seen
                  THEN coalesce(last, r.last_seen) ELSE r.last_seen END
}
CALL () {
  UNWIND $received AS d
  MATCH (x:Decision {id: d.id})
  SET x.received_by = d.providers
}
"""

# ---- the backfill (graph/audit_backfill.py)

# One page of decision ids in id order (the decision_id constraint's index), after a cursor.
BACKFILL_PAGE: LiteralString = """
MATCH (x:Decision) WHERE x.id > $after
WITH x ORDER BY x.id LIMIT $limit
RETURN x.id AS id, x.audit_shape IS NOT NULL AS done
"""

# Marks the page's decisions that are not yet in the current shape (taking their write
# locks first), stamps their EXPOSED edges, and returns what the tallies need of them.
BACKFILL_MARK: LiteralString = """
UNWIND $ids AS id
MATCH (x:Decision {id: id}) WHERE x.audit_shape IS NULL
SET x.audit_shape = $audit_shape
WITH x
CALL (x) {
  MATCH (x)-[e:EXPOSED]->(n)
  SET e.at = x.created_at, e.item_id = n.id
}
RETURN x.id AS id, toString(x.created_at) AS created_at, x.outcome AS outcome,
  x.labels AS labels, [(x)-[:REDACTED]->(l:SensitivityLabel) | l.id] AS redacted,
  [(x)-[:ROUTED_TO {rank: 0}]->(m:Model)-[:OFFERED_BY]->(p:Provider) | [p.id, m.id]][0]
    AS primary,
  [(x)-[a:ATTEMPTED]->(m:Model) |
    {attempt: a.attempt, status: a.status, model: m.id,
     provider: [(m)-[:OFFERED_BY]->(p:Provider) | p.id][0]}] AS attempts
"""

COUNT_DECISIONS: LiteralString = "MATCH (x:Decision) RETURN count(x) AS n"
