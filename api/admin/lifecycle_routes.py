"""/v1/admin: review, activation, shadow and replay reports, drift and the decisions' audit.

The rest of the lifecycle over HTTP (api/admin/policies.py has listing, staging, diff,
rollback and rollouts). Each route is a thin shell over the function the CLI command
beside it calls, named in its docstring; the route class authenticates, limits and
audits every call (api/admin/audited.py).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.admin.audited import AdminCallDep, AuditedRoute, AuditReadRoute
from api.admin.policies import COMMON, MALFORMED, NOT_FOUND, Version
from api.admin.schemas import (
    ActivateIn,
    ActivationOut,
    DriftCheckIn,
    RejectIn,
    ReplayIn,
    Report,
    ReviewIn,
)
from api.deps import RuntimeDep
from api.drift_watch import count_report, log_report
from engine.threats.custom import ThreatCategoryFitter
from lifecycle import versions
from lifecycle.audit_export import ExportFormat, export_decisions, parse_time
from lifecycle.audit_verify import verify_chain
from lifecycle.drift_check import check_drift, last_reports
from lifecycle.drift_report import text as drift_text
from lifecycle.replay_run import replay_version
from lifecycle.rollout_control import shadow_report
from lifecycle.since import parse_since
from lifecycle.versions_report import activation_text, as_json, rejection_text, review_text

router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=AuditedRoute)
audit_router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=AuditReadRoute)

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "The version's state forbids it (not a candidate, too few approvals)"}
}
SINCE = Query(max_length=64, description="A time (ISO 8601) or how long ago: 24h, 7d, 30m")
EXPORT_TYPES = {ExportFormat.TURTLE: "text/turtle", ExportFormat.JSONLD: "application/ld+json"}


# ---------------------------------------------------------------- review and activation


@router.post(
    "/policies/{version}/approve",
    response_model=Report,
    summary="Approve a candidate (an admin other than its author; once each)",
    responses={**COMMON, **NOT_FOUND, **MALFORMED, **CONFLICT},
)
def approve_candidate(version: Version, body: ReviewIn, call: AdminCallDep) -> Any:
    """lifecycle.versions.approve (govroute policy approve N)"""
    call.note(comment=body.comment)
    item = versions.approve(call.graph, version, actor=call.principal, comment=body.comment)
    call.note(result={"approvals": len(item.approvals), "missing": item.missing})
    return {**as_json(item), "text": review_text(item)}


@router.post(
    "/policies/{version}/reject",
    response_model=Report,
    summary="Reject a candidate: it can no longer be approved, rolled out or activated",
    responses={**COMMON, **NOT_FOUND, **MALFORMED, **CONFLICT},
)
def reject_candidate(version: Version, body: RejectIn, call: AdminCallDep) -> Any:
    """lifecycle.versions.reject (govroute policy reject N)"""
    call.note(comment=body.comment)
    state = versions.reject(call.graph, version, actor=call.principal, comment=body.comment)
    return {**as_json(versions.review(call.graph, version)), "text": rejection_text(state)}


@router.post(
    "/policies/{version}/activate",
    response_model=ActivationOut,
    summary="Make an approved candidate the active version",
    responses={**COMMON, **NOT_FOUND, **MALFORMED, **CONFLICT},
)
def activate_candidate(version: Version, body: ActivateIn, call: AdminCallDep) -> Any:
    """lifecycle.versions.activate (govroute policy activate N)"""
    call.note(rebase_ok=body.rebase_ok)
    done = versions.activate(call.graph, version, actor=call.principal, rebase_ok=body.rebase_ok)
    call.note(produced=version, result={"previous_version": done.previous_version})
    return {
        "version": as_json(versions.review(call.graph, version)),
        "previous_version": done.previous_version,
        "required": done.required,
        "rebased_from": done.rebased_from,
        "nodes": done.nodes,
        "edges": done.edges,
        "retired": done.retired,
        "description": activation_text(done),
    }


# ---------------------------------------------------------------- what a candidate would do


@router.get(
    "/policies/{version}/shadow-report",
    response_model=Report,
    summary="How a candidate's shadow decisions differed from the served ones",
    responses={**COMMON, **NOT_FOUND, **MALFORMED},
)
def read_shadow_report(
    version: Version, call: AdminCallDep, since: Annotated[str, SINCE] = "24h"
) -> Any:
    """lifecycle.rollout_control.shadow_report (govroute policy shadow-report N)"""
    report = shadow_report(call.graph, version, since=parse_since(since, now=datetime.now(UTC)))
    call.note(result={"decisions": report.counts.decisions, "changed": report.counts.changed})
    return {**report.as_dict(), "text": report.text()}


@router.post(
    "/policies/{version}/replay",
    response_model=Report,
    summary="Recorded traffic of a window decided again under a stored version",
    responses={**COMMON, **NOT_FOUND, **MALFORMED},
)
async def replay_policy(version: Version, body: ReplayIn, call: AdminCallDep) -> Any:
    """lifecycle.replay_run.replay_version (govroute policy replay N), in this process:
    a server does not fork deciding workers; the CLI's --workers is for large windows."""
    call.note(since=body.since, until=body.until, tenant=body.tenant)
    now = datetime.now(UTC)
    since = parse_since(body.since, now=now)
    until = parse_since(body.until, now=now, field="until") if body.until else now
    report = await run_in_threadpool(
        lambda: replay_version(
            call.graph, version, since=since, until=until, tenant=body.tenant, workers=1
        )
    )
    call.note(result={"decisions": report.counts.decisions, "changed": report.counts.changed})
    return {**report.as_dict(), "text": report.text()}


# ---------------------------------------------------------------- drift


@router.get(
    "/drift",
    response_model=list[Report],
    summary="The last recorded drift checks, newest first (govroute drift status)",
    responses={**COMMON, **MALFORMED},
)
def drift_status(call: AdminCallDep, last: Annotated[int, Query(ge=1, le=100)] = 1) -> Any:
    """lifecycle.drift_check.last_reports"""
    reports = last_reports(call.graph, last)
    call.note(result={"checks": len(reports)})
    return [{**r, "text": drift_text(r)} for r in reports]


@router.post(
    "/drift/check",
    response_model=Report,
    summary="Run a drift check now; a breach ends a canary or rolls back (govroute drift check)",
    responses={**COMMON, **MALFORMED},
)
async def drift_check(body: DriftCheckIn, call: AdminCallDep, runtime: RuntimeDep) -> Any:
    """lifecycle.drift_check.check_drift, logged and counted as the server's own checks"""
    call.note(rollback=body.rollback)
    report = await run_in_threadpool(
        lambda: check_drift(
            call.graph,
            rollback=body.rollback,
            by=f"admin API ({call.principal.id})",
            fitter=ThreatCategoryFitter(runtime.embedder),
        )
    )
    count_report(runtime.telemetry.metrics, report)
    log_report(report)
    call.note(
        produced=report.rollback_to,
        result={"action": report.action.value, "breaches": len(report.breaches)},
    )
    body_json = report.as_json()
    return {**body_json, "text": drift_text(body_json)}


# ---------------------------------------------------------------- the decisions' audit


@audit_router.get(
    "/decisions/export",
    summary="Decisions as PROV-O, streamed (govroute audit export)",
    response_class=StreamingResponse,
    responses={
        **COMMON,
        **MALFORMED,
        200: {
            "description": "Turtle or JSON-LD; SHACL shapes in ontology/decision_shapes.ttl",
            "content": {
                "text/turtle": {"schema": {"type": "string"}},
                "application/ld+json": {"schema": {"type": "object"}},
            },
        },
    },
)
def export_decision_prov(
    call: AdminCallDep,
    since: Annotated[str, SINCE] = "24h",
    until: Annotated[str | None, Query(max_length=64)] = None,
    tenant: Annotated[str | None, Query(max_length=200)] = None,
    format: Literal["turtle", "jsonld"] = "turtle",
) -> StreamingResponse:
    """lifecycle.audit_export.export_decisions, written into the response as it reads"""
    now = datetime.now(UTC)
    start = parse_time(since, now=now, option="since")  # refused before anything is sent
    end = parse_time(until, now=now, option="until") if until else None
    kind = ExportFormat(format)
    call.note(result={"streamed": True})
    chunks = _streamed(
        lambda out: export_decisions(
            call.graph, out, since=start, until=end, tenant=tenant, format=kind
        )
    )
    return StreamingResponse(chunks, media_type=EXPORT_TYPES[kind])


@audit_router.get(
    "/decisions/verify",
    response_model=Report,
    summary="Recompute the provenance hash chain (govroute audit verify)",
    responses={**COMMON, **MALFORMED},
)
def verify_decisions(
    call: AdminCallDep,
    expect_head: Annotated[
        str | None, Query(max_length=128, description="A head hash anchored earlier")
    ] = None,
) -> Any:
    """lifecycle.audit_verify.verify_chain"""
    report = verify_chain(call.graph, expect_head=expect_head)
    call.note(result={"clean": report.clean, "problems": len(report.problems)})
    return {**report.as_dict(), "text": report.text()}


class _Pipe:
    """A text stream whose writes a reader takes in order: the export writes into it from
    its thread while the response sends what is written (bounded, so a slow client slows
    the export rather than filling memory)."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[str | BaseException | None] = queue.Queue(maxsize=64)
        self.closed = threading.Event()  # the client went away: stop writing

    def write(self, text: str) -> int:
        while not self.closed.is_set():
            try:
                self.chunks.put(text, timeout=1.0)
                return len(text)
            except queue.Full:
                continue
        raise BrokenPipeError("the client closed the export")

    def flush(self) -> None:
        return None


def _streamed(export: Any) -> Iterator[str]:
    pipe = _Pipe()

    def run() -> None:
        try:
            export(pipe)
            pipe.chunks.put(None)
        except BaseException as exc:
            if not pipe.closed.is_set():
                pipe.chunks.put(exc)

    threading.Thread(target=run, name="govroute-export", daemon=True).start()

    def read() -> Iterator[str]:
        try:
            while (chunk := pipe.chunks.get()) is not None:
                if isinstance(chunk, BaseException):
                    raise chunk  # the status is sent already: the stream ends short
                yield chunk
        finally:
            pipe.closed.set()

    return read()
