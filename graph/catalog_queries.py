"""Cypher of big catalog loads (graph.catalog_store): creating new documents, and
deleting the ones a catalog no longer lists.

The update path of documents that already exist (MERGE, stale edges removed) stays in
graph/queries.py. A load's new documents do not exist by definition (the comparison
found no node), so they are written with CREATE: no MERGE reading each node's
relationships and locking both ends of each one. Should another writer create one of
those ids meanwhile, the `document_id` constraint refuses the batch and the load is
undone (graph.catalog_store.CatalogWriter). Rows are lists, not maps: cheaper to encode
in the driver and to read in Cypher. Parameters only, as everywhere.
"""

from __future__ import annotations

from typing import LiteralString

# Rows: [id, title, source, [label ids]].
CREATE_DOCUMENTS: LiteralString = """
UNWIND $rows AS row
MATCH (s:DataSource {id: row[2]})
CREATE (d:Document {id: row[0], title: row[1], origin: 'catalog', load_id: $load_id,
                    catalog: $catalog})
CREATE (d)-[:PART_OF {load_id: $load_id}]->(s)
WITH d, row
CALL (d, row) {
  UNWIND row[3] AS label
  MATCH (l:SensitivityLabel {id: label})
  CREATE (d)-[r:HAS_LABEL {load_id: $load_id}]->(l)
  RETURN count(r) AS labels
}
RETURN count(d) AS written, sum(labels) AS labels
"""

# Rows: [document id, upstream id, transform, [removed label ids]], one per edge, split
# by the upstream's kind so each is one index seek (ids are unique per kind only).
CREATE_LINEAGE_TO_DOCUMENTS: LiteralString = """
UNWIND $rows AS e
MATCH (d:Document {id: e[0]})
MATCH (u:Document {id: e[1]})
CREATE (d)-[:DERIVED_FROM {transform: e[2], removes: e[3], load_id: $load_id}]->(u)
RETURN count(*) AS created
"""

CREATE_LINEAGE_TO_SOURCES: LiteralString = """
UNWIND $rows AS e
MATCH (d:Document {id: e[0]})
MATCH (u:DataSource {id: e[1]})
CREATE (d)-[:DERIVED_FROM {transform: e[2], removes: e[3], load_id: $load_id}]->(u)
RETURN count(*) AS created
"""

# ---------------------------------------------------------------- what disappeared

# Every document a catalog owns (the last catalog that listed it), by the
# `document_catalog` index; the loader subtracts the ids its file lists.
OWNED_DOCUMENTS: LiteralString = """
MATCH (d:Document {catalog: $catalog})
WHERE d.origin = 'catalog' AND NOT coalesce(d.retired, false)
RETURN d.id AS id
"""

# Which of the documents about to go are referenced by a decision (exposed, withheld):
# those are retired, not deleted, so the decision's provenance keeps its edge.
REFERENCED_BY_DECISIONS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
WHERE EXISTS { (:Decision)-[:EXPOSED|WITHHELD]->(d) }
RETURN d.id AS id
"""

# Lineage into the documents about to go, from documents that stay: deleting or
# retiring the upstream would silently drop the labels they inherit, so the load is
# refused instead. Rows: the ids going; `$listed` is not sent (it can be a million
# ids): the caller drops edges from documents its file lists, whose lineage it checks.
DEPENDENTS: LiteralString = """
UNWIND $ids AS id
MATCH (x:Document)-[:DERIVED_FROM]->(:Document {id: id})
WHERE NOT x.id IN $ids AND NOT coalesce(x.retired, false)
RETURN x.id AS document, id AS upstream
"""

DELETE_DOCUMENTS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
WHERE d.origin = 'catalog' AND d.catalog = $catalog
DETACH DELETE d
RETURN count(*) AS deleted
"""

# Retired documents stay with their PART_OF, labels and lineage, so the audit queries
# still find what a decision exposed; request-time facts and lineage skip them.
RETIRE_DOCUMENTS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
WHERE d.origin = 'catalog' AND d.catalog = $catalog
SET d.retired = true, d.retired_by = $load_id
RETURN count(*) AS retired
"""

# Compensation of a failed load: what it retired comes back.
UNRETIRE_DOCUMENTS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
WHERE d.retired_by = $load_id
REMOVE d.retired, d.retired_by
"""
