"""`govroute fake-upstream`: a local fake provider of any API kind, for demos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from fastapi import FastAPI

FakeKind = Literal["openai", "anthropic", "azure", "bedrock", "vertex", "local"]
# Where each fake serves, relative to its root: the base_url (or override) to give it.
BASE_PATHS = {
    "openai": "/v1",
    "anthropic": "/v1",
    "azure": "",
    "bedrock": "",
    "vertex": "/v1beta",
    "local": "/v1",
}


def fake_upstream(
    port: Annotated[int, typer.Option(help="Port to listen on")] = 9100,
    host: Annotated[str, typer.Option(help="Interface; keep it on loopback")] = "127.0.0.1",
    kind: Annotated[
        FakeKind,
        typer.Option(help="Wire format: openai, anthropic, azure, bedrock, vertex or local"),
    ] = "openai",
) -> None:
    """Serve a fake provider that echoes and records what it receives.

    Point govroute at it with GOVROUTE_UPSTREAM_OVERRIDES='{"*": "http://127.0.0.1:9100/v1"}'
    (the base URL it prints) and read what a provider would have received at GET /_received.
    The bedrock fake checks SigV4 signatures made with the credentials it prints.
    """
    import uvicorn

    app = create_fake(kind)
    typer.echo(
        f"fake {kind} upstream on http://{host}:{port}{BASE_PATHS[kind]} "
        "(received requests: /_received)"
    )
    if kind == "bedrock":
        from api.gateway.fake_bedrock import FAKE_ACCESS_KEY, FAKE_SECRET_KEY

        typer.echo(
            f"signed with AWS_ACCESS_KEY_ID={FAKE_ACCESS_KEY} "
            f"AWS_SECRET_ACCESS_KEY={FAKE_SECRET_KEY}, region eu-central-1"
        )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def create_fake(kind: str) -> FastAPI:
    """The fake provider app of `kind` (an ASGI app)."""
    from api.gateway.fake_anthropic import create_fake_anthropic
    from api.gateway.fake_bedrock import create_fake_bedrock
    from api.gateway.fake_openai_kinds import create_fake_azure, create_fake_local
    from api.gateway.fake_upstream import create_fake_upstream
    from api.gateway.fake_vertex import create_fake_vertex

    factories = {
        "openai": create_fake_upstream,
        "anthropic": create_fake_anthropic,
        "azure": create_fake_azure,
        "bedrock": create_fake_bedrock,
        "vertex": create_fake_vertex,
        "local": create_fake_local,
    }
    return factories[kind]()
