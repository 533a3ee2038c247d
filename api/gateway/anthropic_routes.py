"""POST /v1/messages, Anthropic-compatible (docs/gateway.md, "Anthropic Messages").

The same service path as chat completions: the request becomes a
`ChatCompletionRequest`, `ChatService.chat` decides, routes (to a provider of
either kind), filters and records it, and the answer or the stream's chunks are
translated back into Anthropic's shapes at this edge (api/gateway/translate.py).
The key comes as ``x-api-key`` or ``Authorization: Bearer`` (api/deps.py).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.deps import RuntimeDep, SettingsDep
from api.gateway.anthropic_schemas import MessageOut, MessagesRequest, check_version
from api.gateway.routes import Chatter, GatewayDep
from api.gateway.schemas import read_context
from api.gateway.service import ChatService
from api.gateway.translate import ChunksToEvents, completion_to_message
from api.ratelimit import AdmissionDep

router = APIRouter(prefix="/v1", tags=["anthropic-compatible gateway"])

SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {
            "type": "string",
            "description": "message_start, content_block_start, ping, content_block_delta, "
            "content_block_stop, message_delta, message_stop or error",
        },
        "data": {"type": "string", "description": "The event's object as JSON."},
    },
}


@router.post(
    "/messages",
    summary="Anthropic Messages: decided, sanitized, routed, filtered",
    response_model=None,
    responses={
        200: {
            "model": MessageOut,
            "description": "A message object, or with `stream: true` Anthropic's events",
            "content": {"text/event-stream": {"schema": SSE_EVENT}},
        },
        400: {"description": "Malformed or unsupported request, or refused by the model"},
        401: {"description": "Missing or unknown API key"},
        403: {"description": "No 'chat' permission, or the decision denied the request"},
        404: {"description": "`model` names no govroute model"},
        413: {"description": "Messages and context exceed the size limit"},
        429: {"description": "Over a rate limit or token budget; see Retry-After"},
        502: {"description": "Every compliant candidate failed or was skipped"},
        503: {"description": "The graph is unavailable for facts this request needs"},
    },
)
async def create_message(
    body: MessagesRequest,
    principal: Chatter,
    runtime: RuntimeDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    admission: AdmissionDep,  # after the permission check, before the decision
    anthropic_version: Annotated[str | None, Header()] = None,
    x_govroute_context: Annotated[str | None, Header()] = None,
    x_govroute_purpose: Annotated[str | None, Header()] = None,
    x_govroute_conversation: Annotated[str | None, Header()] = None,
) -> Response:
    check_version(anthropic_version)
    chat = body.to_chat()
    ctx = read_context(
        chat.metadata, x_govroute_context, x_govroute_purpose, x_govroute_conversation
    )
    service = ChatService(runtime, gateway, max_prompt_chars=settings.api.max_prompt_chars)
    reply = await service.chat(principal, chat, ctx, settle=admission.settle)
    if reply.chunks is not None:
        model = reply.headers.get("X-Govroute-Model", "")
        headers = {**reply.headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            anthropic_events(reply.chunks, model), media_type="text/event-stream", headers=headers
        )
    assert reply.body is not None
    return JSONResponse(completion_to_message(reply.body), headers=reply.headers)


async def anthropic_events(
    chunks: AsyncGenerator[dict[str, Any], None], model: str
) -> AsyncIterator[bytes]:
    """The gateway's filtered chunks as Anthropic's server-sent events."""
    events = ChunksToEvents(model=model)
    try:
        async for chunk in chunks:
            for name, data in events.on_chunk(chunk):
                yield _sse(name, data)
        for name, data in events.finish():
            yield _sse(name, data)
    finally:  # a caller that went away closes the chunks now, not when collected
        await chunks.aclose()


def _sse(name: str, data: dict[str, Any]) -> bytes:
    payload = json.dumps(data, ensure_ascii=False)
    return f"event: {name}\ndata: {payload}\n\n".encode()
