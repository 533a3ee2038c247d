"""Cypher of the policy lifecycle: authorship, approvals, rejection, activation
(graph.versions; the rules are lifecycle.versions').

Every state change matches the PolicySet in the status it must still be in, so a
change that lost a race (rejected meanwhile, activated by someone else) matches
nothing and is refused by its caller, with nothing written.
"""

from __future__ import annotations

from typing import LiteralString

# Everything a lifecycle command needs to know about one version, content left out.
VERSION_STATE: LiteralString = """
MATCH (ps:PolicySet {version: $version})
OPTIONAL MATCH (a:Approval)-[:APPROVES]->(ps)
WITH ps, a ORDER BY a.at
RETURN ps {.*, content: null} AS ps,
       [x IN collect(a) | x {.by, .by_name, .comment, at: toString(x.at)}] AS approvals
"""

# The same for every version, newest first (`govroute policy list`).
ALL_VERSION_STATES: LiteralString = """
MATCH (ps:PolicySet)
OPTIONAL MATCH (a:Approval)-[:APPROVES]->(ps)
WITH ps, a ORDER BY a.at
WITH ps, collect(a) AS approvals
RETURN ps {.*, content: null} AS ps,
       [x IN approvals | x {.by, .by_name, .comment, at: toString(x.at)}] AS approvals
ORDER BY ps.version DESC
"""

# One approval per admin: the id is derived from version and principal, and unique.
CREATE_APPROVAL: LiteralString = """
MATCH (ps:PolicySet {version: $version, status: 'candidate'})
MATCH (p:Principal {id: $by})
CREATE (a:Approval {
  id: $id, at: datetime($at), by: $by, by_name: $by_name, comment: $comment
})
CREATE (a)-[:APPROVES]->(ps)
CREATE (a)-[:APPROVED_BY]->(p)
RETURN a.id AS id
"""

# A rejected candidate can no longer be approved, rolled out or activated; its rollout,
# if any, ends with the rejection.
REJECT_CANDIDATE: LiteralString = """
MATCH (ps:PolicySet {version: $version, status: 'candidate'})
SET ps.status = 'rejected', ps.rejected_at = datetime($at), ps.rejected_by = $by,
    ps.rejected_by_name = $by_name, ps.rejection_comment = $comment,
    ps.rollout_ended = CASE WHEN ps.rollout IS NULL THEN ps.rollout_ended
                            ELSE datetime($at) END,
    ps.rollout_end_reason = CASE WHEN ps.rollout IS NULL THEN ps.rollout_end_reason
                                 ELSE 'rejected' END,
    ps.rollout = null
RETURN ps {.*, content: null} AS ps
"""

# The candidate's own PolicySet becomes the active version (its content was just
# applied as nodes, in the same transaction): the previous active version is retired
# and superseded, the policies it contains are linked, its rollout ends.
PROMOTE_CANDIDATE: LiteralString = """
MATCH (ps:PolicySet {version: $version, status: 'candidate'})
OPTIONAL MATCH (prev:PolicySet {status: 'active'})
SET prev.status = 'retired'
WITH ps, collect(prev) AS previous
SET ps.status = 'active', ps.activated_at = datetime($at), ps.activated_by = $by,
    ps.activated_by_name = $by_name, ps.previous_version = $previous_version,
    ps.rebased_from = $rebased_from,
    ps.rollout_ended = CASE WHEN ps.rollout IS NULL THEN ps.rollout_ended
                            ELSE datetime($at) END,
    ps.rollout_end_reason = CASE WHEN ps.rollout IS NULL THEN ps.rollout_end_reason
                                 ELSE 'activated' END,
    ps.rollout = null
FOREACH (p IN previous | CREATE (ps)-[:SUPERSEDES]->(p))
WITH ps
OPTIONAL MATCH (pol:Policy) WHERE pol.id IN $policy_ids
WITH ps, collect(pol) AS policies
FOREACH (x IN policies | CREATE (ps)-[:CONTAINS]->(x))
RETURN ps {.*, content: null} AS ps
"""
