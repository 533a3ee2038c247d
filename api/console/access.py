"""Who is looking at the console, and which tenants they may see.

The console uses the admin API's keys and permissions (loaders/spec.py `Permission`):

- a **platform admin**, a key whose roles grant `policy_admin` (as the admin API treats
  it: the policy lifecycle is the whole installation's), sees every tenant and the
  policy versions;
- a **tenant admin**, a key whose roles grant `audit` (as GET /v1/decisions/{id} treats
  it), sees its own tenant's decisions and aggregates only: another tenant's decision is
  "not visible to this key" exactly like an id that does not exist;
- a **reviewer**, a key whose roles grant `review` (docs/review.md), sees its own tenant's
  review queue (/console/reviews); with `review` alone, nothing else.

Any other key is refused (403). The key comes from `Authorization: Bearer` (scripts) or
from the session cookie the login form set (browsers; api/console/session.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from api.console.session import COOKIE, SessionSeal
from api.deps import RuntimeDep, bearer_key
from engine.errors import Forbidden, NotAuthenticated
from engine.model import Principal
from loaders.spec import Permission


@dataclass(frozen=True, slots=True)
class Viewer:
    principal: Principal
    all_tenants: bool

    @property
    def scope(self) -> str | None:
        """The tenant every read is narrowed to; None for a platform admin."""
        return None if self.all_tenants else self.principal.tenant

    def may_see(self, tenant_id: str) -> bool:
        return self.all_tenants or tenant_id == self.principal.tenant

    @property
    def audits(self) -> bool:
        """May read decisions and aggregates (every page but the review queue)."""
        granted = self.principal.permissions
        return Permission.POLICY_ADMIN in granted or Permission.AUDIT in granted

    @property
    def reviews(self) -> bool:
        """May approve or reject held requests of its tenant (/console/reviews)."""
        return Permission.REVIEW in self.principal.permissions

    def tenant_filter(self, asked: str | None) -> str | None:
        """The tenant a read is narrowed to when the viewer asked for `asked`."""
        if asked is not None and not self.may_see(asked):
            raise Forbidden(f"this key sees tenant {self.principal.tenant} only, not {asked!r}")
        return asked if asked is not None else self.scope


def viewer_of(principal: Principal) -> Viewer:
    if Permission.POLICY_ADMIN in principal.permissions:
        return Viewer(principal, all_tenants=True)
    if principal.permissions & {Permission.AUDIT, Permission.REVIEW}:
        return Viewer(principal, all_tenants=False)
    raise Forbidden(
        f"principal {principal.id} has no role with the 'policy_admin', 'audit' or 'review' "
        "permission, which the console needs"
    )


def seal_of(request: Request) -> SessionSeal:
    seal: SessionSeal = request.app.state.console_seal
    return seal


async def presented_key(request: Request) -> str:
    """The Bearer key, else the key in a valid session cookie."""
    header = request.headers.get("authorization")
    if header:
        return await bearer_key(header)
    cookie = request.cookies.get(COOKIE)
    key = seal_of(request).open(cookie, now=time.time()) if cookie else None
    if key is None:
        raise NotAuthenticated("sign in to the console with an admin API key")
    return key


async def authenticate(runtime: RuntimeDep, key: str) -> Principal:
    principal = runtime.authenticate_cached(key)
    if principal is not None:
        return principal
    return await run_in_threadpool(runtime.authenticate, key)


async def signed_in(runtime: RuntimeDep, key: Annotated[str, Depends(presented_key)]) -> Viewer:
    return viewer_of(await authenticate(runtime, key))


async def current_viewer(viewer: Annotated[Viewer, Depends(signed_in)]) -> Viewer:
    """A viewer of decisions and aggregates (every page but the review queue)."""
    if not viewer.audits:
        raise Forbidden(
            f"principal {viewer.principal.id} may review held requests only: "
            "its queue is /console/reviews"
        )
    return viewer


async def current_reviewer(viewer: Annotated[Viewer, Depends(signed_in)]) -> Viewer:
    if not viewer.reviews:
        raise Forbidden(
            f"principal {viewer.principal.id} has no role with the 'review' permission, "
            "which the review queue needs"
        )
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]
ReviewerDep = Annotated[Viewer, Depends(current_reviewer)]
