"""The one place that maps govroute's errors to HTTP.

Every error body has the OpenAI shape, so the official `openai` client parses
it too: {"error": {"message", "type", "code", "param", ...}}; on Anthropic's
routes (POST /v1/messages) it has Anthropic's ({"type": "error", "error": {"type",
"message", ...}}, api/gateway/translate.py `anthropic_error`), so the `anthropic`
client parses it. Routes raise domain errors (engine/errors.py) and never build
HTTPException themselves.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.gateway.translate import anthropic_error
from engine.errors import (
    Conflict,
    DependencyUnavailable,
    Forbidden,
    GovroutError,
    GraphUnavailable,
    InvalidPolicyData,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    ProvenanceUnavailable,
    RateLimited,
    UpstreamError,
    VaultUnavailable,
)

log = logging.getLogger("govroute.api")

# Most specific first: the first matching class decides the status.
STATUS: tuple[tuple[type[GovroutError], int, str], ...] = (
    (PayloadTooLarge, 413, "invalid_request_error"),
    (InvalidRequest, 400, "invalid_request_error"),
    (NotAuthenticated, 401, "authentication_error"),
    (Forbidden, 403, "permission_error"),
    (NotFound, 404, "not_found_error"),
    (Conflict, 409, "conflict_error"),
    (RateLimited, 429, "rate_limit_error"),
    (InvalidPolicyData, 422, "invalid_request_error"),
    (GraphUnavailable, 503, "service_unavailable"),
    (VaultUnavailable, 503, "service_unavailable"),
    (ProvenanceUnavailable, 503, "service_unavailable"),
    (DependencyUnavailable, 503, "service_unavailable"),
    (UpstreamError, 502, "upstream_error"),
)


def error_body(
    message: str, *, type_: str, code: str, param: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "code": code, "param": param, **extra}}


ANTHROPIC_PATHS = ("/v1/messages",)


def speaks_anthropic(request: Request) -> bool:
    return request.url.path.rstrip("/") in ANTHROPIC_PATHS


def shaped(request: Request, body: dict[str, Any], status: int) -> dict[str, Any]:
    """The error body in the format of the route that failed."""
    return anthropic_error(body, status) if speaks_anthropic(request) else body


def status_of(exc: GovroutError) -> tuple[int, str]:
    for cls, status, type_ in STATUS:
        if isinstance(exc, cls):
            return status, type_
    return 500, "server_error"


async def _govroute_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GovroutError)
    status, type_ = status_of(exc)
    headers: dict[str, str] = {}
    extra: dict[str, Any] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, InvalidPolicyData):
        extra["problems"] = [str(p) for p in exc.problems]
    if status >= 500:
        log.warning("request failed: %s", exc.message, extra={"error_code": exc.code})
    param = getattr(exc, "field", None)
    body = error_body(exc.message, type_=type_, code=exc.code, param=param, **extra)
    return JSONResponse(shaped(request, body, status), status_code=status, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    param: str | None = None
    for error in exc.errors():
        loc = error.get("loc", ())
        if error.get("type") == "json_invalid":
            ctx = error.get("ctx") or {}
            at = f" at character {loc[1]}" if len(loc) > 1 else ""
            problems.append(f"body is not valid JSON{at}: {ctx.get('error', error.get('msg'))}")
            continue
        where = ".".join(str(p) for p in loc if p != "body") or "body"
        param = param or (where if where != "body" else None)
        problems.append(f"{where}: {str(error.get('msg')).removeprefix('Value error, ')}")
    body = error_body(
        "; ".join(problems), type_="invalid_request_error", code="invalid_request", param=param
    )
    return JSONResponse(shaped(request, body, 400), status_code=400)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    body = error_body(str(exc.detail), type_="invalid_request_error", code=code)
    return JSONResponse(
        shaped(request, body, exc.status_code),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GovroutError, _govroute_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
