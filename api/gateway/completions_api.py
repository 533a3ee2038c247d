"""POST /v1/completions (OpenAI's legacy text completions) as a format over the chat path.

Each prompt becomes a chat request with that prompt as its one user message, served
by `ChatService.chat`: decided, redacted, routed, filtered and recorded exactly as a
chat request. The answer's ``chat.completion`` (or its chunks) is rewritten as a
``text_completion``. A list of prompts is served one prompt after another, each
with its own decision, and their choices are numbered as OpenAI numbers them
(``prompt * n + choice``); a prompt that is denied fails the request with its
decision, after the earlier prompts were answered. A stream serves one prompt.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Coroutine
from typing import Annotated, Any

import anyio
from pydantic import Field, model_validator

from api.gateway.schemas import ChatCompletionRequest, StreamOptions, _Strict
from api.gateway.service import Reply, Settle
from engine.errors import InvalidRequest

MAX_PROMPTS = 16
"""Prompts per request: each is a decision and a model call of its own, in turn."""
DEFAULT_MAX_TOKENS = 16  # OpenAI's default for this endpoint
REFUSED = {
    "echo": "echoing the prompt back is not supported; the caller has it",
    "suffix": "insertion (suffix) is not supported by chat providers",
    "logprobs": "log probabilities would show the unfiltered answer's tokens",
}


class CompletionRequest(_Strict):
    model: str = Field(min_length=1)
    prompt: str | Annotated[list[str], Field(min_length=1, max_length=MAX_PROMPTS)]
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    n: int | None = Field(default=None, ge=1, le=8)
    stop: str | Annotated[list[str], Field(max_length=4)] | None = None
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    logit_bias: dict[str, float] | None = None
    seed: int | None = None
    best_of: int | None = Field(default=None, ge=1, le=1)  # more would be unseen answers
    # consumed here, never forwarded
    user: str | None = None
    metadata: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _supported(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        prompt = data.get("prompt")
        if isinstance(prompt, list) and prompt and not isinstance(prompt[0], str):
            # Raised as they are (not ValueErrors), so the 400's param names the field.
            raise InvalidRequest(
                "prompt: token arrays are not supported: govroute decides text, and token "
                "ids cannot be inspected for sensitive data; send the prompt as a string",
                field="prompt",
            )
        if isinstance(prompt, list) and len(prompt) > 1 and data.get("stream"):
            raise InvalidRequest(
                "prompt: a stream serves one prompt; send the others separately", field="prompt"
            )
        for key, why in REFUSED.items():
            if key in data:
                if data[key] not in (None, False, 0, ""):
                    raise InvalidRequest(
                        f"{key}: not supported by the govroute gateway: {why}", field=key
                    )
                data = {k: v for k, v in data.items() if k != key}
        return data

    def prompts(self) -> list[str]:
        return [self.prompt] if isinstance(self.prompt, str) else list(self.prompt)


def to_chat_request(body: CompletionRequest, prompt: str) -> ChatCompletionRequest:
    """The chat completions request that serves one prompt of `body`."""
    fields = body.model_dump(
        exclude={"prompt", "max_tokens", "best_of"}, exclude_none=True, by_alias=True
    )
    try:
        return ChatCompletionRequest.model_validate(
            {
                **fields,
                "messages": [{"role": "user", "content": prompt}],
                "max_tokens": body.max_tokens or DEFAULT_MAX_TOKENS,
            }
        )
    except ValueError as exc:
        raise InvalidRequest(f"the request cannot be served as a chat request: {exc}") from exc


Serve = Callable[[ChatCompletionRequest, Settle | None], Coroutine[Any, Any, Reply]]


async def complete(body: CompletionRequest, serve: Serve, settle: Settle | None) -> Reply:
    """Each prompt through `serve` (`ChatService.chat`), the answers as one text_completion.
    `settle` hears the tokens of all prompts together, once."""
    prompts = body.prompts()
    if body.stream:
        reply = await serve(to_chat_request(body, prompts[0]), settle)
        assert reply.chunks is not None
        return Reply(reply.headers, chunks=text_chunks(reply.chunks))
    totals: list[int | None] = []
    bodies: list[dict[str, Any]] = []
    headers: dict[str, str] = {}
    try:
        for prompt in prompts:
            reply = await serve(to_chat_request(body, prompt), totals.append)
            assert reply.body is not None
            bodies.append(reply.body)
            headers = headers or reply.headers
    finally:
        if settle is not None:
            known = [t for t in totals if t is not None]
            settle(sum(known) if len(known) == len(totals) and totals else None)
    if len(bodies) > 1:
        ids = ",".join(b["govroute"]["decision_id"] for b in bodies)
        headers = {**headers, "X-Govroute-Decision-Id": ids}
    return Reply(headers, body=text_completion(bodies, n=body.n or 1))


def text_completion(answers: list[dict[str, Any]], *, n: int) -> dict[str, Any]:
    """Filtered ``chat.completion``s (one per prompt, in order) as one text_completion."""
    first = answers[0]
    choices = [
        {
            "text": (choice.get("message") or {}).get("content") or "",
            "index": prompt * n + choice["index"],
            "logprobs": None,
            "finish_reason": choice.get("finish_reason"),
        }
        for prompt, answer in enumerate(answers)
        for choice in answer.get("choices") or []
    ]
    out: dict[str, Any] = {
        "id": _text_id(first["id"]),
        "object": "text_completion",
        "created": first["created"],
        "model": first["model"],
        "choices": choices,
    }
    usages = [a["usage"] for a in answers if "usage" in a]
    if usages and len(usages) == len(answers):
        out["usage"] = {
            key: sum(u.get(key, 0) for u in usages)
            for key in ("prompt_tokens", "completion_tokens", "total_tokens")
        }
    out["govroute"] = first["govroute"]
    if len(answers) > 1:
        out["govroute"] = {**first["govroute"], "prompts": [a["govroute"] for a in answers]}
    return out


def _text_id(chat_id: str) -> str:
    return "cmpl-" + chat_id.removeprefix("chatcmpl-")


async def text_chunks(
    chunks: AsyncGenerator[dict[str, Any], None],
) -> AsyncGenerator[dict[str, Any], None]:
    """Filtered chat chunks as text_completion chunks; an error body passes as it is
    (the openai client raises it), and so does the usage chunk."""
    try:
        async for chunk in chunks:
            if "error" in chunk:
                yield chunk
                return
            out = {
                "id": _text_id(chunk["id"]),
                "object": "text_completion",
                "created": chunk["created"],
                "model": chunk["model"],
                "choices": [
                    {
                        "text": (c.get("delta") or {}).get("content") or "",
                        "index": c["index"],
                        "logprobs": None,
                        "finish_reason": c.get("finish_reason"),
                    }
                    for c in chunk.get("choices") or []
                ],
            }
            if "usage" in chunk:
                out["usage"] = chunk["usage"]
            yield out
    finally:
        with anyio.CancelScope(shield=True):  # the attempt is recorded as it closes
            await chunks.aclose()
