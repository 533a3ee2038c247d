"""The `govroute` command line.

govroute up                       local Neo4j + reference enterprise + API
govroute neo4j start|stop|status  the bundled Neo4j Community server
govroute load PATH                policy YAML dir/file, RDF file, or CSV catalog
govroute export                   the active policy content as RDF
govroute policy list|rollback     PolicySet versions
govroute policy test DIR          run the decision cases of a policy directory (no Neo4j)
govroute policy diff A B          what changes between two versions/directories/files
govroute policy schema            JSON Schema of the decision case format
govroute schema                   JSON Schema of the policy YAML format
govroute fake-upstream            a local OpenAI-compatible provider for demos
govroute redteam --url --key      send the attack suite to a deployment, report block rates
govroute detokenize TEXT          pseudonyms back to values (a 'detokenize' key; audited)
govroute audit export --since 24h decisions as PROV-O (Turtle or JSON-LD), streamed
govroute audit verify|head        check the provenance hash chain; print its head to anchor
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Protocol, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from api.audit_cli import audit_app
from api.gateway.cli import fake_upstream
from api.policy_cli import policy_diff, policy_schema, policy_test
from api.redteam import redteam
from api.settings import Settings
from api.vault.cli import detokenize_command
from engine.errors import GovroutError, InvalidPolicyData, InvalidRequest
from graph import store
from graph.connection import GraphClient
from graph.server import LocalNeo4j
from loaders.bundle import Bundle
from loaders.catalog import catalog_root, load_catalog
from loaders.policy_load import load_policy_path, read_bundle, rollback, stage_bundle
from loaders.rdf_export import RdfFormat, export_active
from loaders.rdf_import import is_rdf_path, load_rdf_path, read_rdf
from loaders.spec import PolicyDocument

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="govroute: AI firewall and router"
)
neo4j_app = typer.Typer(no_args_is_help=True, help="The bundled Neo4j Community server.")
policy_app = typer.Typer(no_args_is_help=True, help="PolicySet versions.")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.command("fake-upstream")(fake_upstream)
app.command("redteam")(redteam)
policy_app.command("test")(policy_test)
policy_app.command("diff")(policy_diff)
policy_app.command("schema")(policy_schema)
app.command("detokenize")(detokenize_command)

out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def _fail(exc: GovroutError) -> None:
    err.print(f"[bold red]error[/] [{exc.code}] {exc.message}", highlight=False, markup=True)
    raise typer.Exit(code=2 if isinstance(exc, InvalidPolicyData) else 1) from exc


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


class _Report(Protocol):
    def describe(self) -> str: ...


class _Loader(Protocol):
    def __call__(
        self, client: GraphClient, path: Path, *, author: str, message: str
    ) -> _Report: ...


def read_policy_source(path: Path) -> Bundle:
    """Policy content from an RDF file (by suffix) or YAML; a CSV catalog is not policy."""
    if catalog_root(path) is not None:
        raise InvalidRequest(
            f"{path} is a CSV catalog: catalogs are bulk data, not a policy version, and load "
            "directly",
            field="path",
        )
    return read_rdf(path) if is_rdf_path(path) else read_bundle(path)


def _loader_for(path: Path, *, progress: bool = True) -> _Loader:
    """Which loader reads `path`: an RDF file (by suffix), a CSV catalog, else policy YAML."""
    if is_rdf_path(path):
        return load_rdf_path
    if catalog_root(path) is not None:
        return partial(load_catalog, progress=progress)
    return load_policy_path


@app.command("load")
def load(
    path: Annotated[Path, typer.Argument(help="YAML dir/file, RDF (.ttl/.jsonld), or CSV catalog")],
    message: Annotated[str, typer.Option("--message", "-m", help="Why this version")] = "",
    author: Annotated[str | None, typer.Option(help="Recorded on the PolicySet")] = None,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="No progress bar for CSV catalogs")
    ] = False,
    candidate: Annotated[
        bool,
        typer.Option(
            "--candidate", help="Stage policy content as a candidate version; activate it later"
        ),
    ] = False,
) -> None:
    """Validate everything, then write it as one atomic change (a new PolicySet version)."""
    settings = Settings()
    who = author or _author()
    if candidate:
        bundle = _guard(lambda: read_policy_source(path))
        with _client(settings) as client:
            staged = _guard(
                lambda: stage_bundle(
                    client, bundle, author=who, message=message or f"candidate {path}"
                )
            )
            out.print(staged.describe())
        return
    loader = _guard(lambda: _loader_for(path, progress=not no_progress))
    with _client(settings) as client:
        report = _guard(lambda: loader(client, path, author=who, message=message or f"load {path}"))
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


@policy_app.command("list")
def policy_list() -> None:
    with _client(Settings()) as client:
        sets = _guard(lambda: store.list_policy_sets(client))
    table = Table("version", "kind", "status", "hash", "author", "created", "message")
    for ps in sets:
        table.add_row(
            str(ps.version),
            ps.kind,
            ps.status,
            ps.content_hash[:19],
            ps.author,
            ps.created_at[:19],
            ps.message,
        )
    out.print(table)


@policy_app.command("rollback")
def policy_rollback(version: int, author: Annotated[str | None, typer.Option()] = None) -> None:
    """Make an earlier version's content active again (recorded as a new version)."""
    with _client(Settings()) as client:
        report = _guard(lambda: rollback(client, version, author=author or _author()))
    out.print(report.describe())


# ---------------------------------------------------------------- serving


def _serve(settings: Settings) -> None:
    import uvicorn

    from api.app import create_app
    from api.logs import configure_logging

    _guard(settings.load_secret)  # a replica on shared state without GOVROUTE_SECRET stops here
    out.print(f"serving on http://{settings.api.host}:{settings.api.port} (OpenAPI at /docs)")
    # Every line, uvicorn's too (log_config=None), in GOVROUTE_LOG_FORMAT, written off the
    # request threads.
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


@app.command("serve")
def serve() -> None:
    """Serve the API against the configured Neo4j (which must be running and loaded)."""
    _serve(Settings())


@app.command("up")
def up(
    policy: Annotated[
        Path | None,
        typer.Option(help="Policy content to load first (default: GOVROUTE_POLICY_DIR)"),
    ] = None,
) -> None:
    """Start a local Neo4j (unless NEO4J_URI is set), load the reference enterprise, serve."""
    settings = Settings()
    if not settings.neo4j.external:
        neo4j_start()
    path = policy or settings.api.policy_dir
    with _client(settings) as client:
        report = _guard(
            lambda: load_policy_path(client, path, author=_author(), message=f"govroute up: {path}")
        )
        out.print(report.describe())
    _serve(settings)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
