"""A local Gemini API for demos and tests: `govroute fake-upstream --kind vertex`.

POST /v1beta/models/{model}:generateContent answers a ``GenerateContentResponse``
(JSON) and POST /v1beta/models/{model}:streamGenerateContent?alt=sse server-sent
events of them (one per piece of the answer, the last with ``finishReason`` and the
usage), echoing the last user turn's text (after a ``functionResponse``, "Tool result:
<its response as JSON>"). When ``tools[].functionDeclarations`` offer functions and the
last user turn says "use <function name>" (the OpenAI fake's `tool_request`), it
answers with a ``functionCall`` part instead (``args`` ``{"request": <that text>}``),
whole, as Gemini sends calls, finished by STOP. The key is taken from ``x-goog-api-key``
or a Bearer token (a fingerprint is kept, never the key); a request with neither is
answered 401 UNAUTHENTICATED, as Google does.

Scripts are the OpenAI fake's (`/_control`, `/_control/reset`, `/_received`, the
same `Rule`): a failing `status` answers Google's error body
(``{"error": {"code": 429, "message", "status": "RESOURCE_EXHAUSTED"}}``), and
`break_after` with `stream_error_type` (a google.rpc status name) sends an error
object as the next event instead of dropping the connection.
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

from api.gateway.fake_upstream import FakeUpstreamState, Rule, add_control_routes, tool_request
from api.gateway.gemini_translate import HTTP_STATUS, STATUS_HTTP

_WORDS = re.compile(r"\S+\s*|\s+")


def create_fake_vertex() -> FastAPI:
    app = FastAPI(title="govroute fake Gemini API", docs_url=None, redoc_url=None)
    state = FakeUpstreamState()
    add_control_routes(app, state)

    @app.post("/v1beta/models/{call:path}")
    async def generate(call: str, request: Request) -> Response:
        model, _, method = call.rpartition(":")
        if method not in ("generateContent", "streamGenerateContent"):
            return _error(404, f"method {method or 'none'} is not served here")
        stream = method == "streamGenerateContent"
        if stream and request.query_params.get("alt") != "sse":
            return _error(400, "this fake streams server-sent events only: add ?alt=sse")
        key = request.headers.get("x-goog-api-key", "")
        auth = request.headers.get("authorization", "")
        bearer = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        if not (key or bearer):
            return _error(401, "Method doesn't allow unregistered callers.")
        body = await request.json()
        state.record(
            {"model": model, "stream": stream, "messages": body.get("contents", []), **body},
            key or bearer,
            auth="api_key" if key else "bearer",
        )
        rule = state.take(model)
        if rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule.status != 200:
            headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
            return _error(rule.status, f"fake upstream failure {rule.status}", headers)
        prompt_tokens = _tokens(json.dumps(body.get("contents", "")))
        response_id = uuid.uuid4().hex[:20]
        wanted = _tool_wanted(body) if rule.text is None else None
        if wanted:
            made = {"functionCall": {"name": wanted[0], "args": wanted[1]}}
            answer = _response(response_id, model, "", "STOP", prompt_tokens, 8)
            answer["candidates"][0]["content"]["parts"] = [made]
            if stream:
                return StreamingResponse(iter([_sse(answer)]), media_type="text/event-stream")
            return JSONResponse(answer)
        text = rule.text if rule.text is not None else _echo(body)
        if stream:
            pieces = rule.chunks if rule.chunks is not None else _WORDS.findall(text)
            return StreamingResponse(
                _stream(response_id, model, pieces, rule, prompt_tokens),
                media_type="text/event-stream",
            )
        return JSONResponse(
            _response(response_id, model, text, "STOP", prompt_tokens, _tokens(text))
        )

    return app


def _response(
    response_id: str, model: str, text: str, finish: str | None, prompt: int, answer: int
) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}}
    if finish is not None:
        candidate["finishReason"] = finish
    candidate["index"] = 0
    return {
        "candidates": [candidate],
        "usageMetadata": {
            "promptTokenCount": prompt,
            "candidatesTokenCount": answer,
            "totalTokenCount": prompt + answer,
        },
        "modelVersion": model,
        "responseId": response_id,
    }


async def _stream(
    response_id: str, model: str, pieces: list[str], rule: Rule, prompt: int
) -> AsyncIterator[bytes]:
    sent_text = ""
    for sent, piece in enumerate(pieces):
        if rule.break_after is not None and sent >= rule.break_after:
            if rule.stream_error_type:
                status = rule.stream_error_type
                error = {
                    "code": STATUS_HTTP.get(status, 500),
                    "message": "fake upstream stream error",
                    "status": status,
                }
                yield _sse({"error": error})
                return
            raise ConnectionAbortedError("fake upstream drops the stream, as scripted")
        if rule.chunk_delay_s:
            await asyncio.sleep(rule.chunk_delay_s)
        sent_text += piece
        last = sent == len(pieces) - 1
        yield _sse(
            _response(
                response_id, model, piece, "STOP" if last else None, prompt, _tokens(sent_text)
            )
        )
    if not pieces:
        yield _sse(_response(response_id, model, "", "STOP", prompt, 0))


def _sse(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload)}\r\n\r\n".encode()


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    name = HTTP_STATUS.get(status, "INTERNAL" if status >= 500 else "INVALID_ARGUMENT")
    return JSONResponse(
        {"error": {"code": status, "message": message, "status": name}},
        status_code=status,
        headers=headers,
    )


def _tool_wanted(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """`tool_request` over Gemini's shapes: the functions declared, the user turn's text."""
    declared = [
        d
        for tool in body.get("tools") or []
        if isinstance(tool, dict)
        for d in tool.get("functionDeclarations") or []
    ]
    contents = body.get("contents") or []
    last = contents[-1] if contents and isinstance(contents[-1], dict) else {}
    parts = last.get("parts") or []
    if any(isinstance(p, dict) and "functionResponse" in p for p in parts):
        return None
    text = "".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))
    return tool_request({"messages": [{"role": "user", "content": text}], "tools": declared})


def _echo(body: dict[str, Any]) -> str:
    contents = body.get("contents") or []
    last = next((c for c in reversed(contents) if c.get("role") == "user"), None)
    parts = last.get("parts", []) if isinstance(last, dict) else []
    answers = [
        p["functionResponse"] for p in parts if isinstance(p, dict) and "functionResponse" in p
    ]
    if answers:
        return "Tool result: " + json.dumps(answers[-1].get("response"))
    return "You said: " + "".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)
