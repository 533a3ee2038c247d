"""Benchmark: the cost of the approval path against a direct load (lifecycle.versions).

    .venv/bin/python bench/lifecycle.py [--rounds N]

Starts its own Neo4j (temporary home, free ports; never the developer's server),
loads the reference enterprise, then per round stages a changed copy of it (one
deny policy added or removed, alternately), approves it and activates it, each step
timed; then a direct library load of the same change for comparison, and
`policy list` over every version made. Prints medians and maxima in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.connection import GraphClient  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from lifecycle import versions  # noqa: E402
from lifecycle.actors import admin_for_key  # noqa: E402
from loaders.bundle import Bundle  # noqa: E402
from loaders.policy_load import apply_bundle, read_bundle  # noqa: E402
from loaders.spec import PolicyDocument  # noqa: E402

ENTERPRISE = ROOT / "examples" / "enterprise"
ENGINEER_KEY = "gr_demo_policy_engineer_OjqVP6C_D3eEYxIj"
APPROVER_KEY = "gr_demo_policy_approver_gwJ-AZqMmcvpVfWO"
T = TypeVar("T")


def variant(base: Bundle, round_: int) -> Bundle:
    doc = base.canonical()
    if round_ % 2 == 0:
        template = next(p for p in doc["policies"] if p["id"] == "deny-data-exfiltration")
        doc["policies"].append({**template, "id": "deny-bench", "description": "bench"})
    return Bundle.from_document(PolicyDocument.model_validate(doc), f"bench-{round_}")


def timed(times: dict[str, list[float]], step: str, fn: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = fn()
    times.setdefault(step, []).append((time.perf_counter() - started) * 1000)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    base = read_bundle(ENTERPRISE)
    times: dict[str, list[float]] = {}
    with (
        tempfile.TemporaryDirectory() as home,
        throwaway_server(Path(home), heap="1g", pagecache="512m") as server,
    ):
        client = GraphClient.connect(server.client_settings())
        apply_schema(client)
        apply_bundle(client, base, author="bench", message="reference enterprise")
        engineer = admin_for_key(client, ENGINEER_KEY)
        approver = admin_for_key(client, APPROVER_KEY)
        for r in range(args.rounds):
            staged = timed(
                times,
                "stage",
                partial(
                    versions.stage,
                    client,
                    variant(base, r),
                    actor=engineer,
                    author="",
                    message="bench",
                ),
            )
            assert staged.policy_set is not None
            v = staged.policy_set.version
            timed(times, "approve", partial(versions.approve, client, v, actor=approver))
            timed(times, "activate", partial(versions.activate, client, v, actor=engineer))
        for r in range(args.rounds):
            direct = partial(
                apply_bundle, client, variant(base, r + args.rounds), author="b", message="direct"
            )
            timed(times, "direct load (library)", direct)
        listed = timed(times, "policy list", lambda: versions.listing(client))
        client.close()
    print(f"{args.rounds} rounds on the reference enterprise; {len(listed)} versions listed")
    for step, values in times.items():
        print(
            f"  {step:<22} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms"
            f"   (n={len(values)})"
        )


if __name__ == "__main__":
    main()
