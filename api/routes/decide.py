"""POST /v1/decide and GET /v1/decisions/{id}."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse

from api.deps import PrincipalDep, RuntimeDep, SettingsDep, require
from api.ratelimit import AdmissionDep
from api.review.desk import ReviewDeskDep
from api.review.held import held_headers
from api.review.schemas import HeldOut
from api.schemas import DecideRequest, DecisionOut, RecordedDecisionOut
from engine.model import Principal

router = APIRouter(prefix="/v1", tags=["decisions"])

Decider = Annotated[Principal, Depends(require("decide"))]


@router.post(
    "/decide",
    response_model=DecisionOut,
    summary="Decide what a prompt and its context may expose, redact, and where it may go",
    responses={
        400: {"description": "Malformed request"},
        401: {"description": "Missing or unknown API key"},
        202: {
            "model": HeldOut,
            "description": "Held for human review: poll `poll_url` (docs/review.md)",
        },
        403: {"description": "The key's roles lack the 'decide' permission"},
        413: {"description": "Prompt and context exceed the size limit"},
        429: {
            "description": "Over a rate limit or token budget, or the tenant's review queue "
            "is full; see Retry-After"
        },
        503: {"description": "The graph is unavailable for facts this request needs"},
    },
)
async def decide(
    body: DecideRequest,
    principal: Decider,
    _admitted: AdmissionDep,  # after the permission check: 403 before 429
    runtime: RuntimeDep,
    settings: SettingsDep,
    desk: ReviewDeskDep,
) -> Any:
    body.check_size(settings.api.max_prompt_chars, "prompt and context")
    decided = await runtime.decide_async(principal, body)
    if decided.decision.held:
        held = await desk.hold_decide(decided.decision, principal)
        return JSONResponse(
            {**held, "decision": decided.record}, status_code=202, headers=held_headers(held)
        )
    return decided.record


@router.get(
    "/decisions/{decision_id}",
    response_model=RecordedDecisionOut,
    summary="A recorded decision with its provenance edges (own tenant only)",
    responses={404: {"description": "No decision with this id in the caller's tenant"}},
)
def recorded_decision(
    decision_id: Annotated[str, Path(pattern=r"^dec_[0-9a-f]{32}$")],
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> Any:
    return runtime.recorded(decision_id, principal)
