"""A local Anthropic Messages server for demos and tests: `govroute fake-upstream --kind anthropic`.

POST /v1/messages answers in Anthropic's wire format, JSON or SSE (message_start,
content_block_start, ping, content_block_delta..., content_block_stop,
message_delta, message_stop; an ``error`` event when scripted), echoing the last
user message (after tool results, "Tool result: <their content>"), or calling a
tool with a ``tool_use`` block (its input streamed as ``input_json_delta``) by
the OpenAI fake's rule (`tool_requests`: tools offered, and the last user message
says "use <tool name>"; each tool so named is a block, one only when tool_choice
has ``disable_parallel_tool_use``). It takes the same scripts as the OpenAI fake
(api/gateway/fake_upstream.py: `/_control`, `/_control/reset`, `/_received`,
the same `Rule` fields); a failing `status` answers with Anthropic's error body
(``{"type": "error", "error": {"type": "overloaded_error", ...}}`` for 529), and
`break_after` in a stream sends an ``error`` event of type `stream_error_type`
(default ``api_error``) instead of dropping the connection when
`stream_error_type` is set. The key is read from ``x-api-key`` (or a Bearer
token) and only its fingerprint is kept; `anthropic_version` records the header.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.gateway.fake_upstream import FakeUpstreamState, Rule, add_control_routes, tool_requests
from api.gateway.translate import ANTHROPIC_ERROR_TYPES

_WORDS = re.compile(r"\S+\s*|\s+")


def create_fake_anthropic() -> FastAPI:
    app = FastAPI(title="govroute fake Anthropic upstream", docs_url=None, redoc_url=None)
    state = FakeUpstreamState()
    add_control_routes(app, state)

    @app.post("/v1/messages")
    async def messages(request: Request) -> Response:
        body = await request.json()
        model = str(body.get("model", ""))
        key = request.headers.get("x-api-key", "")
        auth = request.headers.get("authorization", "")
        if not key and auth.startswith("Bearer "):
            key = auth.removeprefix("Bearer ").strip()
        state.record(body, key, anthropic_version=request.headers.get("anthropic-version"))
        rule = state.take(model)
        if rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule.status != 200:
            headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
            kind = ANTHROPIC_ERROR_TYPES.get(rule.status, "api_error")
            error = {"type": kind, "message": f"fake upstream failure {rule.status}"}
            return JSONResponse(
                {"type": "error", "error": error}, status_code=rule.status, headers=headers
            )
        message_id = f"msg_fake{uuid.uuid4().hex[:16]}"
        wanted = tool_requests(body) if rule.text is None else []
        choice = body.get("tool_choice")
        if isinstance(choice, dict) and choice.get("disable_parallel_tool_use"):
            wanted = wanted[:1]
        if wanted:
            blocks = [
                {
                    "type": "tool_use",
                    "id": f"toolu_fake{uuid.uuid4().hex[:16]}",
                    "name": name,
                    "input": arguments,
                }
                for name, arguments in wanted
            ]
            usage = {
                "input_tokens": _tokens(json.dumps(body.get("messages", ""))),
                "output_tokens": 9,
            }
            if body.get("stream"):
                return StreamingResponse(
                    _stream_tool_use(message_id, model, blocks, usage),
                    media_type="text/event-stream",
                )
            answer = message_body(message_id, model, "", usage)
            answer["content"], answer["stop_reason"] = blocks, "tool_use"
            return JSONResponse(answer)
        text = rule.text if rule.text is not None else _echo(body)
        usage = {
            "input_tokens": _tokens(json.dumps(body.get("messages", ""))),
            "output_tokens": _tokens(text),
        }
        if body.get("stream"):
            pieces = rule.chunks if rule.chunks is not None else _WORDS.findall(text)
            return StreamingResponse(
                _stream(message_id, model, pieces, rule, usage), media_type="text/event-stream"
            )
        return JSONResponse(message_body(message_id, model, text, usage))

    return app


def message_body(message_id: str, model: str, text: str, usage: dict[str, int]) -> dict[str, Any]:
    """An Anthropic `message` with one text block."""
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": usage,
    }


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


async def _stream(
    message_id: str, model: str, pieces: list[str], rule: Rule, usage: dict[str, int]
) -> AsyncIterator[bytes]:
    start = message_body(message_id, model, "", {**usage, "output_tokens": 1})
    start["content"], start["stop_reason"] = [], None
    yield _event("message_start", {"type": "message_start", "message": start})
    block = {"type": "text", "text": ""}
    yield _event(
        "content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}
    )
    yield _event("ping", {"type": "ping"})
    for sent, piece in enumerate(pieces):
        if rule.break_after is not None and sent >= rule.break_after:
            if rule.stream_error_type:
                error = {"type": rule.stream_error_type, "message": "fake upstream stream error"}
                yield _event("error", {"type": "error", "error": error})
                return
            raise ConnectionAbortedError("fake upstream drops the stream, as scripted")
        if rule.chunk_delay_s:
            await asyncio.sleep(rule.chunk_delay_s)
        delta = {"type": "text_delta", "text": piece}
        yield _event(
            "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}
        )
    yield _event("content_block_stop", {"type": "content_block_stop", "index": 0})
    yield _event(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"]},
        },
    )
    yield _event("message_stop", {"type": "message_stop"})


async def _stream_tool_use(
    message_id: str, model: str, blocks: list[dict[str, Any]], usage: dict[str, int]
) -> AsyncIterator[bytes]:
    start = message_body(message_id, model, "", {**usage, "output_tokens": 1})
    start["content"], start["stop_reason"] = [], None
    yield _event("message_start", {"type": "message_start", "message": start})
    for index, block in enumerate(blocks):
        opened = {**block, "input": {}}
        yield _event(
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": opened},
        )
        arguments = json.dumps(block["input"])
        third = max(1, len(arguments) // 3)
        for begin in range(0, len(arguments), third):
            delta = {"type": "input_json_delta", "partial_json": arguments[begin : begin + third]}
            yield _event(
                "content_block_delta",
                {"type": "content_block_delta", "index": index, "delta": delta},
            )
        yield _event("content_block_stop", {"type": "content_block_stop", "index": index})
    yield _event(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": "tool_use", "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"]},
        },
    )
    yield _event("message_stop", {"type": "message_stop"})


def _echo(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    last = next((m for m in reversed(messages) if m.get("role") == "user"), None)
    content = last.get("content", "") if isinstance(last, dict) else ""
    if isinstance(content, list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in content
    ):
        results = [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"]
        return "Tool result: " + "\n".join(str(b.get("content", "")) for b in results)
    if isinstance(content, list):
        content = "\n".join(str(b.get("text", "")) for b in content if isinstance(b, dict))
    return f"You said: {content}"


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)
