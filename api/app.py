"""The FastAPI application: `create_app(settings)`; no globals.

The lifespan opens the one graph driver, loads the embedding model, builds the
engine state for the active PolicySet, and starts the provenance writer; on
shutdown it drains provenance to Neo4j or the journal.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.limits import BodySizeLimit
from api.routes import decide, health
from api.runtime import Runtime
from api.settings import Settings
from engine.embedding import Embedder, OnnxEmbedder, TorchEmbedder
from graph.connection import GraphClient
from graph.provenance_writer import ProvenanceWriter
from graph.schema import apply_schema

log = logging.getLogger("govroute.api")


def make_embedder(settings: Settings) -> Embedder:
    return TorchEmbedder() if settings.api.embedder == "torch" else OnnxEmbedder()


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        graph = GraphClient.connect(settings.neo4j, settings.local)
        apply_schema(graph)
        writer = ProvenanceWriter.for_graph(graph, settings.api.state_dir / "journal").start()
        runtime = Runtime(
            graph,
            make_embedder(settings),
            writer,
            settings.api.load_secret(),
            refresh_interval_s=settings.api.refresh_interval_s,
        ).start()
        app.state.runtime = runtime
        log.info("serving PolicySet %s", runtime.state.snapshot.version)
        try:
            yield
        finally:
            runtime.close()
            writer.close()
            graph.close()

    app = FastAPI(
        title="govroute",
        version="0.1.0",
        summary="Knowledge-graph-driven AI firewall and routing engine",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.api.max_request_bytes)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(decide.router)
    return app
