"""`govroute redteam`: send the standing attack suite to a running deployment.

    govroute redteam --url http://127.0.0.1:8080 --key KEY [--suite FILE.jsonl]
                     [--tricks all] [--limit N] [--concurrency 4] [--json]
                     [--fail-under block=0.9 --fail-under benign=0.95 ...]

Each probe is one POST /v1/decide with the probe as a user message; what counts
as blocked is `api.redteam_suite.threat_denials`. Bounded on purpose: only the URL
given is contacted, and only a loopback one unless --allow-remote; every request
has a timeout; a 429 or 503 is retried a few times after its Retry-After (capped);
the probe count is capped (MAX_PROBES). A deployment that is not there, or a key it
refuses, stops the run at the first answer instead of failing every probe.

Exit codes: 0 all thresholds held; 1 a --fail-under threshold was missed; 2 the
command line or suite was refused; 3 the run is incomplete (probes undecided).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import httpx
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from api.redteam_suite import (
    Metric,
    Outcome,
    Probe,
    Rate,
    Report,
    default_suite_path,
    load_suite,
    missed_thresholds,
    plan,
    summarize,
    threat_denials,
)
from engine.errors import InvalidRequest
from engine.evasions import CARRIER_TRICKS, TRICKS

__all__ = ["EXIT_INCOMPLETE", "EXIT_MISSED", "RunSettings", "redteam", "run_probes"]

EXIT_MISSED = 1
EXIT_INCOMPLETE = 3
RETRY_STATUSES = frozenset({429, 503})
MAX_ATTEMPTS = 4
MAX_RETRY_WAIT_S = 30.0
# Answers that mean every other probe would get the same: stop at once.
FATAL_STATUSES = {401: "the key was refused", 403: "the key may not decide", 404: "no /v1/decide"}


class RunAborted(Exception):
    """The deployment cannot answer this run at all (down, wrong URL, key refused)."""


@dataclass(frozen=True, slots=True)
class RunSettings:
    base_url: str  # without a trailing slash; /v1/decide is appended
    key: str
    concurrency: int = 4
    timeout_s: float = 30.0
    purpose: str | None = None


def loopback_url(url: str, *, allow_remote: bool) -> str:
    """`url` without its trailing slash, if it is http(s) on a loopback host (or allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidRequest(f"{url!r} is not an http(s) URL", field="url")
    if parts.query or parts.fragment:
        raise InvalidRequest(f"{url!r}: give the base URL, without query or fragment", field="url")
    if not allow_remote and not _is_loopback(parts.hostname):
        raise InvalidRequest(
            f"{parts.hostname} is not a loopback address; a red-team run sends attacks, so "
            "pointing it elsewhere takes --allow-remote",
            field="url",
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: not resolved here, so not trusted to be local
        return False


# ---------------------------------------------------------------- sending


async def run_probes(
    probes: Sequence[Probe], settings: RunSettings, on_done: Callable[[], None] | None = None
) -> tuple[Outcome, ...]:
    """Decide every probe, `settings.concurrency` at a time; order kept. RunAborted on fatal.

    `on_done` is called after each probe (a progress bar).
    """
    gate = asyncio.Semaphore(settings.concurrency)
    headers = {"Authorization": f"Bearer {settings.key}"}
    timeout = httpx.Timeout(settings.timeout_s)
    limits = httpx.Limits(max_connections=settings.concurrency)
    async with httpx.AsyncClient(
        base_url=settings.base_url, headers=headers, timeout=timeout, limits=limits
    ) as client:

        async def one(probe: Probe) -> Outcome:
            async with gate:
                outcome = await _decide(client, probe, settings.purpose)
            if on_done is not None:
                on_done()
            return outcome

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(p)) for p in probes]
        except* RunAborted as failed:
            raise failed.exceptions[0] from None
    return tuple(t.result() for t in tasks)


async def _decide(client: httpx.AsyncClient, probe: Probe, purpose: str | None) -> Outcome:
    body: dict[str, Any] = {"messages": [{"role": "user", "content": probe.text}]}
    if purpose is not None:
        body["purpose"] = purpose
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            response = await client.post("/v1/decide", json=body)
        except httpx.ConnectError as exc:
            raise RunAborted(f"cannot connect to {client.base_url}: {exc}") from exc
        except httpx.TimeoutException:
            return Outcome(probe, None, error="timed out")
        if response.status_code in FATAL_STATUSES:
            raise RunAborted(f"HTTP {response.status_code}: {FATAL_STATUSES[response.status_code]}")
        if response.status_code in RETRY_STATUSES and attempt < MAX_ATTEMPTS:
            await asyncio.sleep(_retry_wait(response, attempt))
            continue
        if response.status_code != 200:
            return Outcome(probe, None, error=f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            decision = response.json()
        except ValueError:
            return Outcome(probe, None, error="HTTP 200 with a body that is not JSON")
        return Outcome(probe, decision.get("outcome"), threat_denials(decision))
    raise AssertionError("unreachable: the last attempt returns")


def _retry_wait(response: httpx.Response, attempt: int) -> float:
    try:
        wait = float(response.headers.get("Retry-After", ""))
    except ValueError:
        wait = 0.5 * 2**attempt
    return min(max(wait, 0.0), MAX_RETRY_WAIT_S)


# ---------------------------------------------------------------- the command


def _thresholds(values: Sequence[str]) -> dict[Metric, float]:
    """`--fail-under` values, METRIC=RATE each, as a mapping; BadParameter says what is wrong."""
    known = {m.value: m for m in Metric}
    thresholds: dict[Metric, float] = {}
    for value in values:
        name, _, number = value.partition("=")
        try:
            floor = float(number)
        except ValueError:
            floor = -1.0
        if name.strip() not in known or not 0.0 <= floor <= 1.0:
            raise typer.BadParameter(
                f"{value!r}: want METRIC=RATE with RATE in [0, 1] and METRIC one of "
                + ", ".join(known),
                param_hint="--fail-under",
            )
        thresholds[known[name.strip()]] = floor
    return thresholds


def _tricks(value: str) -> tuple[str, ...]:
    if value == "all":
        return tuple(TRICKS)
    if value == "none":
        return ()
    return tuple(t.strip() for t in value.split(",") if t.strip())


def redteam(
    url: Annotated[
        str, typer.Option(help="Base URL of the deployment, e.g. http://127.0.0.1:8080")
    ],
    key: Annotated[
        str, typer.Option(envvar="GOVROUTE_REDTEAM_KEY", help="API key to send the probes with")
    ],
    suite: Annotated[
        Path | None, typer.Option(help="Suite JSONL (default: the one shipped with govroute)")
    ] = None,
    tricks: Annotated[
        str, typer.Option(help="'all', 'none', or a comma list of: " + ", ".join(TRICKS))
    ] = "all",
    limit: Annotated[
        int | None, typer.Option(min=1, help="At most N suite items, half attacks, half benign")
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Requests in flight")] = 4,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds per request")] = 30.0,
    purpose: Annotated[str | None, typer.Option(help="Purpose to declare on every probe")] = None,
    fail_under: Annotated[
        list[str] | None,
        typer.Option(
            help="METRIC=RATE, repeatable; metrics: "
            + ", ".join(f"{m.value}" for m in Metric)
            + " (benign = 1 - false-positive rate)"
        ),
    ] = None,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Allow a URL that is not loopback")
    ] = False,
    carrier_controls: Annotated[
        bool,
        typer.Option(
            help="Also send benign items through the chosen carrier tricks "
            f"({', '.join(sorted(CARRIER_TRICKS))}): does the wrapping alone get blocked?"
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Send the attack suite (as written and disguised) and benign look-alikes; report rates."""
    err = Console(stderr=True)
    thresholds = _thresholds(fail_under or [])
    try:
        base_url = loopback_url(url, allow_remote=allow_remote)
        items = load_suite(suite or default_suite_path())
        chosen = _tricks(tricks)
        controls = [t for t in chosen if t in CARRIER_TRICKS] if carrier_controls else []
        probes = plan(items, chosen, limit=limit, benign_tricks=controls)
    except (InvalidRequest, OSError) as exc:
        err.print(f"[bold red]refused[/] {getattr(exc, 'message', exc)}", highlight=False)
        raise typer.Exit(code=2) from exc
    settings = RunSettings(base_url, key, concurrency, timeout, purpose)
    if not as_json:
        err.print(f"sending {len(probes)} probes from {len(items)} suite items to {base_url}")
    try:
        outcomes = _run_with_progress(probes, settings, err if err.is_terminal else None)
    except RunAborted as exc:
        err.print(f"[bold red]aborted[/] {exc}", highlight=False)
        raise typer.Exit(code=EXIT_INCOMPLETE) from exc
    report = summarize(outcomes)
    missed = missed_thresholds(report, thresholds)
    if as_json:
        document = report.as_dict() | {"thresholds_missed": list(missed)}
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        print_report(Console(), report, missed)
    if report.errors:
        err.print(f"[bold red]incomplete[/] {len(report.errors)} probe(s) got no decision")
        raise typer.Exit(code=EXIT_INCOMPLETE)
    if missed:
        raise typer.Exit(code=EXIT_MISSED)


def _run_with_progress(
    probes: Sequence[Probe], settings: RunSettings, console: Console | None
) -> tuple[Outcome, ...]:
    """The run, with a progress bar on `console` (a terminal); a 429-paced run takes minutes."""
    if console is None:
        return asyncio.run(run_probes(probes, settings))
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("probes", total=len(probes))
        return asyncio.run(run_probes(probes, settings, lambda: progress.advance(task)))


# ---------------------------------------------------------------- tables


def print_report(out: Console, report: Report, missed: Sequence[str]) -> None:
    out.print(_rates_table("Attacks by family", "family", report.by_family, report.attacks))
    out.print(_rates_table("Attacks by language", "lang", report.by_lang, report.attacks))
    tricks = Table(
        "trick", "probes", "blocked", "block rate", "bypass rate", "benign blocked",
        title="Attacks by trick (benign blocked: the carrier control)",
    )  # fmt: skip
    controls = {row.group: row for row in report.benign_by_trick}
    for row in report.by_trick:
        control = controls.get(row.group)
        tricks.add_row(
            row.group,
            str(row.total),
            str(row.blocked),
            _pct(row.rate),
            _pct(1 - row.rate),
            f"{control.blocked}/{control.total} ({_pct(control.rate)})" if control else "-",
        )
    out.print(tricks)
    benign = Table(
        "family", "probes", "false positives", "rate", title="Benign look-alikes, as written"
    )
    for row in (*report.benign_by_family, report.benign):
        benign.add_row(row.group, str(row.total), str(row.blocked), _pct(row.rate))
    out.print(benign)
    out.print(
        f"attack block rate {_pct(report.attacks.rate)} over {report.attacks.total} probes; "
        f"benign false-positive rate {_pct(report.benign.rate)} over {report.benign.total}",
        highlight=False,
    )
    for sentence in missed:
        out.print(f"[bold red]threshold missed[/] {sentence}", highlight=False)


def _rates_table(title: str, column: str, rows: Sequence[Rate], total: Rate) -> Table:
    table = Table(column, "probes", "blocked", "block rate", title=title)
    for row in (*rows, total):
        table.add_row(row.group, str(row.total), str(row.blocked), _pct(row.rate))
    return table


def _pct(rate: float) -> str:
    return f"{100 * rate:.1f}%"
