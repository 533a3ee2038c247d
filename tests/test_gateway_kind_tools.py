"""Tool calling through provider kinds azure, bedrock, vertex and local: the real `openai`
client runs a tool round trip against govroute, and the kind's fake provider must have
received the tools, the call and the result in its own wire format (Converse's
toolConfig/toolUse/toolResult, Gemini's functionDeclarations/functionCall/
functionResponse, OpenAI's shapes for the OpenAI-compatible kinds), and answered the
call in it. The app and fakes are tests/test_gateway_kinds.py's (`env`, one per kind);
the openai and anthropic kinds run the same round trips in tests/test_gateway_tools.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.serving import tool_turn
from tests.test_gateway_kinds import Env, env, gw

pytestmark = pytest.mark.neo4j

__all__ = ["env", "gw"]  # the fixtures, shared with tests/test_gateway_kinds.py

ASK = "Please use lookup_report to find the quarterly revenue report."
PARAMETERS = {"type": "object", "properties": {"request": {"type": "string"}}}
LOOKUP = {
    "type": "function",
    "function": {
        "name": "lookup_report",
        "description": "Find a report by its title.",
        "parameters": PARAMETERS,
    },
}
FORCED = {"type": "function", "function": {"name": "lookup_report"}}
RESULT = json.dumps({"title": "Q3 revenue", "growth": "4 percent"})


# What each kind's provider must have received: the offer (with the forced choice), then
# the call and its result sent back.
def _offered_converse(seen: dict[str, Any]) -> None:
    config = seen["params"]["toolConfig"]
    spec = {"name": "lookup_report", "description": "Find a report by its title."}
    assert config["tools"] == [{"toolSpec": {**spec, "inputSchema": {"json": PARAMETERS}}}]
    assert config["toolChoice"] == {"tool": {"name": "lookup_report"}}


def _answered_converse(seen: dict[str, Any], call_id: str) -> None:
    call, result = seen["messages"][-2:]
    use = {"toolUseId": call_id, "name": "lookup_report", "input": {"request": ASK}}
    assert call == {"role": "assistant", "content": [{"toolUse": use}]}
    answer = {"toolUseId": call_id, "content": [{"text": RESULT}]}
    assert result == {"role": "user", "content": [{"toolResult": answer}]}


def _offered_gemini(seen: dict[str, Any]) -> None:
    declaration = {
        "name": "lookup_report",
        "description": "Find a report by its title.",
        "parameters": PARAMETERS,
    }
    assert seen["params"]["tools"] == [{"functionDeclarations": [declaration]}]
    assert seen["params"]["toolConfig"] == {
        "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["lookup_report"]}
    }


def _answered_gemini(seen: dict[str, Any], call_id: str) -> None:
    call, result = seen["messages"][-2:]
    made = {"id": call_id, "name": "lookup_report", "args": {"request": ASK}}
    assert call == {"role": "model", "parts": [{"functionCall": made}]}
    response = {"id": call_id, "name": "lookup_report", "response": json.loads(RESULT)}
    assert result == {"role": "user", "parts": [{"functionResponse": response}]}


def _offered_openai(seen: dict[str, Any]) -> None:
    assert seen["params"]["tools"] == [LOOKUP]
    assert seen["params"]["tool_choice"] == FORCED


def _answered_openai(seen: dict[str, Any], call_id: str) -> None:
    call, result = seen["messages"][-2:]
    assert call["tool_calls"][0]["id"] == call_id
    assert json.loads(call["tool_calls"][0]["function"]["arguments"]) == {"request": ASK}
    assert result == {"role": "tool", "tool_call_id": call_id, "content": RESULT}


OFFERED: dict[str, Callable[[dict[str, Any]], None]] = {
    "azure": _offered_openai,
    "bedrock": _offered_converse,
    "vertex": _offered_gemini,
    "local": _offered_openai,
}
ANSWERED: dict[str, Callable[[dict[str, Any], str], None]] = {
    "azure": _answered_openai,
    "bedrock": _answered_converse,
    "vertex": _answered_gemini,
    "local": _answered_openai,
}


def test_when_the_kind_is_offered_a_tool_then_a_round_trip_runs_in_its_own_shapes(
    gw: Env,
) -> None:
    first = gw.client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": ASK}],
        tools=[LOOKUP],  # type: ignore[list-item]
        tool_choice=FORCED,  # type: ignore[arg-type]
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    (call,) = choice.message.tool_calls or []
    assert call.function.name == "lookup_report"  # type: ignore[union-attr]
    assert json.loads(call.function.arguments) == {"request": ASK}  # type: ignore[union-attr]
    assert call.id
    (seen,) = gw.primary.received()
    OFFERED[gw.kind](seen)

    final = gw.client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": ASK}, *tool_turn(call, RESULT)],  # type: ignore[arg-type]
        tools=[LOOKUP],  # type: ignore[list-item]
    )
    assert final.choices[0].finish_reason == "stop"
    assert final.choices[0].message.content == f"Tool result: {RESULT}"
    ANSWERED[gw.kind](gw.primary.received()[-1], call.id)
    assert gw.public.received() == []  # the kind served both turns


def test_when_the_kind_streams_a_tool_call_then_the_client_gets_it_whole(gw: Env) -> None:
    stream = gw.client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": ASK}],
        tools=[LOOKUP],  # type: ignore[list-item]
        stream=True,
    )
    chunks: list[Any] = list(stream)
    pieces = [
        d.tool_calls[0] for d in (c.choices[0].delta for c in chunks if c.choices) if d.tool_calls
    ]
    assert len(pieces) == 1  # held until the finish, then sent whole
    assert pieces[0].function.name == "lookup_report"
    assert json.loads(pieces[0].function.arguments) == {"request": ASK}
    finishes = [
        c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
    ]
    assert finishes == ["tool_calls"]
    (seen,) = gw.primary.received()
    assert seen["stream"]
