"""`govroute fake-upstream`: a local fake provider (OpenAI-compatible or Anthropic), for demos."""

from __future__ import annotations

from typing import Annotated, Literal

import typer


def fake_upstream(
    port: Annotated[int, typer.Option(help="Port to listen on")] = 9100,
    host: Annotated[str, typer.Option(help="Interface; keep it on loopback")] = "127.0.0.1",
    kind: Annotated[
        Literal["openai", "anthropic"], typer.Option(help="Wire format: openai or anthropic")
    ] = "openai",
) -> None:
    """Serve a fake provider that echoes and records what it receives.

    Point govroute at it with GOVROUTE_UPSTREAM_OVERRIDES='{"*": "http://127.0.0.1:9100/v1"}'
    and read what a provider would have received at GET /_received.
    """
    import uvicorn

    from api.gateway.fake_anthropic import create_fake_anthropic
    from api.gateway.fake_upstream import create_fake_upstream

    app = create_fake_anthropic() if kind == "anthropic" else create_fake_upstream()
    typer.echo(f"fake {kind} upstream on http://{host}:{port}/v1 (received requests: /_received)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
