"""The SDK clients of the matrix, each a small adapter per format it speaks.

Each adapter calls govroute the way an application would with that library, and
reads back what the library lets it see: the answer, and the decision id (a
response header or the body's ``govroute`` field). A denial must surface as the
library's own content-policy error. A new client is one `Client` in `CLIENTS`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anthropic
import httpx
import openai

from tests.matrix_cells import Calls, Client, Format, Reply, Target
from tests.matrix_curl import CURL

# litellm fetches its model price list at import unless told to use the bundled one.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
import litellm
from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI, OpenAI, OpenAIEmbeddings
from litellm.exceptions import ContentPolicyViolationError
from pydantic import SecretStr

DECISION = "x-govroute-decision-id"
MAX_TOKENS = 64
NO_MESSAGES = "the openai SDK has no client for Anthropic's Messages API"
ONLY_MESSAGES = "the anthropic SDK speaks only Anthropic's Messages API"


# --------------------------------------------------------------------------- openai


def _openai(t: Target) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{t.url}/v1", api_key=t.key, max_retries=0)


def openai_refusal(exc: BaseException) -> str:
    """OpenAI's content-policy shape: ``code: content_policy_violation`` (HTTP 403)."""
    assert isinstance(exc, openai.PermissionDeniedError), repr(exc)
    body = exc.body
    assert isinstance(body, dict), body
    assert body["code"] == "content_policy_violation", body
    assert exc.response.headers[DECISION] == body["decision_id"]
    return str(body["decision_id"])


def _openai_chat(t: Target) -> Reply:
    with _openai(t) as client:
        raw = client.chat.completions.with_raw_response.create(
            model=t.model, messages=[{"role": "user", "content": t.prompt}], max_tokens=MAX_TOKENS
        )
        completion = raw.parse()
    return Reply(raw.headers[DECISION], completion.choices[0].message.content or "")


def _openai_chat_stream(t: Target) -> Reply:
    with _openai(t) as client:
        raw = client.chat.completions.with_raw_response.create(
            model=t.model, messages=[{"role": "user", "content": t.prompt}], stream=True
        )
        pieces = [c.choices[0].delta.content or "" for c in raw.parse() if c.choices]
    return Reply(raw.headers[DECISION], "".join(pieces))


def _openai_responses(t: Target) -> Reply:
    with _openai(t) as client:
        raw = client.responses.with_raw_response.create(model=t.model, input=t.prompt)
        response = raw.parse()
    assert response.id == f"resp_{raw.headers[DECISION].removeprefix('dec_')}"
    return Reply(raw.headers[DECISION], response.output_text)


def _openai_responses_stream(t: Target) -> Reply:
    with _openai(t) as client:
        raw = client.responses.with_raw_response.create(model=t.model, input=t.prompt, stream=True)
        events = list(raw.parse())
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert events[-1].type == "response.completed", events[-1]
    return Reply(raw.headers[DECISION], "".join(deltas))


def _openai_embeddings(t: Target) -> Reply:
    with _openai(t) as client:
        raw = client.embeddings.with_raw_response.create(
            model=t.model, input=[t.prompt], encoding_format="float"
        )
        result = raw.parse()
    return Reply(raw.headers[DECISION], vectors=tuple(tuple(d.embedding) for d in result.data))


def _openai_completions(t: Target) -> Reply:
    with _openai(t) as client:
        raw = client.completions.with_raw_response.create(
            model=t.model, prompt=t.prompt, max_tokens=MAX_TOKENS
        )
        completion = raw.parse()
    return Reply(raw.headers[DECISION], completion.choices[0].text)


def _openai_completions_stream(t: Target) -> Reply:
    with _openai(t) as client:
        raw = client.completions.with_raw_response.create(
            model=t.model, prompt=t.prompt, max_tokens=MAX_TOKENS, stream=True
        )
        pieces = [c.choices[0].text for c in raw.parse() if c.choices]
    return Reply(raw.headers[DECISION], "".join(pieces))


def _openai_calls(ask: Any, stream: Any) -> Calls:
    return Calls(ask, stream, openai.PermissionDeniedError, openai_refusal)


OPENAI = Client(
    "openai",
    {
        Format.CHAT: _openai_calls(_openai_chat, _openai_chat_stream),
        Format.RESPONSES: _openai_calls(_openai_responses, _openai_responses_stream),
        Format.MESSAGES: NO_MESSAGES,
        Format.EMBEDDINGS: _openai_calls(_openai_embeddings, None),
        Format.COMPLETIONS: _openai_calls(_openai_completions, _openai_completions_stream),
    },
    note="chat.completions, responses, embeddings, completions (with_raw_response for headers)",
)


# --------------------------------------------------------------------------- anthropic


def _anthropic(t: Target) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=t.url, api_key=t.key, max_retries=0)


def anthropic_refusal(exc: BaseException) -> str:
    """Anthropic's shape: a ``permission_error`` whose details say ``request_denied``."""
    assert isinstance(exc, anthropic.PermissionDeniedError), repr(exc)
    body = exc.body
    assert isinstance(body, dict), body
    error = body["error"]
    assert error["type"] == "permission_error", body
    assert error["details"]["error_code"] == "request_denied", body
    assert exc.request_id == error["decision_id"]
    return str(error["decision_id"])


def _anthropic_messages(t: Target) -> Reply:
    with _anthropic(t) as client:
        raw = client.messages.with_raw_response.create(
            model=t.model, max_tokens=MAX_TOKENS, messages=[{"role": "user", "content": t.prompt}]
        )
        message = raw.parse()
    text = "".join(b.text for b in message.content if b.type == "text")
    return Reply(raw.headers[DECISION], text)


def _anthropic_messages_stream(t: Target) -> Reply:
    with (
        _anthropic(t) as client,
        client.messages.stream(
            model=t.model, max_tokens=MAX_TOKENS, messages=[{"role": "user", "content": t.prompt}]
        ) as stream,
    ):
        text = "".join(stream.text_stream)
        decision_id = stream.response.headers[DECISION]
    return Reply(decision_id, text)


ANTHROPIC = Client(
    "anthropic",
    {
        Format.CHAT: ONLY_MESSAGES,
        Format.RESPONSES: ONLY_MESSAGES,
        Format.MESSAGES: Calls(
            _anthropic_messages,
            _anthropic_messages_stream,
            anthropic.PermissionDeniedError,
            anthropic_refusal,
        ),
        Format.EMBEDDINGS: ONLY_MESSAGES,
        Format.COMPLETIONS: ONLY_MESSAGES,
    },
    note="messages.create (with_raw_response for headers), messages.stream",
)


# --------------------------------------------------------------------------- langchain


@contextmanager
def _seen_headers() -> Iterator[tuple[httpx.Client, list[httpx.Headers]]]:
    """An httpx client that remembers each response's headers, as an application
    logging decision ids would give langchain (its embeddings and LLM hide them)."""
    seen: list[httpx.Headers] = []
    with httpx.Client(event_hooks={"response": [lambda r: seen.append(r.headers)]}) as http:
        yield http, seen


def _chat_openai(t: Target, http: httpx.Client, **kwargs: Any) -> ChatOpenAI:
    return ChatOpenAI(
        model=t.model,
        base_url=f"{t.url}/v1",
        api_key=SecretStr(t.key),
        max_retries=0,
        http_client=http,
        max_completion_tokens=MAX_TOKENS,
        **kwargs,
    )


def _langchain_chat(responses: bool) -> Calls:
    def ask(t: Target) -> Reply:
        with _seen_headers() as (http, seen):
            message = _chat_openai(t, http, use_responses_api=responses).invoke(t.prompt)
        return Reply(seen[-1][DECISION], message.text)

    def stream(t: Target) -> Reply:
        with _seen_headers() as (http, seen):
            chunks = list(_chat_openai(t, http, use_responses_api=responses).stream(t.prompt))
        return Reply(seen[-1][DECISION], "".join(c.text for c in chunks))

    return Calls(ask, stream, openai.PermissionDeniedError, openai_refusal)


def _langchain_embeddings(t: Target) -> Reply:
    with _seen_headers() as (http, seen):
        embedder = OpenAIEmbeddings(
            model=t.model,
            base_url=f"{t.url}/v1",
            api_key=SecretStr(t.key),
            max_retries=0,
            http_client=http,
            # Send the texts, not tiktoken ids: govroute decides on text, and a model
            # name it does not know would make langchain guess an encoding.
            check_embedding_ctx_length=False,
        )
        vectors = embedder.embed_documents([t.prompt])
    return Reply(seen[-1][DECISION], vectors=tuple(tuple(v) for v in vectors))


def _legacy_llm(t: Target, http: httpx.Client) -> OpenAI:
    return OpenAI(
        model=t.model,
        base_url=f"{t.url}/v1",
        api_key=SecretStr(t.key),
        max_retries=0,
        http_client=http,
        max_tokens=MAX_TOKENS,
    )


def _langchain_completions(t: Target) -> Reply:
    with _seen_headers() as (http, seen):
        text = _legacy_llm(t, http).invoke(t.prompt)
    return Reply(seen[-1][DECISION], text)


def _langchain_completions_stream(t: Target) -> Reply:
    with _seen_headers() as (http, seen):
        text = "".join(_legacy_llm(t, http).stream(t.prompt))
    return Reply(seen[-1][DECISION], text)


def _chat_anthropic(t: Target) -> ChatAnthropic:
    return ChatAnthropic(  # type: ignore[call-arg]
        model=t.model,
        base_url=t.url,
        api_key=SecretStr(t.key),
        max_retries=0,
        max_tokens=MAX_TOKENS,
    )


def _langchain_messages(t: Target) -> Reply:
    message = _chat_anthropic(t).invoke(t.prompt)
    # langchain-anthropic keeps the message's extra fields, govroute's among them.
    return Reply(message.response_metadata["govroute"]["decision_id"], message.text)


def _langchain_messages_stream(t: Target) -> Reply:
    chunks = list(_chat_anthropic(t).stream(t.prompt))
    return Reply(None, "".join(c.text for c in chunks))


LANGCHAIN = Client(
    "langchain",
    {
        Format.CHAT: _langchain_chat(responses=False),
        Format.RESPONSES: _langchain_chat(responses=True),
        Format.MESSAGES: Calls(
            _langchain_messages,
            _langchain_messages_stream,
            anthropic.PermissionDeniedError,
            anthropic_refusal,
            hidden="ChatAnthropic's chunks carry no response headers and no message fields",
        ),
        Format.EMBEDDINGS: Calls(
            _langchain_embeddings, None, openai.PermissionDeniedError, openai_refusal
        ),
        Format.COMPLETIONS: Calls(
            _langchain_completions,
            _langchain_completions_stream,
            openai.PermissionDeniedError,
            openai_refusal,
        ),
    },
    note="langchain-openai ChatOpenAI (use_responses_api for responses), OpenAIEmbeddings, "
    "OpenAI; langchain-anthropic ChatAnthropic",
)


# --------------------------------------------------------------------------- litellm


def litellm_refusal(exc: BaseException) -> str:
    assert isinstance(exc, ContentPolicyViolationError), repr(exc)
    assert "content filtering policy" in exc.message, exc.message
    found = [w.strip("():;,.") for w in exc.message.split() if w.strip("(").startswith("dec_")]
    assert found, exc.message
    return found[0]


def _litellm_headers(response: Any) -> str:
    headers = response._hidden_params["additional_headers"]
    return str(headers[f"llm_provider-{DECISION}"])


def _litellm_openai(t: Target) -> dict[str, Any]:
    return {"model": f"openai/{t.model}", "api_base": f"{t.url}/v1", "api_key": t.key}


def _litellm_chat(t: Target) -> Reply:
    answer = litellm.completion(
        messages=[{"role": "user", "content": t.prompt}],
        max_tokens=MAX_TOKENS,
        num_retries=0,
        **_litellm_openai(t),
    )
    return Reply(_litellm_headers(answer), answer.choices[0].message.content)


def _litellm_chat_stream(t: Target) -> Reply:
    stream = litellm.completion(
        messages=[{"role": "user", "content": t.prompt}],
        stream=True,
        num_retries=0,
        **_litellm_openai(t),
    )
    pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
    return Reply(_litellm_headers(stream), "".join(pieces))


def _litellm_messages_args(t: Target) -> dict[str, Any]:
    return {
        "model": f"anthropic/{t.model}",
        "api_base": t.url,
        "api_key": t.key,
        "messages": [{"role": "user", "content": t.prompt}],
        "max_tokens": MAX_TOKENS,
        "num_retries": 0,
    }


def _litellm_messages(t: Target) -> Reply:
    answer = litellm.completion(**_litellm_messages_args(t))
    return Reply(_litellm_headers(answer), answer.choices[0].message.content)


def _litellm_messages_stream(t: Target) -> Reply:
    stream = litellm.completion(stream=True, **_litellm_messages_args(t))
    pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
    return Reply(_litellm_headers(stream), "".join(pieces))


def _litellm_responses(t: Target) -> Reply:
    response: Any = litellm.responses(input=t.prompt, num_retries=0, **_litellm_openai(t))
    text = "".join(
        part.text
        for item in response.output
        if item.type == "message"
        for part in item.content
        if part.type == "output_text"
    )
    return Reply(_litellm_headers(response), text)


def _litellm_responses_stream(t: Target) -> Reply:
    # litellm fakes a Responses stream (one plain request, events made up after it) for a
    # model missing from its price list; an application declares its model, as here.
    model_info = {"litellm_provider": "openai", "mode": "responses"}
    litellm.register_model({f"openai/{t.model}": {**model_info, "supports_native_streaming": True}})
    stream: Any = litellm.responses(
        input=t.prompt, stream=True, num_retries=0, **_litellm_openai(t)
    )
    events = list(stream)
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    # No headers on litellm's stream; the completed response keeps govroute's field.
    return Reply(events[-1].response.govroute["decision_id"], "".join(deltas))


def _litellm_embeddings(t: Target) -> Reply:
    result = litellm.embedding(
        input=[t.prompt], encoding_format="float", num_retries=0, **_litellm_openai(t)
    )
    vectors = tuple(tuple(d["embedding"]) for d in result.data)
    return Reply(_litellm_headers(result), vectors=vectors)


def _litellm_text(t: Target) -> dict[str, Any]:
    return {
        "model": f"text-completion-openai/{t.model}",
        "api_base": f"{t.url}/v1",
        "api_key": t.key,
        "prompt": t.prompt,
        "max_tokens": MAX_TOKENS,
        "num_retries": 0,
    }


def _litellm_completions(t: Target) -> Reply:
    answer = litellm.text_completion(**_litellm_text(t))
    # litellm's text completions keep no headers, but the body's govroute field.
    return Reply(answer.govroute["decision_id"], answer.choices[0].text)


def _litellm_completions_stream(t: Target) -> Reply:
    stream = litellm.text_completion(stream=True, **_litellm_text(t))
    pieces = [c.choices[0].text or "" for c in stream if c.choices]
    return Reply(None, "".join(pieces))


def _litellm_calls(ask: Any, stream: Any) -> Calls:
    return Calls(ask, stream, ContentPolicyViolationError, litellm_refusal)


LITELLM = Client(
    "litellm",
    {
        Format.CHAT: _litellm_calls(_litellm_chat, _litellm_chat_stream),
        Format.RESPONSES: _litellm_calls(_litellm_responses, _litellm_responses_stream),
        Format.MESSAGES: _litellm_calls(_litellm_messages, _litellm_messages_stream),
        Format.EMBEDDINGS: _litellm_calls(_litellm_embeddings, None),
        Format.COMPLETIONS: Calls(
            _litellm_completions,
            _litellm_completions_stream,
            ContentPolicyViolationError,
            litellm_refusal,
            hidden="litellm's text_completion stream keeps no headers and no extra fields",
        ),
    },
    note="litellm completion (openai/ and anthropic/ models), responses, embedding, "
    "text_completion",
)


CLIENTS: tuple[Client, ...] = (OPENAI, ANTHROPIC, LANGCHAIN, LITELLM, CURL)
