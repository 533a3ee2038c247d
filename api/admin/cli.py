"""`govroute admin audit`: the admin API's audit trail, read from the graph.

The same records GET /v1/admin/audit answers (lifecycle.admin_log.audit_trail).
Exit codes: 0 read (even when empty), 2 a bad --since, 3 Neo4j unavailable.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable
from graph.connection import GraphClient
from lifecycle.admin_log import MAX_ACTIONS, audit_text, audit_trail
from lifecycle.since import parse_since

admin_app = typer.Typer(no_args_is_help=True, help="The admin API's audit trail.")


@admin_app.command("audit")
def admin_audit(
    since: Annotated[
        str, typer.Option(help="A time (ISO 8601) or how long ago: 24h, 7d, 30m")
    ] = "24h",
    limit: Annotated[int, typer.Option(min=1, max=MAX_ACTIONS)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="The API's JSON, one list")] = False,
) -> None:
    """Admin API calls since a time, newest first: who, what, on which version, outcome."""
    try:
        start = parse_since(since, now=datetime.now(UTC))
        settings = Settings()
        with GraphClient.connect(settings.neo4j, settings.local) as client:
            actions = audit_trail(client, start, limit=limit)
    except GovroutError as exc:
        typer.echo(f"error [{exc.code}] {exc.message}", err=True)
        raise typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2) from exc
    if as_json:
        sys.stdout.write(json.dumps(actions, indent=2, ensure_ascii=False) + "\n")
    else:
        typer.echo(audit_text(actions))
