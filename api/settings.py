"""All of govroute's settings, typed, read once in the entry points and passed down."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
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
