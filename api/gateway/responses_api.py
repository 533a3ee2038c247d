"""POST /v1/responses (OpenAI's Responses API) as a format over the chat path.

The request is translated into a chat completions request (`to_chat_request`) and
served by `ChatService.chat` unchanged: the same decision, redaction, route,
retries, output filter, pseudonym restoring and provenance; the upstream is a chat
completions provider. Only the edges differ:

- in: ``instructions`` becomes the first system message, ``input`` (a string, or
  message items with ``input_text`` / ``output_text`` parts) the messages,
  ``max_output_tokens`` the answer size, ``text.format`` the ``response_format``,
  ``reasoning.effort`` the ``reasoning_effort``;
- out: the filtered ``chat.completion`` becomes a ``response`` object
  (`response_body`) and the filtered chunks become the Responses event sequence
  (`ResponseEvents`).

govroute keeps no responses, so ``previous_response_id`` is refused with a 400
that says to send the earlier turns as input items; tools, files and images are
refused as the chat path refuses them, and for the same reasons.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, Literal

import anyio
from pydantic import Field, model_validator

from api.gateway.schemas import ChatCompletionRequest, _Strict
from engine.errors import InvalidRequest

NO_STORE = (
    "govroute keeps no responses, so previous_response_id cannot be resolved; "
    "send the earlier turns as input items instead"
)
REFUSED = {
    "tools": "tool calls would carry text past output filtering",
    "tool_choice": "tool calls would carry text past output filtering",
    "max_tool_calls": "tool calls would carry text past output filtering",
    "include": "extra output (reasoning, search results, logprobs) would escape filtering",
    "top_logprobs": "log probabilities would show the unfiltered answer's tokens",
    "background": "govroute keeps no responses to poll for later",
    "conversation": "govroute keeps no conversations on the provider's side",
    "prompt": "a stored prompt template would reach the provider unexamined",
}
INCOMPLETE = {"length": "max_output_tokens", "content_filter": "content_filter"}


class InputText(_Strict):
    type: Literal["input_text"]
    text: str


class OutputText(_Strict):
    """An earlier answer's text, as the openai client sends it back."""

    type: Literal["output_text"]
    text: str
    annotations: list[Any] | None = None
    logprobs: list[Any] | None = None


class InputMessage(_Strict):
    type: Literal["message"] | None = None
    role: Literal["user", "system", "developer", "assistant"]
    content: str | list[InputText | OutputText]
    id: str | None = None  # an earlier output item sent back
    status: str | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content)


class TextFormat(_Strict):
    type: Literal["text", "json_object", "json_schema"]
    name: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    description: str | None = None
    strict: bool | None = None

    @model_validator(mode="after")
    def _schema_named(self) -> TextFormat:
        if self.type == "json_schema" and (self.name is None or self.schema_ is None):
            raise ValueError("a json_schema format needs a 'name' and a 'schema'")
        return self

    def response_format(self) -> dict[str, Any] | None:
        if self.type == "text":
            return None
        if self.type == "json_object":
            return {"type": "json_object"}
        spec: dict[str, Any] = {"name": self.name, "schema": self.schema_}
        if self.description is not None:
            spec["description"] = self.description
        if self.strict is not None:
            spec["strict"] = self.strict
        return {"type": "json_schema", "json_schema": spec}

    def echoed(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


class TextOptions(_Strict):
    format: TextFormat | None = None
    verbosity: Literal["low", "medium", "high"] | None = None


class Reasoning(_Strict):
    effort: Literal["minimal", "low", "medium", "high"] | None = None
    summary: None = None  # a reasoning summary is model text the filter never sees


class StreamOptions(_Strict):
    include_obfuscation: bool | None = None


class ResponsesRequest(_Strict):
    model: str = Field(min_length=1)
    input: str | list[InputMessage] = Field(min_length=1)
    instructions: str | None = None
    max_output_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    text: TextOptions | None = None
    reasoning: Reasoning | None = None
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    service_tier: str | None = None
    truncation: Literal["disabled"] | None = None
    parallel_tool_calls: bool | None = None  # meaningless without tools
    previous_response_id: None = None
    # consumed here, never forwarded
    metadata: dict[str, Any] | None = None
    user: str | None = None
    store: bool | None = None
    safety_identifier: str | None = None
    prompt_cache_key: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _supported(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if data.get("previous_response_id") is not None:
            # Raised as it is (not a ValueError), so the 400's param names the field.
            raise InvalidRequest(f"previous_response_id: {NO_STORE}", field="previous_response_id")
        items = data.get("input")
        for index, item in enumerate(items if isinstance(items, list) else []):
            _check_item(item, f"input[{index}]")
        for key, why in REFUSED.items():
            if key in data:
                if data[key] not in (None, False, [], {}, "none", "auto"):
                    raise InvalidRequest(
                        f"{key}: not supported by the govroute gateway: {why}", field=key
                    )
                data = {k: v for k, v in data.items() if k != key}
        return data

    def messages(self) -> list[dict[str, str]]:
        lead = [{"role": "system", "content": self.instructions}] if self.instructions else []
        if isinstance(self.input, str):
            return [*lead, {"role": "user", "content": self.input}]
        return [*lead, *({"role": m.role, "content": m.text()} for m in self.input)]


def _check_item(item: Any, where: str) -> None:
    """Only messages of text parts: anything else would pass detection or filtering by."""
    if not isinstance(item, dict):
        return  # the schema says what is wrong with it
    kind = item.get("type", "message")
    if kind != "message":
        raise InvalidRequest(
            f"{where}: input items of type {kind!r} are not supported, only messages "
            "(tool calls and their outputs would pass unexamined)",
            field=where,
        )
    content = item.get("content")
    for index, part in enumerate(content if isinstance(content, list) else []):
        if isinstance(part, dict) and part.get("type") not in ("input_text", "output_text"):
            raise InvalidRequest(
                f"{where}.content[{index}]: content parts of type {part.get('type')!r} are "
                "not supported; only text can be inspected",
                field=f"{where}.content[{index}]",
            )


def to_chat_request(body: ResponsesRequest) -> ChatCompletionRequest:
    """The chat completions request that serves `body` (validated as the chat route's)."""
    fmt = body.text.format if body.text and body.text.format else None
    chat: dict[str, Any] = {
        "model": body.model,
        "messages": body.messages(),
        "max_completion_tokens": body.max_output_tokens,
        "temperature": body.temperature,
        "top_p": body.top_p,
        "response_format": fmt.response_format() if fmt else None,
        "reasoning_effort": body.reasoning.effort if body.reasoning else None,
        "service_tier": body.service_tier,
        "metadata": body.metadata,
        "user": body.user,
        "stream": bool(body.stream),
        # The usage chunk is what response.completed reports.
        "stream_options": {"include_usage": True} if body.stream else None,
    }
    try:
        return ChatCompletionRequest.model_validate(
            {k: v for k, v in chat.items() if v is not None}
        )
    except ValueError as exc:  # the translation of a valid request is valid; say so if not
        raise InvalidRequest(f"the request cannot be served as a chat request: {exc}") from exc


def response_id(decision_id: str) -> str:
    return f"resp_{decision_id.removeprefix('dec_')}"


def _message_id(decision_id: str) -> str:
    return f"msg_{decision_id.removeprefix('dec_')}"


def _envelope(
    body: ResponsesRequest, decision_id: str, model: str, created: int, status: str
) -> dict[str, Any]:
    """Everything a response object says besides its output and usage."""
    fmt = body.text.format.echoed() if body.text and body.text.format else {"type": "text"}
    return {
        "id": response_id(decision_id),
        "object": "response",
        "created_at": created,
        "status": status,
        "error": None,
        "incomplete_details": None,
        "instructions": body.instructions,
        "max_output_tokens": body.max_output_tokens,
        "model": model,
        "output": [],
        "parallel_tool_calls": False,
        "previous_response_id": None,
        "reasoning": {"effort": body.reasoning.effort if body.reasoning else None},
        "store": False,  # nothing is kept, whatever `store` asked
        "temperature": body.temperature,
        "text": {"format": fmt},
        "tool_choice": "none",
        "tools": [],
        "top_p": body.top_p,
        "truncation": "disabled",
        "metadata": {},
    }


def _message(decision_id: str, text: str, status: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": _message_id(decision_id),
        "status": status,
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def _usage(chat_usage: Any) -> dict[str, Any] | None:
    """Chat usage counts (already allow-listed) in the Responses API's names."""
    if not isinstance(chat_usage, dict):
        return None
    prompt = chat_usage.get("prompt_tokens", 0)
    completion = chat_usage.get("completion_tokens", 0)
    cached = (chat_usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
    reasoning = (chat_usage.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": cached},
        "output_tokens": completion,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": chat_usage.get("total_tokens", prompt + completion),
    }


def _finish(response: dict[str, Any], finish_reason: str | None) -> None:
    """Status and incomplete_details from the chat finish reason."""
    reason = INCOMPLETE.get(finish_reason or "")
    response["status"] = "incomplete" if reason else "completed"
    response["incomplete_details"] = {"reason": reason} if reason else None


def response_body(completion: dict[str, Any], body: ResponsesRequest) -> dict[str, Any]:
    """A filtered ``chat.completion`` (api/gateway/output.py) as a ``response`` object."""
    govroute = completion["govroute"]
    decision_id = govroute["decision_id"]
    response = _envelope(body, decision_id, completion["model"], completion["created"], "completed")
    choice = (completion.get("choices") or [{}])[0]
    text = (choice.get("message") or {}).get("content") or ""
    _finish(response, choice.get("finish_reason"))
    response["output"] = [_message(decision_id, text, response["status"])]
    usage = _usage(completion.get("usage"))
    if usage is not None:
        response["usage"] = usage
    response["govroute"] = govroute
    return response


class ResponseEvents:
    """Filtered chat chunks as the Responses API's server-sent events, in its order:
    response.created, response.in_progress, response.output_item.added,
    response.content_part.added, response.output_text.delta..., response.output_text.done,
    response.content_part.done, response.output_item.done, and response.completed
    (or response.incomplete when the answer was cut or blocked); a broken stream ends
    with an ``error`` event and response.failed."""

    def __init__(self, body: ResponsesRequest, decision_id: str, model: str) -> None:
        self._body = body
        self._decision_id = decision_id
        self._sequence = 0
        self._response = _envelope(body, decision_id, model, int(time.time()), "in_progress")
        self._response["govroute"] = {"decision_id": decision_id, "model": model}
        self._item_id = _message_id(decision_id)

    async def events(self, chunks: AsyncGenerator[dict[str, Any], None]) -> AsyncIterator[bytes]:
        text: list[str] = []
        finish: str | None = None
        usage: Any = None
        item = _message(self._decision_id, "", "in_progress")
        item["content"] = []
        where = {"item_id": self._item_id, "output_index": 0}
        part = {"type": "output_text", "text": "", "annotations": []}
        try:
            yield self._event("response.created", response=self._response)
            yield self._event("response.in_progress", response=self._response)
            yield self._event("response.output_item.added", output_index=0, item=item)
            yield self._event("response.content_part.added", **where, content_index=0, part=part)
            async for chunk in chunks:
                if "error" in chunk:
                    yield self._failed(chunk["error"])
                    return
                usage = chunk.get("usage") or usage
                for choice in chunk.get("choices") or []:
                    delta = (choice.get("delta") or {}).get("content")
                    if delta:
                        text.append(delta)
                        yield self._event(
                            "response.output_text.delta",
                            **where,
                            content_index=0,
                            delta=delta,
                            logprobs=[],
                        )
                    finish = choice.get("finish_reason") or finish
            whole = "".join(text)
            _finish(self._response, finish)
            status = self._response["status"]
            done_part = {"type": "output_text", "text": whole, "annotations": []}
            yield self._event(
                "response.output_text.done", **where, content_index=0, text=whole, logprobs=[]
            )
            yield self._event(
                "response.content_part.done", **where, content_index=0, part=done_part
            )
            message = _message(self._decision_id, whole, status)
            yield self._event("response.output_item.done", output_index=0, item=message)
            self._response["output"] = [message]
            counts = _usage(usage)
            if counts is not None:
                self._response["usage"] = counts
            kind = "response.completed" if status == "completed" else "response.incomplete"
            yield self._event(kind, response=self._response)
        finally:
            with anyio.CancelScope(shield=True):  # the attempt is recorded as it closes
                await chunks.aclose()

    def _failed(self, error: dict[str, Any]) -> bytes:
        detail = {"code": error.get("code"), "message": error.get("message")}
        failure = self._event(
            "error",
            code=detail["code"],
            message=detail["message"],
            param=None,
            decision_id=self._decision_id,
        )
        self._response["status"] = "failed"
        self._response["error"] = detail
        return failure + self._event("response.failed", response=self._response)

    def _event(self, kind: str, **fields: Any) -> bytes:
        """One event, serialized now: the response it carries may change later."""
        payload = {"type": kind, "sequence_number": self._sequence, **fields}
        self._sequence += 1
        data = json.dumps(payload, ensure_ascii=False)
        return f"event: {kind}\ndata: {data}\n\n".encode()
