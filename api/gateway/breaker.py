"""A circuit breaker per model endpoint, with an injected clock. Thread- and async-safe.

    closed ──(failure rate >= threshold over the last `window` calls,
              at least `min_calls` of them)──> open
    open ──(cool-down elapsed)──> half-open: one probe call may go through
    half-open ──probe succeeds──> closed (history cleared)
    half-open ──probe fails──> open (cool-down starts again)

`acquire(model)` asks for permission to call; every permitted call must end
with `record(model, ok=...)`. A half-open breaker grants one probe at a time;
if its result is never recorded (the caller vanished), the probe slot frees
itself after another cool-down.

The states feed routing: `health()` maps each model whose breaker is open and
still cooling down to False, which `engine.route` ranks last. After the
cool-down a model counts as healthy again, so the next request routes to it and
becomes the probe.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

Clock = Callable[[], float]


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


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


@dataclass(slots=True)
class _Circuit:
    outcomes: deque[bool]
    state: BreakerState = BreakerState.CLOSED
    opened_at: float = 0.0
    probe_since: float | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    model_id: str
    old: BreakerState
    new: BreakerState


@dataclass(slots=True)
class Breakers:
    """One circuit per model id, created on first use."""

    config: BreakerConfig = field(default_factory=BreakerConfig)
    clock: Clock = time.monotonic
    on_change: Callable[[Transition], None] | None = None
    _circuits: dict[str, _Circuit] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, model_id: str) -> bool:
        """May a call to `model_id` go out now? (Reserves the probe when half-open.)"""
        with self._lock:
            circuit = self._circuit(model_id)
            now = self.clock()
            changed: Transition | None = None
            if circuit.state is BreakerState.OPEN:
                if now - circuit.opened_at < self.config.cooldown_s:
                    return False
                changed = self._move(model_id, circuit, BreakerState.HALF_OPEN)
            allowed = True
            if circuit.state is BreakerState.HALF_OPEN:
                stale = (
                    circuit.probe_since is not None
                    and now - circuit.probe_since >= self.config.cooldown_s
                )
                if circuit.probe_since is None or stale:
                    circuit.probe_since = now
                else:
                    allowed = False
        self._notify(changed)
        return allowed

    def record(self, model_id: str, *, ok: bool) -> None:
        with self._lock:
            circuit = self._circuit(model_id)
            changed: Transition | None = None
            if circuit.state is BreakerState.HALF_OPEN:
                circuit.probe_since = None
                if ok:
                    circuit.outcomes.clear()
                    changed = self._move(model_id, circuit, BreakerState.CLOSED)
                else:
                    circuit.opened_at = self.clock()
                    changed = self._move(model_id, circuit, BreakerState.OPEN)
            elif circuit.state is BreakerState.CLOSED:
                circuit.outcomes.append(ok)
                if self._tripped(circuit):
                    circuit.opened_at = self.clock()
                    changed = self._move(model_id, circuit, BreakerState.OPEN)
            # OPEN: a late result of a call made before the circuit opened changes nothing.
        self._notify(changed)

    def release(self, model_id: str) -> None:
        """A permitted call that never went out (no key): free the probe, record nothing."""
        with self._lock:
            circuit = self._circuits.get(model_id)
            if circuit is not None and circuit.state is BreakerState.HALF_OPEN:
                circuit.probe_since = None

    def state(self, model_id: str) -> BreakerState:
        with self._lock:
            circuit = self._circuits.get(model_id)
            return circuit.state if circuit else BreakerState.CLOSED

    def states(self) -> dict[str, BreakerState]:
        with self._lock:
            return {m: c.state for m, c in self._circuits.items()}

    def health(self) -> dict[str, bool]:
        """For routing: False for each model whose circuit is open and still cooling down."""
        now = self.clock()
        with self._lock:
            return {
                m: False
                for m, c in self._circuits.items()
                if c.state is BreakerState.OPEN and now - c.opened_at < self.config.cooldown_s
            }

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
        if changed is not None and self.on_change is not None:
            self.on_change(changed)
