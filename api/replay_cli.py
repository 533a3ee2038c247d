"""`govroute policy replay N`: the window's recorded decisions decided again under
version N (lifecycle.replay_run), printed as the shadow report.

Exit codes, as `policy diff`: 0 nothing would change, 1 something would, 2 the
input could not be used (no such version, a bad window), 3 Neo4j unavailable.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable
from graph.connection import GraphClient
from lifecycle.replay_run import replay_version
from lifecycle.since import parse_since


def _stop(exc: GovroutError) -> typer.Exit:
    typer.echo(f"error [{exc.code}] {exc.message}", err=True)
    return typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2)


def policy_replay(
    version: Annotated[int, typer.Argument(help="The stored version to decide under")],
    since: Annotated[
        str, typer.Option("--since", help="Window start: 24h, 30m, 7d ago, or an ISO time")
    ] = "24h",
    until: Annotated[
        str | None, typer.Option("--until", help="Window end, the same forms (default: now)")
    ] = None,
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant")] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes deciding (default: the CPU count)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False,
) -> None:
    """Decide recorded traffic again under VERSION; print what would change (pure core)."""
    now = datetime.now(UTC)
    settings = Settings()
    try:
        start = parse_since(since, now=now)
        end = parse_since(until, now=now, field="until") if until else now
        with GraphClient.connect(settings.neo4j, settings.local) as client:
            report = replay_version(
                client,
                version,
                since=start,
                until=end,
                tenant=tenant,
                workers=workers or os.cpu_count() or 1,
            )
    except GovroutError as exc:
        raise _stop(exc) from exc
    if as_json:
        sys.stdout.write(report.as_json() + "\n")
    else:
        typer.echo(report.text())
    raise typer.Exit(code=1 if report.counts.changed else 0)
