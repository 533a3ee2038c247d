"""Provider kinds azure, bedrock, vertex and local without a server: the loader's
fields, the pure translations, and AWS's event-stream framing against botocore's parser.
The end-to-end tests, with real servers and the real openai client, are in
tests/test_gateway_kinds.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer

from api.gateway.bedrock_translate import (
    ConverseChunks,
    chat_to_converse,
    converse_to_completion,
    error_status,
)
from api.gateway.fake_bedrock import event_message, exception_event, stream_event
from api.gateway.gemini_translate import GeminiChunks, chat_to_gemini, gemini_to_completion
from api.gateway.gemini_translate import error_status as gemini_status
from api.gateway.translate import Untranslatable
from engine.errors import InvalidPolicyData
from loaders.bundle import Bundle
from loaders.graph_mapping import from_graph, to_graph
from loaders.rdf_export import document_to_rdf, serialize
from loaders.rdf_import import read_rdf
from loaders.yaml_source import parse_policy_text

CHAT: dict[str, Any] = {
    "model": "m",
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": [{"type": "text", "text": "Hi"}]},
        {"role": "developer", "content": "No lists."},
        {"role": "user", "content": "Summarize"},
    ],
    "max_completion_tokens": 64,
    "temperature": 0.2,
    "top_p": 0.9,
    "stop": "END",
}


def provider_yaml(api: str) -> str:
    return f"providers:\n  - id: p\n    name: P\n    regions: [r]\n    api: {{{api}}}\n"


def problems_of(api: str) -> list[str]:
    with pytest.raises(InvalidPolicyData) as caught:
        parse_policy_text(provider_yaml(api), "p.yaml")
    return [str(p) for p in caught.value.problems]


# ---------------------------------------------------------------- loader


def test_when_an_azure_provider_has_no_api_version_then_the_problem_says_where_and_what() -> None:
    found = problems_of('kind: azure, base_url: "https://x.openai.azure.com", key_env: K')
    assert len(found) == 1
    assert found[0].startswith("p.yaml:line 5: providers[0].api:")
    assert "kind azure needs api_version" in found[0]


def test_when_a_bedrock_provider_has_no_region_then_the_problem_says_so() -> None:
    found = problems_of(
        'kind: bedrock, base_url: "https://bedrock-runtime.eu-central-1.amazonaws.com"'
    )
    assert "providers[0].api" in found[0]
    assert "kind bedrock needs region" in found[0]


def test_when_a_bedrock_provider_names_a_key_env_then_it_is_told_to_use_aws_credentials() -> None:
    found = problems_of(
        'kind: bedrock, region: eu-central-1, base_url: "https://b.example", key_env: K'
    )
    assert "AWS_ACCESS_KEY_ID" in found[0]


def test_when_a_field_of_another_kind_is_given_then_it_is_refused() -> None:
    found = problems_of('kind: openai, base_url: "https://o.example/v1", region: eu-central-1')
    assert "region does not apply to kind openai" in found[0]


def test_when_a_region_is_not_an_aws_region_then_the_field_is_named() -> None:
    found = problems_of('kind: bedrock, region: Frankfurt, base_url: "https://b.example"')
    assert "providers[0].api.region" in found[0]


def new_kinds_bundle() -> Bundle:
    apis = (
        'kind: azure, base_url: "https://x.openai.azure.com", key_env: K, api_version: 2024-10-21',
        'kind: bedrock, base_url: "https://b.example", region: eu-central-1',
        'kind: vertex, base_url: "https://g.example/v1beta", key_env: G, auth: bearer',
        'kind: local, base_url: "http://127.0.0.1:11434/v1"',
    )
    text = "".join(
        provider_yaml(api).replace("id: p", f"id: p{i}").removeprefix("providers:\n")
        for i, api in enumerate(apis)
    )
    world = (
        "regions:\n  - {id: r, name: R, jurisdiction: j}\njurisdictions:\n  - {id: j, name: J}\n"
    )
    return Bundle.from_items(parse_policy_text(world + "providers:\n" + text, "p.yaml"))


def test_when_the_new_kinds_go_to_rdf_and_back_then_the_shapes_accept_them(tmp_path: Path) -> None:
    bundle = new_kinds_bundle()
    path = tmp_path / "policy.ttl"
    path.write_text(serialize(document_to_rdf(bundle.document()), "turtle"), encoding="utf-8")
    assert read_rdf(path).canonical() == bundle.canonical()


def test_when_each_new_kind_is_declared_then_it_loads_and_survives_the_graph() -> None:
    bundle = new_kinds_bundle()
    apis = {p["id"]: p["api"] for p in bundle.canonical()["providers"]}
    assert apis["p0"]["api_version"] == "2024-10-21"
    assert apis["p1"]["region"] == "eu-central-1"
    assert apis["p2"]["auth"] == "bearer"
    assert apis["p3"]["key_env"] is None
    again = Bundle.from_document(from_graph(to_graph(bundle)), "graph")
    assert again.canonical() == bundle.canonical()


# ---------------------------------------------------------------- Gemini


def test_when_a_chat_request_goes_to_gemini_then_roles_system_and_config_are_translated() -> None:
    body = chat_to_gemini(CHAT)
    assert body["systemInstruction"] == {"parts": [{"text": "Be brief."}, {"text": "No lists."}]}
    assert [c["role"] for c in body["contents"]] == ["user", "model", "user"]
    assert body["contents"][1]["parts"] == [{"text": "Hi"}]
    assert body["generationConfig"] == {
        "maxOutputTokens": 64,
        "temperature": 0.2,
        "topP": 0.9,
        "stopSequences": ["END"],
    }
    assert "model" not in body  # the model is in the URL


def test_when_gemini_is_asked_for_json_or_a_schema_then_one_maps_and_one_is_refused() -> None:
    json_mode = chat_to_gemini({**CHAT, "response_format": {"type": "json_object"}})
    assert json_mode["generationConfig"]["responseMimeType"] == "application/json"
    with pytest.raises(Untranslatable, match="json_schema"):
        chat_to_gemini({**CHAT, "response_format": {"type": "json_schema", "json_schema": {}}})
    orphan = {"role": "tool", "tool_call_id": "call_1", "content": "x"}
    with pytest.raises(Untranslatable, match=r"messages\[0\]: a tool result Gemini cannot name"):
        chat_to_gemini({"model": "m", "messages": [orphan]})


def test_when_gemini_answers_then_text_finish_and_usage_are_openai_shaped() -> None:
    answer = {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [
                        {"text": "thinking", "thought": True},
                        {"text": "Hi "},
                        {"text": "there"},
                    ],
                },
                "finishReason": "MAX_TOKENS",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 5,
            "candidatesTokenCount": 2,
            "thoughtsTokenCount": 3,
            "totalTokenCount": 10,
        },
        "modelVersion": "gemini-2.0-flash-001",
        "responseId": "abc",
    }
    completion = gemini_to_completion(answer, model="gemini-2.0-flash", fallback_id="x")
    assert completion["id"] == "abc"
    assert completion["model"] == "gemini-2.0-flash-001"
    assert completion["choices"][0]["message"]["content"] == "Hi there"
    assert completion["choices"][0]["finish_reason"] == "length"
    assert completion["usage"] == {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10}


def test_when_gemini_blocks_the_prompt_then_the_answer_is_finished_by_content_filter() -> None:
    blocked = {
        "promptFeedback": {"blockReason": "SAFETY"},
        "usageMetadata": {"promptTokenCount": 4},
    }
    completion = gemini_to_completion(blocked, model="g", fallback_id="gemini-1")
    assert completion["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": ""},
            "finish_reason": "content_filter",
        }
    ]
    chunks = GeminiChunks(id="g1", model="g").on_response(blocked)
    assert chunks[-1]["choices"][0]["finish_reason"] == "content_filter"


def test_when_gemini_streams_then_chunks_carry_text_then_one_finish_then_the_last_usage() -> None:
    chunks = GeminiChunks(id="fallback", model="g")
    out = []
    for text, finish, used in (("Hel", None, 1), ("lo", "STOP", 2)):
        out += chunks.on_response(
            {
                "candidates": [{"content": {"parts": [{"text": text}]}, "finishReason": finish}],
                "usageMetadata": {
                    "promptTokenCount": 3,
                    "candidatesTokenCount": used,
                    "totalTokenCount": 3 + used,
                },
                "responseId": "r1",
            }
        )
    out += chunks.finish()
    deltas = [c["choices"][0]["delta"] for c in out if c["choices"]]
    assert deltas == [
        {"role": "assistant", "content": ""},
        {"content": "Hel"},
        {"content": "lo"},
        {},
    ]
    assert out[-2]["choices"][0]["finish_reason"] == "stop"
    assert out[-1]["usage"] == {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}
    assert {c["id"] for c in out} == {"r1"}


def test_when_gemini_reports_a_status_then_it_maps_to_the_http_status_retries_read() -> None:
    assert gemini_status({"status": "RESOURCE_EXHAUSTED"}) == 429
    assert gemini_status({"status": "UNAVAILABLE"}) == 503
    assert gemini_status({"code": 400, "status": "INVALID_ARGUMENT"}) == 400
    assert gemini_status("nonsense") == 500


# ---------------------------------------------------------------- Bedrock


def test_when_a_chat_request_goes_to_converse_then_system_blocks_and_config_are_translated() -> (
    None
):
    body = chat_to_converse(CHAT)
    assert body["system"] == [{"text": "Be brief."}, {"text": "No lists."}]
    assert body["messages"] == [
        {"role": "user", "content": [{"text": "Hello"}]},
        {"role": "assistant", "content": [{"text": "Hi"}]},
        {"role": "user", "content": [{"text": "Summarize"}]},
    ]
    assert body["inferenceConfig"] == {
        "maxTokens": 64,
        "temperature": 0.2,
        "topP": 0.9,
        "stopSequences": ["END"],
    }
    with pytest.raises(Untranslatable, match="n > 1"):
        chat_to_converse({**CHAT, "n": 2})


def test_when_converse_answers_then_text_stop_reason_and_usage_are_openai_shaped() -> None:
    answer = {
        "output": {"message": {"role": "assistant", "content": [{"text": "Hi"}, {"text": "!"}]}},
        "stopReason": "guardrail_intervened",
        "usage": {"inputTokens": 7, "outputTokens": 2, "totalTokens": 9},
    }
    completion = converse_to_completion(answer, model="anthropic.claude", id_="bedrock-1")
    assert completion["choices"][0]["message"]["content"] == "Hi!"
    assert completion["choices"][0]["finish_reason"] == "content_filter"
    assert completion["usage"] == {"prompt_tokens": 7, "completion_tokens": 2, "total_tokens": 9}


def test_when_bedrock_names_an_exception_then_its_status_is_the_one_retries_read() -> None:
    assert error_status("ThrottlingException:http://internal.amazon.com/coral/") == 429
    assert error_status("throttlingException") == 429
    assert error_status("serviceUnavailableException") == 503
    assert error_status("ValidationException", 400) == 400
    assert error_status("", 502) == 502


def test_when_events_are_framed_then_botocore_decodes_them_split_anywhere() -> None:
    wire = (
        stream_event("messageStart", {"role": "assistant"})
        + stream_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hé"}})
        + stream_event("messageStop", {"stopReason": "max_tokens"})
        + stream_event("metadata", {"usage": {"inputTokens": 1, "outputTokens": 2}})
        + exception_event("throttlingException", "slow down")
    )
    buffer = EventStreamBuffer()
    decoded = []
    for start in range(0, len(wire), 7):  # a network splits frames anywhere
        buffer.add_data(wire[start : start + 7])
        decoded += list(buffer)
    assert [m.headers.get(":event-type") for m in decoded[:4]] == [
        "messageStart",
        "contentBlockDelta",
        "messageStop",
        "metadata",
    ]
    assert decoded[4].headers[":message-type"] == "exception"
    assert json.loads(decoded[4].payload) == {"message": "slow down"}
    chunks = ConverseChunks(id="b1", model="m")
    out = [
        c
        for m in decoded[:4]
        for c in chunks.on_event(m.headers[":event-type"], json.loads(m.payload))
    ]
    assert out[1]["choices"][0]["delta"] == {"content": "Hé"}
    assert out[2]["choices"][0]["finish_reason"] == "length"
    assert out[3]["usage"] == {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}


def test_when_a_framed_event_is_corrupted_then_botocore_refuses_its_checksum() -> None:
    frame = bytearray(event_message({":event-type": "x"}, b'{"a":1}'))
    frame[-6] ^= 0xFF  # a payload byte
    buffer = EventStreamBuffer()
    buffer.add_data(bytes(frame))
    with pytest.raises(ChecksumMismatch):
        list(buffer)
