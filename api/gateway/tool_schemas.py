"""Tool calling on the wire, as the chat completions request carries it (OpenAI's shapes).

- `tools`: function definitions (name, description, JSON Schema parameters);
- `tool_choice`: ``none``, ``auto``, ``required`` or one named function;
- an assistant message's `tool_calls` (the model's earlier calls, sent back), whose
  `arguments` must be a JSON object;
- a ``role: tool`` message answering one of those calls by `tool_call_id`.

Everything is checked before a decision is made, and a 400 says where
(``messages[3].tool_call_id``). The Anthropic request (tool_use, tool_result blocks)
becomes these shapes in api/gateway/tool_translate.py. How the firewall treats them:
api/gateway/tools.py.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

ToolName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$"),
    Field(description="Letters, digits, '_' and '-'; at most 64 characters (as OpenAI)."),
]
ToolCallId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,100}$"),
    Field(description="The id of one tool call: letters, digits, '_' and '-'."),
]
MAX_TOOLS = 32
"""Each tool is a context item of the decision, which takes 64 items in all."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class FunctionDefinition(_Strict):
    name: ToolName
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class ToolDefinition(_Strict):
    type: Literal["function"]
    function: FunctionDefinition


class FunctionCall(_Strict):
    name: ToolName
    arguments: str

    @field_validator("arguments")
    @classmethod
    def _json_object(cls, value: str) -> str:
        parse_arguments(value)
        return value


class ToolCall(_Strict):
    id: ToolCallId
    type: Literal["function"]
    function: FunctionCall


class NamedFunction(_Strict):
    name: ToolName


class NamedToolChoice(_Strict):
    type: Literal["function"]
    function: NamedFunction


ToolChoice = Literal["none", "auto", "required"] | NamedToolChoice


def parse_arguments(text: str) -> dict[str, Any]:
    """A tool call's arguments: a JSON object, or a ValueError that says what is wrong."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"arguments are not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    if not isinstance(value, dict):
        raise ValueError(f"arguments must be a JSON object, not {type(value).__name__}")
    return value


def check_tool_conversation(
    messages: list[Any], tools: list[ToolDefinition] | None, tool_choice: ToolChoice | None
) -> None:
    """The request's tool parts agree with each other; a ValueError names the first
    place that does not. `messages` are the request's `ChatMessage`s."""
    names = [t.function.name for t in tools or []]
    if len(names) != len(set(names)):
        duplicate = next(n for n in names if names.count(n) > 1)
        raise ValueError(f"tools: '{duplicate}' is defined twice")
    if isinstance(tool_choice, NamedToolChoice) and tool_choice.function.name not in names:
        raise ValueError(
            f"tool_choice names '{tool_choice.function.name}', which is not among the tools"
        )
    if tool_choice not in (None, "none", "auto") and not names:
        raise ValueError("tool_choice asks for a tool call, but no tools are offered")
    calls: dict[str, int] = {}
    answered: set[str] = set()
    for index, message in enumerate(messages):
        for call in message.tool_calls or []:
            if call.id in calls:
                raise ValueError(
                    f"messages[{index}].tool_calls: id '{call.id}' is used twice "
                    f"(first in messages[{calls[call.id]}])"
                )
            calls[call.id] = index
        if message.role == "tool":
            call_id = message.tool_call_id
            if call_id not in calls:
                raise ValueError(
                    f"messages[{index}].tool_call_id: '{call_id}' answers no tool call of an "
                    "earlier assistant message"
                )
            if call_id in answered:
                raise ValueError(
                    f"messages[{index}].tool_call_id: tool call '{call_id}' is answered twice"
                )
            answered.add(call_id)
