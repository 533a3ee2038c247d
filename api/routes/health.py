"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Ready only when the graph and the intent index are loaded",
    responses={503: {"description": "Not ready: the same body, with status not_ready"}},
)
def readyz(runtime: RuntimeDep) -> Any:
    state = runtime.state
    body = {
        "graph": "up" if runtime.graph_up else "down",
        "policy_version": state.snapshot.version,
        "intent_exemplars": state.intents.size,
        "provenance_journal_pending": runtime.writer.journal.has_pending(),
    }
    ready = runtime.graph_up and state.intents.size > 0
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", **body}, status_code=200 if ready else 503
    )
