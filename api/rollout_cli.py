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

from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable
from graph.connection import GraphClient
from lifecycle.actors import admin_for_key
from lifecycle.rollout_control import shadow_report, start_canary, start_shadow, stop_rollout
from lifecycle.since import parse_since

KeyOption = Annotated[
    str,
    typer.Option(
        "--key",
        envvar="GOVROUTE_ADMIN_KEY",
        help="An admin key (a principal with permission policy_admin)",
        show_default=False,
    ),
]


def _stop(exc: GovroutError) -> typer.Exit:
    typer.echo(f"error [{exc.code}] {exc.message}", err=True)
    return typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2)


def _connect() -> GraphClient:
    settings = Settings()
    return GraphClient.connect(settings.neo4j, settings.local)


def policy_shadow(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    key: KeyOption = "",
    stop: Annotated[bool, typer.Option("--stop", help="End the rollout of VERSION")] = False,
    reason: Annotated[str, typer.Option(help="Why it stops (kept on the PolicySet)")] = "",
) -> None:
    """Decide live traffic under candidate VERSION too, off the request path; never serve it."""
    try:
        client = _connect()
    except GovroutError as exc:
        raise _stop(exc) from exc
    try:
        admin = admin_for_key(client, key)
        if stop:
            ended = stop_rollout(client, version, admin=admin, reason=reason)
            typer.echo(f"v{ended.version}: rollout ended; the active version serves everyone")
        else:
            typer.echo(start_shadow(client, version, admin=admin).text())
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        client.close()


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
    key: KeyOption = "",
    stop: Annotated[bool, typer.Option("--stop", help="End the rollout of VERSION")] = False,
    reason: Annotated[str, typer.Option(help="Why it stops (kept on the PolicySet)")] = "",
) -> None:
    """Let candidate VERSION decide and serve a share of principals and the named ones."""
    try:
        client = _connect()
    except GovroutError as exc:
        raise _stop(exc) from exc
    try:
        admin = admin_for_key(client, key)
        if stop:
            ended = stop_rollout(client, version, admin=admin, reason=reason)
            typer.echo(f"v{ended.version}: rollout ended; the active version serves everyone")
            return
        status = start_canary(
            client,
            version,
            admin=admin,
            percent=percent,
            tenants=tenant or (),
            principals=principal or (),
        )
        typer.echo(status.text())
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        client.close()


def policy_shadow_report(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    since: Annotated[
        str, typer.Option("--since", help="A duration back from now (24h, 7d) or an ISO time")
    ] = "24h",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False,
) -> None:
    """How candidate VERSION's shadow decisions differed from the served ones."""
    try:
        start = parse_since(since, now=datetime.now(UTC))
        client = _connect()
    except GovroutError as exc:
        raise _stop(exc) from exc
    try:
        report = shadow_report(client, version, since=start)
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        client.close()
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, sort_keys=True) + "\n")
    else:
        typer.echo(report.text())
