"""Typed settings for reaching Neo4j, read once by the entry points.

When NEO4J_URI is set, govroute uses that server and starts none; otherwise it
runs its own Community server (graph.server) under GOVROUTE_HOME.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Neo4jSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"))
    user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))
    # Bounded time (docs/operations.md, "When a dependency fails"): sized so that an
    # uncached key gets its 503 within a second however the server fails.
    request_timeout_s: float = Field(
        default=0.8,
        gt=0,
        le=30,
        validation_alias=AliasChoices("GOVROUTE_NEO4J_REQUEST_TIMEOUT_S"),
        description="Longest wait for a graph read on the request path (keys, item facts).",
    )
    probe_interval_s: float = Field(
        default=0.5,
        gt=0,
        le=60,
        validation_alias=AliasChoices("GOVROUTE_NEO4J_PROBE_INTERVAL_S"),
        description="How often the liveness probe asks the server (RETURN 1).",
    )
    probe_timeout_s: float = Field(
        default=1.0,
        gt=0,
        le=30,
        validation_alias=AliasChoices("GOVROUTE_NEO4J_PROBE_TIMEOUT_S"),
        description="A probe unanswered this long marks the graph down (/readyz 503).",
    )
    connect_timeout_s: float = Field(
        default=2.0, gt=0, validation_alias=AliasChoices("GOVROUTE_NEO4J_CONNECT_TIMEOUT_S")
    )
    acquisition_timeout_s: float = Field(
        default=2.0, gt=0, validation_alias=AliasChoices("GOVROUTE_NEO4J_ACQUISITION_TIMEOUT_S")
    )
    max_retry_time_s: float = Field(
        default=5.0,
        ge=0,
        validation_alias=AliasChoices("GOVROUTE_NEO4J_MAX_RETRY_TIME_S"),
        description="Managed transactions (loads, provenance writes) retry this long at most.",
    )

    @field_validator("uri", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value  # `NEO4J_URI=` in a shell means "not set"

    @field_validator("uri")
    @classmethod
    def _scheme(cls, value: str | None) -> str | None:
        schemes = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
        if value is not None and not value.startswith(schemes):
            raise ValueError(
                f"NEO4J_URI must start with one of {', '.join(schemes)}; got {value!r}"
            )
        return value

    @property
    def external(self) -> bool:
        return self.uri is not None


class LocalServerSettings(BaseSettings):
    """The bundled Neo4j Community server's layout and sizing."""

    model_config = SettingsConfigDict(env_prefix="GOVROUTE_NEO4J_", extra="ignore")

    home: Path = Field(
        default=Path(".govroute/neo4j"),
        description="Server home: conf, data, logs, run (git-ignored).",
    )
    cache: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "govroute",
        description="Where the Maven-fetched jars are kept between runs.",
    )
    bolt_port: int = Field(default=7687, ge=1, le=65535)
    http_port: int = Field(default=7474, ge=1, le=65535)
    # Sized for a 2-core, 24 GB machine that also runs the API and the embedding model.
    heap: str = Field(default="2g", pattern=r"^\d+[mg]$")
    pagecache: str = Field(default="2g", pattern=r"^\d+[mg]$")
    java: Path | None = Field(default=None, description="java binary (17 or 21); found if unset.")
    start_timeout_s: float = Field(default=180.0, gt=0)
