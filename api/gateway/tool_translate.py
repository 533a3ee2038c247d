"""Tool calling, OpenAI chat completions <-> Anthropic Messages (api/gateway/translate.py
calls these for the tool parts of requests, answers and streams). Pure.

- Definitions: ``{"type": "function", "function": {name, description, parameters}}``
  <-> ``{name, description, input_schema}``.
- Choice: ``auto`` <-> ``{"type": "auto"}``, ``required`` <-> ``{"type": "any"}``,
  ``none`` <-> ``{"type": "none"}``, a named function <-> ``{"type": "tool", "name"}``;
  ``parallel_tool_calls: false`` <-> ``disable_parallel_tool_use: true``.
- Calls: an assistant message's `tool_calls` (arguments a JSON string) <-> its
  ``tool_use`` blocks (input a JSON object), in order after its text.
- Results: ``role: tool`` messages <-> ``tool_result`` blocks leading the next user
  turn (consecutive results share one user turn; Anthropic's `is_error` becomes the
  text prefix ``[tool error]``, which OpenAI has no field for).
- Streams: a ``tool_use`` content block (its input as ``input_json_delta`` pieces)
  <-> a ``tool_calls`` delta per call.

The shared pieces (`chat_call`, `arguments_object`, `result_text`) serve the Bedrock
and Gemini translations too (api/gateway/bedrock_translate.py, gemini_translate.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

TOOL_ERROR_PREFIX = "[tool error] "

Event = tuple[str, dict[str, Any]]


# ---------------------------------------------------------------- Anthropic -> OpenAI


def tools_to_chat(request: Mapping[str, Any]) -> dict[str, Any]:
    """`tools`, `tool_choice` and `parallel_tool_calls` of an Anthropic request."""
    out: dict[str, Any] = {}
    tools = request.get("tools")
    if tools:
        out["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": t["name"],
                    **({"description": t["description"]} if t.get("description") else {}),
                    "parameters": t["input_schema"],
                },
            }
            for t in tools
        ]
    choice = request.get("tool_choice")
    if choice:
        kind = choice["type"]
        if kind == "tool":
            out["tool_choice"] = {"type": "function", "function": {"name": choice["name"]}}
        else:
            out["tool_choice"] = {"auto": "auto", "any": "required", "none": "none"}[kind]
        if choice.get("disable_parallel_tool_use"):
            out["parallel_tool_calls"] = False
    return out


def message_to_chat(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One Anthropic message as OpenAI messages: a user turn's tool results first (one
    tool message each), then its text; an assistant turn's text and tool calls."""
    role, content = message["role"], message["content"]
    if isinstance(content, str):
        return [{"role": role, "content": content}]
    texts = [{"type": "text", "text": b["text"]} for b in content if b["type"] == "text"]
    if role == "assistant":
        calls = [
            {
                "id": b["id"],
                "type": "function",
                "function": {"name": b["name"], "arguments": json.dumps(b["input"])},
            }
            for b in content
            if b["type"] == "tool_use"
        ]
        if not calls:
            return [{"role": role, "content": texts}]
        return [{"role": role, "content": texts or None, "tool_calls": calls}]
    results = [
        {
            "role": "tool",
            "tool_call_id": b["tool_use_id"],
            "content": (TOOL_ERROR_PREFIX if b.get("is_error") else "")
            + result_text(b.get("content")),
        }
        for b in content
        if b["type"] == "tool_result"
    ]
    if results and not texts:
        return results
    return [*results, {"role": role, "content": texts}]


def result_text(content: Any) -> str:
    """A tool result's text: a string, or the text of its parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(str(block.get("text", "")) for block in content)


def chat_call(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    """One OpenAI tool call from a provider's (id, name, input object): the shape every
    kind's answer becomes (Anthropic tool_use, Bedrock toolUse, Gemini functionCall)."""
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)},
    }


def tool_use_to_calls(blocks: Any) -> list[dict[str, Any]]:
    """An Anthropic answer's tool_use blocks as OpenAI `tool_calls`."""
    return [
        chat_call(str(b.get("id", "")), str(b.get("name", "")), b.get("input"))
        for b in (blocks if isinstance(blocks, list) else [])
        if isinstance(b, Mapping) and b.get("type") == "tool_use"
    ]


# ---------------------------------------------------------------- OpenAI -> Anthropic


def tool_names(messages: Any) -> dict[str, str]:
    """Tool call id -> the tool it called, over OpenAI messages: what a result must name
    where the provider's format keys results by tool name (Gemini)."""
    return {
        call["id"]: call["function"]["name"]
        for message in messages
        for call in message.get("tool_calls") or []
    }


def tools_to_anthropic(request: Mapping[str, Any]) -> dict[str, Any]:
    """`tools` and `tool_choice` for an Anthropic provider."""
    out: dict[str, Any] = {}
    tools = request.get("tools")
    if tools:
        out["tools"] = [
            {
                "name": t["function"]["name"],
                **(
                    {"description": t["function"]["description"]}
                    if t["function"].get("description")
                    else {}
                ),
                "input_schema": t["function"].get("parameters") or {"type": "object"},
            }
            for t in tools
        ]
    choice = request.get("tool_choice")
    anthropic_choice: dict[str, Any] | None = None
    if isinstance(choice, Mapping):
        anthropic_choice = {"type": "tool", "name": choice["function"]["name"]}
    elif choice is not None:
        anthropic_choice = {"type": {"auto": "auto", "required": "any", "none": "none"}[choice]}
    if request.get("parallel_tool_calls") is False and tools:
        anthropic_choice = {**(anthropic_choice or {"type": "auto"})}
        anthropic_choice["disable_parallel_tool_use"] = True
    if anthropic_choice is not None and tools:
        out["tool_choice"] = anthropic_choice
    return out


def calls_to_blocks(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An OpenAI assistant message's tool calls as tool_use blocks."""
    return [
        {
            "type": "tool_use",
            "id": call["id"],
            "name": call["function"]["name"],
            "input": arguments_object(call["function"].get("arguments")),
        }
        for call in message.get("tool_calls") or []
    ]


def result_block(message: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAI tool message as a tool_result block."""
    content = message.get("content")
    text = content if isinstance(content, str) else result_text(content)
    return {"type": "tool_result", "tool_use_id": message["tool_call_id"], "content": text}


def arguments_object(text: Any) -> Any:
    """Arguments as an input object (Anthropic's input, Bedrock's toolUse input, Gemini's
    functionCall args); text that is not one is kept, wrapped."""
    try:
        value = json.loads(text) if isinstance(text, str) else {}
    except json.JSONDecodeError:
        return {"arguments": text}
    return value if isinstance(value, dict) else {"arguments": value}


def calls_to_tool_use(calls: Any) -> list[dict[str, Any]]:
    """A filtered answer's `tool_calls` as the caller's tool_use blocks."""
    return [
        {
            "type": "tool_use",
            "id": str(c.get("id", "")),
            "name": str((c.get("function") or {}).get("name", "")),
            "input": arguments_object((c.get("function") or {}).get("arguments")),
        }
        for c in (calls if isinstance(calls, list) else [])
        if isinstance(c, Mapping)
    ]


# ---------------------------------------------------------------- streams


def tool_use_events(calls: Any, first_index: int) -> list[Event]:
    """Whole tool calls (as api/gateway/output.py streams them) as Anthropic's tool_use
    content blocks, numbered from `first_index`."""
    out: list[Event] = []
    for offset, block in enumerate(calls_to_tool_use(calls)):
        index = first_index + offset
        start = {**block, "input": {}}
        partial = json.dumps(block["input"], ensure_ascii=False)
        out += [
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": start},
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": partial},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": index}),
        ]
    return out
