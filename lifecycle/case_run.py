"""Running decision cases on the pure core: analyze + decide, no Neo4j.

By default every case pins its intent (and, if it says so, the threat detector's
scores), so a run needs no model and gives the same answer everywhere. With
`models=True` the real pieces run instead: the int8 embedding model matches the
intent against the policy's exemplars, the shipped threat detector scores every
segment, and the policy's own threat categories are fitted; the case's pinned
intent then becomes an expectation (the model must match the same intent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, cast

from engine.analyze import EngineState, analyze
from engine.decide import decide
from engine.decision import Decision, IntentMatch
from engine.detect import Detector
from engine.errors import GovroutError
from engine.intent import IntentIndex, ScoredMatch
from engine.model import ItemFacts, Principal, Snapshot
from engine.provenance import decision_record
from engine.replay_input import input_record
from engine.threats.detector import ThreatAssessment, ThreatDetector, ThreatFinding
from lifecycle.cases import Case
from lifecycle.expectations import Mismatch, unmet

# A fixed clock and secret: a decision's time and hashed replacements are part of what
# a case may compare, so a run is reproducible byte for byte.
CASE_CLOCK = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)
CASE_SECRET = b"govroute-policy-test"


class CaseWorld(Protocol):
    """Where a case's facts come from: `lifecycle.offline.OfflineWorld` (policy files), or
    the graph (tests/test_golden.py runs the same cases through Neo4j this way)."""

    @property
    def snapshot(self) -> Snapshot: ...

    @property
    def detector(self) -> Detector: ...

    def principal(self, principal_id: str) -> Principal: ...

    def item_facts(
        self, ids: Sequence[str], roles: frozenset[str], tenant: str
    ) -> Mapping[str, ItemFacts]: ...


@dataclass(frozen=True, slots=True)
class FixedIntent:
    """Stands in for `IntentIndex`: without models, the core path only calls `match`."""

    pinned: IntentMatch

    @property
    def size(self) -> int:
        """No exemplars: the analysis embeds nothing for it (engine.analyze)."""
        return 0

    @property
    def static_version(self) -> None:
        """No static cascade: the analysis takes the MiniLM path, which embeds nothing."""
        return None

    def match(self, text: str, queries: object = None, *, tenant: str | None = None) -> IntentMatch:
        return self.pinned

    def match_scored(
        self, text: str, queries: object = None, *, tenant: str | None = None
    ) -> ScoredMatch:
        return ScoredMatch(self.pinned, (), {})  # pinned: no intent was scored


@dataclass(frozen=True, slots=True)
class _PinnedThreats:
    """Stands in for `ThreatDetector`: the core path only calls `assess(segments, ...)`;
    a case pins conversation heads under the segment key `conversation`."""

    pinned: Mapping[str, Mapping[str, float]]

    def assess(
        self, segments: Mapping[str, object], conversation: object = None
    ) -> ThreatAssessment:
        found = {
            key: {h: ThreatFinding(h, s, key, "text", 0, 0) for h, s in scores.items()}
            for key, scores in self.pinned.items()
        }
        return ThreatAssessment("pinned", found)


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    mismatches: tuple[Mismatch, ...] = ()
    decision: Decision | None = None
    error: str = ""  # the case could not run (an unknown principal, ...)

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.error


class CaseRunner:
    """Decides cases against one offline world; `models` as in the module docstring."""

    def __init__(self, world: CaseWorld, *, models: bool = False) -> None:
        self.world = world
        self._modelled: EngineState | None = None
        if models:
            self._modelled = _model_state(world)

    def decide(self, case: Case) -> Decision:
        return self._decided(case)[0]

    def record(self, case: Case) -> dict[str, Any]:
        """The decision record with its replayable input, as the runtime records it."""
        decision, replay = self._decided(case)
        return decision_record(decision, replay)

    def _decided(self, case: Case) -> tuple[Decision, dict[str, Any]]:
        world = self.world
        principal = world.principal(case.spec.principal)
        request = case.request(principal)
        state = self._modelled or EngineState(
            world.snapshot,
            world.detector,
            cast(IntentIndex, FixedIntent(case.intent)),
            threats=(
                cast(ThreatDetector, _PinnedThreats(case.spec.threats))
                if case.spec.threats
                else None
            ),
        )
        analysis = analyze(request, state)
        facts = world.item_facts([c.id for c in request.context], principal.roles, principal.tenant)
        decision = decide(
            request,
            world.snapshot,
            facts,
            analysis,
            decision_id=f"dec_case_{case.name}",
            now=CASE_CLOCK,
            secret=CASE_SECRET,
        )
        replay = input_record(request, analysis, facts, keep_texts=principal.record_prompts)
        return decision, replay

    def run(self, case: Case) -> CaseResult:
        try:
            decision = self.decide(case)
        except GovroutError as exc:
            return CaseResult(case, error=exc.message)
        found = unmet(decision, case.spec.expect, self.world.snapshot)
        if self._modelled is not None and decision.intent.intent_id != case.intent.intent_id:
            found.insert(
                0,
                Mismatch(
                    "intent",
                    case.intent.intent_id,
                    f"{decision.intent.intent_id} (score {decision.intent.score:.2f})",
                ),
            )
        return CaseResult(case, tuple(found), decision)

    def run_all(self, cases: Sequence[Case]) -> list[CaseResult]:
        return [self.run(case) for case in cases]


def _model_state(world: CaseWorld) -> EngineState:
    # Imported here: loading the embedding model takes seconds a pinned run never pays.
    from engine.embedding import OnnxEmbedder
    from engine.threats.custom import ThreatCategoryFitter

    embedder = OnnxEmbedder()
    snapshot = world.snapshot
    custom = None
    if snapshot.threat_categories:
        custom = ThreatCategoryFitter(embedder).fit(snapshot.threat_categories.values())
    return EngineState(
        snapshot=snapshot,
        detector=world.detector,
        intents=IntentIndex.from_snapshot(snapshot, embedder),
        threats=ThreatDetector.shipped(),
        custom_threats=custom,
    )
