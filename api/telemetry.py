"""Traces, metrics and the decision log line: one `Telemetry` per app, made in its lifespan.

Traces (OpenTelemetry): every HTTP request is a `govroute.request` span (joining the
caller's trace when it sends a W3C traceparent), with children for the phases of a
decision: `govroute.auth`, `govroute.detection`, `govroute.intent`,
`govroute.graph_lookup`, `govroute.policy`, `govroute.routing`, and in the gateway
`govroute.upstream_attempt` (one per attempt) and `govroute.output_filter`. The
engine stays free of tracing: it only calls a `phase(name)` hook at its boundaries,
which a `PhaseClock` timestamps; the spans are made from those marks after the
decision. Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set
(batched, off the request thread); otherwise they are not even recorded. Attributes
carry ids, counts, labels and versions, never request text.

Metrics (Prometheus) live in a registry of the app's own, served at GET /metrics.
See docs/operations.md for each metric, span and log field.
"""

from __future__ import annotations

import logging
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import logs
from api.gateway.breaker import Transition
from api.gateway.hooks import GatewayHooks, ResponseEvent
from api.settings import TelemetrySettings
from engine.decision import Decision, Outcome
from engine.model import Effect, Principal
from engine.provenance import Attempt

log = logging.getLogger("govroute.decision")

PHASES = ("auth", "detection", "intent", "graph_lookup", "policy", "routing", "output_filter")
BREAKER_STATES = {"closed": 0, "half_open": 1, "open": 2}
# Paths whose requests are not traced: probes and scrapes would drown the decisions.
UNTRACED = frozenset({"/metrics", "/healthz", "/readyz"})

_FAST = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_SLOW = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
# A person reviewing: from seconds to a day (a hold expires after a week at most).
_HUMAN = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0, 14400.0, 86400.0)


class PhaseClock:
    """Boundaries between the phases of one request, marked on its own thread.

    `mark(name)` starts phase `name` and ends the one before; `stop()` ends the last.
    Cheap enough to hand to the engine as its `phase` hook.
    """

    __slots__ = ("_marks", "_perf0", "_wall0")

    def __init__(self) -> None:
        self._wall0 = time.time_ns()
        self._perf0 = time.perf_counter_ns()
        self._marks: list[tuple[str, int]] = []

    def mark(self, phase: str) -> None:
        self._marks.append((phase, time.perf_counter_ns()))

    def stop(self) -> None:
        self.mark("")

    def phases(self) -> list[tuple[str, int, int]]:
        """(phase, start, end) in wall-clock nanoseconds, in order."""
        out = []
        for (name, start), (_, end) in zip(self._marks, self._marks[1:], strict=False):
            if name:
                out.append((name, self._wall(start), self._wall(end)))
        return out

    def seconds(self) -> float:
        """From the clock's creation to the last mark."""
        end = self._marks[-1][1] if self._marks else time.perf_counter_ns()
        return (end - self._perf0) / 1e9

    def _wall(self, perf_ns: int) -> int:
        return self._wall0 + (perf_ns - self._perf0)


M = TypeVar("M", Counter, Gauge, Histogram)


class Labeled(Generic[M]):
    """A labelled metric whose children are looked up once per label set.

    prometheus_client's own `labels()` validates and locks on every call, a few
    microseconds each; a decision touches a dozen children.
    """

    __slots__ = ("_children", "metric")

    def __init__(self, metric: M) -> None:
        self.metric: M = metric
        self._children: dict[tuple[str, ...], M] = {}

    def labels(self, *values: str) -> M:
        child = self._children.get(values)
        if child is None:  # a race makes the same child twice: labels() returns one object
            child = self._children[values] = self.metric.labels(*values)
        return child


class Metrics:
    """The Prometheus instruments, registered in one app's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        def counter(name: str, doc: str, labels: Iterable[str]) -> Labeled[Counter]:
            return Labeled(Counter(name, doc, list(labels), registry=registry))

        self.decisions = counter("govroute_decisions", "Decisions, by outcome.", ["outcome"])
        self.policy_applications = counter(
            "govroute_policy_applications",
            "Policies that shaped a decision (one per reason), by policy id and effect.",
            ["policy", "effect"],
        )
        self.redactions = counter(
            "govroute_redactions",
            "Replaced spans of prompt or context, by sensitivity label and action.",
            ["label", "action"],
        )
        self.decision_seconds = Histogram(
            "govroute_decision_seconds",
            "Time to decide, from the request's texts to the decision (after auth).",
            buckets=_FAST,
            registry=registry,
        )
        self.phase_seconds = Labeled(
            Histogram(
                "govroute_phase_seconds",
                "Time spent in each phase of a request.",
                ["phase"],
                buckets=_FAST,
                registry=registry,
            )
        )
        self.upstream_seconds = Labeled(
            Histogram(
                "govroute_upstream_seconds",
                "Upstream attempts' latency, by provider, model and status (HTTP code or error).",
                ["provider", "model", "status"],
                buckets=_SLOW,
                registry=registry,
            )
        )
        self.upstream_errors = counter(
            "govroute_upstream_errors",
            "Failed upstream attempts, by provider, model and kind of failure.",
            ["provider", "model", "kind"],
        )
        self.breaker_state = Labeled(
            Gauge(
                "govroute_breaker_state",
                "Circuit breaker per model: 0 closed, 1 half-open, 2 open.",
                ["model"],
                registry=registry,
            )
        )
        self.threat_denies = counter(
            "govroute_threat_denies",
            "Denied decisions whose deny came from a threat (a threat intent or a detector "
            "score), by the denying policy.",
            ["policy"],
        )
        self.chat_seconds = Labeled(
            Histogram(
                "govroute_chat_seconds",
                "Gateway chat requests past the decision, from arrival to the last byte, by "
                "how they ended (the status of govroute_chat_responses_total).",
                ["status"],
                buckets=_SLOW,
                registry=registry,
            )
        )
        self.rate_limited = counter(
            "govroute_rate_limited",
            "Requests refused by a rate limit, by scope (principal, tenant) and kind "
            "(requests, tokens).",
            ["scope", "kind"],
        )
        self.chat_responses = counter(
            "govroute_chat_responses",
            "Gateway chat requests past the decision, by how they ended (ok, denied, "
            "blocked, upstream_failed, stream_error, client_closed, held, hold_refused).",
            ["status"],
        )
        self.output_redactions = Counter(
            "govroute_output_redactions",
            "Spans of model answers redacted by the output filter.",
            registry=registry,
        )
        self.drift_rollbacks = counter(
            "govroute_drift_rollbacks",
            "Drift breaches this replica acted on, by kind (canary: a canary ended; "
            "activation: a new version rolled back).",
            ["kind"],
        )
        self.drift_checks = counter(
            "govroute_drift_checks",
            "Drift checks this replica ran, by what they did (none, alert, ended_canary, "
            "rolled_back, already_done, failed, error).",
            ["action"],
        )
        self.shadow_decisions = counter(
            "govroute_shadow_decisions",
            "Candidate decisions under shadow, by candidate and change from the served one "
            "(a decision with several changes counts once per kind; 'unchanged' if none).",
            ["candidate", "change"],
        )
        self.canary_decisions = counter(
            "govroute_canary_decisions",
            "Decisions a canary candidate decided and served, by candidate.",
            ["candidate"],
        )
        self.shadow_dropped = Counter(
            "govroute_shadow_dropped",
            "Shadow decisions not made because the shadow queue was full.",
            registry=registry,
        )
        self.review_seconds = Labeled(
            Histogram(
                "govroute_review_seconds",
                "Time from a held request to its verdict, by verdict (approved, rejected, "
                "expired).",
                ["verdict"],
                buckets=_HUMAN,
                registry=registry,
            )
        )
        self.review_queue_depth = Labeled(
            Gauge(
                "govroute_review_queue_depth",
                "Held requests waiting for a reviewer, by tenant (read by the review worker).",
                ["tenant"],
                registry=registry,
            )
        )
        self.errors = counter(
            "govroute_decision_errors",
            "Decisions that failed with an unexpected error, by exception type.",
            ["error"],
        )


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    """What /metrics reports about the process's state, read at scrape time."""

    policy_version: str
    content_hash: str
    graph_up: bool
    journal_pending_files: int
    provenance_queue: int


class _StatusCollector(Collector):
    def __init__(self, status: Callable[[], ServiceStatus]) -> None:
        self._status = status

    def collect(self) -> Iterable[Metric]:
        s = self._status()
        yield InfoMetricFamily(
            "govroute_active_policy_version",
            "The PolicySet decisions are made under.",
            value={"version": s.policy_version, "content_hash": s.content_hash},
        )
        yield GaugeMetricFamily(
            "govroute_provenance_journal_pending",
            "Provenance journal files waiting to be replayed into Neo4j (0: all written).",
            value=s.journal_pending_files,
        )
        yield GaugeMetricFamily(
            "govroute_provenance_queue",
            "Provenance records queued in memory for the writer thread.",
            value=s.provenance_queue,
        )
        yield GaugeMetricFamily(
            "govroute_graph_up", "1 when Neo4j answered the last read.", value=int(s.graph_up)
        )


class Telemetry:
    def __init__(
        self, settings: TelemetrySettings, *, span_exporter: SpanExporter | None = None
    ) -> None:
        self.registry = CollectorRegistry()
        self.metrics = Metrics(self.registry)
        # Without an exporter, spans would be recorded for nobody: don't record them.
        self.recording = settings.otlp_endpoint is not None or span_exporter is not None
        self.provider = TracerProvider(
            sampler=None if self.recording else ALWAYS_OFF,
            resource=Resource.create({"service.name": settings.service_name}),
            shutdown_on_exit=False,
        )
        if settings.otlp_endpoint is not None:
            endpoint = settings.otlp_endpoint.rstrip("/") + "/v1/traces"
            self.provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint)))
        if span_exporter is not None:
            self.provider.add_span_processor(SimpleSpanProcessor(span_exporter))
        self.tracer = self.provider.get_tracer("govroute")
        self._status: _StatusCollector | None = None

    def watch(self, status: Callable[[], ServiceStatus]) -> None:
        """Report the service's state (policy version, provenance backlog) at each scrape."""
        if self._status is not None:
            self.registry.unregister(self._status)
        self._status = _StatusCollector(status)
        self.registry.register(self._status)

    def shutdown(self) -> None:
        """Export what is batched, then stop."""
        self.provider.shutdown()

    # ------------------------------------------------------------ spans

    @contextmanager
    def phase(self, name: str, **attributes: str | int | float | bool) -> Iterator[Span]:
        """A live span `govroute.<name>` that also counts in govroute_phase_seconds."""
        start = time.perf_counter()
        with self.tracer.start_as_current_span(
            f"govroute.{name}", attributes=_attrs(attributes)
        ) as span:
            try:
                yield span
            finally:
                self.metrics.phase_seconds.labels(name).observe(time.perf_counter() - start)

    def span_between(
        self, name: str, start_ns: int, end_ns: int, attributes: Mapping[str, Any]
    ) -> None:
        """A finished span made after the fact, child of the current span."""
        span = self.tracer.start_span(name, start_time=start_ns, attributes=_attrs(attributes))
        span.end(end_time=end_ns)

    # ------------------------------------------------------------ decisions

    def decided(self, decision: Decision, clock: PhaseClock) -> None:
        """Spans, metrics and the one log line of a decision; no request text anywhere."""
        m = self.metrics
        seconds = clock.seconds()
        m.decisions.labels(decision.outcome.value).inc()
        m.decision_seconds.observe(seconds)
        policies: set[str] = set()
        denied = decision.outcome is Outcome.DENY
        for reason in decision.reasons:
            if reason.policy_id is not None:
                effect = reason.effect.value if reason.effect else ""
                m.policy_applications.labels(reason.policy_id, effect).inc()
                policies.add(reason.policy_id)
                if denied and reason.threat and reason.effect is Effect.DENY:
                    m.threat_denies.labels(reason.policy_id).inc()
        by_label: dict[str, int] = {}
        if decision.redactions:
            pairs = Tally((r.label, r.action.value) for r in decision.redactions)
            for (label, action), count in pairs.items():
                m.redactions.labels(label, action).inc(count)
                by_label[label] = by_label.get(label, 0) + count
        phases = clock.phases()
        for name, start, end in phases:
            m.phase_seconds.labels(name).observe((end - start) / 1e9)
        if self.recording:
            self._decision_spans(decision, phases)
        log.info(
            "decision %s: %s",
            decision.id,
            decision.outcome.value,
            extra={
                "decision_id": decision.id,
                "principal_id": decision.principal_id,
                "tenant_id": decision.tenant_id,
                "policy_version": decision.policy_version,
                "outcome": decision.outcome.value,
                "intent": decision.intent.intent_id,
                "intent_score": round(decision.intent.score, 4),
                "policies": sorted(policies),
                "route_primary": decision.route.primary,
                "fallbacks": len(decision.route.fallbacks),
                "redactions": dict(sorted(by_label.items())),
                "withheld": len(decision.withholdings),
                "exposed": len(decision.exposures),
                "duration_ms": round(seconds * 1000, 3),
            },
        )

    def _decision_spans(self, decision: Decision, phases: list[tuple[str, int, int]]) -> None:
        ids = {
            "govroute.decision_id": decision.id,
            "govroute.principal_id": decision.principal_id,
            "govroute.tenant_id": decision.tenant_id,
            "govroute.policy_version": decision.policy_version,
        }
        extra = _phase_attributes(decision)
        for name, start, end in phases:
            self.span_between(f"govroute.{name}", start, end, ids | extra.get(name, {}))
        request = trace.get_current_span()
        if request.is_recording():
            request.set_attributes({**ids, "govroute.outcome": decision.outcome.value})

    def decision_failed(
        self,
        decision_id: str,
        principal: Principal,
        policy_version: str,
        clock: PhaseClock,
        error: BaseException,
    ) -> None:
        """The log line and count of a decision that raised instead of deciding."""
        self.metrics.errors.labels(type(error).__name__).inc()
        log.error(
            "decision %s failed: %s",
            decision_id,
            type(error).__name__,
            extra={
                "decision_id": decision_id,
                "principal_id": principal.id,
                "tenant_id": principal.tenant,
                "policy_version": policy_version,
                "outcome": "error",
                "phase": next((n for n, _, _ in reversed(clock.phases())), None),
            },
        )

    # ------------------------------------------------------------ rate limits

    def canary_served(self, candidate: str) -> None:
        self.metrics.canary_decisions.labels(candidate).inc()

    def shadow_decided(self, candidate: str, kinds: Iterable[str]) -> None:
        counted = False
        for kind in kinds:
            self.metrics.shadow_decisions.labels(candidate, kind).inc()
            counted = True
        if not counted:
            self.metrics.shadow_decisions.labels(candidate, "unchanged").inc()

    def shadow_dropped(self) -> None:
        self.metrics.shadow_dropped.inc()

    def rate_limited(self, scope: str, kind: str, principal: Principal) -> None:
        self.metrics.rate_limited.labels(scope, kind).inc()
        logging.getLogger("govroute.ratelimit").info(
            "%s %s over its %s per minute",
            scope,
            principal.id if scope == "principal" else principal.tenant,
            kind,
            extra={"principal_id": principal.id, "tenant_id": principal.tenant},
        )

    # ------------------------------------------------------------ the gateway

    def upstream_attempt(
        self,
        *,
        provider: str,
        model: str,
        attempt: int,
        status: str,
        seconds: float,
        error_kind: str | None = None,
        decision_id: str | None = None,
        http_status: int | None = None,
    ) -> None:
        """One finished attempt at an upstream: its span (ending now) and metrics.

        `status` is the attempt's outcome (ok, error, timeout, rate_limited, ...);
        `error_kind`, set when it failed, is what govroute_upstream_errors_total counts.
        """
        self.metrics.upstream_seconds.labels(provider, model, status).observe(seconds)
        if error_kind is not None:
            self.metrics.upstream_errors.labels(provider, model, error_kind).inc()
        if not self.recording:
            return
        end = time.time_ns()
        attributes: dict[str, Any] = {
            "govroute.provider": provider,
            "govroute.model": model,
            "govroute.attempt": attempt,
            "govroute.status": status,
        }
        if error_kind is not None:
            attributes["govroute.error_kind"] = error_kind
        if decision_id is not None:
            attributes["govroute.decision_id"] = decision_id
        if http_status is not None:
            attributes["http.response.status_code"] = http_status
        span = self.tracer.start_span(
            "govroute.upstream_attempt",
            start_time=end - int(seconds * 1e9),
            kind=SpanKind.CLIENT,
            attributes=attributes,
        )
        if error_kind is not None:
            span.set_status(Status(StatusCode.ERROR, error_kind))
        span.end(end_time=end)

    def review_decided(self, verdict: str, seconds: float) -> None:
        """A held request got its verdict (approved, rejected, expired) after `seconds`."""
        self.metrics.review_seconds.labels(verdict).observe(max(0.0, seconds))

    def review_queue(self, depths: Mapping[str, int]) -> None:
        """Held requests per tenant, as the graph has them now."""
        for tenant, depth in depths.items():
            self.metrics.review_queue_depth.labels(tenant).set(depth)

    def breaker_changed(self, model: str, state: str) -> None:
        """state: closed, half_open or open."""
        self.metrics.breaker_state.labels(model).set(BREAKER_STATES[state])

    def output_filtered(
        self,
        *,
        decision_id: str,
        seconds: float,
        redactions: int,
        blocked_by: str | None,
        stream: bool,
    ) -> None:
        """The gateway's filtering of one answer: a `govroute.output_filter` span ending
        now and lasting `seconds` (for a stream, the time spent filtering its chunks),
        counted in govroute_phase_seconds{phase="output_filter"}."""
        self.metrics.phase_seconds.labels("output_filter").observe(seconds)
        if not self.recording:
            return
        end = time.time_ns()
        attributes = {
            "govroute.decision_id": decision_id,
            "govroute.output_redactions": redactions,
            "govroute.blocked_by": blocked_by,
            "govroute.stream": stream,
        }
        self.span_between("govroute.output_filter", end - int(seconds * 1e9), end, attributes)

    def chat_finished(self, event: ResponseEvent) -> None:
        """A chat request's end: counted by status, and one log line without text."""
        self.metrics.chat_responses.labels(event.status).inc()
        self.metrics.chat_seconds.labels(event.status).observe(event.latency_ms / 1000)
        if event.output_redactions:
            self.metrics.output_redactions.inc(event.output_redactions)
        log.info(
            "chat %s: %s",
            event.decision_id,
            event.status,
            extra={
                "decision_id": event.decision_id,
                "principal_id": event.principal_id,
                "tenant_id": event.tenant_id,
                "outcome": event.outcome,
                "status": event.status,
                "model": event.model_id,
                "stream": event.stream,
                "attempts": event.attempts,
                "latency_ms": round(event.latency_ms, 3),
                "total_tokens": event.total_tokens,
                "output_redactions": event.output_redactions,
                "blocked_by": event.blocked_by,
            },
        )


class TelemetryHooks:
    """The gateway's hooks (api/gateway/hooks.py) reported as spans, metrics and logs.

    `provider_of` names a model's provider (from the active snapshot); `then` gets
    every call too (e.g. hooks a test passed to create_app).
    """

    def __init__(
        self,
        telemetry: Telemetry,
        provider_of: Callable[[str], str],
        then: GatewayHooks | None = None,
    ) -> None:
        self._telemetry = telemetry
        self._provider_of = provider_of
        self._then = then

    def on_attempt(self, attempt: Attempt) -> None:
        failed = attempt.status not in ("ok", "skipped_open_circuit")
        kind = None
        if failed:
            kind = f"http_{attempt.http_status}" if attempt.http_status else attempt.status
        self._telemetry.upstream_attempt(
            provider=self._provider_of(attempt.model_id),
            model=attempt.model_id,
            attempt=attempt.attempt,
            status=attempt.status,
            seconds=attempt.latency_ms / 1000,
            error_kind=kind,
            decision_id=attempt.decision_id,
            http_status=attempt.http_status,
        )
        if self._then is not None:
            self._then.on_attempt(attempt)

    def on_breaker_change(self, transition: Transition) -> None:
        self._telemetry.breaker_changed(transition.model_id, transition.new.value)
        if self._then is not None:
            self._then.on_breaker_change(transition)

    def on_response(self, event: ResponseEvent) -> None:
        if event.model_id is not None:  # an answer came back and went through the filter
            self._telemetry.output_filtered(
                decision_id=event.decision_id,
                seconds=event.output_filter_s,
                redactions=event.output_redactions,
                blocked_by=event.blocked_by,
                stream=event.stream,
            )
        self._telemetry.chat_finished(event)
        if self._then is not None:
            self._then.on_response(event)


def _attrs(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _phase_attributes(decision: Decision) -> dict[str, dict[str, Any]]:
    """Per phase, what it found: counts, ids and labels only."""
    return {
        "intent": {
            "govroute.intent": decision.intent.intent_id,
            "govroute.intent_score": decision.intent.score,
        },
        "detection": {
            "govroute.redactions": len(decision.redactions),
            "govroute.labels": list(decision.labels),
        },
        "graph_lookup": {
            "govroute.exposed": len(decision.exposures),
            "govroute.withheld": len(decision.withholdings),
        },
        "policy": {
            "govroute.outcome": decision.outcome.value,
            "govroute.policies": sorted({r.policy_id for r in decision.reasons if r.policy_id}),
        },
        "routing": {
            "govroute.route_primary": decision.route.primary or "",
            "govroute.fallbacks": len(decision.route.fallbacks),
            "govroute.rejected": len(decision.route.rejected),
        },
    }


# ---------------------------------------------------------------- the request span


_PROPAGATOR = TraceContextTextMapPropagator()


class TelemetryMiddleware:
    """The request span and a fresh log context around every HTTP request.

    Finds the app's Telemetry at request time (it is made in the lifespan, after the
    middleware stack is declared).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        telemetry: Telemetry | None = getattr(scope["app"].state, "telemetry", None)
        with logs.request_context():
            if telemetry is None or scope["path"] in UNTRACED:
                await self.app(scope, receive, send)
                return
            await self._traced(telemetry, scope, receive, send)

    async def _traced(
        self, telemetry: Telemetry, scope: Scope, receive: Receive, send: Send
    ) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        parent = _PROPAGATOR.extract(headers)
        status = 500

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with telemetry.tracer.start_as_current_span(
            "govroute.request",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": scope["method"], "url.path": scope["path"]},
        ) as span:
            try:
                await self.app(scope, receive, tracking_send)
            finally:
                route = scope.get("route")
                if route is not None and hasattr(route, "path"):
                    span.set_attribute("http.route", route.path)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
