"""Review events POSTed to the configured webhook: signed, retried with backoff, bounded.

The body is JSON; the headers carry `X-Govroute-Timestamp` (Unix seconds) and
`X-Govroute-Signature: sha256=<hex>`, the HMAC-SHA256 with the configured secret of
``<timestamp>.<body>``. Signing the timestamp too lets a receiver refuse a replayed
old body. A receiver verifies with `signature` (docs/review.md shows it).

Delivery is at least once: an event whose delivery outcome could not be recorded is
sent again, so receivers dedupe on (review id, event). Retries follow timeouts,
network errors, 408, 429 and 5xx; any other answer is final (a receiver that refuses
a body will refuse it again). After `webhook_attempts` the event is given up on and
the review records it (webhook_status).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from api.review.settings import ReviewSettings

log = logging.getLogger("govroute.review")

SIGNATURE_HEADER = "X-Govroute-Signature"
TIMESTAMP_HEADER = "X-Govroute-Timestamp"
_RETRYABLE = frozenset({408, 429})


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(secret: bytes, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver checks (constant-time); the receiver also bounds the timestamp's age."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


@dataclass(frozen=True, slots=True)
class Delivery:
    delivered: bool
    attempts: int
    detail: str  # "200" or the last failure

    @property
    def status(self) -> str:
        what = "delivered" if self.delivered else "failed"
        return f"{what} after {self.attempts} attempt(s): {self.detail}"


class Webhook:
    """Sends review events to one URL; `None` from `from_settings` when none is set."""

    def __init__(self, settings: ReviewSettings, http: httpx.AsyncClient) -> None:
        assert settings.webhook_url is not None
        assert settings.webhook_secret is not None
        self.url = settings.webhook_url
        self._secret = settings.webhook_secret.get_secret_value().encode()
        self._settings = settings
        self._http = http

    @classmethod
    def from_settings(cls, settings: ReviewSettings) -> Webhook | None:
        if settings.webhook_url is None:
            return None
        timeout = httpx.Timeout(settings.webhook_timeout_s)
        return cls(settings, httpx.AsyncClient(timeout=timeout, follow_redirects=False))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(self, event: str, review: Mapping[str, Any]) -> Delivery:
        body = json.dumps(
            {"event": f"review.{event}", "review": dict(review)},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        settings = self._settings
        detail = "not sent"
        for attempt in range(1, settings.webhook_attempts + 1):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature(self._secret, timestamp, body),
            }
            retryable = True
            try:
                response = await self._http.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                detail = f"{type(exc).__name__}: {exc}"
            else:
                if response.is_success:
                    return Delivery(True, attempt, str(response.status_code))
                detail = f"HTTP {response.status_code}"
                retryable = response.status_code in _RETRYABLE or response.status_code >= 500
            if not retryable or attempt == settings.webhook_attempts:
                log.warning(
                    "review webhook %s for %s failed: %s",
                    event,
                    review.get("id"),
                    detail,
                    extra={"review_id": review.get("id")},
                )
                return Delivery(False, attempt, detail)
            await asyncio.sleep(self.backoff(attempt))
        return Delivery(False, settings.webhook_attempts, detail)

    def backoff(self, attempt: int) -> float:
        """Wait after failed attempt `attempt` (1-based): doubling from the base, capped."""
        settings = self._settings
        return float(
            min(settings.webhook_backoff_cap_s, settings.webhook_backoff_s * 2 ** (attempt - 1))
        )
