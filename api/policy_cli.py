"""`govroute policy test|schema|diff`: the policy lifecycle commands that need no server
(diff reads stored versions from Neo4j only when it is given version numbers).

Exit codes: 0 everything passed (diff: no changes), 1 a case failed (diff: something
changes, like diff(1)), 2 the input
could not be used (invalid policy or case files, no cases, unknown principal in
every case...), 3 a stored version could not be read (Neo4j unavailable).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from api.settings import Settings
from engine.errors import GovroutError, GraphUnavailable
from graph.connection import GraphClient
from lifecycle.case_run import CaseRunner
from lifecycle.cases import case_files, case_schema_json, read_cases
from lifecycle.diff_report import as_json as diff_json
from lifecycle.diff_report import policy_diff as compute_diff
from lifecycle.diff_report import text as diff_text
from lifecycle.offline import offline_world
from lifecycle.report import junit_xml, text_report
from lifecycle.sources import read_source
from loaders.policy_load import read_bundle


def _stop(exc: GovroutError) -> typer.Exit:
    typer.echo(f"error [{exc.code}] {exc.message}", err=True)
    return typer.Exit(code=3 if isinstance(exc, GraphUnavailable) else 2)


def policy_test(
    directory: Annotated[Path, typer.Argument(help="The policy directory (or file) under test")],
    cases: Annotated[
        list[Path] | None,
        typer.Argument(help="Case files or folders (default: DIRECTORY/cases)", show_default=False),
    ] = None,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write JUnit XML to FILE, for CI")
    ] = None,
    intent_model: Annotated[
        bool,
        typer.Option(
            "--intent-model",
            help="Match intents with the real embedding model and score threats with the "
            "shipped detector, instead of the pins; the pinned intent must then match",
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List passing cases too")
    ] = False,
) -> None:
    """Run decision cases against a policy directory on the pure core (no Neo4j)."""
    started = time.perf_counter()
    try:
        bundle = read_bundle(directory)
        files = case_files(directory, cases or ())
        root = directory if directory.is_dir() and not cases else None
        found = read_cases(files, relative_to=root)
    except GovroutError as exc:
        raise _stop(exc) from exc
    if not found:
        where = ", ".join(map(str, cases)) if cases else f"{directory}/cases"
        typer.echo(f"error: no decision cases found in {where}", err=True)
        raise typer.Exit(code=2)
    runner = CaseRunner(offline_world(bundle), models=intent_model)
    results = runner.run_all(found)
    seconds = time.perf_counter() - started
    report = text_report(results, verbose=verbose)
    if report:
        typer.echo(report)
    failed = [r for r in results if not r.passed]
    mode = "intent model" if intent_model else "pinned intents"
    typer.echo(
        f"{len(results) - len(failed)} passed, {len(failed)} failed, {len(results)} cases "
        f"from {len(files)} files ({mode}) in {seconds:.2f}s"
    )
    if junit is not None:
        junit.write_text(junit_xml(str(directory), results, seconds), encoding="utf-8")
        typer.echo(f"wrote JUnit XML to {junit}", err=True)
    raise typer.Exit(code=1 if failed else 0)


def policy_schema() -> None:
    """Print the JSON Schema of the decision case format (for editors and CI)."""
    sys.stdout.write(case_schema_json())


def policy_diff(
    before: Annotated[str, typer.Argument(help="A stored version (12 or v12), a dir or a file")],
    after: Annotated[str, typer.Argument(help="The same kinds; any mix")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable, ungrouped")] = False,
) -> None:
    """What changes from BEFORE to AFTER: items and fields, then decisions (pure core).

    Exit code 0 when nothing changes, 1 when something does, 2/3 on bad input or no Neo4j."""
    clients: list[GraphClient] = []

    def client() -> GraphClient:
        if not clients:
            settings = Settings()
            clients.append(GraphClient.connect(settings.neo4j, settings.local))
        return clients[0]

    try:
        a, b = read_source(before, client), read_source(after, client)
    except GovroutError as exc:
        raise _stop(exc) from exc
    finally:
        for c in clients:
            c.close()
    result = compute_diff(a, b)
    if as_json:
        sys.stdout.write(diff_json(result))
    else:
        typer.echo(diff_text(result))
    raise typer.Exit(code=0 if result.empty else 1)
