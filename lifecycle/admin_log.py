"""The admin audit trail for people and machines: `govroute admin audit` and
GET /v1/admin/audit read the same records (graph.admin_audit) and render them here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from graph.admin_audit import admin_actions
from graph.connection import GraphClient

MAX_ACTIONS = 1000


def audit_trail(
    client: GraphClient, since: datetime, *, limit: int = MAX_ACTIONS
) -> list[dict[str, Any]]:
    """Calls that started at or after `since`, newest first, as plain data."""
    return [asdict(a) for a in admin_actions(client, since, limit=limit)]


def audit_text(actions: Sequence[dict[str, Any]]) -> str:
    """One line per call: when, who, what, on which version, outcome (and why refused)."""
    if not actions:
        return "no admin actions in this window"
    lines = []
    for a in actions:
        on = f" v{a['version']}" if a.get("version") is not None else ""
        made = f" -> v{a['produced_version']}" if a.get("produced_version") is not None else ""
        outcome = a["status"] if a["status"] != "started" else "started (outcome not recorded)"
        if a.get("error_code"):
            error = " ".join(str(a.get("error") or "").split())  # problems on one line
            outcome += f" [{a['error_code']}] {error[:200]}"
        lines.append(
            f"{a['started_at'][:19]}  {a['principal_id']}@{a['tenant_id']}  "
            f"{a['operation']}{on}{made}  {outcome}"
        )
    return "\n".join(lines)
