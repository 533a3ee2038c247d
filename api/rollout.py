"""The candidate under rollout, in the serving process: its engine state and its shadow.

The runtime's refresher reads the rollout each cycle (`graph.store.rollout_candidate`)
and, when the candidate or the active version changed, builds a `CandidateState`
from the candidate's stored content (`stored_bundle` -> `offline_world`): the
snapshot and engine state it decides with, and its OfflineWorld, which turns the
item facts the graph gives (always the active version's) into the candidate's
(`facts_under`). When the candidate analyses requests exactly as the active version
does (lifecycle.rollout.shares_analysis), its state reuses the active intent index,
detector and threat heads, so nothing is embedded twice.

Shadow decisions run here, off the request path: `ShadowRunner` is one background
thread behind a bounded queue. A full queue drops the job and counts it rather than
slow the server; a dropped shadow decision only leaves that request out of the
report.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from engine import decide as core
from engine.analyze import EngineState
from engine.decide import Analysis, Phase, no_phase
from engine.decision import Decision
from engine.model import DecisionRequest, ItemFacts, Principal, Snapshot
from graph.connection import GraphClient
from graph.store import Rollout
from lifecycle.offline import OfflineWorld, offline_world
from lifecycle.outcome_diff import Change
from lifecycle.rollout import CANARY, SHADOW, Selection, shares_analysis
from loaders.policy_load import stored_bundle

log = logging.getLogger("govroute.rollout")

SHADOW_RECORD_VERSION = 1
SHADOW_QUEUE = 1_000
"""Shadow jobs waiting at most; at ~10-50 ms each that is well under a minute behind."""


@dataclass(frozen=True, slots=True)
class CandidateState:
    """A candidate under shadow or canary, ready to decide."""

    rollout: Rollout
    state: EngineState
    world: OfflineWorld
    active_version: str
    # The candidate analyses requests as the active version does: shadow reuses the
    # active analysis.
    shared_analysis: bool
    selection: Selection
    # Principals the candidate's content declares, as it declares them (roles may differ).
    principals: Mapping[str, Principal] = field(repr=False)

    @property
    def version(self) -> str:
        return self.state.snapshot.version

    @property
    def mode(self) -> str:
        return self.rollout.mode

    @property
    def shadow(self) -> bool:
        return self.rollout.mode == SHADOW

    def serves(self, principal: Principal) -> bool:
        """True when this canary decides (and serves) for `principal`."""
        return self.rollout.mode == CANARY and self.selection.selects(principal)

    def principal_under(self, live: Principal) -> Principal:
        """The caller as the candidate declares it: its roles, permissions and default
        purpose; identity and limits stay the graph's."""
        declared = self.principals.get(live.id)
        if declared is None or declared.tenant != live.tenant:
            return live
        return replace(
            live,
            roles=declared.roles,
            permissions=declared.permissions,
            default_purpose=declared.default_purpose,
        )

    def with_rollout(self, rollout: Rollout) -> CandidateState:
        """The same built state under changed rollout settings (mode, percent, names)."""
        return replace(
            self,
            rollout=rollout,
            selection=Selection.of(rollout.percent, rollout.tenants, rollout.principals),
        )


def build_candidate(
    client: GraphClient,
    rollout: Rollout,
    active: EngineState,
    build: Callable[[Snapshot], EngineState],
) -> CandidateState:
    """The candidate's engine state from its stored content (reads the graph once)."""
    bundle = stored_bundle(client, rollout.policy_set.version)
    world = offline_world(bundle, version=rollout.policy_set.id)
    shared = shares_analysis(active.snapshot, world.snapshot)
    state = replace(active, snapshot=world.snapshot) if shared else build(world.snapshot)
    return CandidateState(
        rollout=rollout,
        state=state,
        world=world,
        active_version=active.snapshot.version,
        shared_analysis=shared,
        selection=Selection.of(rollout.percent, rollout.tenants, rollout.principals),
        principals={pid: world.principal(pid) for pid in world.principal_ids()},
    )


def decide_candidate(
    candidate: CandidateState,
    request: DecisionRequest,
    live_facts: Mapping[str, ItemFacts],
    analysis: Analysis,
    *,
    decision_id: str,
    now: datetime,
    secret: bytes,
    phase: Phase = no_phase,
) -> Decision:
    """The candidate's full decision of a request, from the graph's item facts as the
    candidate's content would give them."""
    principal = candidate.principal_under(request.principal)
    if principal != request.principal:
        request = replace(request, principal=principal)
    facts = candidate.world.facts_under(live_facts, principal.roles, principal.tenant)
    return core.decide(
        request,
        candidate.state.snapshot,
        facts,
        analysis,
        decision_id=decision_id,
        now=now,
        secret=secret,
        phase=phase,
    )


def shadow_record(change: Change, *, version: str, at: str) -> dict[str, Any]:
    """The provenance entry of one shadow decision (journal kind "shadow")."""
    return {
        "record_version": SHADOW_RECORD_VERSION,
        "shadow_version": version,
        "at": at,
        **change.as_dict(),
    }


@dataclass(frozen=True, slots=True)
class ShadowJob:
    """What the candidate needs to decide a request the active version already decided."""

    candidate: CandidateState
    request: DecisionRequest
    served: Mapping[str, Any]  # the served decision's record
    analysis: Analysis  # the active analysis: reused when the candidate shares it
    facts: Mapping[str, ItemFacts]  # the graph's item facts for the served decision
    decided_at: datetime


class ShadowRunner:
    """One background thread deciding shadow jobs, behind a bounded queue."""

    def __init__(
        self,
        run: Callable[[ShadowJob], None],
        *,
        max_queue: int = SHADOW_QUEUE,
        on_drop: Callable[[], None] = lambda: None,
    ) -> None:
        self._run = run
        self._on_drop = on_drop
        self._queue: queue.Queue[ShadowJob | None] = queue.Queue(max_queue)
        self._idle = threading.Condition()
        self._pending = 0
        self.dropped = 0
        self.decided = 0
        self._thread = threading.Thread(target=self._loop, name="govroute-shadow", daemon=True)

    def start(self) -> ShadowRunner:
        self._thread.start()
        return self

    def submit(self, job: ShadowJob) -> bool:
        """Queue a job without waiting; False (and counted) when the queue is full."""
        with self._idle:
            self._pending += 1
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            with self._idle:
                self._pending -= 1
                self.dropped += 1
                dropped = self.dropped
                self._idle.notify_all()
            self._on_drop()
            if dropped & (dropped - 1) == 0:  # 1, 2, 4, 8...: a burst does not flood the log
                log.warning("shadow queue full: %d shadow decisions dropped so far", dropped)
            return False
        return True

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """Until every queued job has been decided (tests, shutdown); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout_s)

    def close(self, timeout_s: float = 10.0) -> None:
        """Decide what is queued (within `timeout_s`), then stop."""
        if not self._thread.is_alive():
            return
        self.wait_idle(timeout_s)
        try:
            self._queue.put(None, timeout=timeout_s)
        except queue.Full:
            return  # the thread is a daemon; the jobs left only miss the report
        self._thread.join(timeout_s)

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                self._run(job)
                self.decided += 1
            except Exception:  # one bad shadow decision must not stop the others
                log.exception("shadow decision under %s failed", job.candidate.version)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()
