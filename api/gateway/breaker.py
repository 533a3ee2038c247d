"""A circuit breaker per model endpoint, with an injected clock. Thread-safe.

    closed ──(failure rate >= threshold over the last `window` calls,
              at least `min_calls` of them)──> open
    open ──(cool-down elapsed)──> half-open: one probe call may go through
    half-open ──probe succeeds──> closed (history cleared)
    half-open ──probe fails──> open (cool-down starts again)

`acquire(model, last_resort=...)` asks for permission to call and answers with a
`Grant` (or None: skip this model); every granted call must end with
`record(model, ok=..., grant=...)`. A half-open breaker grants one probe at a
time; if its result is never recorded (the caller vanished), the probe slot frees
itself after another cool-down.

A breaker never makes things worse than no breaker. When a request has no other
candidate left whose circuit would let it through, the open model is called anyway
(`Grant.LAST_RESORT`, like Envoy's panic threshold and max ejection percent): an
open circuit there would turn a flaky sole provider into an outage, since retries
that would often succeed never go out. A last-resort call counts like a probe:
success closes the circuit, failure starts the cool-down again.

This is the process-local table; `api/gateway/breaker_board.py` puts it, or the
same machine kept in Redis, behind the gateway. Health is the gateway's business:
it reorders a decision's candidates by these states (`rank_by_state`); the pure
decision core never sees them, so every replica decides a request the same way.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

Clock = Callable[[], float]


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class Grant(StrEnum):
    """Why a call may go out: an ordinary call, the half-open probe, or the last resort."""

    CALL = "call"
    PROBE = "probe"
    LAST_RESORT = "last_resort"


@dataclass(frozen=True, slots=True)
class BreakerConfig:
    window: int = 20
    min_calls: int = 5
    failure_rate: float = 0.5
    cooldown_s: float = 30.0

    def __post_init__(self) -> None:
        if self.window < 1 or not 1 <= self.min_calls <= self.window:
            raise ValueError("need window >= 1 and 1 <= min_calls <= window")
        if not 0 < self.failure_rate <= 1:
            raise ValueError("failure_rate must be in (0, 1]")
        if self.cooldown_s < 0:
            raise ValueError("cooldown_s must not be negative")


@dataclass(frozen=True, slots=True)
class Transition:
    model_id: str
    old: BreakerState
    new: BreakerState


def rank_by_state(candidates: Sequence[str], states: Mapping[str, BreakerState]) -> list[str]:
    """The decision's candidates with open circuits moved last, otherwise in its order.

    Half-open models keep their place: the next request to reach one is its probe.
    """
    return sorted(candidates, key=lambda m: states.get(m) is BreakerState.OPEN)


@dataclass(slots=True)
class _Circuit:
    outcomes: deque[bool]
    state: BreakerState = BreakerState.CLOSED
    opened_at: float = 0.0
    probe_since: float | None = None


@dataclass(slots=True)
class Breakers:
    """One circuit per model id, created on first use, in this process's memory."""

    config: BreakerConfig = field(default_factory=BreakerConfig)
    clock: Clock = time.monotonic
    on_change: Callable[[Transition], None] | None = None
    _circuits: dict[str, _Circuit] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, model_id: str, *, last_resort: bool = False) -> Grant | None:
        """May a call to `model_id` go out now? (Reserves the probe when half-open.)

        `last_resort`: the request has no other candidate to go to, so an open or
        busy half-open circuit lets the call through instead of failing the request.
        """
        with self._lock:
            circuit = self._circuit(model_id)
            now = self.clock()
            changed: Transition | None = None
            grant: Grant | None = Grant.CALL
            if circuit.state is BreakerState.OPEN:
                if now - circuit.opened_at < self.config.cooldown_s:
                    return Grant.LAST_RESORT if last_resort else None
                changed = self._move(model_id, circuit, BreakerState.HALF_OPEN)
                circuit.probe_since = None
            if circuit.state is BreakerState.HALF_OPEN:
                stale = (
                    circuit.probe_since is not None
                    and now - circuit.probe_since >= self.config.cooldown_s
                )
                if circuit.probe_since is None or stale:
                    circuit.probe_since = now
                    grant = Grant.PROBE
                else:
                    grant = Grant.LAST_RESORT if last_resort else None
        self._notify(changed)
        return grant

    def record(self, model_id: str, *, ok: bool, grant: Grant = Grant.CALL) -> None:
        with self._lock:
            circuit = self._circuit(model_id)
            changed: Transition | None = None
            if circuit.state is not BreakerState.CLOSED and grant is not Grant.CALL:
                if grant is Grant.PROBE:
                    circuit.probe_since = None
                if ok:
                    circuit.outcomes.clear()
                    circuit.probe_since = None
                    changed = self._move(model_id, circuit, BreakerState.CLOSED)
                else:
                    circuit.opened_at = self.clock()
                    changed = self._move(model_id, circuit, BreakerState.OPEN)
            elif circuit.state is BreakerState.CLOSED:
                circuit.outcomes.append(ok)
                if self._tripped(circuit):
                    circuit.opened_at = self.clock()
                    changed = self._move(model_id, circuit, BreakerState.OPEN)
            # Otherwise a late result of a call made before the circuit opened: nothing.
        self._notify(changed)

    def release(self, model_id: str, grant: Grant = Grant.PROBE) -> None:
        """A granted call that never went out (no key): free the probe, record nothing."""
        if grant is not Grant.PROBE:
            return
        with self._lock:
            circuit = self._circuits.get(model_id)
            if circuit is not None and circuit.state is BreakerState.HALF_OPEN:
                circuit.probe_since = None

    def state(self, model_id: str) -> BreakerState:
        with self._lock:
            circuit = self._circuits.get(model_id)
            return circuit.state if circuit else BreakerState.CLOSED

    def states(self, model_ids: Sequence[str] | None = None) -> dict[str, BreakerState]:
        """Each model's state as routing sees it: an open circuit whose cool-down has
        passed reads as half-open (its next call is the probe)."""
        now = self.clock()
        with self._lock:
            ids = list(self._circuits) if model_ids is None else model_ids
            out: dict[str, BreakerState] = {}
            for m in ids:
                circuit = self._circuits.get(m)
                if circuit is None:
                    out[m] = BreakerState.CLOSED
                elif (
                    circuit.state is BreakerState.OPEN
                    and now - circuit.opened_at >= self.config.cooldown_s
                ):
                    out[m] = BreakerState.HALF_OPEN
                else:
                    out[m] = circuit.state
            return out

    def reset(self) -> None:
        with self._lock:
            self._circuits.clear()

    def _circuit(self, model_id: str) -> _Circuit:
        circuit = self._circuits.get(model_id)
        if circuit is None:
            circuit = _Circuit(outcomes=deque(maxlen=self.config.window))
            self._circuits[model_id] = circuit
        return circuit

    def _tripped(self, circuit: _Circuit) -> bool:
        calls = len(circuit.outcomes)
        if calls < self.config.min_calls:
            return False
        failures = sum(1 for ok in circuit.outcomes if not ok)
        return failures / calls >= self.config.failure_rate

    @staticmethod
    def _move(model_id: str, circuit: _Circuit, new: BreakerState) -> Transition:
        old, circuit.state = circuit.state, new
        return Transition(model_id, old, new)

    def _notify(self, changed: Transition | None) -> None:
        if changed is not None and changed.old != changed.new and self.on_change is not None:
            self.on_change(changed)
