"""Settings of human review (GOVROUTE_REVIEW_*): the queue bound, the webhook, the worker."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReviewSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVROUTE_REVIEW_", extra="ignore")

    queue_limit: int = Field(
        default=100,
        ge=1,
        le=100_000,
        description="Held requests a tenant may have waiting at once; one more is refused "
        "with 429 review_queue_full.",
    )
    queue_full_retry_after_s: float = Field(
        default=60.0, gt=0, description="Retry-After of a review_queue_full answer."
    )
    answer_keep_s: float = Field(
        default=3600.0,
        gt=0,
        le=7 * 24 * 3600,
        description="How long an approved chat request's answer is kept for the poller.",
    )
    webhook_url: str | None = Field(
        default=None, description="Where review events are POSTed; unset: no webhook."
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="HMAC-SHA256 key of the X-Govroute-Signature header."
    )
    webhook_attempts: int = Field(default=5, ge=1, le=20)
    webhook_backoff_s: float = Field(
        default=0.5, gt=0, description="First retry's wait; doubled each time up to the cap."
    )
    webhook_backoff_cap_s: float = Field(default=30.0, gt=0)
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=60)
    worker_interval_s: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often the review worker expires holds, serves approved ones, "
        "announces changes and reads the queue depth.",
    )
    lease_s: float = Field(
        default=120.0,
        gt=0,
        description="A claim on serving or announcing a review lapses after this, so "
        "another replica takes over from one that died.",
    )

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"GOVROUTE_REVIEW_WEBHOOK_URL must be an http(s) URL with a host, not {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _signed(self) -> ReviewSettings:
        # An unsigned webhook would let anyone who can reach the receiver forge verdicts.
        if self.webhook_url and not self.webhook_secret:
            raise ValueError(
                "GOVROUTE_REVIEW_WEBHOOK_URL needs GOVROUTE_REVIEW_WEBHOOK_SECRET: every "
                "webhook body is signed"
            )
        if self.webhook_secret is not None and len(self.webhook_secret.get_secret_value()) < 16:
            raise ValueError("GOVROUTE_REVIEW_WEBHOOK_SECRET must be at least 16 characters")
        return self
