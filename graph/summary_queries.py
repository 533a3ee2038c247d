"""What the startup summary reads from the graph: its size.

Both counts come from Neo4j's count store (a label-less count is not a scan), so the
query costs the same on a graph of a million decisions as on an empty one.
"""

from __future__ import annotations

from typing import LiteralString

GRAPH_COUNTS: LiteralString = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
"""
