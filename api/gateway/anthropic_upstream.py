"""Provider kind ``anthropic``: POST {base_url}/messages, Anthropic's Messages API.

An `UpstreamClient` (api/gateway/upstream.py): it is given the OpenAI chat request
the gateway built and returns OpenAI shapes, translating both ways with
api/gateway/translate.py, so retries, fallback, breakers, the output filter and
provenance do not know which kind answered.

Auth: the key from the provider's `key_env`, read at call time, in ``x-api-key``,
with ``anthropic-version``. Errors map to the same retry classes as OpenAI's:
429 and 529 (overloaded) and every 5xx are retried, 400/413/422 stop the request,
401/403/404 fall back. An ``error`` event in the stream stands for the status of
its type (overloaded_error 529, api_error 500, ...): before the first content it
is retried or falls back like that status; after it, it ends the stream.
A request Anthropic cannot express (``n`` > 1, ``response_format``) is a
``config`` failure: nothing is sent, and the next candidate is tried.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Mapping
from contextlib import aclosing
from typing import Any

import httpx

from api.gateway.translate import (
    ERROR_TYPE_STATUS,
    EventsToChunks,
    Untranslatable,
    chat_to_messages,
    message_to_completion,
)
from api.gateway.upstream import (
    Endpoint,
    UpstreamCallError,
    UpstreamHttp,
    _clip,
    _key,
    _network,
    _status_error,
    _timeout,
    json_event,
    stream_data,
)

ANTHROPIC_VERSION = "2023-06-01"


class AnthropicClient:
    """POST {base_url}/messages, JSON or SSE."""

    def __init__(self, http: UpstreamHttp, *, version: str = ANTHROPIC_VERSION) -> None:
        self._http = http
        self._version = version

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        body = _translated(endpoint, {**request, "stream": False})
        key = _key(endpoint)
        try:
            response = await self._http.post(
                _url(endpoint), json=body, headers=self._headers(key, stream=False), timeout=timeout
            )
        except httpx.TimeoutException as exc:
            raise _timeout(endpoint, exc) from exc
        except httpx.TransportError as exc:
            raise _network(endpoint, exc) from exc
        if response.status_code >= 400:
            raise _status_error(endpoint, response, response.content, key)
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered with something other than JSON", kind="protocol"
            ) from exc
        if not isinstance(data, dict) or data.get("type") != "message":
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered with something other than a message",
                kind="protocol",
            )
        if not isinstance(data.get("content"), list):
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered without a 'content' list", kind="protocol"
            )
        return message_to_completion(data)

    async def stream(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> AsyncGenerator[dict[str, Any], None]:
        key = _key(endpoint)
        chunks = EventsToChunks()
        events = stream_data(
            self._http,
            endpoint,
            _url(endpoint),
            _translated(endpoint, {**request, "stream": True}),
            headers=self._headers(key, stream=True),
            key=key,
            timeout=timeout,
        )
        async with aclosing(events):
            async for data in events:
                event = json_event(endpoint, data)
                if event.get("type") == "error":
                    raise _stream_error(endpoint, event)
                for chunk in chunks.on_event(event):
                    yield chunk
                if event.get("type") == "message_stop":
                    return

    def _headers(self, key: str | None, *, stream: bool) -> dict[str, str]:
        headers = {
            "Accept": "text/event-stream" if stream else "application/json",
            "anthropic-version": self._version,
        }
        if key:
            headers["x-api-key"] = key
        return headers


def _url(endpoint: Endpoint) -> str:
    return f"{endpoint.base_url}/messages"


def _translated(endpoint: Endpoint, request: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return chat_to_messages(request)
    except Untranslatable as exc:
        raise UpstreamCallError(
            f"{endpoint.provider_id} (kind anthropic) cannot serve this request: {exc}",
            kind="config",
        ) from exc


def _stream_error(endpoint: Endpoint, event: Mapping[str, Any]) -> UpstreamCallError:
    """An error event, as the HTTP failure its type stands for."""
    error = event.get("error")
    error = error if isinstance(error, Mapping) else {}
    kind = str(error.get("type") or "api_error")
    message = _clip(str(error.get("message") or kind))
    return UpstreamCallError(
        f"{endpoint.provider_id} failed mid-stream ({kind}): {message}",
        kind="http",
        status=ERROR_TYPE_STATUS.get(kind, 500),
    )
