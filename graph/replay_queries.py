"""Cypher for replay: recorded decisions of a time window, page by page.

Pages are keyed by (created_at, id), the order the `decision_created` index gives:
each page seeks past the last one instead of skipping, so reading a million
decisions costs a million rows read, not a million squared.
"""

from __future__ import annotations

from typing import LiteralString

# $after / $after_id: the last row of the previous page ($since and "" for the first).
DECISIONS_PAGE: LiteralString = """
MATCH (d:Decision)
WHERE d.created_at >= datetime($after) AND d.created_at < datetime($until)
  AND (d.created_at > datetime($after) OR d.id > $after_id)
  AND ($tenant IS NULL OR d.tenant_id = $tenant)
RETURN d.id AS id, toString(d.created_at) AS created_at, d.record AS record
ORDER BY d.created_at, d.id
LIMIT $page
"""

# Which versions decided the window's traffic: replay checks each one's intents once.
DECISION_VERSIONS: LiteralString = """
MATCH (d:Decision)
WHERE d.created_at >= datetime($since) AND d.created_at < datetime($until)
  AND ($tenant IS NULL OR d.tenant_id = $tenant)
RETURN DISTINCT d.policy_version AS version
"""
