"""The order the gateway tries a decision's candidates in: breakers first, then health.

The first key is the breaker's (api/gateway/breaker.py: open circuits last). Then,
when an applicable policy balances (engine.serving.BalanceRule), each candidate's
expected time to a good answer, divided by its policy weight: its average latency
over its average success rate (a model that fails half its calls costs two calls).
A model not measured yet, or not for `stale_s` (moved down, it is not called while the
others answer), counts with the catalog's typical latency (`latency_ms`) and no errors,
so it gets a call and is measured afresh. Ties keep the decision's
order (policy preference, cost). Without a balancing policy the decision's order is
kept, as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from api.gateway.breaker import BreakerState
from api.gateway.health import Health
from engine.serving import BalanceRule

MIN_SUCCESS = 0.05
"""A model failing every call still has a finite cost (twenty calls' worth), so that
weights and latency keep ordering models that are all failing."""


@dataclass(frozen=True, slots=True)
class Standing:
    """One candidate's place in the order, and the figures that put it there."""

    model_id: str
    open_circuit: bool
    latency_ms: float
    error_rate: float
    weight: float
    measured: bool

    @property
    def cost(self) -> float:
        return self.latency_ms / max(1.0 - self.error_rate, MIN_SUCCESS) / self.weight

    def describe(self) -> str:
        seen = "" if self.measured else ", not measured yet"
        circuit = ", circuit open" if self.open_circuit else ""
        return (
            f"{self.model_id} ({self.latency_ms:.0f} ms, {self.error_rate:.0%} errors, "
            f"weight {self.weight:g}{seen}{circuit})"
        )


def balanced_order(
    candidates: Sequence[str],
    states: Mapping[str, BreakerState],
    health: Mapping[str, Health],
    rule: BalanceRule,
    typical_ms: Mapping[str, float],
    *,
    now: float = 0.0,
    stale_s: float = float("inf"),
) -> list[Standing]:
    """The candidates in the order to try them, each with its figures (`now`, wall
    clock seconds: figures last observed `stale_s` before it are ignored)."""
    standings = []
    for model_id in candidates:
        measured = health.get(model_id)
        if measured is not None and now - measured.at >= stale_s:
            measured = None
        standings.append(
            Standing(
                model_id=model_id,
                open_circuit=states.get(model_id) is BreakerState.OPEN,
                latency_ms=measured.latency_ms if measured else typical_ms.get(model_id, 0.0),
                error_rate=measured.error_rate if measured else 0.0,
                weight=rule.weight(model_id),
                measured=measured is not None,
            )
        )
    position = {m: i for i, m in enumerate(candidates)}
    return sorted(standings, key=lambda s: (s.open_circuit, s.cost, position[s.model_id]))


def order_note(standings: Sequence[Standing], rule: BalanceRule) -> str:
    """How the order was chosen, for the decision's provenance."""
    listed = ", ".join(s.describe() for s in standings)
    return f"ordered by health under {rule.policy_id}: {listed}"
