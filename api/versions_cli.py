"""`govroute policy list|approve|reject|activate|rollback`: shells over lifecycle.versions.

Commands that change state take a policy_admin API key (--key, or GOVROUTE_ADMIN_KEY).
Exit codes: 0 done; 2 refused (no or unknown key, not an admin, not a candidate, short
of approvals, bad input: the message says which); 3 Neo4j unavailable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable, InvalidRequest
from engine.model import Principal
from graph.connection import GraphClient
from lifecycle import versions
from lifecycle.actors import ADMIN_KEY_ENV, admin_for_key
from lifecycle.versions_report import (
    activation_text,
    approvals_text,
    listing_json,
    notes_text,
    rejection_text,
    review_text,
    rollout_text,
)

T = TypeVar("T")
out = Console()
err = Console(stderr=True)

KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key",
        envvar=ADMIN_KEY_ENV,
        help="A policy_admin API key (who acts; recorded)",
        show_default=False,
    ),
]


def refused(exc: GovroutError) -> typer.Exit:
    """Print the error the way every lifecycle command does; 3 if the graph is away."""
    # Escaped: "[not_authenticated]" would otherwise be read as rich markup and vanish.
    err.print(f"[bold red]error[/] {escape(f'[{exc.code}] {exc.message}')}", highlight=False)
    return typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2)


def guarded(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except GovroutError as exc:
        raise refused(exc) from exc


@contextmanager
def connected() -> Iterator[GraphClient]:
    settings = Settings()
    client = guarded(lambda: GraphClient.connect(settings.neo4j, settings.local))
    try:
        yield client
    finally:
        client.close()


def admin_of(client: GraphClient, key: str | None) -> Principal:
    """The policy administrator of `key`, or the command refused (exit 2)."""
    return guarded(lambda: admin_for_key(client, key))


def policy_list(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False,
) -> None:
    """PolicySet versions: status, approvals, rollout, base version, what happened."""
    with connected() as client:
        items = guarded(lambda: versions.listing(client))
    if as_json:
        sys.stdout.write(listing_json(items))
        return
    table = Table("version", "status", "approvals", "rollout", "base", "author", "created", "notes")
    for item in items:
        s = item.state
        status = s.status if s.info.kind == "policy" else f"{s.status} (catalog)"
        table.add_row(
            str(s.version),
            status,
            approvals_text(item),
            rollout_text(s),
            "" if s.base_version is None else f"v{s.base_version}",
            s.author_id or s.info.author,
            s.info.created_at[:16],
            notes_text(item) or s.info.message,
        )
    out.print(table)


def policy_approve(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    comment: Annotated[str, typer.Option("--comment", "-c", help="Recorded with it")] = "",
    key: KeyOption = None,
) -> None:
    """Approve candidate VERSION (an admin other than its author; one approval each)."""
    with connected() as client:
        actor = admin_of(client, key)
        item = guarded(lambda: versions.approve(client, version, actor=actor, comment=comment))
    out.print(review_text(item), highlight=False)


def policy_reject(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    comment: Annotated[str, typer.Option("--comment", "-c", help="Why (required)")],
    key: KeyOption = None,
) -> None:
    """Reject candidate VERSION: it can no longer be approved, rolled out or activated."""
    with connected() as client:
        actor = admin_of(client, key)
        if not comment.strip():
            raise refused(InvalidRequest("say why with --comment", field="comment"))
        state = guarded(lambda: versions.reject(client, version, actor=actor, comment=comment))
    out.print(rejection_text(state), highlight=False)


def policy_activate(
    version: Annotated[int, typer.Argument(help="The candidate version")],
    rebase_ok: Annotated[
        bool,
        typer.Option(
            "--rebase-ok",
            help="Activate even though the active version moved since VERSION was staged "
            "(its content replaces the active one whole); recorded as rebased_from",
        ),
    ] = False,
    key: KeyOption = None,
) -> None:
    """Make candidate VERSION active, once it has the approvals its governance requires."""
    with connected() as client:
        actor = admin_of(client, key)
        done = guarded(lambda: versions.activate(client, version, actor=actor, rebase_ok=rebase_ok))
    out.print(activation_text(done), highlight=False)


def policy_rollback(
    version: Annotated[int, typer.Argument(help="The earlier version to restore")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded; required)")],
    evidence: Annotated[
        Path | None, typer.Option("--evidence", help="A JSON file recorded with it")
    ] = None,
    key: KeyOption = None,
) -> None:
    """Make an earlier version's content active again, as a new version (no approvals:
    the emergency path; who and why are recorded)."""
    with connected() as client:
        actor = admin_of(client, key)
        if not reason.strip():
            raise refused(InvalidRequest("say why with --reason", field="reason"))
        facts = guarded(lambda: _evidence(evidence))
        report = guarded(
            lambda: versions.rollback(client, version, actor=actor, reason=reason, evidence=facts)
        )
    out.print(report.describe(), highlight=False)


def _evidence(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidRequest(f"--evidence {path}: {exc}", field="evidence") from exc
    if not isinstance(data, dict):
        raise InvalidRequest(f"--evidence {path}: a JSON object is expected", field="evidence")
    return data
