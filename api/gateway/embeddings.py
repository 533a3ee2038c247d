"""POST /v1/embeddings: texts to embed are decided like prompts, then sent in one batch.

A document embedded for retrieval leaves the company as surely as a prompt does, so
the request is decided by the engine first: each input becomes one user message of
one decision (`Task.EMBEDDINGS`), so every input is normalized, scanned for entities
and threats, and redacted or pseudonymized by the policies that govern what it holds;
a deny refuses the whole request and nothing is sent. The decision's route asks for
the ``embeddings`` capability instead of ``chat`` and a context window for the
longest input, so all inputs go, in one upstream call, to one compliant model:
vectors of different models could not be compared, which is why a batch is never
split across candidates. Retries, fallback, breakers and provenance are the chat
path's (`ChatService._call_candidates`).

The answer carries no text, only vectors: each is checked to be what was asked for
(a list of finite numbers, or base64 of float32 values) before it is passed on, and
the response says, per input, what the decision did to it.
"""

from __future__ import annotations

import base64
import binascii
import math
import time
from collections.abc import AsyncGenerator, Mapping
from functools import partial
from typing import Any, Literal

import httpx
from pydantic import Field, ValidationError, model_validator

from api.gateway import answer_fields as fields
from api.gateway.azure_upstream import post_azure
from api.gateway.errors import RequestDenied, UpstreamRejected, UpstreamsExhausted
from api.gateway.schemas import GovrouteContext, _problems, _Strict
from api.gateway.service import ChatService, Exchange, Reply, Settle
from api.gateway.upstream import (
    Endpoint,
    UpstreamCallError,
    UpstreamClient,
    UpstreamHttp,
    post_json,
)
from api.schemas import DecideRequest, MessageIn
from engine.decide import message_key
from engine.decision import Decision
from engine.errors import InvalidRequest, NotFound, PayloadTooLarge
from engine.model import Principal, Task

MAX_INPUTS = 256
"""Inputs per request. Each is analysed like a prompt before anything is sent (3-5 ms
apiece; 256 inputs took 0.85 s, bench/embeddings_batch.py), so a request stays within
seconds; OpenAI allows 2048, and a bigger corpus is embedded in several requests."""

WHY_TEXT_ONLY = (
    "token arrays are not supported: govroute decides text, and token ids cannot be "
    "inspected for sensitive data; send the strings"
)


class EmbeddingsRequest(_Strict):
    model: str = Field(min_length=1, description="'auto', or a govroute embeddings model id.")
    input: str | list[str] = Field(description="A string or a list of strings to embed.")
    encoding_format: Literal["float", "base64"] | None = None
    dimensions: int | None = Field(default=None, ge=1, le=65_536)
    # consumed here, never forwarded
    user: str | None = None
    metadata: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _text_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            value = data.get("input")
            if isinstance(value, list) and value:
                first = value[0]
                if isinstance(first, int) or (
                    isinstance(first, list) and first and isinstance(first[0], int)
                ):
                    # Raised as it is (not a ValueError), so the 400's param names the field.
                    raise InvalidRequest(f"input: {WHY_TEXT_ONLY}", field="input")
        return data

    def texts(self) -> list[str]:
        """The inputs, checked: at least one, at most `MAX_INPUTS`, none empty."""
        texts = [self.input] if isinstance(self.input, str) else list(self.input)
        if not texts:
            raise InvalidRequest("input: the list of inputs is empty", field="input")
        if len(texts) > MAX_INPUTS:
            raise PayloadTooLarge(
                f"input: {len(texts)} inputs; at most {MAX_INPUTS} per request", field="input"
            )
        for index, text in enumerate(texts):
            if not text.strip():
                where = "input" if isinstance(self.input, str) else f"input[{index}]"
                raise InvalidRequest(f"{where}: an input must not be empty", field=where)
        return texts

    def preferred_model(self) -> str | None:
        return None if self.model.lower() in ("auto", "govroute") else self.model

    def forwarded(self) -> dict[str, Any]:
        out: dict[str, Any] = {"encoding_format": self.encoding_format or "float"}
        if self.dimensions is not None:
            out["dimensions"] = self.dimensions
        return out


class OpenAIEmbeddingsClient:
    """POST {base_url}/embeddings of an OpenAI-compatible server (`UpstreamClient`)."""

    def __init__(self, http: UpstreamHttp) -> None:
        self._http = http

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        data = await post_json(self._http, endpoint, "/embeddings", request, timeout)
        return checked_vectors(
            data,
            count=len(request["input"]),
            encoding=request["encoding_format"],
            endpoint=endpoint,
        )

    async def stream(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> AsyncGenerator[dict[str, Any], None]:
        # An embeddings exchange never streams; the protocol asks for the method anyway.
        raise UpstreamCallError("embeddings are not streamed", kind="config")
        yield {}  # pragma: no cover - makes this an async generator, as the protocol says


class AzureEmbeddingsClient(OpenAIEmbeddingsClient):
    """POST an Azure OpenAI deployment's embeddings (api/gateway/azure_upstream.py)."""

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        data = await post_azure(self._http, endpoint, "embeddings", request, timeout)
        return checked_vectors(
            data,
            count=len(request["input"]),
            encoding=request["encoding_format"],
            endpoint=endpoint,
        )


def embeddings_clients(http: UpstreamHttp) -> dict[str, UpstreamClient]:
    """The kinds that embed: OpenAI's API, Azure deployments and local servers (vLLM and
    Ollama serve OpenAI's /v1/embeddings). The others have no embeddings here: a model of
    theirs with the embeddings capability is a config failure, the next candidate tried."""
    plain = OpenAIEmbeddingsClient(http)
    return {"openai": plain, "local": plain, "azure": AzureEmbeddingsClient(http)}


def checked_vectors(data: Any, *, count: int, encoding: str, endpoint: Endpoint) -> dict[str, Any]:
    """The provider's answer if it holds exactly one well-formed vector per input, in
    the encoding asked for; anything else is a protocol error (the next candidate)."""

    def bad(why: str) -> UpstreamCallError:
        return UpstreamCallError(f"{endpoint.provider_id} answered {why}", kind="protocol")

    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) != count:
        raise bad(f"without one embedding for each of the {count} inputs")
    vectors: list[Any] = [None] * count
    for position, item in enumerate(items):
        index = item.get("index", position) if isinstance(item, dict) else None
        if not isinstance(index, int) or not 0 <= index < count or vectors[index] is not None:
            raise bad(f"embedding {position} with an index that is missing or repeated")
        vector = item.get("embedding") if isinstance(item, dict) else None
        if encoding == "base64":
            if not _float32_base64(vector):
                raise bad(f"embedding {position} that is not base64 of float32 values")
        elif not (
            isinstance(vector, list)
            and vector
            and all(
                isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
                for x in vector
            )
        ):
            raise bad(f"embedding {position} that is not a list of finite numbers")
        vectors[index] = vector
    return {"vectors": vectors, "usage": data.get("usage")}


def _float32_base64(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) > 0 and len(raw) % 4 == 0


class EmbeddingsService(ChatService):
    """The chat path's decision, candidates and records, for texts to embed."""

    async def embed(
        self,
        principal: Principal,
        body: EmbeddingsRequest,
        ctx: GovrouteContext,
        *,
        settle: Settle | None = None,
    ) -> Reply:
        started = time.monotonic()
        texts = body.texts()
        preferred = body.preferred_model()
        if preferred is not None and preferred not in self.runtime.state.snapshot.models:
            raise NotFound(
                f"model '{preferred}' is not a govroute model: use 'auto' or an id from "
                "GET /v1/models"
            )
        if ctx.context:
            raise InvalidRequest(
                "metadata.govroute_context: embeddings take no context items; "
                "the inputs themselves are what is decided",
                field="metadata.govroute_context",
            )
        decide_request = to_decide_request(texts, body, ctx)
        decide_request.check_size(self.max_prompt_chars, "inputs")
        decision = (await self.runtime.decide_async(principal, decide_request)).decision
        exchange = Exchange(decision, principal, started, stream=False, settle=settle)
        if not decision.allowed:
            self._respond(exchange, "denied", None)
            raise RequestDenied(decision)
        clients = embeddings_clients(self.gateway.http)
        try:
            answer = await self._call_candidates(
                exchange, partial(upstream_request, decision, body), clients
            )
        except (UpstreamsExhausted, UpstreamRejected):
            self._respond(exchange, "upstream_failed", None)
            raise
        assert answer.completion is not None
        model_id = answer.endpoint.model_id
        out = embeddings_body(answer.completion, decision, model_id)
        self._respond(exchange, "ok", model_id, usage=out.get("usage"))
        return Reply(self._headers(decision, answer, preferred, exchange.order), body=out)


def to_decide_request(
    texts: list[str], body: EmbeddingsRequest, ctx: GovrouteContext
) -> DecideRequest:
    """One user message per input: each is analysed and redacted on its own."""
    try:
        return DecideRequest(
            messages=[MessageIn(role="user", content=text) for text in texts],
            purpose=ctx.purpose,
            required_capabilities=ctx.capabilities,
            preferred_model=body.preferred_model(),
            user_region=ctx.user_region,
            max_output_tokens=1,  # nothing is generated; the route plans for none
            task=Task.EMBEDDINGS,
            conversation_id=ctx.conversation_id,
        )
    except ValidationError as exc:
        raise InvalidRequest(_problems(exc, "input"), field="input") from exc


def upstream_request(
    decision: Decision, body: EmbeddingsRequest, endpoint: Endpoint
) -> dict[str, Any]:
    """The sanitized inputs, in the caller's order, for the provider's model."""
    return {
        "model": endpoint.upstream_model,
        "input": [m.content for m in decision.messages],
        **body.forwarded(),
    }


def embeddings_body(answer: dict[str, Any], decision: Decision, model_id: str) -> dict[str, Any]:
    """OpenAI's embeddings list, with what the decision did to each input."""
    out: dict[str, Any] = {
        "object": "list",
        "data": [
            {"object": "embedding", "index": index, "embedding": vector}
            for index, vector in enumerate(answer["vectors"])
        ],
        "model": model_id,
    }
    counts = fields.usage(answer.get("usage"))
    if counts is not None:
        out["usage"] = {k: counts[k] for k in ("prompt_tokens", "total_tokens") if k in counts}
    out["govroute"] = {
        "decision_id": decision.id,
        "outcome": decision.outcome.value,
        "model": model_id,
        "inputs": [_input_report(decision, index) for index in range(len(decision.messages))],
    }
    return out


def _input_report(decision: Decision, index: int) -> dict[str, Any]:
    key = message_key(index)
    done = [r for r in decision.redactions if r.segment == key]
    return {
        "index": index,
        "redactions": [
            {"entity_type": r.entity_type, "label": r.label, "action": r.action.value} for r in done
        ],
    }
