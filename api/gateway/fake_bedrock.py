"""A local AWS Bedrock runtime for demos and tests: `govroute fake-upstream --kind bedrock`.

POST /model/{modelId}/converse answers a Converse response (JSON), and
POST /model/{modelId}/converse-stream a ConverseStream in AWS's binary event-stream
framing (``application/vnd.amazon.eventstream``: messageStart, contentBlockDelta...,
contentBlockStop, messageStop, metadata), echoing the last user message (after a
``toolResult``, "Tool result: <its text>"). When ``toolConfig`` offers tools and the
last user turn says "use <tool name>" (the OpenAI fake's `tool_request`), it answers
with a ``toolUse`` block instead (stopReason ``tool_use``), streamed as Bedrock does:
``contentBlockStart.start.toolUse`` (id, name), then the input JSON in pieces as
``contentBlockDelta.delta.toolUse.input``.

Every request's Signature Version 4 is checked the way AWS does, with botocore's
signer over the request as it arrived (method, raw path, query, the signed headers,
the body's bytes), against the credentials the fake was created with: a request that
is unsigned, signed with another key, for another region or service, more than five
minutes old, or whose body changed after signing is answered 403 (InvalidSignature
Exception or UnrecognizedClientException), as Bedrock would.

Scripts are the OpenAI fake's (`/_control`, `/_control/reset`, `/_received`; the same
`Rule`): a failing `status` answers with Bedrock's error (``x-amzn-ErrorType:
ThrottlingException`` for 429, ServiceUnavailableException for 503, ...), and
`break_after` with `stream_error_type` (e.g. ``throttlingException``) sends an
exception event instead of dropping the connection.
"""

from __future__ import annotations

import asyncio
import binascii
import hmac
import json
import re
import struct
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.gateway.bedrock_translate import STATUS_ERROR
from api.gateway.fake_upstream import FakeUpstreamState, Rule, add_control_routes, tool_request

FAKE_ACCESS_KEY = "AKIAFAKEGOVROUTE0001"
FAKE_SECRET_KEY = "fake/secret/for/the/govroute/bedrock/fake"  # noqa: S105 - a fake's own
EVENT_STREAM = "application/vnd.amazon.eventstream"
MAX_SKEW_S = 300  # AWS refuses a signature more than five minutes from its clock
_WORDS = re.compile(r"\S+\s*|\s+")
_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, ?SignedHeaders=(?P<headers>[a-z0-9;-]+), ?"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


def create_fake_bedrock(
    *,
    access_key: str = FAKE_ACCESS_KEY,
    secret_key: str = FAKE_SECRET_KEY,
    region: str = "eu-central-1",
) -> FastAPI:
    app = FastAPI(title="govroute fake Bedrock runtime", docs_url=None, redoc_url=None)
    state = FakeUpstreamState()
    add_control_routes(app, state)

    @app.post("/model/{rest:path}")
    async def converse(rest: str, request: Request) -> Response:
        model, _, operation = rest.rpartition("/")
        if operation not in ("converse", "converse-stream") or not model:
            return _error(404, "UnknownOperationException", f"no operation at /model/{rest}")
        content = await request.body()
        refusal = signature_refusal(request, content, access_key, secret_key, region)
        if refusal is not None:
            return refusal
        body = json.loads(content)
        stream = operation == "converse-stream"
        state.record(
            {**body, "model": model, "stream": stream},
            access_key,
            signed=True,
            session_token=bool(request.headers.get("x-amz-security-token")),
        )
        rule = state.take(model)
        if rule.delay_s:
            await asyncio.sleep(rule.delay_s)
        if rule.status != 200:
            name = STATUS_ERROR.get(rule.status, "InternalServerException")
            headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
            return _error(rule.status, name, f"fake upstream failure {rule.status}", headers)
        wanted = _tool_wanted(body) if rule.text is None else None
        use = (
            {"toolUseId": f"tooluse_{uuid.uuid4().hex[:22]}", "name": wanted[0], "input": wanted[1]}
            if wanted
            else None
        )
        text = json.dumps(use) if use else rule.text if rule.text is not None else _echo(body)
        usage = {
            "inputTokens": _tokens(json.dumps(body.get("messages", ""))),
            "outputTokens": _tokens(text),
        }
        usage["totalTokens"] = usage["inputTokens"] + usage["outputTokens"]
        request_id = str(uuid.uuid4())
        if stream:
            pieces = rule.chunks if rule.chunks is not None else _WORDS.findall(text)
            return StreamingResponse(
                _stream_tool_use(use, usage) if use else _stream(pieces, rule, usage),
                media_type=EVENT_STREAM,
                headers={"x-amzn-RequestId": request_id},
            )
        answer = {
            "output": {
                "message": {
                    "role": "assistant",
                    "content": [{"toolUse": use}] if use else [{"text": text}],
                }
            },
            "stopReason": "tool_use" if use else "end_turn",
            "usage": usage,
            "metrics": {"latencyMs": 1},
        }
        return JSONResponse(answer, headers={"x-amzn-RequestId": request_id})

    return app


def signature_refusal(
    request: Request, content: bytes, access_key: str, secret_key: str, region: str
) -> Response | None:
    """None when the request carries a valid SigV4 signature for these credentials."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    match = _AUTH.match(request.headers.get("authorization", ""))
    if match is None:
        return _error(403, "MissingAuthenticationTokenException", "the request is not signed")
    if match["key"] != access_key:
        return _error(403, "UnrecognizedClientException", "The security token is invalid.")
    stamp = request.headers.get("x-amz-date", "")
    try:
        when = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return _error(403, "InvalidSignatureException", "X-Amz-Date is missing or malformed")
    if abs((datetime.now(UTC) - when).total_seconds()) > MAX_SKEW_S:
        return _error(403, "InvalidSignatureException", "Signature expired")
    if match["date"] != stamp[:8] or match["region"] != region or match["service"] != "bedrock":
        return _error(403, "InvalidSignatureException", "Credential should be scoped correctly")
    names = match["headers"].split(";")
    signed_headers = {name: request.headers.get(name, "") for name in names}
    raw_path = request.scope["raw_path"].decode("ascii")
    query = request.scope.get("query_string", b"").decode("ascii")
    url = f"http://{request.headers.get('host', '')}{raw_path}" + (f"?{query}" if query else "")
    token = request.headers.get("x-amz-security-token") or None
    rebuilt = AWSRequest(method=request.method, url=url, data=content, headers=signed_headers)
    rebuilt.context["timestamp"] = stamp
    signer = SigV4Auth(Credentials(access_key, secret_key, token), "bedrock", region)
    canonical = signer.canonical_request(rebuilt)
    expected = signer.signature(signer.string_to_sign(rebuilt, canonical), rebuilt)
    if not hmac.compare_digest(expected, match["signature"]):
        return _error(
            403,
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided.",
        )
    return None


def event_message(headers: dict[str, str], payload: bytes) -> bytes:
    """One message of AWS's event-stream framing: prelude (total and header lengths, its
    CRC32), string headers, the payload, and the CRC32 of everything before it."""
    encoded = b"".join(
        struct.pack(">B", len(name))
        + name.encode()
        + b"\x07"
        + struct.pack(">H", len(value))
        + value.encode()
        for name, value in headers.items()
    )
    total = 12 + len(encoded) + len(payload) + 4
    prelude = struct.pack(">II", total, len(encoded))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    message = prelude + encoded + payload
    return message + struct.pack(">I", binascii.crc32(message))


def stream_event(event_type: str, payload: dict[str, Any]) -> bytes:
    headers = {
        ":event-type": event_type,
        ":content-type": "application/json",
        ":message-type": "event",
    }
    return event_message(headers, json.dumps(payload).encode())


def exception_event(exception_type: str, message: str) -> bytes:
    headers = {
        ":exception-type": exception_type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return event_message(headers, json.dumps({"message": message}).encode())


async def _stream(pieces: list[str], rule: Rule, usage: dict[str, int]) -> AsyncIterator[bytes]:
    yield stream_event("messageStart", {"role": "assistant"})
    for sent, piece in enumerate(pieces):
        if rule.break_after is not None and sent >= rule.break_after:
            if rule.stream_error_type:
                yield exception_event(rule.stream_error_type, "fake upstream stream error")
                return
            raise ConnectionAbortedError("fake upstream drops the stream, as scripted")
        if rule.chunk_delay_s:
            await asyncio.sleep(rule.chunk_delay_s)
        yield stream_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": piece}})
    yield stream_event("contentBlockStop", {"contentBlockIndex": 0})
    yield stream_event("messageStop", {"stopReason": "end_turn"})
    yield stream_event("metadata", {"usage": usage, "metrics": {"latencyMs": 1}})


async def _stream_tool_use(use: dict[str, Any], usage: dict[str, int]) -> AsyncIterator[bytes]:
    yield stream_event("messageStart", {"role": "assistant"})
    start = {"toolUse": {"toolUseId": use["toolUseId"], "name": use["name"]}}
    yield stream_event("contentBlockStart", {"contentBlockIndex": 0, "start": start})
    arguments = json.dumps(use["input"])
    third = max(1, len(arguments) // 3)
    for begin in range(0, len(arguments), third):
        delta = {"toolUse": {"input": arguments[begin : begin + third]}}
        yield stream_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": delta})
    yield stream_event("contentBlockStop", {"contentBlockIndex": 0})
    yield stream_event("messageStop", {"stopReason": "tool_use"})
    yield stream_event("metadata", {"usage": usage, "metrics": {"latencyMs": 1}})


def _tool_wanted(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """`tool_request` over Converse's shapes: the toolSpecs offered, the user turn's text."""
    config = body.get("toolConfig") or {}
    specs = [t.get("toolSpec") or {} for t in config.get("tools") or [] if isinstance(t, dict)]
    return tool_request({"messages": body.get("messages") or [], "tools": specs})


def _error(
    status: int, name: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"message": message},
        status_code=status,
        headers={
            "x-amzn-ErrorType": f"{name}:http://internal.amazon.com/coral/",
            **(headers or {}),
        },
    )


def _echo(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    last = next((m for m in reversed(messages) if m.get("role") == "user"), None)
    blocks = last.get("content", []) if isinstance(last, dict) else []
    results = [b["toolResult"] for b in blocks if isinstance(b, dict) and "toolResult" in b]
    if results:
        inner = results[-1].get("content") or []
        return "Tool result: " + "".join(str(b.get("text", "")) for b in inner)
    return "You said: " + "\n".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict))


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)
