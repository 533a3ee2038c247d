"""Liveness and readiness."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import RuntimeDep

router = APIRouter(tags=["health"])


class ReadinessOut(BaseModel):
    """The body of /readyz, ready (200) or not (503)."""

    status: Literal["ready", "not_ready"]
    graph: Literal["up", "down"]
    policy_version: str | None
    intent_exemplars: int
    provenance_journal_pending: bool


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Ready only when the graph answers and the intent index is loaded",
    response_model=ReadinessOut,
    responses={
        503: {"model": ReadinessOut, "description": "Not ready: the same body, status not_ready"}
    },
)
async def readyz(runtime: RuntimeDep) -> Any:
    # No I/O: the graph's state is the liveness probe's last answer (at most ~1.5 s old).
    state = runtime.state if runtime.loaded else None
    body = {
        "graph": "up" if runtime.graph_up else "down",
        "policy_version": state.snapshot.version if state else None,
        "intent_exemplars": state.intents.size if state else 0,
        "provenance_journal_pending": runtime.writer.behind,
    }
    ready = runtime.graph_up and state is not None and state.intents.size > 0
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", **body}, status_code=200 if ready else 503
    )
