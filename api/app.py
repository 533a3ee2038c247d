"""The FastAPI application: `create_app(settings)`; no globals.

The lifespan opens the one graph driver, loads the embedding model, builds the
engine state for the active PolicySet, and starts the provenance writer, the
telemetry (traces, metrics), the rate limiter and the periodic drift check; on
shutdown it drains provenance to Neo4j or the journal and flushes the traces.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from api.admin import lifecycle_routes as admin_lifecycle
from api.admin import policies as admin_policies
from api.console import install_console, open_sessions
from api.drift_watch import DriftWatch
from api.errors import install_error_handlers
from api.gateway import anthropic_routes, format_routes
from api.gateway import routes as gateway_routes
from api.gateway.errors import install_gateway_error_handlers
from api.gateway.gateway import Gateway
from api.gateway.hooks import GatewayHooks
from api.gateway.service import ChatService
from api.limits import BodySizeLimit
from api.openapi import truthful_openapi
from api.ratelimit import RateLimiter
from api.review import routes as review_routes
from api.review.desk import ReviewDesk
from api.review.webhook import Webhook
from api.review.worker import ReviewWorker
from api.routes import decide, health, metrics
from api.runtime import Runtime
from api.settings import Settings
from api.startup import log_startup, summarize
from api.telemetry import ServiceStatus, Telemetry, TelemetryHooks, TelemetryMiddleware
from api.vault import detokenize as vault_routes
from api.vault.vault import Vault
from engine.embedding import Embedder, OnnxEmbedder, TorchEmbedder
from engine.static_embedding import StaticEmbedder
from engine.threats.custom import ThreatCategoryFitter
from graph.connection import GraphClient
from graph.provenance_writer import ProvenanceWriter


def make_embedder(settings: Settings) -> Embedder:
    return TorchEmbedder() if settings.api.embedder == "torch" else OnnxEmbedder()


def service_status(runtime: Runtime) -> ServiceStatus:
    """What /metrics reports about the runtime, read at scrape time."""
    snapshot = runtime.state.snapshot if runtime.loaded else None
    return ServiceStatus(
        policy_version=snapshot.version if snapshot else "",
        content_hash=snapshot.content_hash if snapshot else "",
        graph_up=runtime.graph_up,
        # Files waiting for a replay; in normal operation records pass through the
        # journal and are retired once written, which is not "pending".
        journal_pending_files=(
            len(runtime.writer.journal.pending_files()) if runtime.writer.behind else 0
        ),
        provenance_queue=runtime.writer.pending,
    )


def provider_of(runtime: Runtime, model_id: str) -> str:
    model = runtime.state.snapshot.models.get(model_id) if runtime.loaded else None
    return model.provider if model is not None else "unknown"


def create_app(
    settings: Settings,
    *,
    span_exporter: SpanExporter | None = None,
    gateway_hooks: GatewayHooks | None = None,
) -> FastAPI:
    """The app; `span_exporter` also receives every span (tests use an in-memory one);
    `gateway_hooks` hears of every upstream attempt, breaker change and chat response."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A secret this replica must not make up stops it before anything opens.
        secret = settings.load_secret()
        open_sessions(app, secret)  # the console's session cookies are sealed with it
        # Telemetry and rate limits first: the runtime reports through them.
        telemetry = Telemetry(settings.telemetry, span_exporter=span_exporter)
        limiter = RateLimiter.from_settings(settings.rate_limits, on_reject=telemetry.rate_limited)
        app.state.telemetry, app.state.limiter = telemetry, limiter
        # The server is not asked here: a replica must start while Neo4j stalls, and
        # become ready when it answers (Runtime.start probes it with a deadline).
        graph = GraphClient.connect(settings.neo4j, settings.local, verify=False)
        writer = ProvenanceWriter.for_graph(
            graph,
            settings.api.state_dir / "journal",
            flush_interval_s=settings.api.provenance_flush_interval_s,
            probe=partial(graph.ping, settings.neo4j.probe_timeout_s),
        ).start()
        vault = Vault.from_settings(settings.vault, secret)
        runtime = Runtime(
            graph,
            make_embedder(settings),
            writer,
            secret,
            refresh_interval_s=settings.api.refresh_interval_s,
            telemetry=telemetry,
            vault=vault,
            request_timeout_s=settings.neo4j.request_timeout_s,
            probe_interval_s=settings.neo4j.probe_interval_s,
            probe_timeout_s=settings.neo4j.probe_timeout_s,
            static=StaticEmbedder() if settings.api.intent_cascade else None,
        ).start()
        app.state.runtime = runtime
        hooks = TelemetryHooks(telemetry, partial(provider_of, runtime), then=gateway_hooks)
        redis_url = settings.rate_limits.redis_url
        gateway = Gateway.create(
            settings.gateway,
            secret,
            hooks,
            redis_url=redis_url.get_secret_value() if redis_url is not None else None,
        )
        app.state.gateway = gateway
        # Human review (api/review/): holds, and the worker that carries verdicts out.
        desk = ReviewDesk(graph, settings.review)
        app.state.review_desk = desk
        reviews = ReviewWorker(
            desk,
            partial(ChatService, runtime, gateway, max_prompt_chars=settings.api.max_prompt_chars),
            telemetry,
            Webhook.from_settings(settings.review),
        ).start()
        telemetry.watch(partial(service_status, runtime))
        # Drift checks (lifecycle.drift_check) on a thread of their own; each replica may
        # run them, acting on a breach is conditional in one transaction.
        interval = settings.api.drift_check_interval_s or 0.0
        drift = (
            DriftWatch(
                graph, telemetry, interval, fitter=ThreatCategoryFitter(runtime.embedder)
            ).start()
            if interval > 0
            else None
        )
        log_startup(summarize(runtime, settings))
        try:
            yield
        finally:
            await reviews.aclose()
            await gateway.aclose()
            if drift is not None:
                drift.close()
            runtime.close()
            writer.close()
            graph.close()
            vault.close()
            limiter.close()
            telemetry.shutdown()

    app = FastAPI(
        title="govroute",
        version="0.1.0",
        summary="Knowledge-graph-driven AI firewall and routing engine",
        lifespan=lifespan,
    )
    app.state.settings = settings
    policy_limit = (
        settings.api.max_policy_bytes,
        "policy content exceeds {limit} bytes (GOVROUTE_MAX_POLICY_BYTES)",
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.api.max_request_bytes,
        allowances={admin_policies.CANDIDATES_PATH: policy_limit},
    )
    app.add_middleware(TelemetryMiddleware)  # outermost: the request span covers everything
    install_error_handlers(app)
    install_gateway_error_handlers(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(decide.router)
    app.include_router(gateway_routes.router)
    app.include_router(format_routes.router)  # responses, embeddings, completions
    app.include_router(anthropic_routes.router)
    app.include_router(vault_routes.router)
    app.include_router(review_routes.router)
    app.include_router(admin_policies.router)
    app.include_router(admin_policies.audit_router)
    app.include_router(admin_lifecycle.router)
    app.include_router(admin_lifecycle.audit_router)
    install_console(app)  # after install_error_handlers: its error pages wrap them
    app.openapi = partial(truthful_openapi, app)  # type: ignore[method-assign]
    return app
