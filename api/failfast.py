"""Bounded time for a shared dependency such as Redis: short timeouts, then back off.

A frozen Redis (SIGSTOP, a stalled VM) accepts connections and never answers, so
without a socket timeout every request waits as long as the client's retry loop
(40 s measured with redis-py's defaults). `redis_client_options` gives each call a
deadline sized to the decision budget and no client-side retries; `FailFast` then
stops asking the dependency for `backoff_s` after a failure, so the requests that
follow answer at once (open or closed, as the caller decides) instead of each
waiting out the timeout, and lets a single caller try again after the back-off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger("govroute.dependency")


def redis_client_options(timeout_s: float) -> dict[str, Any]:
    """Keyword arguments for `redis.Redis` (and `limits`' storage): one deadline per
    connect and per command, no retry (a retry doubles the wait of a frozen server)."""
    return {
        "socket_timeout": timeout_s,
        "socket_connect_timeout": timeout_s,
        "retry": Retry(NoBackoff(), 0),
        "retry_on_timeout": False,
    }


class FailFast:
    """Closed (asking) until a failure; then open for `backoff_s`; then one trial call."""

    def __init__(
        self, name: str, backoff_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self._backoff = backoff_s
        self._clock = clock
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._failing = False
        self._trial = False

    def permits(self) -> bool:
        """Whether this caller may ask the dependency now (False: answer without it)."""
        with self._lock:
            if not self._failing:
                return True
            if self._trial or self._clock() < self._open_until:
                return False
            self._trial = True  # this caller tries; the others keep answering without
            return True

    def succeeded(self) -> None:
        with self._lock:
            if self._failing:
                log.info("%s answers again", self.name)
            self._failing = self._trial = False

    def failed(self) -> None:
        with self._lock:
            self._failing, self._trial = True, False
            self._open_until = self._clock() + self._backoff

    @property
    def failing(self) -> bool:
        return self._failing
