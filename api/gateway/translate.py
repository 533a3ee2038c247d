"""OpenAI chat completions <-> Anthropic Messages: requests, answers, stream events, errors.

The gateway has one request path, and it speaks OpenAI chat completions inside:
the decision, redaction, output filter and provenance see one shape. Formats are
adapters at the edges, and this module is all of them for Anthropic:

    caller (Anthropic)  --messages_to_chat-->  gateway  --chat_to_messages-->  provider (Anthropic)
    caller (Anthropic) <--completion_to_message / ChunksToEvents--  gateway
    gateway <--message_to_completion / EventsToChunks--  provider (Anthropic)

Pure: no I/O, no clock. What has no counterpart in the other format is refused
(`Untranslatable`), never silently dropped, unless it is only a hint that cannot
change what reaches or leaves a model (which is listed below).

- System prompts: Anthropic's `system` (a string or text blocks) is one OpenAI
  system message (a string or text parts). OpenAI system and developer messages
  anywhere in the conversation become Anthropic's `system`, in order (Anthropic
  has no system turn in the middle of a conversation).
- Content: a string stays a string; text blocks and text parts map one to one.
- `max_tokens` (required by Anthropic: OpenAI's `max_completion_tokens`, else
  `max_tokens`, else `DEFAULT_MAX_TOKENS`), `stop` <-> `stop_sequences`,
  `temperature`, `top_p` and `stream` map as they are.
- To Anthropic: `n` > 1, `logit_bias` and `response_format` have no counterpart
  (refused); `seed`, penalties, `service_tier` and `reasoning_effort` are
  sampling hints and are dropped.
- Stop reasons: end_turn/stop_sequence/pause_turn <-> stop, max_tokens <-> length,
  tool_use <-> tool_calls, refusal <-> content_filter.
- Tools, tool calls and tool results: api/gateway/tool_translate.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api.gateway.tool_translate import (
    calls_to_blocks,
    calls_to_tool_use,
    message_to_chat,
    result_block,
    tool_use_events,
    tool_use_to_calls,
    tools_to_anthropic,
    tools_to_chat,
)

DEFAULT_MAX_TOKENS = 1024
ANTHROPIC_ROLES = frozenset({"user", "assistant"})
SYSTEM_ROLES = frozenset({"system", "developer"})

STOP_TO_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}
FINISH_TO_STOP = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "refusal",
}
# Anthropic's error types by HTTP status (the anthropic SDK picks its exception by
# status, and shows `error.type`).
ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "request_too_large",
    429: "rate_limit_error",
    504: "timeout_error",
    529: "overloaded_error",
}
# The other way: an error event in an Anthropic stream, as the HTTP status it stands for.
ERROR_TYPE_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "timeout_error": 504,
    "api_error": 500,
    "overloaded_error": 529,
}


class Untranslatable(ValueError):
    """The request asks for something the other format cannot express."""


def append_turn(turns: list[dict[str, Any]], role: str, blocks: list[Any], key: str) -> None:
    """Append `blocks` as a turn of `role`, or to the last turn when it has that role:
    Converse and Gemini both require user and assistant turns to alternate, so a tool
    result after a user message joins it. `key` names the turn's list ("content", "parts")."""
    if turns and turns[-1]["role"] == role:
        turns[-1][key].extend(blocks)
    else:
        turns.append({"role": role, key: blocks})


# ---------------------------------------------------------------- requests


def _text_of(content: Any) -> str:
    """The text of a string or of a list of text parts/blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(str(part.get("text", "")) for part in content)


def _parts(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [{"type": "text", "text": str(part.get("text", ""))} for part in content or []]


def _same_content(content: Any) -> str | list[dict[str, Any]]:
    """A string as it is; text parts and text blocks (the same shape) without extras
    such as Anthropic's `cache_control`."""
    if isinstance(content, str):
        return content
    return _parts(content)


def messages_to_chat(request: Mapping[str, Any]) -> dict[str, Any]:
    """An Anthropic Messages request (already validated) as an OpenAI chat request.

    Only what both formats share: `model`, `system`, `messages`, `max_tokens`,
    `stop_sequences`, `temperature`, `top_p`, `stream`, `metadata`."""
    messages: list[dict[str, Any]] = []
    system = request.get("system")
    if system:  # an empty system prompt says nothing
        messages.append({"role": "system", "content": _same_content(system)})
    for message in request["messages"]:
        messages.extend(message_to_chat(message))
    chat: dict[str, Any] = {
        "model": request["model"],
        "messages": messages,
        "max_tokens": request["max_tokens"],
        **tools_to_chat(request),
    }
    if request.get("stop_sequences"):
        chat["stop"] = list(request["stop_sequences"])
    for name in ("temperature", "top_p", "metadata"):
        if request.get(name) is not None:
            chat[name] = request[name]
    if request.get("stream"):
        chat["stream"] = True
        # message_delta carries the usage: ask the provider for it
        chat["stream_options"] = {"include_usage": True}
    return chat


def chat_to_messages(request: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAI chat request (as the gateway built it for a provider) as an Anthropic
    Messages request. Raises `Untranslatable` for what Anthropic cannot do."""
    if (request.get("n") or 1) > 1:
        raise Untranslatable("n > 1: Anthropic's Messages API answers with one message")
    for name in ("logit_bias", "response_format"):
        if request.get(name):
            raise Untranslatable(f"'{name}' has no counterpart in Anthropic's Messages API")
    system: list[dict[str, Any]] = []
    system_strings: list[str] = []
    messages: list[dict[str, Any]] = []
    for message in request["messages"]:
        role, content = message["role"], message.get("content")
        if role in SYSTEM_ROLES:
            system.extend(_parts(content))
            if isinstance(content, str):
                system_strings.append(content)
            continue
        if role == "tool":  # a tool_result block, leading the next user turn
            messages.append({"role": "user", "content": [result_block(message)]})
            continue
        if role not in ANTHROPIC_ROLES:
            raise Untranslatable(f"messages with role '{role}' have no Anthropic counterpart")
        if message.get("tool_calls"):
            text = [p for p in _parts(content) if p["text"]]
            messages.append({"role": role, "content": [*text, *calls_to_blocks(message)]})
            continue
        messages.append({"role": role, "content": _same_content(content or "")})
    messages = _merge_tool_results(messages)
    if not messages:
        raise Untranslatable("Anthropic needs at least one user or assistant message")
    out: dict[str, Any] = {
        "model": request["model"],
        "messages": messages,
        "max_tokens": request.get("max_completion_tokens")
        or request.get("max_tokens")
        or DEFAULT_MAX_TOKENS,
    }
    if system:
        # one string system message stays a string; anything else, text blocks
        single = len(system_strings) == 1 and len(system) == 1
        out["system"] = system_strings[0] if single else system
    stop = request.get("stop")
    if stop:
        out["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    for name in ("temperature", "top_p"):
        if request.get(name) is not None:
            out[name] = request[name]
    if request.get("stream"):
        out["stream"] = True
    return out | tools_to_anthropic(request)


def _merge_tool_results(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A user turn that follows tool results joins their turn (Anthropic alternates
    roles, and the results must lead the turn)."""
    out: list[dict[str, Any]] = []
    for message in messages:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous["role"] == message["role"] == "user"
            and isinstance(previous["content"], list)
            and any(b.get("type") == "tool_result" for b in previous["content"])
        ):
            content = message["content"]
            more = [{"type": "text", "text": content}] if isinstance(content, str) else content
            previous["content"] = [*previous["content"], *more]
            continue
        out.append(message)
    return out


# ---------------------------------------------------------------- answers


def _usage_to_openai(usage: Any) -> dict[str, int] | None:
    if not isinstance(usage, Mapping):
        return None
    prompt, completion = usage.get("input_tokens"), usage.get("output_tokens")
    out: dict[str, int] = {}
    if isinstance(prompt, int):
        out["prompt_tokens"] = prompt
    if isinstance(completion, int):
        out["completion_tokens"] = completion
    if isinstance(prompt, int) and isinstance(completion, int):
        out["total_tokens"] = prompt + completion
    return out or None


def _usage_to_anthropic(usage: Any) -> dict[str, int]:
    usage = usage if isinstance(usage, Mapping) else {}
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    return {
        "input_tokens": prompt if isinstance(prompt, int) else 0,
        "output_tokens": completion if isinstance(completion, int) else 0,
    }


def message_to_completion(message: Mapping[str, Any]) -> dict[str, Any]:
    """An Anthropic `message` as an OpenAI `chat.completion` (one choice): text blocks
    as its content, tool_use blocks as its tool calls (the output filter reads both);
    other blocks (thinking) are not carried."""
    blocks = message.get("content")
    text = "".join(
        str(block.get("text", ""))
        for block in (blocks if isinstance(blocks, list) else [])
        if isinstance(block, Mapping) and block.get("type") == "text"
    )
    answer: dict[str, Any] = {"role": "assistant", "content": text}
    calls = tool_use_to_calls(blocks)
    if calls:
        answer = {"role": "assistant", "content": text or None, "tool_calls": calls}
    completion: dict[str, Any] = {
        "id": message.get("id"),
        "object": "chat.completion",
        "model": message.get("model"),
        "choices": [
            {
                "index": 0,
                "message": answer,
                "finish_reason": STOP_TO_FINISH.get(str(message.get("stop_reason")), "stop"),
            }
        ],
    }
    usage = _usage_to_openai(message.get("usage"))
    if usage is not None:
        completion["usage"] = usage
    return completion


def message_id(completion_id: Any) -> str:
    """Anthropic-looking ids for the caller: ``msg_`` and the completion's own id."""
    text = str(completion_id or "")
    return text if text.startswith("msg_") else f"msg_{text.removeprefix('chatcmpl-')}"


def completion_to_message(completion: Mapping[str, Any]) -> dict[str, Any]:
    """A filtered OpenAI `chat.completion` (first choice) as an Anthropic `message`; the
    `govroute` object (decision id, outcome, ...) is kept."""
    choices = completion.get("choices") or [{}]
    choice = choices[0]
    answer = choice.get("message") or {}
    text = answer.get("content") or answer.get("refusal") or ""
    message: dict[str, Any] = {
        "id": message_id(completion.get("id")),
        "type": "message",
        "role": "assistant",
        "model": completion.get("model"),
        "content": ([{"type": "text", "text": text}] if text else [])
        + calls_to_tool_use(answer.get("tool_calls")),
        "stop_reason": FINISH_TO_STOP.get(str(choice.get("finish_reason")), "end_turn"),
        "stop_sequence": None,
        "usage": _usage_to_anthropic(completion.get("usage")),
    }
    if "govroute" in completion:
        message["govroute"] = completion["govroute"]
    return message


# ---------------------------------------------------------------- streams

Event = tuple[str, dict[str, Any]]
"""A server-sent event of Anthropic's stream: its name and its data."""


@dataclass
class ChunksToEvents:
    """OpenAI `chat.completion.chunk`s (first choice) as Anthropic's event sequence:
    message_start, content_block_start, ping, content_block_delta..., content_block_stop,
    message_delta, message_stop. Usage comes after the finish chunk in OpenAI's stream,
    so message_delta waits for `finish`."""

    model: str
    started: bool = False
    finished: bool = False
    stop_reason: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    text_open: bool = True  # the text block (index 0) is open until a tool call comes
    blocks: int = 1  # content blocks started so far

    def on_chunk(self, chunk: Mapping[str, Any]) -> list[Event]:
        if "error" in chunk:  # the gateway's in-band error: the stream broke
            return self.error(chunk)
        out = self._start(chunk)
        for choice in chunk.get("choices") or []:
            if choice.get("index", 0) != 0:
                continue
            text = (choice.get("delta") or {}).get("content")
            if isinstance(text, str) and text and self.text_open:
                delta = {"type": "text_delta", "text": text}
                out.append(
                    (
                        "content_block_delta",
                        {"type": "content_block_delta", "index": 0, "delta": delta},
                    )
                )
            calls = (choice.get("delta") or {}).get("tool_calls")
            if calls:  # whole calls (api/gateway/output.py): tool_use blocks after the text
                if self.text_open:
                    self.text_open = False
                    out.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
                events = tool_use_events(calls, self.blocks)
                self.blocks += sum(1 for name, _ in events if name == "content_block_start")
                out += events
            if choice.get("finish_reason"):
                self.stop_reason = FINISH_TO_STOP.get(str(choice["finish_reason"]), "end_turn")
        if isinstance(chunk.get("usage"), Mapping):
            self.usage = dict(chunk["usage"])
        return out

    def finish(self) -> list[Event]:
        out = self._start({})
        if self.finished:
            return out
        self.finished = True
        usage = _usage_to_anthropic(self.usage)
        closing: list[Event] = (
            [("content_block_stop", {"type": "content_block_stop", "index": 0})]
            if self.text_open
            else []
        )
        return [
            *out,
            *closing,
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": self.stop_reason or "end_turn", "stop_sequence": None},
                    "usage": usage,
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        ]

    def error(self, body: Mapping[str, Any]) -> list[Event]:
        """An Anthropic error event for the gateway's error body (the anthropic SDK raises
        it as an APIStatusError); nothing follows it."""
        self.finished = True
        return [("error", anthropic_error(body, 500))]

    def _start(self, chunk: Mapping[str, Any]) -> list[Event]:
        if self.started:
            return []
        self.started = True
        message: dict[str, Any] = {
            "id": message_id(chunk.get("id")),
            "type": "message",
            "role": "assistant",
            "model": chunk.get("model") or self.model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 0, "output_tokens": 0},
        }
        block = {"type": "text", "text": ""}
        return [
            ("message_start", {"type": "message_start", "message": message}),
            (
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": block},
            ),
            ("ping", {"type": "ping"}),
        ]


@dataclass
class EventsToChunks:
    """Anthropic stream events as OpenAI `chat.completion.chunk`s: a role chunk at
    message_start, a content chunk per text delta, a finish chunk at message_delta and
    a usage chunk (no choices) at message_stop. Error events are the caller's to raise
    (`ERROR_TYPE_STATUS`); ping and non-text deltas carry nothing."""

    id: str = ""
    model: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    calls: dict[int, int] = field(default_factory=dict)  # tool_use block index -> call index

    def on_event(self, event: Mapping[str, Any]) -> list[dict[str, Any]]:
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message") or {}
            self.id = str(message.get("id") or "")
            self.model = str(message.get("model") or "")
            self._count(message.get("usage"))
            return [self._chunk({"role": "assistant", "content": ""})]
        if kind == "content_block_start":
            block = event.get("content_block") or {}
            if block.get("type") == "tool_use":
                number = len(self.calls)
                self.calls[int(event.get("index") or 0)] = number
                function = {"name": str(block.get("name", "")), "arguments": ""}
                opened = {"index": number, "id": block.get("id"), "type": "function"}
                return [self._chunk({"tool_calls": [{**opened, "function": function}]})]
            text = block.get("text") if block.get("type") == "text" else None
            return [self._chunk({"content": text})] if isinstance(text, str) and text else []
        if kind == "content_block_delta":
            delta = event.get("delta") or {}
            if delta.get("type") == "input_json_delta":
                known = self.calls.get(int(event.get("index") or 0))
                piece = delta.get("partial_json")
                if known is None or not isinstance(piece, str):
                    return []
                return [
                    self._chunk(
                        {"tool_calls": [{"index": known, "function": {"arguments": piece}}]}
                    )
                ]
            text = delta.get("text") if delta.get("type") == "text_delta" else None
            return [self._chunk({"content": text})] if isinstance(text, str) and text else []
        if kind == "message_delta":
            self._count(event.get("usage"))
            reason = (event.get("delta") or {}).get("stop_reason")
            if reason is None:
                return []
            return [self._chunk({}, STOP_TO_FINISH.get(str(reason), "stop"))]
        if kind == "message_stop":
            usage = _usage_to_openai(
                {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens}
            )
            if usage is None:
                return []
            return [
                {
                    "id": self.id,
                    "object": "chat.completion.chunk",
                    "model": self.model,
                    "choices": [],
                    "usage": usage,
                }
            ]
        return []

    def _count(self, usage: Any) -> None:
        if not isinstance(usage, Mapping):
            return
        if isinstance(usage.get("input_tokens"), int):
            self.input_tokens = usage["input_tokens"]
        if isinstance(usage.get("output_tokens"), int):
            self.output_tokens = usage["output_tokens"]

    def _chunk(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }


# ---------------------------------------------------------------- errors


def anthropic_error(body: Mapping[str, Any], status: int) -> dict[str, Any]:
    """govroute's OpenAI-shaped error body in Anthropic's shape: ``{"type": "error",
    "error": {"type", "message", ...}}``, with everything govroute adds (code, param,
    decision id, reasons, attempts) kept inside ``error``; govroute's stable code is
    also ``error.details.error_code``, where the anthropic SDK looks for one."""
    error = dict(body.get("error") or {})
    code = error.get("code")
    error["type"] = ANTHROPIC_ERROR_TYPES.get(status, "api_error")
    if isinstance(code, str):
        error["details"] = {"error_code": code}
    return {"type": "error", "error": error}
