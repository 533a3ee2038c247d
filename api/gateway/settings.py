"""The gateway's settings: upstream timeouts and pool, retries, breakers, cache, health,
streaming.

Every field reads ``GOVROUTE_<FIELD>`` (``GOVROUTE_UPSTREAM_READ_TIMEOUT_S=30``).
``GOVROUTE_UPSTREAM_OVERRIDES`` is a JSON object mapping provider ids (or
``"*"`` for every provider) to a base URL, so that a demo or a test can point
the graph's providers at a local server without editing the graph:
``{"*": "http://127.0.0.1:9100/v1"}``.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.gateway.breaker import BreakerConfig
from api.gateway.retry import RetryPolicy

_URL = re.compile(r"^https?://\S+$")


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVROUTE_", extra="ignore")

    upstream_overrides: dict[str, str] = Field(
        default_factory=dict,
        description='Provider id (or "*") -> base URL used instead of the graph\'s.',
    )
    upstream_connect_timeout_s: float = Field(default=5.0, gt=0)
    upstream_read_timeout_s: float = Field(
        default=60.0, gt=0, description="Longest silence between bytes (a stream's chunks too)."
    )
    upstream_write_timeout_s: float = Field(default=10.0, gt=0)
    upstream_pool_timeout_s: float = Field(default=5.0, gt=0)
    upstream_max_connections: int = Field(default=200, ge=1)
    upstream_max_keepalive: int = Field(default=50, ge=0)
    request_budget_s: float = Field(
        default=120.0,
        gt=0,
        description="No new attempt (retry or fallback) starts after this long.",
    )

    retry_max_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Calls per model while other candidates remain behind it.",
    )
    retry_request_attempts: int = Field(
        default=6,
        ge=1,
        le=20,
        description="Calls per request across candidates; the last one left gets the rest.",
    )
    retry_base_s: float = Field(default=0.25, ge=0)
    retry_cap_s: float = Field(default=4.0, ge=0)
    retry_after_max_s: float = Field(
        default=10.0, ge=0, description="A longer Retry-After falls back instead of waiting."
    )

    breaker_window: int = Field(default=20, ge=1)
    breaker_min_calls: int = Field(default=5, ge=1)
    breaker_failure_rate: float = Field(default=0.5, gt=0, le=1)
    breaker_cooldown_s: float = Field(default=30.0, ge=0)
    breaker_shared: bool = Field(
        default=True, description="Keep breaker state in Redis when REDIS_URL is set."
    )
    breaker_redis_timeout_s: float = Field(
        default=0.05,
        gt=0,
        le=1,
        description="Longest wait for Redis per breaker call; then this replica's own state.",
    )

    cache_enabled: bool = Field(
        default=True,
        description="Serve answers again where a policy's `cache:` allows (off: never).",
    )
    cache_shared: bool = Field(
        default=True, description="Keep the response cache in Redis when REDIS_URL is set."
    )
    cache_max_entries: int = Field(default=10_000, ge=1, description="Memory cache: entries.")
    cache_max_mb: int = Field(default=64, ge=1, description="Memory cache: megabytes.")
    cache_max_entry_kb: int = Field(
        default=256, ge=1, description="A larger answer is never stored."
    )
    cache_redis_timeout_s: float = Field(
        default=0.05, gt=0, le=1, description="Longest wait for Redis per cache call; then a miss."
    )
    health_alpha: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="How far each call moves a model's latency and error averages (EWMA).",
    )
    health_stale_s: float = Field(
        default=60.0,
        gt=0,
        description="Figures older than this count as unmeasured: a model moved down the "
        "order gets a call again.",
    )
    health_shared: bool = Field(
        default=True, description="Share model health through Redis when REDIS_URL is set."
    )

    stream_hold_chars: int = Field(
        default=256, ge=32, description="Answer characters a stream holds back for filtering."
    )

    @field_validator("upstream_overrides")
    @classmethod
    def _urls(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted(k for k, url in value.items() if not _URL.match(url))
        if bad:
            raise ValueError(f"override for {', '.join(bad)} is not an http(s) URL")
        return {k: url.rstrip("/") for k, url in value.items()}

    @model_validator(mode="after")
    def _consistent(self) -> GatewaySettings:
        if self.breaker_min_calls > self.breaker_window:
            raise ValueError("breaker_min_calls cannot exceed breaker_window")
        return self

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.retry_max_attempts,
            request_attempts=self.retry_request_attempts,
            base_s=self.retry_base_s,
            cap_s=self.retry_cap_s,
            max_retry_after_s=self.retry_after_max_s,
        )

    def breaker_config(self) -> BreakerConfig:
        return BreakerConfig(
            window=self.breaker_window,
            min_calls=self.breaker_min_calls,
            failure_rate=self.breaker_failure_rate,
            cooldown_s=self.breaker_cooldown_s,
        )

    def base_url_for(self, provider_id: str, configured: str) -> str:
        return self.upstream_overrides.get(
            provider_id, self.upstream_overrides.get("*", configured)
        ).rstrip("/")
