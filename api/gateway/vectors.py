"""Prompt vectors of the semantic cache (api/gateway/semantic.py), per partition.

In Redis, one hash per partition (``govroute:cache:sem:<sha256>``; field: the entry's
digest; value: its expiry as a double, then the vector as float16), the hash expiring
with its newest entry; in memory, a table per partition, least recently used
partitions out first. Both keep at most `max_per_partition` live vectors (expired ones
first, then the first to expire) and are scanned with numpy: Redis Stack's vector
search is not assumed.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt
from redis.asyncio import Redis

SEMANTIC_PREFIX = "govroute:cache:sem:"
MAX_PER_PARTITION = 256
"""Vectors scanned per lookup at most: 256 x 384 float16 is 200 KB from Redis and a
0.1 ms matrix product; an FAQ partition past that keeps the entries that live longest."""
MAX_PARTITIONS = 4096
"""Partitions the memory index keeps (least recently used out first)."""
_HEAD = struct.Struct("<d")  # the entry's expiry, before its float16 vector

Vector = npt.NDArray[np.float32]
Row = tuple[str, float, Vector]  # digest, expires_at (wall clock), unit vector


@dataclass(frozen=True, slots=True)
class Match:
    digest: str  # the matched entry's exact key
    similarity: float


def nearest(rows: Sequence[Row], vector: Vector, now: float) -> Match | None:
    """The live row most similar to `vector` (unit rows: the dot product is the cosine)."""
    live = [(digest, row) for digest, expires, row in rows if expires > now]
    if not live:
        return None
    similarities = np.stack([row for _, row in live]).astype(np.float32) @ vector
    best = int(np.argmax(similarities))
    return Match(live[best][0], float(similarities[best]))


class VectorIndex(Protocol):
    """Prompt vectors per partition. May raise RedisError; the cache bounds each call."""

    async def rows(self, partition: str) -> list[Row]: ...
    async def add(
        self, partition: str, digest: str, vector: Vector, expires_at: float, now: float
    ) -> None: ...


@dataclass(slots=True)
class MemoryVectors:
    max_per_partition: int = MAX_PER_PARTITION
    max_partitions: int = MAX_PARTITIONS
    _tables: OrderedDict[str, dict[str, tuple[float, Vector]]] = field(default_factory=OrderedDict)

    async def rows(self, partition: str) -> list[Row]:
        table = self._tables.get(partition)
        if table is None:
            return []
        self._tables.move_to_end(partition)
        return [(digest, expires, vector) for digest, (expires, vector) in table.items()]

    async def add(
        self, partition: str, digest: str, vector: Vector, expires_at: float, now: float
    ) -> None:
        table = self._tables.setdefault(partition, {})
        self._tables.move_to_end(partition)
        table[digest] = (expires_at, vector)
        _bound(table, self.max_per_partition, now)
        while len(self._tables) > self.max_partitions:
            self._tables.popitem(last=False)


def _bound(table: dict[str, tuple[float, Vector]], limit: int, now: float) -> list[str]:
    """Drop expired rows, then the first to expire, down to `limit`; the dropped digests."""
    dropped = [digest for digest, (expires, _) in table.items() if expires <= now]
    for digest in dropped:
        del table[digest]
    if len(table) > limit:
        by_expiry = sorted(table, key=lambda d: table[d][0])
        for digest in by_expiry[: len(table) - limit]:
            del table[digest]
            dropped.append(digest)
    return dropped


@dataclass(slots=True)
class RedisVectors:
    redis: Redis
    max_per_partition: int = MAX_PER_PARTITION

    async def rows(self, partition: str) -> list[Row]:
        # redis-py types its hash commands for its sync and async clients at once.
        reading = cast(
            "Awaitable[dict[bytes, bytes]]", self.redis.hgetall(SEMANTIC_PREFIX + partition)
        )
        raw = await reading
        out = []
        for digest, value in raw.items():
            if len(value) <= _HEAD.size:
                continue  # not ours: ignored
            (expires,) = _HEAD.unpack_from(value)
            vector = np.frombuffer(value, dtype="<f2", offset=_HEAD.size).astype(np.float32)
            out.append((digest.decode("ascii"), expires, vector))
        return out

    async def add(
        self, partition: str, digest: str, vector: Vector, expires_at: float, now: float
    ) -> None:
        name = SEMANTIC_PREFIX + partition
        value = _HEAD.pack(expires_at) + vector.astype("<f2").tobytes()
        ttl = max(1, int(expires_at - now + 0.999))
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hset(name, mapping={digest: value})
            pipe.expire(name, ttl, gt=True)  # the hash lives as long as its newest entry
            pipe.expire(name, ttl, nx=True)  # (GT never sets a first expiry)
            pipe.hlen(name)
            *_, count = await pipe.execute()
        if int(count) > self.max_per_partition:
            table = {d: (e, v) for d, e, v in await self.rows(partition)}
            dropped = _bound(table, self.max_per_partition, now)
            if dropped:
                await cast("Awaitable[int]", self.redis.hdel(name, *dropped))
