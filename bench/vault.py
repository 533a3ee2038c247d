"""Benchmark: what the pseudonym vault adds to a request, against a real Redis and in memory.

    .venv/bin/python bench/vault.py [--rounds N] [--entries K]

Starts its own redis-server on a free loopback port (persistence off), then times,
per request-sized batch of K entries (a decision's pseudonyms): `Vault.keep` (seal +
one pipelined SET PX) and `Vault.find` (one MGET + open), and the same with the
in-process store; prints p50/p99 in microseconds. Also checks and prints the two
figures of issue 10: whether a pseudonym made by one vault instance is restored by
another with the same secret (two replicas), and whether two instances with
different self-generated secrets agree (what replicas did before GOVROUTE_SECRET was
required on shared state).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402

from api.settings import VaultSettings  # noqa: E402
from api.vault.cipher import VaultCipher  # noqa: E402
from api.vault.stores import MemoryVaultStore, RedisVaultStore  # noqa: E402
from api.vault.vault import Vault  # noqa: E402
from engine.redact import pseudonym  # noqa: E402
from engine.vault import VaultEntry  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1e6:8.1f} µs   p99 {p99 * 1e6:8.1f} µs"


def time_vault(vault: Vault, rounds: int, entries: int) -> tuple[list[float], list[float]]:
    keeps: list[float] = []
    finds: list[float] = []
    for n in range(rounds):
        scope = f"tenant:t{n % 7}/principal:p{n % 50}"
        batch = [
            VaultEntry(f"<PERSON_{n:06x}{k:02x}>", "PERSON", "person_name", f"Name {n} {k}")
            for k in range(entries)
        ]
        began = time.perf_counter()
        vault.keep(scope, batch)
        keeps.append(time.perf_counter() - began)
        began = time.perf_counter()
        found = vault.find(scope, [e.pseudonym for e in batch])
        finds.append(time.perf_counter() - began)
        assert len(found) == entries
    return keeps, finds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=3)
    args = parser.parse_args()
    secret = secrets.token_urlsafe(32).encode()
    with running_redis() as redis:
        url = redis.url
        settings = VaultSettings(redis_url=SecretStr(url), timeout_s=1.0)
        shared = Vault(RedisVaultStore(url, 1.0), VaultCipher(secret), settings)
        local = Vault(MemoryVaultStore(100_000), VaultCipher(secret), settings)
        for name, vault in (("redis", shared), ("memory", local)):
            keeps, finds = time_vault(vault, args.rounds, args.entries)
            print(f"{name:6} keep {args.entries} entries: {percentiles(keeps)}")
            print(f"{name:6} find {args.entries} entries: {percentiles(finds)}")

        # Two replicas, same secret: one keeps, the other restores.
        replica_b = Vault(RedisVaultStore(url, 1.0), VaultCipher(secret), settings)
        scope = "tenant:nw-eu/principal:eu-support-agent"
        made = [
            pseudonym(f"DE89 3704 0044 0532 0130 {n:02d}", "IBAN_CODE", secret, scope)
            for n in range(100)
        ]
        shared.keep(scope, [VaultEntry(p, "IBAN_CODE", "iban", "x") for p in made])
        again = [
            pseudonym(f"DE89 3704 0044 0532 0130 {n:02d}", "IBAN_CODE", secret, scope)
            for n in range(100)
        ]
        restored = replica_b.find(scope, again)
        same = sum(a == b for a, b in zip(made, again, strict=True))
        print(f"same secret: same pseudonym {same}/100, restored by the other {len(restored)}/100")
        other = secrets.token_urlsafe(32).encode()
        differ = [
            pseudonym(f"DE89 3704 0044 0532 0130 {n:02d}", "IBAN_CODE", other, scope)
            for n in range(100)
        ]
        agree = sum(a == b for a, b in zip(made, differ, strict=True))
        print(f"self-generated secrets: same pseudonym {agree}/100 (why they are refused now)")
        for vault in (shared, local, replica_b):
            vault.close()


if __name__ == "__main__":
    main()
