"""A request-body size limit enforced before anything parses the body."""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body


class BodySizeLimit:
    """Answers 413 when Content-Length, or the bytes actually received, exceed the limit.

    `allowances`: paths whose bodies have a limit of their own (policy content staged
    through the admin API is larger than any prompt), each with the 413's message, in
    which `{limit}` is the number of bytes."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        allowances: Mapping[str, tuple[int, str]] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.allowances = dict(allowances or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes, what = self.allowances.get(
            scope.get("path", ""), (self.max_bytes, "request body exceeds {limit} bytes")
        )
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._too_large(send, max_bytes, what)
            return
        # The body is read here, whole, before the app sees it: raising from inside
        # the app's receive() does not work, because FastAPI turns any error while it
        # reads the body into a 400 "error parsing the body". Bodies are small JSON
        # documents, bounded by the limit, so buffering them costs nothing worth saving.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                await self.app(scope, _replaying([message], receive), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > max_bytes:
                await self._too_large(send, max_bytes, what)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replaying([whole], receive), send)

    async def _too_large(self, send: Send, max_bytes: int, what: str) -> None:
        body = json.dumps(
            error_body(
                what.format(limit=max_bytes),
                type_="invalid_request_error",
                code="payload_too_large",
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """A receive() that first hands out `messages`, then defers to the real one
    (which a streaming response uses to notice a client disconnect)."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
