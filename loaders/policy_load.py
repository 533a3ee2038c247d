"""One policy load, end to end: read, validate everything, then write atomically.

Nothing touches the graph until every file parsed, every item validated and
every reference resolved; the write itself is one transaction (graph.store).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph import store
from graph.connection import GraphClient
from graph.schema import apply_schema
from loaders.bundle import Bundle, content_hash_of
from loaders.graph_mapping import to_graph
from loaders.references import check_references
from loaders.spec import PolicyDocument
from loaders.yaml_source import read_policy_dir


@dataclass(frozen=True, slots=True)
class LoadReport:
    outcome: store.LoadOutcome
    content_hash: str
    items: int

    def describe(self) -> str:
        ps = self.outcome.policy_set
        if not self.outcome.changed:
            version = f" (PolicySet v{ps.version})" if ps else ""
            return f"unchanged: the active content already has hash {self.content_hash}{version}"
        assert ps is not None
        retired = f", {self.outcome.retired} retired" if self.outcome.retired else ""
        return (
            f"loaded PolicySet v{ps.version} ({self.content_hash[:19]}…): "
            f"{self.items} items -> {self.outcome.nodes} nodes, {self.outcome.edges} edges{retired}"
        )


def read_bundle(path: Path) -> Bundle:
    """Parse and fully validate a YAML policy directory or file; no graph access."""
    bundle = Bundle.from_items(read_policy_dir(path))
    check_references(bundle)
    return bundle


def load_policy_path(client: GraphClient, path: Path, *, author: str, message: str) -> LoadReport:
    return apply_bundle(client, read_bundle(path), author=author, message=message)


def apply_bundle(client: GraphClient, bundle: Bundle, *, author: str, message: str) -> LoadReport:
    check_references(bundle)  # read_bundle/read_rdf did, but a built bundle may not have
    apply_schema(client)
    canonical = bundle.canonical_json()
    content_hash = content_hash_of(canonical)
    outcome = store.apply_policy_content(
        client,
        to_graph(bundle),
        content_hash=content_hash,
        canonical=canonical,
        author=author,
        message=message,
    )
    items = sum(len(v) for v in bundle.sections.values())
    return LoadReport(outcome=outcome, content_hash=content_hash, items=items)


def rollback(client: GraphClient, version: int, *, author: str) -> LoadReport:
    """Re-apply the content recorded with an earlier version, as a new version."""
    _, canonical = store.policy_set_content(client, version)
    bundle = Bundle.from_document(PolicyDocument.model_validate(canonical), f"policyset-v{version}")
    return apply_bundle(client, bundle, author=author, message=f"rollback to v{version}")
