"""`govroute drift check|status`: the drift check on demand, and the last one recorded.

Exit codes of `check`: 0 no breach; 1 a breach (acted on, held, alerted or already
handled); 2 the rollback was refused (see the reason; nothing changed); 3 Neo4j
unavailable. `status` exits 0, or 1 when no check was ever recorded.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from api.drift_watch import log_report
from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable
from graph.connection import GraphClient
from lifecycle.drift_check import Action, check_drift, last_reports
from lifecycle.drift_report import text

drift_app = typer.Typer(no_args_is_help=True, help="Drift checks with automatic rollback.")


def _stop(exc: GovroutError) -> typer.Exit:
    typer.echo(f"error [{exc.code}] {exc.message}", err=True)
    return typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2)


@drift_app.command("check")
def drift_check(
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON")] = False,
    no_rollback: Annotated[
        bool,
        typer.Option(
            "--no-rollback", help="Judge and record, but end no canary, roll nothing back"
        ),
    ] = False,
) -> None:
    """Compare recent traffic with its baseline; a breach under canary or after a recent
    activation ends the canary or restores the previous version."""
    settings = Settings()
    try:
        client = GraphClient.connect(settings.neo4j, settings.local)
        try:
            report = check_drift(client, rollback=not no_rollback, by="govroute drift check")
        finally:
            client.close()
    except GovroutError as exc:
        raise _stop(exc) from exc
    log_report(report)
    if as_json:
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    else:
        typer.echo(text(report.as_json()))
    if report.action is Action.FAILED:
        raise typer.Exit(code=2)
    raise typer.Exit(code=1 if report.breaches else 0)


@drift_app.command("status")
def drift_status(
    as_json: Annotated[bool, typer.Option("--json", help="The check as JSON")] = False,
    last: Annotated[int, typer.Option("--last", min=1, help="How many checks, newest first")] = 1,
) -> None:
    """The last recorded drift check(s), from any replica or command."""
    settings = Settings()
    try:
        client = GraphClient.connect(settings.neo4j, settings.local)
        try:
            reports = last_reports(client, last)
        finally:
            client.close()
    except GovroutError as exc:
        raise _stop(exc) from exc
    if not reports:
        typer.echo("no drift check recorded yet", err=True)
        raise typer.Exit(code=1)
    if as_json:
        sys.stdout.write(json.dumps(reports if last > 1 else reports[0], indent=2) + "\n")
        return
    typer.echo("\n\n".join(text(r) for r in reports))
