"""OpenAI chat completions -> AWS Bedrock Converse, and Converse's answers and stream back.

Pure: no I/O, no clock, no signing (api/gateway/bedrock_upstream.py does the HTTP).

- System and developer messages become Converse's ``system`` blocks, in order;
  user and assistant turns keep their role, their text as ``{"text": ...}`` blocks
  (consecutive turns of one role are one turn: Converse wants them alternating).
  Parts other than text are refused (`Untranslatable`).
- Tools: definitions are ``toolConfig.tools[].toolSpec`` (``inputSchema.json``), the
  choice ``toolChoice`` (auto -> ``{"auto": {}}``, required -> ``{"any": {}}``, a named
  function -> ``{"tool": {"name"}}``; ``none`` sends no tools, which is the same unless
  the conversation already holds calls: refused then); an assistant message's calls are
  its ``toolUse`` blocks, a ``role: tool`` message a ``toolResult`` block of the next
  user turn. Answers: ``toolUse`` blocks are ``tool_calls``; streamed, a
  ``contentBlockStart.start.toolUse`` opens a call and ``contentBlockDelta.delta.toolUse
  .input`` pieces carry its arguments. ``parallel_tool_calls`` has no counterpart (dropped).
- ``inferenceConfig``: ``maxTokens`` (``max_completion_tokens``, else ``max_tokens``),
  ``temperature``, ``topP``, ``stopSequences``. ``n`` > 1, ``logit_bias`` and
  ``response_format`` have no Converse counterpart (refused); ``seed``, penalties and
  other sampling hints are dropped.
- Stop reasons: end_turn/stop_sequence -> stop, max_tokens -> length, tool_use ->
  tool_calls, guardrail_intervened/content_filtered -> content_filter.
- Usage: inputTokens/outputTokens/totalTokens -> prompt/completion/total_tokens.
- Errors: Bedrock names each failure (``x-amzn-ErrorType``, or the ``:exception-type``
  of a stream's exception event); `ERROR_STATUS` is the HTTP status each stands for,
  so a ThrottlingException is a 429 wherever it shows up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api.gateway.tool_translate import arguments_object, chat_call, result_text
from api.gateway.translate import SYSTEM_ROLES, Untranslatable, append_turn

CONVERSE_ROLES = frozenset({"user", "assistant"})
STOP_TO_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
}
# Exception names (either spelling: ThrottlingException in headers, throttlingException
# in a stream) by the HTTP status Bedrock answers them with.
ERROR_STATUS = {
    "validationexception": 400,
    "accessdeniedexception": 403,
    "unrecognizedclientexception": 403,
    "invalidsignatureexception": 403,
    "resourcenotfoundexception": 404,
    "modeltimeoutexception": 408,
    "modelerrorexception": 424,
    "throttlingexception": 429,
    "modelnotreadyexception": 429,
    "servicequotaexceededexception": 429,
    "internalserverexception": 500,
    "modelstreamerrorexception": 500,
    "serviceunavailableexception": 503,
}
STATUS_ERROR = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}


def error_status(error_type: str | None, status: int | None = None) -> int:
    """The HTTP status of a Bedrock exception name (``ThrottlingException:http://...``
    as in the header is fine), else `status`, else 500."""
    name = (error_type or "").split(":", 1)[0].strip().lower()
    return ERROR_STATUS.get(name) or status or 500


def _blocks(content: Any, where: str) -> list[dict[str, str]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}] if content else []
    blocks = []
    for part in content:
        if part.get("type") != "text":
            raise Untranslatable(f"{where}: content of type '{part.get('type')}' is not sent")
        blocks.append({"text": str(part.get("text", ""))})
    return blocks


def chat_to_converse(request: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAI chat request as a Converse request body (the model goes in the URL)."""
    if (request.get("n") or 1) > 1:
        raise Untranslatable("n > 1: Bedrock Converse answers with one message")
    for name in ("logit_bias", "response_format"):
        if request.get(name):
            raise Untranslatable(f"'{name}' has no counterpart in Bedrock Converse")
    system: list[dict[str, str]] = []
    messages: list[dict[str, Any]] = []
    for index, message in enumerate(request["messages"]):
        role = message["role"]
        where = f"messages[{index}]"
        if role in SYSTEM_ROLES:
            system.extend(_blocks(message.get("content"), where))
            continue
        if role == "tool":
            append_turn(messages, "user", [_tool_result(message)], "content")
            continue
        if role not in CONVERSE_ROLES:
            raise Untranslatable(f"{where}: role '{role}' has no Converse counterpart")
        blocks = _blocks(message.get("content"), where) + _tool_uses(message)
        # Converse refuses an empty text block: a turn without text is one space
        append_turn(messages, role, blocks or [{"text": " "}], "content")
    if not messages:
        raise Untranslatable("Converse needs at least one user or assistant message")
    body: dict[str, Any] = {"messages": messages}
    if system:
        body["system"] = system
    tool_config = _tool_config(request, messages)
    if tool_config:
        body["toolConfig"] = tool_config
    config: dict[str, Any] = {}
    limit = request.get("max_completion_tokens") or request.get("max_tokens")
    if limit:
        config["maxTokens"] = limit
    if request.get("temperature") is not None:
        config["temperature"] = request["temperature"]
    if request.get("top_p") is not None:
        config["topP"] = request["top_p"]
    stop = request.get("stop")
    if stop:
        config["stopSequences"] = [stop] if isinstance(stop, str) else list(stop)
    if config:
        body["inferenceConfig"] = config
    return body


def _tool_uses(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "toolUse": {
                "toolUseId": call["id"],
                "name": call["function"]["name"],
                "input": arguments_object(call["function"].get("arguments")),
            }
        }
        for call in message.get("tool_calls") or []
    ]


def _tool_result(message: Mapping[str, Any]) -> dict[str, Any]:
    text = result_text(message.get("content"))
    return {
        "toolResult": {"toolUseId": message["tool_call_id"], "content": [{"text": text or " "}]}
    }


def _tool_config(request: Mapping[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    """``toolConfig`` for the request's tools; nothing when none are offered."""
    tools = request.get("tools") or []
    choice = request.get("tool_choice")
    holds_calls = any(
        "toolUse" in block or "toolResult" in block for m in messages for block in m["content"]
    )
    if not tools or choice == "none":
        if holds_calls:
            raise Untranslatable(
                "the conversation holds tool calls but no tool is offered: Converse needs "
                "a toolConfig for them, and has no tool_choice 'none'"
            )
        return {}
    config: dict[str, Any] = {
        "tools": [
            {
                "toolSpec": {
                    "name": t["function"]["name"],
                    **(
                        {"description": t["function"]["description"]}
                        if t["function"].get("description")
                        else {}
                    ),
                    "inputSchema": {"json": t["function"].get("parameters") or {"type": "object"}},
                }
            }
            for t in tools
        ]
    }
    if isinstance(choice, Mapping):
        config["toolChoice"] = {"tool": {"name": choice["function"]["name"]}}
    elif choice == "required":
        config["toolChoice"] = {"any": {}}
    elif choice == "auto":
        config["toolChoice"] = {"auto": {}}
    return config


def usage_to_openai(usage: Any) -> dict[str, int] | None:
    if not isinstance(usage, Mapping):
        return None
    names = (
        ("inputTokens", "prompt_tokens"),
        ("outputTokens", "completion_tokens"),
        ("totalTokens", "total_tokens"),
    )
    out = {ours: usage[theirs] for theirs, ours in names if isinstance(usage.get(theirs), int)}
    if "total_tokens" not in out and {"prompt_tokens", "completion_tokens"} <= out.keys():
        out["total_tokens"] = out["prompt_tokens"] + out["completion_tokens"]
    return out or None


def converse_to_completion(data: Mapping[str, Any], *, model: str, id_: str) -> dict[str, Any]:
    """A Converse response as an OpenAI ``chat.completion`` (one choice)."""
    output = data.get("output")
    message = output.get("message") if isinstance(output, Mapping) else None
    blocks = message.get("content") if isinstance(message, Mapping) else None
    listed = [b for b in (blocks if isinstance(blocks, list) else []) if isinstance(b, Mapping)]
    text = "".join(str(b["text"]) for b in listed if isinstance(b.get("text"), str))
    calls = [
        chat_call(str(use.get("toolUseId", "")), str(use.get("name", "")), use.get("input"))
        for use in (b.get("toolUse") for b in listed)
        if isinstance(use, Mapping)
    ]
    answer: dict[str, Any] = {"role": "assistant", "content": text or (None if calls else "")}
    if calls:
        answer["tool_calls"] = calls
    completion: dict[str, Any] = {
        "id": id_,
        "object": "chat.completion",
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": answer,
                "finish_reason": STOP_TO_FINISH.get(str(data.get("stopReason")), "stop"),
            }
        ],
    }
    usage = usage_to_openai(data.get("usage"))
    if usage is not None:
        completion["usage"] = usage
    return completion


@dataclass
class ConverseChunks:
    """ConverseStream events (their ``:event-type`` and JSON payload) as OpenAI chunks:
    a role chunk at messageStart, a content chunk per text delta, a tool call chunk at
    a toolUse block's start (id and name) and per piece of its input, a finish chunk at
    messageStop, a usage chunk (no choices) at metadata. Exception events are the
    caller's to raise (`error_status`)."""

    id: str
    model: str
    stopped: bool = False  # messageStop seen: the answer is whole
    calls: dict[int, int] = field(default_factory=dict)  # content block -> tool call index

    def on_event(self, event_type: str, payload: Mapping[str, Any]) -> list[dict[str, Any]]:
        if event_type == "messageStart":
            return [self._chunk({"role": "assistant", "content": ""})]
        if event_type == "contentBlockStart":
            start = payload.get("start")
            use = start.get("toolUse") if isinstance(start, Mapping) else None
            if not isinstance(use, Mapping):
                return []
            index = self.calls.setdefault(_block(payload), len(self.calls))
            opened = {
                "index": index,
                "id": str(use.get("toolUseId", "")),
                "type": "function",
                "function": {"name": str(use.get("name", "")), "arguments": ""},
            }
            return [self._chunk({"tool_calls": [opened]})]
        if event_type == "contentBlockDelta":
            delta = payload.get("delta")
            if not isinstance(delta, Mapping):
                return []
            use = delta.get("toolUse")
            if isinstance(use, Mapping) and _block(payload) in self.calls:
                piece = use.get("input")
                if not isinstance(piece, str) or not piece:
                    return []
                call = {"index": self.calls[_block(payload)], "function": {"arguments": piece}}
                return [self._chunk({"tool_calls": [call]})]
            text = delta.get("text")
            return [self._chunk({"content": text})] if isinstance(text, str) and text else []
        if event_type == "messageStop":
            self.stopped = True
            reason = STOP_TO_FINISH.get(str(payload.get("stopReason")), "stop")
            return [self._chunk({}, reason)]
        if event_type == "metadata":
            usage = usage_to_openai(payload.get("usage"))
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
        return []  # contentBlockStop carries nothing

    def _chunk(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }


def _block(payload: Mapping[str, Any]) -> int:
    index = payload.get("contentBlockIndex")
    return index if isinstance(index, int) else 0
