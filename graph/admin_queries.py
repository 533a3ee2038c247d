"""Cypher for the admin API's audit trail: (:AdminAction) nodes (graph/admin_audit.py).

An action is written twice: when it starts (who, what, on which version, with which
parameters) and when it ends (ok or refused, with the error). Both writes are single
statements, so neither can half-happen.
"""

from __future__ import annotations

from typing import LiteralString

# The principal and the version acted on are linked when they exist; an action on a
# version that does not exist (a 404) keeps the number it named in `version`.
BEGIN_ADMIN_ACTION: LiteralString = """
CREATE (a:AdminAction {
  id: $id, operation: $operation, method: $method, path: $path,
  principal_id: $principal_id, tenant_id: $tenant_id, version: $version,
  parameters: $parameters, content_hash: $content_hash, via: $via,
  status: 'started', started_at: datetime($at)
})
WITH a
OPTIONAL MATCH (p:Principal {id: $principal_id})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (a)-[:PERFORMED_BY]->(p))
WITH a
OPTIONAL MATCH (ps:PolicySet {version: $version})
FOREACH (_ IN CASE WHEN ps IS NULL THEN [] ELSE [1] END | CREATE (a)-[:ACTED_ON]->(ps))
RETURN a.id AS id
"""

# `produced`: the version the action created (a staged candidate, a rollback's new
# active version), linked so an auditor walks from a PolicySet to the call that made it.
FINISH_ADMIN_ACTION: LiteralString = """
MATCH (a:AdminAction {id: $id})
SET a.status = $status, a.finished_at = datetime($at), a.http_status = $http_status,
    a.error_code = $error_code, a.error = $error, a.result = $result,
    a.content_hash = coalesce($content_hash, a.content_hash),
    a.parameters = coalesce($parameters, a.parameters),
    a.produced_version = $produced
WITH a
OPTIONAL MATCH (ps:PolicySet {version: $produced})
FOREACH (_ IN CASE WHEN ps IS NULL THEN [] ELSE [1] END | MERGE (a)-[:PRODUCED]->(ps))
RETURN a.id AS id
"""

ADMIN_ACTIONS_SINCE: LiteralString = """
MATCH (a:AdminAction) WHERE a.started_at >= datetime($since)
RETURN a {.*, started_at: toString(a.started_at), finished_at: toString(a.finished_at)} AS a
ORDER BY a.started_at DESC, a.id DESC
LIMIT $limit
"""
