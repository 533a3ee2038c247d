"""OpenAI chat <-> Anthropic Messages translation (api/gateway/translate.py), both ways:
fixed cases for each rule, round trips, and property tests on random valid messages."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from api.gateway.anthropic_schemas import MessagesRequest
from api.gateway.translate import (
    ChunksToEvents,
    EventsToChunks,
    Untranslatable,
    anthropic_error,
    chat_to_messages,
    completion_to_message,
    message_to_completion,
    messages_to_chat,
)
from engine.errors import InvalidRequest

# --------------------------------------------------------------------------- strategies

texts = st.text(min_size=1, max_size=40)
blocks = st.lists(st.builds(lambda t: {"type": "text", "text": t}, texts), min_size=1, max_size=3)
contents = st.one_of(texts, blocks)
anthropic_messages = st.lists(
    st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]), "content": contents}),
    min_size=1,
    max_size=6,
)


@st.composite
def anthropic_requests(draw: st.DrawFn) -> dict[str, Any]:
    request: dict[str, Any] = {
        "model": draw(st.sampled_from(["auto", "nw-llama-3.1-70b"])),
        "messages": draw(anthropic_messages),
        "max_tokens": draw(st.integers(min_value=1, max_value=8192)),
    }
    system = draw(st.one_of(st.none(), contents))
    if system is not None:
        request["system"] = system
    stops = draw(st.lists(texts, max_size=4))
    if stops:
        request["stop_sequences"] = stops
    for name in ("temperature", "top_p"):
        value = draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1)))
        if value is not None:
            request[name] = value
    if draw(st.booleans()):
        request["stream"] = True
    return request


def text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(part["text"] for part in content)


# --------------------------------------------------------------------------- requests


@given(anthropic_requests())
def test_when_an_anthropic_request_goes_to_openai_and_back_then_it_is_unchanged(
    request: dict[str, Any],
) -> None:
    back = chat_to_messages(messages_to_chat(request))
    assert back == request


@given(anthropic_requests())
def test_when_an_anthropic_request_is_validated_then_its_chat_form_keeps_every_turn(
    request: dict[str, Any],
) -> None:
    chat = MessagesRequest.model_validate(request).to_chat()
    turns = [(m.role, m.text()) for m in chat.messages]
    expected = [("system", text_of(request["system"]))] if request.get("system") else []
    expected += [(m["role"], text_of(m["content"])) for m in request["messages"]]
    assert turns == expected
    assert chat.max_tokens == request["max_tokens"]
    assert chat.stop == request.get("stop_sequences")


openai_messages = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["system", "developer", "user", "assistant"]), "content": contents}
    ),
    min_size=1,
    max_size=6,
).filter(lambda ms: any(m["role"] in ("user", "assistant") for m in ms))


@given(openai_messages, st.one_of(st.none(), texts, st.lists(texts, min_size=1, max_size=4)))
def test_when_an_openai_request_goes_to_anthropic_and_back_then_every_text_is_kept_in_order(
    messages: list[dict[str, Any]], stop: str | list[str] | None
) -> None:
    request: dict[str, Any] = {"model": "m", "messages": messages, "max_tokens": 50}
    if stop is not None:
        request["stop"] = stop
    back = messages_to_chat(chat_to_messages(request))
    # System and developer turns gather in front (Anthropic has one system prompt);
    # the conversation keeps its order and its texts.
    systems = [text_of(m["content"]) for m in messages if m["role"] in ("system", "developer")]
    turns = [
        (m["role"], text_of(m["content"])) for m in messages if m["role"] in ("user", "assistant")
    ]
    got_turns = [
        (m["role"], text_of(m["content"])) for m in back["messages"] if m["role"] != "system"
    ]
    assert got_turns == turns
    if systems:
        assert back["messages"][0]["role"] == "system"
        assert text_of(back["messages"][0]["content"]) == "\n".join(systems)
    assert back["max_tokens"] == 50
    assert back.get("stop") == ([stop] if isinstance(stop, str) else stop)


def test_when_openai_asks_for_what_anthropic_cannot_do_then_untranslatable_says_which() -> None:
    base = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    with pytest.raises(Untranslatable, match="n > 1"):
        chat_to_messages({**base, "n": 2})
    with pytest.raises(Untranslatable, match="response_format"):
        chat_to_messages({**base, "response_format": {"type": "json_object"}})
    with pytest.raises(Untranslatable, match="at least one user"):
        chat_to_messages({"model": "m", "messages": [{"role": "system", "content": "s"}]})


def test_when_no_max_tokens_is_given_then_anthropic_gets_the_completion_limit_or_1024() -> None:
    base = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    assert chat_to_messages(base)["max_tokens"] == 1024
    assert (
        chat_to_messages({**base, "max_tokens": 7, "max_completion_tokens": 9})["max_tokens"] == 9
    )


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        # a server tool runs where govroute cannot see: only custom tools are accepted
        ({"tools": [{"type": "web_search_20250305", "name": "web_search"}]}, r"tools\.0"),
        ({"top_k": 5}, "'top_k' is not supported"),
        ({"thinking": {"type": "enabled", "budget_tokens": 1024}}, "'thinking'"),
        ({"temperature": 1.5}, "temperature"),
        ({"stop_sequences": ["a", "b", "c", "d", "e"]}, "stop_sequences"),
    ],
)
def test_when_a_messages_request_asks_for_the_unsupported_then_400_says_what(
    extra: dict[str, Any], words: str
) -> None:
    base = {"model": "auto", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    with pytest.raises(ValueError, match=words):
        MessagesRequest.model_validate({**base, **extra})


def test_when_a_message_carries_an_image_then_it_is_refused_naming_the_block() -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AA"}}
    request = {
        "model": "auto",
        "max_tokens": 10,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "look"}, image]}],
    }
    with pytest.raises(ValueError, match=r"content\[1\]: 'image' blocks are not supported"):
        MessagesRequest.model_validate(request)


def test_when_a_block_type_is_not_a_string_then_validation_says_so_instead_of_crashing() -> None:
    # Found by the OpenAPI fuzz: an object as a block's type reached a dict lookup (a 500).
    request = {
        "model": "auto",
        "max_tokens": 10,
        "messages": [{"role": "assistant", "content": [{"type": {"x": 1}, "text": "t"}]}],
    }
    with pytest.raises(ValidationError, match=r"messages\.0\.content"):
        MessagesRequest.model_validate(request)


def test_when_metadata_carries_govroute_keys_then_they_reach_the_context_and_user_id_does_not() -> (
    None
):
    request = MessagesRequest.model_validate(
        {
            "model": "auto",
            "max_tokens": 10,
            "messages": [{"role": "user", "content": "hi"}],
            "metadata": {"user_id": "u-1", "govroute_purpose": "support"},
        }
    )
    assert request.to_chat().metadata == {"govroute_purpose": "support"}


def test_when_the_system_prompt_makes_too_many_chat_messages_then_invalid_request_says_so() -> None:
    request = MessagesRequest.model_validate(
        {
            "model": "auto",
            "max_tokens": 10,
            "system": "be brief",
            "messages": [{"role": "user", "content": "x"}] * 1024,
        }
    )
    with pytest.raises(InvalidRequest, match="messages: List should have at most 1024"):
        request.to_chat()


# --------------------------------------------------------------------------- answers


@given(
    st.text(max_size=200), st.sampled_from(["end_turn", "max_tokens", "refusal", "stop_sequence"])
)
def test_when_an_anthropic_answer_goes_through_openai_then_text_reason_and_usage_survive(
    text: str, stop_reason: str
) -> None:
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude",
        "content": [{"type": "text", "text": text}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 3},
    }
    completion = message_to_completion(message)
    assert completion["usage"] == {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}
    back = completion_to_message(completion)
    assert back["content"] == ([{"type": "text", "text": text}] if text else [])
    assert back["usage"] == message["usage"]
    assert back["id"] == "msg_1"
    # stop_sequence is OpenAI's "stop" too; OpenAI does not say which sequence matched
    assert back["stop_reason"] == ("end_turn" if stop_reason == "stop_sequence" else stop_reason)


def test_when_a_filtered_completion_becomes_a_message_then_the_govroute_record_stays() -> None:
    completion = {
        "id": "chatcmpl-dec_1",
        "model": "nw-llama-3.1-70b",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "[blocked]"},
                "finish_reason": "content_filter",
            }
        ],
        "govroute": {"decision_id": "dec_1"},
    }
    message = completion_to_message(completion)
    assert message["id"] == "msg_dec_1"
    assert message["stop_reason"] == "refusal"
    assert message["govroute"] == {"decision_id": "dec_1"}
    assert message["usage"] == {"input_tokens": 0, "output_tokens": 0}


# --------------------------------------------------------------------------- streams


def openai_chunks(pieces: list[str]) -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-x",
            "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    usage = {
        "id": "chatcmpl-x",
        "model": "m",
        "choices": [],
        "usage": {
            "prompt_tokens": 4,
            "completion_tokens": len(pieces),
            "total_tokens": 4 + len(pieces),
        },
    }
    return [
        chunk({"role": "assistant", "content": ""}),
        *(chunk({"content": p}) for p in pieces),
        chunk({}, "stop"),
        usage,
    ]


@given(st.lists(st.text(min_size=1, max_size=10), max_size=8))
def test_when_openai_chunks_become_anthropic_events_and_back_then_the_text_and_usage_survive(
    pieces: list[str],
) -> None:
    events = ChunksToEvents(model="m")
    sequence = [e for c in openai_chunks(pieces) for e in events.on_chunk(c)] + events.finish()
    names = [name for name, _ in sequence]
    assert names == [
        "message_start",
        "content_block_start",
        "ping",
        *["content_block_delta"] * len(pieces),
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert sequence[-2][1]["usage"] == {"input_tokens": 4, "output_tokens": len(pieces)}
    assert sequence[-2][1]["delta"]["stop_reason"] == "end_turn"

    back = EventsToChunks()
    chunks = [c for _, data in sequence for c in back.on_event(data)]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "".join(pieces)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]][-1] == "stop"
    assert chunks[-1]["usage"] == {
        "prompt_tokens": 4,
        "completion_tokens": len(pieces),
        "total_tokens": 4 + len(pieces),
    }


def test_when_the_gateway_stream_breaks_then_the_caller_gets_an_anthropic_error_event() -> None:
    events = ChunksToEvents(model="m")
    events.on_chunk(openai_chunks(["a"])[1])
    broken = {
        "error": {
            "message": "the model's stream broke",
            "type": "upstream_error",
            "code": "upstream_stream_broken",
            "decision_id": "dec_1",
        }
    }
    assert events.on_chunk(broken) == [
        (
            "error",
            {
                "type": "error",
                "error": {
                    "message": "the model's stream broke",
                    "type": "api_error",
                    "code": "upstream_stream_broken",
                    "decision_id": "dec_1",
                    "details": {"error_code": "upstream_stream_broken"},
                },
            },
        )
    ]
    assert events.finish() == []  # nothing follows an error event


def test_when_an_error_body_goes_anthropic_then_the_type_follows_the_status() -> None:
    body = {"error": {"message": "no", "type": "permission_error", "code": "request_denied"}}
    assert anthropic_error(body, 403)["error"]["type"] == "permission_error"
    assert anthropic_error(body, 502)["error"]["type"] == "api_error"
    assert anthropic_error(body, 529)["error"]["type"] == "overloaded_error"
    assert anthropic_error(body, 403)["type"] == "error"
