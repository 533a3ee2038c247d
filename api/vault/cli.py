"""`govroute detokenize`: the detokenize endpoint's work, from a shell, against the shared vault.

It needs what a replica shares: REDIS_URL (the vault; a server's in-process vault
cannot be reached from here), GOVROUTE_SECRET and the graph. The key must belong to a
role with the 'detokenize' permission, exactly as for POST /v1/detokenize, and each
value printed is recorded as a restore through the provenance writer (its journal
under GOVROUTE_STATE_DIR when Neo4j does not take it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from pydantic import ValidationError

from api.settings import Settings
from api.vault.detokenize import DetokenizeRequest, detokenize
from api.vault.vault import Vault
from engine.errors import (
    Forbidden,
    GovroutError,
    InvalidConfiguration,
    InvalidRequest,
    NotAuthenticated,
)
from graph.connection import GraphClient
from graph.facts import principal_for_key
from graph.provenance_writer import ProvenanceWriter


def detokenize_command(
    text: Annotated[str | None, typer.Argument(help="Text whose pseudonyms to restore")] = None,
    pseudonym: Annotated[
        list[str] | None, typer.Option("--pseudonym", "-p", help="A pseudonym (repeatable)")
    ] = None,
    key: Annotated[
        str,
        typer.Option(
            envvar="GOVROUTE_API_KEY",
            prompt="govroute API key",
            hide_input=True,
            help="A key whose role has the 'detokenize' permission (env GOVROUTE_API_KEY)",
        ),
    ] = "",
    principal: Annotated[str | None, typer.Option(help="Whose pseudonyms")] = None,
    conversation: Annotated[str | None, typer.Option(help="Conversation scope")] = None,
    decision: Annotated[str | None, typer.Option(help="A request without conversation")] = None,
) -> None:
    """Turn pseudonyms of your tenant back into values (each restore is audited)."""
    try:
        print(json.dumps(run(Settings(), key, text, pseudonym, principal, conversation, decision)))
    except GovroutError as exc:
        typer.echo(f"error [{exc.code}] {exc.message}", err=True)
        raise typer.Exit(code=1) from exc


def run(
    settings: Settings,
    key: str,
    text: str | None,
    pseudonyms: list[str] | None,
    principal_id: str | None,
    conversation: str | None,
    decision: str | None,
) -> dict[str, object]:
    if settings.vault.redis_url is None:
        raise InvalidConfiguration(
            "REDIS_URL is not set: without it each server keeps its vault in its own "
            "memory, which this command cannot reach; use POST /v1/detokenize"
        )
    try:
        body = DetokenizeRequest(
            text=text,
            pseudonyms=pseudonyms or None,
            principal_id=principal_id,
            conversation_id=conversation,
            decision_id=decision,
        )
    except ValidationError as exc:
        raise InvalidRequest("; ".join(e["msg"] for e in exc.errors())) from exc
    secret = settings.load_secret()
    with GraphClient.connect(settings.neo4j, settings.local) as client:
        caller = principal_for_key(client, key)
        if caller is None:
            raise NotAuthenticated("unknown or revoked API key")
        if "detokenize" not in caller.permissions:
            raise Forbidden(f"principal {caller.id} has no role with the 'detokenize' permission")
        vault = Vault.from_settings(settings.vault, secret)
        writer = ProvenanceWriter.for_graph(client, settings.api.state_dir / "journal").start()
        try:
            result = detokenize(vault, writer.submit_restore, caller, body, now=datetime.now(UTC))
        finally:
            writer.close()
            vault.close()
    return result.model_dump()
