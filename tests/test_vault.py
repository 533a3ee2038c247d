"""The pseudonym vault: across turns, across replicas, per scope, sealed, expiring, audited.

Two govroute apps (two replicas) share one real Redis (the machine's redis-server on a
free loopback port) and the session's Neo4j with the reference enterprise, and have
the same GOVROUTE_SECRET; one fake provider answers every model by echoing the last
user message, so an answer repeats the pseudonyms the provider was sent. A third app
keeps pseudonyms per conversation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from pydantic import SecretStr

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.settings import ApiSettings, RateLimitSettings, Settings, VaultSettings
from api.vault.cipher import VaultCipher
from api.vault.cli import run as run_cli
from api.vault.stores import MemoryVaultStore, RedisVaultStore
from api.vault.vault import Vault
from engine.errors import Forbidden, InvalidConfiguration, VaultUnavailable
from engine.model import Effect
from engine.redact import pseudonym
from engine.vault import VaultEntry, VaultScope, may_see, scope_key
from graph.connection import GraphClient
from graph.provenance import read_restores
from graph.server import free_port
from graph.settings import Neo4jSettings
from tests.conftest import load_enterprise
from tests.redis_server import RedisServer, running_redis
from tests.serving import frozen

SECRET = "vault-test-secret-0123456789abcdef"
SUPPORT = "gr_demo_eu_support_uRI5-pCzY_bOIljs"  # eu-support-agent, nw-eu: names pseudonymized
US_SUPPORT = "gr_demo_us_support_B6kOW8Q-wsGWvv2W"  # us-support-agent, nw-us: the same policy
ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"  # eu-analyst, nw-eu: another principal
AUDITOR = "gr_demo_eu_auditor_d8MstJd-ea3xkbR2"  # eu-auditor, nw-eu: may detokenize
NAME = "Maria Schneider"
TURN_1 = f"The customer {NAME} says she never received her new debit card; write an answer."
PLACEHOLDER = re.compile(r"<PERSON_[0-9a-f]{6,64}>")
KEYS = {
    "NW_PRIVATE_LLM_API_KEY": "k1",
    "HELIO_EU_API_KEY": "k2",
    "HELIO_US_API_KEY": "k3",
}


# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="module")
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@dataclass
class Replicas:
    a: str
    b: str
    conversation: str  # a replica of a deployment that keeps pseudonyms per conversation
    upstream: httpx.Client
    redis_url: str

    def received(self) -> list[dict[str, Any]]:
        requests: list[dict[str, Any]] = self.upstream.get("/_received").json()["requests"]
        return requests


def _settings(
    neo4j: Neo4jSettings, state: Path, upstream: str, redis_url: str, scope: VaultScope
) -> Settings:
    return Settings(
        neo4j=neo4j,
        api=ApiSettings(state_dir=state, refresh_interval_s=1, secret=SecretStr(SECRET)),
        rate_limits=RateLimitSettings(redis_url=None),
        gateway=GatewaySettings(upstream_overrides={"*": upstream}, request_budget_s=20.0),
        vault=VaultSettings(redis_url=SecretStr(redis_url), scope=scope),
    )


@pytest.fixture(scope="module")
def replicas(
    graph: GraphClient,
    neo4j_settings: Neo4jSettings,
    redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch_module: pytest.MonkeyPatch,
) -> Iterator[Replicas]:
    load_enterprise(graph)
    for name, value in KEYS.items():
        monkeypatch_module.setenv(name, value)
    upstream = BackgroundServer(create_fake_upstream()).start()
    servers = [
        BackgroundServer(
            create_app(
                _settings(
                    neo4j_settings,
                    tmp_path_factory.mktemp(f"replica-{n}"),
                    f"{upstream.url}/v1",
                    redis_url,
                    scope,
                )
            )
        ).start()
        for n, scope in enumerate(
            (VaultScope.PRINCIPAL, VaultScope.PRINCIPAL, VaultScope.CONVERSATION)
        )
    ]
    control = httpx.Client(base_url=upstream.url, timeout=10)
    try:
        yield Replicas(servers[0].url, servers[1].url, servers[2].url, control, redis_url)
    finally:
        control.close()
        for server in servers:
            server.stop()
        upstream.stop()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def chat(url: str, key: str, prompt: str, **extra: Any) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}", **extra.pop("headers", {})},
        json={
            "model": "auto",
            "messages": [{"role": "user", "content": prompt}],
            "metadata": {"govroute_purpose": "support", **extra.pop("metadata", {})},
            **extra,
        },
        timeout=30,
    )


def answer_of(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    content: str = response.json()["choices"][0]["message"]["content"]
    return content


def sent_last(replicas: Replicas) -> str:
    content: str = replicas.received()[-1]["messages"][-1]["content"]
    return content


def first_turn(replicas: Replicas, url: str, key: str = SUPPORT, **extra: Any) -> str:
    """Turn 1 through `url`: the pseudonym the provider got for NAME."""
    assert answer_of(chat(url, key, TURN_1, **extra)) == f"You said: {TURN_1}"
    sent = sent_last(replicas)
    assert NAME not in sent
    found = PLACEHOLDER.search(sent)
    assert found, sent
    return found.group()


def detokenize(url: str, key: str, **body: Any) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/detokenize", headers={"Authorization": f"Bearer {key}"}, json=body, timeout=30
    )


def restores_of(graph: GraphClient, pseudonym_: str, kind: str) -> list[dict[str, Any]]:
    """The restore records of `pseudonym_`, once the provenance writer has landed one."""
    deadline = time.monotonic() + 15
    while True:
        rows = [
            r
            for r in read_restores(graph, "nw-eu", limit=1000)
            if r["pseudonym"] == pseudonym_ and r["kind"] == kind
        ]
        if rows:
            return rows
        assert time.monotonic() < deadline, f"no {kind} restore of {pseudonym_} reached Neo4j"
        time.sleep(0.1)


# --------------------------------------------------------------------------- across turns


def test_when_a_later_turn_carries_the_pseudonym_then_the_answer_restores_it_on_another_replica(
    replicas: Replicas, graph: GraphClient
) -> None:
    placeholder = first_turn(replicas, replicas.a)
    turn_2 = f"What exactly did {placeholder} say about the card?"

    answer = answer_of(chat(replicas.b, SUPPORT, turn_2))

    assert answer == f"You said: What exactly did {NAME} say about the card?"
    sent = sent_last(replicas)
    assert placeholder in sent  # the provider still gets the pseudonym
    assert NAME not in sent
    [record] = restores_of(graph, placeholder, "answer")
    assert record["principal_id"] == "eu-support-agent"
    assert record["entity_type"] == "PERSON"
    assert record["decision_id"].startswith("dec_")
    assert NAME not in str(record)


def test_when_streaming_a_later_turn_then_the_pseudonym_is_restored_too(
    replicas: Replicas,
) -> None:
    placeholder = first_turn(replicas, replicas.b)
    with httpx.stream(
        "POST",
        f"{replicas.a}/v1/chat/completions",
        headers={"Authorization": f"Bearer {SUPPORT}"},
        json={
            "model": "auto",
            "stream": True,
            "messages": [{"role": "user", "content": f"Greet {placeholder} warmly."}],
            "metadata": {"govroute_purpose": "support"},
        },
        timeout=30,
    ) as response:
        body = "".join(response.iter_text())
    assert response.status_code == 200
    assert NAME in body
    assert placeholder not in body


def test_when_two_replicas_share_the_secret_then_the_same_value_gets_the_same_pseudonym(
    replicas: Replicas,
) -> None:
    assert first_turn(replicas, replicas.a) == first_turn(replicas, replicas.b)


def test_when_another_principal_of_the_tenant_sends_the_pseudonym_then_it_stays_a_pseudonym(
    replicas: Replicas,
) -> None:
    placeholder = first_turn(replicas, replicas.a)

    answer = answer_of(chat(replicas.b, ANALYST, f"Who is {placeholder}?", metadata={}))

    assert placeholder in answer
    assert NAME not in answer


def test_when_another_tenant_sends_the_pseudonym_then_it_stays_a_pseudonym(
    replicas: Replicas,
) -> None:
    placeholder = first_turn(replicas, replicas.a)

    answer = answer_of(chat(replicas.a, US_SUPPORT, f"Please greet {placeholder}."))

    assert placeholder in answer
    assert NAME not in answer


def test_when_scoped_per_conversation_then_only_that_conversation_restores(
    replicas: Replicas,
) -> None:
    url = replicas.conversation
    placeholder = first_turn(replicas, url, headers={"X-Govroute-Conversation": "conv-1"})
    again = f"Greet {placeholder} again."

    same = answer_of(chat(url, SUPPORT, again, metadata={"govroute_conversation": "conv-1"}))
    other = answer_of(chat(url, SUPPORT, again, headers={"X-Govroute-Conversation": "conv-2"}))
    unnamed = answer_of(chat(url, SUPPORT, again))

    assert same == f"You said: Greet {NAME} again."
    assert other == unnamed == f"You said: {again}"
    # Another conversation gets another pseudonym for the same value.
    assert first_turn(replicas, url, headers={"X-Govroute-Conversation": "conv-2"}) != placeholder


# --------------------------------------------------------------------------- detokenize


def test_when_an_auditor_detokenizes_then_values_come_back_and_each_restore_is_recorded(
    replicas: Replicas, graph: GraphClient
) -> None:
    placeholder = first_turn(replicas, replicas.a)

    response = detokenize(
        replicas.b,
        AUDITOR,
        text=f"Ticket mentions {placeholder}.",
        principal_id="eu-support-agent",
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["text"] == f"Ticket mentions {NAME}."
    assert body["restored"] == [
        {"pseudonym": placeholder, "value": NAME, "entity_type": "PERSON", "label": "person_name"}
    ]
    assert body["unknown"] == []
    [record] = restores_of(graph, placeholder, "detokenize")
    assert record["principal_id"] == "eu-auditor"
    assert record["decision_id"] is None
    assert NAME not in str(record)


def test_when_a_pseudonym_is_out_of_scope_then_detokenize_answers_as_for_a_made_up_one(
    replicas: Replicas,
) -> None:
    placeholder = first_turn(replicas, replicas.a)
    made_up = "<PERSON_0a0b0c>"

    answers = [
        detokenize(replicas.a, AUDITOR, pseudonyms=[p], principal_id=who).json()
        for p, who in ((placeholder, "eu-analyst"), (placeholder, "us-support-agent"))
    ] + [
        detokenize(
            replicas.a, AUDITOR, pseudonyms=[made_up], principal_id="eu-support-agent"
        ).json()
    ]

    assert [a["restored"] for a in answers] == [[], [], []]
    assert [a["unknown"] for a in answers] == [[placeholder], [placeholder], [made_up]]


def test_when_the_role_lacks_the_permission_then_detokenize_is_forbidden(
    replicas: Replicas,
) -> None:
    response = detokenize(replicas.a, SUPPORT, pseudonyms=["<PERSON_0a0b0c>"])

    assert response.status_code == 403
    assert "detokenize" in response.json()["error"]["message"]


def test_when_detokenize_gets_no_pseudonym_shape_then_it_says_which_item_is_wrong(
    replicas: Replicas,
) -> None:
    response = detokenize(replicas.a, AUDITOR, pseudonyms=["<PERSON_0a0b0c>", "Maria"])

    assert response.status_code == 400
    assert "pseudonyms[1]" in response.json()["error"]["message"]


def test_when_detokenizing_from_the_cli_then_it_reads_the_shared_vault_and_checks_the_role(
    replicas: Replicas, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    placeholder = first_turn(replicas, replicas.a)
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path, secret=SecretStr(SECRET)),
        rate_limits=RateLimitSettings(redis_url=None),
        vault=VaultSettings(redis_url=SecretStr(replicas.redis_url)),
    )

    out = run_cli(settings, AUDITOR, None, [placeholder], "eu-support-agent", None, None)

    assert out["restored"] == [
        {"pseudonym": placeholder, "value": NAME, "entity_type": "PERSON", "label": "person_name"}
    ]
    with pytest.raises(Forbidden):
        run_cli(settings, SUPPORT, None, [placeholder], None, None, None)


# --------------------------------------------------------------------------- at rest


def test_when_values_are_kept_then_redis_holds_neither_them_nor_pseudonyms_nor_ids(
    replicas: Replicas,
) -> None:
    placeholder = first_turn(replicas, replicas.a)
    client = redis.Redis.from_url(replicas.redis_url)
    try:
        keys: list[bytes] = client.keys("*")  # type: ignore[assignment]
        values: list[bytes | None] = client.mget(keys)  # type: ignore[assignment]
        stored = b"".join(keys) + b"".join(v or b"" for v in values)
    finally:
        client.close()

    assert keys
    for plain in (NAME, "Schneider", placeholder, "eu-support-agent", "nw-eu"):
        assert plain.encode() not in stored


def test_when_the_ttl_passes_then_redis_forgets_the_entry(redis_url: str) -> None:
    vault = Vault(
        RedisVaultStore(redis_url, timeout_s=1.0),
        VaultCipher(SECRET.encode()),
        VaultSettings(redis_url=SecretStr(redis_url), ttl_s=0.3),
    )
    entry = VaultEntry("<PERSON_1a2b3c>", "PERSON", "pii", NAME)
    try:
        assert vault.keep("tenant:t", [entry])
        assert vault.find("tenant:t", [entry.pseudonym]) == {entry.pseudonym: entry}
        deadline = time.monotonic() + 10
        while vault.find("tenant:t", [entry.pseudonym]):
            assert time.monotonic() < deadline, "the entry outlived its TTL by 10 s"
            time.sleep(0.05)
    finally:
        vault.close()


def test_when_redis_is_gone_then_keeping_fails_open_and_finding_says_unavailable() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    vault = Vault(
        RedisVaultStore(url, timeout_s=0.2), VaultCipher(SECRET.encode()), VaultSettings()
    )
    entry = VaultEntry("<PERSON_1a2b3c>", "PERSON", "pii", NAME)

    assert vault.keep("tenant:t", [entry]) is False
    assert vault.find_or_none("tenant:t", [entry.pseudonym]) == {}
    with pytest.raises(VaultUnavailable):
        vault.find("tenant:t", [entry.pseudonym])


def test_when_the_vaults_redis_is_frozen_then_answers_keep_pseudonyms_and_detokenize_is_503(
    replicas: Replicas, redis_server: RedisServer, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    placeholder = first_turn(replicas, replicas.a)  # kept in the shared Redis
    turn_2 = f"What exactly did {placeholder} say about the card?"
    upstream = f"{str(replicas.upstream.base_url).rstrip('/')}/v1"
    app = create_app(
        _settings(neo4j_settings, tmp_path, upstream, redis_server.url, VaultScope.PRINCIPAL)
    )
    server = BackgroundServer(app).start()
    asked = {"text": f"Ticket mentions {placeholder}.", "principal_id": "eu-support-agent"}
    try:
        store = app.state.runtime.vault.store
        assert isinstance(store, RedisVaultStore)
        with frozen(redis_server.pid):
            for _ in range(3):  # the first waits for the timeout, the others back off
                # Fail closed: the answer comes, and the pseudonym stays one.
                assert answer_of(chat(server.url, SUPPORT, turn_2)) == f"You said: {turn_2}"
                assert store.guard.failing  # so the next request does not ask Redis
                decided = httpx.post(
                    f"{server.url}/v1/decide",
                    headers={"Authorization": f"Bearer {SUPPORT}"},
                    json={"prompt": TURN_1, "purpose": "support"},
                    timeout=30,
                )
                assert decided.status_code == 200, decided.text
                assert NAME not in decided.text  # pseudonymized, though not kept
                refused = detokenize(server.url, AUDITOR, **asked)
                assert refused.status_code == 503, refused.text
                assert refused.json()["error"]["code"] == "vault_unavailable"
                assert NAME not in refused.text
        # Resumed: after the back-off one call tries Redis again, and it answers.
        deadline = time.monotonic() + 30
        while (restored := detokenize(server.url, AUDITOR, **asked)).status_code != 200:
            assert restored.status_code == 503, restored.text
            assert time.monotonic() < deadline, "the vault still refused 30 s after Redis resumed"
            time.sleep(0.2)
        assert restored.json()["text"] == f"Ticket mentions {NAME}."
        assert not store.guard.failing
    finally:
        server.stop()


# --------------------------------------------------------------------------- pure parts


def test_when_sealed_then_the_value_is_unreadable_and_opens_only_in_its_scope() -> None:
    cipher = VaultCipher(SECRET.encode())
    entry = VaultEntry("<PERSON_1a2b3c>", "PERSON", "pii", NAME)
    sealed = cipher.seal("tenant:a/principal:p", entry)

    assert NAME.encode() not in sealed
    assert cipher.open("tenant:a/principal:p", entry.pseudonym, sealed) == entry
    assert cipher.open("tenant:b/principal:p", entry.pseudonym, sealed) is None
    assert cipher.open("tenant:a/principal:q", entry.pseudonym, sealed) is None
    assert cipher.open("tenant:a/principal:p", "<PERSON_ffffff>", sealed) is None
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    assert cipher.open("tenant:a/principal:p", entry.pseudonym, tampered) is None
    other_secret = VaultCipher(b"another-secret-0123456789")
    assert other_secret.open("tenant:a/principal:p", entry.pseudonym, sealed) is None


def test_when_the_memory_vault_is_full_or_expired_then_entries_go() -> None:
    now = [0.0]
    store = MemoryVaultStore(max_entries=2, clock=lambda: now[0])
    store.put_many([("k1", b"1"), ("k2", b"2")], ttl_s=10)
    store.put_many([("k3", b"3")], ttl_s=10)

    assert store.get_many(["k1", "k2", "k3"]) == [None, b"2", b"3"]
    now[0] = 10.0
    assert store.get_many(["k2", "k3"]) == [None, None]
    assert len(store) == 0


def test_when_scopes_differ_then_the_same_value_gets_different_pseudonyms() -> None:
    key = SECRET.encode()
    scopes = {
        scope_key(VaultScope.TENANT, tenant=t, principal=p, conversation=c, decision_id="d")
        for t, p, c in (("a", "p", None), ("a", "q", None), ("b", "p", None))
    } | {
        scope_key(VaultScope.CONVERSATION, tenant="a", principal="p", conversation=c, decision_id=d)
        for c, d in (("c1", "d1"), ("c2", "d1"), (None, "d1"), (None, "d2"))
    }
    names = {pseudonym(NAME, "PERSON", key, s) for s in scopes}

    assert len(scopes) == 6  # tenant scope ignores the principal; no conversation: the decision
    assert len(names) == len(scopes)


def test_when_a_label_is_redacted_or_blocked_for_the_caller_then_it_may_not_see_the_value() -> None:
    entry = VaultEntry("<PERSON_1a2b3c>", "PERSON", "pii.customer", NAME)
    ancestry = {"PERSON": ("pii.customer", "pii")}

    assert may_see(entry, {"pii.customer": Effect.PSEUDONYMIZE}, (), ancestry)
    assert may_see(entry, {}, (), ancestry)
    assert not may_see(entry, {"pii": Effect.REDACT}, (), ancestry)
    assert not may_see(entry, {"pii.customer": Effect.MASK}, (), ancestry)
    assert not may_see(entry, {}, ("pii",), ancestry)


# --------------------------------------------------------------------------- secret safety


def test_when_redis_or_a_remote_graph_is_shared_then_a_self_generated_secret_is_refused(
    tmp_path: Path,
) -> None:
    api = ApiSettings(state_dir=tmp_path, secret=None)
    local = Settings(
        neo4j=Neo4jSettings.model_validate({"NEO4J_URI": "bolt://127.0.0.1:7687"}),
        api=api,
        rate_limits=RateLimitSettings(redis_url=None),
        vault=VaultSettings(redis_url=None),
    )
    assert len(local.load_secret()) >= 16  # this host's own graph: generated and kept

    for shared, says in (
        (
            Settings(
                neo4j=Neo4jSettings.model_validate(
                    {"NEO4J_URI": "neo4j+s://graph.example.com:7687"}
                ),
                api=api,
                rate_limits=RateLimitSettings(redis_url=None),
                vault=VaultSettings(redis_url=None),
            ),
            "graph.example.com",
        ),
        (
            Settings(
                neo4j=Neo4jSettings.model_validate({"NEO4J_URI": "bolt://127.0.0.1:7687"}),
                api=api,
                rate_limits=RateLimitSettings(redis_url=SecretStr("redis://127.0.0.1:6379/0")),
                vault=VaultSettings(redis_url=SecretStr("redis://127.0.0.1:6379/0")),
            ),
            "Redis",
        ),
    ):
        with pytest.raises(InvalidConfiguration) as caught:
            shared.load_secret()
        assert says in caught.value.message
        assert "GOVROUTE_SECRET" in caught.value.message

    configured = Settings(
        neo4j=Neo4jSettings.model_validate({"NEO4J_URI": "neo4j+s://graph.example.com:7687"}),
        api=ApiSettings(state_dir=tmp_path, secret=SecretStr(SECRET)),
        vault=VaultSettings(redis_url=SecretStr("redis://127.0.0.1:6379/0")),
    )
    assert configured.load_secret() == SECRET.encode()


def test_when_the_app_starts_on_shared_redis_without_a_secret_then_it_refuses(
    neo4j_settings: Neo4jSettings, redis_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path, secret=None),
        rate_limits=RateLimitSettings(redis_url=None),
        vault=VaultSettings(redis_url=SecretStr(redis_url)),
    )
    with pytest.raises(RuntimeError):
        BackgroundServer(create_app(settings)).start(timeout_s=30)
    assert not (tmp_path / "secret").exists()
