"""Every /v1/admin call is authenticated, rate limited, permission-checked and audited
here, once, by the route class of the admin routers; the routes themselves only do
their operation and say what to record (`AdminCall`).

Order: no or unknown key -> 401 (not audited: nobody to attribute it to); the call is
charged to the principal's request rate like any other (api/ratelimit.py; no tokens, no
model is called) -> 429 (not audited: refused before anything was read); the
AdminAction is written as `started` (graph/admin_audit.py; if that write fails, 503 and
nothing runs); a principal without the permission -> 403, audited as refused; then the
route, whose outcome (ok, or refused with the error, 400 validation errors included)
completes the record. Deciding the rate limit before the permission (decide does it the
other way round) bounds what a non-admin key can write into the audit trail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from api.deps import bearer_key, current_principal
from api.errors import status_of
from api.ratelimit import RateLimiter
from api.runtime import Runtime
from engine.errors import Forbidden, GovroutError
from engine.model import Principal
from graph.admin_audit import OK, REFUSED, ActionEnd, ActionStart, begin_action, finish_action
from graph.connection import GraphClient
from loaders.spec import Permission

log = logging.getLogger("govroute.admin")

MAX_RECORDED = 500  # characters of a parameter's value kept in the audit
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(slots=True)
class AdminCall:
    """What a route tells the audit about its call. Mutable on purpose: it lives for one
    request and gathers what only the route learns (the body's parameters, the content
    hash, the version it created, a result summary) for the record written after it."""

    principal: Principal
    graph: GraphClient
    action_id: str
    parameters: dict[str, Any] = field(default_factory=dict)
    content_hash: str | None = None
    produced: int | None = None
    result: dict[str, Any] | None = None

    def note(
        self,
        *,
        content_hash: str | None = None,
        produced: int | None = None,
        result: dict[str, Any] | None = None,
        **parameters: Any,
    ) -> None:
        self.parameters.update(parameters)
        self.content_hash = content_hash or self.content_hash
        self.produced = produced if produced is not None else self.produced
        self.result = result if result is not None else self.result


async def admin_call(request: Request) -> AdminCall:
    call: AdminCall | None = getattr(request.state, "admin_call", None)
    if call is None:  # a programming error: an admin route outside AuditedRoute
        raise RuntimeError(f"{request.url.path} is not served by an AuditedRoute")
    return call


AdminCallDep = Annotated[AdminCall, Depends(admin_call)]


class AuditedRoute(APIRoute):
    """The route class of the admin routers; `permissions`: any one of them admits."""

    permissions: frozenset[str] = frozenset({Permission.POLICY_ADMIN})

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()
        operation, permissions = self.name, self.permissions
        # Only the parameters the route itself declares are recorded (admin routes take
        # none through dependencies): a stray one could be anything, a secret too.
        declared = {p.alias for p in self.dependant.query_params}

        async def audited(request: Request) -> Response:
            runtime: Runtime = request.app.state.runtime
            key = await bearer_key(request.headers.get("authorization"))
            principal = await current_principal(runtime, key)
            await _charge(request.app.state.limiter, principal)
            start = ActionStart(
                operation=operation,
                method=request.method,
                path=request.url.path,
                principal_id=principal.id,
                tenant_id=principal.tenant,
                version=_version(request),
                parameters=_declared(request, declared),
            )
            action_id = await run_in_threadpool(begin_action, runtime.graph, start)
            call = AdminCall(principal, runtime.graph, action_id, dict(start.parameters or {}))
            request.state.admin_call = call
            try:
                if not permissions & principal.permissions:
                    wanted = " or ".join(f"'{p}'" for p in sorted(permissions))
                    raise Forbidden(
                        f"principal {principal.id} has no role with the {wanted} permission"
                    )
                response = await handle(request)
            except Exception as exc:
                await _finish(call, _refusal(exc, call))
                raise
            await _finish(call, _success(response.status_code, call))
            return response

        return audited


class AuditReadRoute(AuditedRoute):
    """Reading the audit trail: administrators, and auditors (the 'audit' permission)."""

    permissions = frozenset({Permission.POLICY_ADMIN, Permission.AUDIT})


async def _charge(limiter: RateLimiter, principal: Principal) -> None:
    if limiter.in_memory:
        limiter.admit(principal, 0)
    else:  # Redis calls block: keep them off the event loop
        await run_in_threadpool(limiter.admit, principal, 0)


def _declared(request: Request, names: set[str]) -> dict[str, Any] | None:
    found = {k: v[:MAX_RECORDED] for k, v in request.query_params.items() if k in names}
    return found or None


def _version(request: Request) -> int | None:
    raw = request.path_params.get("version")
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else None


def _success(status: int, call: AdminCall) -> ActionEnd:
    return ActionEnd(
        status=OK,
        http_status=status,
        result=call.result,
        parameters=call.parameters or None,
        content_hash=call.content_hash,
        produced=call.produced,
    )


def _refusal(exc: Exception, call: AdminCall) -> ActionEnd:
    if isinstance(exc, GovroutError):
        status, code, message = status_of(exc)[0], exc.code, exc.message
    elif isinstance(exc, RequestValidationError):
        status, code = 400, "invalid_request"
        message = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
    elif isinstance(exc, HTTPException):
        status, code, message = exc.status_code, "http_error", str(exc.detail)
    else:
        status, code, message = 500, "server_error", type(exc).__name__
    return ActionEnd(
        status=REFUSED,
        http_status=status,
        error_code=code,
        error=message[:2000],
        parameters=call.parameters or None,
        content_hash=call.content_hash,
    )


async def _finish(call: AdminCall, end: ActionEnd) -> None:
    """Complete the record. If that fails the operation's answer still goes out (it has
    happened); the action stays 'started', which the audit shows as unrecorded."""
    try:
        await run_in_threadpool(finish_action, call.graph, call.action_id, end)
    except GovroutError as exc:
        log.warning(
            "admin action %s (%s) not completed in the audit: %s",
            call.action_id,
            end.status,
            exc.message,
            extra={"error_code": exc.code},
        )
