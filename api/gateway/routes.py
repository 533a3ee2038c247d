"""POST /v1/chat/completions and GET /v1/models, OpenAI-compatible (docs/gateway.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.deps import RuntimeDep, SettingsDep, require
from api.gateway.catalog import routable_models
from api.gateway.gateway import Gateway
from api.gateway.schemas import ChatCompletionOut, ChatCompletionRequest, read_context
from api.gateway.service import ChatService
from api.ratelimit import AdmissionDep
from api.review.desk import ReviewDeskDep
from engine.errors import NotFound
from engine.model import ModelSpec, Principal

router = APIRouter(prefix="/v1", tags=["openai-compatible gateway"])

Chatter = Annotated[Principal, Depends(require("chat"))]

SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {"type": "string", "description": "A chat.completion.chunk as JSON, or [DONE]."}
    },
}


async def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


@router.post(
    "/chat/completions",
    summary="OpenAI chat completions: decided, sanitized, routed, filtered",
    response_model=None,
    responses={
        200: {
            "model": ChatCompletionOut,
            "description": "A chat.completion object, or with `stream: true` its chunks as "
            "server-sent events",
            # The schema of one event: its data a chat.completion.chunk as JSON, or [DONE].
            "content": {"text/event-stream": {"schema": SSE_EVENT}},
        },
        202: {
            "description": "Held for human review: a chat.completion whose `govroute` field "
            "has the decision id and poll URL (docs/review.md)"
        },
        400: {"description": "Malformed or unsupported request, or refused by the model"},
        401: {"description": "Missing or unknown API key"},
        403: {"description": "No 'chat' permission, or the decision denied the request"},
        404: {"description": "`model` names no govroute model"},
        413: {"description": "Messages and context exceed the size limit"},
        429: {
            "description": "Over a rate limit or token budget, or the tenant's review queue "
            "is full; see Retry-After"
        },
        502: {"description": "Every compliant candidate failed or was skipped"},
        503: {"description": "The graph is unavailable for facts this request needs"},
    },
)
async def chat_completions(
    body: ChatCompletionRequest,
    principal: Chatter,
    runtime: RuntimeDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    admission: AdmissionDep,  # after the permission check, before the decision
    desk: ReviewDeskDep,
    x_govroute_context: Annotated[str | None, Header()] = None,
    x_govroute_purpose: Annotated[str | None, Header()] = None,
    x_govroute_conversation: Annotated[str | None, Header()] = None,
) -> Response:
    ctx = read_context(
        body.metadata, x_govroute_context, x_govroute_purpose, x_govroute_conversation
    )
    service = ChatService(
        runtime,
        gateway,
        max_prompt_chars=settings.api.max_prompt_chars,
        hold=desk.hold_chat,
    )
    reply = await service.chat(principal, body, ctx, settle=admission.settle)
    if reply.events is not None:
        headers = {**reply.headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            reply.events, status_code=reply.status, media_type="text/event-stream", headers=headers
        )
    return JSONResponse(reply.body, status_code=reply.status, headers=reply.headers)


_NO_CHAT: dict[int | str, dict[str, Any]] = {
    403: {"description": "The key's roles lack the 'chat' permission"}
}


@router.get("/models", summary="The models this key could be routed to", responses=_NO_CHAT)
async def list_models(
    principal: Chatter, runtime: RuntimeDep, gateway: GatewayDep
) -> dict[str, Any]:
    models = routable_models(runtime.state.snapshot, principal)
    # Ranked as routing ranks them, then as the gateway would try them.
    order, _ = await gateway.order(tuple(m.id for m in models))
    by_id = {m.id: m for m in models}
    return {"object": "list", "data": [_model(by_id[m]) for m in order]}


@router.get(
    "/models/{model_id}",
    summary="One model this key could be routed to",
    responses={**_NO_CHAT, 404: {"description": "No such model this key could be routed to"}},
)
def get_model(model_id: str, principal: Chatter, runtime: RuntimeDep) -> dict[str, Any]:
    for model in routable_models(runtime.state.snapshot, principal):
        if model.id == model_id:
            return _model(model)
    raise NotFound(f"no model '{model_id}' this key could be routed to")


def _model(model: ModelSpec) -> dict[str, Any]:
    return {"id": model.id, "object": "model", "created": 0, "owned_by": model.provider}
