"""Request dependencies: the runtime from the app state, and the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from api.runtime import Runtime
from api.settings import Settings
from engine.errors import Forbidden, NotAuthenticated
from engine.model import Principal


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def bearer_key(authorization: Annotated[str | None, Header()] = None) -> str:
    if not authorization:
        raise NotAuthenticated(
            "missing Authorization header: send 'Authorization: Bearer <govroute key>'"
        )
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise NotAuthenticated("Authorization must be 'Bearer <govroute key>'")
    return key.strip()


def current_principal(runtime: RuntimeDep, key: Annotated[str, Depends(bearer_key)]) -> Principal:
    return runtime.authenticate(key)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require(permission: str) -> Callable[[Principal], Principal]:
    """A dependency that lets through only principals whose roles grant `permission`."""

    def check(principal: PrincipalDep) -> Principal:
        if permission not in principal.permissions:
            raise Forbidden(
                f"principal {principal.id} has no role with the '{permission}' permission"
            )
        return principal

    return check
