"""POST /v1/responses, /v1/embeddings and /v1/completions: more OpenAI formats, one path.

Each route reads its format (responses_api.py, embeddings.py, completions_api.py)
and hands it to the chat path (api/gateway/service.py): the same permission, rate
limits, decision, route, retries, output filter and provenance as
POST /v1/chat/completions (api/gateway/routes.py), whose dependencies these share.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.deps import RuntimeDep, SettingsDep
from api.gateway import completions_api, responses_api
from api.gateway.embeddings import EmbeddingsRequest, EmbeddingsService
from api.gateway.routes import Chatter, GatewayDep
from api.gateway.schemas import ChatCompletionRequest, read_context
from api.gateway.service import ChatService, Reply, Settle
from api.ratelimit import AdmissionDep

router = APIRouter(prefix="/v1", tags=["openai-compatible gateway"])

ContextHeader = Annotated[str | None, Header()]
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed or unsupported request (the message names the field)"},
    401: {"description": "Missing or unknown API key"},
    403: {"description": "No 'chat' permission, or the decision denied the request"},
    404: {"description": "`model` names no govroute model"},
    413: {"description": "Inputs exceed the size limits"},
    429: {"description": "Over a rate limit or token budget; see Retry-After"},
    502: {"description": "Every compliant candidate failed or was skipped"},
}
# The schema of one event (schemathesis checks each): the Responses API names its events
# (`event: response.created`, ...), the legacy completions' chunks come as bare data.
SSE = {
    "text/event-stream": {
        "schema": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "event": {
                    "type": "string",
                    "description": "The Responses API's event type (response.created, ...)",
                },
                "data": {
                    "type": "string",
                    "description": "The event's object as JSON (a completions chunk), or [DONE]",
                },
            },
        }
    }
}


def _with_stream(description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": SSE}, **ERRORS}


def _stream_headers(reply: Reply) -> dict[str, str]:
    return {**reply.headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.post(
    "/responses",
    summary="OpenAI Responses API: decided, sanitized, routed, filtered",
    response_model=None,
    responses=_with_stream("A response object, or its events"),
)
async def responses(
    body: responses_api.ResponsesRequest,
    principal: Chatter,
    runtime: RuntimeDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    admission: AdmissionDep,
    x_govroute_context: ContextHeader = None,
    x_govroute_purpose: ContextHeader = None,
    x_govroute_conversation: ContextHeader = None,
) -> Response:
    chat = responses_api.to_chat_request(body)
    ctx = read_context(
        body.metadata, x_govroute_context, x_govroute_purpose, x_govroute_conversation
    )
    service = ChatService(runtime, gateway, max_prompt_chars=settings.api.max_prompt_chars)
    reply = await service.chat(principal, chat, ctx, settle=admission.settle)
    if reply.chunks is not None:
        decision_id = reply.headers["X-Govroute-Decision-Id"]
        model = reply.headers["X-Govroute-Model"]
        events = responses_api.ResponseEvents(body, decision_id, model).events(reply.chunks)
        return StreamingResponse(
            events, media_type="text/event-stream", headers=_stream_headers(reply)
        )
    assert reply.body is not None
    return JSONResponse(responses_api.response_body(reply.body, body), headers=reply.headers)


@router.post(
    "/embeddings",
    summary="OpenAI embeddings: each input decided like a prompt, sent in one batch",
    response_model=None,
    responses=ERRORS,
)
async def embeddings(
    body: EmbeddingsRequest,
    principal: Chatter,
    runtime: RuntimeDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    admission: AdmissionDep,
    x_govroute_purpose: ContextHeader = None,
    x_govroute_conversation: ContextHeader = None,
) -> Response:
    ctx = read_context(body.metadata, None, x_govroute_purpose, x_govroute_conversation)
    service = EmbeddingsService(runtime, gateway, max_prompt_chars=settings.api.max_prompt_chars)
    reply = await service.embed(principal, body, ctx, settle=admission.settle)
    return JSONResponse(reply.body, headers=reply.headers)


@router.post(
    "/completions",
    summary="OpenAI legacy completions, served as chat requests",
    response_model=None,
    responses=_with_stream("A text_completion, or its chunks"),
)
async def completions(
    body: completions_api.CompletionRequest,
    principal: Chatter,
    runtime: RuntimeDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    admission: AdmissionDep,
    x_govroute_context: ContextHeader = None,
    x_govroute_purpose: ContextHeader = None,
    x_govroute_conversation: ContextHeader = None,
) -> Response:
    ctx = read_context(
        body.metadata, x_govroute_context, x_govroute_purpose, x_govroute_conversation
    )
    service = ChatService(runtime, gateway, max_prompt_chars=settings.api.max_prompt_chars)

    async def serve(chat: ChatCompletionRequest, settle: Settle | None) -> Reply:
        return await service.chat(principal, chat, ctx, settle=settle)

    reply = await completions_api.complete(body, serve, admission.settle)
    if reply.events is not None:
        return StreamingResponse(
            reply.events, media_type="text/event-stream", headers=_stream_headers(reply)
        )
    return JSONResponse(reply.body, headers=reply.headers)
