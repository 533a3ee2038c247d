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

Function tools (definitions, ``tool_choice``, ``function_call`` and
``function_call_output`` items, ``function_call`` output items and their stream
events) become the chat path's tool parts (api/gateway/responses_tools.py), so they
pass through the same firewall as chat tools.

``max_tool_calls`` caps the function_call items of a response: the provider is asked
for no parallel calls when the cap is 1, and calls past the cap (the model's later
ones) are dropped after the output filter, counted in ``govroute.dropped_tool_calls``,
in a stream as in a whole response.

govroute keeps no responses, so ``previous_response_id`` is refused with a 400
that says to send the earlier turns as input items; tools the provider runs itself,
files and images are refused as the chat path refuses them, and for the same reasons.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import anyio

from api.gateway import responses_tools
from api.gateway.responses_schemas import ResponsesRequest
from api.gateway.schemas import ChatCompletionRequest
from engine.errors import InvalidRequest

__all__ = ["ResponseEvents", "ResponsesRequest", "response_body", "to_chat_request"]

INCOMPLETE = {"length": "max_output_tokens", "content_filter": "content_filter"}


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
        "tools": [t.chat() for t in body.tools] if body.tools else None,
        "tool_choice": responses_tools.chat_choice(body.tool_choice),
        # A cap of one call is what parallel_tool_calls=false asks a provider for.
        "parallel_tool_calls": False
        if body.max_tool_calls == 1 and body.tools
        else body.parallel_tool_calls,
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
        "max_tool_calls": body.max_tool_calls,
        "model": model,
        "output": [],
        # OpenAI's default is parallel calls allowed; meaningless without tools
        "parallel_tool_calls": bool(body.tools) and body.parallel_tool_calls is not False,
        "previous_response_id": None,
        "reasoning": {"effort": body.reasoning.effort if body.reasoning else None},
        "store": False,  # nothing is kept, whatever `store` asked
        "temperature": body.temperature,
        "text": {"format": fmt},
        "tool_choice": responses_tools.echoed_choice(body.tool_choice, body.tools),
        "tools": [t.echoed() for t in body.tools or []],
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


def _hex(decision_id: str) -> str:
    return decision_id.removeprefix("dec_")


def response_body(completion: dict[str, Any], body: ResponsesRequest) -> dict[str, Any]:
    """A filtered ``chat.completion`` (api/gateway/output.py) as a ``response`` object:
    the answer's text as a message item (left out when the model only called tools),
    then one function_call item per call."""
    govroute = completion["govroute"]
    decision_id = govroute["decision_id"]
    response = _envelope(body, decision_id, completion["model"], completion["created"], "completed")
    choice = (completion.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    text = message.get("content") or ""
    _finish(response, choice.get("finish_reason"))
    calls = responses_tools.call_items(message.get("tool_calls"), _hex(decision_id), 0)
    calls, dropped = limited(calls, body.max_tool_calls)
    output = [_message(decision_id, text, response["status"])] if text or not calls else []
    response["output"] = [*output, *calls]
    usage = _usage(completion.get("usage"))
    if usage is not None:
        response["usage"] = usage
    response["govroute"] = {**govroute, "dropped_tool_calls": dropped} if dropped else govroute
    return response


def limited(calls: list[dict[str, Any]], cap: int | None) -> tuple[list[dict[str, Any]], int]:
    """The first `cap` function_call items and how many were dropped after them: a
    model's calls come in the order it made them, so the surplus is its later ones."""
    if cap is None or len(calls) <= cap:
        return calls, 0
    return calls[:cap], len(calls) - cap


class ResponseEvents:
    """Filtered chat chunks as the Responses API's server-sent events, in its order:
    response.created, response.in_progress; for the text, response.output_item.added
    (a message), response.content_part.added, response.output_text.delta...,
    response.output_text.done, response.content_part.done, response.output_item.done;
    for each tool call (the filter sends them whole, after the text), output_item.added
    (a function_call), response.function_call_arguments.delta and .done,
    output_item.done; then response.completed (or response.incomplete when the answer
    was cut or blocked). An answer with neither text nor calls is one empty message.
    A broken stream ends with an ``error`` event and response.failed."""

    def __init__(self, body: ResponsesRequest, decision_id: str, model: str) -> None:
        self._body = body
        self._decision_id = decision_id
        self._sequence = 0
        self._response = _envelope(body, decision_id, model, int(time.time()), "in_progress")
        self._response["govroute"] = {"decision_id": decision_id, "model": model}
        self._item_id = _message_id(decision_id)
        self._output: list[dict[str, Any]] = []  # the items done, in order
        self._text: list[str] | None = None  # the open message's text, while it is open
        self._calls = 0
        self._dropped = 0  # calls past max_tool_calls, never sent

    async def events(self, chunks: AsyncGenerator[dict[str, Any], None]) -> AsyncIterator[bytes]:
        finish: str | None = None
        usage: Any = None
        try:
            yield self._event("response.created", response=self._response)
            yield self._event("response.in_progress", response=self._response)
            async for chunk in chunks:
                if "error" in chunk:
                    yield self._failed(chunk["error"])
                    return
                usage = chunk.get("usage") or usage
                for choice in chunk.get("choices") or []:
                    delta = choice.get("delta") or {}
                    if delta.get("content"):
                        for event in self._text_delta(delta["content"]):
                            yield event
                    if delta.get("tool_calls"):
                        for event in self._call_items(delta["tool_calls"]):
                            yield event
                    finish = choice.get("finish_reason") or finish
            _finish(self._response, finish)
            if self._text is None and not self._output:
                for event in self._text_delta(""):
                    yield event
            for event in self._close_message():
                yield event
            self._response["output"] = self._output
            counts = _usage(usage)
            if counts is not None:
                self._response["usage"] = counts
            if self._dropped:
                self._response["govroute"]["dropped_tool_calls"] = self._dropped
            status = self._response["status"]
            kind = "response.completed" if status == "completed" else "response.incomplete"
            yield self._event(kind, response=self._response)
        finally:
            with anyio.CancelScope(shield=True):  # the attempt is recorded as it closes
                await chunks.aclose()

    def _where(self) -> dict[str, Any]:
        return {"item_id": self._item_id, "output_index": len(self._output), "content_index": 0}

    def _text_delta(self, delta: str) -> list[bytes]:
        """The message item opened (at its first text), then one delta."""
        out: list[bytes] = []
        if self._text is None:
            self._text = []
            item = _message(self._decision_id, "", "in_progress")
            item["content"] = []
            part = {"type": "output_text", "text": "", "annotations": []}
            where = self._where()
            out.append(
                self._event(
                    "response.output_item.added", output_index=where["output_index"], item=item
                )
            )
            out.append(self._event("response.content_part.added", **where, part=part))
        if delta:
            self._text.append(delta)
            out.append(
                self._event("response.output_text.delta", **self._where(), delta=delta, logprobs=[])
            )
        return out

    def _close_message(self) -> list[bytes]:
        if self._text is None:
            return []
        whole = "".join(self._text)
        self._text = None
        where = self._where()
        # closed before the end (tool calls follow): whole; at the end: as the response
        status = "incomplete" if self._response["status"] == "incomplete" else "completed"
        done_part = {"type": "output_text", "text": whole, "annotations": []}
        message = _message(self._decision_id, whole, status)
        self._output.append(message)
        return [
            self._event("response.output_text.done", **where, text=whole, logprobs=[]),
            self._event("response.content_part.done", **where, part=done_part),
            self._event(
                "response.output_item.done", output_index=where["output_index"], item=message
            ),
        ]

    def _call_items(self, calls: Any) -> list[bytes]:
        """Whole filtered calls as function_call items, after the message they follow."""
        out = self._close_message()
        items = responses_tools.call_items(calls, _hex(self._decision_id), self._calls)
        cap = self._body.max_tool_calls
        items, dropped = limited(items, None if cap is None else max(0, cap - self._calls))
        self._dropped += dropped
        for item in items:
            self._calls += 1
            index = len(self._output)
            where = {"item_id": item["id"], "output_index": index}
            out.append(
                self._event(
                    "response.output_item.added",
                    output_index=index,
                    item={**item, "arguments": "", "status": "in_progress"},
                )
            )
            out.append(
                self._event(
                    "response.function_call_arguments.delta", **where, delta=item["arguments"]
                )
            )
            out.append(
                self._event(
                    "response.function_call_arguments.done",
                    **where,
                    name=item["name"],
                    arguments=item["arguments"],
                )
            )
            self._output.append(item)
            out.append(self._event("response.output_item.done", output_index=index, item=item))
        return out

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
