"""The request path, wired: identity, facts, analysis, the pure core, provenance.

One `Runtime` per process, created in the app's lifespan. It holds the engine
state for the active PolicySet (snapshot, detector, intent index) and swaps it
whole when a background refresher sees a new version, so requests never wait
for a rebuild. When Neo4j is unreachable, decisions still answer from the last
state: known callers authenticate from cache, context facts that cannot be read
are withheld (fail closed), and provenance goes to the journal.

Once a read has failed, the request path stops asking the graph (a read of a
stopped server sits in the driver's retry loop for ~15 s) until the refresher's
cheap connectivity probe sees the server again.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from api import logs
from api.schemas import DecideRequest
from api.settings import TelemetrySettings
from api.telemetry import PhaseClock, Telemetry
from engine import decide as core
from engine.analyze import EngineState, analyze
from engine.decision import Decision
from engine.detect import Detector
from engine.embedding import Embedder
from engine.errors import GraphUnavailable, NotAuthenticated, NotFound
from engine.intent import IntentIndex
from engine.model import ChatMessage, ContextItem, DecisionRequest, ItemFacts, Principal, Snapshot
from engine.provenance import decision_record
from engine.threats.custom import ThreatCategoryFitter
from engine.threats.detector import ThreatDetector
from graph import queries
from graph.connection import GraphClient, records
from graph.facts import hash_api_key, item_facts, principal_for_key
from graph.provenance import read_decision
from graph.provenance_writer import ProvenanceWriter
from graph.snapshot import load_snapshot

log = logging.getLogger("govroute.runtime")
DECISION_THREADS = 40
"""Decisions running at once on the event loop's behalf (`decide_async`); anyio's
default thread limit, which the gateway used before it had threads of its own."""
K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def build_state(
    snapshot: Snapshot,
    embedder: Embedder,
    threats: ThreatDetector,
    fitter: ThreatCategoryFitter | None = None,
) -> EngineState:
    """Everything one PolicySet version needs; its own threat categories are fitted here,
    once per version (`fitter` keeps the benign reference embedded between versions)."""
    custom = None
    if snapshot.threat_categories:
        fitter = fitter or ThreatCategoryFitter(embedder)
        custom = fitter.fit(snapshot.threat_categories.values())
    return EngineState(
        snapshot=snapshot,
        detector=Detector(snapshot.entity_types.values()),
        intents=IntentIndex.from_snapshot(snapshot, embedder),
        threats=threats,
        custom_threats=custom,
    )


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision and its record: what POST /v1/decide answers and provenance stores,
    built once (`engine.provenance.decision_record`)."""

    decision: Decision
    record: dict[str, Any]


class Runtime:
    def __init__(
        self,
        graph: GraphClient,
        embedder: Embedder,
        writer: ProvenanceWriter,
        secret: bytes,
        *,
        refresh_interval_s: float = 2.0,
        telemetry: Telemetry | None = None,
        threats: ThreatDetector | None = None,
    ) -> None:
        self.graph = graph
        # One per process: the model does not change with the PolicySet.
        self.threats = threats or ThreatDetector.shipped()
        self.telemetry = telemetry or Telemetry(TelemetrySettings(otlp_endpoint=None))
        self.embedder = embedder
        self.writer = writer
        self._secret = secret
        self._refresh_interval = refresh_interval_s
        self._generation = self._read_generation()
        # Embeds the benign reference only if some PolicySet declares a threat category.
        self._fitter = ThreatCategoryFitter(embedder)
        self._state = build_state(load_snapshot(graph), embedder, self.threats, self._fitter)
        self._principals: Lru[str, tuple[int, Principal]] = Lru(10_000)
        self._facts: Lru[tuple[int, str, frozenset[str]], ItemFacts] = Lru(100_000)
        self._recent: Lru[str, dict[str, Any]] = Lru(10_000)
        self._stop = threading.Event()
        self._refresher = threading.Thread(
            target=self._refresh_loop, name="govroute-refresh", daemon=True
        )
        self.graph_up = True
        # The embedding releases the GIL: decisions run in threads, off the event loop.
        self._decision_threads = ThreadPoolExecutor(
            DECISION_THREADS, thread_name_prefix="govroute-decide"
        )
        # Each decision's graph read, overlapping its analysis (see `_decide`).
        self._graph_threads = ThreadPoolExecutor(
            DECISION_THREADS, thread_name_prefix="govroute-graph"
        )

    def start(self) -> Runtime:
        self._refresher.start()
        return self

    def close(self, timeout_s: float = 20.0) -> None:
        self._stop.set()
        # Wait for a refresh in progress: the driver is closed right after this.
        if self._refresher.is_alive():
            self._refresher.join(timeout_s)
        self._decision_threads.shutdown(wait=True)
        self._graph_threads.shutdown(wait=True)

    @property
    def state(self) -> EngineState:
        return self._state

    # ------------------------------------------------------------ identity

    def authenticate(self, key: str) -> Principal:
        """The key's principal; may read the graph (a key not seen for this state)."""
        principal = self._auth(key, may_read=True)
        assert principal is not None
        return principal

    def authenticate_cached(self, key: str) -> Principal | None:
        """`authenticate` when it needs no I/O (a key already known for this state), so
        that the event loop may call it; None when only `authenticate` can tell."""
        return self._auth(key, may_read=False)

    def _auth(self, key: str, *, may_read: bool) -> Principal | None:
        digest = hash_api_key(key)
        cached = self._principals.get(digest)
        # While the graph is away, the last known identity stands.
        known = cached is not None and (cached[0] == self._generation or not self.graph_up)
        if not known and not may_read:
            return None
        with self.telemetry.phase("auth") as span:
            principal = cached[1] if known and cached else self._read_principal(key, digest)
            span.set_attributes(
                {"govroute.principal_id": principal.id, "govroute.tenant_id": principal.tenant}
            )
        logs.bind(principal_id=principal.id, tenant_id=principal.tenant)
        return principal

    def _read_principal(self, key: str, digest: str) -> Principal:
        cached = self._principals.get(digest)
        if cached is not None and (cached[0] == self._generation or not self.graph_up):
            return cached[1]  # another request read it meanwhile, or the graph went away
        if not self.graph_up:
            raise GraphUnavailable(
                "the graph is unreachable and this API key was not seen before it went away"
            )
        try:
            principal = principal_for_key(self.graph, key)
        except GraphUnavailable:
            self.graph_up = False
            if cached is not None:  # last known identity, while the graph is away
                return cached[1]
            raise
        if principal is None:
            raise NotAuthenticated("unknown or revoked API key")
        self._principals.put(digest, (self._generation, principal))
        return principal

    # ------------------------------------------------------------ decisions

    def decide(self, principal: Principal, body: DecideRequest) -> Decided:
        state = self._state
        decision_id = f"dec_{uuid.uuid4().hex}"
        logs.bind(decision_id=decision_id, policy_version=state.snapshot.version)
        clock = PhaseClock()
        try:
            decision = self._decide(principal, body, state, decision_id, clock)
        except Exception as exc:
            clock.stop()
            self.telemetry.decision_failed(
                decision_id, principal, state.snapshot.version, clock, exc
            )
            raise
        self.telemetry.decided(decision, clock)
        record = decision_record(decision)
        self._recent.put(decision.id, record)
        self.writer.submit_decision(record)
        return Decided(decision, record)

    async def decide_async(self, principal: Principal, body: DecideRequest) -> Decided:
        """`decide` in one of the runtime's decision threads, for the event loop.

        A plain executor hop (the caller's context variables copied, as anyio's
        to_thread does): anyio's capacity limiter and cancel scopes cost the event
        loop more per call than everything else the hop does. A caller cancelled
        meanwhile still waits for the decision it started, which runs to its end and
        is recorded either way.
        """
        context = contextvars.copy_context()
        job = self._decision_threads.submit(context.run, self.decide, principal, body)
        waiting = asyncio.wrap_future(job)
        try:
            return await asyncio.shield(waiting)
        except asyncio.CancelledError:
            await asyncio.wait([waiting])
            raise

    def _decide(
        self,
        principal: Principal,
        body: DecideRequest,
        state: EngineState,
        decision_id: str,
        clock: PhaseClock,
    ) -> Decision:
        request = DecisionRequest(
            principal=principal,
            messages=tuple(ChatMessage(m.role, m.content) for m in body.as_messages()),
            context=tuple(ContextItem(c.id, c.text) for c in body.context),
            purpose=body.purpose,
            required_capabilities=frozenset(body.required_capabilities),
            preferred_model=body.preferred_model,
            user_region=body.user_region,
            max_output_tokens=body.max_output_tokens,
        )
        # The graph read needs only the ids and the roles, so it runs while the text is
        # analysed (the embedding releases the GIL) instead of after it: a context
        # lookup is a Neo4j round trip of 2-8 ms that would otherwise add to every
        # decision with context. The graph_lookup phase is what is left of it after
        # the analysis.
        ids = [c.id for c in request.context]
        reading = (
            self._graph_threads.submit(
                contextvars.copy_context().run,
                self._item_facts,
                ids,
                principal.roles,
                state.snapshot,
            )
            if ids
            else None
        )
        analysis = analyze(request, state, phase=clock.mark)
        clock.mark("graph_lookup")
        facts = reading.result() if reading is not None else {}
        decision = core.decide(
            request,
            state.snapshot,
            facts,
            analysis,
            decision_id=decision_id,
            now=datetime.now(UTC),
            secret=self._secret,
            phase=clock.mark,
        )
        clock.stop()
        return decision

    def recorded(self, decision_id: str, principal: Principal) -> dict[str, Any]:
        """A decision of the caller's tenant: the requester's own, or any with 'audit'."""
        record = None
        if self.graph_up:
            try:
                record = read_decision(self.graph, decision_id)
            except GraphUnavailable:
                self.graph_up = False
        if record is None:
            recent = self._recent.get(decision_id)
            record = {**recent, "provenance": []} if recent else None
        allowed = (
            record is not None
            and record["tenant_id"] == principal.tenant
            and (record["principal_id"] == principal.id or "audit" in principal.permissions)
        )
        if not allowed:
            # Same answer whether it does not exist or belongs to someone else.
            raise NotFound(f"no decision {decision_id} visible to this key")
        assert record is not None
        return record

    def _item_facts(
        self, ids: list[str], roles: frozenset[str], snapshot: Snapshot
    ) -> dict[str, ItemFacts]:
        generation = self._generation
        found: dict[str, ItemFacts] = {}
        missing: list[str] = []
        for item_id in ids:
            cached = self._facts.get((generation, item_id, roles))
            if cached is None:
                missing.append(item_id)
            else:
                found[item_id] = cached
        if not missing:
            return found
        try:
            if not self.graph_up:
                raise GraphUnavailable("the refresher has not reached it since the last failure")
            fresh = item_facts(self.graph, missing, roles, snapshot.label_ancestry)
        except GraphUnavailable as exc:
            self.graph_up = False
            reason = f"The graph is unreachable, so the item's labels cannot be checked: {exc}"
            return found | {i: ItemFacts(id=i, found=False, unavailable=reason) for i in missing}
        for item_id, facts in fresh.items():
            self._facts.put((generation, item_id, roles), facts)
        return found | fresh

    # ------------------------------------------------------------ freshness

    def refresh(self) -> bool:
        """Rebuild the state if a load happened since; True when the state changed."""
        try:
            self.graph.verify()  # fails at once when the server is gone; a query would retry
            generation = self._read_generation()
            self.graph_up = True
        except GraphUnavailable:
            if self.graph_up:
                log.warning(
                    "graph unreachable: answering from PolicySet %s", self._state.snapshot.version
                )
            self.graph_up = False
            return False
        if generation == self._generation:
            return False
        snapshot = load_snapshot(self.graph)
        changed = snapshot.version != self._state.snapshot.version
        if changed:
            started = time.perf_counter()
            self._state = build_state(snapshot, self.embedder, self.threats, self._fitter)
            log.info(
                "active PolicySet is now %s (engine rebuilt in %.0f ms)",
                snapshot.version,
                (time.perf_counter() - started) * 1000,
            )
        self._generation = generation
        self._facts.clear()
        if self.writer.journal.has_pending():
            self.writer.replay_now()
        return changed

    def _refresh_loop(self) -> None:
        while not self._stop.wait(self._refresh_interval):
            try:
                was_down = not self.graph_up
                self.refresh()
                if was_down and self.graph_up:
                    log.info("graph reachable again; replaying the provenance journal")
                    self.writer.replay_now()
            except Exception:  # the refresher must survive anything; requests keep the last state
                log.exception("refresh failed; keeping PolicySet %s", self._state.snapshot.version)

    def _read_generation(self) -> int:
        rows = self.graph.read(records, queries.MAX_POLICY_SET_VERSION)
        return int(rows[0]["version"])
