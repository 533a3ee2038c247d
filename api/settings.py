"""All of govroute's settings, typed, read once in the entry points and passed down."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.gateway.settings import GatewaySettings
from graph.settings import LocalServerSettings, Neo4jSettings


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVROUTE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    policy_dir: Path = Field(
        default=Path("examples/enterprise"),
        description="Policy content `govroute up` loads before serving.",
    )
    max_prompt_chars: int = Field(default=100_000, gt=0)
    max_request_bytes: int = Field(default=2_000_000, gt=0)
    state_dir: Path = Field(
        default=Path(".govroute"),
        description="Provenance journal and the generated pseudonym secret live here.",
    )
    secret: SecretStr | None = Field(
        default=None,
        description="Key for pseudonyms and keyed hashes; generated once into state_dir if unset.",
    )
    embedder: Literal["onnx", "torch"] = "onnx"
    refresh_interval_s: float = Field(default=2.0, gt=0)
    provenance_flush_interval_s: float = Field(
        default=0.25,
        gt=0,
        le=60,
        description="How long provenance records gather before one write to Neo4j.",
    )

    def load_secret(self) -> bytes:
        """The configured secret, or one generated on first use and kept (0600)."""
        if self.secret is not None:
            value = self.secret.get_secret_value().encode("utf-8")
            if len(value) < 16:
                raise ValueError("GOVROUTE_SECRET must be at least 16 characters")
            return value
        path = self.state_dir / "secret"
        if not path.exists():
            self.state_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip().encode("utf-8")


# ---------------------------------------------------------------- rate limits and telemetry


class RateLimitSettings(BaseSettings):
    """Defaults where the graph sets no limit (0: none), and where the counters live."""

    model_config = SettingsConfigDict(env_prefix="GOVROUTE_", extra="ignore", populate_by_name=True)

    default_rpm: int = Field(default=600, ge=0, description="Requests/min per principal.")
    default_tpm: int = Field(default=1_000_000, ge=0, description="Tokens/min per principal.")
    default_tenant_rpm: int = Field(default=6_000, ge=0, description="Requests/min per tenant.")
    default_tenant_tpm: int = Field(default=10_000_000, ge=0, description="Tokens/min per tenant.")
    redis_url: SecretStr | None = Field(
        default=None,
        validation_alias="REDIS_URL",
        description="Shared counters for several replicas (redis://, rediss://, redis+sentinel://"
        "); unset: in memory, per process.",
    )

    redis_timeout_s: float = Field(
        default=0.05,
        gt=0,
        le=10,
        description="Deadline of each Redis connect and command; a frozen Redis fails within it.",
    )
    redis_backoff_s: float = Field(
        default=2.0,
        ge=0,
        le=300,
        description="After a Redis failure, how long requests skip Redis before one tries again.",
    )
    rate_limit_on_redis_failure: Literal["open", "closed"] = Field(
        default="open",
        description="open: admit unlimited while Redis is away; closed: answer 503.",
    )

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("redis", "valkey")):
            raise ValueError("REDIS_URL must be a redis://, rediss:// or redis+sentinel:// URL")
        return value


class TelemetrySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVROUTE_", extra="ignore", populate_by_name=True)

    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    otlp_endpoint: str | None = Field(
        default=None,
        validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT",
        description="OTLP/HTTP collector base URL (traces go to <it>/v1/traces); unset: no export.",
    )
    service_name: str = Field(default="govroute", validation_alias="OTEL_SERVICE_NAME")


class Settings:
    """The composed settings; each part reads its own environment variables."""

    def __init__(
        self,
        neo4j: Neo4jSettings | None = None,
        local: LocalServerSettings | None = None,
        api: ApiSettings | None = None,
        rate_limits: RateLimitSettings | None = None,
        telemetry: TelemetrySettings | None = None,
        gateway: GatewaySettings | None = None,
    ) -> None:
        self.neo4j = neo4j or Neo4jSettings()
        self.local = local or LocalServerSettings()
        self.api = api or ApiSettings()
        self.rate_limits = rate_limits or RateLimitSettings()
        self.telemetry = telemetry or TelemetrySettings()
        self.gateway = gateway or GatewaySettings()
