"""What a policy change does to decisions: both versions decide the same probes, on the
pure core, and every probe whose answer differs is reported.

Probes enumerate what the two snapshots name, not recorded traffic:

- outcomes and routes: every principal x intent x label x purpose. The prompt is a
  fixed sentence with no entities; the label rides on one context item that carries it
  directly and that the principal's roles may read for any purpose, so only policies
  (not access control) decide. "No label" is a probe too. Principals with the same
  tenant, roles and permissions decide alike and are reported together.
- documents: every principal x document x purpose, with the real lineage and grants of
  each version: a document is readable, withheld (with the code), or dropped by a
  policy for some intents.

A principal, intent or label that exists in one version only is the semantic diff's
business (lifecycle.semantic_diff); here an intent missing from a version is matched as
`unknown` there, a label missing from a version is not carried there, and a principal
missing from either version is not probed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import product
from typing import TypeVar

from engine.decide import Analysis, decide, message_key
from engine.decision import Decision, IntentMatch, Outcome
from engine.model import (
    ANY_PURPOSE,
    LABEL_ACTIONS,
    AccessGrant,
    ChatMessage,
    ContextItem,
    DecisionRequest,
    IntentCategory,
    ItemFacts,
    PolicySpec,
    Principal,
    Snapshot,
)
from engine.normalize import normalize
from lifecycle.offline import OfflineWorld, label_facts

PROBE_TEXT = "Please help with this request."
PROBE_ITEM = "impact-probe"
UNKNOWN = IntentMatch("unknown", IntentCategory.UNKNOWN, 0.0)
_CLOCK = datetime(2025, 1, 1, tzinfo=UTC)
_SECRET = b"govroute-policy-diff"


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    principals: tuple[str, ...]
    intent: str
    label: str | None
    purpose: str | None
    before: str
    after: str
    # The after version denies because no model is compliant any more (routing ran and
    # rejected every candidate), not because a policy denies: a route it emptied.
    route_emptied: bool = False


@dataclass(frozen=True, slots=True)
class RouteChange:
    principals: tuple[str, ...]
    intent: str
    label: str | None
    purpose: str | None
    gained: tuple[str, ...]
    lost: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocumentChange:
    principals: tuple[str, ...]
    document: str
    purpose: str | None
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Impact:
    outcomes: tuple[OutcomeChange, ...] = ()
    routes: tuple[RouteChange, ...] = ()
    documents: tuple[DocumentChange, ...] = ()
    probes: int = 0  # principal x intent x label x purpose combinations covered
    decided: int = 0  # decisions each version made for them (alike ones decided once)

    @property
    def empty(self) -> bool:
        return not (self.outcomes or self.routes or self.documents)


@dataclass(frozen=True, slots=True)
class _Side:
    """One version's answers, with the few things a probe needs built once."""

    world: OfflineWorld
    analyses: dict[str, Analysis] = field(default_factory=dict)
    # A document's status depends on its labels and grants, not its id: many share them.
    statuses: dict[tuple[object, ...], str] = field(default_factory=dict)

    @property
    def snapshot(self) -> Snapshot:
        return self.world.snapshot

    def analysis(self, intent_id: str) -> Analysis:
        if intent_id not in self.analyses:
            spec = self.snapshot.intents.get(intent_id)
            match = IntentMatch(spec.id, spec.category, 0.9) if spec else UNKNOWN
            texts = {message_key(0): normalize(PROBE_TEXT)}
            self.analyses[intent_id] = Analysis(intent=match, texts=texts)
        return self.analyses[intent_id]

    def decide(
        self,
        principal: Principal,
        intent_id: str,
        purpose: str | None,
        context: tuple[ContextItem, ...],
        facts: Mapping[str, ItemFacts],
    ) -> Decision:
        request = DecisionRequest(
            principal, (ChatMessage("user", PROBE_TEXT),), context, purpose=purpose
        )
        return decide(
            request,
            self.snapshot,
            facts,
            self.analysis(intent_id),
            decision_id="dec_impact_probe",
            now=_CLOCK,
            secret=_SECRET,
        )

    def label_probe(
        self, principal: Principal, intent_id: str, label: str | None, purpose: str | None
    ) -> Decision:
        if label is None or label not in self.snapshot.labels:
            return self.decide(principal, intent_id, purpose, (), {})
        grants = [AccessGrant(role, frozenset({ANY_PURPOSE})) for role in principal.roles]
        facts = label_facts(PROBE_ITEM, label, self.snapshot.label_ancestry, grants)
        return self.decide(
            principal, intent_id, purpose, (ContextItem(PROBE_ITEM, ""),), {PROBE_ITEM: facts}
        )


def impact(before: OfflineWorld, after: OfflineWorld) -> Impact:
    if before.bundle.content_hash() == after.bundle.content_hash():
        return Impact()  # the same content decides the same
    a, b = _Side(before), _Side(after)
    groups = _principal_groups(before, after)
    all_intents = sorted({*a.snapshot.intents, *b.snapshot.intents, UNKNOWN.intent_id})
    all_labels: list[str | None] = [None, *sorted({*a.snapshot.labels, *b.snapshot.labels})]
    all_purposes = _purposes(a.snapshot, b.snapshot)
    outcomes: list[OutcomeChange] = []
    routes: list[RouteChange] = []
    probes = decided = 0
    documents: list[DocumentChange] = []
    for names, (pa, pb) in groups.items():
        grid = _Grid(a.snapshot, b.snapshot, _relevant(a.snapshot, pa), _relevant(b.snapshot, pb))
        intents = _classes(all_intents, grid.intent)
        labels = _classes(all_labels, grid.label)
        purposes = _classes(all_purposes, grid.purpose)
        for intent, label, purpose in product(intents, labels, purposes):
            every = list(product(intents[intent], labels[label], purposes[purpose]))
            probes += len(every)
            decided += 1
            da = a.label_probe(pa, intent, label, purpose)
            db = b.label_probe(pb, intent, label, purpose)
            if da.outcome is not db.outcome:
                was, now = da.outcome.value, db.outcome.value
                emptied = _route_emptied(da, db)
                outcomes += [OutcomeChange(names, *combo, was, now, emptied) for combo in every]
            elif da.outcome is not Outcome.DENY:
                gained = tuple(sorted(set(db.route.candidates) - set(da.route.candidates)))
                lost = tuple(sorted(set(da.route.candidates) - set(db.route.candidates)))
                if gained or lost:
                    routes += [RouteChange(names, *combo, gained, lost) for combo in every]
        drop_intents = _classes(all_intents, grid.drop)
        documents += _document_changes(a, b, names, (pa, pb), drop_intents)
    return Impact(
        tuple(sorted(outcomes, key=_change_order)),
        tuple(sorted(routes, key=_change_order)),
        tuple(documents),
        probes,
        decided,
    )


def _route_emptied(before: Decision, after: Decision) -> bool:
    # Routing runs only once nothing denies; a deny whose route rejected candidates is
    # the engine's "no compliant route".
    return (
        bool(before.route.candidates)
        and after.outcome is Outcome.DENY
        and bool(after.route.rejected)
    )


def _relevant(snapshot: Snapshot, principal: Principal) -> tuple[PolicySpec, ...]:
    """The policies whose role and tenant scope let them apply to this principal."""
    return tuple(
        p
        for p in snapshot.policies
        if (not p.roles or p.roles & principal.roles)
        and (not p.tenants or principal.tenant in p.tenants)
    )


T = TypeVar("T", str, str | None)


def _change_order(change: OutcomeChange | RouteChange) -> tuple[object, ...]:
    return (change.principals, change.intent, change.label or "", change.purpose or "")


def _classes(members: list[T], key: Callable[[T], Hashable]) -> dict[T, list[T]]:
    """Members that every policy of both versions treats alike, under their first member:
    only the first is decided, and a change it shows is reported for them all."""
    first: dict[Hashable, T] = {}
    out: dict[T, list[T]] = {}
    for member in members:
        head = first.setdefault(key(member), member)
        out.setdefault(head, []).append(member)
    return out


@dataclass(frozen=True, slots=True)
class _Grid:
    """What a decision reads of an intent, label or purpose, for one principal in both
    versions: members with equal keys decide alike and are decided once."""

    a: Snapshot
    b: Snapshot
    relevant_a: tuple[PolicySpec, ...]
    relevant_b: tuple[PolicySpec, ...]

    def intent(self, intent_id: str) -> Hashable:
        return (
            _intent_key(self.a, self.relevant_a, intent_id),
            _intent_key(self.b, self.relevant_b, intent_id),
        )

    def label(self, label: str | None) -> Hashable:
        return (
            _label_key(self.a, self.relevant_a, label),
            _label_key(self.b, self.relevant_b, label),
        )

    def purpose(self, purpose: str | None) -> Hashable:
        return (_purpose_key(self.relevant_a, purpose), _purpose_key(self.relevant_b, purpose))

    def drop(self, intent_id: str) -> Hashable:
        return (_drop_key(self.relevant_a, intent_id), _drop_key(self.relevant_b, intent_id))


def _intent_key(snapshot: Snapshot, relevant: tuple[PolicySpec, ...], intent_id: str) -> Hashable:
    """What a decision reads of an intent: its category, the capabilities it requires
    (routing) and the principal's policies scoped to it."""
    spec = snapshot.intents.get(intent_id)
    scoped = frozenset(p.id for p in relevant if intent_id in p.intents)
    return (spec.category, spec.requires, scoped) if spec else (None, scoped)


def _label_key(snapshot: Snapshot, relevant: tuple[PolicySpec, ...], label: str | None) -> Hashable:
    """What a decision reads of a label: the principal's policies governing it or an
    ancestor (other labels of the tree are not carried by the probe)."""
    if label is None or label not in snapshot.labels:
        return None
    family = set(snapshot.label_ancestry(label))
    return frozenset(p.id for p in relevant if p.governs & family)


def _purpose_key(relevant: tuple[PolicySpec, ...], purpose: str | None) -> Hashable:
    """Probes grant every purpose, so a purpose matters only to policies scoped to it."""
    return frozenset(p.id for p in relevant if purpose in p.purposes)


def _drop_key(relevant: tuple[PolicySpec, ...], intent_id: str) -> Hashable:
    """Whether a document is dropped depends on the label actions scoped to the intent."""
    return frozenset(p.id for p in relevant if p.effect in LABEL_ACTIONS and intent_id in p.intents)


def _principal_groups(
    before: OfflineWorld, after: OfflineWorld
) -> dict[tuple[str, ...], tuple[Principal, Principal]]:
    """Principals in both versions, grouped by what their decisions depend on."""
    shared = sorted(set(before.principal_ids()) & set(after.principal_ids()))
    by_profile: dict[tuple[object, ...], list[str]] = {}
    first: dict[tuple[object, ...], tuple[Principal, Principal]] = {}
    for principal_id in shared:
        pa, pb = before.principal(principal_id), after.principal(principal_id)
        key = (pa.tenant, pa.roles, pa.permissions, pb.tenant, pb.roles, pb.permissions)
        by_profile.setdefault(key, []).append(principal_id)
        first.setdefault(key, (pa, pb))
    return {tuple(names): first[key] for key, names in by_profile.items()}


def _purposes(*snapshots: Snapshot) -> list[str | None]:
    named = {p for s in snapshots for policy in s.policies for p in policy.purposes}
    return [None, *sorted(named)]


def _document_changes(
    a: _Side,
    b: _Side,
    names: tuple[str, ...],
    principals: tuple[Principal, Principal],
    intents: Mapping[str, list[str]],
) -> Iterator[DocumentChange]:
    pa, pb = principals
    documents = sorted(set(a.world.document_ids()) | set(b.world.document_ids()))
    facts_a = a.world.item_facts(documents, pa.roles, pa.tenant)
    facts_b = b.world.item_facts(documents, pb.roles, pb.tenant)
    granted = {
        p
        for facts in (*facts_a.values(), *facts_b.values())
        for grant in facts.grants
        for p in grant.purposes
        if p != ANY_PURPOSE
    }
    purposes = [None, *sorted({*(p for p in _purposes(a.snapshot, b.snapshot) if p), *granted})]
    for document in documents:
        for purpose in purposes:
            before = _status(a, pa, facts_a[document], purpose, intents)
            after = _status(b, pb, facts_b[document], purpose, intents)
            if before != after:
                yield DocumentChange(names, document, purpose, before, after)


def _status(
    side: _Side,
    principal: Principal,
    facts: ItemFacts,
    purpose: str | None,
    intents: Mapping[str, list[str]],
) -> str:
    """readable / withheld (code) / dropped for the intents that drop it."""
    if not facts.found:
        return "absent"
    key = (principal, purpose, frozenset(e.label for e in facts.labels), facts.grants)
    if key not in side.statuses:
        side.statuses[key] = _decide_status(side, principal, facts, purpose, intents)
    return side.statuses[key]


def _decide_status(
    side: _Side,
    principal: Principal,
    facts: ItemFacts,
    purpose: str | None,
    intents: Mapping[str, list[str]],
) -> str:
    item = (ContextItem(facts.id, ""),)
    dropped: list[str] = []
    for intent in intents:
        decision = side.decide(principal, intent, purpose, item, {facts.id: facts})
        codes = {w.code for w in decision.withholdings}
        if codes and "dropped_by_policy" not in codes:
            return f"withheld ({', '.join(sorted(codes))})"  # access: the same for every intent
        if codes:
            dropped += intents[intent]
    if dropped:
        return f"dropped for {', '.join(sorted(dropped))}"
    return "readable"
