"""Calling model providers: one `UpstreamClient` per API kind, over one pooled httpx client.

A Provider in the graph carries ``api: {kind, base_url, key_env}``. The kind picks
the client from `clients_by_kind`; ``"openai"`` covers every server that speaks
OpenAI's chat completions (OpenAI, Azure OpenAI's v1 API, vLLM, Ollama, LM Studio,
llama.cpp's server, TGI's Messages API, ...). The other kinds each have a module:
anthropic_upstream, azure_upstream, bedrock_upstream, vertex_upstream and
local_upstream. Another API kind plugs in by implementing the `UpstreamClient` protocol (translate
the OpenAI-shaped request it is given, and translate the answer and the stream
chunks back into OpenAI's shapes), registering it under its kind in
`clients_by_kind`, and allowing the kind in ``loaders/spec.py`` (`UpstreamApi`).

Keys: the environment variable the provider names is read at call time and sent
as ``Authorization: Bearer``; keys are never stored, logged or put in errors. A
provider without ``key_env`` (a local vLLM or Ollama) gets no Authorization
header.

Errors are `UpstreamCallError`s with a `kind` the retry policy understands:
"timeout", "network" (could not connect, connection dropped), "http" (a status
of 400 or more, with any Retry-After), "protocol" (not the expected JSON or
SSE), "config" (no key, unknown kind). Only the first three are about the
endpoint's health.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import anyio
import httpx

from api.gateway.retry import is_retryable, parse_retry_after
from api.gateway.settings import GatewaySettings
from engine.errors import UpstreamError
from engine.model import Snapshot

USER_AGENT = "govroute-gateway/0.1"
_MESSAGE_LIMIT = 300


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where one govroute model is served, after URL overrides."""

    model_id: str  # govroute's id
    provider_id: str
    kind: str
    base_url: str
    upstream_model: str  # the name the provider knows it by (an Azure deployment)
    key_env: str | None
    api_version: str | None = None  # kind azure
    region: str | None = None  # kind bedrock
    auth: str | None = None  # kind vertex


def endpoint_for(model_id: str, snapshot: Snapshot, settings: GatewaySettings) -> Endpoint | None:
    """The model's endpoint, or None when its provider declares no API."""
    model = snapshot.models.get(model_id)
    provider = snapshot.providers.get(model.provider) if model else None
    if model is None or provider is None or provider.api is None:
        return None
    return Endpoint(
        model_id=model.id,
        provider_id=provider.id,
        kind=provider.api.kind,
        base_url=settings.base_url_for(provider.id, provider.api.base_url),
        upstream_model=model.upstream_name,
        key_env=provider.api.key_env,
        api_version=provider.api.api_version,
        region=provider.api.region,
        auth=provider.api.auth,
    )


class UpstreamCallError(UpstreamError):
    """One failed call; `kind` says how, for retries, breakers and provenance."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, retryable=is_retryable(kind, status))
        self.kind = kind
        self.retry_after = retry_after

    @property
    def endpoint_failure(self) -> bool:
        """Does this say something about the endpoint's health (for its breaker)?"""
        if self.kind in ("timeout", "network"):
            return True
        # 401/403/404: this endpoint cannot serve us (key, deployment); 400/422: our request.
        return self.kind == "http" and (self.retryable or self.status in (401, 403, 404))


class UpstreamClient(Protocol):
    """One API kind. `request` is an OpenAI chat completions body for `endpoint`."""

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        """The whole answer as an OpenAI ``chat.completion`` object."""
        ...

    def stream(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> AsyncGenerator[dict[str, Any], None]:
        """OpenAI ``chat.completion.chunk`` objects. Failures before the first chunk
        raise from the first ``__anext__``; ``aclose`` releases the connection."""
        ...


class UpstreamHttp:
    """The process's upstream connections: httpx clients of one connection each, lent
    to one request at a time and kept idle per origin between requests.

    Not one httpx.AsyncClient with a pool of them: httpcore's pool checks every pooled
    connection (a socket poll and a dict of socket attributes each) on every request
    and every response close, so a call costs the event loop more the more
    connections there are: 1.2 ms of CPU per request at 16 in flight against 0.47 ms
    with a client per connection (bench/fast_upstream.py, uvloop). The settings'
    limits hold as before: at most `upstream_max_connections` requests in flight (one
    waiting longer than the pool timeout for a slot gets httpx.PoolTimeout, as from
    httpx's own pool), at most `upstream_max_keepalive` idle connections kept.
    Everything else (timeouts, errors, streaming, no redirects) is httpx's.
    """

    def __init__(self, settings: GatewaySettings) -> None:
        self._timeout = default_timeout(settings)
        self._slots = asyncio.Semaphore(settings.upstream_max_connections)
        self._max_idle = settings.upstream_max_keepalive
        self._idle: dict[str, list[httpx.AsyncClient]] = {}
        self._idle_count = 0
        self._clients: set[httpx.AsyncClient] = set()
        self._closed = False

    @property
    def timeout(self) -> httpx.Timeout:
        """The settings' timeouts, for each call."""
        return self._timeout

    async def post(
        self,
        url: str,
        *,
        json: Any = None,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
        content: bytes | None = None,
    ) -> httpx.Response:
        """POST and read the whole response; `content`: exact bytes (a signed body)."""
        async with self._lend(url, timeout) as client:
            return await client.post(
                url, json=json, content=content, headers=headers, timeout=timeout
            )

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
        content: bytes | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """A streamed response; its connection is lent until the block exits."""
        async with (
            self._lend(url, timeout) as client,
            client.stream(
                method, url, json=json, content=content, headers=headers, timeout=timeout
            ) as response,
        ):
            yield response

    async def aclose(self) -> None:
        self._closed = True
        clients, self._clients = self._clients, set()
        self._idle.clear()
        for client in clients:
            await client.aclose()

    @asynccontextmanager
    async def _lend(self, url: str, timeout: httpx.Timeout) -> AsyncIterator[httpx.AsyncClient]:
        if self._slots.locked():  # every slot taken: wait, at most the pool timeout
            try:
                await asyncio.wait_for(self._slots.acquire(), timeout.pool)
            except TimeoutError:
                raise httpx.PoolTimeout("no upstream connection became free in time") from None
        else:
            await self._slots.acquire()
        origin = _origin(url)
        idle = self._idle.get(origin)
        if idle:
            client = idle.pop()
            self._idle_count -= 1
        else:
            client = self._new_client()
        try:
            yield client
        finally:
            self._slots.release()
            if self._closed or self._idle_count >= self._max_idle:
                self._clients.discard(client)
                with anyio.CancelScope(shield=True):
                    await client.aclose()
            else:  # httpx drops a broken connection itself: the client stays usable
                self._idle.setdefault(origin, []).append(client)
                self._idle_count += 1

    def _new_client(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            timeout=self._timeout,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            follow_redirects=False,  # a redirect could carry the key to another host
            headers={"User-Agent": USER_AGENT},
        )
        self._clients.add(client)
        return client


def _origin(url: str) -> str:
    """scheme://host:port of an absolute http(s) URL."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def default_timeout(settings: GatewaySettings) -> httpx.Timeout:
    return httpx.Timeout(
        connect=settings.upstream_connect_timeout_s,
        read=settings.upstream_read_timeout_s,
        write=settings.upstream_write_timeout_s,
        pool=settings.upstream_pool_timeout_s,
    )


class OpenAICompatibleClient:
    """POST {base_url}/chat/completions, JSON or SSE. A provider that speaks the same
    wire format at another address or with another auth header (Azure) overrides
    `url` and `headers`."""

    def __init__(self, http: UpstreamHttp) -> None:
        self._http = http

    def url(self, endpoint: Endpoint) -> str:
        return _url(endpoint)

    def headers(self, key: str | None, *, stream: bool) -> dict[str, str]:
        return _headers(key, stream=stream)

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        key = _key(endpoint)
        data = await post_json_to(
            self._http,
            endpoint,
            self.url(endpoint),
            {**request, "stream": False},
            headers=self.headers(key, stream=False),
            key=key,
            timeout=timeout,
        )
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered without a 'choices' list", kind="protocol"
            )
        return data

    async def stream(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> AsyncGenerator[dict[str, Any], None]:
        key = _key(endpoint)
        events = stream_data(
            self._http,
            endpoint,
            self.url(endpoint),
            {**request, "stream": True},
            headers=self.headers(key, stream=True),
            key=key,
            timeout=timeout,
        )
        async with aclosing(events):
            async for data in events:
                if data.strip() == "[DONE]":
                    return
                yield _chunk(endpoint, data)


async def stream_data(
    http: UpstreamHttp,
    endpoint: Endpoint,
    url: str,
    body: Mapping[str, Any],
    *,
    headers: Mapping[str, str],
    key: str | None,
    timeout: httpx.Timeout,
) -> AsyncGenerator[str, None]:
    """The ``data:`` payloads of a streamed POST, whatever the provider's wire format.
    Every failure (an error status, an answer that is not an event stream, a timeout, the
    network) is an `UpstreamCallError` of the kind retries and breakers read. Close it
    (`contextlib.aclosing`) when done early, so the connection is given back at once."""
    try:
        async with http.stream(
            "POST", url, json=body, headers=dict(headers), timeout=timeout
        ) as response:
            if response.status_code >= 400:
                content = await response.aread()
                raise _status_error(endpoint, response, content, key)
            media = response.headers.get("content-type", "")
            if not media.startswith("text/event-stream"):
                raise UpstreamCallError(
                    f"{endpoint.provider_id} did not stream (content-type {media or 'none'})",
                    kind="protocol",
                )
            async for data in sse_data(response.aiter_lines()):
                yield data
    except httpx.TimeoutException as exc:
        raise _timeout(endpoint, exc) from exc
    except httpx.TransportError as exc:
        raise _network(endpoint, exc) from exc


async def post_json(
    http: UpstreamHttp,
    endpoint: Endpoint,
    path: str,
    body: Mapping[str, Any],
    timeout: httpx.Timeout,
) -> Any:
    """POST `body` to ``{base_url}{path}`` with the provider's key; the decoded JSON answer.
    Every failure is an `UpstreamCallError` of the kind retries and breakers read."""
    key = _key(endpoint)
    return await post_json_to(
        http,
        endpoint,
        f"{endpoint.base_url}{path}",
        body,
        headers=_headers(key, stream=False),
        key=key,
        timeout=timeout,
    )


async def post_json_to(
    http: UpstreamHttp,
    endpoint: Endpoint,
    url: str,
    body: Mapping[str, Any],
    *,
    headers: Mapping[str, str],
    key: str | None,
    timeout: httpx.Timeout,
) -> Any:
    """`post_json` for a kind with its own URL and headers (the key only to mask it)."""
    try:
        response = await http.post(url, json=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise _timeout(endpoint, exc) from exc
    except httpx.TransportError as exc:
        raise _network(endpoint, exc) from exc
    if response.status_code >= 400:
        raise _status_error(endpoint, response, response.content, key)
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UpstreamCallError(
            f"{endpoint.provider_id} answered with something other than JSON", kind="protocol"
        ) from exc


async def sse_data(lines: AsyncIterator[str]) -> AsyncIterator[str]:
    """The data of each server-sent event (multi-line data joined with newlines)."""
    data: list[str] = []
    async for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue  # a comment, e.g. a keep-alive
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value[1:] if value.startswith(" ") else value)
        # event, id and retry carry nothing for chat completions
    if data:
        yield "\n".join(data)


def json_event(endpoint: Endpoint, data: str) -> dict[str, Any]:
    """One streamed event's JSON object; anything else is the provider's protocol error."""
    try:
        event = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UpstreamCallError(
            f"{endpoint.provider_id} streamed an event that is not JSON", kind="protocol"
        ) from exc
    if not isinstance(event, dict):
        raise UpstreamCallError(
            f"{endpoint.provider_id} streamed an event that is not an object", kind="protocol"
        )
    return event


def _chunk(endpoint: Endpoint, data: str) -> dict[str, Any]:
    chunk = json_event(endpoint, data)
    error = chunk.get("error")
    if error is not None:  # OpenAI-style servers report mid-stream failures this way
        message = error.get("message") if isinstance(error, dict) else str(error)
        raise UpstreamCallError(
            f"{endpoint.provider_id} failed mid-stream: {_clip(str(message))}", kind="network"
        )
    return chunk


def _url(endpoint: Endpoint) -> str:
    return f"{endpoint.base_url}/chat/completions"


def _key(endpoint: Endpoint) -> str | None:
    """The provider's key, read now (so a rotated key takes effect without a restart)."""
    if not endpoint.key_env:
        return None
    key = os.environ.get(endpoint.key_env, "").strip()
    if not key:
        raise UpstreamCallError(
            f"provider {endpoint.provider_id}: environment variable {endpoint.key_env} "
            "(its API key) is not set",
            kind="config",
        )
    return key


def _headers(key: str | None, *, stream: bool) -> dict[str, str]:
    headers = {"Accept": "text/event-stream" if stream else "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def _timeout(endpoint: Endpoint, exc: httpx.TimeoutException) -> UpstreamCallError:
    what = type(exc).__name__.removesuffix("Timeout").lower() or "request"
    return UpstreamCallError(f"{endpoint.provider_id} timed out ({what})", kind="timeout")


def _network(endpoint: Endpoint, exc: httpx.TransportError) -> UpstreamCallError:
    return UpstreamCallError(
        f"{endpoint.provider_id} unreachable: {type(exc).__name__}", kind="network"
    )


def _status_error(
    endpoint: Endpoint, response: httpx.Response, content: bytes, key: str | None
) -> UpstreamCallError:
    status = response.status_code
    detail = ""
    if status not in (401, 403):  # their words about credentials stay out of our errors
        detail = _error_message(content, key)
    message = f"{endpoint.provider_id} answered HTTP {status}" + (f": {detail}" if detail else "")
    return UpstreamCallError(
        message,
        kind="http",
        status=status,
        retry_after=parse_retry_after(dict(response.headers.items()), datetime.now(UTC)),
    )


def _error_message(content: bytes, key: str | None) -> str:
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    error = data.get("error") if isinstance(data, dict) else None
    name = ""
    if isinstance(error, dict):
        name = _error_name(error)
        error = error.get("message")
    if not isinstance(error, str):
        return ""
    text = f"{name}: {error}" if name else error
    return _clip(text.replace(key, "***") if key else text)


def _error_name(error: dict[str, Any]) -> str:
    """The name that says what failed, where a kind's error body carries one: Gemini's
    google.rpc status (RESOURCE_EXHAUSTED), Azure's content_filter code."""
    status = error.get("status")
    if isinstance(status, str) and status.isupper():
        return status
    return "content_filter" if error.get("code") == "content_filter" else ""


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"
