"""The provider kinds of the client x format x kind matrix (tests/test_gateway_matrix.py).

One entry per kind: the fake upstream that speaks its real wire format, the
provider's ``api:`` block as an operator writes it in providers.yaml, and
whether the kind can embed. The matrix gives each kind a provider of its own,
``matrix-<kind>``, with a chat model ``matrix-<kind>-chat`` and (when the kind
embeds) ``matrix-<kind>-embed``; a caller reaches a kind by naming its model.

A new kind is one entry in `KINDS` (its fake, its ``api:`` block); every client
and format of the matrix then runs against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from api.gateway.fake_anthropic import create_fake_anthropic
from api.gateway.fake_bedrock import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, create_fake_bedrock
from api.gateway.fake_openai_kinds import create_fake_azure, create_fake_local
from api.gateway.fake_upstream import create_fake_upstream, fake_vector
from api.gateway.fake_vertex import create_fake_vertex


def echo(prompt: str) -> str:
    """The answer every fake gives: it echoes the last user message."""
    return f"You said: {prompt}"


@dataclass(frozen=True)
class ProviderKind:
    name: str  # the `api.kind` of providers.yaml
    fake: Callable[[], FastAPI]  # a fake provider speaking the kind's wire format
    api: Callable[[str], dict[str, Any]]  # the provider's `api:` block, given the fake's URL
    env: Mapping[str, str]  # the credentials the `api:` block names, as the gateway reads them
    answer: Callable[[str], str] = echo  # what the fake answers to a prompt
    # The vector the fake gives a text; None when the kind has no embeddings API.
    vector: Callable[[str], list[float]] | None = None
    no_embeddings: str = ""  # why the kind cannot embed, shown in the matrix table

    @property
    def provider_id(self) -> str:
        return f"matrix-{self.name}"

    @property
    def chat_model(self) -> str:
        return f"matrix-{self.name}-chat"

    @property
    def embed_model(self) -> str | None:
        return f"matrix-{self.name}-embed" if self.vector is not None else None

    @property
    def upstream_chat(self) -> str:
        """The model name the provider's API is sent."""
        return f"upstream-{self.name}-chat"

    @property
    def upstream_embed(self) -> str:
        return f"upstream-{self.name}-embed"


KINDS: tuple[ProviderKind, ...] = (
    ProviderKind(
        name="openai",
        fake=create_fake_upstream,
        api=lambda url: {"kind": "openai", "base_url": f"{url}/v1", "key_env": "MATRIX_OPENAI_KEY"},
        env={"MATRIX_OPENAI_KEY": "test-matrix-openai-key"},
        vector=fake_vector,
    ),
    ProviderKind(
        name="anthropic",
        fake=create_fake_anthropic,
        api=lambda url: {
            "kind": "anthropic",
            "base_url": f"{url}/v1",
            "key_env": "MATRIX_ANTHROPIC_KEY",
        },
        env={"MATRIX_ANTHROPIC_KEY": "test-matrix-anthropic-key"},
        no_embeddings="Anthropic's API has no embeddings endpoint",
    ),
    ProviderKind(
        name="azure",
        fake=create_fake_azure,
        api=lambda url: {
            "kind": "azure",
            "base_url": url,
            "api_version": "2024-10-21",
            "key_env": "MATRIX_AZURE_KEY",
        },
        env={"MATRIX_AZURE_KEY": "test-matrix-azure-key"},
        vector=fake_vector,
    ),
    ProviderKind(
        name="bedrock",
        fake=create_fake_bedrock,  # it verifies each request's SigV4 signature
        api=lambda url: {"kind": "bedrock", "base_url": url, "region": "eu-central-1"},
        env={"AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY},
        no_embeddings="govroute's bedrock kind serves Converse only, no embeddings",
    ),
    ProviderKind(
        name="vertex",
        fake=create_fake_vertex,
        api=lambda url: {
            "kind": "vertex",
            "base_url": f"{url}/v1beta",
            "key_env": "MATRIX_VERTEX_KEY",
        },
        env={"MATRIX_VERTEX_KEY": "test-matrix-vertex-key"},
        no_embeddings="govroute's vertex kind serves generateContent only, no embeddings",
    ),
    ProviderKind(
        name="local",
        fake=create_fake_local,  # vLLM / Ollama: OpenAI-compatible, no key
        api=lambda url: {"kind": "local", "base_url": f"{url}/v1"},
        env={},
        vector=fake_vector,
    ),
)
