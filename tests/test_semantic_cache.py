"""The semantic match's parts on their own (api/gateway/semantic.py, vectors.py): what a
partition is, when a request has no probe, the vector stores in memory and in a real
Redis (expiry, bounds), and the placeholder guard. End to end through the gateway:
tests/test_gateway_semantic_cache.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest
from redis import Redis

from api.gateway.cache import CachedChoice, CacheKey, MemoryStore, RedisStore, ResponseCache
from api.gateway.semantic import Probe, lookup, numbers_in, probe_for, unrestorable
from api.gateway.vectors import SEMANTIC_PREFIX, MemoryVectors, RedisVectors, Vector, nearest
from engine.decision import Decision, Redaction, SanitizedMessage
from engine.model import Effect
from engine.serving import CacheRule
from tests.redis_server import running_redis
from tests.test_cache_store import FakeClock, decision

QUESTION = "What are the branch opening hours?"
RULE = CacheRule(ttl_s=60, semantic_threshold=0.9, policies=("cache-faq",))


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with running_redis() as server:
        yield server.url


def unit(seed: int, dim: int = 384) -> Vector:
    vector = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def asked(*turns: tuple[str, str], **changes: object) -> tuple[Decision, list[dict[str, str]]]:
    messages = tuple(SanitizedMessage(role, text) for role, text in turns)
    dec = decision(messages=messages, cache=RULE, **changes)
    return dec, [{"role": m.role, "content": m.content} for m in messages]


def probe(dec: Decision, sent: list[dict[str, str]], seed: int = 1) -> Probe | str:
    segment = f"messages[{len(sent) - 1}]"
    return probe_for(dec, sent, {"temperature": 0}, unit(seed)[None, :], segment)


def test_when_only_the_last_user_turn_differs_then_the_partition_is_the_same() -> None:
    one = probe(*asked(("system", "Be brief."), ("user", QUESTION)))
    two = probe(*asked(("system", "Be brief."), ("user", "When is the branch open?")))
    assert isinstance(one, Probe)
    assert isinstance(two, Probe)
    assert one.partition == two.partition
    assert one.threshold == 0.9
    assert abs(float(np.linalg.norm(one.vector)) - 1.0) < 1e-5
    others = [
        probe(*asked(("system", "Be verbose."), ("user", QUESTION))),
        probe(*asked(("user", "Hi"), ("assistant", "Hello!"), ("user", QUESTION))),
        probe(*asked(("system", "Be brief."), ("user", QUESTION), tenant_id="t-two")),
        probe(*asked(("system", "Be brief."), ("user", QUESTION), policy_version="ps-2")),
    ]
    dec, sent = asked(("system", "Be brief."), ("user", QUESTION))
    others.append(probe_for(dec, sent, {"temperature": 0.2}, unit(1)[None, :], "messages[1]"))
    partitions = [p.partition for p in others if isinstance(p, Probe)]
    assert len(partitions) == len(others)
    assert one.partition not in partitions
    assert len(set(partitions)) == len(partitions)


def test_when_the_prompt_was_redacted_or_has_no_embedding_then_there_is_no_probe() -> None:
    redaction = Redaction(
        "messages[0]", 0, 5, "PERSON", "pii", Effect.PSEUDONYMIZE, "<PERSON_1a2b3c4d>"
    )
    dec, sent = asked(("user", "Hours for <PERSON_1a2b3c4d>?"), redactions=(redaction,))
    assert probe(dec, sent) == "the prompt was redacted"
    typed_back = asked(("user", "And for <PERSON_1a2b3c4d>?"))  # a pseudonym of an earlier turn
    assert probe(*typed_back) == "the prompt carries a pseudonym"
    dec, sent = asked(("user", QUESTION))
    assert probe_for(dec, sent, {}, None, None) == "the decision computed no prompt embedding"
    assert probe_for(dec, sent, {}, unit(1)[None, :], "messages[3]") == (
        "the prompt is not the last user turn"
    )


def test_when_the_prompt_has_two_windows_then_the_probe_is_their_normalized_mean() -> None:
    dec, sent = asked(("user", QUESTION))
    rows = np.stack([unit(1), unit(2)])
    found = probe_for(dec, sent, {}, rows, "messages[0]")
    assert isinstance(found, Probe)
    mean = rows.mean(axis=0)
    assert np.allclose(found.vector, mean / np.linalg.norm(mean), atol=1e-6)


def test_when_vectors_are_stored_then_the_nearest_live_one_is_found(redis_url: str) -> None:
    async def run(index: MemoryVectors | RedisVectors) -> None:
        a, b = unit(1), unit(2)
        await index.add("p1", "digest-a", a, expires_at=1060.0, now=1000.0)
        await index.add("p1", "digest-b", b, expires_at=1030.0, now=1000.0)
        await index.add("p2", "digest-c", a, expires_at=1060.0, now=1000.0)
        rows = await index.rows("p1")
        assert {digest for digest, _, _ in rows} == {"digest-a", "digest-b"}
        near_b = (0.9 * b + 0.1 * a).astype(np.float32)
        near_b /= np.linalg.norm(near_b)

        match = nearest(rows, near_b, now=1000.0)
        assert match is not None
        assert match.digest == "digest-b"
        assert 0.9 < match.similarity < 1.0
        later = nearest(rows, near_b, now=1030.0)  # b has expired: a is what is left
        assert later is not None
        assert later.digest == "digest-a"
        assert nearest(rows, near_b, now=1060.0) is None
        assert await index.rows("nowhere") == []

    Redis.from_url(redis_url).flushall()
    asyncio.run(run(MemoryVectors()))
    client = RedisStore.from_url(redis_url, timeout_s=1.0)
    asyncio.run(run(RedisVectors(client.redis)))
    ttl = Redis.from_url(redis_url).ttl(SEMANTIC_PREFIX + "p1")
    assert 55 <= ttl <= 60  # the hash lives as long as its newest entry


def test_when_a_partition_is_full_then_the_first_to_expire_goes(redis_url: str) -> None:
    async def run(index: MemoryVectors | RedisVectors) -> None:
        for i in range(5):
            await index.add("p", f"d{i}", unit(i), expires_at=2000.0 + i, now=1000.0)
        assert sorted(d for d, _, _ in await index.rows("p")) == ["d2", "d3", "d4"]

    Redis.from_url(redis_url).flushall()
    asyncio.run(run(MemoryVectors(max_per_partition=3)))
    client = RedisStore.from_url(redis_url, timeout_s=1.0)
    asyncio.run(run(RedisVectors(client.redis, max_per_partition=3)))
    memory = MemoryVectors(max_partitions=2)

    async def partitions() -> None:
        for name in ("x", "y", "z"):
            await memory.add(name, "d", unit(0), expires_at=2000.0, now=1000.0)
        assert await memory.rows("x") == []  # the least recently used partition went

    asyncio.run(partitions())


def test_when_the_nearest_answer_names_another_scopes_pseudonym_then_it_is_not_served() -> None:
    async def run() -> None:
        clock = FakeClock()
        cache = ResponseCache(MemoryStore(), MemoryVectors(), clock=clock)
        dec, sent = asked(("user", QUESTION))
        found = probe(dec, sent, seed=7)
        assert isinstance(found, Probe)
        stored_key = CacheKey("a" * 64, dec.tenant_id, dec.policy_version, 60)
        text = "Your adviser <PERSON_9f8e7d6c> opens at nine."
        entry = cache.entry_for(stored_key, dec, "m-a", [CachedChoice(0, text, "stop")], None)
        assert await cache.put(stored_key, entry)
        await cache.remember(found.partition, stored_key, found.vector)
        asking = CacheKey("b" * 64, dec.tenant_id, dec.policy_version, 60)
        theirs = {"<PERSON_9f8e7d6c>": "Maria Schneider"}
        hit = await lookup(cache, found, asking, theirs)
        assert not isinstance(hit, str)
        assert hit[0] == stored_key
        assert hit[2].similarity > 0.999
        assert unrestorable(entry, theirs) == frozenset()
        refused = await lookup(cache, found, asking, {})  # another scope: cannot restore it
        assert refused == "the nearest answer names pseudonyms this caller cannot restore"
        far = replace(found, vector=unit(8))
        missed = await lookup(cache, far, asking, theirs)
        assert isinstance(missed, str)
        assert missed.startswith("nearest ")
        assert missed.endswith("< 0.9")
        clock.now += 61
        assert await lookup(cache, found, asking, theirs) == "no stored prompt in this partition"

    asyncio.run(run())


def test_when_prompts_name_different_numbers_then_their_partitions_differ() -> None:
    assert numbers_in("A 10-year term in three bullet points, ten-year, 2025") == [3, 10, 10, 2025]
    assert numbers_in("No numbers here, none at all.") == []
    twins = [
        probe(*asked(("user", text)))
        for text in (
            "Summarize it in three bullet points.",
            "Summarise it in 3 bullet points.",
            "Summarize it in ten bullet points.",
        )
    ]
    assert all(isinstance(p, Probe) for p in twins)
    partitions = [p.partition for p in twins if isinstance(p, Probe)]
    assert partitions[0] == partitions[1]  # "three" and "3" are the same question
    assert partitions[2] != partitions[0]
