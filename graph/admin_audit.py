"""The admin API's audit trail: one (:AdminAction) per call, written before and after.

Why before-and-after and not inside each operation's transaction: the operations are
the same functions the CLI calls (graph.store, loaders.policy_load, lifecycle), each
with its own transaction, and some are reads or pure computations (diff, export). An
action is recorded as `started` BEFORE the operation runs; if that write fails the
operation does not run (an operation never happens unaudited). It is completed AFTER,
as `ok` or `refused` with the error. If the process dies in between, the action stays
`started`: the audit then says "began, outcome not recorded", never something false,
and the PolicySet's own author and time settle what happened (docs/policy-lifecycle.md).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph import admin_queries as q
from graph.connection import GraphClient, records

STARTED, OK, REFUSED = "started", "ok", "refused"


@dataclass(frozen=True, slots=True)
class ActionStart:
    """What is known when a call begins: who, what, on which version, with what."""

    operation: str  # the route's name: list_policies, stage_candidate, rollback, ...
    method: str
    path: str
    principal_id: str
    tenant_id: str
    version: int | None = None
    parameters: dict[str, Any] | None = None  # never secrets or content bodies
    content_hash: str | None = None  # stands in for a content body
    via: str = "api"


@dataclass(frozen=True, slots=True)
class ActionEnd:
    status: str  # OK | REFUSED
    http_status: int
    error_code: str | None = None
    error: str | None = None
    result: dict[str, Any] | None = None  # a summary (versions, counts), never content
    parameters: dict[str, Any] | None = None  # the start's and the body's, once it was read
    content_hash: str | None = None  # known only once the body was read
    produced: int | None = None  # the version the call created


@dataclass(frozen=True, slots=True)
class AdminAction:
    """One recorded call, as `GET /v1/admin/audit` and `govroute admin audit` show it."""

    id: str
    operation: str
    method: str
    path: str
    principal_id: str
    tenant_id: str
    status: str
    started_at: str
    finished_at: str | None = None
    version: int | None = None
    produced_version: int | None = None
    parameters: dict[str, Any] | None = None
    content_hash: str | None = None
    http_status: int | None = None
    error_code: str | None = None
    error: str | None = None
    result: dict[str, Any] | None = None
    via: str = "api"


def new_action_id() -> str:
    return f"adm_{secrets.token_hex(16)}"


def begin_action(client: GraphClient, start: ActionStart, *, now: datetime | None = None) -> str:
    """Record the call as started; returns its id. Raises GraphUnavailable like any write."""
    action_id = new_action_id()
    client.write(
        records,
        q.BEGIN_ADMIN_ACTION,
        id=action_id,
        operation=start.operation,
        method=start.method,
        path=start.path,
        principal_id=start.principal_id,
        tenant_id=start.tenant_id,
        version=start.version,
        parameters=_json(start.parameters),
        content_hash=start.content_hash,
        via=start.via,
        at=(now or datetime.now(UTC)).isoformat(),
    )
    return action_id


def finish_action(
    client: GraphClient, action_id: str, end: ActionEnd, *, now: datetime | None = None
) -> None:
    client.write(
        records,
        q.FINISH_ADMIN_ACTION,
        id=action_id,
        status=end.status,
        http_status=end.http_status,
        error_code=end.error_code,
        error=end.error,
        result=_json(end.result),
        parameters=_json(end.parameters),
        content_hash=end.content_hash,
        produced=end.produced,
        at=(now or datetime.now(UTC)).isoformat(),
    )


def admin_actions(client: GraphClient, since: datetime, *, limit: int = 1000) -> list[AdminAction]:
    """Recorded calls that started at or after `since`, newest first."""
    rows = client.read(records, q.ADMIN_ACTIONS_SINCE, since=since.isoformat(), limit=limit)
    return [_action(row["a"]) for row in rows]


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))


def _action(a: dict[str, Any]) -> AdminAction:
    def parsed(key: str) -> dict[str, Any] | None:
        raw = a.get(key)
        return None if raw is None else dict(json.loads(raw))

    return AdminAction(
        id=a["id"],
        operation=a["operation"],
        method=a.get("method", ""),
        path=a.get("path", ""),
        principal_id=a.get("principal_id", ""),
        tenant_id=a.get("tenant_id", ""),
        status=a["status"],
        started_at=a["started_at"],
        finished_at=a.get("finished_at"),
        version=a.get("version"),
        produced_version=a.get("produced_version"),
        parameters=parsed("parameters"),
        content_hash=a.get("content_hash"),
        http_status=a.get("http_status"),
        error_code=a.get("error_code"),
        error=a.get("error"),
        result=parsed("result"),
        via=a.get("via", "api"),
    )
