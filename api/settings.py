"""All of govroute's settings, typed, read once in the entry points and passed down."""

from __future__ import annotations

import secrets
from ipaddress import ip_address
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.gateway.settings import GatewaySettings
from api.review.settings import ReviewSettings
from engine.errors import InvalidConfiguration
from engine.vault import VaultScope
from graph.settings import LocalServerSettings, Neo4jSettings

DRIFT_CHECK_DEFAULT_S = 300.0
"""How often `govroute serve` checks for drift unless told: a canary judged on an hour
of traffic needs no faster look, and a breach is undone within five minutes."""


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
    max_policy_bytes: int = Field(
        default=8_000_000,
        gt=0,
        description="Policy content staged through POST /v1/admin/policies/candidates.",
    )
    state_dir: Path = Field(
        default=Path(".govroute"),
        description="Provenance journal and the generated pseudonym secret live here.",
    )
    secret: SecretStr | None = Field(
        default=None,
        description="Key for pseudonyms, keyed hashes and the vault; generated once into state_dir "
        "if unset, which a replica on shared state (remote graph, Redis) refuses.",
    )
    embedder: Literal["onnx", "torch"] = "onnx"
    intent_cascade: bool = Field(
        default=False,
        description="Match intents with the static model first and MiniLM only where its "
        "answer is ambiguous (engine.cascade); false: MiniLM for every prompt. Off by "
        "default: it settles a prompt carrying an IBAN as account_balance_inquiry (0.70) "
        "where MiniLM reads sql_generation (docs/intent.md).",
    )
    refresh_interval_s: float = Field(default=2.0, gt=0)
    provenance_flush_interval_s: float = Field(
        default=0.25,
        gt=0,
        le=60,
        description="How long provenance records gather before one write to Neo4j.",
    )
    drift_check_interval_s: float | None = Field(
        default=None,
        ge=0,
        description="Seconds between drift checks in the server (lifecycle.drift_check); 0: "
        "none. Unset: `govroute serve` checks every DRIFT_CHECK_DEFAULT_S, an app built "
        "otherwise (tests) does not check.",
    )

    def load_secret(self, *, shared_by: str | None = None) -> bytes:
        """The configured secret, or one generated on first use and kept (0600).

        `shared_by` names the state this process shares with others (a remote graph,
        a Redis): then a secret of its own would make its pseudonyms and keyed hashes
        differ from every other replica's, and its vault entries unreadable to them,
        so only GOVROUTE_SECRET will do."""
        if self.secret is not None:
            value = self.secret.get_secret_value().encode("utf-8")
            if len(value) < 16:
                raise ValueError("GOVROUTE_SECRET must be at least 16 characters")
            return value
        if shared_by is not None:
            raise InvalidConfiguration(
                f"GOVROUTE_SECRET is not set, but {shared_by} is shared with other replicas: "
                "each would generate a secret of its own, so the same value would get "
                "different pseudonyms and one replica could not restore another's. Set "
                "GOVROUTE_SECRET (16+ characters, the same on every replica)."
            )
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


class VaultSettings(BaseSettings):
    """The pseudonym vault (api/vault/): where mappings live, for how long, shared by whom."""

    model_config = SettingsConfigDict(
        env_prefix="GOVROUTE_VAULT_", extra="ignore", populate_by_name=True
    )

    scope: VaultScope = Field(
        default=VaultScope.PRINCIPAL,
        description="Who shares pseudonyms: tenant, principal or conversation.",
    )
    ttl_s: float = Field(
        default=86_400.0, gt=0, le=31 * 86_400, description="How long a mapping is kept."
    )
    max_entries: int = Field(
        default=100_000, gt=0, description="Without Redis: mappings kept in this process."
    )
    timeout_s: float = Field(
        default=0.1, gt=0, le=5, description="Per Redis call; then the vault is skipped."
    )
    backoff_s: float = Field(
        default=2.0,
        ge=0,
        le=300,
        description="After a Redis failure, how long the vault is skipped before one call tries.",
    )
    redis_url: SecretStr | None = Field(
        default=None,
        validation_alias="REDIS_URL",
        description="The same Redis as the rate limits; unset: an in-process vault.",
    )


class TelemetrySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVROUTE_", extra="ignore", populate_by_name=True)

    log_format: Literal["json", "text", "auto"] = Field(
        default="auto",
        description="auto: short text lines on a terminal, JSON lines otherwise.",
    )
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
        vault: VaultSettings | None = None,
        review: ReviewSettings | None = None,
    ) -> None:
        self.neo4j = neo4j or Neo4jSettings()
        self.local = local or LocalServerSettings()
        self.api = api or ApiSettings()
        self.rate_limits = rate_limits or RateLimitSettings()
        self.telemetry = telemetry or TelemetrySettings()
        self.gateway = gateway or GatewaySettings()
        self.vault = vault or VaultSettings()
        self.review = review or ReviewSettings()

    def shared_state(self) -> str | None:
        """What this process shares with other replicas, if anything (see `load_secret`).

        A NEO4J_URI on another host, or any REDIS_URL (Redis is only ever configured to
        be shared); the bundled local server or a loopback NEO4J_URI is this host's own."""
        if self.neo4j.uri is not None and not _is_loopback(self.neo4j.uri):
            return f"the graph at NEO4J_URI ({_host(self.neo4j.uri)})"
        if self.rate_limits.redis_url is not None or self.vault.redis_url is not None:
            return "Redis (REDIS_URL)"
        return None

    def load_secret(self) -> bytes:
        return self.api.load_secret(shared_by=self.shared_state())


def _host(uri: str) -> str:
    return urlsplit(uri).hostname or ""


def _is_loopback(uri: str) -> bool:
    host = _host(uri)
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
