"""Provider kinds azure, bedrock, vertex and local, end to end: the real `openai` client
against govroute, govroute against a fake provider of each kind speaking that kind's
real wire format, real HTTP on 127.0.0.1.

For each kind the reference enterprise is loaded with one change: northwind-private
(the EU primary of the analyst's requests, nw-llama-3.1-70b) declares that kind, and is
served by the fake of that kind; every other provider is the OpenAI-compatible fake,
so the analyst's fallback (helio-swift-eu) answers in OpenAI's format.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import pytest

from api.app import create_app
from api.gateway.cli import create_fake
from api.gateway.fake_bedrock import FAKE_ACCESS_KEY, FAKE_SECRET_KEY
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream, fake_vector
from api.gateway.gateway import Gateway
from api.gateway.settings import GatewaySettings
from api.settings import ApiSettings, Settings
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from loaders.policy_load import load_policy_path
from tests.conftest import ENTERPRISE, wipe
from tests.serving import ScriptedFake, set_environment

pytestmark = pytest.mark.neo4j

ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"  # EU route: primary nw-llama, then helio-swift-eu
PRIMARY = "nw-llama-3.1-70b"
PRIMARY_UPSTREAM = "meta-llama/Llama-3.1-70B-Instruct"
FALLBACK = "helio-swift-eu"
EMBEDDER = "nw-bge-m3"  # the EU in-house embeddings model: northwind-private
EMBEDDER_UPSTREAM = "BAAI/bge-m3"
EMBED_FALLBACK = "helio-embed-eu"
DOCS = ["Hotels: at most 150 EUR per night.", "Up to 20 days abroad a year."]
SUMMARY = "Summarize this quarterly report for me in three bullet points."
SYSTEM = "You are Northwind's analyst assistant."
KEYS = {
    "NW_PRIVATE_LLM_API_KEY": "test-private-key",
    "HELIO_EU_API_KEY": "test-helio-eu-key",
    "HELIO_US_API_KEY": "test-helio-us-key",
    "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY,
    "AWS_SESSION_TOKEN": "test-session-token",
}
ORIGINAL_API = """    api:
      kind: openai
      base_url: https://llm.fra1.northwind.internal/v1
      key_env: NW_PRIVATE_LLM_API_KEY
"""
# Each kind's provider block as an operator writes it (base_url is overridden in tests).
API_BLOCKS = {
    "azure": """    api:
      kind: azure
      base_url: https://northwind-fra.openai.azure.com
      api_version: 2024-10-21
      key_env: NW_PRIVATE_LLM_API_KEY
""",
    "bedrock": """    api:
      kind: bedrock
      base_url: https://bedrock-runtime.eu-central-1.amazonaws.com
      region: eu-central-1
""",
    "vertex": """    api:
      kind: vertex
      base_url: https://generativelanguage.googleapis.com/v1beta
      key_env: NW_PRIVATE_LLM_API_KEY
""",
    "local": """    api:
      kind: local
      base_url: http://127.0.0.1:8000/v1
""",
}
BASE_PATHS = {"azure": "", "bedrock": "", "vertex": "/v1beta", "local": "/v1"}
# A retryable failure in the middle of each kind's stream, before any text, as it sends one.
STREAM_ERRORS = {"bedrock": "throttlingException", "vertex": "RESOURCE_EXHAUSTED"}


Upstream = ScriptedFake  # a fake provider of any kind, scripted over HTTP


@dataclass
class Env:
    kind: str
    url: str
    gateway: Gateway
    primary: Upstream  # northwind-private, of `kind`
    public: Upstream  # everything else, kind openai
    client: openai.OpenAI

    def chat(self, **extra: Any) -> Any:
        return self.client.chat.completions.with_raw_response.create(
            model="auto",
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": SUMMARY}],
            **extra,
        )


def kind_enterprise(where: Path, kind: str) -> Path:
    copy = where / "enterprise"
    shutil.copytree(ENTERPRISE, copy)
    providers = copy / "providers.yaml"
    text = providers.read_text()
    private = text.index("- id: northwind-private")
    block = text.index(ORIGINAL_API, private)
    providers.write_text(text[:block] + API_BLOCKS[kind] + text[block + len(ORIGINAL_API) :])
    return copy


@pytest.fixture(scope="module", params=sorted(API_BLOCKS))
def env(
    request: pytest.FixtureRequest,
    graph: GraphClient,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Env]:
    kind = str(request.param)
    wipe(graph)  # other modules reload the reference enterprise when they see this one
    load_policy_path(
        graph,
        kind_enterprise(tmp_path_factory.mktemp(f"{kind}-enterprise"), kind),
        author="tests",
        message=f"reference enterprise, northwind-private of kind {kind}",
    )
    restore_environment = set_environment(KEYS)
    primary = Upstream(create_fake(kind), BASE_PATHS[kind])
    public = Upstream(create_fake_upstream(), "/v1")
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path_factory.mktemp(f"{kind}-state"), refresh_interval_s=1),
        gateway=GatewaySettings(
            upstream_overrides={"northwind-private": primary.base, "*": public.base},
            upstream_read_timeout_s=2.0,
            retry_base_s=0.01,
            retry_cap_s=0.05,
            breaker_window=50,  # these tests are about kinds, not breakers
            breaker_min_calls=50,
            request_budget_s=20.0,
        ),
    )
    app = create_app(settings)
    server = BackgroundServer(app).start()
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=ANALYST, max_retries=0)
    try:
        yield Env(kind, server.url, app.state.gateway, primary, public, client)
    finally:
        client.close()
        server.stop()
        primary.stop()
        public.stop()
        restore_environment()


@pytest.fixture
def gw(env: Env) -> Iterator[Env]:
    env.primary.reset()
    env.public.reset()
    env.gateway.breakers.reset()
    saved = {name: os.environ.get(name) for name in KEYS}
    yield env
    os.environ.update({k: v for k, v in saved.items() if v is not None})


def echo_of(prompt: str) -> str:
    return f"You said: {prompt}"


# What each kind's provider must have received, in its own wire format.
def _azure_saw(seen: dict[str, Any]) -> None:
    assert seen["model"] == PRIMARY_UPSTREAM  # the deployment, from the URL
    assert seen["api_version"] == "2024-10-21"
    assert seen["authorized"]


def _bedrock_saw(seen: dict[str, Any]) -> None:
    assert seen["model"] == PRIMARY_UPSTREAM
    assert seen["signed"]
    assert seen["session_token"]
    assert seen["params"]["system"][0] == {"text": SYSTEM}
    assert seen["messages"][-1] == {"role": "user", "content": [{"text": SUMMARY}]}


def _vertex_saw(seen: dict[str, Any]) -> None:
    assert seen["model"] == PRIMARY_UPSTREAM
    assert seen["auth"] == "api_key"
    assert seen["params"]["systemInstruction"]["parts"][0] == {"text": SYSTEM}
    assert seen["messages"][-1] == {"role": "user", "parts": [{"text": SUMMARY}]}


def _local_saw(seen: dict[str, Any]) -> None:
    assert seen["model"] == PRIMARY_UPSTREAM
    assert not seen["authorized"]  # no key_env: no Authorization header at all


SAW: dict[str, Callable[[dict[str, Any]], None]] = {
    "azure": _azure_saw,
    "bedrock": _bedrock_saw,
    "vertex": _vertex_saw,
    "local": _local_saw,
}


# --------------------------------------------------------------------------- answers


def test_when_the_kind_answers_then_the_openai_client_gets_an_openai_completion(gw: Env) -> None:
    raw = gw.chat(max_tokens=64, temperature=0.2, stop=["END"])
    completion = raw.parse()
    assert raw.headers["X-Govroute-Model"] == PRIMARY
    assert completion.choices[0].message.content == echo_of(SUMMARY)
    assert completion.choices[0].finish_reason == "stop"
    assert completion.id
    assert completion.created > 0
    if gw.kind == "local":
        assert completion.usage is None  # nothing reported, nothing invented
    else:
        assert completion.usage is not None
        assert completion.usage.completion_tokens > 0
    (seen,) = gw.primary.received()
    SAW[gw.kind](seen)
    assert gw.public.received() == []


def test_when_the_kind_streams_then_the_openai_client_reads_the_whole_answer(gw: Env) -> None:
    raw = gw.chat(stream=True, stream_options={"include_usage": True})
    chunks = list(raw.parse())
    assert raw.headers["X-Govroute-Model"] == PRIMARY
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == echo_of(SUMMARY)
    finishes = [
        c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
    ]
    assert finishes == ["stop"]
    usage = [c.usage for c in chunks if c.usage is not None]
    assert (usage == []) if gw.kind == "local" else (usage[-1].total_tokens > 0)
    (seen,) = gw.primary.received()
    assert seen["stream"]
    SAW[gw.kind](seen)


# --------------------------------------------------------------------------- failures


def test_when_the_kind_answers_429_once_then_the_retry_succeeds_on_it(gw: Env) -> None:
    gw.primary.script({"status": 429, "times": 1})
    raw = gw.chat()
    assert raw.headers["X-Govroute-Model"] == PRIMARY
    assert raw.parse().choices[0].message.content == echo_of(SUMMARY)
    assert len(gw.primary.received()) == 2
    assert gw.public.received() == []


def test_when_the_kind_keeps_failing_with_5xx_then_another_provider_answers(gw: Env) -> None:
    gw.primary.script({"status": 503})
    raw = gw.chat()
    assert raw.headers["X-Govroute-Model"] == FALLBACK
    assert raw.parse().choices[0].message.content == echo_of(SUMMARY)
    assert len(gw.primary.received()) == 3  # its share of the attempt budget: 503 is retryable
    assert len(gw.public.received()) == 1


def test_when_the_kind_refuses_with_400_then_no_other_model_is_tried(gw: Env) -> None:
    gw.primary.script({"status": 400})
    with pytest.raises(openai.BadRequestError) as refused:
        gw.chat()
    body = refused.value.body
    assert isinstance(body, dict)
    assert body["code"] == "upstream_rejected_request"
    if gw.kind == "azure":  # Azure's content filter says why, and it reaches the caller
        assert "content management policy" in body["message"]
    assert len(gw.primary.received()) == 1
    assert gw.public.received() == []


def test_when_a_stream_fails_retryably_before_any_text_then_it_is_retried(gw: Env) -> None:
    error = STREAM_ERRORS.get(gw.kind)
    # Kinds whose wire format has an error event send it; the others drop the connection.
    gw.primary.script({"break_after": 0, "stream_error_type": error, "times": 1})
    raw = gw.chat(stream=True)
    chunks = list(raw.parse())
    assert raw.headers["X-Govroute-Model"] == PRIMARY
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == echo_of(
        SUMMARY
    )
    assert len(gw.primary.received()) == 2


def test_when_texts_are_embedded_then_a_kind_that_embeds_serves_them_and_others_fall_back(
    gw: Env,
) -> None:
    result = gw.client.embeddings.with_raw_response.create(
        model="auto", input=DOCS, encoding_format="float"
    )
    vectors = [d.embedding for d in result.parse().data]
    assert vectors == [pytest.approx(fake_vector(t), rel=1e-6) for t in DOCS]
    if gw.kind in ("azure", "local"):  # both serve OpenAI's embeddings
        assert result.headers["X-Govroute-Model"] == EMBEDDER
        if gw.kind == "azure":
            (seen,) = gw.primary.received()
            assert seen["model"] == EMBEDDER_UPSTREAM  # the deployment
            assert seen["api_version"] == "2024-10-21"
    else:  # Converse and generateContent do not embed: the next embeddings model does
        assert result.headers["X-Govroute-Model"] == EMBED_FALLBACK
        assert gw.primary.received() == []


# --------------------------------------------------------------------------- per kind


def test_when_bedrock_credentials_are_wrong_then_the_signature_is_refused_and_it_falls_back(
    gw: Env,
) -> None:
    if gw.kind != "bedrock":
        pytest.skip("SigV4 is Bedrock's")
    os.environ["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-the-fake-knows"
    raw = gw.chat()
    assert raw.headers["X-Govroute-Model"] == FALLBACK  # 403: this endpoint cannot serve us
    assert gw.primary.received() == []  # refused before it was recorded


def test_when_bedrock_credentials_are_missing_then_nothing_is_sent_and_it_falls_back(
    gw: Env,
) -> None:
    if gw.kind != "bedrock":
        pytest.skip("AWS credentials are Bedrock's")
    del os.environ["AWS_ACCESS_KEY_ID"]
    raw = gw.chat()
    assert raw.headers["X-Govroute-Model"] == FALLBACK
    assert gw.primary.received() == []


def test_when_a_kind_cannot_express_the_request_then_the_next_candidate_serves_it(gw: Env) -> None:
    if gw.kind != "bedrock":
        pytest.skip("n > 1 is refused by Converse; the other kinds take it")
    raw = gw.chat(n=2)
    assert raw.headers["X-Govroute-Model"] == FALLBACK
    assert gw.primary.received() == []
