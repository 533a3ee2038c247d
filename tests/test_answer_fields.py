"""Provider-controlled fields of an answer: an allow-list, streamed and not.

First on the pure functions (api/gateway/output.py with the reference enterprise's
retail chatbot), then through the real gateway, with the fake upstream adding
hostile fields (its `fields` and `choice_fields` knobs) and streaming values
split by control characters.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from api.gateway.output import ChunkFilter, filter_completion
from tests import test_gateway
from tests.encoding_matrix import answer_filter, inbound
from tests.test_gateway import ANALYST, RETAIL, RETAIL_PROMPT, SUMMARY, Env, streamed

# The gateway test module's fixtures (a real app, Neo4j, fake upstreams), shared.
env = test_gateway.env
gw = test_gateway.gw

CARD = "4111 1111 1111 1111"
HOSTILE_FIELDS: dict[str, Any] = {
    "id": "4111-1111-1111-1111",
    "created": "4111 1111 1111 1111",
    "system_fingerprint": "fp_4111111111111111",
    "service_tier": CARD,
    "x_debug": {"card": CARD},
    "usage": {"completion_tokens": "12", "leak": CARD, "prompt_tokens_details": {"x": CARD}},
}
HOSTILE_CHOICE: dict[str, Any] = {"finish_reason": CARD, "index": CARD, "extra": CARD}


def _digits(value: Any) -> str:
    return "".join(ch for ch in json.dumps(value) if ch.isdigit())


def _hostile_completion() -> dict[str, Any]:
    return {
        **HOSTILE_FIELDS,
        "usage": {"prompt_tokens": 7, "total_tokens": 9, **HOSTILE_FIELDS["usage"]},
        "choices": [
            {"message": {"role": CARD, "content": "Hello.", "tool_calls": [CARD]}, **HOSTILE_CHOICE}
        ],
    }


# --------------------------------------------------------------------------- pure


def test_when_a_completion_carries_hostile_fields_then_only_the_allow_list_reaches_the_caller() -> (
    None
):
    decision = inbound("My card never arrived.")
    body = filter_completion(
        _hostile_completion(), answer_filter(), model_id="m", decision=decision
    ).body
    assert "4111111111111111" not in _digits(body)
    assert set(body) == {"id", "object", "created", "model", "choices", "usage", "govroute"}
    assert body["id"] == "chatcmpl-encoding_matrix"
    assert isinstance(body["created"], int)
    assert body["usage"] == {"prompt_tokens": 7, "total_tokens": 9}
    assert body["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello."},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ]


def test_when_fields_are_clean_then_they_pass_unchanged() -> None:
    decision = inbound("My card never arrived.")
    upstream = {
        "id": "chatcmpl-abc123",
        "created": 1_700_000_000,
        "system_fingerprint": "fp_44709d6fcb",
        "service_tier": "default",
        "usage": {
            "prompt_tokens": 5,
            "completion_tokens": 2,
            "total_tokens": 7,
            "completion_tokens_details": {"reasoning_tokens": 0},
        },
        "choices": [{"index": 0, "message": {"content": "Hi"}, "finish_reason": "length"}],
    }
    body = filter_completion(upstream, answer_filter(), model_id="m", decision=decision).body
    assert body["id"] == "chatcmpl-abc123"
    assert body["created"] == 1_700_000_000
    assert body["system_fingerprint"] == "fp_44709d6fcb"
    assert body["service_tier"] == "default"
    assert body["usage"] == upstream["usage"]
    assert body["choices"][0]["finish_reason"] == "length"


def test_when_a_stream_carries_hostile_fields_then_every_chunk_is_allow_listed() -> None:
    chunks = ChunkFilter(answer_filter(), model_id="m", completion_id="chatcmpl-x")
    upstream = [
        {
            **HOSTILE_FIELDS,
            "choices": [{"delta": {"role": CARD, "content": "Hi"}, **HOSTILE_CHOICE}],
        },
        {**HOSTILE_FIELDS, "choices": []},
    ]
    out = [c for u in upstream for c in chunks.on_chunk(u)] + chunks.finish()
    assert "4111111111111111" not in _digits(out)
    assert all(set(c) <= {"id", "object", "created", "model", "choices", "usage"} for c in out)
    assert not any("usage" in c for c in out)  # nothing in it was a count
    first = out[0]["choices"][0]
    assert first == {
        "index": 0,
        "delta": {"content": "Hi"},
        "finish_reason": "stop",
        "logprobs": None,
    }


# --------------------------------------------------------------------------- gateway


def _post(app: Env, key: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{app.url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json=body,
        timeout=30,
    )


@pytest.mark.neo4j
def test_when_the_provider_adds_hostile_fields_then_the_client_gets_none_of_them(
    gw: Env,
) -> None:
    gw.private.script({"fields": HOSTILE_FIELDS, "choice_fields": HOSTILE_CHOICE, "times": 2})
    message = [{"role": "user", "content": SUMMARY}]
    answer = _post(gw, ANALYST, {"model": "auto", "messages": message})
    assert answer.status_code == 200
    body = answer.json()
    assert "4111111111111111" not in _digits(body)
    assert "x_debug" not in body
    assert "system_fingerprint" not in body
    assert set(body["usage"]) == {"prompt_tokens", "total_tokens"}
    assert body["choices"][0]["finish_reason"] == "stop"

    events = _post(gw, ANALYST, {"model": "auto", "messages": message, "stream": True})
    assert events.status_code == 200
    assert "4111111111111111" not in "".join(ch for ch in events.text if ch.isdigit())
    assert "x_debug" not in events.text
    assert "leak" not in events.text


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("chunks", "hidden"),
    [
        (["Your card is 4111\n", "1111\n11", "11\n1111 ok."], "4111"),
        (["Card 41\x0011\x00", "1111\x1b1111\x7f", "1111, thanks."], "1111"),
        (["Mail jane.doe\x00", "@exam\u200bple\x00.", "com please."], "jane"),
    ],
)
def test_when_a_value_streams_split_with_controls_then_the_client_never_sees_it(
    gw: Env,
    chunks: list[str],
    hidden: str,
) -> None:
    gw.public.script({"chunks": chunks})
    pieces, _ = streamed(
        gw.client(RETAIL), RETAIL_PROMPT, metadata={"govroute_purpose": "customer_service"}
    )
    answer = "".join(pieces)
    assert hidden not in answer.replace("\x00", "")
    assert answer  # a redaction or the block notice, never silence
