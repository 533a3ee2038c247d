"""A local OpenAI-compatible server for demos and tests: `govroute fake-upstream`.

It answers POST /v1/chat/completions (JSON or SSE) by echoing the last user
message it received (or, after a tool result, "Tool result: <its content>"),
with a tool call instead when tools are offered and the last message is a user
message that says "use <tool name>" (`tool_requests`: every offered tool so
named, in the order offered, at once unless ``parallel_tool_calls`` is false, each
called with ``{"request": <that message>}``, streamed as OpenAI does, the arguments
in pieces), and POST /v1/embeddings with deterministic vectors (a unit
vector drawn from the SHA-256 of each input, 8 dimensions unless `dimensions`
says otherwise, floats or base64 as `encoding_format` asks), and remembers the
last requests it got, so a demo can show exactly what a provider would have
seen (the redacted messages, the model name, whether a key came along). Tests script its behaviour:

    POST /_control        {"rules": [{"model": "*", "times": 3, "status": 500}, ...]}
    POST /_control/reset  forget rules and received requests
    GET  /_received       {"requests": [...]} newest last (at most 200)

A rule applies to requests for its `model` (the provider's model name, or
"*"), for its next `times` requests (forever when absent), in list order. Its
fields: `status` (answer with an OpenAI-style error unless 200) and
`retry_after` (the Retry-After header); `delay_s` (wait before answering);
`text` (the answer; default the echo); `chunks` (stream exactly these pieces);
`chunk_delay_s`; `break_after` (drop the connection after that many chunks);
`fields` and `choice_fields` (keys merged into every answer object, and into
every choice of it, as a hostile provider would add them: `usage` in `fields`
is merged into the usage counts, and a stream then always ends with them), and
`fail_rate` (the rule applies to that share of its requests, drawn from a
random generator seeded by the script's `seed`, and the others get the plain
echo: `{"status": 500, "fail_rate": 0.5}` is a provider failing half the time,
independently per call, the same way on every run).
Keys are never kept: a request records only whether one came and a short
SHA-256 fingerprint of it.

`BackgroundServer` runs any ASGI app with uvicorn on 127.0.0.1 in a thread, for
tests and notebooks.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import math
import random
import re
import socket
import struct
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

_WORDS = re.compile(r"\S+\s*|\s+")


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = "*"
    times: int | None = Field(default=None, ge=1)
    status: int = Field(default=200, ge=200, le=599)
    retry_after: str | None = None
    delay_s: float = Field(default=0.0, ge=0, le=120)
    text: str | None = None
    chunks: list[str] | None = None
    chunk_delay_s: float = Field(default=0.0, ge=0, le=10)
    break_after: int | None = Field(default=None, ge=0)
    fields: dict[str, Any] | None = None
    choice_fields: dict[str, Any] | None = None
    fail_rate: float | None = Field(default=None, ge=0, le=1)
    # the Anthropic fake: an error event of this type at break_after, not a dropped stream
    stream_error_type: str | None = None


class Script(BaseModel):
    rules: list[Rule] = []
    seed: int = 0


@dataclass
class FakeUpstreamState:
    rules: list[Rule] = field(default_factory=list)
    received: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=200))
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=random.Random)

    def record(self, body: dict[str, Any], key: str, **extra: Any) -> None:
        """Remember a request: what a provider would have seen, and a key's fingerprint."""
        with self.lock:
            self.received.append(
                {
                    "at": time.time(),
                    "model": str(body.get("model", "")),
                    "stream": bool(body.get("stream")),
                    "messages": body.get("messages", []),
                    "params": {k: v for k, v in body.items() if k not in ("model", "messages")},
                    "authorized": bool(key),
                    "key_sha256": hashlib.sha256(key.encode()).hexdigest()[:12] if key else None,
                    **extra,
                }
            )

    def take(self, model: str) -> Rule:
        with self.lock:
            for index, rule in enumerate(self.rules):
                if rule.model not in ("*", model):
                    continue
                if rule.fail_rate is not None and self.rng.random() >= rule.fail_rate:
                    return Rule()
                if rule.times is not None:
                    left = rule.times - 1
                    if left:
                        self.rules[index] = rule.model_copy(update={"times": left})
                    else:
                        del self.rules[index]
                return rule
        return Rule()


def create_fake_upstream() -> FastAPI:
    app = FastAPI(title="govroute fake upstream", docs_url=None, redoc_url=None)
    state = FakeUpstreamState()
    add_control_routes(app, state)

    @app.get("/v1/models")
    def models() -> dict[str, Any]:
        return {"object": "list", "data": []}

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Response:
        body = await request.json()
        model = str(body.get("model", ""))
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else list(texts or [])
        with state.lock:
            state.received.append(
                {
                    "at": time.time(),
                    "model": model,
                    "input": texts,
                    "params": {k: v for k, v in body.items() if k not in ("model", "input")},
                    **_key_fields(request),
                }
            )
        rule = state.take(model)
        if rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule.status != 200:
            return _failure(rule)
        dimensions = int(body.get("dimensions") or EMBEDDING_DIMENSIONS)
        as_base64 = body.get("encoding_format") == "base64"
        data = [
            {
                "object": "embedding",
                "index": index,
                "embedding": _encoded(fake_vector(text, dimensions), as_base64),
            }
            for index, text in enumerate(texts)
        ]
        tokens = sum(_tokens(str(t)) for t in texts)
        answer = {
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
        return JSONResponse(answer | (rule.fields or {}))

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        body = await request.json()
        model = str(body.get("model", ""))
        auth = request.headers.get("authorization", "")
        key = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        state.record(body, key)
        rule = state.take(model)
        if rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule.status != 200:
            headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
            error = {
                "message": f"fake upstream failure {rule.status}",
                "type": "server_error" if rule.status >= 500 else "invalid_request_error",
                "code": str(rule.status),
                "param": None,
            }
            return JSONResponse({"error": error}, status_code=rule.status, headers=headers)
        completion_id = f"chatcmpl-fake-{uuid.uuid4().hex[:12]}"
        called = tool_call_answer(body, completion_id, model) if rule.text is None else None
        if called is not None:
            return called
        text = rule.text if rule.text is not None else _echo(body)
        usage: dict[str, Any] = {
            "prompt_tokens": _tokens(str(body.get("messages", ""))),
            "completion_tokens": _tokens(text),
            "total_tokens": _tokens(str(body.get("messages", ""))) + _tokens(text),
        }
        extra = dict(rule.fields or {})
        usage |= extra.pop("usage", None) or {}
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            pieces = rule.chunks if rule.chunks is not None else _WORDS.findall(text)
            sent_usage = usage if include_usage or rule.fields else None
            return StreamingResponse(
                _stream(completion_id, model, pieces, rule, sent_usage),
                media_type="text/event-stream",
            )
        return JSONResponse(
            _hostile(completion_body(completion_id, model, text, usage), extra, rule.choice_fields)
        )

    return app


def add_control_routes(app: FastAPI, state: FakeUpstreamState) -> None:
    """POST /_control, POST /_control/reset and GET /_received (every fake provider)."""
    app.state.fake = state

    @app.post("/_control")
    def control(script: Script) -> dict[str, int]:
        with state.lock:
            state.rules = list(script.rules)
            state.rng = random.Random(script.seed)
        return {"rules": len(script.rules)}

    @app.post("/_control/reset")
    def reset() -> dict[str, str]:
        with state.lock:
            state.rules.clear()
            state.received.clear()
        return {"status": "reset"}

    @app.get("/_received")
    def received() -> dict[str, list[dict[str, Any]]]:
        with state.lock:
            return {"requests": list(state.received)}


# The OpenAI wire shapes both fake upstreams answer with (bench/fast_upstream.py too).


def completion_body(
    completion_id: str, model: str, text: str, usage: dict[str, int]
) -> dict[str, Any]:
    """A `chat.completion` with one assistant message."""
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": usage,
    }


def chunk_body(
    completion_id: str, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    """A `chat.completion.chunk` carrying one choice's delta."""
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def usage_chunk_body(completion_id: str, model: str, usage: dict[str, int]) -> dict[str, Any]:
    """The last chunk of a stream asked for `stream_options.include_usage`: no choices."""
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [],
        "usage": usage,
    }


def sse_event(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload)}\n\n".encode()


def _hostile(
    answer: dict[str, Any], fields: dict[str, Any], choice_fields: dict[str, Any] | None
) -> dict[str, Any]:
    """`answer` with a rule's extra fields merged in, at the top and in every choice."""
    answer |= fields
    for choice in answer.get("choices", []):
        choice |= choice_fields or {}
    return answer


EMBEDDING_DIMENSIONS = 8


def fake_vector(text: str, dimensions: int = EMBEDDING_DIMENSIONS) -> list[float]:
    """A deterministic unit vector for `text`: the same text, the same vector, every run."""
    raw = b""
    counter = 0
    while len(raw) < dimensions * 4:
        raw += hashlib.sha256(f"{counter}:{text}".encode()).digest()
        counter += 1
    values = [v / 2**31 - 1.0 for v in struct.unpack(f"<{dimensions}I", raw[: dimensions * 4])]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def _encoded(vector: list[float], as_base64: bool) -> list[float] | str:
    """OpenAI's two encodings: the numbers, or base64 of little-endian float32."""
    if not as_base64:
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def _key_fields(request: Request) -> dict[str, Any]:
    """Whether a key came, and a short fingerprint of it: never the key."""
    auth = request.headers.get("authorization", "")
    key = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
    return {
        "authorized": bool(key),
        "key_sha256": hashlib.sha256(key.encode()).hexdigest()[:12] if key else None,
    }


def _failure(rule: Rule) -> JSONResponse:
    headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
    error = {
        "message": f"fake upstream failure {rule.status}",
        "type": "server_error" if rule.status >= 500 else "invalid_request_error",
        "code": str(rule.status),
        "param": None,
    }
    return JSONResponse({"error": error}, status_code=rule.status, headers=headers)


def tool_request(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The tool the fake model calls, and its arguments: the first offered tool the last
    message (a user message) asks to use, as "use <name>"; None: answer with text."""
    wanted = tool_requests(body)
    return wanted[0] if wanted else None


def tool_requests(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every offered tool the last message (a user message) asks to use, in the order
    offered: the OpenAI fakes call them all at once (parallel calls), the others the
    first (`tool_request`)."""
    messages = body.get("messages") or []
    last = messages[-1] if messages else None
    if not isinstance(last, dict) or last.get("role") != "user":
        return []
    content = last.get("content")
    if isinstance(content, list):  # text parts (OpenAI) or blocks (Anthropic)
        if any(isinstance(b, dict) and b.get("type") == "tool_result" for b in content):
            return []
        content = "\n".join(str(b.get("text", "")) for b in content if isinstance(b, dict))
    text = str(content or "")
    wanted = []
    for tool in body.get("tools") or []:
        name = (tool.get("function") or tool).get("name") if isinstance(tool, dict) else None
        if isinstance(name, str) and f"use {name}" in text:
            wanted.append((name, {"request": text}))
    return wanted


def tool_call_answer(body: dict[str, Any], completion_id: str, model: str) -> Response | None:
    """The fake model's tool call in OpenAI's shapes (JSON, or streamed as OpenAI streams
    one), when `tool_request` says the request asks for one; the OpenAI-compatible
    fakes of other kinds (azure, local) answer tool calls with it too."""
    wanted = tool_requests(body)
    if not wanted:
        return None
    if body.get("parallel_tool_calls") is False:
        wanted = wanted[:1]
    calls = [
        {
            "id": f"call_fake{uuid.uuid4().hex[:12]}",
            "type": "function",
            "function": {"name": name, "arguments": json.dumps(arguments)},
        }
        for name, arguments in wanted
    ]
    if body.get("stream"):
        return StreamingResponse(
            _stream_calls(completion_id, model, calls), media_type="text/event-stream"
        )
    answer = completion_body(completion_id, model, "", _usage(body, ""))
    answer["choices"][0]["message"] = {"role": "assistant", "content": None, "tool_calls": calls}
    answer["choices"][0]["finish_reason"] = "tool_calls"
    return JSONResponse(answer)


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = _tokens(str(body.get("messages", "")))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": _tokens(text),
        "total_tokens": prompt + _tokens(text),
    }


async def _stream_calls(
    completion_id: str, model: str, calls: list[dict[str, Any]]
) -> AsyncIterator[bytes]:
    """Tool calls streamed as OpenAI streams them, one after the other by `index`: a
    call's id and name first, then its arguments in three pieces; then the finish."""
    yield sse_event(chunk_body(completion_id, model, {"role": "assistant", "content": None}))
    for index, call in enumerate(calls):
        opened = {"index": index, "id": call["id"], "type": "function"}
        function = {"name": call["function"]["name"], "arguments": ""}
        yield sse_event(
            chunk_body(completion_id, model, {"tool_calls": [{**opened, "function": function}]})
        )
        arguments = call["function"]["arguments"]
        third = max(1, len(arguments) // 3)
        for start in range(0, len(arguments), third):
            piece = {"index": index, "function": {"arguments": arguments[start : start + third]}}
            yield sse_event(chunk_body(completion_id, model, {"tool_calls": [piece]}))
    yield sse_event(chunk_body(completion_id, model, {}, "tool_calls"))
    yield b"data: [DONE]\n\n"


def _echo(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    if messages and isinstance(messages[-1], dict) and messages[-1].get("role") == "tool":
        return f"Tool result: {messages[-1].get('content', '')}"
    last = next((m for m in reversed(messages) if m.get("role") == "user"), None)
    content = last.get("content", "") if isinstance(last, dict) else ""
    return f"You said: {content}"


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


async def _stream(
    completion_id: str,
    model: str,
    pieces: list[str],
    rule: Rule,
    usage: dict[str, int] | None,
) -> AsyncIterator[bytes]:
    extra = {k: v for k, v in (rule.fields or {}).items() if k != "usage"}

    def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
        chunk = chunk_body(completion_id, model, delta, finish)
        return sse_event(_hostile(chunk, extra, rule.choice_fields))

    yield event({"role": "assistant", "content": ""})
    for sent, piece in enumerate(pieces):
        if rule.break_after is not None and sent >= rule.break_after:
            raise ConnectionAbortedError("fake upstream drops the stream, as scripted")
        if rule.chunk_delay_s:
            await asyncio.sleep(rule.chunk_delay_s)
        yield event({"content": piece})
    yield event({}, "stop")
    if usage is not None:
        yield sse_event(_hostile(usage_chunk_body(completion_id, model, usage), extra, None))
    yield b"data: [DONE]\n\n"


class BackgroundServer:
    """An ASGI app served by uvicorn on 127.0.0.1 in a daemon thread."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", log_level: str = "warning") -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app, log_level=log_level, lifespan="on", timeout_graceful_shutdown=5
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"uvicorn-{self.port}",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout_s: float = 120.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the server on port {self.port} failed to start")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server on port {self.port} did not start in time")
            time.sleep(0.02)
        return self

    def stop(self, timeout_s: float = 30.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        self._socket.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
