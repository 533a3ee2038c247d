"""The response cache's semantic match: a paraphrase served the answer to its twin.

Only where every applicable cache policy sets `semantic_threshold`
(engine.serving.CacheRule), and only after the exact key missed. Two requests are
candidates for each other when everything but the prompt is exactly equal: the
*partition* is the exact key's material (tenant, PolicySet version, route, forwarded
parameters, the sanitized conversation and context) with the prompt left out. The
prompt is the last user turn; within a partition the stored entry whose prompt
embedding is nearest (cosine) answers, if it reaches the threshold. A multi-turn
request therefore matches only a request with exactly the same earlier turns: an
earlier answer changes what "the same question" means, and a paraphrase of the whole
conversation is not something one embedding of the last turn can judge. The numbers
the prompt names are part of the partition too (`numbers_in`): MiniLM scores "in
2023" and "in 2025" alike, and they are different questions.

The embedding is the decision's own (engine.decide.Analysis.prompt_vectors, the intent
index's MiniLM rows, averaged over windows): nothing is embedded here. That embedding is
of the caller's normalized words, so semantic matching is skipped (and the cache
outcome says why) when the prompt turn was redacted or carries a pseudonym
placeholder: then the stored vector would encode values the sanitized request does
not carry, and two prompts about different people would look alike. A stored answer
naming a placeholder the new caller cannot restore is not served either
(`unrestorable`): its pseudonyms belong to another scope.

Vectors live beside the entries (api/gateway/vectors.py): in Redis, one hash per partition
(``govroute:cache:sem:<sha256>``, field = the entry's digest, value = its expiry and
the vector as float16), the hash expiring with the newest entry; in memory, a table
per partition. Both hold at most `max_per_partition` live vectors (the first to
expire goes first) and are scanned with numpy: Redis Stack's vector search is not
assumed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from api.gateway.cache import CachedAnswer, CacheKey, ResponseCache, key_material
from api.gateway.cached import SemanticHit
from api.gateway.vectors import Vector
from engine.decide import message_key
from engine.decision import Decision
from engine.vault import placeholders_in


@dataclass(frozen=True, slots=True)
class Probe:
    """What a request looks for: its partition, its prompt's unit vector, the threshold."""

    partition: str  # hex SHA-256 of the key material without the prompt turn
    vector: Vector = field(repr=False)
    threshold: float


def probe_for(
    decision: Decision,
    messages: Sequence[Mapping[str, Any]],
    params: Mapping[str, Any],
    vectors: npt.NDArray[np.float32] | None,
    segment: str | None,
) -> Probe | str:
    """This request's probe, or why it has none; `messages` are the sanitized upstream
    messages (`cache_key`'s), `vectors` and `segment` the decision's prompt embedding."""
    rule = decision.cache
    assert rule is not None
    assert rule.semantic_threshold is not None
    if vectors is None or segment is None or len(vectors) == 0:
        return "the decision computed no prompt embedding"
    last = _last_user(decision.messages)
    if last is None or message_key(last) != segment:
        return "the prompt is not the last user turn"
    if any(r.segment == segment for r in decision.redactions):
        return "the prompt was redacted"
    prompt = decision.messages[last].content
    if placeholders_in([prompt]):
        return "the prompt carries a pseudonym"
    sent = _last_user(messages)
    if sent is None or messages[sent].get("content") != prompt:
        return "the prompt is not sent as it was decided"
    others = [dict(m) for m in messages]
    others[sent]["content"] = None  # the one thing that may differ
    material = key_material(decision, others, params) | {
        "semantic": True,
        "numbers": numbers_in(prompt),
    }
    encoded = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm == 0.0:
        return "the prompt embedding is empty"
    return Probe(
        hashlib.sha256(encoded.encode("utf-8")).hexdigest(),
        (mean / norm).astype(np.float32),
        rule.semantic_threshold,
    )


_NUMBER_WORDS = {
    word: index
    for index, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def numbers_in(text: str) -> list[int]:
    """The numbers a prompt names (digits, and English number words up to twenty), in
    order of size: part of the partition, since the embedding barely tells "2023" from
    "2025" or a 10-year from a 20-year term (bench/cache.py --semantic measured 0.95
    cosine for such pairs), and a different number is a different question."""
    found = []
    for token in _TOKEN.findall(text.lower()):
        if token.isdecimal():
            found.append(int(token))
        elif token in _NUMBER_WORDS:
            found.append(_NUMBER_WORDS[token])
    return sorted(found)


def unrestorable(entry: CachedAnswer, pseudonyms: Mapping[str, str]) -> frozenset[str]:
    """Placeholders in the stored answer that this caller's pseudonyms do not restore."""
    texts = [c.content for c in entry.choices if c.content]
    return placeholders_in(texts) - set(pseudonyms)


def _last_user(messages: Sequence[Any]) -> int | None:
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        role = message.get("role") if isinstance(message, Mapping) else message.role
        if role == "user":
            return index
    return None


async def lookup(
    cache: ResponseCache, probe: Probe, key: CacheKey, pseudonyms: Mapping[str, str]
) -> tuple[CacheKey, CachedAnswer, SemanticHit] | str:
    """The entry a paraphrase of this request stored (its key, the entry, how it was
    found), or why there is none; `key` is this request's exact key, which missed."""
    match = await cache.nearest(probe.partition, probe.vector)
    if match is None:
        return "no stored prompt in this partition"
    if match.similarity < probe.threshold:
        return f"nearest {match.similarity:.4f} < {probe.threshold:g}"
    matched = CacheKey(match.digest, key.tenant, key.policy_version, key.ttl_s)
    entry = await cache.get(matched)
    if entry is None:
        return f"nearest {match.similarity:.4f} but its entry is gone"
    if unrestorable(entry, pseudonyms):
        # Its pseudonyms are another scope's: this caller would get an answer about
        # someone else's values, with their placeholders in it.
        return "the nearest answer names pseudonyms this caller cannot restore"
    return matched, entry, SemanticHit(key, match.similarity)
