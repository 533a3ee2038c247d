"""Provider kind ``vertex``: Google Gemini's generateContent and streamGenerateContent.

POST {base_url}/models/{model}:generateContent, and
POST {base_url}/models/{model}:streamGenerateContent?alt=sse for a stream (server-sent
events, one ``GenerateContentResponse`` each, no terminator). The same paths serve the
Gemini API (base_url ``https://generativelanguage.googleapis.com/v1beta``, an API key)
and Vertex AI (``https://{location}-aiplatform.googleapis.com/v1/projects/{project}/
locations/{location}/publishers/google``, an OAuth access token).

Auth: the variable `key_env` names is read at call time; ``auth: api_key`` (the
default) sends it as ``x-goog-api-key``, ``auth: bearer`` as ``Authorization: Bearer``.
Errors: Gemini answers ``{"error": {"code", "message", "status"}}`` with the HTTP status
of its google.rpc code, so RESOURCE_EXHAUSTED is a 429 (retried), UNAVAILABLE a 503,
INVALID_ARGUMENT a 400 (refused); an error inside a stream is read the same way
(`gemini_translate.error_status`). The stream has no terminator: one that ends without
a finish reason is broken (a network failure), not a whole answer. A request Gemini
cannot express is a ``config`` failure: nothing is sent, the next candidate is tried.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, Mapping
from contextlib import aclosing
from typing import Any
from urllib.parse import quote

import httpx

from api.gateway.gemini_translate import (
    GeminiChunks,
    chat_to_gemini,
    error_status,
    gemini_to_completion,
)
from api.gateway.translate import Untranslatable
from api.gateway.upstream import (
    Endpoint,
    UpstreamCallError,
    UpstreamHttp,
    _clip,
    _key,
    json_event,
    post_json_to,
    stream_data,
)


class VertexClient:
    """Gemini's generateContent, JSON or SSE, in OpenAI's shapes."""

    def __init__(self, http: UpstreamHttp) -> None:
        self._http = http

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        body = _translated(endpoint, request)
        key = _key(endpoint)
        data = await post_json_to(
            self._http,
            endpoint,
            model_url(endpoint, stream=False),
            body,
            headers=_headers(endpoint, key, stream=False),
            key=key,
            timeout=timeout,
        )
        if not isinstance(data, dict) or not (
            isinstance(data.get("candidates"), list) or "promptFeedback" in data
        ):
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered without 'candidates'", kind="protocol"
            )
        return gemini_to_completion(
            data, model=endpoint.upstream_model, fallback_id=f"gemini-{uuid.uuid4().hex[:16]}"
        )

    async def stream(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> AsyncGenerator[dict[str, Any], None]:
        body = _translated(endpoint, request)
        key = _key(endpoint)
        chunks = GeminiChunks(id=f"gemini-{uuid.uuid4().hex[:16]}", model=endpoint.upstream_model)
        events = stream_data(
            self._http,
            endpoint,
            model_url(endpoint, stream=True),
            body,
            headers=_headers(endpoint, key, stream=True),
            key=key,
            timeout=timeout,
        )
        async with aclosing(events):
            async for data in events:
                response = json_event(endpoint, data)
                if "error" in response:
                    raise _stream_error(endpoint, response["error"])
                for chunk in chunks.on_response(response):
                    yield chunk
        if not chunks.finished:  # no terminator in this format: a cut stream ends like this
            raise UpstreamCallError(
                f"{endpoint.provider_id} ended the stream without a finish reason",
                kind="network",
            )
        for chunk in chunks.finish():
            yield chunk


def model_url(endpoint: Endpoint, *, stream: bool) -> str:
    # a "/" in the name stays a path separator rather than %2F, which servers decode anyway
    model = quote(endpoint.upstream_model.removeprefix("models/"), safe="/")
    if stream:
        return f"{endpoint.base_url}/models/{model}:streamGenerateContent?alt=sse"
    return f"{endpoint.base_url}/models/{model}:generateContent"


def _headers(endpoint: Endpoint, key: str | None, *, stream: bool) -> dict[str, str]:
    headers = {"Accept": "text/event-stream" if stream else "application/json"}
    if key and endpoint.auth == "bearer":
        headers["Authorization"] = f"Bearer {key}"
    elif key:
        headers["x-goog-api-key"] = key
    return headers


def _translated(endpoint: Endpoint, request: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return chat_to_gemini(request)
    except Untranslatable as exc:
        raise UpstreamCallError(
            f"{endpoint.provider_id} (kind vertex) cannot serve this request: {exc}",
            kind="config",
        ) from exc


def _stream_error(endpoint: Endpoint, error: Any) -> UpstreamCallError:
    status = error_status(error)
    name = error.get("status") if isinstance(error, Mapping) else None
    message = error.get("message") if isinstance(error, Mapping) else None
    return UpstreamCallError(
        f"{endpoint.provider_id} failed mid-stream ({name or status}): "
        f"{_clip(str(message or 'no message'))}",
        kind="http",
        status=status,
    )
