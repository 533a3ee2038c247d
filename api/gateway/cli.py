"""`govroute fake-upstream`: the local OpenAI-compatible server, for demos."""

from __future__ import annotations

from typing import Annotated

import typer


def fake_upstream(
    port: Annotated[int, typer.Option(help="Port to listen on")] = 9100,
    host: Annotated[str, typer.Option(help="Interface; keep it on loopback")] = "127.0.0.1",
) -> None:
    """Serve a fake OpenAI-compatible provider that echoes and records what it receives.

    Point govroute at it with GOVROUTE_UPSTREAM_OVERRIDES='{"*": "http://127.0.0.1:9100/v1"}'
    and read what a provider would have received at GET /_received.
    """
    import uvicorn

    from api.gateway.fake_upstream import create_fake_upstream

    typer.echo(f"fake upstream on http://{host}:{port}/v1 (received requests: /_received)")
    uvicorn.run(create_fake_upstream(), host=host, port=port, log_level="warning")
