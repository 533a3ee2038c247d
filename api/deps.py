"""Request dependencies: the runtime from the app state, and the authenticated caller.

They are coroutines: FastAPI runs a plain `def` dependency in the thread pool, a hop
that costs more than any of these does. The one that may block, reading an unknown
key's principal from the graph, hops to a thread itself, only then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from api.runtime import Runtime
from api.settings import Settings
from engine.errors import Forbidden, NotAuthenticated
from engine.model import Principal


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def bearer_key(
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> str:
    """The govroute key from ``Authorization: Bearer``, or from ``x-api-key`` as Anthropic
    clients send it (Bearer wins when both come)."""
    if not authorization and x_api_key and x_api_key.strip():
        return x_api_key.strip()
    if not authorization:
        raise NotAuthenticated(
            "missing Authorization header: send 'Authorization: Bearer <govroute key>' "
            "(or 'x-api-key: <govroute key>')"
        )
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise NotAuthenticated("Authorization must be 'Bearer <govroute key>'")
    return key.strip()


async def current_principal(
    runtime: RuntimeDep, key: Annotated[str, Depends(bearer_key)]
) -> Principal:
    principal = runtime.authenticate_cached(key)  # a known key: no I/O, answered here
    if principal is not None:
        return principal
    return await run_in_threadpool(runtime.authenticate, key)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require(permission: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through only principals whose roles grant `permission`."""

    async def check(principal: PrincipalDep) -> Principal:
        if permission not in principal.permissions:
            raise Forbidden(
                f"principal {principal.id} has no role with the '{permission}' permission"
            )
        return principal

    return check
