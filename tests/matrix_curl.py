"""curl in the matrix: the real curl binary posting each format's JSON, reading the
headers it dumps and the body (or the SSE events) it prints, as docs/gateway.md's
examples do. Only the reading of each format's answer is written here.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.matrix_cells import Calls, Client, Format, Reply, Target

DECISION = "x-govroute-decision-id"


@dataclass
class CurlRefused(Exception):
    """curl got an HTTP error status: what a shell script would check."""

    status: int
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass(frozen=True)
class Exchange:
    status: int
    headers: dict[str, str]
    body: str


def curl(t: Target, fmt: Format, payload: dict[str, Any]) -> Exchange:
    headers = ["-H", "Content-Type: application/json"]
    if fmt is Format.MESSAGES:  # as Anthropic's own curl examples authenticate
        headers += ["-H", f"x-api-key: {t.key}", "-H", "anthropic-version: 2023-06-01"]
    else:
        headers += ["-H", f"Authorization: Bearer {t.key}"]
    done = subprocess.run(
        ["curl", "-sS", "-N", "-D", "-", *headers, "--data-binary", "@-", f"{t.url}{fmt.value}"],
        input=json.dumps(payload).encode(),
        capture_output=True,  # bytes: text mode would fold the header lines' CRLF
        timeout=60,
        check=True,
    )
    head, _, body = done.stdout.decode().partition("\r\n\r\n")
    status_line, *lines = head.split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines if ": " in line)
    exchange = Exchange(
        int(status_line.split()[1]), {k.lower(): v for k, v in fields.items()}, body
    )
    if exchange.status >= 400:
        raise CurlRefused(exchange.status, exchange.headers, json.loads(body))
    return exchange


def curl_refusal(exc: BaseException) -> str:
    """A 403 whose body says content policy in the format's terms."""
    assert isinstance(exc, CurlRefused), repr(exc)
    assert exc.status == 403, exc
    error = exc.body["error"]
    if exc.body.get("type") == "error":  # Anthropic's envelope, on /v1/messages
        assert error["details"]["error_code"] == "request_denied", exc.body
    else:
        assert error["code"] == "content_policy_violation", exc.body
    assert exc.headers[DECISION] == error["decision_id"]
    return str(error["decision_id"])


def events(body: str) -> list[dict[str, Any]]:
    """The JSON objects of an SSE body's ``data:`` lines (not the ``[DONE]`` marker)."""
    found = []
    for line in body.splitlines():
        data = line.removeprefix("data:").strip() if line.startswith("data:") else ""
        if data and data != "[DONE]":
            found.append(json.loads(data))
    return found


# Each format: the request body, the answer's text in a JSON reply, and in one event.
Payload = Callable[[Target], dict[str, Any]]
Read = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Shape:
    payload: Payload
    text: Read
    delta: Read | None  # None: the format does not stream


def _responses_text(body: dict[str, Any]) -> str:
    return "".join(
        part["text"]
        for item in body["output"]
        if item["type"] == "message"
        for part in item["content"]
        if part["type"] == "output_text"
    )


def _user(t: Target) -> list[dict[str, str]]:
    return [{"role": "user", "content": t.prompt}]


SHAPES: dict[Format, Shape] = {
    Format.CHAT: Shape(
        lambda t: {"model": t.model, "messages": _user(t), "max_tokens": 64},
        lambda b: b["choices"][0]["message"]["content"],
        lambda e: (e["choices"][0]["delta"].get("content") or "") if e["choices"] else "",
    ),
    Format.RESPONSES: Shape(
        lambda t: {"model": t.model, "input": t.prompt},
        _responses_text,
        lambda e: e["delta"] if e["type"] == "response.output_text.delta" else "",
    ),
    Format.MESSAGES: Shape(
        lambda t: {"model": t.model, "max_tokens": 64, "messages": _user(t)},
        lambda b: "".join(block["text"] for block in b["content"] if block["type"] == "text"),
        lambda e: e["delta"].get("text", "") if e["type"] == "content_block_delta" else "",
    ),
    Format.EMBEDDINGS: Shape(
        lambda t: {"model": t.model, "input": [t.prompt], "encoding_format": "float"},
        lambda b: "",
        None,
    ),
    Format.COMPLETIONS: Shape(
        lambda t: {"model": t.model, "prompt": t.prompt, "max_tokens": 64},
        lambda b: b["choices"][0]["text"],
        lambda e: e["choices"][0]["text"] if e["choices"] else "",
    ),
}


def _calls(fmt: Format, shape: Shape) -> Calls:
    def ask(t: Target) -> Reply:
        answer = curl(t, fmt, shape.payload(t))
        body = json.loads(answer.body)
        vectors = tuple(tuple(d["embedding"]) for d in body["data"]) if fmt.embeds else ()
        return Reply(answer.headers[DECISION], shape.text(body), vectors)

    def stream(t: Target) -> Reply:
        assert shape.delta is not None
        answer = curl(t, fmt, {**shape.payload(t), "stream": True})
        assert answer.headers["content-type"].startswith("text/event-stream")
        text = "".join(shape.delta(e) for e in events(answer.body))
        return Reply(answer.headers[DECISION], text)

    return Calls(ask, stream if shape.delta else None, CurlRefused, curl_refusal)


CURL = Client(
    "curl",
    {fmt: _calls(fmt, shape) for fmt, shape in SHAPES.items()},
    note="the curl binary: JSON in, headers and JSON or SSE out",
)
