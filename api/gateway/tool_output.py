"""The model's tool calls on their way back to the caller: filtered like its text.

A tool call's arguments are text the model wrote, so they pass the same output filter
as its content (engine/output_filter.py): label actions apply, a blocked label blocks
the whole choice, and the request's pseudonyms are restored, so the caller's tool
runs with the real values the provider never saw. Only tools the provider was
offered may be called: a call to any other name is dropped (the model made it up,
or it named a tool the policy took away). A streamed call is held until its choice
finishes and then sent whole, in one chunk: its arguments are never shown half
filtered.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.output_filter import Blocked, OutputFilter

_CALL_ID = re.compile(r"^[A-Za-z0-9_\-]{1,100}$")


@dataclass(frozen=True, slots=True)
class FilteredCalls:
    calls: list[dict[str, Any]]
    redactions: int = 0
    blocked: Blocked | None = None


def filter_tool_calls(
    calls: Iterable[Any], output: OutputFilter, offered: frozenset[str]
) -> FilteredCalls:
    """OpenAI `tool_calls` (whole ones) as the caller gets them; `index` kept if present."""
    out: list[dict[str, Any]] = []
    redactions = 0
    for call in calls:
        if not isinstance(call, dict):
            continue
        function = call.get("function")
        if not isinstance(function, dict):
            continue
        name, arguments = function.get("name"), function.get("arguments")
        if not isinstance(name, str) or name not in offered:
            continue
        result = output.filter(arguments if isinstance(arguments, str) else "{}")
        if result.blocked:
            return FilteredCalls([], redactions, result.blocked)
        redactions += len(result.replacements)
        call_id = call.get("id")
        if not (isinstance(call_id, str) and _CALL_ID.match(call_id)) or output.scan(call_id):
            call_id = f"call_{uuid.uuid4().hex[:24]}"
        sent: dict[str, Any] = {
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": result.text},
        }
        if isinstance(call.get("index"), int):
            sent = {"index": call["index"], **sent}
        out.append(sent)
    return FilteredCalls(out, redactions)


@dataclass
class ToolCallBuffer:
    """One streamed choice's tool call deltas, put back together by their `index`."""

    calls: dict[int, dict[str, Any]] = field(default_factory=dict)

    def feed(self, deltas: Any) -> None:
        for delta in deltas if isinstance(deltas, list) else []:
            if not isinstance(delta, dict):
                continue
            index = delta.get("index", 0)
            if not isinstance(index, int):
                continue
            call = self.calls.setdefault(
                index, {"index": index, "id": None, "function": {"name": "", "arguments": ""}}
            )
            if isinstance(delta.get("id"), str):
                call["id"] = delta["id"]
            function = delta.get("function")
            if isinstance(function, dict):
                if isinstance(function.get("name"), str):
                    call["function"]["name"] += function["name"]
                if isinstance(function.get("arguments"), str):
                    call["function"]["arguments"] += function["arguments"]

    def whole(self) -> list[dict[str, Any]]:
        return [self.calls[i] for i in sorted(self.calls)]
