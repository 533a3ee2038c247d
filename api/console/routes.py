"""The console's pages under /console: overview, heatmaps, decisions, policy versions.

Every page reads through graph/ (graph/console_reads.py, graph/provenance.py) and the
policy lifecycle's own functions (lifecycle/), narrowed to what the viewer may see
(api/console/access.py). Handlers are plain functions: FastAPI runs them in its thread
pool, where the graph's blocking reads belong.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.console import params
from api.console.access import Viewer, ViewerDep
from api.console.charts import HEATMAP_KINDS, OVERVIEW_KINDS, grid, heatmap, overview
from api.console.path_svg import path_svg
from api.console.render import page, query
from api.deps import RuntimeDep, SettingsDep
from api.runtime import Runtime
from api.settings import Settings
from engine.errors import Forbidden, NotFound
from graph.console_buckets import BucketKind
from graph.console_queries import browser_cypher
from graph.console_reads import (
    DecisionFilter,
    list_decisions,
    read_hourly,
    read_tenants,
    read_window_totals,
)
from graph.provenance import read_decision
from lifecycle import versions
from lifecycle.diff_report import policy_diff
from lifecycle.diff_report import text as diff_text
from lifecycle.rollout_control import shadow_report
from lifecycle.sources import stored_source
from lifecycle.versions_report import as_json

router = APIRouter(prefix="/console", include_in_schema=False)

PAGE_SIZE = 50
Text = Annotated[str | None, Query(max_length=200)]
Since = Annotated[str, Query(max_length=64)]
ROLLING_OUT = ("shadow", "canary")


def _now() -> datetime:
    return datetime.now(UTC)


@router.get("", response_class=HTMLResponse)
def overview_page(
    request: Request,
    viewer: ViewerDep,
    runtime: RuntimeDep,
    since: Since = "24h",
    until: Text = None,
    tenant: Text = None,
) -> HTMLResponse:
    window, scope = _window_and_scope(viewer, since, until, tenant)
    buckets = read_hourly(
        runtime.graph, since=window.since, until=window.until, kinds=OVERVIEW_KINDS, tenant=scope
    )
    view = overview(buckets, window.hours())
    return _window_page(
        request, "overview.html", viewer, runtime, window, scope, since, until,
        view=view, chart=view.chart_data(),
    )  # fmt: skip


@router.get("/heatmap", response_class=HTMLResponse)
def heatmap_page(
    request: Request,
    viewer: ViewerDep,
    runtime: RuntimeDep,
    since: Since = "24h",
    until: Text = None,
    tenant: Text = None,
) -> HTMLResponse:
    window, scope = _window_and_scope(viewer, since, until, tenant)
    buckets = read_window_totals(
        runtime.graph, since=window.since, until=window.until, kinds=HEATMAP_KINDS, tenant=scope
    )
    # Cells link to the list of exactly the decisions they count: the same whole hours,
    # the violating outcomes, the cell's two keys.
    common: dict[str, Any] = {
        "since": window.since.isoformat(),
        "until": window.until.isoformat(),
        "outcome": list(params.VIOLATIONS),
    }

    def by_policy(tenant_id: str, policy_id: str) -> str:
        return "/console/decisions?" + query(**common, tenant=tenant_id, policy=policy_id)

    def by_label(intent_id: str, label: str) -> str:
        return "/console/decisions?" + query(**common, tenant=scope, intent=intent_id, label=label)

    return _window_page(
        request,
        "heatmap.html",
        viewer,
        runtime,
        window,
        scope,
        since,
        until,
        by_policy=grid(
            heatmap(buckets, BucketKind.POLICY_VIOLATION, by_tenant=True),
            id="by-policy",
            titles=("tenant", "policy"),
            href=by_policy,
        ),
        by_label=grid(
            heatmap(buckets, BucketKind.INTENT_LABEL, by_tenant=False),
            id="by-label",
            titles=("intent", "label"),
            href=by_label,
        ),
    )


@router.get("/decisions", response_class=HTMLResponse)
def decisions_page(
    request: Request,
    viewer: ViewerDep,
    runtime: RuntimeDep,
    since: Since = "24h",
    until: Text = None,
    tenant: Text = None,
    principal: Text = None,
    outcome: Annotated[list[str] | None, Query(max_length=40)] = None,
    policy: Text = None,
    intent: Text = None,
    label: Text = None,
    after: Annotated[str | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    window = params.window(since, until, now=_now())
    where = DecisionFilter(
        since=window.since,
        until=window.until,
        tenant=viewer.tenant_filter(params.an_id(tenant, "tenant")),
        principal=params.an_id(principal, "principal"),
        outcomes=params.outcomes(outcome),
        policy=params.an_id(policy, "policy"),
        intent=params.an_id(intent, "intent"),
        label=params.an_id(label, "label"),
    )
    listed = list_decisions(runtime.graph, where, after=params.cursor(after), limit=PAGE_SIZE)
    chosen = {
        "since": since,
        "until": until,
        "tenant": tenant,
        "principal": principal,
        "outcome": list(where.outcomes),
        "policy": policy,
        "intent": intent,
        "label": label,
    }
    end = listed.next
    older = (
        f"/console/decisions?{query(**chosen, after=f'{end.created_at}|{end.id}')}" if end else None
    )
    return page(
        request,
        "decisions.html",
        viewer,
        where=where,
        chosen=chosen,
        listed=listed,
        older=older,
        outcomes=params.OUTCOMES,
        tenants=_tenants(runtime, viewer),
    )


@router.get("/decisions/{decision_id}", response_class=HTMLResponse)
def decision_page(
    request: Request,
    decision_id: str,
    viewer: ViewerDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
) -> HTMLResponse:
    record = read_decision(runtime.graph, decision_id) if decision_id.startswith("dec_") else None
    if record is None or not viewer.may_see(record["tenant_id"]):
        # The same answer whether it does not exist or belongs to another tenant.
        raise NotFound(f"no decision {decision_id} visible to this key")
    browser = _browser_url(settings)
    reasons = [
        {
            **reason,
            "svg": path_svg(reason["path"]) if reason["path"] else "",
            "browser": _browser_link(browser, decision_id, reason["path"]),
        }
        for reason in record["reasons"]
    ]
    return page(request, "decision.html", viewer, record=record, reasons=reasons)


@router.get("/policies", response_class=HTMLResponse)
def policies_page(request: Request, viewer: ViewerDep, runtime: RuntimeDep) -> HTMLResponse:
    _platform_only(viewer, "policy versions")
    listed = [as_json(item) for item in versions.listing(runtime.graph)]
    since = _now() - timedelta(hours=24)
    counts = {
        v["version"]: shadow_report(runtime.graph, v["version"], since=since).counts.as_dict()
        for v in listed
        if v["status"] in ROLLING_OUT
    }
    candidates = [v for v in listed if v["status"] in ("candidate", *ROLLING_OUT)]
    return page(
        request,
        "policies.html",
        viewer,
        versions=listed,
        candidates=candidates,
        counts=counts,
    )


@router.get("/policies/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    viewer: ViewerDep,
    runtime: RuntimeDep,
    a: Annotated[int, Query(ge=1, le=2**31)],
    b: Annotated[int, Query(ge=1, le=2**31)],
) -> HTMLResponse:
    _platform_only(viewer, "policy diffs")
    diff = policy_diff(stored_source(runtime.graph, a), stored_source(runtime.graph, b))
    return page(request, "diff.html", viewer, a=a, b=b, diff=diff, report=diff_text(diff))


def _window_and_scope(
    viewer: Viewer, since: str, until: str | None, tenant: str | None
) -> tuple[params.Window, str | None]:
    """The page's whole-hour window and the tenant its reads are narrowed to."""
    window = params.window(since, until, now=_now(), hourly=True)
    return window, viewer.tenant_filter(params.an_id(tenant, "tenant"))


def _window_page(
    request: Request,
    template: str,
    viewer: Viewer,
    runtime: Runtime,
    window: params.Window,
    scope: str | None,
    since: str,
    until: str | None,
    **context: Any,
) -> HTMLResponse:
    """A page of one time window: the window form's values beside the page's own."""
    return page(
        request, template, viewer, window=window, tenant=scope, since=since, until=until,
        tenants=_tenants(runtime, viewer), **context,
    )  # fmt: skip


def _platform_only(viewer: Viewer, what: str) -> None:
    if not viewer.all_tenants:
        raise Forbidden(
            f"{what} are the whole installation's: a key with the 'policy_admin' "
            "permission reads them"
        )


def _tenants(runtime: Runtime, viewer: Viewer) -> list[tuple[str, str]]:
    return [t for t in read_tenants(runtime.graph) if viewer.may_see(t[0])]


def _browser_link(browser: str, decision_id: str, path: list[str]) -> str | None:
    """Neo4j Browser with the path's Cypher in its editor (`cmd=edit`), not yet run."""
    if not path:
        return None
    return f"{browser}?cmd=edit&arg={quote(browser_cypher(decision_id, path))}"


def _browser_url(settings: Settings) -> str:
    """Neo4j Browser of the graph the API uses: the bundled server's HTTP port, on the
    host of NEO4J_URI when one is set."""
    host = urlsplit(settings.neo4j.uri).hostname if settings.neo4j.uri else None
    return f"http://{host or '127.0.0.1'}:{settings.local.http_port}/browser/"
