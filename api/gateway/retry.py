"""When to call a model again, and after how long. Pure: the clock and randomness are handed in.

Retryable: timeouts, network errors (refused, reset, dropped), HTTP 408, 429 and every 5xx.
Anything else (400 and friends) would fail the same way again.

Attempts come from one budget per request (``request_attempts`` calls across all
candidates, the first call included), so that retries cannot multiply load without
bound, and so that what one candidate does not use goes to the others. While
other candidates remain behind a model, it gets at most ``max_attempts`` calls and
leaves one for each of them: fallbacks come before retries. The last candidate a
request can call gets everything that is left, so a sole compliant model gets the
whole budget (`RetryPolicy.share`).

Backoff is exponential with full jitter (a uniform draw between 0 and
``min(cap, base * 2**(retry - 1))``), so callers that failed together do not
return together. A provider's ``Retry-After`` (seconds or an HTTP date) or
``retry-after-ms`` is a floor on the wait; when it asks for longer than
``max_retry_after_s``, waiting is not worth it and the gateway falls back to the
next candidate instead.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_KINDS = frozenset({"timeout", "network"})


def is_retryable(kind: str, status: int | None) -> bool:
    """`kind` is "timeout", "network" (connection refused or dropped), "http" (with
    `status`), or anything else (never retried)."""
    if kind in RETRYABLE_KINDS:
        return True
    return kind == "http" and status is not None and (status in (408, 429) or status >= 500)


def parse_retry_after(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds the upstream asked to wait, from ``retry-after-ms`` or ``Retry-After``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        seconds = _number(millis)
        if seconds is not None:
            return seconds / 1000
    value = lowered.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _number(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 3  # per model while other candidates remain, the first call included
    request_attempts: int = 6  # per request, across candidates: the retry budget
    base_s: float = 0.25
    cap_s: float = 4.0
    max_retry_after_s: float = 10.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.request_attempts < 1:
            raise ValueError("request_attempts must be at least 1")
        if self.base_s < 0 or self.cap_s < 0 or self.max_retry_after_s < 0:
            raise ValueError("backoff durations must not be negative")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Full-jitter delay before retry number `retry` (1 for the first retry)."""
        ceiling = min(self.cap_s, self.base_s * 2 ** max(0, retry - 1))
        return rng.uniform(0.0, ceiling)

    def share(self, left: int, behind: int) -> int:
        """Calls the next model may make when the request has `left` calls of its
        budget and `behind` candidates after this one could still be called.

        Each of those keeps one call, this model takes at most `max_attempts`, and
        the last model takes all that is left. The model about to be called always
        gets one call while the budget lasts, even when more candidates remain than
        calls: the earlier ones are the decision's preference."""
        if left <= 0:
            return 0
        if behind <= 0:
            return left
        return max(1, min(self.max_attempts, left - behind))

    def delay(
        self,
        attempt: int,
        retry_after: float | None,
        rng: random.Random,
        *,
        allowed: int | None = None,
    ) -> float | None:
        """Seconds to wait before calling again after failed attempt `attempt`
        (1-based) of `allowed` on this model (`share`; `max_attempts` when not
        given), or None: no more attempts on this model, fall back."""
        if attempt >= (self.max_attempts if allowed is None else allowed):
            return None
        if retry_after is not None and retry_after > self.max_retry_after_s:
            return None
        wait = self.backoff(attempt, rng)
        return max(wait, retry_after) if retry_after is not None else wait
