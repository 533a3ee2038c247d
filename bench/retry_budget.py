"""Benchmark: what the per-request attempt budget buys a flaky sole provider, and the wait
it adds.

    .venv/bin/python bench/retry_budget.py [--requests N] [--fail-rate P] [--seed S]

Simulates requests whose only compliant candidate fails each call independently with
probability P (0.5 by default), through the gateway's own pure retry code
(`RetryPolicy.share` and `RetryPolicy.delay`, the shipped settings), before the budget
(3 calls per model, whatever the number of candidates) and after it (the sole candidate
gets the request's whole budget of 6). Prints the share of requests answered and the
back-off the gateway waited: p50, p99 and the worst draw, and the bound (every full-
jitter draw at its ceiling). Upstream call time is not included: each failed call adds
its own latency on top, and no attempt starts after GOVROUTE_REQUEST_BUDGET_S (120 s).
Figures go to docs/gateway.md ("Retries, fallbacks and circuit breakers").
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.gateway.retry import RetryPolicy
from api.gateway.settings import GatewaySettings


@dataclass(frozen=True)
class Outcome:
    answered: bool
    waited_s: float


def one_request(policy: RetryPolicy, allowed: int, fail_rate: float, rng: random.Random) -> Outcome:
    """A sole candidate allowed `allowed` calls: answered or not, and the back-off waited."""
    waited = 0.0
    attempt = 0
    while True:
        attempt += 1
        if rng.random() >= fail_rate:
            return Outcome(True, waited)
        delay = policy.delay(attempt, None, rng, allowed=allowed)
        if delay is None:
            return Outcome(False, waited)
        waited += delay


def bound(policy: RetryPolicy, allowed: int) -> float:
    """The longest back-off a request can wait: every draw at its ceiling."""
    return sum(min(policy.cap_s, policy.base_s * 2.0 ** (r - 1)) for r in range(1, allowed))


def report(name: str, policy: RetryPolicy, allowed: int, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    outcomes = [one_request(policy, allowed, args.fail_rate, rng) for _ in range(args.requests)]
    answered = sum(o.answered for o in outcomes)
    waits = sorted(o.waited_s for o in outcomes)
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    print(
        f"{name:<28} calls {allowed}  answered {100 * answered / len(outcomes):6.2f}%  "
        f"back-off p50 {statistics.median(waits):.2f}s  p99 {p99:.2f}s  "
        f"worst drawn {waits[-1]:.2f}s  bound {bound(policy, allowed):.2f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--fail-rate", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    policy = GatewaySettings().retry_policy()
    print(
        f"sole candidate failing {args.fail_rate:.0%} of calls, {args.requests} requests, "
        f"back-off base {policy.base_s}s cap {policy.cap_s}s (shipped settings)"
    )
    report("before: calls per model", policy, policy.max_attempts, args)
    report("after: the request's budget", policy, policy.share(policy.request_attempts, 0), args)


if __name__ == "__main__":
    main()
