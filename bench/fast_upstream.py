"""A minimal, low-overhead OpenAI-compatible upstream for benchmarks (bench/gateway.py).

    .venv/bin/python bench/fast_upstream.py --port 9100 [--host 127.0.0.1]

An asyncio protocol speaking just enough HTTP/1.1 (keep-alive, Content-Length or
chunked request bodies) to answer POST .../chat/completions with a fixed small
`chat.completion` (or, when the request asks to stream, the same answer as a few
SSE chunks and `[DONE]`). It does no routing framework, validation or logging, so
it costs a few tens of microseconds a request and is never what a benchmark
measures. GET /_stats says how many completions it served, how many connections it
accepted (keep-alive at work) and the last request body it got (to check what a
gateway actually sent); POST /_stats/reset zeroes it.

api/gateway/fake_upstream.py is the scriptable one for tests and demos; this one
only has to be fast. Both answer with the same wire shapes (fake_upstream's
`completion_body` and `chunk_body`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json

from api.gateway.fake_upstream import chunk_body, completion_body, sse_event, usage_chunk_body

ANSWER = (
    "Here is a short summary: revenue grew in every region, costs stayed flat, "
    "and the team recommends keeping the current plan for the next quarter."
)
USAGE = {"prompt_tokens": 96, "completion_tokens": 28, "total_tokens": 124}
ID = "chatcmpl-bench"


class Stats:
    def __init__(self) -> None:
        self.completions = 0
        self.connections = 0
        self.last_body: bytes = b""


def completion(model: str) -> bytes:
    return json.dumps(completion_body(ID, model, ANSWER, USAGE), separators=(",", ":")).encode()


def stream(model: str, include_usage: bool) -> bytes:
    words = ANSWER.split(" ")
    pieces = [" ".join(words[i : i + 6]) + " " for i in range(0, len(words), 6)]
    events = [chunk_body(ID, model, {"role": "assistant", "content": ""})]
    events += [chunk_body(ID, model, {"content": p}) for p in pieces]
    events.append(chunk_body(ID, model, {}, "stop"))
    if include_usage:
        events.append(usage_chunk_body(ID, model, USAGE))
    return b"".join(sse_event(e) for e in events) + b"data: [DONE]\n\n"


def response(status: str, content_type: str, body: bytes, keep_alive: bool) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n"
        f"connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode() + body


class Http(asyncio.Protocol):
    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.stats.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None and self._one():
            pass

    def _one(self) -> bool:
        """Answer one complete request from the buffer; False when more bytes are needed."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        method, path, version = ([*lines[0].split(" "), "", "", ""])[:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        start = end + 4
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parsed = _chunked(self.buffer, start)
            if parsed is None:
                return False
            body, consumed = parsed
        else:
            length = int(headers.get("content-length", "0") or 0)
            if len(self.buffer) < start + length:
                return False
            body, consumed = bytes(self.buffer[start : start + length]), start + length
        del self.buffer[:consumed]
        keep_alive = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
        assert self.transport is not None
        self.transport.write(self._answer(method, path, body, keep_alive))
        if not keep_alive:
            self.transport.close()
            self.transport = None
        return True

    def _answer(self, method: str, path: str, body: bytes, keep_alive: bool) -> bytes:
        path = path.split("?", 1)[0]
        if method == "POST" and path.endswith("/chat/completions"):
            self.stats.completions += 1
            self.stats.last_body = body
            try:
                request = json.loads(body)
            except ValueError:
                request = {}
            model = str(request.get("model") or "bench-model")
            if request.get("stream"):
                usage = bool((request.get("stream_options") or {}).get("include_usage"))
                return response("200 OK", "text/event-stream", stream(model, usage), keep_alive)
            return response("200 OK", "application/json", completion(model), keep_alive)
        if path == "/_stats" and method == "GET":
            last = json.loads(self.stats.last_body) if self.stats.last_body else None
            stats = {
                "completions": self.stats.completions,
                "connections": self.stats.connections,
                "last": last,
            }
            return response("200 OK", "application/json", json.dumps(stats).encode(), keep_alive)
        if path == "/_stats/reset" and method == "POST":
            self.stats.completions, self.stats.connections = 0, 0
            self.stats.last_body = b""
            return response("200 OK", "application/json", b"{}", keep_alive)
        if path.endswith("/models") and method == "GET":
            models = {"object": "list", "data": [{"id": "bench-model", "object": "model"}]}
            return response("200 OK", "application/json", json.dumps(models).encode(), keep_alive)
        error = b'{"error":{"message":"not found","type":"invalid_request_error"}}'
        return response("404 Not Found", "application/json", error, keep_alive)


def _chunked(buffer: bytearray, start: int) -> tuple[bytes, int] | None:
    body = bytearray()
    at = start
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
        at = line_end + 2
        if size == 0:
            trailer_end = buffer.find(b"\r\n", at)
            if trailer_end < 0:
                return None
            return bytes(body), trailer_end + 2
        if len(buffer) < at + size + 2:
            return None
        body += buffer[at : at + size]
        at += size + 2


async def serve(host: str, port: int) -> None:
    stats = Stats()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Http(stats), host, port, backlog=1024)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
