"""The response cache's semantic match end to end: the official `openai` client against
govroute (real HTTP on 127.0.0.1), fake providers counting their calls, the session's
Neo4j, and the cache in a real Redis or in this process's memory (both, parametrized).

The reference enterprise is loaded with tests/data/serving/semantic_policies.yaml: nw-eu
and nw-retail answers may be served to paraphrases at cosine 0.9. The fake upstream
echoes the prompt it received ("You said: ..."), so an answer shows which request it
was stored for.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from loaders.policy_load import load_policy_path
from tests.conftest import ROOT
from tests.test_gateway import (
    ANALYST,
    RETAIL,
    RETAIL_PROMPT,
    SUPPORT,
    SUPPORT_PROMPT,
)
from tests.test_gateway_cache import Env, policy_dir, serving_env

pytestmark = pytest.mark.neo4j

SEMANTIC = ROOT / "tests" / "data" / "serving" / "semantic_policies.yaml"
GERMAN = "Translate the following paragraph into German."
PARAPHRASE = "Please translate the following paragraph into German."  # cosine 0.957
CARD_PARAPHRASE = "My new debit card has still not arrived, what should I do?"
SQL = "Write a SQL query that counts orders per customer in 2025."
SQL_OTHER_YEAR = "Write a SQL query that counts orders per customer in 2023."  # cosine 0.957
FRENCH = "Translate the following paragraph into French."  # cosine 0.765


@dataclass
class SemanticEnv:
    env: Env
    store: str

    def ask(self, key: str, prompt: str, **kwargs: Any) -> Any:
        return self.env.client(key).chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": prompt}], temperature=0, **kwargs
        )


@pytest.fixture(scope="module", params=["redis", "memory"])
def senv(
    request: pytest.FixtureRequest,
    graph: GraphClient,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SemanticEnv]:
    store = str(request.param)
    with serving_env(
        graph, neo4j_settings, tmp_path_factory, serving=SEMANTIC, shared=store == "redis"
    ) as env:
        yield SemanticEnv(env, store)


@pytest.fixture
def sem(senv: SemanticEnv) -> SemanticEnv:
    for upstream in (senv.env.private, senv.env.public):
        upstream.reset()
    Redis.from_url(senv.env.redis.url).flushall()
    senv.env.clock.now += 3600  # no entry of an earlier test is still live (memory store too)
    return senv


def test_when_a_paraphrase_comes_then_it_is_served_the_stored_answer(sem: SemanticEnv) -> None:
    first = sem.ask(ANALYST, GERMAN)
    assert first.headers["x-govroute-cache"].startswith("miss; key=sha256:")
    assert "semantic miss: no stored prompt in this partition" in first.headers["x-govroute-cache"]
    second = sem.ask(ANALYST, PARAPHRASE)
    header = second.headers["x-govroute-cache"]
    assert header.startswith("hit; key=sha256:")
    assert "; semantic=0.9" in header
    assert sem.env.calls() == 1  # the paraphrase never reached a provider
    body = second.parse()
    assert body.choices[0].message.content == f"You said: {GERMAN}"
    cache = body.model_extra["govroute"]["cache"]
    assert cache["match"] == "semantic"
    assert cache["similarity"] >= 0.9
    assert cache["stored_by_decision"] == first.headers["x-govroute-decision-id"]
    assert cache["request_key"] != cache["key"]  # its own key missed; the twin's answered
    assert f"request_key={cache['request_key']}" in header
    record = sem.env.decision(ANALYST, second.headers["x-govroute-decision-id"], attempts=1)
    [attempt] = record["attempts"]
    assert attempt["status"] == "cache_hit"
    assert "semantic match (cosine 0.9" in attempt["detail"]
    assert cache["key"] in attempt["detail"]
    assert cache["request_key"] in attempt["detail"]
    # an exact repeat is still an exact hit
    again = sem.ask(ANALYST, GERMAN)
    assert again.parse().model_extra["govroute"]["cache"]["match"] == "exact"
    assert sem.env.calls() == 1


def test_when_a_near_question_differs_then_it_is_not_served_the_other_answer(
    sem: SemanticEnv,
) -> None:
    sem.ask(ANALYST, GERMAN)
    other = sem.ask(ANALYST, FRENCH)
    assert "semantic miss: nearest 0." in other.headers["x-govroute-cache"]
    assert other.parse().choices[0].message.content == f"You said: {FRENCH}"
    sem.ask(ANALYST, SQL)
    # 0.957 alike, above the threshold: another year is another partition
    year = sem.ask(ANALYST, SQL_OTHER_YEAR)
    assert year.headers["x-govroute-cache"].startswith("miss")
    assert year.parse().choices[0].message.content == f"You said: {SQL_OTHER_YEAR}"
    assert sem.env.calls() == 4


def test_when_another_tenant_or_other_parameters_ask_the_paraphrase_then_no_hit(
    sem: SemanticEnv,
) -> None:
    sem.ask(RETAIL, RETAIL_PROMPT)  # nw-retail
    eu = sem.ask(SUPPORT, CARD_PARAPHRASE)  # nw-eu, also semantic: never nw-retail's answer
    assert eu.headers["x-govroute-cache"].startswith("miss")
    assert eu.parse().choices[0].message.content == f"You said: {CARD_PARAPHRASE}"
    sem.ask(ANALYST, GERMAN)
    longer = sem.ask(ANALYST, PARAPHRASE, max_tokens=50)  # other parameters: other partition
    assert longer.headers["x-govroute-cache"].startswith("miss")
    assert sem.env.calls() == 4
    retail = sem.ask(RETAIL, CARD_PARAPHRASE)  # and its own tenant's paraphrase does hit
    assert retail.headers["x-govroute-cache"].startswith("hit")
    assert retail.parse().choices[0].message.content == f"You said: {RETAIL_PROMPT}"


def test_when_a_conversation_differs_before_the_last_turn_then_no_semantic_hit(
    sem: SemanticEnv,
) -> None:
    client = sem.env.client(ANALYST)
    earlier: list[Any] = [
        {"role": "user", "content": "I work in the Berlin office."},
        {"role": "assistant", "content": "Noted."},
    ]
    client.chat.completions.create(
        model="auto", temperature=0, messages=[*earlier, {"role": "user", "content": GERMAN}]
    )
    same = client.chat.completions.with_raw_response.create(
        model="auto",
        temperature=0,
        messages=[*earlier, {"role": "user", "content": PARAPHRASE}],
    )
    assert same.headers["x-govroute-cache"].startswith("hit")  # equal earlier turns
    alone = sem.ask(ANALYST, PARAPHRASE)  # no earlier turns: another partition
    assert alone.headers["x-govroute-cache"].startswith("miss")
    assert sem.env.calls() == 2


def test_when_the_prompt_was_pseudonymized_then_it_never_matches_another_customer(
    sem: SemanticEnv,
) -> None:
    first = sem.ask(SUPPORT, SUPPORT_PROMPT)
    assert "semantic skipped: the prompt was redacted" in first.headers["x-govroute-cache"]
    other = SUPPORT_PROMPT.replace("Maria Schneider", "Jonas Weber")
    second = sem.ask(SUPPORT, other)
    assert "semantic skipped: the prompt was redacted" in second.headers["x-govroute-cache"]
    answer = second.parse().choices[0].message.content
    assert "Jonas Weber" in answer
    assert "Maria" not in answer
    assert sem.env.calls() == 2
    if sem.store == "redis":  # no vector of a redacted prompt was kept
        assert not list(Redis.from_url(sem.env.redis.url).scan_iter("govroute:cache:sem:*"))


def test_when_a_new_policy_version_is_loaded_then_no_paraphrase_is_served_from_before(
    sem: SemanticEnv, graph: GraphClient, tmp_path: Path
) -> None:
    sem.ask(ANALYST, GERMAN)
    assert sem.ask(ANALYST, PARAPHRASE).headers["x-govroute-cache"].startswith("hit")
    runtime = sem.env.runtime
    before = runtime.state.snapshot.version
    folder = policy_dir(tmp_path / "policies", f"version after {before} ({sem.store})", SEMANTIC)
    load_policy_path(graph, folder, author="tests", message="a new version")
    deadline = time.monotonic() + 30
    while runtime.state.snapshot.version == before:
        assert time.monotonic() < deadline, "the new version never reached the app"
        time.sleep(0.2)
    after = sem.ask(ANALYST, PARAPHRASE)
    assert after.headers["x-govroute-cache"].startswith("miss")
    assert "no stored prompt in this partition" in after.headers["x-govroute-cache"]
    assert sem.env.calls() == 2


def test_when_streamed_then_a_semantic_hit_replays_the_stored_answer(sem: SemanticEnv) -> None:
    sem.ask(ANALYST, GERMAN)
    stream = sem.env.client(ANALYST).chat.completions.create(
        model="auto",
        temperature=0,
        stream=True,
        messages=[{"role": "user", "content": PARAPHRASE}],
    )
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == f"You said: {GERMAN}"
    assert sem.env.calls() == 1
