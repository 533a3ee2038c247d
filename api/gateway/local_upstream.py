"""Provider kind ``local``: OpenAI-compatible servers on the operator's own machines.

vLLM (``vllm serve``: base_url ``http://host:8000/v1``), Ollama's OpenAI endpoint
(``http://host:11434/v1``), llama.cpp's server and LM Studio (``http://host:1234/v1``)
speak OpenAI's chat completions but leave out what a hosted API always sends:
no ``id``, no ``created``, no ``usage`` (Ollama streams none unless asked), choices
without ``index``. This client is the OpenAI one made tolerant of that:

- the key is optional: sent as ``Authorization: Bearer`` when `key_env` is set and
  its variable holds one (vLLM's ``--api-key``), nothing otherwise; an unset variable
  is not a failure, since these servers mostly take no key;
- an answer or chunk without ``id`` gets one (``local-`` and a random part), without
  ``object`` its OpenAI object type, choices without ``index`` their position, a
  message without ``role`` the assistant's; missing usage stays missing (the token
  budget is settled with what is known, nothing is invented).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncGenerator, Mapping
from contextlib import aclosing
from typing import Any

import httpx

from api.gateway.upstream import (
    Endpoint,
    UpstreamCallError,
    UpstreamHttp,
    _chunk,
    _headers,
    post_json_to,
    stream_data,
)


class LocalClient:
    """POST {base_url}/chat/completions of a local server, JSON or SSE."""

    def __init__(self, http: UpstreamHttp) -> None:
        self._http = http

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        key = optional_key(endpoint)
        data = await post_json_to(
            self._http,
            endpoint,
            f"{endpoint.base_url}/chat/completions",
            {**request, "stream": False},
            headers=_headers(key, stream=False),
            key=key,
            timeout=timeout,
        )
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered without a 'choices' list", kind="protocol"
            )
        return completed(data, "chat.completion", f"local-{uuid.uuid4().hex[:16]}")

    async def stream(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> AsyncGenerator[dict[str, Any], None]:
        key = optional_key(endpoint)
        stream_id = f"local-{uuid.uuid4().hex[:16]}"  # one id for every chunk of the answer
        events = stream_data(
            self._http,
            endpoint,
            f"{endpoint.base_url}/chat/completions",
            {**request, "stream": True},
            headers=_headers(key, stream=True),
            key=key,
            timeout=timeout,
        )
        async with aclosing(events):
            async for data in events:
                if data.strip() == "[DONE]":
                    return
                yield completed(_chunk(endpoint, data), "chat.completion.chunk", stream_id)


def optional_key(endpoint: Endpoint) -> str | None:
    """The key if the provider names a variable and it holds one; else none at all."""
    if not endpoint.key_env:
        return None
    return os.environ.get(endpoint.key_env, "").strip() or None


def completed(data: dict[str, Any], object_type: str, fallback_id: str) -> dict[str, Any]:
    """`data` with what local servers leave out filled in (never its content)."""
    out = dict(data)
    if not out.get("id"):
        out["id"] = fallback_id
    out.setdefault("object", object_type)
    choices = []
    for position, choice in enumerate(out.get("choices") or []):
        if not isinstance(choice, dict):
            choices.append(choice)
            continue
        choice = dict(choice)
        choice.setdefault("index", position)
        message = choice.get("message")
        if isinstance(message, dict) and "role" not in message:
            choice["message"] = {"role": "assistant", **message}
        choices.append(choice)
    out["choices"] = choices
    return out
