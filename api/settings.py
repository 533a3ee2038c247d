"""All of govroute's settings, typed, read once in the entry points and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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


class Settings:
    """The composed settings; each part reads its own environment variables."""

    def __init__(
        self,
        neo4j: Neo4jSettings | None = None,
        local: LocalServerSettings | None = None,
        api: ApiSettings | None = None,
    ) -> None:
        self.neo4j = neo4j or Neo4jSettings()
        self.local = local or LocalServerSettings()
        self.api = api or ApiSettings()
