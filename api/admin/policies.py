"""/v1/admin: the policy lifecycle over HTTP, for keys whose roles grant 'policy_admin'.

Each route is a thin shell over the one function the CLI calls too (named in its
docstring), and tells the audit what to record (api/admin/audited.py writes it).
Adding an operation is one function here: the route class authenticates, limits and
audits it; the OpenAPI document picks up its schema and statuses.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.admin.audited import AdminCallDep, AuditedRoute, AuditReadRoute
from api.admin.schemas import (
    AdminActionOut,
    CandidateIn,
    CandidateOut,
    DiffIn,
    DiffOut,
    RollbackIn,
    RollbackOut,
    RolloutEndedOut,
    RolloutEndIn,
    RolloutIn,
    RolloutStartedOut,
    VersionOut,
)
from api.deps import RuntimeDep
from engine.errors import InvalidRequest
from engine.threats.custom import ThreatCategoryFitter
from lifecycle import versions
from lifecycle.admin_log import MAX_ACTIONS, audit_trail
from lifecycle.diff_report import as_dict, policy_diff
from lifecycle.policy_sets import version_detail
from lifecycle.rollout_control import start_canary, start_shadow, stop_rollout
from lifecycle.since import parse_since
from lifecycle.sources import stored_source
from lifecycle.versions_report import as_json
from loaders.bundle import Bundle
from loaders.policy_body import bundle_from_document, bundle_from_yaml
from loaders.rdf_export import export_active

router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=AuditedRoute)
audit_router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=AuditReadRoute)

CANDIDATES_PATH = "/v1/admin/policies/candidates"
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")
Version = Annotated[int, Path(ge=1, le=2**31, description="A stored PolicySet version")]

# Statuses every admin call may answer besides its own (api/admin/audited.py).
COMMON: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or unknown API key"},
    403: {"description": "The key's roles lack the 'policy_admin' permission"},
    429: {"description": "Over the principal's request rate; see Retry-After"},
    503: {"description": "The graph is unavailable (the call was not made)"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such version"}}
MALFORMED: dict[int | str, dict[str, Any]] = {400: {"description": "Malformed request"}}


@router.get(
    "/policies",
    response_model=list[dict[str, Any]],
    summary="Every stored version, newest first, with its approvals, rollout and notes "
    "(govroute policy list --json)",
    responses=COMMON,
)
def list_policies(call: AdminCallDep) -> Any:
    """lifecycle.versions.listing, as lifecycle.versions_report.as_json renders it"""
    listed = [as_json(item) for item in versions.listing(call.graph)]
    call.note(result={"versions": len(listed)})
    return listed


@router.get(
    "/policies/{version}",
    response_model=VersionOut,
    summary="One version: its record, its rollout if any, and its canonical content",
    responses={**COMMON, **NOT_FOUND, **MALFORMED},
)
def show_policy(version: Version, call: AdminCallDep) -> Any:
    """lifecycle.policy_sets.version_detail"""
    detail = version_detail(call.graph, version)
    call.note(content_hash=detail["policy_set"]["content_hash"])
    return detail


@router.post(
    "/policies/candidates",
    response_model=CandidateOut,
    status_code=201,
    summary="Stage policy content as a candidate version (govroute load --candidate)",
    responses={
        **COMMON,
        200: {
            "description": "Unchanged: the content is what is already active",
            "model": CandidateOut,
        },
        400: {"description": "Malformed body, or a Content-Type other than JSON or YAML"},
        413: {"description": "Body over the policy content size limit"},
        422: {"description": "Invalid policy content: every problem, located"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": CandidateIn.model_json_schema()},
                "application/yaml": {
                    "schema": {"type": "string", "description": "A policy file's text"}
                },
            },
        }
    },
)
async def stage_candidate(
    request: Request,
    response: Response,
    call: AdminCallDep,
    runtime: RuntimeDep,
    message: Annotated[
        str, Query(max_length=500, description="With a YAML body: why this version")
    ] = "",
) -> Any:
    """lifecycle.versions.stage: the caller is the candidate's author (so another admin
    approves it)"""
    # The raw body's hash names even content that is refused (and never hashed canonically).
    call.note(body_sha256=hashlib.sha256(await request.body()).hexdigest())
    bundle, note = await _candidate_body(request, message)
    call.note(content_hash=bundle.content_hash(), message=note)
    why = note or f"candidate staged by {call.principal.id} through the admin API"
    report = await run_in_threadpool(
        lambda: versions.stage(
            call.graph,
            bundle,
            actor=call.principal,
            author=call.principal.id,
            message=why,
            fitter=ThreatCategoryFitter(runtime.embedder),
        )
    )
    staged = report.policy_set
    if staged is None:
        response.status_code = 200
    call.note(
        produced=staged.version if staged else None,
        result={"staged": staged is not None, "items": report.items},
    )
    return {
        "staged": staged is not None,
        "policy_set": staged,
        "content_hash": report.content_hash,
        "items": report.items,
        "threat_fits": [fit.describe() for fit in report.threat_fits],
    }


async def _candidate_body(request: Request, message: str) -> tuple[Bundle, str]:
    """The content and the message, from a JSON body or a YAML one."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if media in YAML_TYPES:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidRequest(f"the YAML body is not UTF-8 (byte {exc.start})") from exc
        return bundle_from_yaml(text, "body"), message
    if media != "application/json":
        raise InvalidRequest(
            f"Content-Type {media or '(none)'} is not accepted: send application/json "
            '({"content": {...}} or {"yaml": "..."}) or application/yaml'
        )
    try:
        body = CandidateIn.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc
    if body.yaml is not None:
        return bundle_from_yaml(body.yaml, "yaml"), body.message or message
    return bundle_from_document(body.content, "content"), body.message or message


@router.post(
    "/policies/diff",
    response_model=DiffOut,
    summary="What changes from version a to version b: content, then decisions",
    responses={**COMMON, **NOT_FOUND, **MALFORMED},
)
def diff_policies(body: DiffIn, call: AdminCallDep) -> Any:
    """lifecycle.diff_report.policy_diff (as govroute policy diff A B --json)"""
    call.note(a=body.a, b=body.b)
    diff = policy_diff(stored_source(call.graph, body.a), stored_source(call.graph, body.b))
    call.note(result={"changed": not diff.empty})
    return as_dict(diff)


@router.post(
    "/policies/{version}/rollback",
    response_model=RollbackOut,
    summary="Make an earlier active version's content active again, as a new version",
    responses={
        **COMMON,
        **NOT_FOUND,
        400: {"description": "Malformed request, or the version was never active"},
        422: {"description": "The stored content no longer fits the graph (e.g. the catalog)"},
    },
)
def rollback_policy(version: Version, body: RollbackIn, call: AdminCallDep) -> Any:
    """lifecycle.versions.rollback (govroute policy rollback N): the emergency path, no
    approvals; who and why are recorded on the new version"""
    call.note(reason=body.reason)
    report = versions.rollback(call.graph, version, actor=call.principal, reason=body.reason)
    active = report.outcome.policy_set
    call.note(
        produced=active.version if report.outcome.changed and active else None,
        result={"changed": report.outcome.changed},
    )
    return {
        "changed": report.outcome.changed,
        "policy_set": active,
        "content_hash": report.content_hash,
        "items": report.items,
        "description": report.describe(),
    }


@router.put(
    "/policies/{version}/rollout",
    response_model=RolloutStartedOut,
    summary="Put a candidate under shadow or canary (ends any other rollout)",
    responses={**COMMON, **MALFORMED, 404: {"description": "No candidate with this version"}},
)
def start_rollout(version: Version, body: RolloutIn, call: AdminCallDep) -> Any:
    """lifecycle.rollout_control.start_shadow / start_canary (govroute policy shadow|canary N)"""
    call.note(**body.model_dump())
    if body.mode == "shadow":
        status = start_shadow(call.graph, version, admin=call.principal)
    else:
        status = start_canary(
            call.graph,
            version,
            admin=call.principal,
            percent=body.percent,
            tenants=body.tenants,
            principals=body.principals,
        )
    return status.as_dict()


@router.delete(
    "/policies/{version}/rollout",
    response_model=RolloutEndedOut,
    summary="End a candidate's shadow or canary, with the reason",
    responses={**COMMON, **MALFORMED, 404: {"description": "This version has no rollout"}},
)
def end_rollout(version: Version, body: RolloutEndIn, call: AdminCallDep) -> Any:
    """lifecycle.rollout_control.stop_rollout (govroute policy shadow|canary N --stop)"""
    call.note(reason=body.reason)
    ended = stop_rollout(call.graph, version, admin=call.principal, reason=body.reason)
    return {"policy_set": ended, "reason": body.reason}


EXPORT_TYPES = {"turtle": "text/turtle", "jsonld": "application/ld+json"}


@router.get(
    "/export",
    summary="The active policy content as RDF (govroute export)",
    response_class=Response,
    responses={
        **COMMON,
        **MALFORMED,
        200: {
            "description": "Turtle or JSON-LD; `govroute load` reads it back",
            "content": {
                "text/turtle": {"schema": {"type": "string"}},
                "application/ld+json": {"schema": {"type": "object"}},
            },
        },
        404: {"description": "No active policy content"},
    },
)
def export_policy(call: AdminCallDep, format: Literal["turtle", "jsonld"] = "turtle") -> Response:
    """loaders.rdf_export.export_active"""
    text = export_active(call.graph, "turtle" if format == "turtle" else "json-ld")
    call.note(result={"bytes": len(text.encode())})
    return Response(text, media_type=EXPORT_TYPES[format])


@audit_router.get(
    "/audit",
    response_model=list[AdminActionOut],
    summary="Recorded admin calls since a time, newest first (govroute admin audit)",
    responses={
        **COMMON,
        **MALFORMED,
        403: {"description": "The key's roles lack the 'policy_admin' and 'audit' permissions"},
    },
)
def read_audit(
    call: AdminCallDep,
    since: Annotated[
        str, Query(max_length=64, description="A time (ISO 8601) or how long ago: 24h, 7d, 30m")
    ] = "24h",
    limit: Annotated[int, Query(ge=1, le=MAX_ACTIONS)] = 100,
) -> Any:
    """lifecycle.admin_log.audit_trail"""
    actions = audit_trail(call.graph, parse_since(since, now=datetime.now(UTC)), limit=limit)
    call.note(result={"actions": len(actions)})
    return actions
