"""Function tools on POST /v1/responses, as chat completions tool parts. Pure.

The Responses API spells tool calling its own way; the chat path (api/gateway/tools.py)
is where the firewall treats tool parts, so this module only maps the shapes both ways:

- a definition ``{"type": "function", "name", "description", "parameters", "strict"}``
  <-> ``{"type": "function", "function": {...}}``;
- ``tool_choice``: ``none``, ``auto``, ``required`` or ``{"type": "function", "name"}``
  <-> the chat choice (``{"type": "function", "function": {"name"}}``);
- an input item ``function_call`` (``call_id``, ``name``, ``arguments``) <-> a call of an
  assistant message (consecutive calls, and the assistant text just before them, are one
  message, as chat has it); a ``function_call_output`` (``call_id``, ``output``) <-> a
  ``role: tool`` message;
- the filtered answer's ``tool_calls`` <-> ``function_call`` output items.

Only function tools are served: the others (web search, file search, computer use, code
interpreter, MCP, ...) run on the provider's side, where their inputs and results would
never pass through the firewall, so they are refused with a 400 that names them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator

from api.gateway.schemas import _Strict
from api.gateway.tool_schemas import ToolCallId, ToolName, parse_arguments
from api.schemas import describe
from engine.errors import InvalidRequest

PROVIDER_SIDE = (
    "only function tools are served: a tool the provider runs itself would read and "
    "write text that never passes through the firewall"
)


class FunctionTool(_Strict):
    type: Literal["function"]
    name: ToolName
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None

    def chat(self) -> dict[str, Any]:
        function = self.model_dump(exclude_none=True, exclude={"type"})
        return {"type": "function", "function": function}

    def echoed(self) -> dict[str, Any]:
        """As the Responses API shows a tool in the response object."""
        return {
            "type": "function",
            "name": self.name,
            "description": self.description,
            "parameters": self.parameters,
            "strict": self.strict,
        }


class FunctionChoice(_Strict):
    type: Literal["function"]
    name: ToolName


ResponsesToolChoice = Literal["none", "auto", "required"] | FunctionChoice


class ResultText(_Strict):
    """A text part of a function call's output."""

    type: Literal["input_text"]
    text: str


class FunctionCallItem(_Strict):
    """A call the model made (an earlier output item sent back, or the caller's own)."""

    type: Literal["function_call"]
    call_id: ToolCallId
    name: ToolName
    arguments: str
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None

    @field_validator("arguments")
    @classmethod
    def _json_object(cls, value: str) -> str:
        parse_arguments(value)
        return value

    def chat_call(self) -> dict[str, Any]:
        return {
            "id": self.call_id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


class FunctionCallOutputItem(_Strict):
    """What the caller's function returned for one call."""

    type: Literal["function_call_output"]
    call_id: ToolCallId
    output: str | list[ResultText]
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None

    def text(self) -> str:
        if isinstance(self.output, str):
            return self.output
        return "\n".join(part.text for part in self.output)


def check_tools(data: dict[str, Any]) -> None:
    """A 400 naming every tool the provider would run itself, and a tool choice that is
    not one of a function's."""
    tools = data.get("tools")
    if isinstance(tools, list):
        refused = [
            (index, _kind(tool.get("type")))
            for index, tool in enumerate(tools)
            if isinstance(tool, dict) and tool.get("type") != "function"
        ]
        if refused:
            kinds = ", ".join(sorted({kind for _, kind in refused}))
            where = f"tools[{refused[0][0]}]"
            raise InvalidRequest(
                f"{where}: tools of type {kinds} are not supported by the govroute gateway: "
                f"{PROVIDER_SIDE}",
                field=where,
            )
    choice = data.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") != "function":
        raise InvalidRequest(
            f"tool_choice: a choice of type {describe(choice.get('type'))} is not supported: "
            f"{PROVIDER_SIDE}; name a function, or say none, auto or required",
            field="tool_choice",
        )


def _kind(value: Any) -> str:
    """A tool's type as the 400 lists it: a string as it is, anything else described."""
    return value if isinstance(value, str) else describe(value)


def check_pairs(items: list[Any]) -> None:
    """Each function_call_output answers one earlier function_call, once; call ids are
    unique. The 400 names the input item, as the caller numbered it."""
    calls: dict[str, int] = {}
    answered: set[str] = set()
    for index, item in enumerate(items):
        where = f"input[{index}].call_id"
        if isinstance(item, FunctionCallItem):
            first = calls.get(item.call_id)
            if first is not None:
                raise InvalidRequest(
                    f"{where}: '{item.call_id}' is used twice (first in input[{first}])",
                    field=where,
                )
            calls[item.call_id] = index
        elif isinstance(item, FunctionCallOutputItem):
            if item.call_id not in calls:
                raise InvalidRequest(
                    f"{where}: '{item.call_id}' answers no function_call of an earlier item",
                    field=where,
                )
            if item.call_id in answered:
                raise InvalidRequest(
                    f"{where}: function call '{item.call_id}' is answered twice", field=where
                )
            answered.add(item.call_id)


def add_item(
    messages: list[dict[str, Any]], item: FunctionCallItem | FunctionCallOutputItem
) -> None:
    """Append a tool item to chat `messages`: a call joins the assistant message just
    before it (its text or its other calls), a result is a tool message."""
    if isinstance(item, FunctionCallOutputItem):
        messages.append({"role": "tool", "tool_call_id": item.call_id, "content": item.text()})
        return
    last = messages[-1] if messages else None
    if last is not None and last["role"] == "assistant":
        last.setdefault("tool_calls", []).append(item.chat_call())
        return
    messages.append({"role": "assistant", "content": None, "tool_calls": [item.chat_call()]})


def chat_choice(choice: ResponsesToolChoice | None) -> Any:
    if isinstance(choice, FunctionChoice):
        return {"type": "function", "function": {"name": choice.name}}
    return choice


def echoed_choice(choice: ResponsesToolChoice | None, tools: list[FunctionTool] | None) -> Any:
    if isinstance(choice, FunctionChoice):
        return choice.model_dump()
    if choice is not None:
        return choice
    return "auto" if tools else "none"


def call_item_id(response_hex: str, position: int) -> str:
    """A function_call item's id: the response's, numbered (the call_id is the model's)."""
    return f"fc_{response_hex}_{position}"


def call_items(
    calls: Any, response_hex: str, first: int, status: str = "completed"
) -> list[dict[str, Any]]:
    """Filtered chat `tool_calls` (api/gateway/tool_output.py) as function_call items,
    their ids numbered from `first`."""
    out: list[dict[str, Any]] = []
    for call in calls if isinstance(calls, list) else []:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            continue
        out.append(
            {
                "type": "function_call",
                "id": call_item_id(response_hex, first + len(out)),
                "call_id": str(call.get("id", "")),
                "name": str(function.get("name", "")),
                "arguments": str(function.get("arguments", "")),
                "status": status,
            }
        )
    return out
