"""Tool calling translated for the bedrock and vertex kinds, without a server: OpenAI's
tool parts to Converse and Gemini and their answers and streams back (pure functions of
api/gateway/bedrock_translate.py and gemini_translate.py). The round trips through real
servers are in tests/test_gateway_kind_tools.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from api.gateway.bedrock_translate import ConverseChunks, chat_to_converse, converse_to_completion
from api.gateway.gemini_translate import GeminiChunks, chat_to_gemini, gemini_to_completion
from api.gateway.tool_output import ToolCallBuffer
from api.gateway.translate import Untranslatable

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}}
WEATHER = {
    "type": "function",
    "function": {"name": "get_weather", "description": "Weather by city.", "parameters": SCHEMA},
}
CALLS = [
    {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Köln"}'},
    },
    {
        "id": "call_2",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Bonn"}'},
    },
]
ROUND_TRIP: dict[str, Any] = {
    "model": "m",
    "tools": [WEATHER],
    "tool_choice": "auto",
    "parallel_tool_calls": True,
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Köln and Bonn?"},
        {"role": "assistant", "content": "Looking.", "tool_calls": CALLS},
        {"role": "tool", "tool_call_id": "call_1", "content": '{"temp": 4}'},
        {"role": "tool", "tool_call_id": "call_2", "content": "cloudy"},
        {"role": "user", "content": "And tomorrow?"},
    ],
}


def _whole(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tool calls a stream of chunks carries, put together as the output filter does."""
    buffer = ToolCallBuffer()
    for chunk in chunks:
        for choice in chunk["choices"]:
            buffer.feed(choice["delta"].get("tool_calls"))
    return buffer.whole()


# --------------------------------------------------------------------------- Converse


def test_when_a_tool_round_trip_goes_to_converse_then_it_is_tool_config_use_and_result() -> None:
    body = chat_to_converse(ROUND_TRIP)
    assert body["toolConfig"] == {
        "tools": [
            {
                "toolSpec": {
                    "name": "get_weather",
                    "description": "Weather by city.",
                    "inputSchema": {"json": SCHEMA},
                }
            }
        ],
        "toolChoice": {"auto": {}},
    }
    user, assistant, results = body["messages"]
    assert user == {"role": "user", "content": [{"text": "Weather in Köln and Bonn?"}]}
    assert assistant["content"] == [
        {"text": "Looking."},
        {"toolUse": {"toolUseId": "call_1", "name": "get_weather", "input": {"city": "Köln"}}},
        {"toolUse": {"toolUseId": "call_2", "name": "get_weather", "input": {"city": "Bonn"}}},
    ]
    # both results and the next question are one user turn: Converse alternates roles
    assert results == {
        "role": "user",
        "content": [
            {"toolResult": {"toolUseId": "call_1", "content": [{"text": '{"temp": 4}'}]}},
            {"toolResult": {"toolUseId": "call_2", "content": [{"text": "cloudy"}]}},
            {"text": "And tomorrow?"},
        ],
    }


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("required", {"any": {}}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"tool": {"name": "get_weather"}},
        ),
    ],
)
def test_when_a_tool_is_required_or_named_then_converse_gets_its_tool_choice(
    choice: Any, expected: dict[str, Any]
) -> None:
    question = {
        "model": "m",
        "tools": [WEATHER],
        "tool_choice": choice,
        "messages": ROUND_TRIP["messages"][1:2],
    }
    assert chat_to_converse(question)["toolConfig"]["toolChoice"] == expected


def test_when_no_tool_is_offered_then_converse_gets_none_unless_calls_need_a_config() -> None:
    question = {
        "model": "m",
        "tools": [WEATHER],
        "tool_choice": "none",
        "messages": ROUND_TRIP["messages"][1:2],
    }
    assert "toolConfig" not in chat_to_converse(question)
    with pytest.raises(Untranslatable, match="needs a toolConfig"):
        chat_to_converse({**ROUND_TRIP, "tools": None, "tool_choice": None})


def test_when_converse_answers_with_tool_use_then_the_completion_carries_tool_calls() -> None:
    answer = {
        "output": {
            "message": {
                "role": "assistant",
                "content": [
                    {
                        "toolUse": {
                            "toolUseId": "tooluse_1",
                            "name": "get_weather",
                            "input": {"city": "Köln"},
                        }
                    }
                ],
            }
        },
        "stopReason": "tool_use",
    }
    choice = converse_to_completion(answer, model="m", id_="x")["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] is None
    (call,) = choice["message"]["tool_calls"]
    assert call["id"] == "tooluse_1"
    assert json.loads(call["function"]["arguments"]) == {"city": "Köln"}
    assert "Köln" in call["function"]["arguments"]  # not escaped: the output filter reads it


def test_when_converse_streams_a_tool_use_then_its_pieces_make_one_call() -> None:
    chunks = ConverseChunks("x", "m")
    events = [
        ("messageStart", {"role": "assistant"}),
        ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Let me look."}}),
        ("contentBlockStop", {"contentBlockIndex": 0}),
        (
            "contentBlockStart",
            {
                "contentBlockIndex": 1,
                "start": {"toolUse": {"toolUseId": "t1", "name": "get_weather"}},
            },
        ),
        (
            "contentBlockDelta",
            {"contentBlockIndex": 1, "delta": {"toolUse": {"input": '{"city": '}}},
        ),
        ("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"toolUse": {"input": '"Bonn"}'}}}),
        ("contentBlockStop", {"contentBlockIndex": 1}),
        ("messageStop", {"stopReason": "tool_use"}),
    ]
    out = [chunk for kind, payload in events for chunk in chunks.on_event(kind, payload)]
    texts = [c["choices"][0]["delta"].get("content") for c in out]
    assert "Let me look." in texts
    (call,) = _whole(out)
    assert call["id"] == "t1"
    assert call["function"] == {"name": "get_weather", "arguments": '{"city": "Bonn"}'}
    assert out[-1]["choices"][0]["finish_reason"] == "tool_calls"


# --------------------------------------------------------------------------- Gemini


def test_when_a_tool_round_trip_goes_to_gemini_then_it_is_declarations_calls_and_responses() -> (
    None
):
    body = chat_to_gemini(ROUND_TRIP)
    declaration = {"name": "get_weather", "description": "Weather by city.", "parameters": SCHEMA}
    assert body["tools"] == [{"functionDeclarations": [declaration]}]
    assert body["toolConfig"] == {"functionCallingConfig": {"mode": "AUTO"}}
    user, model, results = body["contents"]
    assert user["role"] == "user"
    assert model == {
        "role": "model",
        "parts": [
            {"text": "Looking."},
            {"functionCall": {"id": "call_1", "name": "get_weather", "args": {"city": "Köln"}}},
            {"functionCall": {"id": "call_2", "name": "get_weather", "args": {"city": "Bonn"}}},
        ],
    }
    # named after the tool their call called; a JSON object as it is, text wrapped
    assert results == {
        "role": "user",
        "parts": [
            {"functionResponse": {"id": "call_1", "name": "get_weather", "response": {"temp": 4}}},
            {
                "functionResponse": {
                    "id": "call_2",
                    "name": "get_weather",
                    "response": {"result": "cloudy"},
                }
            },
            {"text": "And tomorrow?"},
        ],
    }


def test_when_a_function_is_named_then_gemini_may_call_only_it() -> None:
    named = {**ROUND_TRIP, "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}
    config = chat_to_gemini(named)["toolConfig"]["functionCallingConfig"]
    assert config == {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}
    assert chat_to_gemini({**ROUND_TRIP, "tool_choice": "none"})["toolConfig"] == {
        "functionCallingConfig": {"mode": "NONE"}
    }


def test_when_gemini_answers_with_function_calls_then_the_finish_is_tool_calls() -> None:
    answer = {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [
                        {"functionCall": {"name": "get_weather", "args": {"city": "Köln"}}},
                        {
                            "functionCall": {
                                "id": "fc-2",
                                "name": "get_weather",
                                "args": {"city": "Bonn"},
                            }
                        },
                    ],
                },
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "responseId": "r1",
    }
    choice = gemini_to_completion(answer, model="m", fallback_id="f")["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    first, second = choice["message"]["tool_calls"]
    assert first["id"] == "call_r1_0_0"  # Gemini gave none: one made from the response id
    assert second["id"] == "fc-2"
    assert json.loads(first["function"]["arguments"]) == {"city": "Köln"}


def test_when_gemini_streams_a_function_call_then_it_is_one_whole_call_and_tool_calls() -> None:
    chunks = GeminiChunks("r1", "m")
    call = {"functionCall": {"name": "get_weather", "args": {"city": "Bonn"}}}
    out = chunks.on_response(
        {
            "candidates": [
                {"content": {"role": "model", "parts": [call]}, "finishReason": "STOP", "index": 0}
            ]
        }
    )
    (whole,) = _whole(out)
    assert whole["function"] == {"name": "get_weather", "arguments": '{"city": "Bonn"}'}
    assert whole["id"]
    assert out[-1]["choices"][0]["finish_reason"] == "tool_calls"
