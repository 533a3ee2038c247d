"""The request path, wired: identity, facts, analysis, the pure core, provenance.

One `Runtime` per process, created in the app's lifespan. It holds the engine
state for the active PolicySet (snapshot, detector, intent index) and swaps it
whole when a background refresher sees a new version, so requests never wait
for a rebuild. When Neo4j is unreachable, decisions still answer from the last
state: known callers authenticate from cache, context facts that cannot be read
are withheld (fail closed), and provenance goes to the journal.

Once a read has failed, the request path stops asking the graph (a read of a
stopped server sits in the driver's retry loop for ~15 s) until the liveness
probe (graph.liveness, every 0.5 s) sees the server again. Every read on the
request path has a deadline (`request_timeout_s`, 0.8 s by default), so a frozen
server costs an uncached key a 503 within a second, never a hang.

The runtime may start while the graph is away or frozen: it then has no state,
`/readyz` says not ready, decisions answer 503, and the refresher loads the
active PolicySet as soon as the probe sees the server.
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from api import logs
from api.rollout import (
    CandidateState,
    ShadowJob,
    ShadowRunner,
    build_candidate,
    decide_candidate,
    shadow_record,
)
from api.schemas import DecideRequest
from api.settings import TelemetrySettings, VaultSettings
from api.telemetry import PhaseClock, Telemetry
from api.vault.vault import Restore, Vault
from engine import decide as core
from engine.analyze import EngineState, analyze
from engine.decide import Analysis
from engine.decision import Decision
from engine.detect import Detector
from engine.embedding import Embedder, Vectors
from engine.errors import GraphTimeout, GraphUnavailable, NotAuthenticated, NotFound
from engine.intent import IntentIndex
from engine.model import (
    ChatMessage,
    ContextItem,
    DecisionRequest,
    ItemFacts,
    ItemKind,
    Principal,
    Snapshot,
)
from engine.provenance import decision_record
from engine.purpose import check_declared
from engine.replay_input import input_record
from engine.static_embedding import StaticEmbedder
from engine.threats.custom import ThreatCategoryFitter
from engine.threats.detector import ThreatDetector
from engine.vault import decision_visibility, entries_of, may_see, placeholders_in
from graph import queries
from graph.connection import GraphClient, records
from graph.facts import hash_api_key, item_facts, principal_for_key
from graph.liveness import Liveness
from graph.provenance import read_decision
from graph.provenance_writer import ProvenanceWriter
from graph.schema import apply_schema
from graph.snapshot import load_snapshot
from graph.store import rollout_candidate
from lifecycle.outcome_diff import compare
from lifecycle.rollout import ACTIVE, CANARY, rollout_field

log = logging.getLogger("govroute.runtime")
DECISION_THREADS = 40
"""Decisions running at once on the event loop's behalf (`decide_async`); anyio's
default thread limit, which the gateway used before it had threads of its own."""
# (highest PolicySet version, active version): either moving means "load again".
Generation = tuple[int, int]
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
    static: StaticEmbedder | None = None,
) -> EngineState:
    """Everything one PolicySet version needs; its own threat categories are fitted here,
    once per version (`fitter` keeps the benign reference embedded between versions).
    `static`: the intent cascade's static model (None: MiniLM for every prompt)."""
    custom = None
    if snapshot.threat_categories:
        fitter = fitter or ThreatCategoryFitter(embedder)
        custom = fitter.fit(snapshot.threat_categories.values())
    return EngineState(
        snapshot=snapshot,
        detector=Detector.for_snapshot(snapshot),
        intents=IntentIndex.from_snapshot(snapshot, embedder, static=static),
        threats=threats,
        custom_threats=custom,
    )


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision and its record: what POST /v1/decide answers and provenance stores,
    built once (`engine.provenance.decision_record`)."""

    decision: Decision
    record: dict[str, Any]
    # The intent segment's embedding and its key (engine.decide.Analysis), for the
    # gateway's semantic cache; never recorded.
    prompt_vectors: Vectors | None = field(default=None, compare=False, repr=False)
    prompt_segment: str | None = None


@dataclass(frozen=True, slots=True)
class _Inputs:
    """A decision with what it was decided from, for the shadow to decide again."""

    decision: Decision
    request: DecisionRequest
    analysis: Analysis
    facts: dict[str, ItemFacts]
    replay: dict[str, Any]  # the record's replayable input (engine.replay_input)


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
        vault: Vault | None = None,
        request_timeout_s: float = 0.8,
        probe_interval_s: float = 0.5,
        probe_timeout_s: float = 1.0,
        static: StaticEmbedder | None = None,
    ) -> None:
        """No I/O here: `start` makes the first contact (see the module docstring).
        `static`: the intent cascade's static model (engine.cascade); None: MiniLM only."""
        self.graph = graph
        self.vault = vault or Vault.from_settings(VaultSettings(redis_url=None), secret)
        # One per process: the model does not change with the PolicySet.
        self.threats = threats or ThreatDetector.shipped()
        self.telemetry = telemetry or Telemetry(TelemetrySettings(otlp_endpoint=None))
        self.embedder = embedder
        self.static = static
        self.writer = writer
        self._secret = secret
        self._refresh_interval = refresh_interval_s
        self._request_timeout = request_timeout_s
        # (highest PolicySet version, active version): what `_read_generation` watches.
        self._generation: Generation = (-1, -1)
        # Embeds the benign reference only if some PolicySet declares a threat category.
        self._fitter = ThreatCategoryFitter(embedder)
        self._state: EngineState | None = None
        # The candidate under shadow or canary (api.rollout), swapped whole like `_state`;
        # `_candidate_failed` remembers one that would not build, so it is not rebuilt
        # every cycle: (candidate id, content hash, active version).
        self._candidate: CandidateState | None = None
        self._candidate_failed: tuple[str, str, str] | None = None
        self._shadow = ShadowRunner(self._decide_shadow, on_drop=self.telemetry.shadow_dropped)
        self._schema_applied = False
        self._loaded = threading.Event()
        self.liveness = Liveness(
            lambda: graph.ping(probe_timeout_s),
            interval_s=probe_interval_s,
            on_change=self._graph_changed,
        )
        self._principals: Lru[str, tuple[Generation, Principal]] = Lru(10_000)
        # Keyed by tenant too: the same id is a different answer for each tenant.
        self._facts: Lru[tuple[Generation, str, frozenset[str], str], ItemFacts] = Lru(100_000)
        self._recent: Lru[str, dict[str, Any]] = Lru(10_000)
        self._stop = threading.Event()
        self._refresher = threading.Thread(
            target=self._refresh_loop, name="govroute-refresh", daemon=True
        )
        self.graph_up = False
        # The embedding releases the GIL: decisions run in threads, off the event loop.
        self._decision_threads = ThreadPoolExecutor(
            DECISION_THREADS, thread_name_prefix="govroute-decide"
        )
        # Each decision's graph read, overlapping its analysis (see `_decide`).
        self._graph_threads = ThreadPoolExecutor(
            DECISION_THREADS, thread_name_prefix="govroute-graph"
        )

    def start(self, first_load_timeout_s: float = 120.0) -> Runtime:
        """Probe the graph once and, when it answers, load the active PolicySet; then run
        the probe and the refresher. Returns without a state (not ready) when the graph
        does not answer, or the first load takes longer than `first_load_timeout_s`."""
        self.liveness.probe()
        self._shadow.start()
        self._refresher.start()
        self.liveness.start()
        if self.liveness.up:
            self._loaded.wait(first_load_timeout_s)
        if self._state is None:
            log.warning("started without a PolicySet: the graph did not answer; not ready")
        return self

    def close(self, timeout_s: float = 20.0) -> None:
        self._stop.set()
        self.liveness.close()
        # Wait for a refresh in progress: the driver is closed right after this.
        if self._refresher.is_alive():
            self._refresher.join(timeout_s)
        self._decision_threads.shutdown(wait=True)
        self._shadow.close()  # after the decisions that may still queue shadow jobs
        self._graph_threads.shutdown(wait=True)

    @property
    def state(self) -> EngineState:
        """The engine state of the active PolicySet; GraphUnavailable before the first load."""
        state = self._state
        if state is None:
            raise GraphUnavailable(
                "no PolicySet is loaded yet: the graph has not answered since this process started"
            )
        return state

    @property
    def candidate(self) -> CandidateState | None:
        """The candidate under shadow or canary, when one is built and out."""
        return self._candidate

    @property
    def shadow(self) -> ShadowRunner:
        return self._shadow

    def state_for(self, decision: Decision) -> EngineState:
        """The engine state of the version that decided `decision` (a canary's candidate,
        else the active one): the gateway routes and filters the answer under it."""
        candidate = self._candidate
        if candidate is not None and decision.policy_version == candidate.version:
            return candidate.state
        return self.state

    @property
    def loaded(self) -> bool:
        return self._state is not None

    def _read_failed(self, exc: GraphUnavailable) -> None:
        """A request's read failed. Refused or reset: the server is away, stop asking it
        until the probe sees it again. Only slow (a deadline passed): the probe decides,
        so that one slow answer does not refuse every unknown key for seconds."""
        if not isinstance(exc, GraphTimeout):
            self.graph_up = False

    def _graph_changed(self, up: bool) -> None:
        """From the liveness probe: the server answers again, or stopped answering."""
        self.graph_up = up
        if up:
            self.writer.replay_now()

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
            principal = self.graph.within(self._request_timeout, principal_for_key, self.graph, key)
        except GraphUnavailable as exc:
            self._read_failed(exc)
            if cached is not None:  # last known identity, while the graph is away
                return cached[1]
            raise
        if principal is None:
            raise NotAuthenticated("unknown or revoked API key")
        self._principals.put(digest, (self._generation, principal))
        return principal

    # ------------------------------------------------------------ decisions

    def decide(self, principal: Principal, body: DecideRequest) -> Decided:
        state = self.state
        candidate = self._candidate  # read once: the refresher may swap it meanwhile
        canary = candidate if candidate is not None and candidate.serves(principal) else None
        deciding = canary.state if canary is not None else state
        check_declared(deciding.snapshot, body.purpose)  # a 400 before anything is decided
        decision_id = f"dec_{uuid.uuid4().hex}"
        logs.bind(decision_id=decision_id, policy_version=deciding.snapshot.version)
        clock = PhaseClock()
        try:
            inputs = self._decide(principal, body, state, decision_id, clock, canary)
        except Exception as exc:
            clock.stop()
            self.telemetry.decision_failed(
                decision_id, principal, deciding.snapshot.version, clock, exc
            )
            raise
        decision = inputs.decision
        self.telemetry.decided(decision, clock)
        # A later turn, or the answer (of a held request too, once approved), may bring
        # these pseudonyms back.
        if decision.allowed or decision.held:
            self.vault.keep(decision.pseudonym_scope, entries_of(decision))
        record = decision_record(decision, inputs.replay)
        record["latency_ms"] = round(clock.seconds() * 1000, 3)  # the console's latency chart
        if candidate is not None:  # which version decided, while a candidate is out
            role = CANARY if canary is not None else ACTIVE
            record["rollout"] = rollout_field(role, candidate.version, state.snapshot.version)
        self._recent.put(decision.id, record)
        self.writer.submit_decision(record)
        if canary is not None:
            self.telemetry.canary_served(canary.version)
        elif candidate is not None and candidate.shadow:
            self._shadow.submit(
                ShadowJob(
                    candidate,
                    inputs.request,
                    record,
                    inputs.analysis,
                    inputs.facts,
                    decision.created_at,
                )
            )
        analysis = inputs.analysis
        return Decided(decision, record, analysis.prompt_vectors, analysis.prompt_segment)

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
        canary: CandidateState | None = None,
    ) -> _Inputs:
        """Decide under the active `state`, or under `canary`'s candidate; the item facts
        are read from the graph (the active version's) either way. With the decision, its
        replayable input (engine.replay_input) for the record."""
        request = DecisionRequest(
            principal=principal,
            messages=tuple(ChatMessage(m.role, m.content) for m in body.as_messages()),
            context=tuple(
                ContextItem(c.id, c.text, ItemKind(c.kind), c.document, c.tool)
                for c in body.context
            ),
            purpose=body.purpose,
            required_capabilities=frozenset(body.required_capabilities),
            preferred_model=body.preferred_model,
            user_region=body.user_region,
            max_output_tokens=body.max_output_tokens,
            task=body.task,
            pseudonym_scope=self.vault.scope_for(principal, body.conversation_id, decision_id),
        )
        # The graph read needs only the ids and the roles, so it runs while the text is
        # analysed (the embedding releases the GIL) instead of after it: a context
        # lookup is a Neo4j round trip of 2-8 ms that would otherwise add to every
        # decision with context. The graph_lookup phase is what is left of it after
        # the analysis.
        ids = list(dict.fromkeys(c.graph_id for c in request.context if c.graph_id))
        reading = (
            self._graph_threads.submit(
                contextvars.copy_context().run,
                self._item_facts,
                ids,
                principal,
                state.snapshot,
            )
            if ids
            else None
        )
        analysis = analyze(request, canary.state if canary else state, phase=clock.mark)
        clock.mark("graph_lookup")
        facts = reading.result() if reading is not None else {}
        if canary is not None:
            decision = decide_candidate(
                canary,
                request,
                facts,
                analysis,
                decision_id=decision_id,
                now=datetime.now(UTC),
                secret=self._secret,
                phase=clock.mark,
            )
        else:
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
        replay = input_record(request, analysis, facts, keep_texts=principal.record_prompts)
        return _Inputs(decision, request, analysis, facts, replay)

    def _decide_shadow(self, job: ShadowJob) -> None:
        """The candidate's decision of a served request, in the shadow thread: compared
        with the served one and recorded (journal kind "shadow"), never served."""
        candidate = job.candidate
        analysis = (
            job.analysis if candidate.shared_analysis else analyze(job.request, candidate.state)
        )
        decision = decide_candidate(
            candidate,
            job.request,
            job.facts,
            analysis,
            decision_id=str(job.served["id"]),
            now=job.decided_at,
            secret=self._secret,
        )
        change = compare(job.served, decision_record(decision))
        at = job.decided_at.isoformat()
        self.writer.submit_shadow(shadow_record(change, version=candidate.version, at=at))
        self.telemetry.shadow_decided(candidate.version, change.kinds)

    def restorable(self, decision: Decision, principal: Principal) -> dict[str, str]:
        """Placeholder -> value for the answer of `decision`: its own pseudonyms, and those
        of earlier turns that its messages carry back, where the vault still has them and
        the caller may read their labels (engine.vault.may_see). Each of the latter is a
        restore, recorded as provenance; a vault that does not answer restores none."""
        mapping = dict(decision.pseudonyms)
        carried = placeholders_in(m.content for m in decision.messages) | placeholders_in(
            c.text for c in decision.context
        )
        wanted = carried - mapping.keys()
        if not wanted:
            return mapping
        scope = decision.pseudonym_scope
        found = self.vault.find_or_none(scope, wanted)
        entity_labels = self.state_for(decision).snapshot.entity_labels
        actions, blocks = decision_visibility(decision, entity_labels)
        now = datetime.now(UTC)
        for pseudonym, entry in sorted(found.items()):
            if may_see(entry, actions, blocks, entity_labels):
                mapping[pseudonym] = entry.value
                restore = Restore("answer", principal, scope, entry, now, decision.id)
                self.writer.submit_restore(restore.record())
        return mapping

    def recorded(self, decision_id: str, principal: Principal) -> dict[str, Any]:
        """A decision of the caller's tenant: the requester's own, or any with 'audit'."""
        record = None
        if self.graph_up:
            try:
                record = self.graph.within(
                    self._request_timeout, read_decision, self.graph, decision_id
                )
            except GraphUnavailable as exc:
                self._read_failed(exc)
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
        self, ids: list[str], principal: Principal, snapshot: Snapshot
    ) -> dict[str, ItemFacts]:
        generation = self._generation
        roles, tenant = principal.roles, principal.tenant
        found: dict[str, ItemFacts] = {}
        missing: list[str] = []
        for item_id in ids:
            cached = self._facts.get((generation, item_id, roles, tenant))
            if cached is None:
                missing.append(item_id)
            else:
                found[item_id] = cached
        if not missing:
            return found
        try:
            if not self.graph_up:
                raise GraphUnavailable("the refresher has not reached it since the last failure")
            fresh = self.graph.within(
                self._request_timeout,
                item_facts,
                self.graph,
                missing,
                roles,
                snapshot.label_ancestry,
                tenant=tenant,
            )
        except GraphUnavailable as exc:
            self._read_failed(exc)
            reason = f"The graph is unreachable, so the item's labels cannot be checked: {exc}"
            return found | {i: ItemFacts(id=i, found=False, unavailable=reason) for i in missing}
        for item_id, facts in fresh.items():
            self._facts.put((generation, item_id, roles, tenant), facts)
        return found | fresh

    # ------------------------------------------------------------ freshness

    def refresh(self) -> bool:
        """Rebuild the state if a load happened since, and pick up the rollout (every
        cycle); True when the active state changed."""
        if not self.liveness.up:
            return False  # the probe says the server is away: a query would only wait
        try:
            if not self._schema_applied:
                apply_schema(self.graph)  # idempotent; once per process, at first contact
                self._schema_applied = True
            generation = self._read_generation()
            self.graph_up = True  # after a request's read failed while the probe stayed up
        except GraphUnavailable:
            if self.graph_up and self._state is not None:
                log.warning(
                    "graph unreachable: answering from PolicySet %s", self._state.snapshot.version
                )
            self.graph_up = False
            return False
        changed = False
        if generation != self._generation or self._state is None:
            changed = self._reload(generation)
        # Before the first answer too: a canary's principals get the candidate from the
        # first request on, and its query is planned before any request has a deadline.
        self._refresh_candidate()
        if self._state is not None:
            self._loaded.set()
        return changed

    def _reload(self, generation: Generation) -> bool:
        """A load happened since `generation`: the active state, rebuilt if its version
        changed."""
        snapshot = load_snapshot(self.graph)
        changed = self._state is None or snapshot.version != self._state.snapshot.version
        if changed:
            started = time.perf_counter()
            self._state = build_state(
                snapshot, self.embedder, self.threats, self._fitter, self.static
            )
            log.info(
                "active PolicySet is now %s (engine rebuilt in %.0f ms)",
                snapshot.version,
                (time.perf_counter() - started) * 1000,
            )
        if self._state is not None and self._generation[0] < 0:
            self._warm_up(self._state.snapshot)
        self._generation = generation
        self._facts.clear()
        if self.writer.behind:
            self.writer.replay_now()
        return changed

    def _refresh_candidate(self) -> None:
        """Pick up a rollout started, changed or ended (it bumps no PolicySet version, so
        it is read every cycle: one small query); build the candidate's state when the
        candidate or the active version changed. A candidate that fails to build is
        logged and left out: the active version serves everyone."""
        active = self._state
        if active is None:
            return
        try:
            rollout = rollout_candidate(self.graph)
        except GraphUnavailable as exc:
            log.warning("reading the rollout failed; keeping the last one: %s", exc)
            return
        current = self._candidate
        if rollout is None:
            if current is not None:
                log.info(
                    "rollout of %s ended: %s serves everyone",
                    current.version,
                    active.snapshot.version,
                )
            self._candidate = None
            return
        ps = rollout.policy_set
        key = (ps.id, ps.content_hash, active.snapshot.version)
        if current is not None and key == (
            current.version,
            current.rollout.policy_set.content_hash,
            current.active_version,
        ):
            if current.rollout != rollout:
                self._candidate = current.with_rollout(rollout)
                log.info(
                    "rollout of %s is now %s (%s)",
                    ps.id,
                    rollout.mode,
                    self._candidate.selection.describe(),
                )
            return
        if key == self._candidate_failed:
            return
        started = time.perf_counter()
        try:
            built = build_candidate(self.graph, rollout, active, self._build_state)
        except GraphUnavailable as exc:
            log.warning("reading candidate %s failed; will try again: %s", ps.id, exc)
            return
        except Exception:
            log.exception(
                "candidate %s could not be built: left out, %s serves everyone",
                ps.id,
                active.snapshot.version,
            )
            self._candidate_failed = key
            self._candidate = None
            return
        self._candidate = built
        log.info(
            "candidate %s under %s beside %s (%s; analysis %s; built in %.0f ms)",
            ps.id,
            rollout.mode,
            active.snapshot.version,
            built.selection.describe() if rollout.mode == CANARY else "never serves",
            "shared with the active version" if built.shared_analysis else "its own",
            (time.perf_counter() - started) * 1000,
        )

    def _build_state(self, snapshot: Snapshot) -> EngineState:
        return build_state(snapshot, self.embedder, self.threats, self._fitter, self.static)

    def _warm_up(self, snapshot: Snapshot) -> None:
        """Run the request path's queries once, without a deadline, before serving: the
        server plans a query on its first run (hundreds of ms on a busy machine), which
        must not count against the first caller's deadline."""
        try:
            principal_for_key(self.graph, "govroute-warm-up")
            item_facts(
                self.graph, ["govroute-warm-up"], frozenset(), snapshot.label_ancestry, tenant=""
            )
        except GraphUnavailable as exc:
            log.warning("warming up the request path's queries failed: %s", exc)

    def _refresh_loop(self) -> None:
        first = True
        while first or not self._stop.wait(self._refresh_interval):
            try:
                self.refresh()
            except Exception:  # the refresher must survive anything; requests keep the last state
                kept = self._state.snapshot.version if self._state else "none (not loaded)"
                log.exception("refresh failed; keeping PolicySet %s", kept)
            if first:
                first = False
                self._loaded.set()  # start() waits for this first attempt, whatever it gave

    def _read_generation(self) -> Generation:
        rows = self.graph.read(records, queries.POLICY_GENERATION)
        return int(rows[0]["version"]), int(rows[0]["active"])
