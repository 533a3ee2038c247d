"""The Responses API, embeddings and legacy completions end to end, with the real `openai`
client (sync, async, streaming) against govroute, and govroute against fake providers.

The app, the fake upstreams and the fixtures are tests/test_gateway.py's (one app for
this module). What each provider received is read back from the fake upstream, so a
redaction is asserted on what actually left govroute.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import openai
import pytest

from api.gateway.embeddings import MAX_INPUTS
from api.gateway.fake_upstream import fake_vector
from tests import test_gateway as shared
from tests.test_gateway import (
    ANALYST,
    PRIMARY,
    PRIMARY_UPSTREAM,
    SUMMARY,
    SUPPORT,
    SUPPORT_PROMPT,
    THREAT,
    Env,
    attempted,
)

pytestmark = pytest.mark.neo4j

env = shared.env  # the module's app and fake upstreams, as tests/test_gateway.py builds them
gw = shared.gw

EMBEDDER = "nw-bge-m3"  # the EU in-house embeddings model: northwind-private
EMBEDDER_UPSTREAM = "BAAI/bge-m3"
EMBED_FALLBACK = "helio-embed-eu"
DOCS = ["Hotels: at most 150 EUR per night.", "Up to 20 days abroad a year."]
SUPPORT_META = {"govroute_purpose": "support"}


def async_client(gw: Env, key: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{gw.url}/v1", api_key=key, max_retries=0)


def denied_body(exc: pytest.ExceptionInfo[openai.PermissionDeniedError]) -> dict[str, Any]:
    body = exc.value.body
    assert isinstance(body, dict)
    # The code litellm and the SDKs read as a content-policy refusal; govroute's own beside it.
    assert body["code"] == "content_policy_violation"
    assert body["govroute_code"] == "request_denied"
    assert body["decision_id"].startswith("dec_")
    assert exc.value.response.headers["x-govroute-decision-id"] == body["decision_id"]
    return body


# --------------------------------------------------------------------------- responses


def test_when_a_response_is_asked_for_then_the_chat_path_serves_it_as_a_response(
    gw: Env,
) -> None:
    raw = gw.client(ANALYST).responses.with_raw_response.create(
        model="auto",
        instructions="Answer in English.",
        input=SUMMARY,
        max_output_tokens=64,
        temperature=0.2,
    )
    response = raw.parse()
    assert response.status == "completed"
    assert response.output_text == f"You said: {SUMMARY}"
    assert response.model == PRIMARY
    decision_id = raw.headers["x-govroute-decision-id"]
    assert response.id == f"resp_{decision_id.removeprefix('dec_')}"
    assert response.usage is not None
    assert response.usage.output_tokens > 0
    [received] = gw.private.received()
    assert received["model"] == PRIMARY_UPSTREAM
    assert received["messages"] == [
        {"role": "system", "content": "Answer in English."},
        {"role": "user", "content": SUMMARY},
    ]
    assert received["params"] == {
        "max_completion_tokens": 64,
        "temperature": 0.2,
        "stream": False,
    }


def test_when_input_items_and_a_json_schema_come_async_then_both_reach_the_model(
    gw: Env,
) -> None:
    schema = {"type": "object", "properties": {"bullets": {"type": "array"}}}
    # Plain JSON, as an application builds it (the SDK's TypedDicts are not the point).
    items: Any = [
        {"role": "user", "content": [{"type": "input_text", "text": "Hello."}]},
        {"role": "assistant", "content": "Hello, how can I help?"},
        {"role": "user", "content": SUMMARY},
    ]
    text: Any = {"format": {"type": "json_schema", "name": "summary", "schema": schema}}

    async def ask() -> Any:
        async with async_client(gw, ANALYST) as client:
            return await client.responses.create(
                model="auto",
                input=items,
                text=text,
            )

    response = asyncio.run(ask())
    assert response.output_text == f"You said: {SUMMARY}"
    assert response.text.format is not None
    assert response.text.format.type == "json_schema"
    [received] = gw.private.received()
    assert [m["role"] for m in received["messages"]] == ["user", "assistant", "user"]
    assert received["params"]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "summary", "schema": schema},
    }


def test_when_a_response_streams_then_the_events_come_in_the_responses_order(gw: Env) -> None:
    answer = "Revenue grew in every region this quarter. " * 20  # longer than the hold
    gw.private.script({"text": answer})
    stream = gw.client(ANALYST).responses.create(model="auto", input=SUMMARY, stream=True)
    events: list[Any] = list(stream)  # read by `type`, as a caller does
    kinds = [e.type for e in events]
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert len(deltas) > 1
    assert kinds == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * len(deltas),
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert "".join(deltas) == answer
    completed = events[-1].response
    assert completed.output_text == answer
    assert completed.usage is not None
    assert gw.private.received()[0]["stream"] is True


def test_when_the_stream_helper_accumulates_then_its_final_response_is_the_answer(
    gw: Env,
) -> None:
    with gw.client(ANALYST).responses.stream(model="auto", input=SUMMARY) as stream:
        final = stream.get_final_response()
    assert final.output_text == f"You said: {SUMMARY}"
    assert final.status == "completed"


def test_when_a_response_carries_a_customer_name_then_the_model_sees_a_pseudonym(
    gw: Env,
) -> None:
    client = gw.client(SUPPORT)
    response = client.responses.create(model="auto", input=SUPPORT_PROMPT, metadata=SUPPORT_META)
    assert response.output_text == f"You said: {SUPPORT_PROMPT}"  # restored for the caller
    sent = gw.private.received()[0]["messages"][0]["content"]
    assert "Maria Schneider" not in sent
    assert "<PERSON_" in sent
    assert response.model_extra is not None
    assert response.model_extra["govroute"]["outcome"] == "allow_with_redactions"


def test_when_the_answer_holds_an_api_key_then_the_response_is_incomplete_by_policy(
    gw: Env,
) -> None:
    secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
    gw.private.script({"text": f"Sure, use {secret} for that.", "times": 1})
    response = gw.client(ANALYST).responses.create(model="auto", input=SUMMARY)
    assert response.status == "incomplete"
    assert response.incomplete_details is not None
    assert response.incomplete_details.reason == "content_filter"
    assert "redact-credentials-everywhere" in response.output_text
    assert "sk-proj" not in response.output_text

    gw.private.script(
        {"chunks": ["Sure, use sk-pr", "oj-abcdefghijklmno", "pqrstuvwxyz0123456789"]}
    )
    events: list[Any] = list(
        gw.client(ANALYST).responses.create(model="auto", input=SUMMARY, stream=True)
    )
    assert events[-1].type == "response.incomplete"
    assert events[-1].response.incomplete_details.reason == "content_filter"
    assert not any("sk-pr" in getattr(e, "delta", "") for e in events)


def test_when_a_response_is_denied_then_the_client_raises_with_the_decision(gw: Env) -> None:
    with pytest.raises(openai.PermissionDeniedError) as denied:
        gw.client(ANALYST).responses.create(model="auto", input=THREAT)
    assert "deny-prompt-injection" in {r["policy_id"] for r in denied_body(denied)["reasons"]}
    with pytest.raises(openai.PermissionDeniedError):
        gw.client(ANALYST).responses.create(model="auto", input=THREAT, stream=True)
    assert gw.private.received() == gw.public.received() == []


def test_when_a_previous_response_id_is_sent_then_400_says_none_are_kept(gw: Env) -> None:
    with pytest.raises(openai.BadRequestError, match="keeps no responses") as refused:
        gw.client(ANALYST).responses.create(
            model="auto", input=SUMMARY, previous_response_id="resp_123"
        )
    assert isinstance(refused.value.body, dict)
    assert refused.value.body["param"] == "previous_response_id"


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"input": [{"type": "function_call_output", "call_id": "c", "output": "x"}]}, "input[0]"),
        ({"input": [{"role": "user", "content": [{"type": "input_image"}]}]}, "input_image"),
        ({"input": SUMMARY, "text": {"format": {"type": "json_schema"}}}, "text.format"),
        ({"input": SUMMARY, "max_output_tokens": "64"}, "max_output_tokens"),
        ({"input": SUMMARY, "tools": [{"type": "web_search"}]}, "tools"),
        ({"input": SUMMARY, "frobnicate": 1}, "frobnicate"),
    ],
)
def test_when_a_response_request_is_malformed_then_400_names_the_field(
    gw: Env, body: dict[str, Any], names: str
) -> None:
    answer = httpx.post(
        f"{gw.url}/v1/responses",
        json={"model": "auto", **body},
        headers={"Authorization": f"Bearer {ANALYST}"},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert names in error["message"]
    assert error["param"] is not None  # the field at fault, for the client to show


def test_when_a_response_input_is_oversized_or_the_model_unknown_then_413_and_404(
    gw: Env,
) -> None:
    with pytest.raises(openai.APIStatusError) as too_big:
        gw.client(ANALYST).responses.create(model="auto", input="word " * 30_000)
    assert too_big.value.status_code == 413
    with pytest.raises(openai.NotFoundError, match="not a govroute model"):
        gw.client(ANALYST).responses.create(model="gpt-imaginary", input=SUMMARY)


def test_when_a_response_stream_breaks_then_an_error_event_and_failed_end_it(gw: Env) -> None:
    gw.private.script({"text": "one two three four", "break_after": 2})
    events: list[Any] = list(
        gw.client(ANALYST).responses.create(model="auto", input=SUMMARY, stream=True)
    )
    assert [e.type for e in events[-2:]] == ["error", "response.failed"]
    assert events[-2].code == "upstream_stream_broken"
    assert events[-1].response.status == "failed"


# --------------------------------------------------------------------------- embeddings


def test_when_texts_are_embedded_then_the_embeddings_model_gets_them_in_one_batch(
    gw: Env,
) -> None:
    raw = gw.client(ANALYST).embeddings.with_raw_response.create(
        model="auto", input=DOCS, encoding_format="float"
    )
    result = raw.parse()
    assert result.model == EMBEDDER
    assert [d.index for d in result.data] == [0, 1]
    assert [d.embedding for d in result.data] == [fake_vector(t) for t in DOCS]
    assert result.usage.prompt_tokens > 0
    [received] = gw.private.received()
    assert received["model"] == EMBEDDER_UPSTREAM
    assert received["input"] == DOCS
    assert received["params"] == {"encoding_format": "float"}
    decision_id = raw.headers["x-govroute-decision-id"]
    record = gw.recorded(ANALYST, decision_id, attempts=1)
    assert attempted(record) == [(EMBEDDER, "ok", 200)]
    candidates = [record["route"]["primary"], *record["route"]["fallbacks"]]
    assert candidates[0] == EMBEDDER
    assert set(candidates) <= {EMBEDDER, EMBED_FALLBACK}  # only models that embed


def test_when_the_sdk_asks_for_base64_async_then_it_decodes_the_same_vectors(gw: Env) -> None:
    async def embed() -> Any:
        async with async_client(gw, ANALYST) as client:
            return await client.embeddings.create(model="auto", input=DOCS[0])

    result = asyncio.run(embed())  # the openai client asks for base64 by default
    assert gw.private.received()[0]["params"]["encoding_format"] == "base64"
    assert result.data[0].embedding == pytest.approx(fake_vector(DOCS[0]), rel=1e-6)


def test_when_an_input_names_a_customer_then_the_provider_embeds_the_pseudonym(
    gw: Env,
) -> None:
    result = gw.client(SUPPORT).embeddings.create(
        model="auto",
        input=[DOCS[0], SUPPORT_PROMPT],
        encoding_format="float",
        extra_headers={"X-Govroute-Purpose": "support"},
    )
    [received] = gw.private.received()
    assert received["input"][0] == DOCS[0]
    assert "Maria Schneider" not in received["input"][1]
    assert "<PERSON_" in received["input"][1]
    assert result.data[1].embedding == fake_vector(received["input"][1])
    assert result.model_extra is not None
    inputs = result.model_extra["govroute"]["inputs"]
    assert inputs[0]["redactions"] == []
    assert {r["entity_type"] for r in inputs[1]["redactions"]} == {"PERSON"}


def test_when_an_input_is_an_attack_then_no_input_is_embedded(gw: Env) -> None:
    with pytest.raises(openai.PermissionDeniedError) as denied:
        gw.client(ANALYST).embeddings.create(model="auto", input=[DOCS[0], THREAT])
    assert "deny-detected-attack" in {r["policy_id"] for r in denied_body(denied)["reasons"]}
    assert gw.private.received() == gw.public.received() == []


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ([[1, 2, 3]], "token arrays"),
        ([1, 2, 3], "token arrays"),
        ([DOCS[0], "  "], "input[1]"),
        ([], "input"),
        ([DOCS[0], 7], "input"),
    ],
)
def test_when_an_embeddings_input_is_malformed_then_400_names_it(
    gw: Env, value: Any, names: str
) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        gw.client(ANALYST).embeddings.create(model="auto", input=value, encoding_format="float")
    assert isinstance(refused.value.body, dict)
    assert names in refused.value.body["message"]
    assert str(refused.value.body["param"]).startswith("input")
    assert gw.private.received() == []


def test_when_too_many_inputs_or_an_unknown_model_then_413_and_404(gw: Env) -> None:
    with pytest.raises(openai.APIStatusError) as too_many:
        gw.client(ANALYST).embeddings.create(model="auto", input=["x"] * (MAX_INPUTS + 1))
    assert too_many.value.status_code == 413
    with pytest.raises(openai.NotFoundError, match="not a govroute model"):
        gw.client(ANALYST).embeddings.create(model="text-embedding-imaginary", input=DOCS)


def test_when_a_chat_model_is_asked_to_embed_then_an_embeddings_model_does(gw: Env) -> None:
    raw = gw.client(ANALYST).embeddings.with_raw_response.create(
        model=PRIMARY, input=DOCS, encoding_format="float"
    )
    assert raw.parse().model == EMBEDDER
    assert (
        f"requested={PRIMARY} (rejected: lacks capability embeddings"
        in raw.headers["x-govroute-route"]
    )


def test_when_the_embedder_answers_the_wrong_count_then_the_next_one_is_used(gw: Env) -> None:
    gw.private.script({"model": EMBEDDER_UPSTREAM, "fields": {"data": []}})
    raw = gw.client(ANALYST).embeddings.with_raw_response.create(
        model="auto", input=DOCS, encoding_format="float"
    )
    assert raw.parse().model == EMBED_FALLBACK
    record = gw.recorded(ANALYST, raw.headers["x-govroute-decision-id"], attempts=2)
    assert attempted(record) == [(EMBEDDER, "error", None), (EMBED_FALLBACK, "ok", 200)]
    [detail] = [e["detail"] for e in record["provenance"] if e.get("attempt") == 1]
    assert "one embedding for each of the 2 inputs" in detail


# --------------------------------------------------------------------------- completions


def test_when_a_legacy_completion_is_asked_for_then_the_chat_path_answers_it(gw: Env) -> None:
    completion = gw.client(ANALYST).completions.create(model="auto", prompt=SUMMARY, stop=["\n"])
    assert completion.object == "text_completion"
    assert completion.model == PRIMARY
    assert completion.choices[0].text == f"You said: {SUMMARY}"
    assert completion.choices[0].finish_reason == "stop"
    [received] = gw.private.received()
    assert received["messages"] == [{"role": "user", "content": SUMMARY}]
    assert received["params"] == {"stop": ["\n"], "max_tokens": 16, "stream": False}


def test_when_several_prompts_come_then_each_is_decided_and_numbered(gw: Env) -> None:
    prompts = [SUMMARY, "Summarize the travel policy in one sentence."]
    raw = gw.client(ANALYST).completions.with_raw_response.create(
        model="auto", prompt=prompts, n=1, max_tokens=32
    )
    completion = raw.parse()
    assert [(c.index, c.text) for c in completion.choices] == [
        (0, f"You said: {prompts[0]}"),
        (1, f"You said: {prompts[1]}"),
    ]
    ids = raw.headers["x-govroute-decision-id"].split(",")
    assert len(set(ids)) == 2
    assert [m["messages"][0]["content"] for m in gw.private.received()] == prompts


def test_when_a_completion_streams_async_then_the_text_arrives_in_pieces(gw: Env) -> None:
    async def stream() -> list[Any]:
        async with async_client(gw, ANALYST) as client:
            chunks = await client.completions.create(
                model="auto", prompt=SUMMARY, stream=True, stream_options={"include_usage": True}
            )
            return [chunk async for chunk in chunks]

    chunks = asyncio.run(stream())
    assert "".join(c.choices[0].text for c in chunks if c.choices) == f"You said: {SUMMARY}"
    assert {c.object for c in chunks} == {"text_completion"}
    assert chunks[-1].usage is not None


def test_when_a_completion_prompt_names_a_customer_then_the_model_sees_a_pseudonym(
    gw: Env,
) -> None:
    stream = gw.client(SUPPORT).completions.create(
        model="auto",
        prompt=SUPPORT_PROMPT,
        max_tokens=64,
        stream=True,
        extra_headers={"X-Govroute-Purpose": "support"},
    )
    text = "".join(c.choices[0].text for c in stream if c.choices)
    assert text == f"You said: {SUPPORT_PROMPT}"
    sent = gw.private.received()[0]["messages"][0]["content"]
    assert "Maria Schneider" not in sent
    assert "<PERSON_" in sent


def test_when_a_completion_is_denied_then_the_client_raises_with_the_decision(gw: Env) -> None:
    with pytest.raises(openai.PermissionDeniedError) as denied:
        gw.client(ANALYST).completions.create(model="auto", prompt=THREAT)
    denied_body(denied)
    assert gw.private.received() == gw.public.received() == []


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"prompt": [[1, 2, 3]]}, "token arrays"),
        ({"prompt": SUMMARY, "echo": True}, "echo"),
        ({"prompt": SUMMARY, "best_of": 3}, "best_of"),
        ({"prompt": [SUMMARY, SUMMARY], "stream": True}, "one prompt"),
        ({"prompt": SUMMARY, "max_tokens": 0}, "max_tokens"),
    ],
)
def test_when_a_completion_request_is_malformed_then_400_names_the_field(
    gw: Env, body: dict[str, Any], names: str
) -> None:
    answer = httpx.post(
        f"{gw.url}/v1/completions",
        json={"model": "auto", **body},
        headers={"Authorization": f"Bearer {ANALYST}"},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert names in error["message"]
    assert error["param"] is not None  # the field at fault, for the client to show


def test_when_a_completion_is_oversized_or_the_model_unknown_then_413_and_404(gw: Env) -> None:
    with pytest.raises(openai.APIStatusError) as too_big:
        gw.client(ANALYST).completions.create(model="auto", prompt="word " * 30_000)
    assert too_big.value.status_code == 413
    with pytest.raises(openai.NotFoundError, match="not a govroute model"):
        gw.client(ANALYST).completions.create(model="davinci-imaginary", prompt=SUMMARY)


def test_when_formats_are_served_then_the_openapi_document_lists_them(gw: Env) -> None:
    paths = httpx.get(f"{gw.url}/openapi.json").json()["paths"]
    assert {"/v1/responses", "/v1/embeddings", "/v1/completions"} <= paths.keys()
