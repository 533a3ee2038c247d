"""`govroute audit export|verify|head|backfill`: thin shells over lifecycle.audit_export,
lifecycle.audit_verify and graph.audit_backfill (the admin API calls the first two).

Exit codes: 0 done (verify: the chain is intact), 1 verify found tampering (export: some
records were not decision records and were left out), 2 bad input
(an unreadable --since, --until before --since), 3 Neo4j unavailable.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable
from graph.audit_backfill import PAGE, BackfillProgress, backfill
from graph.connection import GraphClient
from graph.schema import apply_schema
from lifecycle.audit_export import ExportFormat, export_decisions, parse_time
from lifecycle.audit_verify import chain_head, verify_chain

audit_app = typer.Typer(
    no_args_is_help=True, help="Decision provenance: PROV-O export and the hash chain."
)


def _stop(exc: GovroutError) -> typer.Exit:
    typer.echo(f"error [{exc.code}] {exc.message}", err=True)
    return typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2)


def _connect() -> GraphClient:
    settings = Settings()
    try:
        return GraphClient.connect(settings.neo4j, settings.local)
    except GovroutError as exc:
        raise _stop(exc) from exc


@audit_app.command("export")
def audit_export(
    since: Annotated[
        str, typer.Option("--since", help="24h, 7d, 30m... before now, or an ISO date/datetime")
    ],
    until: Annotated[
        str | None, typer.Option("--until", help="Up to (excluded), same forms as --since")
    ] = None,
    tenant: Annotated[str | None, typer.Option("--tenant", help="One tenant's decisions")] = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="RDF syntax")
    ] = ExportFormat.TURTLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout")
    ] = None,
) -> None:
    """Decisions as PROV-O activities (streamed; SHACL shapes: ontology/decision_shapes.ttl)."""
    now = datetime.now(UTC)
    try:
        start = parse_time(since, now=now, option="--since")
        end = parse_time(until, now=now, option="--until") if until else None
    except GovroutError as exc:
        raise _stop(exc) from exc
    client = _connect()
    try:
        if output is None:
            summary = export_decisions(
                client, sys.stdout, since=start, until=end, tenant=tenant, format=format
            )
        else:
            with output.open("w", encoding="utf-8") as out:
                summary = export_decisions(
                    client, out, since=start, until=end, tenant=tenant, format=format
                )
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        client.close()
    where = f" to {output}" if output else ""
    typer.echo(f"{summary.text()}{where}", err=True)
    if summary.skipped:
        raise typer.Exit(code=1)  # the export is incomplete: say so to scripts too


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head", help="A head hash anchored earlier: it must still be in the chain"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False,
) -> None:
    """Recompute the provenance hash chain; exit 1 when a decision or batch was tampered with."""
    client = _connect()
    try:
        report = verify_chain(client, expect_head=expect_head)
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        client.close()
    if as_json:
        sys.stdout.write(report.as_json())
    else:
        typer.echo(report.text())
    raise typer.Exit(code=0 if report.clean else 1)


@audit_app.command("head")
def audit_head() -> None:
    """Print the chain head (seq and hash), to anchor outside the graph."""
    client = _connect()
    try:
        head = chain_head(client)
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        client.close()
    typer.echo(head.text() if head else "chain head: none (no decision chained yet)")


@audit_app.command("backfill")
def audit_backfill(
    page: Annotated[int, typer.Option("--page", min=1, help="Decisions per transaction")] = PAGE,
) -> None:
    """Bring decisions written by an earlier build to the audit shape (EXPOSED index
    properties, label-receipt tallies): batched, idempotent, resumable; progress on stderr."""
    client = _connect()

    def report(p: BackfillProgress) -> None:
        typer.echo(f"read {p.read:,} of {p.total:,}, backfilled {p.backfilled:,}", err=True)

    try:
        apply_schema(client)  # the index and the tallies' constraint the backfill writes for
        done = backfill(client, page=page, on_progress=report)
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        client.close()
    typer.echo(f"backfilled {done.backfilled:,} of {done.total:,} decisions", err=True)
