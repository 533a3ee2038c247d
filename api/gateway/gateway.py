"""The gateway's process-wide state: clients per provider kind, breakers, model
health, the response cache, retries and hooks; created in the app's lifespan and
closed with it. `plan` orders a decision's candidates: breakers first, then
measured health where a policy balances (api/gateway/balance.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from api.gateway.anthropic_upstream import AnthropicClient
from api.gateway.azure_upstream import AzureOpenAIClient
from api.gateway.balance import balanced_order, order_note
from api.gateway.bedrock_upstream import BedrockClient
from api.gateway.breaker import BreakerState, rank_by_state
from api.gateway.breaker_board import BreakerBoard
from api.gateway.cache import ResponseCache
from api.gateway.health import HealthBoard, HealthTable
from api.gateway.hooks import GatewayHooks, NoHooks, SafeHooks
from api.gateway.local_upstream import LocalClient
from api.gateway.retry import RetryPolicy
from api.gateway.settings import GatewaySettings
from api.gateway.upstream import OpenAICompatibleClient, UpstreamClient, UpstreamHttp
from api.gateway.vertex_upstream import VertexClient
from engine.model import Snapshot
from engine.serving import BalanceRule

__all__ = ["Gateway"]


@dataclass
class Gateway:
    """Process-wide gateway state, created in the app's lifespan and closed with it."""

    settings: GatewaySettings
    http: UpstreamHttp
    clients_by_kind: dict[str, UpstreamClient]
    breakers: BreakerBoard
    retry: RetryPolicy
    hooks: GatewayHooks
    secret: bytes
    rng: random.Random = field(default_factory=random.Random)
    cache: ResponseCache | None = None  # None: never cache (GOVROUTE_CACHE_ENABLED=false)
    health: HealthBoard = field(default_factory=lambda: HealthBoard(HealthTable()))

    @classmethod
    def create(
        cls,
        settings: GatewaySettings,
        secret: bytes,
        hooks: GatewayHooks | None = None,
        *,
        redis_url: str | None = None,
    ) -> Gateway:
        """`redis_url`: breaker state, model health and the response cache shared with
        every replica there (None: this process's own)."""
        safe = SafeHooks(hooks or NoHooks())
        http = UpstreamHttp(settings)
        cache = None
        if settings.cache_enabled:
            cache = ResponseCache.create(
                redis_url=redis_url if settings.cache_shared else None,
                max_entries=settings.cache_max_entries,
                max_bytes=settings.cache_max_mb * 1024 * 1024,
                max_entry_bytes=settings.cache_max_entry_kb * 1024,
                timeout_s=settings.cache_redis_timeout_s,
            )
        return cls(
            settings=settings,
            http=http,
            clients_by_kind={
                "openai": OpenAICompatibleClient(http),
                "anthropic": AnthropicClient(http),
                "azure": AzureOpenAIClient(http),
                "bedrock": BedrockClient(http),
                "vertex": VertexClient(http),
                "local": LocalClient(http),
            },
            breakers=BreakerBoard.create(
                settings.breaker_config(),
                redis_url=redis_url if settings.breaker_shared else None,
                timeout_s=settings.breaker_redis_timeout_s,
                on_change=safe.on_breaker_change,
            ),
            retry=settings.retry_policy(),
            hooks=safe,
            secret=secret,
            cache=cache,
            health=HealthBoard.create(
                alpha=settings.health_alpha,
                redis_url=redis_url if settings.health_shared else None,
                timeout_s=settings.breaker_redis_timeout_s,
            ),
        )

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.breakers.aclose()
        await self.health.aclose()
        if self.cache is not None:
            await self.cache.aclose()

    async def order(self, candidates: tuple[str, ...]) -> tuple[list[str], dict[str, BreakerState]]:
        """The decision's candidates in the order the gateway tries them, and their states."""
        states = await self.breakers.states(candidates)
        return rank_by_state(candidates, states), states

    async def plan(
        self, candidates: tuple[str, ...], balance: BalanceRule | None, snapshot: Snapshot
    ) -> tuple[list[str], dict[str, BreakerState], str]:
        """`order`, then by measured health when a policy balances (api/gateway/balance.py);
        and how, for provenance ("" when the breakers alone ordered)."""
        if balance is None:
            order, states = await self.order(candidates)
            return order, states, ""
        states = await self.breakers.states(candidates)
        typical = {m: float(snapshot.models[m].latency_ms) for m in candidates}
        standings = balanced_order(
            candidates,
            states,
            await self.health.read(candidates),
            balance,
            typical,
            now=self.health.local.clock(),
            stale_s=self.settings.health_stale_s,
        )
        return [s.model_id for s in standings], states, order_note(standings, balance)
