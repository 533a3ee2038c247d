"""What reads a request's JSON before its schema does: never a crash, an error naming
the caller's field. Pure: the schemas and the rate limiter's estimate, no server.

Each case was found by reading those paths for the tool fuzz (tests/test_gateway_tool_fuzz.py):
an error message that repr()'d a raw value (a container nested too deep for repr, or a
string of megabytes), a lone surrogate reported under the chat translation's field
name instead of the caller's, and tool payloads that cost no tokens against a budget.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from api.gateway.anthropic_schemas import MessagesRequest
from api.gateway.responses_schemas import ResponsesRequest
from api.gateway.schemas import ChatCompletionRequest
from api.ratelimit import DEFAULT_OUTPUT_TOKENS, estimate_request_tokens
from api.schemas import describe, surrogate_in
from engine.errors import InvalidRequest


def deep(depth: int) -> Any:
    """A list nested `depth` levels deep: deeper than repr() can go."""
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


TOO_DEEP = deep(100_000)
USER = {"role": "user", "content": "Where is order 4711?"}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"model": "a", "input": [{"type": TOO_DEEP}]}, "input[0]"),
        (
            {"model": "a", "input": [{"role": "user", "content": [{"type": TOO_DEEP}]}]},
            "input[0].content[0]",
        ),
        ({"model": "a", "input": "x", "tools": [{"type": TOO_DEEP}]}, "tools[0]"),
        ({"model": "a", "input": "x", "tool_choice": {"type": TOO_DEEP}}, "tool_choice"),
    ],
    ids=["item-type", "part-type", "tool-type", "choice-type"],
)
def test_when_a_responses_type_is_nested_too_deep_to_print_then_the_400_names_its_field(
    body: dict[str, Any], named: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        ResponsesRequest.model_validate(body)
    assert str(caught.value).startswith(f"{named}: ")
    assert "an array" in str(caught.value)


def test_when_a_chat_part_type_is_nested_too_deep_to_print_then_validation_says_so() -> None:
    body = {"model": "a", "messages": [{"role": "user", "content": [{"type": TOO_DEEP}]}]}
    with pytest.raises(ValidationError) as caught:
        ChatCompletionRequest.model_validate(body)
    assert "content parts of type an array are not supported" in str(caught.value)


def test_when_an_item_type_is_megabytes_long_then_the_error_quotes_only_its_start() -> None:
    with pytest.raises(InvalidRequest) as caught:
        ResponsesRequest.model_validate({"model": "a", "input": [{"type": "A" * 300_000}]})
    assert len(str(caught.value)) < 400
    assert "(300000 characters)" in str(caught.value)


def test_when_a_function_output_holds_a_lone_surrogate_then_the_400_names_the_responses_field() -> (
    None
):
    body = {
        "model": "a",
        "input": [
            USER,
            {"type": "function_call", "call_id": "c1", "name": "lookup", "arguments": "{}"},
            {
                "type": "function_call_output",
                "call_id": "c1",
                "output": [{"type": "input_text", "text": "ok \udc00"}],
            },
        ],
    }
    with pytest.raises(InvalidRequest) as caught:
        ResponsesRequest.model_validate(body)
    # Before: "messages[2].content: ..." (the chat translation's field)
    assert caught.value.field == "input[2].output[0].text"
    assert str(caught.value) == (
        "input[2].output[0].text holds an unpaired UTF-16 surrogate at character 3"
    )


def test_when_a_tool_result_block_holds_a_lone_surrogate_then_the_error_names_the_block() -> None:
    body = {
        "model": "a",
        "max_tokens": 10,
        "messages": [
            USER,
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t1", "name": "lookup", "input": {}}],
            },
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "here"},
                    {"type": "tool_result", "tool_use_id": "t1", "content": "\ud800"},
                ],
            },
        ],
    }
    with pytest.raises(ValidationError) as caught:
        MessagesRequest.model_validate(body)
    assert "messages[2].content[1].content holds an unpaired UTF-16 surrogate" in str(caught.value)


def test_when_a_surrogate_is_looked_for_in_a_deep_value_then_the_walk_does_not_recurse() -> None:
    value = json.loads("[" * 900 + '"\\ud800"' + "]" * 900)
    found = surrogate_in(value, "tools")
    assert found is not None
    assert found[0] == "tools" + "[0]" * 900
    assert surrogate_in(deep(100_000), "tools") is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("lookup", "'lookup'"),
        (None, "null"),
        (True, "true"),
        (7, "7"),
        (10**60, "a number of 61 digits"),
        ({"a": 1}, "an object"),
        (TOO_DEEP, "an array"),
    ],
)
def test_when_a_raw_value_is_described_then_it_is_short(value: Any, shown: str) -> None:
    assert describe(value) == shown


RESULT = "r" * 40_000


@pytest.mark.parametrize(
    "body",
    [
        {
            "messages": [
                USER,
                {
                    "role": "assistant",
                    "content": [
                        {"type": "tool_use", "id": "t1", "name": "lookup", "input": {"q": RESULT}}
                    ],
                },
            ],
        },
        {
            "messages": [
                USER,
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": "t1",
                            "content": [{"type": "text", "text": RESULT}],
                        }
                    ],
                },
            ]
        },
        {"input": [USER, {"type": "function_call_output", "call_id": "c1", "output": RESULT}]},
        {"input": [USER, {"type": "function_call", "call_id": "c1", "arguments": RESULT}]},
        {
            "messages": [
                USER,
                {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "c1",
                            "type": "function",
                            "function": {"name": "x", "arguments": RESULT},
                        }
                    ],
                },
            ]
        },
        {
            "messages": [USER],
            "tools": [{"type": "function", "function": {"name": "lookup", "description": RESULT}}],
        },
    ],
    ids=[
        "anthropic-tool-use",
        "anthropic-tool-result",
        "responses-output",
        "responses-arguments",
        "chat-arguments",
        "tool-definition",
    ],
)
def test_when_tool_parts_carry_text_then_the_token_estimate_counts_it(body: Any) -> None:
    # Before: tool payloads cost nothing against a token budget.
    assert estimate_request_tokens(body) >= len(RESULT) // 4 + DEFAULT_OUTPUT_TOKENS


def test_when_tool_parts_are_nested_too_deep_to_recurse_then_the_estimate_still_answers() -> None:
    body = {
        "messages": [USER],
        "tools": TOO_DEEP,
        "input": [{"type": "function_call_output", "output": TOO_DEEP}],
    }
    assert estimate_request_tokens(body) == 5 + 1 + DEFAULT_OUTPUT_TOKENS  # "Where..." + "x"
