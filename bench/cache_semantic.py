"""bench/cache.py --semantic: the paraphrase workload (bench/paraphrases.py), offline sweep
and through the gateway. Run through bench/cache.py, which starts Neo4j and the rest."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import openai

from api.gateway.semantic import numbers_in
from bench.paraphrases import GROUPS, near_miss_count, paraphrase_count
from engine.embedding import OnnxEmbedder, Vectors
from engine.normalize import normalize

SWEEP = (0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97)
POLICY = """\
policies:
  - id: bench-cache-eu-semantic
    description: nw-eu answers may be served again to paraphrases for ten minutes.
    effect: constrain
    applies_to: {{tenants: [nw-eu]}}
    cache: {{ttl_seconds: 600, semantic_threshold: {threshold}}}
  - id: bench-allow-eu
    description: For the benchmark only, nw-eu may ask every question of the workload.
    effect: allow
    applies_to: {{tenants: [nw-eu]}}
"""


@dataclass(frozen=True, slots=True)
class Asked:
    prompt: str
    answer_of: tuple[int, str]  # (group, "q" for its question, else the near miss)
    kind: str  # question | paraphrase | near_miss | repeat


def sequence() -> list[Asked]:
    out = []
    for index, group in enumerate(GROUPS):
        out.append(Asked(group.question, (index, "q"), "question"))
        out += [Asked(p, (index, "q"), "paraphrase") for p in group.paraphrases]
        out += [Asked(p, (index, f"n{j}"), "near_miss") for j, p in enumerate(group.near_misses)]
    out += [Asked(g.question, (i, "q"), "repeat") for i, g in enumerate(GROUPS)]
    return out


def prompt_vector(embedder: OnnxEmbedder, text: str) -> Vectors:
    """What the decision computes (engine.intent.IntentIndex.embed_query: the normalized
    text, two windows at most) averaged as the gateway does (api/gateway/semantic.py)."""
    normalized = normalize(text).text
    rows = embedder.embed(embedder.windows(normalized, 2))
    mean = rows.mean(axis=0)
    return (mean / np.linalg.norm(mean)).astype(np.float32)


def sweep() -> None:
    """Which stored answer each request would get, per threshold, without the gateway."""
    embedder = OnnxEmbedder()
    asked = sequence()
    vectors = {a.prompt: prompt_vector(embedder, a.prompt) for a in asked}
    print(
        f"paraphrase workload: {len(GROUPS)} questions, {paraphrase_count()} paraphrases, "
        f"{near_miss_count()} near misses (bench/paraphrases.py)"
    )
    print("offline sweep (the decision's MiniLM vectors; stored on a miss, in order):")
    print("  numbers rule  threshold  paraphrase hits  false hits on near misses")
    for rule in (True, False):
        for threshold in SWEEP:
            right, false_near, false_para = _simulate(asked, vectors, threshold, rule)
            print(
                f"  {'on ' if rule else 'off'}           {threshold:.2f}       "
                f"{right:2d}/{paraphrase_count()} {right / paraphrase_count():6.1%}"
                f"      {false_near:2d}/{near_miss_count()} "
                f"{false_near / near_miss_count():6.1%}"
                + (f"  (+{false_para} wrong paraphrase hits)" if false_para else "")
            )


def _simulate(
    asked: list[Asked], vectors: dict[str, Vectors], threshold: float, numbers_rule: bool
) -> tuple[int, int, int]:
    stored: dict[tuple[int, ...], list[tuple[Vectors, tuple[int, str]]]] = {}
    right = false_near = false_para = 0
    for a in asked:
        if a.kind == "repeat":
            continue
        rows = stored.setdefault(tuple(numbers_in(a.prompt)) if numbers_rule else (), [])
        best = None
        if rows:
            similarities = [float(vectors[a.prompt] @ v) for v, _ in rows]
            at = int(np.argmax(similarities))
            if similarities[at] >= threshold:
                best = rows[at][1]
        if best is None:
            rows.append((vectors[a.prompt], a.answer_of))
        elif best == a.answer_of:
            right += a.kind == "paraphrase"
        elif a.kind == "paraphrase":
            false_para += 1
        else:
            false_near += 1
    return right, false_near, false_para


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    right: int = 0
    false_near: int = 0
    false_para: int = 0

    def add(self, what: str, ms: float) -> None:
        self.latencies.setdefault(what, []).append(ms)


def through_gateway(
    client: openai.OpenAI, spread: Callable[[list[float]], str], upstream_calls: Callable[[], int]
) -> None:
    """The workload through the app; prints rates and latencies by outcome."""
    answers = {a.prompt: a.answer_of for a in sequence()}
    tally = Tally()
    for a in sequence():
        began = time.perf_counter()
        raw = client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": a.prompt}], temperature=0
        )
        elapsed = (time.perf_counter() - began) * 1000
        answer = raw.parse().choices[0].message.content or ""
        source = answer.removeprefix("You said: ")
        state = raw.headers["x-govroute-cache"]
        if not state.startswith("hit"):
            assert source == a.prompt, (a.prompt, answer)
            tally.add("miss", elapsed)
            continue
        semantic = "; semantic=" in state
        tally.add("semantic hit" if semantic else "exact hit", elapsed)
        if answers[source] == a.answer_of:
            tally.right += a.kind == "paraphrase"
        elif a.kind == "paraphrase":
            tally.false_para += 1
        else:
            tally.false_near += 1
    misses = len(tally.latencies.get("miss", []))
    assert upstream_calls() == misses, (upstream_calls(), misses)
    print(
        f"  paraphrase hits   {tally.right}/{paraphrase_count()} "
        f"({tally.right / paraphrase_count():.1%})"
    )
    print(
        f"  false hits        {tally.false_near}/{near_miss_count()} near misses "
        f"({tally.false_near / near_miss_count():.1%}), {tally.false_para} wrong paraphrase hits"
    )
    for what in ("miss", "exact hit", "semantic hit"):
        print(f"  {what:<13}     {spread(tally.latencies.get(what, []))}")
    exact, semantic = tally.latencies.get("exact hit"), tally.latencies.get("semantic hit")
    if exact and semantic:
        extra = statistics.median(semantic) - statistics.median(exact)
        print(f"  a semantic hit costs {extra:+.2f} ms over an exact hit at the median")


def lookup_cost(redis_url: str | None, rounds: int = 200) -> None:
    """The semantic lookup alone on a full partition (256 vectors): what a miss that looks
    for a paraphrase adds, in wall and CPU time (this process's)."""
    import asyncio

    from api.gateway.cache import ResponseCache
    from api.gateway.vectors import MAX_PER_PARTITION

    cache = ResponseCache.create(
        redis_url=redis_url,
        max_entries=10_000,
        max_bytes=64 * 1024 * 1024,
        max_entry_bytes=256 * 1024,
        timeout_s=1.0,
    )
    rng = np.random.default_rng(7)
    rows = rng.standard_normal((MAX_PER_PARTITION + 1, 384)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    now = time.time()

    async def measure() -> tuple[float, float]:
        for i, row in enumerate(rows[1:]):
            await cache.vectors.add("bench", f"{i:064x}", row, now + 600, now)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            match = await cache.nearest("bench", rows[0])
            assert match is not None
        result = (time.perf_counter() - wall) / rounds, (time.process_time() - cpu) / rounds
        await cache.aclose()
        return result

    wall, cpu = asyncio.run(measure())
    where = "redis" if redis_url else "memory"
    print(
        f"  lookup alone ({where}, {MAX_PER_PARTITION} vectors in the partition): "
        f"{wall * 1000:.3f} ms wall, {cpu * 1000:.3f} ms CPU per lookup ({rounds} rounds)"
    )
