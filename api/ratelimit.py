"""Rate limits and token budgets, per principal and per tenant, over the `limits` library.

Four limits guard every decide and chat request: requests per minute and tokens per
minute, each for the principal and for its tenant (all of the tenant's principals
together). The graph sets them on the Principal and Tenant nodes; where it sets none,
the configured defaults apply, and 0 means no limit.

Two strategies, chosen per kind:
- requests: a moving window. Exact (no burst of twice the limit across a window edge),
  and its storage is one timestamp per admitted request, bounded by the limit.
- tokens: a fixed window of one minute, opened by the first charge. A charge is
  thousands of tokens, which a moving window would store one entry each; a counter
  costs the same whatever the charge, and it can be corrected by a signed amount once
  the upstream reports what the request really used. The price is that a caller can
  spend up to twice the budget across a window edge.

Tokens are estimated before the request is served (characters / 4 of prompt, messages
and context, plus the largest answer asked for) and charged up front; the gateway
settles the difference with the upstream's `usage.total_tokens` afterwards.

Counters live in memory (one process) unless REDIS_URL is set, when every replica
shares them. If Redis cannot be reached, requests are admitted (fail open) and the
failure is logged: a rate limit protects capacity and cost, not data. A deployment
that prefers to refuse (`GOVROUTE_RATE_LIMIT_ON_REDIS_FAILURE=closed`) gets 503s.
Every Redis call has a deadline (`GOVROUTE_REDIS_TIMEOUT_S`, 50 ms), and after a
failure Redis is left alone for `GOVROUTE_REDIS_BACKOFF_S` (api.failfast), so a frozen
Redis costs one request the timeout and the others nothing.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from limits import RateLimitItemPerMinute
from limits.errors import ConfigurationError, StorageError
from limits.storage import MemoryStorage, MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool

from api.deps import PrincipalDep
from api.failfast import FailFast, redis_client_options
from api.settings import RateLimitSettings
from engine.errors import DependencyUnavailable, InvalidRequest, PayloadTooLarge, RateLimited
from engine.model import Principal
from engine.route import estimate_tokens

log = logging.getLogger("govroute.ratelimit")

WINDOW_S = 60
# The answer size assumed when a request does not say (DecideRequest's default).
DEFAULT_OUTPUT_TOKENS = 1024
_OUTPUT_FIELDS = ("max_output_tokens", "max_completion_tokens", "max_tokens")
_ERROR_LOG_INTERVAL_S = 60.0


class Scope(StrEnum):
    PRINCIPAL = "principal"
    TENANT = "tenant"


class Kind(StrEnum):
    REQUESTS = "requests"
    TOKENS = "tokens"


Rejected = Callable[[Scope, Kind, Principal], None]


def _ignore(scope: Scope, kind: Kind, principal: Principal) -> None:
    return None


@dataclass(frozen=True, slots=True)
class EffectiveLimits:
    """The four per-minute limits for one principal; None means unlimited."""

    principal_rpm: int | None
    principal_tpm: int | None
    tenant_rpm: int | None
    tenant_tpm: int | None

    @classmethod
    def of(cls, principal: Principal, defaults: RateLimitSettings) -> EffectiveLimits:
        own, shared = principal.principal_limits, principal.tenant_limits

        def pick(graph: int | None, default: int) -> int | None:
            value = graph if graph is not None else default
            return value or None

        return cls(
            principal_rpm=pick(own.requests_per_minute if own else None, defaults.default_rpm),
            principal_tpm=pick(own.tokens_per_minute if own else None, defaults.default_tpm),
            tenant_rpm=pick(
                shared.requests_per_minute if shared else None, defaults.default_tenant_rpm
            ),
            tenant_tpm=pick(
                shared.tokens_per_minute if shared else None, defaults.default_tenant_tpm
            ),
        )

    def requests(self, scope: Scope) -> int | None:
        return self.principal_rpm if scope is Scope.PRINCIPAL else self.tenant_rpm

    def tokens(self, scope: Scope) -> int | None:
        return self.principal_tpm if scope is Scope.PRINCIPAL else self.tenant_tpm


def storage_uri(settings: RateLimitSettings) -> str:
    """Where the counters live: Redis when REDIS_URL is set, else this process's memory."""
    if settings.redis_url is None:
        return "memory://"
    return settings.redis_url.get_secret_value()


def estimate_request_tokens(body: object) -> int:
    """Tokens a request may use: characters / 4 of its texts, plus the answer it asks for.

    Reads the JSON of /v1/decide (prompt, messages, context, max_output_tokens) and of
    OpenAI chat completions (messages with string or text-part content, max_tokens or
    max_completion_tokens) alike, and the texts of the other formats: the Responses API's
    `instructions` and `input` (a string or message items), the embeddings' `input` and
    the legacy completions' `prompt` (a string or a list of them), and tool parts in
    each format (`_tool_chars`); anything else counts as no text.
    """
    if not isinstance(body, Mapping):
        return DEFAULT_OUTPUT_TOKENS
    chars = _text_chars(body.get("prompt")) + _text_chars(body.get("instructions"))
    chars += _text_chars(body.get("input"))
    for message in _dicts(body.get("messages")) + _dicts(body.get("input")):
        chars += _text_chars(message.get("content"))
    for item in _dicts(body.get("context")):
        chars += _text_chars(item.get("text"))
    chars += _tool_chars(body)
    output = DEFAULT_OUTPUT_TOKENS
    for name in _OUTPUT_FIELDS:
        value = body.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            output = value
            break
    return estimate_tokens(chars) + output


def _tool_chars(body: Mapping[str, Any]) -> int:
    """The texts of tool parts, which reach the provider as much as the messages do:
    definitions (names, descriptions, schemas), the calls' arguments and the results, in
    chat's, the Responses API's and Anthropic's shapes."""
    chars = _strings(body.get("tools")) + _strings(body.get("tool_choice"))
    for message in _dicts(body.get("messages")):
        chars += _strings(message.get("tool_calls"))
        for block in _dicts(message.get("content")):
            if block.get("type") in ("tool_use", "tool_result"):
                chars += _strings(block.get("input")) + _strings(block.get("content"))
    for item in _dicts(body.get("input")):
        kind = item.get("type")
        if kind == "function_call":
            chars += _strings(item.get("arguments"))
        elif kind == "function_call_output":
            chars += _strings(item.get("output"))
    return chars


def _strings(value: object) -> int:
    """Characters of every string (and key) in a JSON value. Iterative: the body is not
    validated yet and may be nested as deep as the JSON parser allowed."""
    total, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, Mapping):
            total += sum(len(k) for k in item if isinstance(k, str))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return total


def _dicts(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


_TEXT_PARTS = frozenset({"text", "input_text", "output_text"})


def _text_chars(content: object) -> int:
    if isinstance(content, str):
        return len(content)
    # A list of strings (prompts, inputs to embed); content parts, where only text
    # counts: an image's data URL is not prompt text.
    strings = sum(len(v) for v in content if isinstance(v, str)) if isinstance(content, list) else 0
    # The body is not validated yet (admission runs first): a part's type may be any
    # JSON value, and only a known text type counts.
    return strings + sum(
        len(part["text"])
        for part in _dicts(content)
        if _is_text_part(part.get("type", "text")) and isinstance(part.get("text"), str)
    )


def _is_text_part(kind: object) -> bool:
    return isinstance(kind, str) and kind in _TEXT_PARTS


@dataclass(slots=True)
class Admission:
    """One admitted request: what it was charged, so the real usage can settle it."""

    principal: Principal
    limits: EffectiveLimits
    tokens: int
    admitted_at: float
    _limiter: RateLimiter | None = field(default=None, repr=False)
    _settled: bool = False

    def settle(self, total_tokens: int | None) -> None:
        """Correct the token charge with what the upstream reported; once, never raises."""
        if self._settled or total_tokens is None or self._limiter is None:
            return
        self._settled = True
        self._limiter.settle(self, total_tokens)


class RateLimiter:
    """Checks and charges the four limits of a principal; one per app."""

    def __init__(
        self,
        storage: Storage,
        defaults: RateLimitSettings,
        *,
        on_reject: Rejected = _ignore,
    ) -> None:
        if not isinstance(storage, MovingWindowSupport):
            raise ConfigurationError(f"{type(storage).__name__} cannot keep moving windows")
        self.storage = storage
        self.defaults = defaults
        self._requests = MovingWindowRateLimiter(storage)
        self._moving: MovingWindowSupport = storage
        self._on_reject = on_reject
        self._last_error_log = 0.0
        self._lock = threading.Lock()
        # Memory counters answer in microseconds; anything else is I/O.
        self.in_memory = isinstance(storage, MemoryStorage)
        self.guard = FailFast("rate-limit storage", defaults.redis_backoff_s)

    @classmethod
    def from_settings(
        cls, settings: RateLimitSettings, *, on_reject: Rejected = _ignore
    ) -> RateLimiter:
        uri = storage_uri(settings)
        options = {} if uri == "memory://" else redis_client_options(settings.redis_timeout_s)
        try:
            storage = storage_from_string(uri, wrap_exceptions=True, **options)
        except ConfigurationError as exc:
            # e.g. REDIS_URL set but the redis client package is not installed
            raise ValueError(f"rate-limit storage for REDIS_URL is unavailable: {exc}") from exc
        if not isinstance(storage, Storage):
            raise ValueError(f"{uri.split(':', 1)[0]}: is an asynchronous storage; use redis://")
        return cls(storage, settings, on_reject=on_reject)

    # ------------------------------------------------------------ admission

    def admit(self, principal: Principal, tokens: int) -> Admission:
        """Charge one request and `tokens`, or raise RateLimited naming the limit hit."""
        limits = EffectiveLimits.of(principal, self.defaults)
        for scope in Scope:
            budget = limits.tokens(scope)
            if budget is not None and tokens > budget:
                # No wait would let it through: say so instead of asking for a retry.
                raise PayloadTooLarge(
                    f"the request may use about {tokens} tokens (text / 4 plus the answer "
                    f"asked for), more than the {scope.value}'s whole budget of {budget} "
                    f"tokens per minute; ask for a shorter answer or send less text"
                )
        if self.guard.permits():
            try:
                self._charge(principal, limits, tokens)
                self.guard.succeeded()
            except StorageError as exc:
                self.guard.failed()
                self._storage_failed(exc)
        else:
            self._storage_skipped()
        # After the charge: a window it opened starts before this instant.
        return Admission(principal, limits, tokens, time.time(), self)

    def _charge(self, principal: Principal, limits: EffectiveLimits, tokens: int) -> None:
        charged: list[tuple[str, int]] = []
        try:
            for scope in Scope:
                budget = limits.tokens(scope)
                if budget is None:
                    continue
                key = self._token_key(principal, scope)
                if self.storage.incr(key, WINDOW_S, amount=tokens) > budget:
                    self.storage.incr(key, WINDOW_S, amount=-tokens)
                    self._reject(principal, scope, Kind.TOKENS, budget, self._token_wait(key))
                charged.append((key, tokens))
            # The tenant is tested before the principal takes a slot: a moving-window
            # entry cannot be handed back if the tenant then refuses.
            tenant_rpm = limits.tenant_rpm
            item = RateLimitItemPerMinute(tenant_rpm) if tenant_rpm else None
            if item is not None and not self._requests.test(
                item, *self._ids(principal, Scope.TENANT)
            ):
                self._reject_requests(principal, Scope.TENANT, item)
            for scope in Scope:
                budget = limits.requests(scope)
                if budget is None:
                    continue
                item = RateLimitItemPerMinute(budget)
                if not self._requests.hit(item, *self._ids(principal, scope)):
                    self._reject_requests(principal, scope, item)
        except RateLimited:
            for key, amount in charged:
                self.storage.incr(key, WINDOW_S, amount=-amount)
            raise

    def _reject_requests(
        self, principal: Principal, scope: Scope, item: RateLimitItemPerMinute
    ) -> None:
        start, _ = self._moving.get_moving_window(
            item.key_for(*self._ids(principal, scope)), item.amount, WINDOW_S
        )
        wait = start + WINDOW_S - time.time()
        self._reject(principal, scope, Kind.REQUESTS, item.amount, wait)

    def _reject(
        self, principal: Principal, scope: Scope, kind: Kind, budget: int, wait: float
    ) -> None:
        self._on_reject(scope, kind, principal)
        who = principal.id if scope is Scope.PRINCIPAL else principal.tenant
        unit = "requests" if kind is Kind.REQUESTS else "tokens"
        raise RateLimited(
            f"{scope.value} {who} is over its limit of {budget} {unit} per minute",
            retry_after=max(1, math.ceil(wait)),
        )

    def _token_wait(self, key: str) -> float:
        return self.storage.get_expiry(key) - time.time()

    # ------------------------------------------------------------ settlement

    def settle(self, admission: Admission, total_tokens: int) -> None:
        """Charge what the request used beyond its estimate, or give back what it did not.

        Extra use is charged even past the budget (the tokens were spent); a refund goes
        only into the window that was charged, and never below zero.
        """
        delta = total_tokens - admission.tokens
        if delta == 0 or not self.guard.permits():
            return  # while the storage is failing, a settlement is simply not made
        try:
            for scope in Scope:
                if admission.limits.tokens(scope) is None:
                    continue
                key = self._token_key(admission.principal, scope)
                if delta > 0:
                    self.storage.incr(key, WINDOW_S, amount=delta)
                    continue
                # Redis reports expiry in whole seconds (TTL), hence the second's slack.
                window_start = self.storage.get_expiry(key) - WINDOW_S
                if window_start <= admission.admitted_at + 1.0:
                    refund = min(-delta, self.storage.get(key))
                    if refund > 0:
                        self.storage.incr(key, WINDOW_S, amount=-refund)
            self.guard.succeeded()
        except StorageError as exc:
            self.guard.failed()
            self._storage_failed(exc, refuse=False)  # the request was served already

    # ------------------------------------------------------------ helpers

    @staticmethod
    def _ids(principal: Principal, scope: Scope) -> tuple[str, ...]:
        who = principal.id if scope is Scope.PRINCIPAL else principal.tenant
        return ("govroute", "requests", scope.value, who)

    @staticmethod
    def _token_key(principal: Principal, scope: Scope) -> str:
        who = principal.id if scope is Scope.PRINCIPAL else principal.tenant
        return f"govroute/tokens/{scope.value}/{who}"

    def _storage_failed(self, exc: Exception, *, refuse: bool = True) -> None:
        closed = refuse and self.defaults.rate_limit_on_redis_failure == "closed"
        now = time.monotonic()
        with self._lock:
            quiet = now - self._last_error_log < _ERROR_LOG_INTERVAL_S
            if not quiet:
                self._last_error_log = now
        if not quiet:
            what = "refusing requests (fail closed)" if closed else "admitting requests unlimited"
            log.warning("rate-limit storage failed; %s: %s", what, exc)
        if closed:
            raise DependencyUnavailable(
                "the rate-limit storage (Redis) is unreachable and this deployment refuses "
                "requests it cannot count; retry shortly"
            ) from exc

    def _storage_skipped(self) -> None:
        """Backing off after a failure: answer as a failure would, without waiting."""
        if self.defaults.rate_limit_on_redis_failure == "closed":
            raise DependencyUnavailable(
                "the rate-limit storage (Redis) failed moments ago and this deployment "
                "refuses requests it cannot count; retry shortly"
            )

    def close(self) -> None:
        if self.in_memory:
            self.storage.reset()


# ---------------------------------------------------------------- the FastAPI dependency


async def get_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.limiter
    return limiter


async def admit(
    request: Request,
    principal: PrincipalDep,
    limiter: Annotated[RateLimiter, Depends(get_limiter)],
) -> AsyncIterator[Admission]:
    """Admit the caller's request under its rate limits and token budgets, or raise.

    Declare it after the permission check so a caller learns it is forbidden before it
    learns it is throttled. The estimate reads the request's JSON (Starlette caches the
    body, so the route's own parsing does not read it twice).
    """
    try:
        body = await request.json()
    except ValueError:
        body = None  # the route's validation answers a malformed body
    tokens = estimate_request_tokens(body)
    if limiter.in_memory:
        admission = limiter.admit(principal, tokens)
    else:  # Redis calls block: keep them off the event loop
        admission = await run_in_threadpool(limiter.admit, principal, tokens)
    try:
        yield admission
    except (RequestValidationError, InvalidRequest):
        # Refused as malformed (400) or too large (413): nothing was served, so the
        # tokens charged up front go back (the request still counts against rpm).
        if limiter.in_memory:
            admission.settle(0)
        else:
            await run_in_threadpool(admission.settle, 0)
        raise


AdmissionDep = Annotated[Admission, Depends(admit)]
