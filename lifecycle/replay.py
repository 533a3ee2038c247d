"""Re-deciding recorded decisions under another version, on the pure core.

`redecide(record, world, rematch=...)` reads a record's replayable input
(engine.replay_input), rebuilds what the core is given under `world` (an
OfflineWorld of the version to replay under) and decides again, with the recorded
decision's id and time; `Replayer` does it for a stream of records, in this
process or in worker processes that each build the world once, and adds the
changes up in the same `DiffCounts` shadow reports (lifecycle.outcome_diff).

What is rebuilt, under the version:
- the principal: as the version's content declares it (roles may have changed),
  else as recorded;
- the facts: `OfflineWorld.facts_under` of the recorded facts;
- the intent: picked again from the recorded similarities when every intent of the
  version has the exemplars the similarities were measured against (thresholds,
  categories and tenants may differ; `rematch`); else the recorded match. Which one
  is counted in the statistics;
- detections: found again by the version's recognizers when the tenant kept its
  texts; else the recorded ones. Threat scores and injection signals are always the
  recorded ones (the detector is not policy content).
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from engine.decide import Analysis, decide
from engine.decision import MINILM, IntentMatch
from engine.errors import InvalidRequest
from engine.intent import BUSINESS_MARGIN, choose, rescore
from engine.model import IntentSpec, Principal, Snapshot
from engine.provenance import decision_record
from engine.replay_input import RecordedInput, read_input
from lifecycle.offline import OfflineWorld, offline_world
from lifecycle.outcome_diff import Change, DiffCounts, compare
from loaders.bundle import Bundle

REPLAY_SECRET = b"govroute-replay"
"""Replacement values are never compared (only labels and actions are), so any key does."""

CHUNK = 500
"""Records per task sent to a worker process: enough to make the hop cheap."""
SMALL_WINDOW_CHUNKS = 4
"""Fewer chunks than this (2,000 decisions, about a second) are decided in-process."""


@dataclass(frozen=True, slots=True)
class Redecided:
    change: Change
    rematched: bool  # the intent was picked again (else the recorded match was kept)
    texts_kept: bool


@dataclass(slots=True)
class ReplayStats:
    """What a replay read and did, beside the diff counts."""

    read: int = 0
    replayed: int = 0
    no_input: int = 0  # recorded before decisions kept their input: counted, skipped
    unreadable: int = 0  # an input that could not be read (the first few ids kept)
    unreadable_ids: list[str] = field(default_factory=list)
    intent_rematched: int = 0
    intent_recorded: int = 0
    texts_kept: int = 0
    read_seconds: float = 0.0  # waiting for records (Neo4j, or the caller's iterable)
    decide_seconds: float = 0.0  # deciding, summed over workers (CPU time spent on it)
    wall_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "replayed": self.replayed,
            "skipped_no_input": self.no_input,
            "skipped_unreadable": self.unreadable,
            "unreadable_examples": list(self.unreadable_ids),
            "intent_rematched": self.intent_rematched,
            "intent_recorded": self.intent_recorded,
            "texts_kept": self.texts_kept,
            "read_seconds": round(self.read_seconds, 3),
            "decide_seconds": round(self.decide_seconds, 3),
            "wall_seconds": round(self.wall_seconds, 3),
        }


def same_exemplars(version: Snapshot, measured: Mapping[str, IntentSpec]) -> bool:
    """Whether similarities measured against `measured` (the deciding version's intents)
    are the similarities to every intent of `version`."""
    return all(
        i in measured and measured[i].exemplars == spec.exemplars
        for i, spec in version.intents.items()
    )


def redecide(
    record: Mapping[str, Any],
    world: OfflineWorld,
    *,
    rematch: bool,
    principals: Mapping[str, Principal] | None = None,
) -> Redecided | None:
    """The change from a recorded decision to the world's decision on the same input;
    None when the record has no input. Raises InvalidRequest for an unreadable one.
    `principals`: the world's `declared_principals`, when deciding many."""
    recorded = read_input(record)
    if recorded is None:
        return None
    try:
        created = datetime.fromisoformat(str(record["created_at"]))
        decision_id = str(record["id"])
    except (KeyError, ValueError) as exc:
        raise InvalidRequest(f"decision {record.get('id', '?')}: no usable id or time") from exc
    declared = principals if principals is not None else declared_principals(world)
    caller = recorded.request.principal
    request = replace(recorded.request, principal=declared.get(caller.id, caller))
    analysis, rematched = _analysis(recorded, world, request.principal.tenant, rematch=rematch)
    principal = request.principal
    facts = world.facts_under(recorded.facts, principal.roles, principal.tenant)
    decision = decide(
        request,
        world.snapshot,
        facts,
        analysis,
        decision_id=decision_id,
        now=created,
        secret=REPLAY_SECRET,
    )
    return Redecided(compare(record, decision_record(decision)), rematched, recorded.texts_kept)


def declared_principals(world: OfflineWorld) -> dict[str, Principal]:
    """Every principal the version's content declares, as it declares them."""
    return {pid: world.principal(pid) for pid in world.principal_ids()}


def _analysis(
    recorded: RecordedInput, world: OfflineWorld, tenant: str, *, rematch: bool
) -> tuple[Analysis, bool]:
    analysis = recorded.analysis
    if recorded.texts_kept:
        found = {
            key: world.detector.detect(text.text, tenant)
            for key, text in analysis.texts.items()
            if text.text
        }
        analysis = replace(analysis, detections=found)
    similarities = analysis.intent_similarities
    # A match the static cascade settled recorded static cosines, which no version's
    # (MiniLM) thresholds read: its intent stands as recorded (docs/intent.md).
    if not (rematch and similarities) or analysis.intent.embedder != MINILM:
        return analysis, False
    intents = world.snapshot.intents
    scores = rescore(
        intents, similarities, analysis.signal_weights, thresholds=analysis.intent_thresholds
    )
    owners = {i: spec.tenant for i, spec in intents.items()}
    match: IntentMatch = choose(scores, analysis.intent.signals, owners, tenant, BUSINESS_MARGIN)
    return replace(analysis, intent=match), True


# --------------------------------------------------------------------------- many


@dataclass(frozen=True, slots=True)
class _Outcome:
    """One record's result as a worker sends it back (small, picklable)."""

    decision_id: str
    change: dict[str, Any] | None = None
    rematched: bool = False
    texts_kept: bool = False
    skipped: str = ""  # "no_input" | "unreadable"


class Replayer:
    """Replays records under one version. `workers` > 1: that many processes, each
    building the version's world once; records travel as their stored JSON strings.

    `rematchable`: the recorded versions (PolicySet ids) whose intents' exemplars are
    those of this version (`same_exemplars`); their intents are picked again."""

    def __init__(
        self,
        bundle: Bundle,
        version: str,
        rematchable: frozenset[str],
        *,
        workers: int = 1,
    ) -> None:
        self.bundle = bundle
        self.version = version
        self.rematchable = rematchable
        self.workers = workers

    def run(
        self, records: Iterable[str], counts: DiffCounts | None = None
    ) -> tuple[DiffCounts, ReplayStats]:
        """Replay every record (each a stored JSON record string); counts and stats."""
        counts = counts if counts is not None else DiffCounts()
        stats = ReplayStats()
        started = time.perf_counter()
        chunks = _timed_chunks(records, stats)
        # Starting worker processes costs seconds (each imports the engine): not worth
        # it for a window of a few chunks, which is decided here in less.
        head = list(itertools.islice(chunks, SMALL_WINDOW_CHUNKS))
        if self.workers <= 1 or len(head) < SMALL_WINDOW_CHUNKS:
            state = _WorkerState.build(self.bundle, self.version, self.rematchable)
            for chunk in itertools.chain(head, chunks):
                _add(*_replay_with(state, chunk), counts, stats)
        else:
            chunks = itertools.chain(head, chunks)
            # spawn, not fork: the parent holds a Neo4j driver and its threads.
            with ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init,
                initargs=(self.bundle, self.version, self.rematchable),
            ) as pool:
                # A few chunks per worker in flight: the records stream, never all held.
                for outcomes, seconds in _bounded_map(pool, chunks, 2 * self.workers):
                    _add(outcomes, seconds, counts, stats)
        stats.wall_seconds = time.perf_counter() - started
        return counts, stats


def _timed_chunks(records: Iterable[str], stats: ReplayStats) -> Iterator[list[str]]:
    """Chunks of records, the time spent waiting for them added to `stats.read_seconds`."""
    source = iter(records)
    while True:
        began = time.perf_counter()
        chunk = [r for _, r in zip(range(CHUNK), source, strict=False)]
        stats.read_seconds += time.perf_counter() - began
        if not chunk:
            return
        stats.read += len(chunk)
        yield chunk


def _bounded_map(
    pool: ProcessPoolExecutor, chunks: Iterator[list[str]], in_flight: int
) -> Iterator[tuple[list[_Outcome], float]]:
    pending = []
    for chunk in chunks:
        pending.append(pool.submit(_replay_chunk, chunk))
        if len(pending) >= in_flight:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()


def _add(outcomes: list[_Outcome], seconds: float, counts: DiffCounts, stats: ReplayStats) -> None:
    stats.decide_seconds += seconds
    for o in outcomes:
        if o.skipped == "no_input":
            stats.no_input += 1
        elif o.skipped:
            stats.unreadable += 1
            if len(stats.unreadable_ids) < 10:
                stats.unreadable_ids.append(o.decision_id)
        else:
            assert o.change is not None
            stats.replayed += 1
            stats.intent_rematched += o.rematched
            stats.intent_recorded += not o.rematched
            stats.texts_kept += o.texts_kept
            counts.add(Change.from_dict(o.change))


@dataclass(frozen=True, slots=True)
class _WorkerState:
    world: OfflineWorld
    rematchable: frozenset[str]
    principals: Mapping[str, Principal]

    @classmethod
    def build(cls, bundle: Bundle, version: str, rematchable: frozenset[str]) -> _WorkerState:
        world = offline_world(bundle, version=version)
        return cls(world, rematchable, declared_principals(world))


_worker: list[_WorkerState] = []
"""A worker process's world, set once by its initializer (`_init`) and read by every
task it runs: the one process-wide value here, and only ever in worker processes
(the in-process path passes its state along)."""


def _init(bundle: Bundle, version: str, rematchable: frozenset[str]) -> None:
    _worker[:] = [_WorkerState.build(bundle, version, rematchable)]


def _replay_chunk(chunk: list[str]) -> tuple[list[_Outcome], float]:
    return _replay_with(_worker[0], chunk)


def _replay_with(state: _WorkerState, chunk: list[str]) -> tuple[list[_Outcome], float]:
    began = time.process_time()
    out: list[_Outcome] = []
    for raw in chunk:
        record: dict[str, Any] = {}
        try:
            record = json.loads(raw)
            rematch = str(record.get("policy_version")) in state.rematchable
            done = redecide(record, state.world, rematch=rematch, principals=state.principals)
        except (InvalidRequest, ValueError, KeyError, TypeError):
            out.append(_Outcome(str(record.get("id", "?")), skipped="unreadable"))
            continue
        if done is None:
            out.append(_Outcome(str(record.get("id")), skipped="no_input"))
        else:
            out.append(
                _Outcome(
                    done.change.decision_id, done.change.as_dict(), done.rematched, done.texts_kept
                )
            )
    return out, time.process_time() - began
