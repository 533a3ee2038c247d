"""Signing in to the console from a browser: a form that takes the admin key and sets
the session cookie (api/console/session.py), and signing out."""

from __future__ import annotations

import time
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.console.access import authenticate, seal_of, viewer_of
from api.console.render import page
from api.console.session import COOKIE, SESSION_S
from api.deps import RuntimeDep
from engine.errors import Forbidden, NotAuthenticated

router = APIRouter(prefix="/console", include_in_schema=False)
MAX_FORM = 4096


def safe_next(target: str | None) -> str:
    """Only a console path: a login link must not send the browser anywhere else."""
    if target and target.startswith("/console") and not target.startswith("/console//"):
        return target
    return "/console"


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, next: Annotated[str | None, Query(max_length=2000)] = None
) -> HTMLResponse:
    return page(request, "login.html", None, next=safe_next(next), error=None)


@router.post("/login", response_model=None)
async def login(request: Request, runtime: RuntimeDep) -> Response:
    body = (await request.body())[:MAX_FORM].decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(body).items()}
    key, target = form.get("key", "").strip(), safe_next(form.get("next"))
    try:
        if not key:
            raise NotAuthenticated("enter an admin API key")
        viewer = viewer_of(await authenticate(runtime, key))
    except (NotAuthenticated, Forbidden) as exc:
        status = 403 if isinstance(exc, Forbidden) else 401
        return page(request, "login.html", None, status_code=status, next=target, error=exc.message)
    if not viewer.audits and target == "/console":
        target = "/console/reviews"  # a reviewer's start page: nothing else is theirs
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        seal_of(request).seal(key, now=time.time()),
        max_age=SESSION_S,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console", httponly=True, samesite="strict")
    return response
