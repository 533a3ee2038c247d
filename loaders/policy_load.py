"""One policy load, end to end: read, validate everything, then write atomically.

Nothing touches the graph until every file parsed, every item validated and
every reference resolved, and every threat category the content declares has
been fitted and cross-validated (a category that recalls too little of its own
examples is refused like any other invalid item); the write itself is one
transaction (graph.store).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.embedding import OnnxEmbedder
from engine.errors import InvalidPolicyData, InvalidRequest, Problem
from engine.model import ThreatCategorySpec
from engine.threats.custom import MIN_CV_RECALL, CategoryFit, ThreatCategoryFitter
from graph import store
from graph.connection import GraphClient
from graph.schema import apply_schema
from loaders.bundle import Bundle, content_hash_of
from loaders.graph_mapping import to_graph
from loaders.references import check_references
from loaders.spec import PolicyDocument
from loaders.yaml_source import read_policy_dir

if TYPE_CHECKING:
    from neo4j import ManagedTransaction


@dataclass(frozen=True, slots=True)
class LoadReport:
    outcome: store.LoadOutcome
    content_hash: str
    items: int
    threat_fits: tuple[CategoryFit, ...] = ()

    def describe(self) -> str:
        ps = self.outcome.policy_set
        fits = "".join(f"\n  {fit.describe()}" for fit in self.threat_fits)
        if not self.outcome.changed:
            version = f" (PolicySet v{ps.version})" if ps else ""
            return (
                f"unchanged: the active content already has hash {self.content_hash}{version}"
                + fits
            )
        assert ps is not None
        retired = f", {self.outcome.retired} retired" if self.outcome.retired else ""
        return (
            f"loaded PolicySet v{ps.version} ({self.content_hash[:19]}…): "
            f"{self.items} items -> {self.outcome.nodes} nodes, {self.outcome.edges} edges{retired}"
            + fits
        )


def read_bundle(path: Path) -> Bundle:
    """Parse and fully validate a YAML policy directory or file; no graph access."""
    bundle = Bundle.from_items(read_policy_dir(path))
    check_references(bundle)
    return bundle


def load_policy_path(
    client: GraphClient,
    path: Path,
    *,
    author: str,
    message: str,
    fitter: ThreatCategoryFitter | None = None,
) -> LoadReport:
    return apply_bundle(client, read_bundle(path), author=author, message=message, fitter=fitter)


def threat_category_specs(bundle: Bundle) -> list[ThreatCategorySpec]:
    """The bundle's own threat categories, as the engine (and the snapshot) will see them."""
    doc = bundle.canonical()
    return [
        ThreatCategorySpec(
            c["id"], c["name"], c["description"], tuple(c["positives"]), tuple(c["negatives"])
        )
        for c in doc["threat_categories"]
    ]


def fit_threat_categories(bundle: Bundle, fitter: ThreatCategoryFitter) -> tuple[CategoryFit, ...]:
    """Fit and cross-validate every declared category; refuse those that recall too little."""
    specs = threat_category_specs(bundle)
    if not specs:
        return ()
    fits = tuple(head.fit for head in fitter.fit(specs).heads)
    problems = list(_poor_fits(bundle, fits))
    if problems:
        raise InvalidPolicyData(problems)
    return fits


def _poor_fits(bundle: Bundle, fits: tuple[CategoryFit, ...]) -> Iterator[Problem]:
    for fit in fits:
        if not fit.accepted:
            source, location = bundle.where("threat_categories", fit.category)
            yield Problem(
                source,
                location,
                f"threat_categories.{fit.category}.positives",
                f"cross-validated recall {fit.recall:.2f} is below {MIN_CV_RECALL:.2f} "
                f"({fit.folds}-fold over {fit.positives} positives): add positives that say the "
                "same thing in other words, or merge this category with a nearer one",
            )


def default_fitter() -> ThreatCategoryFitter:
    """The embedder the API serves with by default (int8 ONNX), so the figures a load
    prints are those of the heads requests will meet."""
    return ThreatCategoryFitter(OnnxEmbedder())


def apply_bundle(
    client: GraphClient,
    bundle: Bundle,
    *,
    author: str,
    message: str,
    fitter: ThreatCategoryFitter | None = None,
    guard: Callable[[ManagedTransaction], bool] | None = None,
    then: Callable[[ManagedTransaction, store.PolicySetInfo], None] | None = None,
    check_active: store.ActiveCheck | None = None,
    provenance: Mapping[str, str | int | None] | None = None,
) -> LoadReport:
    """`fitter`: embeds declared threat categories; made on demand when there are some.
    `guard`, `then`, `check_active` and `provenance`: as graph.store.apply_policy_content's
    (the first three run inside the write's transaction)."""
    check_references(bundle)  # read_bundle/read_rdf did, but a built bundle may not have
    fits: tuple[CategoryFit, ...] = ()
    if bundle.sections["threat_categories"]:
        fits = fit_threat_categories(bundle, fitter or default_fitter())
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
        guard=guard,
        then=then,
        check_active=check_active,
        provenance=provenance,
    )
    items = sum(len(v) for v in bundle.sections.values())
    return LoadReport(outcome=outcome, content_hash=content_hash, items=items, threat_fits=fits)


@dataclass(frozen=True, slots=True)
class CandidateReport:
    """A staged candidate, or None when its content is what is already active."""

    policy_set: store.PolicySetInfo | None
    content_hash: str
    items: int
    threat_fits: tuple[CategoryFit, ...] = ()

    def describe(self) -> str:
        fits = "".join(f"\n  {fit.describe()}" for fit in self.threat_fits)
        ps = self.policy_set
        if ps is None:
            return f"unchanged: the active content already has hash {self.content_hash}" + fits
        return (
            f"staged candidate PolicySet v{ps.version} ({self.content_hash[:19]}…): "
            f"{self.items} items, not active; the active version keeps serving" + fits
        )


def stage_bundle(
    client: GraphClient,
    bundle: Bundle,
    *,
    author: str,
    message: str,
    fitter: ThreatCategoryFitter | None = None,
    author_id: str | None = None,
) -> CandidateReport:
    """Validate exactly as a load does, then record the content as a candidate version."""
    check_references(bundle)
    fits: tuple[CategoryFit, ...] = ()
    if bundle.sections["threat_categories"]:
        fits = fit_threat_categories(bundle, fitter or default_fitter())
    apply_schema(client)
    canonical = bundle.canonical_json()
    content_hash = content_hash_of(canonical)
    items = sum(len(v) for v in bundle.sections.values())
    active = store.active_policy_set(client)
    if active is not None and active.content_hash == content_hash:
        return CandidateReport(None, content_hash, items, fits)
    staged = store.stage_candidate(
        client,
        to_graph(bundle),
        content_hash=content_hash,
        canonical=canonical,
        author=author,
        message=message,
        author_id=author_id,
    )
    return CandidateReport(staged, content_hash, items, fits)


def stored_bundle(client: GraphClient, version: int) -> Bundle:
    """The content recorded with any stored version (active, retired or candidate)."""
    _, canonical = store.policy_set_content(client, version)
    return Bundle.from_document(PolicyDocument.model_validate(canonical), f"policyset-v{version}")


def rollback(
    client: GraphClient,
    version: int,
    *,
    author: str,
    reason: str = "",
    evidence: Mapping[str, Any] | None = None,
    author_id: str | None = None,
    message: str | None = None,
    fitter: ThreatCategoryFitter | None = None,
    guard: Callable[[ManagedTransaction], bool] | None = None,
    then: Callable[[ManagedTransaction, store.PolicySetInfo], None] | None = None,
) -> LoadReport:
    """Re-apply the content recorded with an earlier version, as a new version.

    The emergency path: no approvals. Who (`author`, and `author_id` when a principal
    asked), why (`reason`) and on what grounds (`evidence`, JSON-able: a drift check's
    figures) land on the new PolicySet as rollback_of, rollback_reason, rollback_evidence.
    `message` replaces "rollback to vN: reason"; `guard` and `then` run in the write's
    transaction (graph.store.apply_policy_content): a drift rollback acts only while the
    version it judged is still active, and records its evidence in the same transaction.

    Only a version that was active once: a candidate goes live by activation (with its
    approvals), never by a rollback to it.
    """
    info, canonical = store.policy_set_content(client, version)
    if info.status not in ("active", "retired"):
        raise InvalidRequest(
            f"v{version} is {info.status}, never active: a rollback restores an earlier active "
            "version; a candidate goes live by activation",
            field="version",
        )
    bundle = Bundle.from_document(PolicyDocument.model_validate(canonical), info.id)
    provenance: dict[str, str | int | None] = {
        "rollback_of": version,
        "rollback_reason": reason,
        "rollback_evidence": json.dumps(evidence, sort_keys=True) if evidence else None,
        "author_id": author_id,
        "activated_by": author_id,  # None keeps the default: `author`
    }
    return apply_bundle(
        client,
        bundle,
        author=author,
        message=message or f"rollback to v{version}" + (f": {reason}" if reason else ""),
        fitter=fitter,
        guard=guard,
        then=then,
        provenance=provenance,
    )
