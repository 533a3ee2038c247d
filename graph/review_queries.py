"""Cypher for human review: (:Review) nodes, one per held decision (graph/review_store.py).

A Review's id is its decision's id. It carries the hold (tenant, requester, kind,
created_at, expires_at, the review reasons and the held, already redacted request as
JSON), then the verdict (status, decided_at, reviewer_id, verdict_reason), then for a
chat request the outcome of serving it (served_at, serve_status, the answer as JSON
until answer_expires_at). `(Review)-[:REVIEWS]->(Decision)` and
`(Review)-[:REVIEWED_BY]->(Principal)` make it provenance, PROV-O shaped like an
Approval: an activity that used the decision and was associated with the reviewer.

Every state change is one statement or one transaction, and appends its event
(approved, rejected, expired, served, serve_failed) to `pending_events`: an outbox the
API's review worker empties in order (webhook, metrics), so a change made by the CLI is
announced just like one made over HTTP, and none is folded into a later one. `notify`
(indexed) marks a Review with events pending.
"""

from __future__ import annotations

from typing import LiteralString

# The queue bound is checked in the hold's own statement: a tenant's pending holds
# that have not expired yet. Nothing is created when the queue is full (no row back).
HOLD: LiteralString = """
OPTIONAL MATCH (q:Review {tenant_id: $tenant_id, status: 'pending'})
WHERE q.expires_at > datetime($created_at)
WITH count(q) AS depth
WHERE depth < $limit
CREATE (r:Review {
  id: $id, tenant_id: $tenant_id, principal_id: $principal_id, kind: $kind,
  status: 'pending', created_at: datetime($created_at), expires_at: datetime($expires_at),
  reasons: $reasons, request: $request
})
WITH r, depth
OPTIONAL MATCH (d:Decision {id: $id})
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | CREATE (r)-[:REVIEWS]->(d))
RETURN r.id AS id, depth + 1 AS depth
"""

# The fields every read returns; `request` only where a caller needs the held text.
_FIELDS: LiteralString = """
r.id AS id, r.tenant_id AS tenant_id, r.principal_id AS principal_id, r.kind AS kind,
r.status AS status, toString(r.created_at) AS created_at,
toString(r.expires_at) AS expires_at, toString(r.decided_at) AS decided_at,
r.reviewer_id AS reviewer_id, r.verdict_reason AS verdict_reason, r.reasons AS reasons,
toString(r.served_at) AS served_at, r.serve_status AS serve_status, r.serve_error AS serve_error,
CASE WHEN r.answer_expires_at > datetime($now) THEN r.answer END AS answer,
toString(r.answer_expires_at) AS answer_expires_at, r.request AS request,
r.event AS event, coalesce(r.pending_events, []) AS pending_events,
r.webhook_status AS webhook_status
"""

GET_REVIEW: LiteralString = "MATCH (r:Review {id: $id}) RETURN " + _FIELDS

# The queue as a reviewer filters it, oldest first (the one about to expire on top).
LIST_REVIEWS: LiteralString = (
    """
MATCH (r:Review {tenant_id: $tenant_id})
WHERE ($status IS NULL OR r.status = $status)
  AND ($principal_id IS NULL OR r.principal_id = $principal_id)
  AND ($kind IS NULL OR r.kind = $kind)
  AND ($since IS NULL OR r.created_at >= datetime($since))
WITH r ORDER BY r.created_at, r.id LIMIT $limit
RETURN """
    + _FIELDS
)

# Writing a property first takes the node's write lock, so two reviewers deciding the
# same hold at once are serialized and the second reads the first one's verdict.
LOCK_REVIEW: LiteralString = (
    "MATCH (r:Review {id: $id}) SET r.lock_seq = coalesce(r.lock_seq, 0) + 1 RETURN " + _FIELDS
)

DECIDE_REVIEW: LiteralString = """
MATCH (r:Review {id: $id})
SET r.status = $status, r.decided_at = datetime($at), r.reviewer_id = $reviewer_id,
    r.verdict_reason = $reason, r.event = $status,
    r.pending_events = coalesce(r.pending_events, []) + $status, r.notify = true
WITH r
MATCH (p:Principal {id: $reviewer_id})
CREATE (r)-[:REVIEWED_BY]->(p)
WITH r
OPTIONAL MATCH (d:Decision {id: r.id})
WHERE NOT (r)-[:REVIEWS]->(d)
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | CREATE (r)-[:REVIEWS]->(d))
RETURN r.id AS id
"""

# Held requests nobody decided in time: refused, with the reason. Returns what it expired.
# The lock is taken before the status is read again, so a verdict committed meanwhile
# (graph/review_store.py, `_decide`) is never overwritten by an expiry.
EXPIRE_DUE: LiteralString = """
MATCH (r:Review {status: 'pending'})
WHERE r.expires_at <= datetime($now)
SET r.lock_seq = coalesce(r.lock_seq, 0) + 1
WITH r WHERE r.status = 'pending'
SET r.status = 'expired', r.decided_at = r.expires_at,
    r.verdict_reason = 'No reviewer decided before the hold expired at '
      + toString(r.expires_at) + '.',
    r.event = 'expired', r.pending_events = coalesce(r.pending_events, []) + 'expired',
    r.notify = true
WITH r
OPTIONAL MATCH (d:Decision {id: r.id})
WHERE NOT (r)-[:REVIEWS]->(d)
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | CREATE (r)-[:REVIEWS]->(d))
RETURN r.id AS id
"""

EXPIRE_ONE: LiteralString = """
MATCH (r:Review {id: $id, status: 'pending'})
WHERE r.expires_at <= datetime($now)
SET r.lock_seq = coalesce(r.lock_seq, 0) + 1
WITH r WHERE r.status = 'pending'
SET r.status = 'expired', r.decided_at = r.expires_at,
    r.verdict_reason = 'No reviewer decided before the hold expired at '
      + toString(r.expires_at) + '.',
    r.event = 'expired', r.pending_events = coalesce(r.pending_events, []) + 'expired',
    r.notify = true
RETURN r.id AS id
"""

# An approved chat request not served yet, claimed by one replica for `lease_s`: a
# replica that dies mid-call leaves the claim to lapse and another serves it.
CLAIM_SERVING: LiteralString = """
MATCH (r:Review {status: 'approved', kind: 'chat'})
WHERE r.served_at IS NULL
  AND (r.serve_claim_until IS NULL OR r.serve_claim_until <= datetime($now))
WITH r ORDER BY r.decided_at LIMIT $limit
SET r.lock_seq = coalesce(r.lock_seq, 0) + 1
WITH r WHERE r.served_at IS NULL
  AND (r.serve_claim_until IS NULL OR r.serve_claim_until <= datetime($now))
SET r.serve_claim_until = datetime($now) + duration({seconds: $lease_s})
RETURN r.id AS id, r.request AS request
"""

SERVED: LiteralString = """
MATCH (r:Review {id: $id})
SET r.served_at = datetime($at), r.serve_status = $serve_status, r.serve_error = $error,
    r.answer = $answer, r.answer_expires_at = datetime($answer_expires_at),
    r.serve_claim_until = null, r.event = $event,
    r.pending_events = coalesce(r.pending_events, []) + $event, r.notify = true
RETURN r.id AS id
"""

# An answer is kept for the poller for a bounded time, then removed from the graph.
PURGE_ANSWERS: LiteralString = """
MATCH (r:Review)
WHERE r.answer IS NOT NULL AND r.answer_expires_at <= datetime($now)
REMOVE r.answer
RETURN count(r) AS purged
"""

# The outbox: changes not yet announced, claimed for `lease_s` like serving.
CLAIM_EVENTS: LiteralString = (
    """
MATCH (r:Review {notify: true})
WHERE r.notify_claim_until IS NULL OR r.notify_claim_until <= datetime($now)
WITH r ORDER BY r.decided_at LIMIT $limit
SET r.notify_claim_until = datetime($now) + duration({seconds: $lease_s})
RETURN """
    + _FIELDS
)

# One event announced (or given up on); the Review leaves the outbox once none is left.
EVENT_DONE: LiteralString = """
MATCH (r:Review {id: $id})
SET r.pending_events = [e IN coalesce(r.pending_events, []) WHERE e <> $event],
    r.webhook_status = $webhook_status
WITH r
SET r.notify = CASE WHEN size(r.pending_events) = 0 THEN null ELSE true END,
    r.notify_claim_until = null
RETURN r.id AS id
"""

QUEUE_DEPTH: LiteralString = """
MATCH (r:Review {status: 'pending'})
WHERE r.expires_at > datetime($now)
RETURN r.tenant_id AS tenant_id, count(r) AS depth
"""
