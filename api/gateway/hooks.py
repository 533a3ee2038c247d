"""Where telemetry plugs into the gateway: three calls, no-ops by default.

The gateway calls these on the request path, so an implementation must be quick
and must not raise (an exception is logged and swallowed, never shown to the
caller). `create_app(settings, gateway_hooks=...)` takes an implementation;
`NoHooks` is the default.

- `on_attempt` after every upstream attempt, skip or retry (the same `Attempt`
  that goes to provenance);
- `on_breaker_change` whenever a model's circuit changes state;
- `on_response` once per chat request that got past authentication and the
  request checks: denied, answered, filtered, blocked or failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from api.gateway.breaker import Transition
from engine.provenance import Attempt

log = logging.getLogger("govroute.gateway")


@dataclass(frozen=True, slots=True)
class ResponseEvent:
    """One finished chat request, as telemetry sees it (no text, no pseudonyms)."""

    decision_id: str
    principal_id: str
    tenant_id: str
    outcome: str  # the decision's: "allow" | "allow_with_redactions" | "deny"
    # "ok" | "denied" | "blocked" | "upstream_failed" | "stream_error" | "client_closed"
    status: str
    model_id: str | None  # the model that answered, if any
    stream: bool
    attempts: int
    latency_ms: float  # from the request's arrival to the last byte
    prompt_tokens: int | None = None  # as the upstream reported them
    completion_tokens: int | None = None
    total_tokens: int | None = None  # 0 when nothing reached a model (denied)
    output_redactions: int = 0
    blocked_by: str | None = None  # policy id
    output_filter_s: float = 0.0  # time spent filtering the answer (a stream's: summed)


class GatewayHooks(Protocol):
    def on_attempt(self, attempt: Attempt) -> None: ...

    def on_breaker_change(self, transition: Transition) -> None: ...

    def on_response(self, event: ResponseEvent) -> None: ...


class NoHooks:
    """The default: do nothing."""

    def on_attempt(self, attempt: Attempt) -> None:
        return None

    def on_breaker_change(self, transition: Transition) -> None:
        return None

    def on_response(self, event: ResponseEvent) -> None:
        return None


class SafeHooks:
    """Wraps hooks so that a failing implementation never breaks a request."""

    def __init__(self, hooks: GatewayHooks) -> None:
        self._hooks = hooks

    def on_attempt(self, attempt: Attempt) -> None:
        try:
            self._hooks.on_attempt(attempt)
        except Exception:
            log.exception("gateway hook on_attempt failed")

    def on_breaker_change(self, transition: Transition) -> None:
        try:
            self._hooks.on_breaker_change(transition)
        except Exception:
            log.exception("gateway hook on_breaker_change failed")

    def on_response(self, event: ResponseEvent) -> None:
        try:
            self._hooks.on_response(event)
        except Exception:
            log.exception("gateway hook on_response failed")
