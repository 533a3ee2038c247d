"""Fake Azure OpenAI and fake local servers: `govroute fake-upstream --kind azure|local`.

Both speak OpenAI's chat completions, each with what sets it apart on the wire:

- Azure (`create_fake_azure`): POST /openai/deployments/{deployment}/chat/completions
  and .../embeddings, ``api-version`` required in the query (400 without it, as Azure
  answers), the key in the ``api-key`` header (401 without it); the model in the body
  is ignored, the deployment answers as its model. A scripted 400 is Azure's content
  filter refusing the prompt (``error.code: content_filter``, its innererror), and
  every stream starts with Azure's ``prompt_filter_results`` chunk (no choices).
- Local (`create_fake_local`): POST /v1/chat/completions and /v1/embeddings as vLLM
  and Ollama's /v1 answer when bare: no ``id``, no ``created``, no ``usage``, choices
  without ``index``; no key needed.

Both call a tool as the OpenAI fake does (`tool_call_answer`: tools offered and the last
user message says "use <tool name>"), and answer a tool result with "Tool result: ...".
Scripts are the OpenAI fake's (`/_control`, `/_control/reset`, `/_received`, the same
`Rule`); a request's record says which deployment and api-version it named.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import struct
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.gateway.fake_upstream import (
    FakeUpstreamState,
    Rule,
    add_control_routes,
    completion_body,
    fake_vector,
    sse_event,
    tool_call_answer,
)

_WORDS = re.compile(r"\S+\s*|\s+")
_FILTERS = {
    category: {"filtered": False, "severity": "safe"}
    for category in ("hate", "self_harm", "sexual", "violence")
}


def create_fake_azure() -> FastAPI:
    app = FastAPI(title="govroute fake Azure OpenAI", docs_url=None, redoc_url=None)
    state = FakeUpstreamState()
    add_control_routes(app, state)

    def refused(request: Request) -> JSONResponse | None:
        if not request.query_params.get("api-version"):
            return _azure_error(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        if not request.headers.get("api-key"):
            return _azure_error(401, "401", "Access denied due to missing subscription key.")
        return None

    @app.post("/openai/deployments/{deployment:path}/chat/completions")
    async def chat(deployment: str, request: Request) -> Response:
        refusal = refused(request)
        if refusal is not None:
            return refusal
        body = await request.json()
        state.record(
            {**body, "model": deployment},
            request.headers["api-key"],
            api_version=request.query_params["api-version"],
            body_model=body.get("model"),
        )
        rule = state.take(deployment)
        if rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule.status == 400:
            return _content_filter()
        if rule.status != 200:
            return _azure_error(
                rule.status, str(rule.status), f"fake failure {rule.status}", rule.retry_after
            )
        answer_id = f"chatcmpl-azure-{uuid.uuid4().hex[:12]}"
        called = tool_call_answer(body, answer_id, deployment) if rule.text is None else None
        if called is not None:
            return called
        text = rule.text if rule.text is not None else _echo(body)
        usage = _usage(body, text)
        if body.get("stream"):
            pieces = rule.chunks if rule.chunks is not None else _WORDS.findall(text)
            include = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(
                _azure_stream(answer_id, deployment, pieces, rule, usage if include else None),
                media_type="text/event-stream",
            )
        answer = completion_body(answer_id, deployment, text, usage)
        answer["prompt_filter_results"] = [{"prompt_index": 0, "content_filter_results": _FILTERS}]
        answer["choices"][0]["content_filter_results"] = _FILTERS
        return JSONResponse(answer)

    @app.post("/openai/deployments/{deployment:path}/embeddings")
    async def embeddings(deployment: str, request: Request) -> Response:
        refusal = refused(request)
        if refusal is not None:
            return refusal
        body = await request.json()
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else list(texts or [])
        state.record(
            {"model": deployment, "input": texts},
            request.headers["api-key"],
            api_version=request.query_params["api-version"],
        )
        rule = state.take(deployment)
        if rule.status != 200:
            return _azure_error(
                rule.status, str(rule.status), f"fake failure {rule.status}", rule.retry_after
            )
        dimensions = int(body.get("dimensions") or 8)
        as_base64 = body.get("encoding_format") == "base64"
        tokens = sum(_tokens(str(t)) for t in texts)
        return JSONResponse(
            {
                "object": "list",
                "data": [
                    {
                        "object": "embedding",
                        "index": i,
                        "embedding": _vector(fake_vector(t, dimensions), as_base64),
                    }
                    for i, t in enumerate(texts)
                ],
                "model": deployment,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    return app


def create_fake_local() -> FastAPI:
    app = FastAPI(title="govroute fake local server", docs_url=None, redoc_url=None)
    state = FakeUpstreamState()
    add_control_routes(app, state)

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        body = await request.json()
        auth = request.headers.get("authorization", "")
        state.record(body, auth.removeprefix("Bearer ").strip())
        model = str(body.get("model", ""))
        rule = state.take(model)
        if rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule.status != 200:  # vLLM's error body: OpenAI's, with the status as code
            error = {
                "message": f"fake failure {rule.status}",
                "type": "BadRequestError" if rule.status < 500 else "InternalServerError",
                "code": rule.status,
            }
            headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
            return JSONResponse(
                {"object": "error", **error}, status_code=rule.status, headers=headers
            )
        called = tool_call_answer(body, "", model) if rule.text is None else None
        if called is not None:
            return called
        text = rule.text if rule.text is not None else _echo(body)
        if body.get("stream"):
            pieces = rule.chunks if rule.chunks is not None else _WORDS.findall(text)
            return StreamingResponse(
                _bare_stream(model, pieces, rule), media_type="text/event-stream"
            )
        return JSONResponse(
            {
                "object": "chat.completion",
                "model": model,
                "choices": [
                    {"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                ],
            }
        )

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Response:
        body = await request.json()
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else list(texts or [])
        state.record({"model": body.get("model", ""), "input": texts}, "")
        rule = state.take(str(body.get("model", "")))
        if rule.status != 200:
            return JSONResponse(
                {"object": "error", "message": "fake failure"}, status_code=rule.status
            )
        as_base64 = body.get("encoding_format") == "base64"
        data = [  # no usage, as Ollama answers
            {"object": "embedding", "index": i, "embedding": _vector(fake_vector(t), as_base64)}
            for i, t in enumerate(texts)
        ]
        return JSONResponse({"object": "list", "data": data, "model": body.get("model")})

    return app


async def _azure_stream(
    answer_id: str, model: str, pieces: list[str], rule: Rule, usage: dict[str, int] | None
) -> AsyncIterator[bytes]:
    yield sse_event(
        {
            "id": "",
            "object": "",
            "created": 0,
            "model": "",
            "choices": [],
            "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": _FILTERS}],
        }
    )
    async for event in _pieces(answer_id, model, pieces, rule):
        yield event
    if usage is not None:
        yield sse_event(
            {
                "id": answer_id,
                "object": "chat.completion.chunk",
                "model": model,
                "choices": [],
                "usage": usage,
            }
        )
    yield b"data: [DONE]\n\n"


async def _bare_stream(model: str, pieces: list[str], rule: Rule) -> AsyncIterator[bytes]:
    async for event in _pieces(None, model, pieces, rule):
        yield event
    yield b"data: [DONE]\n\n"


async def _pieces(
    answer_id: str | None, model: str, pieces: list[str], rule: Rule
) -> AsyncIterator[bytes]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice: dict[str, Any] = {"delta": delta, "finish_reason": finish}
        body: dict[str, Any] = {
            "object": "chat.completion.chunk",
            "model": model,
            "choices": [choice],
        }
        if answer_id is not None:  # Azure's chunks are complete; a bare server's are not
            body["id"] = answer_id
            choice["index"] = 0
        return sse_event(body)

    yield chunk({"role": "assistant", "content": ""})
    for sent, piece in enumerate(pieces):
        if rule.break_after is not None and sent >= rule.break_after:
            raise ConnectionAbortedError("fake upstream drops the stream, as scripted")
        if rule.chunk_delay_s:
            await asyncio.sleep(rule.chunk_delay_s)
        yield chunk({"content": piece})
    yield chunk({}, "stop")


def _vector(vector: list[float], as_base64: bool) -> list[float] | str:
    if not as_base64:
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def _content_filter() -> JSONResponse:
    """Azure's answer to a prompt its content filter refuses."""
    error = {
        "message": "The response was filtered due to the prompt triggering Azure OpenAI's "
        "content management policy.",
        "type": None,
        "param": "prompt",
        "code": "content_filter",
        "status": 400,
        "innererror": {
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_result": {
                **_FILTERS,
                "violence": {"filtered": True, "severity": "high"},
            },
        },
    }
    return JSONResponse({"error": error}, status_code=400)


def _azure_error(
    status: int, code: str, message: str, retry_after: str | None = None
) -> JSONResponse:
    headers = {"Retry-After": retry_after} if retry_after else {}
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = _tokens(json.dumps(body.get("messages", "")))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": _tokens(text),
        "total_tokens": prompt + _tokens(text),
    }


def _echo(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    if messages and isinstance(messages[-1], dict) and messages[-1].get("role") == "tool":
        return f"Tool result: {messages[-1].get('content', '')}"
    last = next((m for m in reversed(messages) if m.get("role") == "user"), None)
    content = last.get("content", "") if isinstance(last, dict) else ""
    if isinstance(content, list):
        content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return f"You said: {content}"


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)
