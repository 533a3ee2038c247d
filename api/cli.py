"""The `govroute` command line.

govroute up                       local Neo4j + reference enterprise + API
govroute neo4j start|stop|status  the bundled Neo4j Community server
govroute load PATH                policy YAML dir/file, RDF file, or CSV catalog
govroute export                   the active policy content as RDF
govroute policy list              PolicySet versions: status, approvals, rollout
govroute policy approve|reject N  review a candidate (a policy_admin key: --key)
govroute policy activate N        make an approved candidate the active version
govroute policy rollback N        an earlier version's content, active again (emergency)
govroute admin audit              the admin API's calls: who, what, when, outcome
govroute policy test DIR          run the decision cases of a policy directory (no Neo4j)
govroute policy diff A B          what changes between two versions/directories/files
govroute policy schema            JSON Schema of the decision case format
govroute drift check|status       drift against the baseline; a breach ends a canary or rolls back
govroute policy shadow N          decide live traffic under candidate N too, never serve it
govroute policy canary N          let candidate N serve --percent P, --tenant T, --principal P
govroute policy shadow-report N   how candidate N's shadow decisions differed (--since 24h)
govroute schema                   JSON Schema of the policy YAML format
govroute fake-upstream --kind K   a fake provider: openai anthropic azure bedrock vertex local
govroute redteam --url --key      send the attack suite to a deployment, report block rates
govroute detokenize TEXT          pseudonyms back to values (a 'detokenize' key; audited)
govroute audit export --since 24h decisions as PROV-O (Turtle or JSON-LD), streamed
govroute audit verify|head        check the provenance hash chain; print its head to anchor
govroute review list|approve ID|reject ID --reason   held requests (a 'review' key: --key)
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from api.admin.cli import admin_app
from api.audit_cli import audit_app
from api.drift_cli import drift_app
from api.gateway.cli import fake_upstream
from api.policy_cli import policy_diff, policy_schema, policy_test
from api.redteam import redteam
from api.replay_cli import policy_replay
from api.review.cli import review_app
from api.rollout_cli import policy_canary, policy_shadow, policy_shadow_report
from api.settings import DRIFT_CHECK_DEFAULT_S, Settings
from api.vault.cli import detokenize_command
from api.versions_cli import (
    KeyOption,
    policy_activate,
    policy_approve,
    policy_list,
    policy_reject,
    policy_rollback,
)
from engine.errors import (
    Conflict,
    Forbidden,
    GovroutError,
    InvalidPolicyData,
    InvalidRequest,
    NotAuthenticated,
)
from graph.connection import GraphClient
from graph.server import LocalNeo4j
from lifecycle import versions
from lifecycle.actors import admin_for_key
from loaders.bundle import Bundle
from loaders.catalog import catalog_root, load_catalog
from loaders.policy_load import read_bundle
from loaders.rdf_export import RdfFormat, export_active
from loaders.rdf_import import is_rdf_path, read_rdf
from loaders.spec import PolicyDocument

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="govroute: AI firewall and router"
)
neo4j_app = typer.Typer(no_args_is_help=True, help="The bundled Neo4j Community server.")
policy_app = typer.Typer(no_args_is_help=True, help="PolicySet versions.")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(policy_app, name="policy")
app.add_typer(drift_app, name="drift")
app.add_typer(admin_app, name="admin")
app.add_typer(audit_app, name="audit")
app.add_typer(review_app, name="review")
app.command("fake-upstream")(fake_upstream)
app.command("redteam")(redteam)
policy_app.command("test")(policy_test)
policy_app.command("diff")(policy_diff)
policy_app.command("schema")(policy_schema)
policy_app.command("list")(policy_list)
policy_app.command("approve")(policy_approve)
policy_app.command("reject")(policy_reject)
policy_app.command("activate")(policy_activate)
policy_app.command("rollback")(policy_rollback)
policy_app.command("shadow")(policy_shadow)
policy_app.command("canary")(policy_canary)
policy_app.command("shadow-report")(policy_shadow_report)
policy_app.command("replay")(policy_replay)
app.command("detokenize")(detokenize_command)

out = Console()
err = Console(stderr=True)
T = TypeVar("T")


# Refusals (bad content, no admin key, a governed version) exit 2; anything else 1.
_REFUSALS = (InvalidPolicyData, NotAuthenticated, Forbidden, Conflict)


def _fail(exc: GovroutError) -> None:
    # Escaped: "[not_authenticated]" would otherwise be read as rich markup and vanish.
    err.print(f"[bold red]error[/] {escape(f'[{exc.code}] {exc.message}')}", highlight=False)
    raise typer.Exit(code=2 if isinstance(exc, _REFUSALS) else 1) from exc


def _guard(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except GovroutError as exc:
        _fail(exc)
        raise  # unreachable: _fail raises


@contextmanager
def _client(settings: Settings) -> Iterator[GraphClient]:
    client = _guard(lambda: GraphClient.connect(settings.neo4j, settings.local))
    try:
        yield client
    finally:
        client.close()


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# ---------------------------------------------------------------- neo4j


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Fetch (once) and start the local server; wait until Bolt answers."""
    settings = Settings()
    if settings.neo4j.external:
        out.print(f"NEO4J_URI is set ({settings.neo4j.uri}): using that server, starting none.")
        return
    server = LocalNeo4j(settings.local)
    before = server.status()
    if before.running:
        out.print(f"already running: {before.describe()}")
        return
    if before.stale_pid_removed:
        out.print("removed a stale pid file from a server that is gone")
    out.print(f"starting Neo4j under {server.home} (first start fetches jars with Maven) ...")
    status = _guard(server.start)
    out.print(status.describe())
    out.print(f"user neo4j, password in {server.home / 'password'}")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local server by its own pid (clean shutdown)."""
    server = LocalNeo4j(Settings().local)
    if not server.status().running:
        out.print("Neo4j is not running")
        return
    out.print(_guard(server.stop).describe())


@neo4j_app.command("status")
def neo4j_status() -> None:
    settings = Settings()
    if settings.neo4j.external:
        out.print(f"using external Neo4j at {settings.neo4j.uri}")
        return
    status = LocalNeo4j(settings.local).status()
    out.print(status.describe())
    raise typer.Exit(code=0 if status.running else 3)


# ---------------------------------------------------------------- policy content


def read_policy_source(path: Path) -> Bundle:
    """Policy content from an RDF file (by suffix) or YAML; a CSV catalog is not policy."""
    if catalog_root(path) is not None:
        raise InvalidRequest(
            f"{path} is a CSV catalog: catalogs are bulk data, not a policy version, and load "
            "directly",
            field="path",
        )
    return read_rdf(path) if is_rdf_path(path) else read_bundle(path)


@app.command("load")
def load(
    path: Annotated[Path, typer.Argument(help="YAML dir/file, RDF (.ttl/.jsonld), or CSV catalog")],
    message: Annotated[str, typer.Option("--message", "-m", help="Why this version")] = "",
    author: Annotated[
        str | None, typer.Option(help="Recorded on the PolicySet when no --key is given")
    ] = None,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="No progress bar for CSV catalogs")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="CSV catalogs: validate, count what would change, write nothing"
        ),
    ] = False,
    catalog_name: Annotated[
        str | None,
        typer.Option("--catalog", help="CSV catalogs: its name (default: the directory's path)"),
    ] = None,
    candidate: Annotated[
        bool,
        typer.Option(
            "--candidate", help="Stage policy content as a candidate version; activate it later"
        ),
    ] = False,
    key: KeyOption = None,
) -> None:
    """Validate everything, then write it as one atomic change (a new PolicySet version).

    With a policy_admin --key the principal is recorded as the author. While the active
    version's governance requires approvals, policy content must be staged (--candidate)."""
    settings = Settings()
    who = author or _author()
    if catalog_root(path) is not None and not candidate:
        with _client(settings) as client:
            loaded = _guard(
                lambda: load_catalog(
                    client,
                    path,
                    author=who,
                    message=message or f"load {path}",
                    progress=not no_progress,
                    catalog_name=catalog_name,
                    dry_run=dry_run,
                )
            )
            out.print(loaded.describe())
        return
    bundle = _guard(lambda: read_policy_source(path))
    with _client(settings) as client:
        actor = _guard(lambda: admin_for_key(client, key)) if key else None
        if candidate:
            staged = _guard(
                lambda: versions.stage(
                    client, bundle, actor=actor, author=who, message=message or f"candidate {path}"
                )
            )
            out.print(staged.describe())
            return
        report = _guard(
            lambda: versions.load(
                client, bundle, actor=actor, author=who, message=message or f"load {path}"
            )
        )
        out.print(report.describe())


class ExportFormat(StrEnum):
    TURTLE = "turtle"
    JSON_LD = "json-ld"


@app.command("export")
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="RDF syntax")
    ] = ExportFormat.TURTLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout")
    ] = None,
) -> None:
    """Print the active policy content as RDF; `govroute load` reads it back."""
    syntax: RdfFormat = "turtle" if format is ExportFormat.TURTLE else "json-ld"
    with _client(Settings()) as client:
        text = _guard(lambda: export_active(client, syntax))
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote the active policy content as {format.value} to {output}")


@app.command("schema")
def schema(
    cases: Annotated[bool, typer.Option("--cases", help="The decision case format")] = False,
) -> None:
    """Print the JSON Schema of the policy YAML format (for editors); --cases: of the
    decision case format (as `govroute policy schema`)."""
    if cases:
        policy_schema()
        return
    sys.stdout.write(json.dumps(PolicyDocument.model_json_schema(), indent=2) + "\n")


# ---------------------------------------------------------------- serving


def _serve(settings: Settings) -> None:
    import uvicorn

    from api.app import create_app
    from api.logs import configure_logging

    _guard(settings.load_secret)  # a replica on shared state without GOVROUTE_SECRET stops here
    if settings.api.drift_check_interval_s is None:  # a server checks for drift unless told
        settings.api = settings.api.model_copy(
            update={"drift_check_interval_s": DRIFT_CHECK_DEFAULT_S}
        )
    # Every line, uvicorn's too (log_config=None), in GOVROUTE_LOG_FORMAT, written off the
    # request threads; the app logs one startup summary with the URLs once it serves.
    logs = configure_logging(settings.telemetry.log_format, settings.telemetry.log_level)
    try:
        uvicorn.run(
            create_app(settings),
            host=settings.api.host,
            port=settings.api.port,
            log_config=None,
            log_level=settings.telemetry.log_level.lower(),
        )
    finally:
        logs.stop()


class LogFormatChoice(StrEnum):
    AUTO = "auto"
    JSON = "json"
    TEXT = "text"


LogFormatOption = Annotated[
    LogFormatChoice | None,
    typer.Option(
        "--log-format",
        help="auto (text on a terminal, else JSON), json or text; default GOVROUTE_LOG_FORMAT "
        "or auto",
    ),
]


def _settings(log_format: LogFormatChoice | None) -> Settings:
    settings = Settings()
    if log_format is not None:  # the option wins over GOVROUTE_LOG_FORMAT
        settings.telemetry = settings.telemetry.model_copy(update={"log_format": log_format.value})
    return settings


@app.command("serve")
def serve(log_format: LogFormatOption = None) -> None:
    """Serve the API against the configured Neo4j (which must be running and loaded)."""
    _serve(_settings(log_format))


@app.command("up")
def up(
    policy: Annotated[
        Path | None,
        typer.Option(help="Policy content to load first (default: GOVROUTE_POLICY_DIR)"),
    ] = None,
    log_format: LogFormatOption = None,
) -> None:
    """Start a local Neo4j (unless NEO4J_URI is set), load the reference enterprise, serve."""
    settings = _settings(log_format)
    if not settings.neo4j.external:
        neo4j_start()
    path = policy or settings.api.policy_dir
    bundle = _guard(lambda: read_bundle(path))
    with _client(settings) as client:
        try:
            report = versions.load(
                client, bundle, actor=None, author=_author(), message=f"govroute up: {path}"
            )
        except Conflict as exc:
            # A governed version is active (activated through approvals): serve it rather
            # than overwrite it, and say why the directory was not loaded.
            err.print(f"[yellow]not loaded[/] {path}: {exc.message}", highlight=False)
        except GovroutError as exc:
            _fail(exc)
        else:
            out.print(report.describe())
    _serve(settings)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
