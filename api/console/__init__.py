"""The operator and auditor console at /console (docs/console.md).

`install_console(app)` adds its pages, its static files, and its error pages: under
/console an error is rendered as a page, with the status and the message the API's
own mapping gives it (api/errors.py); a browser without a session is sent to the
login form instead.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from api.console import login, reviews, routes
from api.console.render import STATIC, page
from api.console.session import SessionSeal
from engine.errors import GovroutError, NotAuthenticated

PREFIX = "/console"
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def install_console(app: FastAPI) -> None:
    """After api.errors.install_error_handlers: the console's error pages wrap them."""
    app.include_router(login.router)
    app.include_router(routes.router)
    app.include_router(reviews.router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    for kind in (GovroutError, RequestValidationError, StarletteHTTPException):
        app.add_exception_handler(kind, _as_page(app.exception_handlers[kind]))


def open_sessions(app: FastAPI, secret: bytes) -> None:
    """In the lifespan, once the installation's secret is loaded."""
    app.state.console_seal = SessionSeal.from_secret(secret)


def _as_page(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        made = api_handler(request, exc)
        answer = await made if inspect.isawaitable(made) else made
        if not request.url.path.startswith(PREFIX):
            return answer
        if isinstance(exc, NotAuthenticated) and "authorization" not in request.headers:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"{PREFIX}/login?next={quote(target)}", status_code=303)
        error = json.loads(bytes(answer.body))["error"]
        return page(
            request,
            "error.html",
            None,
            status_code=answer.status_code,
            status=answer.status_code,
            message=error["message"],
            param=(error.get("param") or "").removeprefix("query.") or None,
        )

    return handle
