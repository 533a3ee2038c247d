"""`govroute review list|show|approve ID|reject ID --reason`: the review queue from a shell.

A thin shell over api/review/queue.py, the functions the admin API calls. The
reviewer is the principal of --key (or GOVROUTE_REVIEW_KEY), whose roles must grant
`review`; the verdict is written to the graph in one transaction, and the running
API's review worker serves an approved chat request and announces the verdict
(webhook, metrics) within GOVROUTE_REVIEW_WORKER_INTERVAL_S.

Exit codes: 0 done, 2 refused (bad input, unknown id, not allowed, already decided),
3 Neo4j unavailable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import typer

from api.review import queue
from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable
from engine.model import Principal
from engine.review import ReviewStatus
from graph.connection import GraphClient
from graph.review_store import ReviewFilter

T = TypeVar("T")

review_app = typer.Typer(no_args_is_help=True, help="Held requests: list, approve, reject.")

KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key",
        envvar=queue.REVIEW_KEY_ENV,
        help="A reviewer's API key (a role with the 'review' permission; recorded)",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="The API's JSON")]


@contextmanager
def _connected() -> Iterator[GraphClient]:
    settings = Settings()
    with GraphClient.connect(settings.neo4j, settings.local) as client:
        yield client


def _run(work: Callable[[GraphClient], T]) -> T:
    try:
        with _connected() as client:
            return work(client)
    except GovroutError as exc:
        typer.echo(f"error [{exc.code}] {exc.message}", err=True)
        raise typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2) from exc


def _now() -> datetime:
    return datetime.now(UTC)


@review_app.command("list")
def review_list(
    status: Annotated[
        str, typer.Option(help="pending, approved, rejected, expired or all")
    ] = "pending",
    principal: Annotated[str | None, typer.Option(help="Only this requester's")] = None,
    limit: Annotated[int, typer.Option(min=1, max=queue.MAX_LIST)] = 50,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """The reviewer's tenant's held requests, oldest first."""
    if status != "all" and status not in ReviewStatus.__members__.values():
        typer.echo(
            f"error [invalid_request] --status {status!r}: pending, approved, "
            "rejected, expired or all",
            err=True,
        )
        raise typer.Exit(code=2)
    filters = ReviewFilter(
        status=None if status == "all" else ReviewStatus(status),
        principal_id=principal,
        limit=limit,
    )
    listed = _run(lambda g: queue.queue(g, queue.reviewer_for_key(g, key), filters, _now()))
    if as_json:
        _print_json(listed)
        return
    if not listed:
        typer.echo(f"no {status} reviews")
    for item in listed:
        typer.echo(_line(item))


@review_app.command("show")
def review_show(
    review_id: Annotated[str, typer.Argument(help="The held decision's id (dec_...)")],
    key: KeyOption = None,
) -> None:
    """One review with its held, already redacted request (JSON)."""
    _print_json(_run(lambda g: queue.detail(g, queue.reviewer_for_key(g, key), review_id, _now())))


@review_app.command("approve")
def review_approve(
    review_id: Annotated[str, typer.Argument(help="The held decision's id (dec_...)")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (required; recorded)")],
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approve a held request; the API then serves a chat request."""
    _verdict(queue.approve, review_id, reason, key, as_json)


@review_app.command("reject")
def review_reject(
    review_id: Annotated[str, typer.Argument(help="The held decision's id (dec_...)")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (required; recorded)")],
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a held request: it is refused and never sent."""
    _verdict(queue.reject, review_id, reason, key, as_json)


def _verdict(
    act: Callable[[GraphClient, Principal, str, str, datetime], dict[str, Any]],
    review_id: str,
    reason: str,
    key: str | None,
    as_json: bool,
) -> None:
    item = _run(lambda g: act(g, queue.reviewer_for_key(g, key), review_id, reason, _now()))
    _print_json(item) if as_json else typer.echo(_line(item))


def _line(item: dict[str, Any]) -> str:
    verdict = item.get("verdict")
    who = (
        f" by {verdict['reviewer_id']}: {verdict['reason']}"
        if verdict and verdict["reviewer_id"]
        else ""
    )
    why = "; ".join(r["sentence"] for r in item["reasons"])
    return (
        f"{item['id']}  {item['status']:<8} {item['kind']:<6} {item['principal_id']}  "
        f"held {item['created_at']} expires {item['expires_at']}{who}  [{why}]"
    )


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
