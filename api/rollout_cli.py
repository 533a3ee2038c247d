"""`govroute policy shadow|canary|shadow-report`: thin shells over lifecycle.rollout_control.

Exit codes: 0 done; 2 the input was refused (not a candidate, nobody selected, an
unknown tenant or principal, a bad --since, an admin key that is missing, unknown or
lacks `policy_admin`); 3 Neo4j unavailable.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from api.versions_cli import KeyOption, admin_of, connected, guarded
from graph.connection import GraphClient
from lifecycle.rollout_control import shadow_report, start_canary, start_shadow, stop_rollout
from lifecycle.since import parse_since

StopOption = Annotated[bool, typer.Option("--stop", help="End the rollout of VERSION")]
ReasonOption = Annotated[str, typer.Option(help="Why it stops (kept on the PolicySet)")]


def _stopped(client: GraphClient, version: int, key: str | None, reason: str) -> None:
    ended = guarded(
        lambda: stop_rollout(client, version, admin=admin_of(client, key), reason=reason)
    )
    typer.echo(f"v{ended.version}: rollout ended; the active version serves everyone")


def policy_shadow(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    key: KeyOption = None,
    stop: StopOption = False,
    reason: ReasonOption = "",
) -> None:
    """Decide live traffic under candidate VERSION too, off the request path; never serve it."""
    with connected() as client:
        if stop:
            _stopped(client, version, key, reason)
            return
        admin = admin_of(client, key)
        typer.echo(guarded(lambda: start_shadow(client, version, admin=admin)).text())


def policy_canary(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    percent: Annotated[
        float, typer.Option("--percent", help="Share of principals (stable per principal)")
    ] = 0.0,
    tenant: Annotated[
        list[str] | None, typer.Option("--tenant", help="A tenant it serves whole (repeatable)")
    ] = None,
    principal: Annotated[
        list[str] | None, typer.Option("--principal", help="A principal it serves (repeatable)")
    ] = None,
    key: KeyOption = None,
    stop: StopOption = False,
    reason: ReasonOption = "",
) -> None:
    """Let candidate VERSION decide and serve a share of principals and the named ones."""
    with connected() as client:
        if stop:
            _stopped(client, version, key, reason)
            return
        admin = admin_of(client, key)
        status = guarded(
            lambda: start_canary(
                client,
                version,
                admin=admin,
                percent=percent,
                tenants=tenant or (),
                principals=principal or (),
            )
        )
    typer.echo(status.text())


def policy_shadow_report(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    since: Annotated[
        str, typer.Option("--since", help="A duration back from now (24h, 7d) or an ISO time")
    ] = "24h",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False,
) -> None:
    """How candidate VERSION's shadow decisions differed from the served ones."""
    start = guarded(lambda: parse_since(since, now=datetime.now(UTC)))
    with connected() as client:
        report = guarded(lambda: shadow_report(client, version, since=start))
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, sort_keys=True) + "\n")
    else:
        typer.echo(report.text())
