"""The bundled Neo4j's lifecycle, through the same CLI a user types.

A second server (own home, free ports) beside the session's: start, a second
start that says so, Browser and a login over HTTP, a stale pid file after a
SIGKILL, a clean stop; and NEO4J_URI meaning "start nothing".
"""

from __future__ import annotations

import base64
import json
import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.server import LocalNeo4j, free_port
from graph.settings import LocalServerSettings

runner = CliRunner()


def cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture
def home_env(tmp_path: Path) -> dict[str, str]:
    return {
        "GOVROUTE_NEO4J_HOME": str(tmp_path / "neo4j"),
        "GOVROUTE_NEO4J_BOLT_PORT": str(free_port()),
        "GOVROUTE_NEO4J_HTTP_PORT": str(free_port()),
        "GOVROUTE_NEO4J_HEAP": "512m",
        "GOVROUTE_NEO4J_PAGECACHE": "256m",
        "NEO4J_URI": "",
    }


def server_for(env: dict[str, str]) -> LocalNeo4j:
    return LocalNeo4j(
        LocalServerSettings(
            home=Path(env["GOVROUTE_NEO4J_HOME"]),
            bolt_port=int(env["GOVROUTE_NEO4J_BOLT_PORT"]),
            http_port=int(env["GOVROUTE_NEO4J_HTTP_PORT"]),
        )
    )


def test_when_started_twice_killed_and_restarted_then_the_cli_reports_each_state(
    home_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One generated password in 64 starts with "-"; neo4j-admin once read that as
    # an option, printed its help and failed a whole CI run. Force that case.
    monkeypatch.setattr("graph.server._new_password", lambda: "-leading-dash-" + "x" * 10)
    env = home_env
    server = server_for(env)
    try:
        code, out = cli(env, "neo4j", "start")
        assert code == 0, out
        assert "is running" in out
        code, out = cli(env, "neo4j", "start")
        assert code == 0
        assert out.startswith("already running")

        http = f"http://127.0.0.1:{env['GOVROUTE_NEO4J_HTTP_PORT']}"
        with urllib.request.urlopen(f"{http}/browser/", timeout=10) as page:  # noqa: S310
            assert "<title>Neo4j Browser</title>" in page.read().decode()
        assert server.password().startswith("-leading-dash-")
        token = base64.b64encode(f"neo4j:{server.password()}".encode()).decode()
        login = urllib.request.Request(  # noqa: S310
            f"{http}/db/neo4j/tx/commit",
            data=json.dumps({"statements": [{"statement": "RETURN 1 AS one"}]}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
        )
        with urllib.request.urlopen(login, timeout=10) as reply:  # noqa: S310
            body = json.loads(reply.read())
        assert body["errors"] == []
        assert body["results"][0]["data"][0]["row"] == [1]

        pid = server.status().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while server.status().running and time.monotonic() < deadline:
            time.sleep(0.2)
        code, out = cli(env, "neo4j", "status")
        assert code == 3
        assert "not running" in out

        code, out = cli(env, "neo4j", "start")
        assert code == 0, out
        assert "is running" in out
        code, out = cli(env, "neo4j", "stop")
        assert code == 0
        assert "not running" in out
        assert not server.status().running
    finally:
        server.stop()


def test_when_neo4j_uri_is_set_then_no_server_is_started(home_env: dict[str, str]) -> None:
    env = {**home_env, "NEO4J_URI": "bolt://db.example.internal:7687"}
    code, out = cli(env, "neo4j", "start")
    assert code == 0
    assert "starting none" in out
    assert not Path(env["GOVROUTE_NEO4J_HOME"]).exists()
